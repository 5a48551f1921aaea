//! Layout: sections of blocks → pages of positioned glyph runs, lines and rectangles.
//!
//! Layout measures text with the real font (shaped by rustybuzz), breaks lines greedily,
//! builds tables with repeated header rows (rows taller than a page split between lines of
//! their cells), and paginates in two steps: first the page bodies
//! (`flow`), then the footers with page numbers (`pages`). Paragraphs marked
//! `page_total` get the section's page count in their text; the section is laid out again
//! with it until the count no longer changes. It reserves the room of a visible signature
//! on the last page ([`SignatureSlot`], `slot`). It knows nothing of PDF: the
//! writers in [`crate::pdf`], [`crate::svg`] and [`crate::raster`] draw what it produces.

pub mod blocks;
mod flow;
pub mod geom;
mod pages;
mod slot;
mod table;
pub mod text;

use std::ops::Range;

pub use blocks::*;
pub use geom::{Margins, Mm, Point, Pt, Size};

use crate::diag::{FieldPath, SourcePos, StageResult};
use crate::domain::Lang;
use crate::fonts::FontStyle;

/// A laid-out document: pages, grouped into language sections.
#[derive(Debug, Clone)]
pub struct Document {
    /// The pages of every section, in order.
    pub pages: Vec<Page>,
    /// The language of each section and the index of its first page.
    pub sections: Vec<(Lang, usize)>,
    /// The title of the first section.
    pub title: String,
    /// The room reserved for a visible signature, on the last page; `None` when the last
    /// page has none (a page lower than [`SignatureSlot::MIN_PAGE_HEIGHT`], the stamp).
    pub signature_slot: Option<SignatureSlot>,
}

/// The room a visible signature may take: a rectangle on one page that nothing else is
/// drawn on. Layout puts it on the last page of the document, in the band under the page
/// body and the running footer (the electronic edition's equivalence statement, QR codes
/// and barcode note), left-aligned with the text, left of the page number; see
/// [`document_with`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SignatureSlot {
    /// The page, counted from 0 (an index into [`Document::pages`]).
    pub page: usize,
    /// The top-left corner, from the page's top-left corner, y downwards.
    pub origin: Point,
    /// Width and height.
    pub size: Size,
}

impl SignatureSlot {
    /// The slot's width: 70 mm, the width of the stamp of order 246.
    pub const WIDTH: Mm = Mm(70.0);
    /// The slot's height: 10 mm, two lines of a reader's signature text.
    pub const HEIGHT: Mm = Mm(10.0);
    /// Free space between the slot and what is above it (the body or the running footer).
    pub const GAP: Mm = Mm(2.0);
    /// Free space, at least, between the slot and the bottom edge of the page (as the
    /// signer's guess for other PDFs; beyond most printers' unprintable zone). With the gap,
    /// a bottom margin of 15 mm holds the slot, and every form of this program has one.
    pub const EDGE: Mm = Mm(3.0);
    /// Pages lower than this get no slot (the 35 mm stamp).
    pub const MIN_PAGE_HEIGHT: Mm = Mm(100.0);
}

impl Document {
    /// The text runs of each page, in drawing order (for tests of what went where).
    #[cfg(test)]
    pub(crate) fn page_texts(&self) -> Vec<Vec<String>> {
        self.pages
            .iter()
            .map(|p| {
                p.items
                    .iter()
                    .filter_map(|i| match i {
                        Item::Text(r) => Some(r.text.clone()),
                        _ => None,
                    })
                    .collect()
            })
            .collect()
    }

    /// The language of the first section.
    pub fn lang(&self) -> Lang {
        self.sections.first().map(|s| s.0).unwrap_or(Lang::Kk)
    }
}

/// One page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Page size.
    pub size: Size,
    /// What is drawn on it, in painting order.
    pub items: Vec<Item>,
}

/// Something drawn on a page.
#[derive(Debug, Clone)]
pub enum Item {
    /// A run of glyphs of one font and size on one baseline.
    Text(TextRun),
    /// A straight line.
    Line(Line),
    /// A rectangle outline.
    Rect(Rect),
    /// A QR code: filled squares.
    Qr(Qr),
}

/// A QR code laid out: dark modules as filled squares. The quiet zone (4 modules each
/// side) is room layout keeps free around `origin`..`origin + width × module`.
#[derive(Debug, Clone)]
pub struct Qr {
    /// Top-left corner of the first module.
    pub origin: Point,
    /// The side of one module.
    pub module: Pt,
    /// Modules per side.
    pub width: usize,
    /// `width × width` flags, row by row, `true` for dark.
    pub dark: Vec<bool>,
}

impl Qr {
    /// The dark modules as squares: top-left corner and side.
    pub fn squares(&self) -> impl Iterator<Item = (Point, Pt)> + '_ {
        self.dark.iter().enumerate().filter(|(_, d)| **d).map(|(i, _)| {
            let (row, col) = (i / self.width, i % self.width);
            let p = Point::new(
                self.origin.x + self.module * col as f32,
                self.origin.y + self.module * row as f32,
            );
            (p, self.module)
        })
    }
}

/// A straight stroked line.
#[derive(Debug, Clone, Copy)]
pub struct Line {
    /// Start.
    pub from: Point,
    /// End.
    pub to: Point,
    /// Stroke width.
    pub width: Pt,
}

/// A stroked rectangle.
#[derive(Debug, Clone, Copy)]
pub struct Rect {
    /// Top-left corner.
    pub origin: Point,
    /// Size.
    pub size: Size,
    /// Stroke width.
    pub stroke: Pt,
}

/// A shaped glyph, positioned relative to the previous one.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Glyph ID in the font.
    pub id: u16,
    /// Horizontal advance, in points.
    pub x_advance: Pt,
    /// Horizontal offset, in points.
    pub x_offset: Pt,
    /// Vertical offset (upwards), in points.
    pub y_offset: Pt,
    /// The bytes of [`TextRun::text`] this glyph stands for.
    pub text_range: Range<usize>,
}

/// Glyphs of one font and size on one baseline, with the text they stand for.
#[derive(Debug, Clone)]
pub struct TextRun {
    /// Start of the baseline.
    pub origin: Point,
    /// Face.
    pub style: FontStyle,
    /// Size.
    pub size: Pt,
    /// The text (what a reader copies from the PDF).
    pub text: String,
    /// The glyphs.
    pub glyphs: Vec<Glyph>,
}

impl TextRun {
    /// The run's advance width.
    pub fn width(&self) -> Pt {
        self.glyphs.iter().fold(Pt::ZERO, |w, g| w + g.x_advance)
    }
}

/// Where printed text comes from: layout asks it for the case field a piece of text it
/// cannot place (or print) belongs to, so that its diagnostics name that field.
pub trait Origins {
    /// The field whose printed value contains `text`, with its position in the case file
    /// when known; `None` when the text is the form's own wording.
    fn field_of(&self, text: &str) -> Option<(FieldPath, Option<SourcePos>)>;
}

/// No origins: every problem is about the document (a blank form, a test).
impl Origins for () {
    fn field_of(&self, _: &str) -> Option<(FieldPath, Option<SourcePos>)> {
        None
    }
}

/// Lays out sections, each starting on a new page with its own page numbers.
pub fn document(sections: &[Section], shaper: &text::Shaper) -> StageResult<Document> {
    document_with(sections, shaper, &())
}

/// Lays out sections like [`document`]. What cannot be placed is an error, never a
/// clipped page: a word wider than its column even after every break opportunity, a block
/// taller than a page that cannot be split, text that leaves a frame of fixed size, a
/// character the fonts lack. Each is reported about the case field `origins` finds for
/// its text.
pub fn document_with(
    sections: &[Section],
    shaper: &text::Shaper,
    origins: &dyn Origins,
) -> StageResult<Document> {
    let mut pages = Vec::new();
    let mut starts = Vec::new();
    let mut problems = Vec::new();
    // The last section keeps the signature's room under its bodies.
    let reserve = sections.last().and_then(slot::reserve);
    for (n, section) in sections.iter().enumerate() {
        let extra = if n + 1 == sections.len() { reserve.unwrap_or(Pt::ZERO) } else { Pt::ZERO };
        match flow::section(section, shaper, origins, extra)
            .and_then(|bodies| pages::with_totals(section, bodies, shaper, origins, extra))
        {
            Ok(bodies) => {
                starts.push((section.lang, pages.len()));
                let with_footers = pages::finalize(section, bodies, shaper);
                pages.extend(with_footers);
            }
            Err(mut diags) => problems.append(&mut diags),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let title = sections.first().map(|s| s.title.clone()).unwrap_or_default();
    let signature_slot = match (sections.last(), reserve) {
        (Some(section), Some(extra)) => slot::place(section, &pages, extra),
        _ => None,
    };
    Ok(Document { pages, sections: starts, title, signature_slot })
}
