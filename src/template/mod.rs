//! Templates: a typed case + a form's Tera template → a layout [`Section`] per language.
//!
//! The template receives, for one language:
//! - `lang`: `kk`, `ru` or `en`;
//! - `t`: the form's official wording (`text.yaml`) in that language, by key;
//! - `blank`: true when printing the empty form;
//! - `case`: the data, every value already formatted for the language (`72,40 м²`,
//!   `1/2`, dictionary labels) — dates and times are objects with `numeric`
//!   (`07.07.2021`), `text` (`2021 жылғы «7» шілде` / `«7» июля 2021 года` / `7 July 2021`),
//!   `attributive` (`2021 жылғы 7 шілдедегі`), `locative` (`2021 жылғы 14 шілдеде`), `iso`,
//!   `day`, `month`, `year`, and for times also `time` and `date`;
//! - `options`: switches given on the command line (e.g. `corrected_numbering`).
//!
//! It writes the markup of [`markup`], which is read into layout blocks.

pub mod markup;
pub mod vocabulary;

use chrono::{Datelike, NaiveDate};
use serde_json::{Map, Value as Json, json};

use crate::diag::StageResult;
use crate::domain::Lang;
use crate::domain::date::{self, KkCase};
use crate::domain::number::format_decimal;
use crate::form::Form;
use crate::layout::Section;
use crate::validate::{Case, Value};

/// Switches passed to templates as `options`.
#[derive(Debug, Clone, Default)]
pub struct TemplateOptions {
    /// Named flags (`corrected_numbering`, …).
    pub flags: Vec<String>,
    /// Print the electronic edition (eGov header, footer with QR codes), when set.
    pub electronic: Option<Electronic>,
}

/// Options of the electronic edition: the template sees `electronic.codes` (the texts of the
/// QR codes, `docs/qr-payload.md`) and `electronic.id`.
#[derive(Debug, Clone, Default)]
pub struct Electronic {
    /// The verification address, `{id}` standing for the document's identifier.
    pub verify_url: Option<String>,
    /// The information system and the signer named by the barcode note of a service result
    /// (both, or the applicant-signed wording of the spec is printed).
    pub system_and_signer: Option<(String, String)>,
}

/// Renders a form in one language: filled from `case`, or blank when `case` is `None`.
pub fn render(
    form: &Form,
    case: Option<&Case>,
    lang: Lang,
    options: &TemplateOptions,
) -> StageResult<Section> {
    let mut context = tera::Context::new();
    context.insert("lang", lang.code());
    context.insert("blank", &case.is_none());
    let prepared = form.prepared()?;
    let texts: Map<String, Json> =
        prepared.texts.iter().map(|(k, v)| (k.clone(), Json::String(v.get(lang).to_owned()))).collect();
    context.insert("t", &texts);
    context.insert("case", &case.map(|c| to_json(&c.data, lang)).unwrap_or(Json::Null));
    context.insert("form", &json!({"id": form.spec.id, "title": form.spec.title.get(lang)}));
    let flags: Map<String, Json> = options.flags.iter().map(|f| (f.clone(), Json::Bool(true))).collect();
    context.insert("options", &flags);
    if let Some(e) = &options.electronic {
        let mut codes = Vec::new();
        let mut id = String::new();
        if let Some(case) = case {
            let issued = form
                .spec
                .date_field
                .as_deref()
                .and_then(|f| case.data.get(f))
                .and_then(Value::as_datetime)
                .map(|d| d.format("%Y-%m-%dT%H:%M:%S").to_string());
            let payload = crate::qr::payload(case, &form.spec.id, issued.as_deref(), e.verify_url.as_deref())
                .map_err(|err| {
                    let pos = case.source.as_ref().and_then(|n| n.get("document_id")).map(|n| n.pos.clone());
                    vec![crate::diag::Diagnostic::error(
                        crate::diag::FieldPath::root().key("document_id"),
                        pos,
                        err.to_string(),
                    )]
                })?;
            codes = crate::qr::parts(&payload).map_err(|err| {
                let pos = case.source.as_ref().map(|n| n.pos.clone());
                vec![
                    crate::diag::Diagnostic::error(crate::diag::FieldPath::root(), pos, err.to_string())
                        .with_hint(
                            "the codes list every cadastral number of the case (docs/qr-payload.md); \
                     print fewer objects per certificate, or without --electronic",
                        ),
                ]
            })?;
            id = payload.id.to_string();
        }
        let (system, signer) = e.system_and_signer.clone().unwrap_or_default();
        context.insert("electronic", &json!({"codes": codes, "id": id, "system": system, "signer": signer}));
    } else {
        context.insert("electronic", &Json::Bool(false));
    }
    crate::form::sandbox::start_rendering();
    let markup = prepared.tera.render(&form.template, &context).map_err(|e| vec![form.render_error(&e)])?;
    markup::parse(&markup, &form.template, lang).map_err(|d| vec![d.in_templates()])
}

/// A value as the template sees it in one language.
pub fn to_json(value: &Value, lang: Lang) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(n) => json!(n),
        Value::Decimal(d) => Json::String(format_decimal(*d, 0)),
        Value::Quantity(q) => Json::String(q.format(lang)),
        Value::Share(s) => Json::String(s.to_string()),
        Value::Text(t) => Json::String(t.get(lang).to_owned()),
        Value::Str(s) => Json::String(s.clone()),
        Value::Label { label, .. } => Json::String(label.get(lang).to_owned()),
        Value::Cadastral(c) => Json::String(c.to_string()),
        Value::Date(d) => date_json(*d, lang),
        Value::DateTime(dt, seconds) => {
            let mut obj = date_json(dt.date(), lang);
            let time = if *seconds { dt.format("%H:%M:%S") } else { dt.format("%H:%M") }.to_string();
            obj["numeric"] = Json::String(date::numeric_datetime(*dt, *seconds));
            obj["date"] = Json::String(date::numeric(dt.date()));
            obj["time"] = Json::String(time);
            obj
        }
        Value::List(items) => Json::Array(items.iter().map(|v| to_json(v, lang)).collect()),
        Value::Record(fields) => {
            Json::Object(fields.iter().map(|(k, v)| (k.clone(), to_json(v, lang))).collect())
        }
    }
}

fn date_json(d: NaiveDate, lang: Lang) -> Json {
    json!({
        "numeric": date::numeric(d),
        "text": date::long(d, lang, KkCase::Nominative),
        "attributive": date::long(d, lang, KkCase::Attributive),
        "locative": date::long(d, lang, KkCase::Locative),
        "iso": d.format("%Y-%m-%d").to_string(),
        "day": d.day(),
        "month": date::month_name(d.month(), lang, KkCase::Nominative).unwrap_or_default(),
        "year": d.year(),
    })
}
