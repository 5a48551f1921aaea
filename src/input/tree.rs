//! Building the [`Node`] tree from what serde-saphyr reports.
//!
//! serde-saphyr deserializes into [`Raw`], a tree whose every value and key is wrapped in
//! [`Spanned`], so that each carries the line, column and byte span it was read from. [`Builder`]
//! then turns that tree into [`Node`]s: numbers get their text from the source, keys become
//! strings, and duplicate or complex keys are reported.

use std::fmt;
use std::sync::Arc;

use rustc_hash::FxHashSet;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use super::node::{Key, Node, NodeValue};
use crate::diag::{Diagnostic, FieldPath, SourcePos};
use crate::messages::Message;

/// A value as serde-saphyr hands it over, before numbers are given their source text.
#[derive(Debug)]
pub(super) enum Raw {
    /// `null`, `~` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number; the text is only a fallback for when the source span is unknown.
    Number {
        /// The number as Rust prints it.
        fallback: String,
        /// Whether it is finite (`.inf` and `.nan` are not).
        finite: bool,
    },
    /// A string, quoted or plain.
    String(String),
    /// A sequence.
    List(Vec<Spanned<Raw>>),
    /// A mapping, keys in source order (merged entries after the mapping's own).
    Map(Vec<(Spanned<Raw>, Spanned<Raw>)>),
}

/// Where a value sits: a chain of keys and indices up to the root, free to extend while the
/// tree is built, made into a [`FieldPath`] only when there is a problem to report.
#[derive(Clone, Copy)]
pub(super) enum Where<'a> {
    /// The document itself.
    Root,
    /// Under a key of the mapping at the first place.
    Key(&'a Where<'a>, &'a str),
    /// At an index of the list at the first place.
    Index(&'a Where<'a>, usize),
}

impl Where<'_> {
    fn path(&self) -> FieldPath {
        match self {
            Where::Root => FieldPath::root(),
            Where::Key(parent, key) => parent.path().key(key),
            Where::Index(parent, index) => parent.path().index(*index),
        }
    }
}

struct RawVisitor;

impl RawVisitor {
    fn number<E>(value: impl fmt::Display, finite: bool) -> Result<Raw, E> {
        Ok(Raw::Number { fallback: value.to_string(), finite })
    }
}

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Self::number(v, true)
    }

    fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
        Self::number(v, true)
    }

    fn visit_i128<E>(self, v: i128) -> Result<Raw, E> {
        Self::number(v, true)
    }

    fn visit_u128<E>(self, v: u128) -> Result<Raw, E> {
        Self::number(v, true)
    }

    fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
        Self::number(v, v.is_finite())
    }

    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::String(v))
    }

    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Raw, D::Error> {
        Raw::deserialize(deserializer)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Raw, D::Error> {
        Raw::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Raw>>()? {
            items.push(item);
        }
        Ok(Raw::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Raw>>()? {
            let value = map.next_value::<Spanned<Raw>>()?;
            entries.push((key, value));
        }
        Ok(Raw::Map(entries))
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

/// Whether `text` is a decimal number: `[-+]? (digits [. digits?] | . digits) ([eE] [-+]? digits)?`.
pub(super) fn is_decimal_number(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < bytes.len() && bytes[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < bytes.len() && (bytes[i] == b'-' || bytes[i] == b'+') {
        i += 1;
    }
    let mut mantissa = digits(&mut i);
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        mantissa += digits(&mut i);
    }
    if mantissa == 0 {
        return false;
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        i += 1;
        if i < bytes.len() && (bytes[i] == b'-' || bytes[i] == b'+') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == bytes.len()
}

/// Turns [`Raw`] trees into [`Node`]s, collecting problems with keys.
pub(super) struct Builder<'a> {
    file: Arc<str>,
    source: &'a str,
    /// Duplicate and complex keys found so far.
    pub(super) problems: Vec<Diagnostic>,
}

impl<'a> Builder<'a> {
    /// A builder for nodes read from `source`, positions naming `file`.
    pub(super) fn new(file: Arc<str>, source: &'a str) -> Self {
        Self { file, source, problems: Vec::new() }
    }

    /// The position of a location (1-based line and column in characters).
    pub(super) fn pos(&self, location: &Location) -> SourcePos {
        let clamp = |v: u64| u32::try_from(v).unwrap_or(u32::MAX).max(1);
        SourcePos { file: self.file.clone(), line: clamp(location.line()), column: clamp(location.column()) }
    }

    /// The source text of the node at `location`, when its byte span is known.
    pub(super) fn text(&self, location: &Location) -> Option<&'a str> {
        let span = location.span();
        let start = usize::try_from(span.byte_offset()?).ok()?;
        let len = usize::try_from(span.byte_len()?).ok()?;
        self.source.get(start..start.checked_add(len)?)
    }

    /// The source text of a scalar; aliases and merged values take the text of their definition.
    fn scalar_text(&self, spanned: &Spanned<Raw>) -> Option<&'a str> {
        self.text(&spanned.defined).map(str::trim)
    }

    /// Converts a spanned raw value into a [`Node`]. `at` is where it is, for key problems.
    pub(super) fn node(&mut self, spanned: Spanned<Raw>, at: &Where<'_>) -> Node {
        let pos = self.pos(&spanned.referenced);
        let text = self.scalar_text(&spanned);
        let value = match spanned.value {
            Raw::Null => NodeValue::Null,
            Raw::Bool(b) => NodeValue::Bool(b),
            Raw::String(s) => NodeValue::String(s),
            Raw::Number { fallback, finite } => match text {
                Some(t) if is_decimal_number(t) => NodeValue::Number(t.to_owned()),
                // Hexadecimal, octal, `.inf`, `.nan`: not decimal numbers, kept as written.
                Some(t) if !t.is_empty() && !t.starts_with(['"', '\'']) => NodeValue::String(t.to_owned()),
                _ if finite => NodeValue::Number(fallback),
                _ => NodeValue::String(fallback),
            },
            Raw::List(items) => NodeValue::List(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| self.node(item, &Where::Index(at, i)))
                    .collect(),
            ),
            Raw::Map(entries) => {
                let mut seen = FxHashSet::default();
                let mut out = Vec::with_capacity(entries.len());
                for (key, value) in entries {
                    let Some(key) = self.key(key, at) else { continue };
                    if !seen.insert(key.name.clone()) {
                        self.problems.push(
                            Diagnostic::error_msg(
                                at.path(),
                                Some(key.pos.clone()),
                                Message::new("input-duplicate-key")
                                    .arg("key", crate::diag::quoted(&key.name)),
                            )
                            .with_code("input.duplicate_key"),
                        );
                        continue;
                    }
                    let value = self.node(value, &Where::Key(at, &key.name));
                    out.push((key, value));
                }
                NodeValue::Map(out)
            }
        };
        Node { value, pos }
    }

    /// Converts a mapping key: scalars become their text, lists and mappings are reported.
    fn key(&mut self, spanned: Spanned<Raw>, at: &Where<'_>) -> Option<Key> {
        let pos = self.pos(&spanned.referenced);
        let text = self.scalar_text(&spanned);
        let name = match spanned.value {
            Raw::String(s) => s,
            Raw::Null => text.unwrap_or("").to_owned(),
            Raw::Bool(b) => text.map_or_else(|| b.to_string(), str::to_owned),
            Raw::Number { fallback, .. } => match text {
                Some(t) if !t.is_empty() && !t.starts_with(['"', '\'']) => t.to_owned(),
                _ => fallback,
            },
            Raw::List(_) | Raw::Map(_) => {
                self.problems.push(Diagnostic::error_msg(
                    at.path(),
                    Some(pos),
                    Message::new("input-key-not-string"),
                ));
                return None;
            }
        };
        Some(Key { name, pos })
    }
}
