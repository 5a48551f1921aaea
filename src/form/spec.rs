//! A form's definition, read from `templates/forms/<id>/form.yaml`: its legal source, the
//! languages it is printed in, and the schema of its data.

use indexmap::IndexMap;
use serde::Deserialize;

use crate::domain::number::AreaUnit;
use crate::domain::{Bilingual, Lang};

/// Text given per language in a form definition.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    /// Kazakh.
    pub kk: String,
    /// Russian.
    pub ru: String,
    /// English, where the act has one.
    #[serde(default)]
    pub en: Option<String>,
}

impl Texts {
    /// As a [`Bilingual`] value.
    pub fn to_bilingual(&self) -> Bilingual {
        Bilingual { kk: self.kk.clone(), ru: self.ru.clone(), en: self.en.clone() }
    }

    /// The text in one language (English falls back to Russian).
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Kk => &self.kk,
            Lang::Ru => &self.ru,
            Lang::En => self.en.as_deref().unwrap_or(&self.ru),
        }
    }
}

/// Where a form comes from in the law.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The order, e.g. "Order of the Minister of Justice No. 565 of 7 July 2021".
    pub order: Texts,
    /// Appendix of the order.
    pub appendix: u32,
    /// Appendix of the Rules the order restates, if any.
    #[serde(default)]
    pub rules_appendix: Option<u32>,
    /// The specification file this form follows.
    pub spec: String,
    /// The date of the act (`YYYY-MM-DD`); a blank form carries it as its document date.
    pub date: String,
}

/// Page setup of a form.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageSetup {
    /// `A4` or `A3`, or `custom` with width and height.
    #[serde(default = "default_paper")]
    pub paper: String,
    /// `portrait` or `landscape`.
    #[serde(default = "default_orientation")]
    pub orientation: String,
}

fn default_paper() -> String {
    "A4".into()
}

fn default_orientation() -> String {
    "portrait".into()
}

/// A form: metadata, schema and template.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormSpec {
    /// Identifier used on the command line and in the `form:` key of case files.
    pub id: String,
    /// Short name of the form.
    pub title: Texts,
    /// Legal source.
    pub source: Source,
    /// Languages the form can be printed in.
    pub languages: Vec<String>,
    /// Languages printed when `--lang` is not given.
    pub default_languages: Vec<String>,
    /// The root field that gives the document date (PDF metadata), if any.
    #[serde(default)]
    pub date_field: Option<String>,
    /// The fields of a case.
    pub fields: IndexMap<String, FieldSpec>,
    /// Example values for the JSON Schema and the documentation.
    #[serde(default)]
    pub description: Option<String>,
}

impl FormSpec {
    /// Languages the form can be printed in.
    pub fn languages(&self) -> Vec<Lang> {
        self.languages.iter().filter_map(|c| Lang::from_code(c)).collect()
    }

    /// Languages printed by default.
    pub fn default_languages(&self) -> Vec<Lang> {
        self.default_languages.iter().filter_map(|c| Lang::from_code(c)).collect()
    }

    /// The legal source in one line, e.g. `order 565, appendix 1 (Rules, appendix 1)`.
    pub fn source_line(&self, lang: Lang) -> String {
        let order = self.source.order.get(lang);
        let (app, rules) = match lang {
            Lang::Kk => ("қосымша", "Қағидалар, қосымша"),
            Lang::Ru => ("приложение", "Правила, приложение"),
            Lang::En => ("appendix", "Rules, appendix"),
        };
        match self.source.rules_appendix {
            Some(r) => format!("{order}, {app} {} ({rules} {r})", self.source.appendix),
            None => format!("{order}, {app} {}", self.source.appendix),
        }
    }
}

/// The type of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// Free text: a string (the same in every language) or `{kk: …, ru: …}`.
    Text,
    /// A plain string, the same in every language (numbers of documents, codes).
    String,
    /// A value from a bilingual dictionary (by its code) or free text.
    Code,
    /// One of a fixed set of values, each with a label per language.
    Enum,
    /// A whole number.
    Integer,
    /// A four-digit year.
    Year,
    /// An exact decimal number.
    Decimal,
    /// An area, volume or length: a decimal with a unit.
    Area,
    /// A share in common ownership: a fraction like `1/2`.
    Share,
    /// An individual identification number.
    Iin,
    /// A business identification number.
    Bin,
    /// An IIN or a BIN.
    IinOrBin,
    /// A cadastral number.
    CadastralNumber,
    /// A calendar date.
    Date,
    /// A date with a time of day.
    Datetime,
    /// Yes or no.
    Bool,
    /// A mapping with named fields.
    Record,
    /// A list of items of one type.
    List,
    /// A mapping whose fields depend on a tag field (`kind: individual` / `legal_entity`).
    Variant,
}

/// One field of a form's schema: its type with the keys of that type, and what every field
/// has. A key of another type (`unit` on a text field), a missing payload (a code field
/// without `dictionary`) or an unknown unit is an error when the definition is read; the
/// located messages with "did you mean" come from [`super::check`], which runs first when a
/// catalog loads.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "RawField")]
pub struct FieldSpec {
    /// The type, with its keys.
    pub ty: FieldType,
    /// Whether the field must be given.
    pub required: bool,
    /// What the field is, in English.
    pub description: Option<String>,
}

/// The type of a field with the keys of that type.
#[derive(Debug, Clone)]
pub enum FieldType {
    /// Free text: a string (the same in every language) or `{kk: …, ru: …}`.
    Text {
        /// Most characters ([`DEFAULT_MAX_TEXT`] when not given).
        max_length: usize,
    },
    /// A plain string, the same in every language (numbers of documents, codes).
    String {
        /// Most characters ([`DEFAULT_MAX_TEXT`] when not given).
        max_length: usize,
    },
    /// A value from a bilingual dictionary (by its code) or free text.
    Code {
        /// The dictionary in `templates/codes.yaml`.
        dictionary: String,
        /// Most characters of free text ([`DEFAULT_MAX_TEXT`] when not given).
        max_length: usize,
    },
    /// One of a fixed set of values, each with a label per language.
    Enum {
        /// The values with their labels.
        values: IndexMap<String, Texts>,
    },
    /// A whole number.
    Integer(Bounds),
    /// A four-digit year (between 1800 and 2100 unless bounds are given).
    Year(Bounds),
    /// An exact decimal number. (Its bounds are accepted and not checked, as before.)
    Decimal(Bounds),
    /// An area, volume or length: a decimal with a unit.
    Area {
        /// The unit when none is written (`m2` when not given).
        unit: AreaUnit,
    },
    /// A share in common ownership: a fraction like `1/2`.
    Share,
    /// An individual identification number.
    Iin,
    /// A business identification number.
    Bin,
    /// An IIN or a BIN.
    IinOrBin,
    /// A cadastral number.
    CadastralNumber,
    /// A calendar date.
    Date(TimeRules),
    /// A date with a time of day.
    Datetime(TimeRules),
    /// Yes or no.
    Bool {
        /// The value when not given.
        default: Option<bool>,
    },
    /// A mapping with named fields.
    Record {
        /// Its fields.
        fields: IndexMap<String, FieldSpec>,
    },
    /// A list of items of one type.
    List(ListSpec),
    /// A mapping whose fields depend on a tag field (`kind: individual` / `legal_entity`).
    Variant {
        /// The name of the tag field (`kind` when not given).
        tag: String,
        /// The fields of each variant.
        variants: IndexMap<String, IndexMap<String, FieldSpec>>,
    },
}

/// Smallest and largest value of a number.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bounds {
    /// Smallest value.
    pub min: Option<i64>,
    /// Largest value.
    pub max: Option<i64>,
}

/// The rules of a date or time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimeRules {
    /// Must not be after this root field.
    pub not_after: Option<String>,
    /// Must be after this sibling field.
    pub after: Option<String>,
}

/// A list: the type of its items, how many there may be, and the rules between items.
#[derive(Debug, Clone)]
pub struct ListSpec {
    /// The type of its items.
    pub items: Box<FieldSpec>,
    /// Fewest items.
    pub min_items: Option<usize>,
    /// Most items.
    pub max_items: Option<usize>,
    /// List of records: the share field whose values must add up to at most 1.
    pub shares_sum_at_most_one: Option<String>,
    /// List of records: the items must come in order of this field (a date, time or whole
    /// number): none before the one above it; equal values are allowed.
    pub ordered_by: Option<String>,
    /// List of records: no two items may have the same values of these fields (one field, or
    /// a list of fields that together are the key). Items without the first field are left
    /// out; a missing value of a further field counts as a value.
    pub unique: Option<FieldNames>,
    /// List of records: this whole-number field goes up by exactly one from item to item.
    pub consecutive: Option<String>,
    /// List of records, with `consecutive`: items with different values of this field form
    /// separate sequences (e.g. one numbering per section).
    pub consecutive_per: Option<String>,
}

impl FieldType {
    /// The type's name, as written after `type:`.
    pub fn kind(&self) -> FieldKind {
        match self {
            FieldType::Text { .. } => FieldKind::Text,
            FieldType::String { .. } => FieldKind::String,
            FieldType::Code { .. } => FieldKind::Code,
            FieldType::Enum { .. } => FieldKind::Enum,
            FieldType::Integer(_) => FieldKind::Integer,
            FieldType::Year(_) => FieldKind::Year,
            FieldType::Decimal(_) => FieldKind::Decimal,
            FieldType::Area { .. } => FieldKind::Area,
            FieldType::Share => FieldKind::Share,
            FieldType::Iin => FieldKind::Iin,
            FieldType::Bin => FieldKind::Bin,
            FieldType::IinOrBin => FieldKind::IinOrBin,
            FieldType::CadastralNumber => FieldKind::CadastralNumber,
            FieldType::Date(_) => FieldKind::Date,
            FieldType::Datetime(_) => FieldKind::Datetime,
            FieldType::Bool { .. } => FieldKind::Bool,
            FieldType::Record { .. } => FieldKind::Record,
            FieldType::List(_) => FieldKind::List,
            FieldType::Variant { .. } => FieldKind::Variant,
        }
    }
}

impl FieldKind {
    /// The name written after `type:` (`iin_or_bin`).
    pub fn name(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::String => "string",
            FieldKind::Code => "code",
            FieldKind::Enum => "enum",
            FieldKind::Integer => "integer",
            FieldKind::Year => "year",
            FieldKind::Decimal => "decimal",
            FieldKind::Area => "area",
            FieldKind::Share => "share",
            FieldKind::Iin => "iin",
            FieldKind::Bin => "bin",
            FieldKind::IinOrBin => "iin_or_bin",
            FieldKind::CadastralNumber => "cadastral_number",
            FieldKind::Date => "date",
            FieldKind::Datetime => "datetime",
            FieldKind::Bool => "bool",
            FieldKind::Record => "record",
            FieldKind::List => "list",
            FieldKind::Variant => "variant",
        }
    }
}

/// A field as written: every key of every type. [`FieldSpec`] is made of it, taking the keys
/// of its type; a key left over belongs to another type.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    #[serde(rename = "type")]
    kind: FieldKind,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    fields: Option<IndexMap<String, FieldSpec>>,
    #[serde(default)]
    items: Option<Box<FieldSpec>>,
    #[serde(default)]
    min_items: Option<usize>,
    #[serde(default)]
    max_items: Option<usize>,
    #[serde(default)]
    tag: Option<String>,
    #[serde(default)]
    variants: Option<IndexMap<String, IndexMap<String, FieldSpec>>>,
    #[serde(default)]
    dictionary: Option<String>,
    #[serde(default)]
    values: Option<IndexMap<String, Texts>>,
    #[serde(default)]
    min: Option<i64>,
    #[serde(default)]
    max: Option<i64>,
    #[serde(default)]
    max_length: Option<usize>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    not_after: Option<String>,
    #[serde(default)]
    after: Option<String>,
    #[serde(default)]
    shares_sum_at_most_one: Option<String>,
    #[serde(default)]
    ordered_by: Option<String>,
    #[serde(default)]
    unique: Option<FieldNames>,
    #[serde(default)]
    consecutive: Option<String>,
    #[serde(default)]
    consecutive_per: Option<String>,
    #[serde(default)]
    default: Option<bool>,
}

impl RawField {
    /// A key of a type still present (none once the field's type has taken its own).
    fn left_over(&self) -> Option<&'static str> {
        // A pattern, so that the usual case (nothing left) costs no more than a comparison
        // per key: a form is read at every start of the command-line tool.
        let RawField {
            fields: None,
            items: None,
            min_items: None,
            max_items: None,
            tag: None,
            variants: None,
            dictionary: None,
            values: None,
            min: None,
            max: None,
            max_length: None,
            unit: None,
            not_after: None,
            after: None,
            shares_sum_at_most_one: None,
            ordered_by: None,
            unique: None,
            consecutive: None,
            consecutive_per: None,
            default: None,
            ..
        } = self
        else {
            let keys = [
                ("fields", self.fields.is_some()),
                ("items", self.items.is_some()),
                ("min_items", self.min_items.is_some()),
                ("max_items", self.max_items.is_some()),
                ("tag", self.tag.is_some()),
                ("variants", self.variants.is_some()),
                ("dictionary", self.dictionary.is_some()),
                ("values", self.values.is_some()),
                ("min", self.min.is_some()),
                ("max", self.max.is_some()),
                ("max_length", self.max_length.is_some()),
                ("unit", self.unit.is_some()),
                ("not_after", self.not_after.is_some()),
                ("after", self.after.is_some()),
                ("shares_sum_at_most_one", self.shares_sum_at_most_one.is_some()),
                ("ordered_by", self.ordered_by.is_some()),
                ("unique", self.unique.is_some()),
                ("consecutive", self.consecutive.is_some()),
                ("consecutive_per", self.consecutive_per.is_some()),
                ("default", self.default.is_some()),
            ];
            return keys.into_iter().find(|(_, present)| *present).map(|(key, _)| key);
        };
        None
    }
}

/// Why a field of a form definition cannot be read; the messages are those of
/// [`super::check`], which reports the same problems with their position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    /// A key of another type, e.g. `unit` on a text field.
    #[error("`{key}` is not used by a {} field", .kind.name())]
    NotUsed {
        /// The key.
        key: &'static str,
        /// The field's type.
        kind: FieldKind,
    },
    /// The payload a type cannot do without, e.g. a code field's `dictionary`.
    #[error("a {} field needs `{key}`", .kind.name())]
    Needs {
        /// The field's type.
        kind: FieldKind,
        /// The missing key.
        key: &'static str,
    },
    /// A unit that is not `m2`, `m3`, `m` or `ha`.
    #[error("unknown unit \"{0}\"")]
    UnknownUnit(String),
}

impl TryFrom<RawField> for FieldSpec {
    type Error = FieldError;

    /// Takes the keys of the field's type; a key left over is an error, and so is a missing
    /// payload or an unknown unit.
    fn try_from(mut raw: RawField) -> Result<FieldSpec, FieldError> {
        let kind = raw.kind;
        let needs = |key: &'static str| FieldError::Needs { kind, key };
        let max_length = |raw: &mut RawField| raw.max_length.take().unwrap_or(DEFAULT_MAX_TEXT);
        let bounds = |raw: &mut RawField| Bounds { min: raw.min.take(), max: raw.max.take() };
        let ty = match kind {
            FieldKind::Text => FieldType::Text { max_length: max_length(&mut raw) },
            FieldKind::String => FieldType::String { max_length: max_length(&mut raw) },
            FieldKind::Code => FieldType::Code {
                dictionary: raw.dictionary.take().ok_or_else(|| needs("dictionary"))?,
                max_length: max_length(&mut raw),
            },
            FieldKind::Integer => FieldType::Integer(bounds(&mut raw)),
            FieldKind::Year => FieldType::Year(bounds(&mut raw)),
            FieldKind::Decimal => FieldType::Decimal(bounds(&mut raw)),
            FieldKind::Enum => FieldType::Enum { values: raw.values.take().ok_or_else(|| needs("values"))? },
            FieldKind::Area => FieldType::Area {
                unit: match raw.unit.take() {
                    None => AreaUnit::SquareMetre,
                    Some(unit) => AreaUnit::parse(&unit)
                        .filter(|u| u.code() == unit)
                        .ok_or(FieldError::UnknownUnit(unit))?,
                },
            },
            FieldKind::Share => FieldType::Share,
            FieldKind::Iin => FieldType::Iin,
            FieldKind::Bin => FieldType::Bin,
            FieldKind::IinOrBin => FieldType::IinOrBin,
            FieldKind::CadastralNumber => FieldType::CadastralNumber,
            FieldKind::Date | FieldKind::Datetime => {
                let rules = TimeRules { not_after: raw.not_after.take(), after: raw.after.take() };
                if kind == FieldKind::Date { FieldType::Date(rules) } else { FieldType::Datetime(rules) }
            }
            FieldKind::Bool => FieldType::Bool { default: raw.default.take() },
            FieldKind::Record => FieldType::Record { fields: raw.fields.take().unwrap_or_default() },
            FieldKind::List => FieldType::List(ListSpec {
                items: raw.items.take().ok_or_else(|| needs("items"))?,
                min_items: raw.min_items.take(),
                max_items: raw.max_items.take(),
                shares_sum_at_most_one: raw.shares_sum_at_most_one.take(),
                ordered_by: raw.ordered_by.take(),
                unique: raw.unique.take(),
                consecutive: raw.consecutive.take(),
                consecutive_per: raw.consecutive_per.take(),
            }),
            FieldKind::Variant => FieldType::Variant {
                tag: raw.tag.take().unwrap_or_else(|| "kind".into()),
                variants: raw.variants.take().ok_or_else(|| needs("variants"))?,
            },
        };
        if let Some(key) = raw.left_over() {
            return Err(FieldError::NotUsed { key, kind });
        }
        Ok(FieldSpec { ty, required: raw.required, description: raw.description })
    }
}

/// Names of fields: written as one name or as a list of names.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "OneOrMany")]
pub struct FieldNames(pub Vec<String>);

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl From<OneOrMany> for FieldNames {
    fn from(value: OneOrMany) -> Self {
        match value {
            OneOrMany::One(name) => FieldNames(vec![name]),
            OneOrMany::Many(names) => FieldNames(names),
        }
    }
}

/// Default of the `max_length` of a text field ([`FieldType::Text`]): long enough for any
/// paragraph of a form, short enough to refuse a runaway value.
pub const DEFAULT_MAX_TEXT: usize = 4000;

#[cfg(test)]
mod tests {
    use super::*;

    fn field(yaml: &str) -> Result<FieldSpec, String> {
        serde_saphyr::from_str::<FieldSpec>(yaml).map_err(|e| e.to_string())
    }

    fn refused(yaml: &str) -> String {
        match field(yaml) {
            Ok(spec) => panic!("{yaml} was read as {spec:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn each_type_holds_only_its_own_keys() {
        let spec =
            field("{type: code, dictionary: right_kind, max_length: 30, required: true}").expect("reads");
        assert!(spec.required);
        match spec.ty {
            FieldType::Code { dictionary, max_length } => {
                assert_eq!((dictionary.as_str(), max_length), ("right_kind", 30))
            }
            other => panic!("{other:?}"),
        }
        match field("{type: area, unit: ha}").expect("reads").ty {
            FieldType::Area { unit } => assert_eq!(unit, AreaUnit::Hectare),
            other => panic!("{other:?}"),
        }
        match field("{type: area}").expect("reads").ty {
            FieldType::Area { unit } => assert_eq!(unit, AreaUnit::SquareMetre),
            other => panic!("{other:?}"),
        }
        match field("{type: text}").expect("reads").ty {
            FieldType::Text { max_length } => assert_eq!(max_length, DEFAULT_MAX_TEXT),
            other => panic!("{other:?}"),
        }
        match field("{type: variant, variants: {a: {}}}").expect("reads").ty {
            FieldType::Variant { tag, variants } => assert_eq!((tag.as_str(), variants.len()), ("kind", 1)),
            other => panic!("{other:?}"),
        }
        match field("{type: list, items: {type: date}, unique: num, min_items: 1}").expect("reads").ty {
            FieldType::List(list) => {
                assert!(matches!(list.items.ty, FieldType::Date(_)));
                assert_eq!(list.unique, Some(FieldNames(vec!["num".into()])));
                assert_eq!(list.min_items, Some(1));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_key_of_another_type_is_refused_when_read() {
        assert!(refused("{type: text, unit: m2}").contains("`unit` is not used by a text field"));
        assert!(
            refused("{type: integer, max_length: 3}").contains("`max_length` is not used by a integer field")
        );
        assert!(refused("{type: date, dictionary: x}").contains("`dictionary` is not used by a date field"));
        let nested = "{type: record, fields: {a: {type: bool, min: 1}}}";
        assert!(refused(nested).contains("`min` is not used by a bool field"));
    }

    #[test]
    fn a_missing_payload_or_an_unknown_unit_is_refused_when_read() {
        assert!(refused("{type: code}").contains("a code field needs `dictionary`"));
        assert!(refused("{type: enum}").contains("a enum field needs `values`"));
        assert!(refused("{type: list}").contains("a list field needs `items`"));
        assert!(refused("{type: variant, tag: k}").contains("a variant field needs `variants`"));
        assert!(refused("{type: area, unit: m5}").contains("unknown unit \"m5\""));
        assert!(refused("{type: area, unit: м2}").contains("unknown unit \"м2\""));
    }

    /// A value for each key a field may have.
    const KEYS: &[(&str, &str)] = &[
        ("fields", "{}"),
        ("items", "{type: date}"),
        ("min_items", "1"),
        ("max_items", "2"),
        ("tag", "k"),
        ("variants", "{a: {}}"),
        ("dictionary", "d"),
        ("values", "{a: {kk: а, ru: а}}"),
        ("min", "1"),
        ("max", "2"),
        ("max_length", "3"),
        ("unit", "ha"),
        ("not_after", "x"),
        ("after", "x"),
        ("shares_sum_at_most_one", "x"),
        ("ordered_by", "x"),
        ("unique", "x"),
        ("consecutive", "x"),
        ("consecutive_per", "x"),
        ("default", "true"),
    ];

    /// The located check (`check.rs`, which `build.rs` runs too) and the types here accept the
    /// same keys for each type and need the same payload.
    #[test]
    fn the_types_take_the_keys_and_payloads_the_check_knows() {
        use super::super::check::KINDS;
        assert_eq!(KINDS.len(), 19);
        for kind in KINDS {
            let needed = kind.needs.map(|n| KEYS.iter().find(|(k, _)| *k == n).expect("a key")).into_iter();
            let payload: String = needed.clone().map(|(k, v)| format!(", {k}: {v}")).collect();
            let spec = field(&format!("{{type: {}{payload}}}", kind.name)).expect("reads");
            assert_eq!(spec.ty.kind().name(), kind.name);
            for (key, value) in KEYS.iter().filter(|(k, _)| Some(*k) != kind.needs) {
                let yaml = format!("{{type: {}{payload}, {key}: {value}}}", kind.name);
                match field(&yaml) {
                    Ok(_) => assert!(kind.keys.contains(key), "{yaml} was read"),
                    Err(e) => {
                        assert!(!kind.keys.contains(key), "{yaml}: {e}");
                        let expected = format!("`{key}` is not used by a {} field", kind.name);
                        assert!(e.contains(&expected), "{yaml}: {e}");
                    }
                }
            }
            if let Some(needed) = kind.needs {
                let e = refused(&format!("{{type: {}}}", kind.name));
                assert!(e.contains(&format!("a {} field needs `{needed}`", kind.name)), "{e}");
            }
        }
    }
}
