//! The room of a visible signature (issue 11 §3): [`SignatureSlot::WIDTH`] ×
//! [`SignatureSlot::HEIGHT`] on the last page of the document, under the page body and the
//! running footer, left-aligned with the text.
//!
//! The slot sits in the bottom margin, [`SignatureSlot::GAP`] under the lowest thing the
//! page body or the running footer may hold, at least [`SignatureSlot::EDGE`] above the
//! bottom edge. The page number shares that band, right-aligned: the slot is left of it.
//! In the electronic edition the band is the last row of the footer, under the barcode
//! note; in the paper edition it is the bottom margin, left of the page number. A bottom
//! margin too low for the slot takes the rest from the body: every page of the last section
//! ends that much higher (like the running footer, whose height every body gives up).

use super::blocks::Section;
use super::geom::{Point, Pt, Size};
use super::{Item, Page, SignatureSlot};

/// The height the bodies of `section` give up so that the slot fits under them (zero when
/// the bottom margin holds it), or `None` when the page is too small for a slot.
pub(super) fn reserve(section: &Section) -> Option<Pt> {
    let page = section.page;
    let width = section.margins.left + Pt::from(SignatureSlot::WIDTH) + section.margins.right;
    if page.height < Pt::from(SignatureSlot::MIN_PAGE_HEIGHT) || page.width < width {
        return None;
    }
    let needed =
        Pt::from(SignatureSlot::GAP) + Pt::from(SignatureSlot::HEIGHT) + Pt::from(SignatureSlot::EDGE);
    Some((needed - section.margins.bottom).max(Pt::ZERO))
}

/// The slot on the last of `pages` (the last pages of `section`), whose bodies end
/// `reserve` above the bottom margin; `None` when something is drawn where it would go (a
/// page number long enough to reach it).
pub(super) fn place(section: &Section, pages: &[Page], reserve: Pt) -> Option<SignatureSlot> {
    let index = pages.len().checked_sub(1)?;
    let page = &pages[index];
    let top = section.page.height - section.margins.bottom - reserve + Pt::from(SignatureSlot::GAP);
    let slot = SignatureSlot {
        page: index,
        origin: Point::new(section.margins.left, top),
        size: Size { width: SignatureSlot::WIDTH.into(), height: SignatureSlot::HEIGHT.into() },
    };
    let clear = page.items.iter().all(|item| !overlaps(&slot, item));
    clear.then_some(slot)
}

/// Whether `item` (its extent: glyph runs from the ascender to the descender) comes within
/// [`SignatureSlot::GAP`] of the slot's sides or 1 pt of its top and bottom. (The gap above
/// it is kept by construction: it is under the line boxes of the body and the footer, and a
/// rule may end on their lower edge.)
fn overlaps(slot: &SignatureSlot, item: &Item) -> bool {
    let (gap, edge) = (Pt::from(SignatureSlot::GAP).0, 1.0);
    let (x0, y0) = (slot.origin.x.0 - gap, slot.origin.y.0 - edge);
    let (x1, y1) = (slot.origin.x.0 + slot.size.width.0 + gap, slot.origin.y.0 + slot.size.height.0 + edge);
    let [a0, b0, a1, b1] = extent(item);
    a0 < x1 && a1 > x0 && b0 < y1 && b1 > y0
}

/// Left, top, right, bottom of what `item` draws.
pub(super) fn extent(item: &Item) -> [f32; 4] {
    match item {
        Item::Text(run) => {
            let (x, y, size) = (run.origin.x.0, run.origin.y.0, run.size.0);
            [x, y - size, x + run.width().0, y + size * 0.25]
        }
        Item::Line(l) => {
            let w = l.width.0 / 2.0;
            [
                l.from.x.0.min(l.to.x.0) - w,
                l.from.y.0.min(l.to.y.0) - w,
                l.from.x.0.max(l.to.x.0) + w,
                l.from.y.0.max(l.to.y.0) + w,
            ]
        }
        Item::Rect(r) => {
            let w = r.stroke.0 / 2.0;
            [
                r.origin.x.0 - w,
                r.origin.y.0 - w,
                r.origin.x.0 + r.size.width.0 + w,
                r.origin.y.0 + r.size.height.0 + w,
            ]
        }
        Item::Qr(q) => {
            // With the quiet zone of 4 modules each side.
            let quiet = q.module.0 * 4.0;
            let side = q.module.0 * q.width as f32;
            [
                q.origin.x.0 - quiet,
                q.origin.y.0 - quiet,
                q.origin.x.0 + side + quiet,
                q.origin.y.0 + side + quiet,
            ]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;
    use crate::fonts::FontStyle;
    use crate::layout::text::Shaper;
    use crate::layout::{Block, Inline, Margins, Mm, Paragraph};

    fn section(bottom: Mm, lines: usize, footer: bool) -> Section {
        let para = |text: String| {
            Block::Paragraph(Paragraph {
                inlines: vec![Inline::Text(text, FontStyle::Regular)],
                ..Paragraph::default()
            })
        };
        let mut blocks: Vec<Block> = (0..lines).map(|i| para(format!("жол {i}"))).collect();
        if footer {
            blocks.push(Block::Footer(vec![para("Осы құжат қағаз тасығыштағы құжатпен бірдей.".into())]));
        }
        Section {
            lang: Lang::Kk,
            title: String::new(),
            page: Size::a4(),
            margins: Margins {
                top: Mm(15.0).into(),
                right: Mm(10.0).into(),
                bottom: bottom.into(),
                left: Mm(25.0).into(),
            },
            font_size: Pt(11.0),
            footer: Some("{total} беттің {page}-беті".into()),
            blocks,
        }
    }

    fn lowest_body_item(page: &Page, slot: &SignatureSlot) -> f32 {
        page.items
            .iter()
            .map(extent)
            .filter(|e| e[1] < slot.origin.y.0)
            .map(|e| e[3])
            .fold(f32::MIN, f32::max)
    }

    #[test]
    fn the_slot_is_on_the_last_page_under_the_body_and_footer() {
        let shaper = Shaper::new();
        let doc = crate::layout::document(&[section(Mm(18.0), 150, true)], &shaper).expect("laid out");
        assert!(doc.pages.len() >= 3, "{} pages", doc.pages.len());
        let slot = doc.signature_slot.expect("a slot");
        assert_eq!(slot.page, doc.pages.len() - 1);
        let page = Size::a4();
        // 70 × 10 mm, at the left margin, 2 mm under the 18 mm margin's top.
        assert!((Mm::from(slot.size.width).0 - 70.0).abs() < 0.01);
        assert!((Mm::from(slot.size.height).0 - 10.0).abs() < 0.01);
        assert!((Mm::from(slot.origin.x).0 - 25.0).abs() < 0.01);
        assert!((Mm::from(page.height - slot.origin.y).0 - 16.0).abs() < 0.01);
        // Nothing drawn on the last page comes within the gap of it, and the footer is above.
        for item in &doc.pages[slot.page].items {
            assert!(!overlaps(&slot, item), "{item:?}");
        }
        assert!(lowest_body_item(&doc.pages[slot.page], &slot) <= slot.origin.y.0 - Pt::from(Mm(2.0)).0);
    }

    #[test]
    fn a_low_bottom_margin_takes_the_slots_room_from_every_body() {
        let shaper = Shaper::new();
        let roomy = crate::layout::document(&[section(Mm(15.0), 150, true)], &shaper).expect("laid out");
        let low = crate::layout::document(&[section(Mm(10.0), 150, true)], &shaper).expect("laid out");
        let slot = low.signature_slot.expect("a slot");
        // 2 + 10 + 3 mm under the body, which ends 5 mm above the 10 mm margin.
        assert!((Mm::from(Size::a4().height - slot.origin.y).0 - 13.0).abs() < 0.01);
        assert!(!low.pages[slot.page].items.iter().any(|i| overlaps(&slot, i)));
        // The same bodies as with a 15 mm margin, which holds the slot.
        assert_eq!(low.pages.len(), roomy.pages.len());
        assert_eq!(low.page_texts(), roomy.page_texts());
    }

    #[test]
    fn a_small_page_has_no_slot() {
        let mut s = section(Mm(0.0), 1, false);
        s.page = Size { width: Mm(70.0).into(), height: Mm(35.0).into() };
        s.margins = Margins::default();
        s.footer = None;
        let doc = crate::layout::document(&[s], &Shaper::new()).expect("laid out");
        assert_eq!(doc.signature_slot, None);
    }
}
