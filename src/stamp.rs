//! The registration stamp of order 246 (appendix 3): the form `stamp`
//! (templates/forms/246-app3-stamp) laid out once and drawn as PDF, SVG or PNG. The command
//! line's `stamp` and the HTTP service's `POST /v1/stamp` both draw it here.

use crate::diag::Diagnostic;
use crate::domain::Lang;
use crate::form::Form;
use crate::layout::Document;
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
    /// The template could not be filled, or the text does not fit in the stamp's frame
    /// (layout's diagnostics, naming the field).
    #[error("the stamp could not be laid out")]
    Layout(Vec<Diagnostic>),
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
