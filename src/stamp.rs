//! The registration stamp of order 246 (appendix 3): the form `stamp`
//! (templates/forms/246-app3-stamp) laid out once and drawn as PDF, SVG or PNG. The command
//! line's `stamp` and the HTTP service's `POST /v1/stamp` both draw it here.

use crate::diag::Diagnostic;
use crate::domain::Lang;
use crate::fonts::FontBook;
use crate::form::Form;
use crate::layout::{Document, Item, Mm, Page, Pt};
use crate::pdf::{self, PdfOptions};
use crate::raster::{self, Background, RasterError, RasterOptions};
use crate::svg::{self, SvgOptions};
use crate::validate::Case;
use crate::{Engine, RenderOptions};

/// The form the stamp is.
pub const FORM: &str = "stamp";

/// The format to draw the stamp in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StampFormat {
    /// A PDF/A-2b page of the stamp's size.
    Pdf,
    /// An SVG image that needs no fonts.
    Svg,
    /// A PNG image.
    Png,
}

/// How to draw the stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StampOptions {
    /// PDF, SVG or PNG.
    pub format: StampFormat,
    /// Resolution of a PNG, 1 to [`raster::MAX_DPI`].
    pub dpi: u32,
    /// A white background for a PNG or SVG (otherwise transparent).
    pub white_background: bool,
}

impl Default for StampOptions {
    fn default() -> Self {
        StampOptions { format: StampFormat::Pdf, dpi: 300, white_background: false }
    }
}

/// Why the stamp could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum StampError {
    /// The template could not be filled or laid out.
    #[error("the stamp could not be laid out")]
    Layout(Vec<Diagnostic>),
    /// The text leaves the frame of the stamp (the data is too long).
    #[error(
        "the stamp's text does not fit in its frame of {width} × {height} mm: shorten the issuer or the number"
    )]
    Overflow {
        /// The frame's width in millimetres, as printed.
        width: String,
        /// The frame's height in millimetres, as printed.
        height: String,
    },
    /// The PNG could not be made.
    #[error(transparent)]
    Raster(#[from] RasterError),
    /// The PDF could not be written.
    #[error("{0}")]
    Pdf(String),
}

/// Lays out the stamp's impression (blank when `case` is `None`) in `lang` and draws it.
pub fn draw(
    engine: &Engine,
    form: &Form,
    case: Option<&Case>,
    lang: Lang,
    options: &StampOptions,
) -> Result<Vec<u8>, StampError> {
    // The impression alone, also for a blank stamp (`blank stamp` prints the appendix's page).
    let mut render = RenderOptions::default();
    render.template.flags.push("impression".into());
    let document = engine.layout(form, case, &[lang], &render).map_err(StampError::Layout)?;
    if let Some(page) = document.pages.iter().find(|p| !fits(p)) {
        return Err(StampError::Overflow { width: mm(page.size.width), height: mm(page.size.height) });
    }
    match options.format {
        StampFormat::Pdf => write_pdf(&document, form, case, lang),
        StampFormat::Svg => Ok(svg::write(
            &document.pages[0],
            &SvgOptions {
                description: form.spec.title.get(lang).to_owned(),
                lang,
                white_background: options.white_background,
            },
        )
        .into_bytes()),
        StampFormat::Png => Ok(raster::png(
            &document.pages[0],
            &RasterOptions {
                dpi: options.dpi,
                background: if options.white_background {
                    Background::White
                } else {
                    Background::Transparent
                },
                title: form.spec.title.get(lang).to_owned(),
            },
        )?),
    }
}

/// The language of a stamp: the one asked for, else the case's `language`, else the form's
/// first default.
pub fn language(form: &Form, case: Option<&Case>, asked: Option<Lang>) -> Lang {
    let from_case =
        case.and_then(|c| c.data.get("language")).and_then(|v| v.as_str()).and_then(Lang::from_code);
    asked.or(from_case).unwrap_or_else(|| form.spec.default_languages().first().copied().unwrap_or(Lang::Kk))
}

/// A length in whole millimetres or with one decimal: `70`, `3.5`.
fn mm(pt: Pt) -> String {
    let text = format!("{:.1}", Mm::from(pt).0);
    text.strip_suffix(".0").map(str::to_owned).unwrap_or(text)
}

/// Whether every line of text lies within the frame (the largest rectangle drawn), or within
/// the page when there is none: the stamp has one fixed size, and text pushed out of it
/// would be cut off or run over the border.
fn fits(page: &Page) -> bool {
    let (mut x0, mut y0, mut x1, mut y1) = (0.0, 0.0, page.size.width.0, page.size.height.0);
    let frame = page
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Rect(r) => Some(r),
            _ => None,
        })
        .max_by(|a, b| (a.size.width.0 * a.size.height.0).total_cmp(&(b.size.width.0 * b.size.height.0)));
    if let Some(r) = frame {
        let half = r.stroke.0 / 2.0;
        (x0, y0) = (r.origin.x.0 + half, r.origin.y.0 + half);
        (x1, y1) = (r.origin.x.0 + r.size.width.0 - half, r.origin.y.0 + r.size.height.0 - half);
    }
    let book = FontBook::get();
    page.items.iter().all(|item| match item {
        Item::Text(run) => {
            let face = book.face(run.style);
            let (x, y, size) = (run.origin.x.0, run.origin.y.0, run.size.0);
            let tolerance = 0.01;
            x >= x0 - tolerance
                && x + run.width().0 <= x1 + tolerance
                && y - face.ascender * size >= y0 - tolerance
                && y + face.descender * size <= y1 + tolerance
        }
        _ => true,
    })
}

/// The stamp as PDF/A-2b; its document date is the registration date.
fn write_pdf(
    document: &Document,
    form: &Form,
    case: Option<&Case>,
    lang: Lang,
) -> Result<Vec<u8>, StampError> {
    let date_field = form.spec.date_field.as_deref().unwrap_or("registered_on");
    let creation_date = case
        .and_then(|c| c.data.get(date_field))
        .and_then(|v| v.as_datetime())
        .or_else(crate::source_date_epoch)
        .or_else(|| {
            crate::domain::date::parse_date(&form.spec.source.date).ok().and_then(|d| d.and_hms_opt(0, 0, 0))
        });
    let options = PdfOptions { title: document.title.clone(), lang, creation_date, archival: true };
    pdf::write(document, &options).map_err(|e| StampError::Pdf(e.to_string()))
}
