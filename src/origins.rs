//! Where printed text comes from: the case field whose printed value a piece of text is part
//! of, so that what layout cannot place is reported about that field, at its position in
//! the case file.

use serde_json::Value as Json;

use crate::diag::{FieldPath, PathSegment, SourcePos};
use crate::domain::Lang;
use crate::input::{Node, NodeValue};
use crate::layout::Origins;
use crate::template::to_json;
use crate::validate::{Case, Value};

/// The fields of a case, printed in the languages of a document.
pub(crate) struct CaseOrigins<'a> {
    case: &'a Case,
    langs: &'a [Lang],
}

impl<'a> CaseOrigins<'a> {
    pub(crate) fn new(case: &'a Case, langs: &'a [Lang]) -> Self {
        CaseOrigins { case, langs }
    }
}

impl Origins for CaseOrigins<'_> {
    fn field_of(&self, text: &str) -> Option<(FieldPath, Option<SourcePos>)> {
        let needle = collapse(text);
        if needle.is_empty() {
            return None;
        }
        let path = find(&self.case.data, FieldPath::root(), &|value| {
            self.langs.iter().any(|&lang| match to_json(value, lang) {
                Json::String(printed) => collapse(&printed).contains(&needle),
                _ => false,
            })
        })?;
        let pos = self.case.source.as_deref().and_then(|node| node_at(node, &path)).map(|n| n.pos.clone());
        Some((path, pos))
    }
}

/// Text as layout prints it: words separated by single spaces.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split([' ', '\n', '\t', '\r']).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The path of the first value, in document order, that `matches`.
fn find(value: &Value, path: FieldPath, matches: &dyn Fn(&Value) -> bool) -> Option<FieldPath> {
    match value {
        Value::Record(fields) => fields.iter().find_map(|(key, v)| find(v, path.key(key), matches)),
        Value::List(items) => items.iter().enumerate().find_map(|(i, v)| find(v, path.index(i), matches)),
        Value::Null => None,
        leaf => matches(leaf).then_some(path),
    }
}

/// The node of the case file at `path`.
fn node_at<'n>(node: &'n Node, path: &FieldPath) -> Option<&'n Node> {
    path.0.iter().try_fold(node, |node, segment| match (segment, &node.value) {
        (PathSegment::Key(key), _) => node.get(key),
        (PathSegment::Index(i), NodeValue::List(items)) => items.get(*i),
        _ => None,
    })
}
