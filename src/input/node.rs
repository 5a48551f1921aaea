//! The position-keeping tree that the input stage produces.

use crate::diag::SourcePos;

/// A value read from YAML or JSON, with the position it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: NodeValue,
    /// Where the value starts in the source.
    pub pos: SourcePos,
}

/// The value of a [`Node`].
#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    /// `null`, `~` or an empty value.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, kept as the text it was written as (`72.40`, `-3`, `1e3`), so that decimals
    /// stay exact.
    Number(String),
    /// A string (quoted or plain scalar that is not a number, bool or null).
    String(String),
    /// A sequence.
    List(Vec<Node>),
    /// A mapping, in source order. Keys are strings with their own positions.
    Map(Vec<(Key, Node)>),
}

/// A mapping key with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key's text.
    pub name: String,
    /// Where the key is written.
    pub pos: SourcePos,
}

impl Node {
    /// The entry of a mapping with this key, if this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            NodeValue::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string value, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The kind of value as a keyword of the message `value-type`: `string`, `list`, ….
    pub fn kind_keyword(&self) -> &'static str {
        match &self.value {
            NodeValue::Null => "null",
            NodeValue::Bool(_) => "bool",
            NodeValue::Number(_) => "number",
            NodeValue::String(_) => "string",
            NodeValue::List(_) => "list",
            NodeValue::Map(_) => "mapping",
        }
    }

    /// The kind of value, in English, for messages: `a string`, `a mapping`, ….
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            NodeValue::Null => "null",
            NodeValue::Bool(_) => "a boolean",
            NodeValue::Number(_) => "a number",
            NodeValue::String(_) => "a string",
            NodeValue::List(_) => "a list",
            NodeValue::Map(_) => "a mapping",
        }
    }
}
