//! A form's definition, read from `templates/forms/<id>/form.yaml`: its legal source, the
//! languages it is printed in, and the schema of its data.

use indexmap::IndexMap;
use serde::Deserialize;

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

/// One field of a form's schema.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// The type.
    #[serde(rename = "type")]
    pub kind: FieldKind,
    /// Whether the field must be given.
    #[serde(default)]
    pub required: bool,
    /// What the field is, in English.
    #[serde(default)]
    pub description: Option<String>,
    /// Record: its fields.
    #[serde(default)]
    pub fields: IndexMap<String, FieldSpec>,
    /// List: the type of its items.
    #[serde(default)]
    pub items: Option<Box<FieldSpec>>,
    /// List: fewest items.
    #[serde(default)]
    pub min_items: Option<usize>,
    /// List: most items.
    #[serde(default)]
    pub max_items: Option<usize>,
    /// Variant: the name of the tag field.
    #[serde(default)]
    pub tag: Option<String>,
    /// Variant: fields of each variant.
    #[serde(default)]
    pub variants: IndexMap<String, IndexMap<String, FieldSpec>>,
    /// Code: the dictionary in `templates/codes.yaml`.
    #[serde(default)]
    pub dictionary: Option<String>,
    /// Enum: the values with their labels.
    #[serde(default)]
    pub values: IndexMap<String, Texts>,
    /// Integer or year: smallest value.
    #[serde(default)]
    pub min: Option<i64>,
    /// Integer or year: largest value.
    #[serde(default)]
    pub max: Option<i64>,
    /// Text or string: most characters.
    #[serde(default)]
    pub max_length: Option<usize>,
    /// Area: the unit when none is written (`m2`, `m3`, `m`, `ha`).
    #[serde(default)]
    pub unit: Option<String>,
    /// Date or time: must not be after this root field.
    #[serde(default)]
    pub not_after: Option<String>,
    /// Date or time: must be after this sibling field.
    #[serde(default)]
    pub after: Option<String>,
    /// List of records: the share field whose values must add up to at most 1.
    #[serde(default)]
    pub shares_sum_at_most_one: Option<String>,
    /// List of records: the items must come in order of this field (a date, time or whole
    /// number): none before the one above it; equal values are allowed.
    #[serde(default)]
    pub ordered_by: Option<String>,
    /// List of records: no two items may have the same values of these fields (one field, or
    /// a list of fields that together are the key). Items without the first field are left
    /// out; a missing value of a further field counts as a value.
    #[serde(default)]
    pub unique: Option<FieldNames>,
    /// List of records: this whole-number field goes up by exactly one from item to item.
    #[serde(default)]
    pub consecutive: Option<String>,
    /// List of records, with `consecutive`: items with different values of this field form
    /// separate sequences (e.g. one numbering per section).
    #[serde(default)]
    pub consecutive_per: Option<String>,
    /// Bool: value when not given.
    #[serde(default)]
    pub default: Option<bool>,
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

/// Default for [`FieldSpec::max_length`] of text: long enough for any paragraph of a form,
/// short enough to refuse a runaway value.
pub const DEFAULT_MAX_TEXT: usize = 4000;
