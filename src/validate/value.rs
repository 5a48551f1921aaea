//! The typed case: what validation produces and everything after it trusts.

use chrono::{NaiveDate, NaiveDateTime};
use indexmap::IndexMap;
use rust_decimal::Decimal;

use crate::domain::Bilingual;
use crate::domain::cadastral::CadastralNumber;
use crate::domain::number::Quantity;
use crate::domain::share::Share;

/// A validated value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Not given (optional fields).
    Null,
    /// Yes or no.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// An exact decimal.
    Decimal(Decimal),
    /// A decimal with a unit.
    Quantity(Quantity),
    /// A share in common ownership.
    Share(Share),
    /// Text per language.
    Text(Bilingual),
    /// A plain string (document numbers, identification numbers).
    Str(String),
    /// A dictionary or enum value: its code (if it came from a dictionary) and its label.
    Label {
        /// The code, when the value is from a dictionary or an enum.
        code: Option<String>,
        /// The printed label.
        label: Bilingual,
    },
    /// A cadastral number.
    Cadastral(CadastralNumber),
    /// A date.
    Date(NaiveDate),
    /// A date and time; the flag says whether seconds were given.
    DateTime(NaiveDateTime, bool),
    /// A list.
    List(Vec<Value>),
    /// A mapping with named fields (schema order).
    Record(IndexMap<String, Value>),
}

impl Value {
    /// The field of a record.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Record(fields) => fields.get(key),
            _ => None,
        }
    }

    /// The string of a `Str` value, or the code of a `Label`.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            Value::Label { code: Some(c), .. } => Some(c),
            _ => None,
        }
    }

    /// The date of a `Date` or `DateTime` value.
    pub fn as_datetime(&self) -> Option<NaiveDateTime> {
        match self {
            Value::Date(d) => d.and_hms_opt(0, 0, 0),
            Value::DateTime(dt, _) => Some(*dt),
            _ => None,
        }
    }
}

/// A validated case: the form it is for and its data.
#[derive(Debug, Clone)]
pub struct Case {
    /// The form's identifier.
    pub form: String,
    /// The data, a [`Value::Record`].
    pub data: Value,
    /// The tree the case was read from, for the positions of later problems (layout's).
    pub source: Option<std::sync::Arc<crate::input::Node>>,
}
