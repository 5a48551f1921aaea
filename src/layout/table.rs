//! Bordered tables: relative column widths, multi-line cells, column spans, and header rows
//! that repeat on every page the table spans.

use std::rc::Rc;

use super::blocks::{Table, VAlign};
use super::flow::{Ctx, Frame, HAIRLINE, Slice, translate};
use super::geom::{Point, Pt, Size};
use super::text::LEADING;
use super::{Item, Rect};

/// Inner padding of a cell.
const PAD: Pt = Pt(2.5);

/// Appends one slice per row; data rows carry the header rows for repetition.
pub(super) fn slices(ctx: &mut Ctx<'_>, table: &Table, frame: Frame, out: &mut Vec<Slice>) {
    let size = table.size.unwrap_or(frame.size);
    let widths = fit_widths(ctx, table, size, frame.width);
    let columns = column_edges(&widths, frame.x, frame.width);
    let mut header_rows = Vec::new();
    let mut header: Option<Rc<Vec<Slice>>> = None;
    let mut first = true;
    for row in &table.rows {
        let mut items = Vec::new();
        let mut cells = Vec::new();
        let mut col = 0;
        let mut height = Pt::ZERO;
        for cell in &row.cells {
            let span = cell.colspan.max(1);
            let left = columns[col.min(columns.len() - 1)];
            let right = columns[(col + span).min(columns.len() - 1)];
            col += span;
            let inner = (right - left - PAD * 2.0).max(Pt(1.0));
            let lines = ctx.lines(&cell.inlines, size, inner, Pt::ZERO);
            let text_height = size * LEADING * lines.lines.len() as f32;
            height = height.max(text_height + PAD * 2.0);
            cells.push((left, right, inner, lines, text_height, cell));
        }
        let leading = size * LEADING;
        let mut body = RowBody { cells: Vec::new(), leading, borders: table.borders };
        for (left, right, inner, lines, text_height, cell) in cells {
            let top = match cell.valign {
                VAlign::Top => PAD,
                VAlign::Middle => (height - text_height) * 0.5,
            };
            let ascent = ctx.baseline(size);
            let count = lines.lines.len();
            let placed: Vec<Vec<Item>> = lines
                .lines
                .into_iter()
                .enumerate()
                .map(|(i, line)| {
                    let origin = Point::new(left + PAD, ascent);
                    ctx.shaper.place_line(line, origin, inner, cell.align, i + 1 == count)
                })
                .collect();
            for (i, line) in placed.iter().enumerate() {
                items.extend(translate(line, Pt::ZERO, top + leading * i as f32));
            }
            if table.borders {
                items.push(Item::Rect(Rect {
                    origin: Point::new(left, Pt::ZERO),
                    size: Size { width: right - left, height },
                    stroke: HAIRLINE,
                }));
            }
            body.cells.push(CellBody { left, right, lines: placed });
        }
        let slice = Slice {
            height,
            space_before: if first { table.space_before } else { Pt::ZERO },
            items,
            keep_with_next: row.header,
            header: if row.header { None } else { header.clone() },
            row: Some(Rc::new(body)),
            ..Slice::default()
        };
        first = false;
        if row.header {
            let mut repeated = slice.clone();
            repeated.space_before = Pt::ZERO;
            header_rows.push(repeated);
            header = Some(Rc::new(header_rows.clone()));
        }
        out.push(slice);
    }
}

/// A row's cells as lines, kept so that a row taller than what is left of a page can be
/// split between two lines of its cells.
#[derive(Debug, Clone)]
pub(super) struct RowBody {
    cells: Vec<CellBody>,
    leading: Pt,
    borders: bool,
}

/// A cell's edges and its placed lines, each with y relative to the top of its line box.
#[derive(Debug, Clone)]
struct CellBody {
    left: Pt,
    right: Pt,
    lines: Vec<Vec<Item>>,
}

impl RowBody {
    /// The most lines of one cell.
    fn line_count(&self) -> usize {
        self.cells.iter().map(|c| c.lines.len()).max().unwrap_or(0)
    }

    /// The height of the row drawn top-aligned.
    pub(super) fn height(&self) -> Pt {
        self.leading * self.line_count() as f32 + PAD * 2.0
    }

    /// Splits the row so that its first part is at most `room` high: each cell keeps the
    /// lines that fit, the rest continue in the second part. `None` when not even one line
    /// fits, or when nothing would be left for the second part.
    pub(super) fn split(&self, room: Pt) -> Option<(Slice, RowBody)> {
        let fit = ((room - PAD * 2.0).0 / self.leading.0 + 0.001).floor();
        if fit < 1.0 {
            return None;
        }
        let fit = fit as usize;
        if fit >= self.line_count() {
            return None;
        }
        let head = RowBody {
            cells: self
                .cells
                .iter()
                .map(|c| CellBody { lines: c.lines[..fit.min(c.lines.len())].to_vec(), ..c.clone() })
                .collect(),
            ..self.clone()
        };
        let tail = RowBody {
            cells: self
                .cells
                .iter()
                .map(|c| CellBody { lines: c.lines[fit.min(c.lines.len())..].to_vec(), ..c.clone() })
                .collect(),
            ..self.clone()
        };
        let height = head.height();
        Some((Slice { height, items: head.items(height), ..Slice::default() }, tail))
    }

    /// The row as a slice of `height`, lines from the top of each cell; it keeps the header
    /// rows of `like` for the page it opens.
    pub(super) fn slice(self, like: &Slice) -> Slice {
        let height = self.height();
        Slice {
            height,
            items: self.items(height),
            header: like.header.clone(),
            row: Some(Rc::new(self)),
            ..Slice::default()
        }
    }

    fn items(&self, height: Pt) -> Vec<Item> {
        let mut items = Vec::new();
        for cell in &self.cells {
            for (i, line) in cell.lines.iter().enumerate() {
                items.extend(translate(line, Pt::ZERO, PAD + self.leading * i as f32));
            }
            if self.borders {
                items.push(Item::Rect(Rect {
                    origin: Point::new(cell.left, Pt::ZERO),
                    size: Size { width: cell.right - cell.left, height },
                    stroke: HAIRLINE,
                }));
            }
        }
        items
    }
}

/// The column widths: a column is at least as wide as its widest unbreakable piece of text
/// (a whole `<nobreak>` value such as a cadastral number, else the longest word or part of a
/// word between its break points), the space taken from the columns that have room, in
/// proportion to it; the rest keeps the declared proportions. When these minimums do not fit
/// side by side, free text gives way: the `<nobreak>` values keep their width and the widest
/// words' minimums are capped, as little as needed (those words then break between letters);
/// when even the `<nobreak>` values do not fit, they count as other words; when the words do
/// not fit either, the declared proportions stand.
fn fit_widths(ctx: &Ctx<'_>, table: &Table, size: Pt, width: Pt) -> Vec<f32> {
    let given: Vec<f32> = if table.widths.is_empty() { vec![1.0] } else { table.widths.clone() };
    let hard = minimums(ctx, table, size, true);
    let soft = minimums(ctx, table, size, false);
    if let Some(widths) = spread(&given, &hard, width) {
        return widths;
    }
    // The columns whose minimum a `<nobreak>` value sets keep it; the others' minimums are
    // capped at the largest width that fits, found by bisection.
    let kept: Vec<f32> = hard.iter().zip(&soft).map(|(h, s)| if h > s { *h } else { 0.0 }).collect();
    let capped = |cap: f32| -> Vec<f32> { kept.iter().zip(&soft).map(|(k, m)| k.max(m.min(cap))).collect() };
    let fits = |cap: f32| capped(cap).iter().sum::<f32>() < width.0;
    if kept.iter().any(|k| *k > 0.0) && fits(0.0) {
        let (mut low, mut high) = (0.0, soft.iter().fold(0.0f32, |a, m| a.max(*m)));
        for _ in 0..32 {
            let mid = (low + high) / 2.0;
            if fits(mid) { low = mid } else { high = mid }
        }
        if let Some(widths) = spread(&given, &capped(low), width) {
            return widths;
        }
    }
    spread(&given, &soft, width).unwrap_or(given)
}

/// The least width of each column: its widest unbreakable piece of text and the padding.
fn minimums(ctx: &Ctx<'_>, table: &Table, size: Pt, whole: bool) -> Vec<f32> {
    let count = table.widths.len().max(1);
    let mut mins = vec![0.0f32; count];
    for row in &table.rows {
        let mut col = 0;
        for cell in &row.cells {
            let span = cell.colspan.max(1);
            if span == 1 && col < count {
                let widest = ctx.shaper.widest_word(&cell.inlines, size, whole);
                mins[col] = mins[col].max(widest.0 + PAD.0 * 2.0 + 0.5);
            }
            col += span;
        }
    }
    mins
}

/// The widths in points of columns of relative widths `given` in `width`, each at least its
/// minimum; `None` when the minimums do not fit.
fn spread(given: &[f32], mins: &[f32], width: Pt) -> Option<Vec<f32>> {
    let count = given.len();
    let total: f32 = given.iter().map(|w| w.max(0.0)).sum::<f32>().max(f32::EPSILON);
    let mut actual: Vec<f32> = given.iter().map(|w| width.0 * w.max(0.0) / total).collect();
    if mins.iter().sum::<f32>() >= width.0 {
        return None;
    }
    // Raise narrow columns to their minimum, then take the difference from the others in
    // proportion to their room above their own minimum.
    for _ in 0..count {
        let deficit: f32 = actual.iter().zip(mins).map(|(a, m)| (m - a).max(0.0)).sum();
        if deficit <= 0.01 {
            break;
        }
        let room: f32 = actual.iter().zip(mins).map(|(a, m)| (a - m).max(0.0)).sum();
        if room <= 0.0 {
            break;
        }
        let take = (deficit / room).min(1.0);
        for (a, m) in actual.iter_mut().zip(mins) {
            if *a < *m {
                *a = *m;
            } else {
                *a -= (*a - m) * take;
            }
        }
    }
    Some(actual)
}

/// The x of every column edge, from the left edge of the first column to the right edge of
/// the last: widths are relative.
fn column_edges(widths: &[f32], x: Pt, width: Pt) -> Vec<Pt> {
    let widths: Vec<f32> = if widths.is_empty() { vec![1.0] } else { widths.to_vec() };
    let total: f32 = widths.iter().map(|w| w.max(0.0)).sum::<f32>().max(f32::EPSILON);
    let mut edges = vec![x];
    let mut acc = 0.0;
    for w in &widths {
        acc += w.max(0.0);
        edges.push(x + Pt(width.0 * acc / total));
    }
    edges
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::diag::{FieldPath, SourcePos};
    use crate::fonts::FontStyle;
    use crate::layout::text::Shaper;
    use crate::layout::{Cell, Inline, Margins, Origins, Row, Section, Size, Table};

    /// Text that starts with `prefix` comes from the field `path`.
    struct From(&'static str, &'static str);

    impl Origins for From {
        fn field_of(&self, text: &str) -> Option<(FieldPath, Option<SourcePos>)> {
            let pos = SourcePos { file: "case.yaml".into(), line: 3, column: 7 };
            text.starts_with(self.0).then(|| (FieldPath::root().key(self.1), Some(pos)))
        }
    }

    fn cell(text: &str) -> Cell {
        Cell { inlines: vec![Inline::Text(text.into(), FontStyle::Regular)], colspan: 1, ..Cell::default() }
    }

    fn section(table: Table) -> Section {
        Section {
            lang: crate::domain::Lang::Kk,
            title: String::new(),
            page: Size::a4(),
            margins: Margins { top: Pt(50.0), right: Pt(50.0), bottom: Pt(50.0), left: Pt(50.0) },
            font_size: Pt(10.0),
            footer: None,
            blocks: vec![crate::layout::Block::Table(table)],
        }
    }

    #[test]
    fn a_letter_wider_than_its_column_is_an_error_about_its_field() {
        // The second column's word cannot break anywhere but between letters, so the
        // given widths stand, and the first column is narrower than one letter.
        let table = Table {
            widths: vec![1.0, 10_000.0],
            borders: true,
            rows: vec![Row { header: false, cells: vec![cell("Шш"), cell(&"Ә".repeat(500))] }],
            ..Table::default()
        };
        let problems = crate::layout::document_with(&[section(table)], &Shaper::new(), &From("Ш", "name"))
            .expect_err("the letter cannot be placed");
        let printed: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            printed,
            [
                "error: case.yaml:3:7: name: the text \"Ш\" is 3.6 mm wide and does not fit in its column of 0.4 mm"
            ]
        );
    }

    #[test]
    fn a_missing_glyph_is_an_error_about_its_field() {
        let table = Table {
            widths: vec![1.0],
            rows: vec![Row { header: false, cells: vec![cell("Шаршы ☒")] }],
            ..Table::default()
        };
        let problems =
            crate::layout::document_with(&[section(table)], &Shaper::new(), &From("Шаршы", "kind"))
                .expect_err("the box cannot be printed");
        let printed: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            printed,
            [
                "error: case.yaml:3:7: kind: font \"Anyqtama Serif\" has no glyph for '☒' (U+2612) in \"Шаршы ☒\""
            ]
        );
    }

    #[test]
    fn a_row_taller_than_a_page_is_split_between_lines_under_its_header() {
        let words: Vec<String> = (0..1500).map(|i| format!("сөз{i}")).collect();
        let table = Table {
            widths: vec![1.0, 1.0],
            borders: true,
            rows: vec![
                Row { header: true, cells: vec![cell("Тақырып"), cell("Негіз")] },
                Row { header: false, cells: vec![cell("бір"), cell(&words.join(" "))] },
                Row { header: false, cells: vec![cell("екі"), cell("соңы")] },
            ],
            ..Table::default()
        };
        let doc = crate::layout::document(&[section(table)], &Shaper::new()).expect("laid out");
        assert!(doc.pages.len() >= 3, "{} pages", doc.pages.len());
        let mut printed = Vec::new();
        for page in &doc.pages {
            let texts: Vec<(f32, &str)> = page
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Text(r) => Some((r.origin.y.0, r.text.as_str())),
                    _ => None,
                })
                .collect();
            // The header row opens every page, and nothing runs past the bottom margin.
            let first = texts.iter().min_by(|a, b| a.0.total_cmp(&b.0)).expect("text");
            assert!(first.1 == "Тақырып" || first.1 == "Негіз", "{first:?}");
            for item in &page.items {
                if let Item::Rect(r) = item {
                    assert!(r.origin.y.0 + r.size.height.0 <= 842.0 - 50.0 + 0.01, "{r:?}");
                }
            }
            assert!(texts.iter().all(|(y, _)| *y <= 842.0 - 50.0));
            printed.extend(texts.iter().flat_map(|(_, t)| t.split(' ')).map(str::to_owned));
        }
        for w in &words {
            assert_eq!(printed.iter().filter(|p| *p == w).count(), 1, "{w}");
        }
        assert!(printed.iter().any(|p| p == "соңы"));
    }

    /// The lines of text of a laid-out document, top to bottom, each as its runs joined.
    fn lines_of(doc: &crate::layout::Document) -> Vec<String> {
        let mut runs: Vec<(usize, f32, f32, String)> = Vec::new();
        for (p, page) in doc.pages.iter().enumerate() {
            for item in &page.items {
                if let Item::Text(r) = item {
                    runs.push((p, r.origin.y.0, r.origin.x.0, r.text.clone()));
                }
            }
        }
        runs.sort_by(|a, b| (a.0, a.1, a.2).partial_cmp(&(b.0, b.1, b.2)).expect("numbers"));
        runs.into_iter().map(|r| r.3).collect()
    }

    fn nobreak(text: &str) -> Cell {
        Cell {
            inlines: vec![Inline::NoBreak(text.into(), FontStyle::Regular)],
            colspan: 1,
            ..Cell::default()
        }
    }

    #[test]
    fn a_nobreak_value_widens_its_column_and_free_text_gives_way() {
        // The words of the other columns alone are wider than the page: they give way, the
        // cadastral number and the date keep their width.
        let long = "Правоустанавливающий ".repeat(3);
        let table = Table {
            widths: vec![1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
            borders: true,
            rows: vec![Row {
                header: false,
                cells: vec![
                    nobreak("20:311:011:107:1"),
                    cell(&long),
                    cell(&long),
                    cell(&long),
                    cell(&long),
                    cell(&long),
                    cell(&long),
                    nobreak("21.10.2017 10:55:00"),
                ],
            }],
            ..Table::default()
        };
        let doc = crate::layout::document(&[section(table)], &Shaper::new()).expect("laid out");
        let lines = lines_of(&doc);
        assert!(lines.contains(&"20:311:011:107:1".to_owned()), "{lines:?}");
        assert!(lines.contains(&"21.10.2017\u{a0}10:55:00".to_owned()), "{lines:?}");
    }

    #[test]
    fn a_nobreak_value_wider_than_its_whole_column_is_broken_not_lost() {
        let number = "20:311:011:107:1:".repeat(30);
        let table = Table {
            widths: vec![1.0, 1.0],
            rows: vec![Row { header: false, cells: vec![nobreak(&number), nobreak(&number)] }],
            ..Table::default()
        };
        let doc = crate::layout::document(&[section(table)], &Shaper::new()).expect("laid out");
        let lines = lines_of(&doc);
        assert!(lines.len() > 2, "{lines:?}");
        assert!(lines.iter().all(|l| l.ends_with(':')), "broken after a colon: {lines:?}");
        assert_eq!(lines.concat().len(), number.len() * 2);
    }

    #[test]
    fn a_block_kept_with_the_previous_takes_the_last_row_and_the_header_along() {
        // A header and 42 rows of 17 pt fill 731 pt of a 742 pt body; the signature block
        // (32 pt) does not fit under them.
        let mut rows = vec![Row { header: true, cells: vec![cell("Тақырып")] }];
        rows.extend((1..=42).map(|i| Row { header: false, cells: vec![cell(&format!("жол{i}"))] }));
        let signature = vec![
            crate::layout::Block::Space(Pt(20.0)),
            crate::layout::Block::Paragraph(crate::layout::Paragraph {
                inlines: vec![Inline::Text("Қолы".into(), FontStyle::Regular)],
                ..Default::default()
            }),
        ];
        let pages = |keep: crate::layout::Block| {
            let mut s = section(Table { widths: vec![1.0], rows: rows.clone(), ..Table::default() });
            s.blocks.push(keep);
            crate::layout::document(&[s], &Shaper::new()).expect("laid out").page_texts()
        };
        let alone = pages(crate::layout::Block::Keep(signature.clone()));
        assert_eq!(alone.len(), 2);
        assert_eq!(alone[1], ["Қолы"]);
        let kept = pages(crate::layout::Block::KeepWithPrevious(signature));
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0].last().map(String::as_str), Some("жол41"));
        assert_eq!(kept[1], ["Тақырып", "жол42", "Қолы"]);
    }

    #[test]
    fn relative_widths_split_the_frame() {
        let edges = column_edges(&[1.0, 3.0], Pt(10.0), Pt(100.0));
        assert_eq!(edges, [Pt(10.0), Pt(35.0), Pt(110.0)]);
    }
}
