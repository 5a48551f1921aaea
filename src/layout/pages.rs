//! The second pagination step: once the number of pages is known, fill it into the
//! paragraphs that ask for it (a bound journal's "N sheets are numbered") and add the
//! footers ("2 беттің 1-беті" / "Страница 1 из 2").

use super::blocks::{Align, Block, Inline, Section};
use super::flow;
use super::geom::{Point, Pt};
use super::text::Shaper;
use super::{Item, Origins, Page};
use crate::diag::{Diagnostic, StageResult};
use crate::fonts::FontStyle;

/// How often a section is laid out again before giving up on a page count that changes
/// with the text it is written into.
const MAX_PASSES: usize = 4;

/// When the section has paragraphs marked `page_total`, lays it out again with `{total}`
/// filled in, until the page count it was filled with is the count it gives. Returns the
/// page bodies unchanged otherwise.
pub(super) fn with_totals(
    section: &Section,
    bodies: Vec<Vec<Item>>,
    shaper: &Shaper,
    origins: &dyn Origins,
    reserve: Pt,
) -> StageResult<Vec<Vec<Item>>> {
    if !has_totals(&section.blocks) {
        return Ok(bodies);
    }
    let mut total = bodies.len();
    for _ in 0..MAX_PASSES {
        let filled = Section { blocks: fill_blocks(&section.blocks, total), ..section.clone() };
        let bodies = flow::section(&filled, shaper, origins, reserve)?;
        if bodies.len() == total {
            return Ok(bodies);
        }
        total = bodies.len();
    }
    Err(vec![Diagnostic::plain(format!(
        "the page count of the {} section does not settle: writing it in changes it",
        section.lang
    ))])
}

fn has_totals(blocks: &[Block]) -> bool {
    blocks.iter().any(|b| match b {
        Block::Paragraph(p) => p.page_total,
        Block::Column(c) => has_totals(&c.blocks),
        Block::Keep(blocks) | Block::KeepWithPrevious(blocks) => has_totals(blocks),
        Block::Frame(f) => has_totals(&f.blocks),
        _ => false,
    })
}

fn fill_blocks(blocks: &[Block], total: usize) -> Vec<Block> {
    blocks
        .iter()
        .map(|block| match block {
            Block::Paragraph(p) if p.page_total => {
                let mut p = p.clone();
                for inline in &mut p.inlines {
                    if let Inline::Text(text, _) = inline {
                        *text = fill_total(text, total);
                    }
                }
                Block::Paragraph(p)
            }
            Block::Column(c) => {
                let mut c = c.clone();
                c.blocks = fill_blocks(&c.blocks, total);
                Block::Column(c)
            }
            Block::Keep(blocks) => Block::Keep(fill_blocks(blocks, total)),
            Block::KeepWithPrevious(blocks) => Block::KeepWithPrevious(fill_blocks(blocks, total)),
            Block::Frame(f) => {
                let mut f = f.clone();
                f.blocks = fill_blocks(&f.blocks, total);
                Block::Frame(f)
            }
            other => other.clone(),
        })
        .collect()
}

/// `{total}` → the number; `{total:word}`, `{total:one|other}` (English) and
/// `{total:one|few|many}` (Russian: 1, 21 лист; 2–4, 22 листа; 5–20, 11–14 листов) → the
/// word that agrees with the number.
pub(super) fn fill_total(text: &str, total: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{total") {
        out.push_str(&rest[..start]);
        let tail = &rest[start + "{total".len()..];
        let Some(end) = tail.find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = &tail[..end];
        match inner.strip_prefix(':') {
            _ if inner.is_empty() => out.push_str(&total.to_string()),
            Some(forms) => out.push_str(plural(total, &forms.split('|').collect::<Vec<_>>())),
            None => out.push_str(&rest[start..start + "{total".len() + end + 1]),
        }
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

fn plural<'a>(n: usize, forms: &[&'a str]) -> &'a str {
    match forms {
        [one] => one,
        [one, other] => {
            if n == 1 {
                one
            } else {
                other
            }
        }
        [one, few, many, ..] => {
            let (units, tens) = (n % 10, n % 100);
            if units == 1 && tens != 11 {
                one
            } else if (2..=4).contains(&units) && !(12..=14).contains(&tens) {
                few
            } else {
                many
            }
        }
        [] => "",
    }
}

/// Footer text size.
const FOOTER_SIZE: Pt = Pt(9.0);

/// Turns page bodies into pages, adding the section's footer to each.
pub(super) fn finalize(section: &Section, bodies: Vec<Vec<Item>>, shaper: &Shaper) -> Vec<Page> {
    let total = bodies.len();
    bodies
        .into_iter()
        .enumerate()
        .map(|(i, mut items)| {
            if let Some(pattern) = &section.footer {
                let text =
                    pattern.replace("{page}", &(i + 1).to_string()).replace("{total}", &total.to_string());
                let inlines = [Inline::Text(text, FontStyle::Regular)];
                let lines = shaper.break_lines(&inlines, FOOTER_SIZE, section.page.width);
                if let Some(line) = lines.lines.into_iter().next() {
                    let width = section.page.width - section.margins.left - section.margins.right;
                    let baseline = section.page.height - section.margins.bottom * 0.5;
                    let origin = Point::new(section.margins.left, baseline);
                    items.extend(shaper.place_line(line, origin, width, Align::Right, true));
                }
            }
            Page { size: section.page, items }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_is_written_with_the_agreeing_word() {
        let ru = "пронумеровано {total} {total:лист|листа|листов}";
        let cases = [(1, "1 лист"), (3, "3 листа"), (5, "5 листов"), (11, "11 листов"), (12, "12 листов")];
        for (n, words) in cases {
            assert_eq!(fill_total(ru, n), format!("пронумеровано {words}"));
        }
        assert_eq!(fill_total(ru, 22), "пронумеровано 22 листа");
        assert_eq!(fill_total(ru, 101), "пронумеровано 101 лист");
        assert_eq!(fill_total("{total} {total:sheet|sheets}", 1), "1 sheet");
        assert_eq!(fill_total("{total} {total:sheet|sheets}", 2), "2 sheets");
        assert_eq!(fill_total("{total} парақ", 14), "14 парақ");
    }

    #[test]
    fn a_marked_paragraph_gets_the_page_count_of_its_section() {
        use crate::layout::{Margins, Paragraph, Size};
        let para = |text: &str, page_total: bool| {
            Block::Paragraph(Paragraph {
                inlines: vec![Inline::Text(text.into(), FontStyle::Regular)],
                page_total,
                ..Paragraph::default()
            })
        };
        let mut blocks = vec![para("{total} беттің басы", false)];
        blocks.extend((0..60).map(|i| para(&format!("жол {i}"), false)));
        blocks.push(Block::PageBreak);
        blocks.push(para("Журналда {total} парақ", true));
        let section = Section {
            lang: crate::domain::Lang::Kk,
            title: String::new(),
            page: Size::a4(),
            margins: Margins { top: Pt(50.0), right: Pt(50.0), bottom: Pt(50.0), left: Pt(50.0) },
            font_size: Pt(12.0),
            footer: None,
            blocks,
        };
        let doc = crate::layout::document(&[section], &Shaper::new()).expect("laid out");
        let texts: Vec<String> = doc
            .pages
            .iter()
            .flat_map(|p| &p.items)
            .filter_map(|i| match i {
                Item::Text(run) => Some(run.text.clone()),
                _ => None,
            })
            .collect();
        let total = doc.pages.len();
        assert!(total >= 3, "{total} pages");
        assert!(texts.iter().any(|t| t.contains(&format!("Журналда {total} парақ"))), "{texts:?}");
        assert!(texts.iter().any(|t| t.contains("{total} беттің")), "unmarked text is left alone");
    }

    #[test]
    fn other_braces_are_left_alone() {
        assert_eq!(fill_total("{page} / {totals} {total", 7), "{page} / {totals} {total");
        assert_eq!(fill_total("{total}{total}", 7), "77");
    }
}
