//! Checks of a form's definition (`form.yaml`) that serde alone cannot make: every name it
//! uses must exist. A field type, a dictionary of `codes.yaml`, an area unit and every field a
//! rule refers to (`not_after`, `after`, `ordered_by`, `unique`, …) are looked up, and a key
//! that the field's type does not use (`unit` on a text field) is refused, so that a typo is an
//! error with its line, column and a "did you mean" rather than a rule that silently does
//! nothing.
//!
//! This file depends on nothing of the crate: `src/build.rs` includes it too, so that the
//! compiled-in forms are checked when the binary is built (a typo in `templates/` fails the
//! build) and those of `--templates DIR` when the catalog loads ([`super::Catalog`]).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_saphyr::Spanned;

/// One problem of a form definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line in `form.yaml`.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
    /// The keys leading to the problem, e.g. `fields.objects.items.fields.kind.dictionary`.
    pub path: String,
    /// Lower case, no final period.
    pub message: String,
    /// How to fix it, when known (`did you mean "right_kind"?`).
    pub hint: Option<String>,
}

/// The area units a field may name (`unit:`); each is one that input accepts too.
pub const UNITS: &[&str] = &["m2", "m3", "m", "ha"];

/// A field type: its name as written after `type:`, the keys it uses besides `type`,
/// `required` and `description`, and the key it cannot do without. The form's own parser
/// (`spec.rs`, `FieldType`) holds the same keys in each type's payload; a test there checks
/// that the two agree.
pub struct Kind {
    /// As written after `type:`.
    pub name: &'static str,
    /// The keys it uses.
    pub keys: &'static [&'static str],
    /// The key it needs.
    pub needs: Option<&'static str>,
}

const fn kind(name: &'static str, keys: &'static [&'static str], needs: Option<&'static str>) -> Kind {
    Kind { name, keys, needs }
}

/// Every field type.
pub const KINDS: &[Kind] = &[
    kind("text", &["max_length"], None),
    kind("string", &["max_length"], None),
    kind("code", &["dictionary", "max_length"], Some("dictionary")),
    kind("enum", &["values"], Some("values")),
    kind("integer", &["min", "max"], None),
    kind("year", &["min", "max"], None),
    kind("decimal", &["min", "max"], None),
    kind("area", &["unit"], None),
    kind("share", &[], None),
    kind("iin", &[], None),
    kind("bin", &[], None),
    kind("iin_or_bin", &[], None),
    kind("cadastral_number", &[], None),
    kind("date", &["not_after", "after"], None),
    kind("datetime", &["not_after", "after"], None),
    kind("bool", &["default"], None),
    kind("record", &["fields"], None),
    kind(
        "list",
        &[
            "items",
            "min_items",
            "max_items",
            "shares_sum_at_most_one",
            "ordered_by",
            "unique",
            "consecutive",
            "consecutive_per",
        ],
        Some("items"),
    ),
    kind("variant", &["tag", "variants"], Some("variants")),
];

/// The part of a form definition that names things (the other keys are listed so that an
/// unknown one is refused here too, with its position).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by the form's own parser
struct RawForm {
    #[serde(default)]
    id: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    title: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    source: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    languages: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    default_languages: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    description: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    date_field: Option<Spanned<String>>,
    #[serde(default)]
    fields: BTreeMap<String, RawField>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// A field with the keys that name something, and the others (read by the form's own parser,
/// `spec.rs`) so that an unknown key is refused here with its position.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    #[serde(rename = "type")]
    kind: Spanned<String>,
    #[serde(default)]
    #[allow(dead_code)]
    required: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    #[allow(dead_code)]
    description: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    fields: Option<Spanned<BTreeMap<String, RawField>>>,
    #[serde(default)]
    items: Option<Spanned<Box<RawField>>>,
    #[serde(default)]
    min_items: Option<Spanned<serde::de::IgnoredAny>>,
    #[serde(default)]
    max_items: Option<Spanned<serde::de::IgnoredAny>>,
    #[serde(default)]
    tag: Option<Spanned<String>>,
    #[serde(default)]
    variants: Option<Spanned<BTreeMap<String, BTreeMap<String, RawField>>>>,
    #[serde(default)]
    dictionary: Option<Spanned<String>>,
    #[serde(default)]
    values: Option<Spanned<serde::de::IgnoredAny>>,
    #[serde(default)]
    min: Option<Spanned<serde::de::IgnoredAny>>,
    #[serde(default)]
    max: Option<Spanned<serde::de::IgnoredAny>>,
    #[serde(default)]
    max_length: Option<Spanned<serde::de::IgnoredAny>>,
    #[serde(default)]
    unit: Option<Spanned<String>>,
    #[serde(default)]
    not_after: Option<Spanned<String>>,
    #[serde(default)]
    after: Option<Spanned<String>>,
    #[serde(default)]
    shares_sum_at_most_one: Option<Spanned<String>>,
    #[serde(default)]
    ordered_by: Option<Spanned<String>>,
    #[serde(default)]
    unique: Option<Spanned<OneOrMany>>,
    #[serde(default)]
    consecutive: Option<Spanned<String>>,
    #[serde(default)]
    consecutive_per: Option<Spanned<String>>,
    #[serde(default)]
    default: Option<Spanned<serde::de::IgnoredAny>>,
}

/// The names of the dictionaries of a `codes.yaml`; `Err` when it is not a mapping.
pub fn dictionaries(codes_yaml: &str) -> Result<Vec<String>, String> {
    let map: BTreeMap<String, serde::de::IgnoredAny> =
        serde_saphyr::from_str(codes_yaml).map_err(|e| first_line(&e.to_string()).to_owned())?;
    Ok(map.into_keys().collect())
}

/// Every problem of a `form.yaml`, in the order of the file; `Err` when it is not YAML of the
/// shape of a form (the form's own parser then says more).
pub fn form(form_yaml: &str, dictionaries: &[String]) -> Result<Vec<Problem>, String> {
    let raw: RawForm = match serde_saphyr::from_str(form_yaml) {
        Ok(raw) => raw,
        Err(e) => {
            return unknown_name(&e).map(|p| vec![p]).ok_or_else(|| first_line(&e.to_string()).to_owned());
        }
    };
    let mut checker = Checker { dictionaries, root: &raw.fields, problems: Vec::new() };
    if let Some(date_field) = &raw.date_field {
        checker.root_reference("date_field", date_field, &["date", "datetime"]);
    }
    checker.fields("fields", &raw.fields);
    let mut problems = checker.problems;
    problems.sort_by(|a, b| (a.line, a.column, &a.message).cmp(&(b.line, b.column, &b.message)));
    // A field defined once with an anchor and used through aliases is reported once.
    problems.dedup_by(|a, b| (a.line, a.column, &a.message) == (b.line, b.column, &b.message));
    Ok(problems)
}

/// Every problem of the `form.yaml` files of a templates directory, given as (path relative
/// to it, text): (path, problem), in path order. `Err` names a `codes.yaml` that cannot be
/// read. A `form.yaml` that is not a form at all is left to the form's own parser.
pub fn catalog<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a str)> + Clone,
) -> Result<Vec<(String, Problem)>, String> {
    let dictionaries = match files.clone().into_iter().find(|(path, _)| *path == "codes.yaml") {
        Some((_, text)) => dictionaries(text).map_err(|e| format!("codes.yaml: {e}"))?,
        None => Vec::new(),
    };
    let mut found = Vec::new();
    for (path, text) in files {
        if path.starts_with("forms/")
            && path.ends_with("/form.yaml")
            && let Ok(problems) = form(text, &dictionaries)
        {
            found.extend(problems.into_iter().map(|p| (path.to_owned(), p)));
        }
    }
    Ok(found)
}

/// An unknown key or value that stopped serde, as a problem at its position.
fn unknown_name(e: &serde_saphyr::Error) -> Option<Problem> {
    let e = e.without_snippet();
    let location = e.location().filter(|l| l.line() > 0)?;
    let (message, hint) = match e {
        serde_saphyr::Error::SerdeUnknownField { field, expected, .. } => {
            (format!("unknown key \"{field}\""), suggest(field, expected.iter().copied()))
        }
        serde_saphyr::Error::SerdeUnknownVariant { variant, expected, .. } => {
            (format!("unknown value \"{variant}\""), suggest(variant, expected.iter().copied()))
        }
        _ => return None,
    };
    Some(Problem { line: location.line(), column: location.column(), path: String::new(), message, hint })
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// The known name closest to `name`, as a hint, or the list of known names.
pub fn suggest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let known: Vec<&str> = known.into_iter().collect();
    let close = known
        .iter()
        .map(|k| (strsim::osa_distance(name, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.chars().count() / 3))
        .min_by(|(d1, k1), (d2, k2)| {
            let length = |k: &str| k.chars().count().abs_diff(name.chars().count());
            (d1.cmp(d2))
                .then(length(k1).cmp(&length(k2)))
                .then(strsim::jaro_winkler(name, k2).total_cmp(&strsim::jaro_winkler(name, k1)))
        });
    match close {
        Some((_, k)) => Some(format!("did you mean \"{k}\"?")),
        None if known.is_empty() => None,
        None => Some(format!("expected one of: {}", known.join(", "))),
    }
}

struct Checker<'a> {
    dictionaries: &'a [String],
    root: &'a BTreeMap<String, RawField>,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn problem<T>(&mut self, at: &Spanned<T>, path: String, message: String, hint: Option<String>) {
        self.problems.push(Problem {
            line: at.defined.line(),
            column: at.defined.column(),
            path,
            message,
            hint,
        });
    }

    fn fields(&mut self, path: &str, fields: &BTreeMap<String, RawField>) {
        for (name, field) in fields {
            self.field(&format!("{path}.{name}"), field, fields);
        }
    }

    fn field(&mut self, path: &str, field: &RawField, siblings: &BTreeMap<String, RawField>) {
        let name = field.kind.value.as_str();
        let Some(kind) = KINDS.iter().find(|k| k.name == name) else {
            let hint = suggest(name, KINDS.iter().map(|k| k.name));
            self.problem(&field.kind, format!("{path}.type"), format!("unknown field type \"{name}\""), hint);
            return;
        };
        let present = present_keys(field);
        for (key, (line, column)) in &present {
            if !kind.keys.contains(key) {
                self.problems.push(Problem {
                    line: *line,
                    column: *column,
                    path: format!("{path}.{key}"),
                    message: format!("`{key}` is not used by a {name} field"),
                    hint: None,
                });
            }
        }
        if let Some(needed) = kind.needs
            && !present.iter().any(|(key, _)| *key == needed)
        {
            let message = format!("a {name} field needs `{needed}`");
            self.problem(&field.kind, format!("{path}.type"), message, None);
        }
        if let Some(dictionary) = &field.dictionary
            && !self.dictionaries.contains(&dictionary.value)
        {
            let hint = suggest(&dictionary.value, self.dictionaries.iter().map(String::as_str));
            let message = format!("unknown dictionary \"{}\"", dictionary.value);
            self.problem(dictionary, format!("{path}.dictionary"), message, hint);
        }
        if let Some(unit) = &field.unit
            && !UNITS.contains(&unit.value.as_str())
        {
            let hint = suggest(&unit.value, UNITS.iter().copied());
            self.problem(unit, format!("{path}.unit"), format!("unknown unit \"{}\"", unit.value), hint);
        }
        if let Some(limit) = &field.not_after {
            self.root_reference(&format!("{path}.not_after"), limit, &["date", "datetime"]);
        }
        if let Some(other) = &field.after {
            self.reference(&format!("{path}.after"), other, siblings, &["date", "datetime"], "field");
        }
        if let Some(fields) = &field.fields {
            self.fields(&format!("{path}.fields"), &fields.value);
        }
        if let Some(variants) = &field.variants {
            for (name, fields) in &variants.value {
                self.fields(&format!("{path}.variants.{name}"), fields);
            }
        }
        if let Some(items) = &field.items {
            let items_path = format!("{path}.items");
            self.field(&items_path, &items.value, &BTreeMap::new());
            self.list_rules(path, field, &items.value);
        }
    }

    /// The rules of a list that name fields of its items.
    fn list_rules(&mut self, path: &str, list: &RawField, items: &RawField) {
        let empty = BTreeMap::new();
        let item_fields = match (&items.fields, items.kind.value.as_str()) {
            (Some(fields), "record") => &fields.value,
            _ => &empty,
        };
        let rules: [Rule<'_>; 4] = [
            ("shares_sum_at_most_one", &list.shares_sum_at_most_one, &["share"]),
            ("ordered_by", &list.ordered_by, &["date", "datetime", "integer", "year"]),
            ("consecutive", &list.consecutive, &["integer", "year"]),
            ("consecutive_per", &list.consecutive_per, &[]),
        ];
        for (key, name, kinds) in rules {
            if let Some(name) = name {
                self.reference(&format!("{path}.{key}"), name, item_fields, kinds, "field of the items");
            }
        }
        if let Some(unique) = &list.unique {
            let names = match &unique.value {
                OneOrMany::One(name) => vec![name.clone()],
                OneOrMany::Many(names) => names.clone(),
            };
            for name in names {
                if !item_fields.contains_key(&name) {
                    let hint = suggest(&name, item_fields.keys().map(String::as_str));
                    let message = format!("unknown field of the items \"{name}\"");
                    self.problem(unique, format!("{path}.unique"), message, hint);
                }
            }
        }
    }

    fn root_reference(&mut self, path: &str, name: &Spanned<String>, kinds: &[&str]) {
        let root = self.root;
        self.reference(path, name, root, kinds, "root field");
    }

    /// `name` must be one of `fields`, of one of `kinds` (any kind when empty).
    fn reference(
        &mut self,
        path: &str,
        name: &Spanned<String>,
        fields: &BTreeMap<String, RawField>,
        kinds: &[&str],
        what: &str,
    ) {
        match fields.get(&name.value) {
            None => {
                let hint = suggest(&name.value, fields.keys().map(String::as_str));
                self.problem(name, path.to_owned(), format!("unknown {what} \"{}\"", name.value), hint);
            }
            Some(field) if !kinds.is_empty() && !kinds.contains(&field.kind.value.as_str()) => {
                let message = format!(
                    "the {what} \"{}\" is a {}, expected a {}",
                    name.value,
                    field.kind.value,
                    kinds.join(" or a ")
                );
                self.problem(name, path.to_owned(), message, None);
            }
            Some(_) => {}
        }
    }
}

/// A list's rule: its key, the field it names, the types that field may have.
type Rule<'a> = (&'a str, &'a Option<Spanned<String>>, &'a [&'a str]);

fn at<T>(value: &Option<Spanned<T>>) -> Option<(u64, u64)> {
    value.as_ref().map(|v| (v.defined.line(), v.defined.column()))
}

/// The keys of a field besides `type`, `required` and `description`, with their positions.
fn present_keys(field: &RawField) -> Vec<(&'static str, (u64, u64))> {
    let keys = [
        ("fields", at(&field.fields)),
        ("items", at(&field.items)),
        ("min_items", at(&field.min_items)),
        ("max_items", at(&field.max_items)),
        ("tag", at(&field.tag)),
        ("variants", at(&field.variants)),
        ("dictionary", at(&field.dictionary)),
        ("values", at(&field.values)),
        ("min", at(&field.min)),
        ("max", at(&field.max)),
        ("max_length", at(&field.max_length)),
        ("unit", at(&field.unit)),
        ("not_after", at(&field.not_after)),
        ("after", at(&field.after)),
        ("shares_sum_at_most_one", at(&field.shares_sum_at_most_one)),
        ("ordered_by", at(&field.ordered_by)),
        ("unique", at(&field.unique)),
        ("consecutive", at(&field.consecutive)),
        ("consecutive_per", at(&field.consecutive_per)),
        ("default", at(&field.default)),
    ];
    keys.into_iter().filter_map(|(key, pos)| Some((key, pos?))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dictionaries() -> Vec<String> {
        vec!["object_kind".into(), "right_kind".into()]
    }

    fn problems(yaml: &str) -> Vec<String> {
        form(yaml, &dictionaries())
            .expect("parses")
            .into_iter()
            .map(|p| {
                let hint = p.hint.map(|h| format!(" / {h}")).unwrap_or_default();
                format!("{}:{}: {}: {}{hint}", p.line, p.column, p.path, p.message)
            })
            .collect()
    }

    #[test]
    fn names_that_exist_pass() {
        let yaml = "date_field: issued\nfields:\n  issued: {type: date}\n  rights:\n    type: list\n    \
                    ordered_by: at\n    unique: [kind, at]\n    items:\n      type: record\n      fields:\n        \
                    kind: {type: code, dictionary: right_kind}\n        at: {type: date, not_after: issued}\n        \
                    area: {type: area, unit: ha}\n";
        assert_eq!(problems(yaml), Vec::<String>::new());
    }

    #[test]
    fn an_unknown_name_is_reported_at_its_line_with_the_closest_known_one() {
        let yaml = "date_field: isued\nfields:\n  issued: {type: date}\n  kind: {type: code, dictionary: right_knd}\n  \
                    area: {type: area, unit: m5}\n  name: {type: txt}\n  end: {type: date, after: issue}\n";
        assert_eq!(
            problems(yaml),
            [
                "1:13: date_field: unknown root field \"isued\" / did you mean \"issued\"?",
                "4:34: fields.kind.dictionary: unknown dictionary \"right_knd\" / did you mean \"right_kind\"?",
                "5:28: fields.area.unit: unknown unit \"m5\" / did you mean \"m2\"?",
                "6:16: fields.name.type: unknown field type \"txt\" / did you mean \"text\"?",
                "7:28: fields.end.after: unknown field \"issue\" / did you mean \"issued\"?",
            ]
        );
    }

    #[test]
    fn a_key_of_another_type_and_a_missing_payload_are_errors() {
        let yaml = "fields:\n  name: {type: text, unit: m2}\n  kind: {type: code}\n  \
                    at: {type: date, not_after: name}\n";
        assert_eq!(
            problems(yaml),
            [
                "2:28: fields.name.unit: `unit` is not used by a text field",
                "3:16: fields.kind.type: a code field needs `dictionary`",
                "4:31: fields.at.not_after: the root field \"name\" is a text, expected a date or a datetime",
            ]
        );
    }

    #[test]
    fn an_unknown_key_is_reported_at_its_line_with_the_closest_key() {
        let yaml = "fields:\n  name: {type: text, max_lenght: 30}\n";
        assert_eq!(problems(yaml), ["2:22: : unknown key \"max_lenght\" / did you mean \"max_length\"?"]);
        assert_eq!(
            problems("titel: x\nfields: {}\n"),
            ["1:1: : unknown key \"titel\" / did you mean \"title\"?"]
        );
    }

    #[test]
    fn every_unit_a_form_may_name_is_one_input_accepts() {
        for unit in UNITS {
            assert!(crate::domain::number::AreaUnit::parse(unit).is_some(), "{unit}");
        }
    }
}
