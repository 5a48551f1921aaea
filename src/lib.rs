//! Anyqtama (Kazakh *анықтама*, "certificate"): official Kazakhstan certificates and
//! registration documents as PDF, in Kazakh and Russian.
//!
//! The pipeline runs in one direction, one module per stage:
//!
//! 1. [`input`]: YAML or JSON text → a [`input::Node`] tree that keeps line:column;
//! 2. [`validate`]: the tree + the form's schema ([`form`]) → a typed [`validate::Case`],
//!    or every problem with its field path and position ([`diag`]);
//! 3. [`template`]: the case + the form's Tera template → layout blocks per language;
//! 4. [`layout`]: blocks → pages of positioned glyph runs, lines and rectangles, measured
//!    with the bundled fonts ([`fonts`]); it knows nothing of PDF;
//! 5. output: [`pdf`] writes PDF/A-2b with krilla; [`output`] writes files atomically.
//!
//! [`Engine`] holds what is loaded once per process (templates, fonts, the shaping cache) and
//! runs the stages.
//!
//! A program renders a case it holds as data: [`Engine::load_value`] reads and validates a
//! `serde_json::Value` (no text in between), [`Engine::render`] prints it as a
//! [`render::Output`] says (PDF, PNG or SVG pages, the stamp, onto an existing PDF):
//!
//! ```
//! use anyqtama::domain::Lang;
//! use anyqtama::render::Output;
//! use anyqtama::validate::ValidateOptions;
//! use anyqtama::Engine;
//!
//! // Once per process: the forms, templates and fonts.
//! let engine = Engine::new(None).expect("the compiled-in templates load");
//! let mut case = serde_json::json!({
//!     "form": "rights-certificate",
//!     "branch": {
//!         "kk": "\"Азаматтарға арналған үкімет\" мемлекеттік корпорациясы\" КЕ АҚ Астана қаласы бойынша филиалы",
//!         "ru": "Филиал НАО «Государственная корпорация «Правительство для граждан»» по городу Астана"
//!     },
//!     "number": "2021-0714-00452",
//!     "issued_at": "2021-07-20T10:32:15",
//!     "holder": {
//!         "kind": "individual",
//!         "full_name": "ӘБІЛҚАСЫМОВА ГҮЛНҰР ҚАЙРАТҚЫЗЫ",
//!         "birth_year": 1988,
//!         "iin": "880412401551"
//!     },
//!     "objects": [{
//!         "kind": "flat",
//!         "cadastral_number": "21-320-105-078:15",
//!         "purpose": {"kk": "Тұрғын үй-жай", "ru": "Жилое помещение"},
//!         "address": {
//!             "kk": "Астана қ., Есіл ауданы, Қабанбай батыр даңғылы, 11-үй, 45-пәтер",
//!             "ru": "г. Астана, район Есиль, проспект Кабанбай батыра, дом 11, кв. 45"
//!         },
//!         "address_code": "0203400012345678",
//!         "floors": "12/4",
//!         // An exact decimal is best given as a string: a JSON number is an f64.
//!         "total_area": "72.40",
//!         "main_area": "41.15",
//!         "rights": [{
//!             "kind": "ownership",
//!             "content": {
//!                 "kk": "Иелену, пайдалану және билік ету",
//!                 "ru": "Владение, пользование и распоряжение"
//!             },
//!             "holder": "ӘБІЛҚАСЫМОВА ГҮЛНҰР ҚАЙРАТҚЫЗЫ",
//!             "holder_iin": "880412401551",
//!             "basis": {
//!                 "kk": "2019 жылғы 3 сәуірдегі № 1-2/345 сатып алу-сату шарты",
//!                 "ru": "Договор купли-продажи от 3 апреля 2019 года № 1-2/345"
//!             },
//!             "registered_at": "2019-04-05T11:20:00"
//!         }]
//!     }],
//!     "executor": "Серікбаева А. М.",
//!     "department_head": "Жұмабеков Е. Т.",
//!     "head": "Оспанов Д. К."
//! });
//!
//! let loaded = engine.load_value(&case, "request 17", None, ValidateOptions::default());
//! assert!(loaded.diagnostics.iter().all(|d| !d.is_error()), "{:?}", loaded.diagnostics);
//! let valid = loaded.case.expect("the case is valid");
//! let pdf = engine.render(&valid, &Output::pdf().langs(vec![Lang::Kk, Lang::Ru])).expect("renders");
//! assert_eq!(pdf.media_type, "application/pdf");
//! assert!(pdf.bytes().starts_with(b"%PDF-"));
//!
//! // A problem names the data's origin and the field; there is no line to point at.
//! case["holder"]["iin"] = "88041240155".into();
//! let loaded = engine.load_value(&case, "request 17", None, ValidateOptions::default());
//! assert!(loaded.case.is_none());
//! let first = loaded.diagnostics[0].to_string();
//! assert!(first.starts_with("error: request 17: holder.iin: "), "{first}");
//! ```
#![warn(missing_docs)]

pub mod batch;
pub mod diag;
pub mod domain;
pub mod fonts;
pub mod form;
pub mod input;
pub mod layout;
pub mod messages;
pub mod onto;
mod origins;
pub mod output;
pub mod pdf;
pub mod qr;
pub mod raster;
#[cfg(feature = "register")]
pub mod register;
pub mod render;
#[cfg(feature = "service")]
pub mod service;
pub mod sign;
pub mod stamp;
pub mod svg;
pub mod template;
pub mod validate;

use std::path::Path;

use chrono::NaiveDateTime;

use diag::{Diagnostic, FieldPath, StageResult};
use domain::Lang;
use form::{Catalog, Form};
use input::{Format, Node};
use layout::text::Shaper;
use template::TemplateOptions;
use validate::{Case, ValidateOptions};

/// Everything loaded once per process: the forms and templates, the fonts and the shaping
/// cache.
pub struct Engine {
    /// Forms, dictionaries and parsed templates.
    pub catalog: Catalog,
    /// Text shaper over the bundled fonts.
    pub shaper: Shaper,
}

/// A case file read and validated.
#[derive(Debug)]
pub struct Loaded {
    /// The form the case is for, when it could be determined.
    pub form: Option<String>,
    /// The case, when it is valid.
    pub case: Option<Case>,
    /// Errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
}

/// Options of rendering.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Switches for the templates.
    pub template: TemplateOptions,
    /// Write PDF/A-2b (on unless turned off for experiments).
    pub no_archival: bool,
}

impl Engine {
    /// The engine with the compiled-in templates, or with those in `templates`.
    pub fn new(templates: Option<&Path>) -> StageResult<Engine> {
        let catalog = match templates {
            Some(dir) => Catalog::from_dir(dir)?,
            None => Catalog::embedded()?,
        };
        Ok(Engine { catalog, shaper: Shaper::new() })
    }

    /// Parses and validates case data. `file` is the name used in messages; `form_id`
    /// overrides the form named by the file's `form:` key.
    pub fn load(&self, file: &str, text: &str, form_id: Option<&str>, options: ValidateOptions) -> Loaded {
        self.load_then(file, text, form_id, options, |_| {})
    }

    /// [`Engine::load`] for a case given as a value, not text ([`input::load_value`]):
    /// `origin` names it in messages (`request`, `register entry 12`); `form_id` overrides
    /// the form named by its `form` key.
    pub fn load_value(
        &self,
        value: &serde_json::Value,
        origin: &str,
        form_id: Option<&str>,
        options: ValidateOptions,
    ) -> Loaded {
        self.load_tree(input::load_value(value, origin), form_id, options, |_| {})
    }

    /// [`Engine::load`], calling `form_known` with the form as soon as it is known, before
    /// the case is validated (the command line starts [`Engine::prepare`] there, on another
    /// thread).
    pub fn load_then<'a>(
        &'a self,
        file: &str,
        text: &str,
        form_id: Option<&str>,
        options: ValidateOptions,
        form_known: impl FnOnce(&'a Form),
    ) -> Loaded {
        let format = Format::from_path(file);
        self.load_tree(input::parse(file, text, format), form_id, options, form_known)
    }

    /// [`Engine::load_then`] for a tree already parsed (or the problems of parsing it): a line
    /// of a JSON Lines file ([`input::parse_json_line`]).
    pub fn load_tree<'a>(
        &'a self,
        parsed: StageResult<Node>,
        form_id: Option<&str>,
        options: ValidateOptions,
        form_known: impl FnOnce(&'a Form),
    ) -> Loaded {
        let node = match parsed {
            Ok(node) => node,
            Err(diagnostics) => return Loaded { form: None, case: None, diagnostics },
        };
        let form = match self.choose_form(&node, form_id) {
            Ok(form) => form,
            Err(d) => return Loaded { form: None, case: None, diagnostics: vec![d] },
        };
        form_known(form);
        self.validated(node, form, options)
    }

    /// Validates a parsed case against its form; a valid case keeps its tree, so that layout
    /// can name the field (and its line) of a value it cannot place.
    fn validated(&self, node: Node, form: &Form, options: ValidateOptions) -> Loaded {
        let validated = validate::case(&node, form, &self.catalog.codes, options);
        let case = validated.case.map(|case| Case { source: Some(std::sync::Arc::new(node)), ..case });
        Loaded { form: Some(form.spec.id.clone()), case, diagnostics: validated.diagnostics }
    }

    /// [`Engine::load`] for a command that prints one form (`stamp`): the file must name
    /// `form_id` in its `form:` key, as `validate` would read it.
    pub fn load_as(&self, file: &str, text: &str, form_id: &str, options: ValidateOptions) -> Loaded {
        let failed = |d: Diagnostic| Loaded { form: None, case: None, diagnostics: vec![d] };
        let node = match input::parse(file, text, Format::from_path(file)) {
            Ok(node) => node,
            Err(diagnostics) => return Loaded { form: None, case: None, diagnostics },
        };
        let Some(key) = node.get("form") else {
            return failed(
                Diagnostic::error(FieldPath::root(), Some(node.pos.clone()), "the case names no form")
                    .with_code("form.missing")
                    .with_hint(format!("add a line `form: {form_id}`")),
            );
        };
        let form = match self.choose_form(&node, None) {
            Ok(form) if form.spec.id == form_id => form,
            Ok(form) => {
                return failed(
                    Diagnostic::error(
                        FieldPath::root().key("form"),
                        Some(key.pos.clone()),
                        format!("the case is for the form \"{}\", not \"{form_id}\"", form.spec.id),
                    )
                    .with_code("form.mismatch"),
                );
            }
            Err(d) => return failed(d),
        };
        self.validated(node, form, options)
    }

    /// Does ahead of time what printing `form` in `langs` needs first: reads the form's
    /// wording and templates, and shapes the words of its wording. Rendering does the same
    /// on its own when this was not called; a command-line run calls it on a second thread
    /// while it validates the case.
    pub fn prepare(&self, form: &Form, langs: &[Lang]) {
        let Ok(prepared) = form.prepared() else { return };
        for texts in prepared.texts.values() {
            for &lang in langs {
                self.shaper.warm(texts.get(lang));
            }
        }
    }

    fn choose_form(&self, node: &Node, form_id: Option<&str>) -> Result<&Form, Diagnostic> {
        let key = node.get("form");
        let (id, pos) = match (form_id, key) {
            (Some(id), None) => (id.to_owned(), None),
            (Some(id), Some(k)) if k.as_str().is_some() => (id.to_owned(), None),
            (_, Some(k)) => match k.as_str() {
                Some(id) => (id.to_owned(), Some(k.pos.clone())),
                None => {
                    return Err(Diagnostic::error(
                        FieldPath::root().key("form"),
                        Some(k.pos.clone()),
                        format!("expected a form name, got {}", k.kind_name()),
                    ));
                }
            },
            (None, None) => {
                return Err(Diagnostic::error(
                    FieldPath::root(),
                    Some(node.pos.clone()),
                    "the case names no form",
                )
                .with_code("form.missing")
                .with_hint(format!("add a line `form: NAME`; forms: {}", self.catalog.form_ids())));
            }
        };
        if let (Some(given), Some(k)) = (form_id, key)
            && let Some(in_file) = k.as_str()
            && in_file != given
        {
            return Err(Diagnostic::error(
                FieldPath::root().key("form"),
                Some(k.pos.clone()),
                format!("the case is for the form \"{in_file}\", not \"{given}\""),
            )
            .with_code("form.mismatch"));
        }
        // An unknown form is an error about the case's `form:` key, at its position; a
        // control character in its name is shown as `<U+0007>`.
        self.catalog.form(&id).map_err(|d| match pos {
            Some(_) if d.message.starts_with("unknown form") => {
                let message = d.message.replace(&format!("\"{id}\""), &diag::quoted(&id));
                Diagnostic { path: FieldPath::root().key("form"), pos, message, ..d }
            }
            _ => d,
        })
    }

    /// The form with this identifier, or an error listing the known ones.
    pub fn form(&self, id: &str) -> Result<&Form, Diagnostic> {
        self.catalog.form(id)
    }

    /// The languages to print `form` in: those `asked` for, else the case's `language` (one
    /// language per document) when it names one, else the form's defaults. Errors when the
    /// form is not printed in one of them.
    pub fn languages(
        &self,
        form: &Form,
        case: Option<&Case>,
        asked: Option<Vec<Lang>>,
    ) -> Result<Vec<Lang>, String> {
        let langs = asked.unwrap_or_else(|| {
            case.and_then(|c| c.data.get("language"))
                .and_then(|v| v.as_str())
                .and_then(Lang::from_code)
                .map_or_else(|| form.spec.default_languages(), |lang| vec![lang])
        });
        let supported = form.spec.languages();
        if let Some(lang) = langs.iter().find(|l| !supported.contains(l)) {
            let list: Vec<&str> = supported.iter().map(|l| l.code()).collect();
            return Err(format!(
                "the form {} is not printed in {lang} (languages: {})",
                form.spec.id,
                list.join(", ")
            ));
        }
        Ok(langs)
    }

    /// Lays out a form (filled from `case`, or blank) in the given languages, each language
    /// starting on a new page.
    pub fn layout(
        &self,
        form: &Form,
        case: Option<&Case>,
        langs: &[Lang],
        options: &RenderOptions,
    ) -> StageResult<layout::Document> {
        let mut sections = Vec::new();
        let mut problems = Vec::new();
        for &lang in langs {
            match template::render(form, case, lang, &options.template) {
                Ok(section) => sections.push(section),
                // A template problem is met again in every language: reported once.
                Err(d) => {
                    problems.extend(d.into_iter().filter(|d| !problems.contains(d)).collect::<Vec<_>>())
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        match case {
            Some(case) => {
                layout::document_with(&sections, &self.shaper, &origins::CaseOrigins::new(case, langs))
            }
            None => layout::document(&sections, &self.shaper),
        }
    }

    /// Renders a form to PDF bytes.
    pub fn render_pdf(
        &self,
        form: &Form,
        case: Option<&Case>,
        langs: &[Lang],
        options: &RenderOptions,
    ) -> StageResult<Vec<u8>> {
        let document = self.layout(form, case, langs, options)?;
        write_pdf(form, case, &document, !options.no_archival)
    }
}

/// Writes a laid-out document as PDF, its title and language from the document and its date
/// from the form and the case ([`document_date`]).
fn write_pdf(
    form: &Form,
    case: Option<&Case>,
    document: &layout::Document,
    archival: bool,
) -> StageResult<Vec<u8>> {
    let pdf_options = pdf::PdfOptions {
        title: document.title.clone(),
        lang: document.lang(),
        creation_date: document_date(form, case),
        archival,
    };
    pdf::write(document, &pdf_options).map_err(|e| vec![Diagnostic::plain(e.to_string())])
}

// One engine serves every worker of a batch (`&Engine` across threads).
const _: () = {
    const fn shared<T: Sync + Send>() {}
    shared::<Engine>();
};

/// The date written into the PDF metadata: the form's date field, else `SOURCE_DATE_EPOCH`,
/// else the date of the act that establishes the form (PDF/A needs a date). Never the clock,
/// so that the same input gives the same bytes.
fn document_date(form: &Form, case: Option<&Case>) -> Option<NaiveDateTime> {
    let from_case = form
        .spec
        .date_field
        .as_deref()
        .and_then(|field| case.and_then(|c| c.data.get(field)))
        .and_then(|v| v.as_datetime());
    from_case.or_else(source_date_epoch).or_else(|| {
        domain::date::parse_date(&form.spec.source.date).ok().and_then(|d| d.and_hms_opt(0, 0, 0))
    })
}

/// `SOURCE_DATE_EPOCH` as a date and time (UTC), when set and valid.
pub fn source_date_epoch() -> Option<NaiveDateTime> {
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()?;
    chrono::DateTime::from_timestamp(secs, 0).map(|d| d.naive_utc())
}

/// Parses `kk`, `ru`, `en` or a comma-separated list such as `kk,ru`.
pub fn parse_langs(text: &str) -> Result<Vec<Lang>, String> {
    let mut langs = Vec::new();
    for code in text.split(',').map(str::trim) {
        let lang = Lang::from_code(code)
            .ok_or_else(|| format!("unknown language \"{code}\" (expected kk, ru or en)"))?;
        if !langs.contains(&lang) {
            langs.push(lang);
        }
    }
    Ok(langs)
}
