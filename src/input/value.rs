//! Case data given as a `serde_json::Value` rather than as text: [`load_value`].

use serde_json::Value;

use super::node::{Key, Node, NodeValue};
use super::{MAX_DEPTH, too_deep};
use crate::diag::{Diagnostic, FieldPath, SourcePos, StageResult};

/// Builds the [`Node`] tree of a case given as a value (a program's data, a register entry,
/// a request), without writing it as text and parsing it again.
///
/// `origin` names the data in messages (`request`, `register entry 12`): every node's
/// position is [`SourcePos::origin`], which prints as the name alone, with no line or column,
/// so that a diagnostic reads `error: request: objects[0].area: …`; field paths are exact.
///
/// Values map one to one: `null`, booleans, strings, arrays and objects (keys in their
/// order); a number is the text serde_json writes for it (`72.4`, `-3`, `1e20`), so a decimal
/// that must keep its trailing zeros is better given as a string. Nesting deeper than
/// [`MAX_DEPTH`] levels is refused with `nesting is deeper than 64 levels`, naming the field
/// where the 65th level starts; there is nothing else to refuse.
pub fn load_value(value: &Value, origin: &str) -> StageResult<Node> {
    let pos = SourcePos::origin(origin);
    node(value, &pos, &mut Vec::new()).map_err(|path| {
        vec![Diagnostic::error_msg(path_of(&path), Some(pos.clone()), too_deep()).with_code("input.syntax")]
    })
}

/// A step down from the root, to name the field where nesting is too deep.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn path_of(steps: &[Step]) -> FieldPath {
    steps.iter().fold(FieldPath::root(), |path, step| match step {
        Step::Key(key) => path.key(key),
        Step::Index(index) => path.index(*index),
    })
}

/// The node of `value` at `path`; `Err` with the path of the first list or mapping nested
/// deeper than [`MAX_DEPTH`].
fn node<'a>(value: &'a Value, pos: &SourcePos, path: &mut Vec<Step<'a>>) -> Result<Node, Vec<Step<'a>>> {
    let nested = matches!(value, Value::Array(_) | Value::Object(_));
    let depth = path.len();
    if nested && depth >= MAX_DEPTH {
        return Err(std::mem::take(path));
    }
    let value = match value {
        Value::Null => NodeValue::Null,
        Value::Bool(b) => NodeValue::Bool(*b),
        Value::Number(n) => NodeValue::Number(n.to_string()),
        Value::String(s) => NodeValue::String(s.clone()),
        Value::Array(items) => {
            let mut nodes = Vec::with_capacity(items.len());
            for (index, item) in items.iter().enumerate() {
                path.push(Step::Index(index));
                nodes.push(node(item, pos, path)?);
                path.pop();
            }
            NodeValue::List(nodes)
        }
        Value::Object(entries) => {
            let mut nodes = Vec::with_capacity(entries.len());
            for (key, item) in entries {
                path.push(Step::Key(key));
                let child = node(item, pos, path)?;
                path.pop();
                nodes.push((Key { name: key.clone(), pos: pos.clone() }, child));
            }
            NodeValue::Map(nodes)
        }
    };
    Ok(Node { value, pos: pos.clone() })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn values_map_one_to_one_with_the_origin_as_position() {
        let value =
            json!({"form": "stamp", "n": 72.4, "i": -3, "ok": true, "none": null, "list": ["a", {"b": 1}]});
        let node = load_value(&value, "request").expect("builds");
        let at = SourcePos::origin("request");
        let NodeValue::Map(entries) = &node.value else { panic!("{node:?}") };
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.name.as_str()).collect();
        assert_eq!(keys, ["form", "n", "i", "ok", "none", "list"]);
        assert!(entries.iter().all(|(k, v)| k.pos == at && v.pos == at));
        assert_eq!(node.get("form").and_then(Node::as_str), Some("stamp"));
        assert_eq!(node.get("n").unwrap().value, NodeValue::Number("72.4".into()));
        assert_eq!(node.get("i").unwrap().value, NodeValue::Number("-3".into()));
        assert_eq!(node.get("ok").unwrap().value, NodeValue::Bool(true));
        assert_eq!(node.get("none").unwrap().value, NodeValue::Null);
        let NodeValue::List(items) = &node.get("list").unwrap().value else { panic!() };
        assert_eq!(items[1].get("b").unwrap().value, NodeValue::Number("1".into()));
        assert_eq!(at.to_string(), "request");
    }

    #[test]
    fn nesting_is_limited_and_the_field_named() {
        let mut deep = json!(1);
        for _ in 0..MAX_DEPTH {
            deep = json!([deep]);
        }
        assert!(load_value(&json!({ "a": deep.clone() }), "x").is_err());
        assert!(load_value(&deep, "x").is_ok());
        let problems = load_value(&json!({"objects": [{ "a": deep }]}), "register entry 12").unwrap_err();
        assert_eq!(problems.len(), 1);
        let shown = problems[0].to_string();
        let expected_path = format!("objects[0].a{}", "[0]".repeat(MAX_DEPTH - 3));
        assert_eq!(
            shown,
            format!("error: register entry 12: {expected_path}: nesting is deeper than 64 levels")
        );
    }
}
