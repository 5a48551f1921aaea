//! One entry point for every output: [`Engine::render`] prints a validated case (and
//! [`Engine::render_blank`] an empty form) as the [`Output`] says: the whole document as PDF,
//! one page or every page as PNG or SVG, or the registration stamp (PDF, SVG or PNG),
//! optionally placed onto a page of an existing PDF.
//!
//! The rules of what is printed live here, not in the command line or the service: the
//! languages (those asked for, else the case's `language`, else the form's), the stamp's
//! language and document date, the range of resolutions, the pages that exist.
//!
//! ```
//! use anyqtama::render::{Output, StampOptions};
//! use anyqtama::Engine;
//!
//! let engine = Engine::new(None).expect("the compiled-in templates load");
//! let stamp = engine.render_blank("stamp", &Output::stamp(StampOptions::default())).expect("draws");
//! assert!(stamp.bytes().starts_with(b"%PDF"));
//! ```

use crate::diag::Diagnostic;
use crate::domain::Lang;
use crate::form::Form;
use crate::layout::Mm;
use crate::onto::{self, OntoError, Placement};
use crate::raster::{self, Background, RasterError, RasterOptions};
use crate::sign::SlotRect;
use crate::stamp::{self, StampError};
pub use crate::stamp::{StampFormat, StampOptions};
use crate::svg::{self, SvgOptions};
use crate::template::{Electronic, TemplateOptions};
use crate::validate::Case;
use crate::{Engine, RenderOptions};

/// What to make of a case or a blank form.
#[derive(Debug, Clone)]
pub struct Output {
    /// The languages, in order (each starts on a new page); `None`: the case's `language`
    /// when it names one, else the form's defaults. A stamp is drawn in the first.
    pub langs: Option<Vec<Lang>>,
    /// The format.
    pub format: OutputFormat,
    /// Template switches (`corrected_numbering`) and the electronic edition.
    pub template: TemplateOptions,
}

/// The format of an [`Output`].
#[derive(Debug, Clone)]
pub enum OutputFormat {
    /// The whole document as PDF.
    Pdf {
        /// PDF/A-2b (the default; off only for experiments).
        archival: bool,
    },
    /// Page previews as PNG.
    Png {
        /// The page, counted from 1; `None`: every page.
        page: Option<usize>,
        /// Resolution, 1 to [`raster::MAX_DPI`] dots per inch.
        dpi: u32,
    },
    /// Page previews as SVG.
    Svg {
        /// The page, counted from 1; `None`: every page.
        page: Option<usize>,
    },
    /// The registration stamp of order 246 (the form [`stamp::FORM`]).
    Stamp {
        /// PDF, SVG or PNG, resolution and background.
        options: StampOptions,
        /// Place the stamp on a page of this PDF and give back the stamped copy.
        onto: Option<Onto>,
    },
}

/// An existing PDF to place a stamp on, and where.
#[derive(Debug, Clone)]
pub struct Onto {
    /// The PDF's bytes.
    pub pdf: Vec<u8>,
    /// The page and the stamp's top-left corner on it.
    pub placement: Placement,
}

impl Onto {
    /// The stamp on `page` (counted from 1), its top-left corner `x` mm from the left edge and
    /// `y` mm from the top edge of the page as displayed.
    pub fn new(pdf: Vec<u8>, page: u32, x: f32, y: f32) -> Onto {
        Onto { pdf, placement: Placement { page, x: Mm(x), y: Mm(y) } }
    }
}

/// Resolution of PNG previews unless another is asked for.
pub const PREVIEW_DPI: u32 = 150;

impl Output {
    fn with(format: OutputFormat) -> Output {
        Output { langs: None, format, template: TemplateOptions::default() }
    }

    /// The whole document as PDF/A-2b.
    pub fn pdf() -> Output {
        Output::with(OutputFormat::Pdf { archival: true })
    }

    /// Page `page` (counted from 1; `None`: every page) as PNG at `dpi`.
    pub fn png(page: Option<usize>, dpi: u32) -> Output {
        Output::with(OutputFormat::Png { page, dpi })
    }

    /// Page `page` (counted from 1; `None`: every page) as SVG.
    pub fn svg(page: Option<usize>) -> Output {
        Output::with(OutputFormat::Svg { page })
    }

    /// The registration stamp.
    pub fn stamp(options: StampOptions) -> Output {
        Output::with(OutputFormat::Stamp { options, onto: None })
    }

    /// The same output in these languages.
    pub fn langs(mut self, langs: Vec<Lang>) -> Output {
        self.langs = Some(langs);
        self
    }

    /// The same output as the electronic edition (eGov header; on every page the equivalence
    /// statement, the QR codes of the document's data and the barcode note).
    pub fn electronic(mut self, electronic: Electronic) -> Output {
        self.template.electronic = Some(electronic);
        self
    }

    /// The same output with a template switch on (`corrected_numbering`).
    pub fn flag(mut self, flag: &str) -> Output {
        self.template.flags.push(flag.to_owned());
        self
    }

    /// The media type of what is made: `application/pdf`, `image/png` or `image/svg+xml`.
    pub fn media_type(&self) -> &'static str {
        match &self.format {
            OutputFormat::Pdf { .. } => "application/pdf",
            OutputFormat::Png { .. } => "image/png",
            OutputFormat::Svg { .. } => "image/svg+xml",
            OutputFormat::Stamp { options, onto } => match (options.format, onto) {
                (StampFormat::Pdf, _) | (_, Some(_)) => "application/pdf",
                (StampFormat::Svg, None) => "image/svg+xml",
                (StampFormat::Png, None) => "image/png",
            },
        }
    }

    /// Checks what can be checked before any case is read: the resolution, the page number,
    /// and that a stamp placed onto a PDF is drawn as PDF.
    pub fn check(&self) -> Result<(), RenderError> {
        let dpi = match &self.format {
            OutputFormat::Png { dpi, .. } => Some(*dpi),
            OutputFormat::Stamp { options, .. } if options.format == StampFormat::Png => Some(options.dpi),
            _ => None,
        };
        if let Some(dpi) = dpi
            && (dpi == 0 || dpi > raster::MAX_DPI)
        {
            return Err(RenderError::Raster(RasterError::Dpi(dpi)));
        }
        match &self.format {
            OutputFormat::Png { page: Some(0), .. } | OutputFormat::Svg { page: Some(0) } => {
                Err(RenderError::PageZero)
            }
            OutputFormat::Stamp { options, onto: Some(_) } if options.format != StampFormat::Pdf => {
                Err(RenderError::OntoNeedsPdf)
            }
            _ => Ok(()),
        }
    }
}

/// What [`Engine::render`] made.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// `application/pdf`, `image/png` or `image/svg+xml`.
    pub media_type: &'static str,
    /// The document; for previews of every page, one image per page in order.
    pub files: Vec<Vec<u8>>,
    /// The languages printed, in order.
    pub langs: Vec<Lang>,
    /// For a document printed as PDF: the room layout reserved for a visible signature
    /// (see [`crate::layout::SignatureSlot`]), for [`crate::sign::Visible::Slot`]. Its page
    /// is counted from 0 (the last page); its rectangle is in PDF points from the page's
    /// bottom-left corner. `None` for images, stamps, and pages too small for it.
    pub signature_slot: Option<SlotRect>,
}

impl Rendered {
    /// The first (for all but previews of every page, the only) file.
    pub fn bytes(&self) -> &[u8] {
        self.files.first().map_or(&[], Vec::as_slice)
    }

    /// The first (for all but previews of every page, the only) file.
    pub fn into_bytes(self) -> Vec<u8> {
        self.files.into_iter().next().unwrap_or_default()
    }
}

/// Why an output could not be made.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The templates could not be filled, or a value cannot be placed on the page: the
    /// diagnostics name the field. Those of [`crate::diag::Origin::Templates`] are the
    /// templates' problems, not the case's.
    #[error("the document could not be laid out")]
    Layout(Vec<Diagnostic>),
    /// A language the form is not printed in.
    #[error("{0}")]
    Language(String),
    /// The page 0 (pages are counted from 1).
    #[error("pages are counted from 1")]
    PageZero,
    /// A page the document does not have.
    #[error("page {page} does not exist (the document has {count})")]
    NoSuchPage {
        /// The page asked for.
        page: usize,
        /// Pages in the document.
        count: usize,
    },
    /// A stamp asked of another form, or a stamp's format of a form that is not the stamp.
    #[error("the form {0} is not the stamp (stamp)")]
    NotTheStamp(String),
    /// A stamp placed onto a PDF must itself be drawn as PDF.
    #[error("a stamp placed onto a PDF is drawn as PDF, not as an image")]
    OntoNeedsPdf,
    /// The resolution is out of range, or the image could not be made.
    #[error(transparent)]
    Raster(#[from] RasterError),
    /// The existing PDF cannot be stamped there.
    #[error(transparent)]
    Onto(#[from] OntoError),
    /// The PDF writer failed.
    #[error("{0}")]
    Pdf(String),
}

impl RenderError {
    /// Whether the problem is the input's (the case, or what was asked of it), not a defect
    /// or a problem of the templates.
    pub fn is_invalid_input(&self) -> bool {
        match self {
            RenderError::Layout(diagnostics) => {
                !diagnostics.iter().any(|d| d.origin == crate::diag::Origin::Templates)
            }
            RenderError::Pdf(_) => false,
            RenderError::Raster(e) => matches!(e, RasterError::Dpi(_)),
            RenderError::Onto(e) => !matches!(e, OntoError::Stamp(_) | OntoError::Write(_)),
            _ => true,
        }
    }
}

impl From<StampError> for RenderError {
    fn from(e: StampError) -> RenderError {
        match e {
            StampError::Layout(diagnostics) => RenderError::Layout(diagnostics),
            StampError::Raster(e) => RenderError::Raster(e),
            StampError::Pdf(e) => RenderError::Pdf(e),
        }
    }
}

impl Engine {
    /// Prints a validated case as `output` says.
    pub fn render(&self, case: &Case, output: &Output) -> Result<Rendered, RenderError> {
        let form = self.form(&case.form).map_err(|d| RenderError::Layout(vec![d]))?;
        self.render_form(form, Some(case), output)
    }

    /// Prints the empty form `form_id` as `output` says (a blank stamp for [`stamp::FORM`]).
    pub fn render_blank(&self, form_id: &str, output: &Output) -> Result<Rendered, RenderError> {
        let form = self.form(form_id).map_err(|d| RenderError::Layout(vec![d]))?;
        self.render_form(form, None, output)
    }

    /// Prints `form`, filled from `case` or blank.
    pub fn render_form(
        &self,
        form: &Form,
        case: Option<&Case>,
        output: &Output,
    ) -> Result<Rendered, RenderError> {
        output.check()?;
        let media_type = output.media_type();
        let options = RenderOptions {
            template: output.template.clone(),
            no_archival: matches!(output.format, OutputFormat::Pdf { archival: false }),
        };
        if let OutputFormat::Stamp { options: stamp_options, onto } = &output.format {
            if form.spec.id != stamp::FORM {
                return Err(RenderError::NotTheStamp(form.spec.id.clone()));
            }
            let asked = output.langs.as_ref().and_then(|l| l.first().copied());
            let lang = stamp::language(form, case, asked);
            self.languages(form, None, Some(vec![lang])).map_err(RenderError::Language)?;
            let bytes = stamp::draw(self, form, case, lang, stamp_options)?;
            let bytes = match onto {
                None => bytes,
                Some(onto) => onto::place(&onto.pdf, &bytes, onto.placement)?,
            };
            return Ok(Rendered { media_type, files: vec![bytes], langs: vec![lang], signature_slot: None });
        }
        let langs = self.languages(form, case, output.langs.clone()).map_err(RenderError::Language)?;
        let document = self.layout(form, case, &langs, &options).map_err(RenderError::Layout)?;
        if let OutputFormat::Pdf { archival } = output.format {
            let bytes = crate::write_pdf(form, case, &document, archival).map_err(RenderError::Layout)?;
            let signature_slot = document.signature_slot.map(|slot| slot_rect(&document, slot));
            return Ok(Rendered { media_type, files: vec![bytes], langs, signature_slot });
        }
        let count = document.pages.len();
        let page = match output.format {
            OutputFormat::Png { page, .. } | OutputFormat::Svg { page } => page,
            _ => None,
        };
        let pages = match page {
            None => &document.pages[..],
            Some(page) => match document.pages.get(page - 1) {
                Some(one) => std::slice::from_ref(one),
                None => return Err(RenderError::NoSuchPage { page, count }),
            },
        };
        let mut files = Vec::with_capacity(pages.len());
        for page in pages {
            files.push(match output.format {
                OutputFormat::Png { dpi, .. } => raster::png(
                    page,
                    &RasterOptions { dpi, background: Background::White, title: document.title.clone() },
                )?,
                _ => svg::write(
                    page,
                    &SvgOptions {
                        description: document.title.clone(),
                        lang: document.lang(),
                        white_background: true,
                    },
                )
                .into_bytes(),
            });
        }
        Ok(Rendered { media_type, files, langs, signature_slot: None })
    }
}

/// A layout slot (from the top-left corner, y downwards) in PDF points from the bottom-left
/// corner of its page.
fn slot_rect(document: &crate::layout::Document, slot: crate::layout::SignatureSlot) -> SlotRect {
    let height = document.pages[slot.page].size.height.0;
    let (left, top) = (slot.origin.x.0, height - slot.origin.y.0);
    SlotRect { page: slot.page, rect: [left, top - slot.size.height.0, left + slot.size.width.0, top] }
}
