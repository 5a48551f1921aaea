//! The inputs of a form's page, built from the form's definition ([`FieldSpec`]), and the
//! posted inputs read back as case data for the same validation as a case file.
//!
//! An input is named by its field path: `act.title.kk` and `act.title.ru` for the two
//! languages of a text, `adopting_bodies[1].ru` for a list's item, `act.adopted_on` for the
//! rest. A diagnostic is shown at the deepest input its path leads to (`act.title` for
//! "missing the Russian text (ru)"), the others above the form.

use std::collections::HashMap;

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::{Map, Value as Json};

use crate::diag::Diagnostic;
use crate::domain::Lang;
use crate::form::spec::{FieldSpec, FieldType};

/// Longest text put in a one-line input; longer ones get a text area.
const ONE_LINE: usize = 300;

/// One input (or group of inputs) of the page, as the template draws it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Widget {
    /// The field path, and the name of its input.
    pub(crate) path: String,
    /// The label in the page's language (empty for a list's item).
    pub(crate) label: String,
    /// `text`, `line` (one language), `date`, `number`, `enum`, `bool`, `record`, `list`.
    pub(crate) kind: &'static str,
    pub(crate) required: bool,
    /// Most characters, for text and line inputs.
    pub(crate) max: usize,
    /// A text area rather than a one-line input.
    pub(crate) long: bool,
    /// The value of a line, date, number or enum.
    pub(crate) value: String,
    /// The Kazakh and Russian values of a text.
    pub(crate) kk: String,
    pub(crate) ru: String,
    /// A bool's box.
    pub(crate) checked: bool,
    /// An enum's values: `(code, label)`.
    pub(crate) options: Vec<(String, String)>,
    /// A record's fields, or a list's items.
    pub(crate) children: Vec<Widget>,
    /// A list: an empty item whose path has `__i__` for its index (for "add another").
    pub(crate) blank: Option<Box<Widget>>,
    /// A list: the index the next item gets.
    pub(crate) next: usize,
    /// The problems of this field, in the page's language.
    pub(crate) errors: Vec<String>,
}

/// The labels of the fields, by path without list indices (`act.title`).
pub(crate) type Labels<'a> = &'a dyn Fn(&str) -> String;

fn text_of(value: Option<&Json>, lang: &str) -> String {
    match value {
        Some(Json::String(s)) => s.clone(),
        Some(Json::Object(m)) => m.get(lang).and_then(Json::as_str).unwrap_or_default().to_owned(),
        _ => String::new(),
    }
}

fn scalar(value: Option<&Json>) -> String {
    match value {
        Some(Json::String(s)) => s.clone(),
        Some(Json::Number(n)) => n.to_string(),
        Some(Json::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// The widgets of `fields` filled with `data` (case data as JSON).
pub(crate) fn widgets(
    fields: &IndexMap<String, FieldSpec>,
    data: &Json,
    lang: Lang,
    labels: Labels,
) -> Vec<Widget> {
    fields
        .iter()
        .filter_map(|(name, spec)| widget(spec, name, &label_key(name), data.get(name), lang, labels))
        .collect()
}

/// The key of a field's label: `field.` and its path without list indices.
fn label_key(path: &str) -> String {
    let mut key = String::from("field.");
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            c if depth == 0 => key.push(c),
            _ => {}
        }
    }
    key
}

fn widget(
    spec: &FieldSpec,
    path: &str,
    key: &str,
    value: Option<&Json>,
    lang: Lang,
    labels: Labels,
) -> Option<Widget> {
    let mut w = Widget {
        path: path.to_owned(),
        label: labels(key),
        kind: "line",
        required: spec.required,
        max: 0,
        long: false,
        value: String::new(),
        kk: String::new(),
        ru: String::new(),
        checked: false,
        options: Vec::new(),
        children: Vec::new(),
        blank: None,
        next: 0,
        errors: Vec::new(),
    };
    match &spec.ty {
        FieldType::Text { max_length } => {
            w.kind = "text";
            w.max = *max_length;
            w.long = *max_length > ONE_LINE;
            w.kk = text_of(value, "kk");
            w.ru = text_of(value, "ru");
        }
        FieldType::String { max_length } | FieldType::Code { max_length, .. } => {
            w.max = *max_length;
            w.value = scalar(value);
        }
        FieldType::Date(_) => {
            w.kind = "date";
            w.value = scalar(value);
        }
        FieldType::Datetime(_) => {
            w.kind = "datetime";
            w.value = scalar(value);
        }
        FieldType::Integer(_) | FieldType::Year(_) => {
            w.kind = "number";
            w.value = scalar(value);
        }
        FieldType::Decimal(_)
        | FieldType::Area { .. }
        | FieldType::Share
        | FieldType::Iin
        | FieldType::Bin
        | FieldType::IinOrBin
        | FieldType::CadastralNumber => w.value = scalar(value),
        FieldType::Enum { values } => {
            w.kind = "enum";
            w.value = scalar(value);
            w.options = values.iter().map(|(code, t)| (code.clone(), t.get(lang).to_owned())).collect();
        }
        FieldType::Bool { default } => {
            w.kind = "bool";
            w.checked = value.and_then(Json::as_bool).or(*default).unwrap_or(false);
        }
        FieldType::Record { fields } => {
            w.kind = "record";
            w.children = fields
                .iter()
                .filter_map(|(name, s)| {
                    widget(
                        s,
                        &format!("{path}.{name}"),
                        &format!("{key}.{name}"),
                        value.and_then(|v| v.get(name)),
                        lang,
                        labels,
                    )
                })
                .collect();
        }
        FieldType::List(list) => {
            w.kind = "list";
            let items = value.and_then(Json::as_array).map(Vec::as_slice).unwrap_or_default();
            let max = list.max_items.unwrap_or(usize::MAX);
            // The items given, and one empty item to fill in while there is room.
            let shown = (items.len() + 1).min(max).max(items.len());
            w.children = (0..shown)
                .filter_map(|i| widget(&list.items, &format!("{path}[{i}]"), key, items.get(i), lang, labels))
                .map(|mut item| {
                    item.label = String::new();
                    item
                })
                .collect();
            w.next = shown;
            if shown < max {
                w.blank =
                    widget(&list.items, &format!("{path}[__i__]"), key, None, lang, labels).map(|mut b| {
                        b.label = String::new();
                        Box::new(b)
                    });
            }
        }
        // Not in any form a clerk fills in on the page.
        FieldType::Variant { .. } => return None,
    }
    Some(w)
}

/// The posted inputs as case data for `fields`: empty inputs are left out, texts are
/// `{kk, ru}` with the languages given, list items keep their order without the empty ones.
pub(crate) fn collect(fields: &IndexMap<String, FieldSpec>, posted: &HashMap<String, String>) -> Json {
    let mut data = Map::new();
    for (name, spec) in fields {
        if let Some(v) = value(spec, name, posted) {
            data.insert(name.clone(), v);
        }
    }
    Json::Object(data)
}

fn value(spec: &FieldSpec, path: &str, posted: &HashMap<String, String>) -> Option<Json> {
    let given = |name: &str| posted.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    match &spec.ty {
        FieldType::Text { .. } => {
            let mut text = Map::new();
            for lang in ["kk", "ru"] {
                if let Some(v) = given(&format!("{path}.{lang}")) {
                    text.insert(lang.into(), Json::String(v.to_owned()));
                }
            }
            (!text.is_empty()).then_some(Json::Object(text))
        }
        FieldType::Integer(_) | FieldType::Year(_) => given(path).map(|v| match v.parse::<i64>() {
            Ok(n) => Json::from(n),
            Err(_) => Json::String(v.to_owned()),
        }),
        FieldType::Bool { default } => {
            let checked = posted.contains_key(path);
            (checked || *default == Some(true)).then_some(Json::Bool(checked))
        }
        FieldType::Record { fields } => {
            let record: Map<String, Json> = fields
                .iter()
                .filter_map(|(name, s)| {
                    value(s, &format!("{path}.{name}"), posted).map(|v| (name.clone(), v))
                })
                .collect();
            (!record.is_empty()).then_some(Json::Object(record))
        }
        FieldType::List(list) => {
            let prefix = format!("{path}[");
            let last = posted
                .keys()
                .filter_map(|k| k.strip_prefix(&prefix)?.split(']').next()?.parse::<usize>().ok())
                .max()?;
            let items: Vec<Json> =
                (0..=last).filter_map(|i| value(&list.items, &format!("{path}[{i}]"), posted)).collect();
            (!items.is_empty()).then_some(Json::Array(items))
        }
        FieldType::Variant { .. } => None,
        _ => given(path).map(|v| Json::String(v.to_owned())),
    }
}

/// Puts each diagnostic at the deepest widget its path leads to; returns the messages of
/// those that lead to none.
pub(crate) fn place(
    widgets: &mut [Widget],
    diagnostics: &[Diagnostic],
    message: &dyn Fn(&Diagnostic) -> String,
) -> Vec<String> {
    let mut rest = Vec::new();
    for d in diagnostics.iter().filter(|d| d.is_error()) {
        let path = d.path.to_string();
        if !widgets.iter_mut().any(|w| claim(w, &path, &message(d))) {
            rest.push(message(d));
        }
    }
    rest
}

fn claim(w: &mut Widget, path: &str, message: &str) -> bool {
    let inside = path == w.path
        || path.strip_prefix(&w.path).is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['));
    if !inside {
        return false;
    }
    if !w.children.iter_mut().any(|c| claim(c, path, message)) {
        w.errors.push(message.to_owned());
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;

    fn act_fields(engine: &Engine) -> &IndexMap<String, FieldSpec> {
        &engine.form("act").unwrap().spec.fields
    }

    #[test]
    fn posted_inputs_become_case_data_without_the_empty_ones() {
        let engine = Engine::new(None).unwrap();
        let posted: HashMap<String, String> = [
            ("act.title.kk", "Атауы"),
            ("act.title.ru", " "),
            ("act.number", "12"),
            ("adopting_bodies[0].kk", ""),
            ("adopting_bodies[1].kk", "Министрлік"),
            ("adopting_bodies[1].ru", "Министерство"),
            ("for_official_use", "true"),
            ("region_index", "09"),
            ("specialist.name.ru", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(
            collect(act_fields(&engine), &posted),
            serde_json::json!({
                "region_index": "09",
                "for_official_use": true,
                "act": {"number": "12", "title": {"kk": "Атауы"}},
                "adopting_bodies": [{"kk": "Министрлік", "ru": "Министерство"}],
            })
        );
    }

    #[test]
    fn widgets_follow_the_form_and_errors_go_to_their_field() {
        let engine = Engine::new(None).unwrap();
        let data =
            serde_json::json!({"act": {"title": {"kk": "А"}}, "adopting_bodies": [{"kk": "Б", "ru": "В"}]});
        let labels = |key: &str| key.to_owned();
        let mut ws = widgets(act_fields(&engine), &data, Lang::Kk, &labels);
        let names: Vec<&str> = ws.iter().map(|w| w.path.as_str()).collect();
        let expected: Vec<&str> = act_fields(&engine).keys().map(String::as_str).collect();
        assert_eq!(names, expected);
        let act = ws.iter().find(|w| w.path == "act").unwrap();
        assert_eq!(act.children.iter().map(|c| c.label.as_str()).collect::<Vec<_>>()[3], "field.act.title");
        let list = ws.iter().find(|w| w.path == "adopting_bodies").unwrap();
        assert_eq!(list.children.len(), 2, "the item given and one empty");
        assert_eq!(list.children[0].kk, "Б");
        assert_eq!(list.blank.as_ref().unwrap().path, "adopting_bodies[__i__]");
        let diagnostics = [
            Diagnostic::error(crate::diag::FieldPath::root().key("act").key("title"), None, "missing ru"),
            Diagnostic::error(
                crate::diag::FieldPath::root().key("adopting_bodies").index(1),
                None,
                "bad item",
            ),
            Diagnostic::error(crate::diag::FieldPath::root(), None, "whole"),
        ];
        let rest = place(&mut ws, &diagnostics, &|d| d.message.clone());
        assert_eq!(rest, ["whole"]);
        let act = ws.iter().find(|w| w.path == "act").unwrap();
        assert_eq!(act.children[3].errors, ["missing ru"]);
        let list = ws.iter().find(|w| w.path == "adopting_bodies").unwrap();
        assert_eq!(list.children[1].errors, ["bad item"]);
    }
}
