//! Output: laid-out pages → PDF/A-2b with krilla.
//!
//! krilla subsets the fonts, writes ToUnicode maps (so the text can be searched and copied),
//! writes XMP metadata and validates PDF/A-2b itself: an export that would break the standard
//! fails with the reason instead of producing a file.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{Datelike, NaiveDateTime, Timelike};
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::geom::{PathBuilder, Point as KPoint};
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document as KDocument, SerializeSettings};

use crate::domain::Lang;
use crate::fonts::{FontBook, FontStyle};
use crate::layout::{Document, Item, Page};

/// Options of the PDF writer.
#[derive(Debug, Clone)]
pub struct PdfOptions {
    /// The document title written into the metadata.
    pub title: String,
    /// The document language written into the metadata.
    pub lang: Lang,
    /// Creation date written into the metadata; `None` writes none. Never the clock: take it
    /// from the data or from `SOURCE_DATE_EPOCH`, so that the same input gives the same bytes.
    pub creation_date: Option<NaiveDateTime>,
    /// Write PDF/A-2b (validated). On by default.
    pub archival: bool,
}

impl Default for PdfOptions {
    fn default() -> Self {
        PdfOptions { title: String::new(), lang: Lang::Kk, creation_date: None, archival: true }
    }
}

/// The PDF could not be written.
#[derive(Debug, thiserror::Error)]
#[error("failed to write the PDF ({0})")]
pub struct PdfError(String);

/// The bundled faces as krilla fonts, one set per thread that writes PDFs.
///
/// krilla clones a [`Font`] (an `Arc`) several times for every glyph it draws. Were one set
/// shared by the threads of a batch or of the service, each of those clones would move the
/// reference count's cache line from one core to the other: measured, a process with two
/// workers spent ~14 % more CPU per certificate than two processes with one worker each. A
/// set of each thread's own costs one parse and fingerprint of the faces (~1 ms) per thread.
fn fonts() -> [Font; 3] {
    thread_local! {
        static FONTS: [Font; 3] = if FIRST_TAKEN.swap(true, Ordering::Relaxed) {
            font_set()
        } else {
            // The first thread to draw takes the set made ahead of time (`load_fonts`),
            // waiting for it if it is still being made; nobody else uses that set.
            FIRST.get_or_init(font_set).clone()
        };
    }
    FONTS.with(|fonts| fonts.clone())
}

/// The set made ahead of time by [`load_fonts`], for the first thread that draws.
static FIRST: OnceLock<[Font; 3]> = OnceLock::new();
/// Whether a thread has taken [`FIRST`].
static FIRST_TAKEN: AtomicBool = AtomicBool::new(false);

fn font_set() -> [Font; 3] {
    let book = FontBook::get();
    FontStyle::ALL.map(|style| {
        let data: &'static [u8] = book.face(style).data;
        Font::new(data.into(), 0).expect("bundled font parses")
    })
}

/// Loads the bundled fonts (for shaping and for krilla) now rather than on first use. A
/// command that will write a PDF calls this on another thread while it reads and validates
/// its input: krilla fingerprints each font's 0.4 MB when it loads it. The krilla fonts made
/// here go to the first thread that draws; every other thread makes its own set.
pub fn load_fonts() {
    FontBook::get();
    FIRST.get_or_init(font_set);
}

/// Writes the document as PDF bytes.
pub fn write(document: &Document, options: &PdfOptions) -> Result<Vec<u8>, PdfError> {
    let mut settings = SerializeSettings::default();
    if options.archival {
        settings.configuration = ConfigurationBuilder::new()
            .with_archival_validator(Archival::A2_B)
            .finish()
            .map_err(|e| PdfError(format!("{e:?}")))?;
    }
    settings.enable_tagging = false;
    let mut pdf = KDocument::new_with(settings);
    let mut metadata = Metadata::new()
        .title(options.title.clone())
        .language(options.lang.tag().to_owned())
        .creator(format!("anyqtama {}", env!("CARGO_PKG_VERSION")))
        .producer(format!("anyqtama {} (krilla)", env!("CARGO_PKG_VERSION")));
    if let Some(date) = options.creation_date {
        metadata = metadata.creation_date(pdf_date(date));
    }
    pdf.set_metadata(metadata);
    for page in &document.pages {
        draw_page(&mut pdf, page)?;
    }
    pdf.finish().map_err(|e| PdfError(describe(&e)))
}

fn draw_page(pdf: &mut KDocument, page: &Page) -> Result<(), PdfError> {
    let settings = PageSettings::from_wh(page.size.width.0, page.size.height.0)
        .ok_or_else(|| PdfError(format!("invalid page size {:?}", page.size)))?;
    let mut kpage = pdf.start_page_with(settings);
    let mut surface = kpage.surface();
    draw_items(&mut surface, &page.items);
    surface.finish();
    kpage.finish();
    Ok(())
}

/// A line or a rectangle waiting to be stroked: the index of its stroke width's path, up to
/// four points, and whether the outline is closed.
type Segment = (usize, [(f32, f32); 4], bool);

/// Draws layout items onto a krilla surface (also used to stamp existing pages).
///
/// Text first, then every line and rectangle of one stroke width as a single path: rules,
/// underlines and table borders never cover text, and one path per width keeps the content
/// stream (and the time spent compressing it) small.
pub fn draw_items(surface: &mut Surface<'_>, items: &[Item]) {
    let fonts = fonts();
    let mut strokes: Vec<(f32, PathBuilder)> = Vec::new();
    let mut path_for = |width: f32| -> usize {
        match strokes.iter().position(|(w, _)| *w == width) {
            Some(i) => i,
            None => {
                strokes.push((width, PathBuilder::new()));
                strokes.len() - 1
            }
        }
    };
    // (index into `strokes`, corner points, closed): a line uses the first two points.
    let mut paths: Vec<Segment> = Vec::new();
    let mut squares = PathBuilder::new();
    surface.set_stroke(None);
    for item in items {
        match item {
            Item::Text(run) => {
                let size = run.size.0;
                let glyphs: Vec<KrillaGlyph> = run
                    .glyphs
                    .iter()
                    .map(|g| KrillaGlyph {
                        glyph_id: GlyphId::new(u32::from(g.id)),
                        text_range: g.text_range.clone(),
                        x_advance: g.x_advance.0 / size,
                        x_offset: g.x_offset.0 / size,
                        y_offset: g.y_offset.0 / size,
                        y_advance: 0.0,
                        location: None,
                    })
                    .collect();
                surface.draw_glyphs(
                    KPoint::from_xy(run.origin.x.0, run.origin.y.0),
                    &glyphs,
                    fonts[run.style as usize].clone(),
                    &run.text,
                    size,
                    false,
                );
            }
            Item::Line(line) => {
                let i = path_for(line.width.0);
                let (a, b) = ((line.from.x.0, line.from.y.0), (line.to.x.0, line.to.y.0));
                paths.push((i, [a, b, b, b], false));
            }
            Item::Rect(rect) => {
                let i = path_for(rect.stroke.0);
                let (x, y, w, h) = (rect.origin.x.0, rect.origin.y.0, rect.size.width.0, rect.size.height.0);
                paths.push((i, [(x, y), (x + w, y), (x + w, y + h), (x, y + h)], true));
            }
            Item::Qr(qr) => {
                for (p, side) in qr.squares() {
                    if let Some(rect) = krilla::geom::Rect::from_xywh(p.x.0, p.y.0, side.0, side.0) {
                        squares.push_rect(rect);
                    }
                }
            }
        }
    }
    // QR modules: one filled path of squares.
    if let Some(path) = squares.finish() {
        surface.set_fill(Some(krilla::paint::Fill::default()));
        surface.draw_path(&path);
    }
    for (i, points, closed) in paths {
        let pb = &mut strokes[i].1;
        pb.move_to(points[0].0, points[0].1);
        if closed {
            for (x, y) in &points[1..] {
                pb.line_to(*x, *y);
            }
            pb.close();
        } else {
            pb.line_to(points[1].0, points[1].1);
        }
    }
    if strokes.is_empty() {
        return;
    }
    surface.set_fill(None);
    for (width, pb) in strokes {
        if let Some(path) = pb.finish() {
            surface.set_stroke(Some(Stroke { width, ..Stroke::default() }));
            surface.draw_path(&path);
        }
    }
    surface.set_stroke(None);
    surface.set_fill(Some(krilla::paint::Fill::default()));
}

fn pdf_date(date: NaiveDateTime) -> DateTime {
    DateTime::new(date.year().clamp(0, 9999) as u16)
        .month(date.month() as u8)
        .day(date.day() as u8)
        .hour(date.hour() as u8)
        .minute(date.minute() as u8)
        .second(date.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

fn describe(error: &krilla::error::KrillaError) -> String {
    use krilla::configure::ValidationError;
    use krilla::error::KrillaError;
    match error {
        KrillaError::Validation(errors) => errors
            .iter()
            .map(|(e, _)| match e {
                ValidationError::ContainsNotDefGlyph(_, _, text) => {
                    format!("the font has no glyph for \"{text}\"")
                }
                other => format!("{other:?}"),
            })
            .collect::<Vec<_>>()
            .join("; "),
        other => format!("{other:?}"),
    }
}
