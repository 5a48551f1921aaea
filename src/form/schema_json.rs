//! JSON Schema (draft 2020-12) of a form's input, derived from its `form.yaml`.

use indexmap::IndexMap;
use serde_json::{Map, Value, json};

use super::{Codes, FieldKind, FieldSpec, FormSpec};

/// The JSON Schema of the input of a form.
pub fn schema(form: &FormSpec, codes: &Codes) -> Value {
    let mut root = record(&form.fields, codes);
    if let Value::Object(map) = &mut root {
        let mut props = match map.remove("properties") {
            Some(Value::Object(p)) => p,
            _ => Map::new(),
        };
        let mut with_form = Map::new();
        with_form.insert(
            "form".into(),
            json!({"const": form.id, "description": "the form this case is for (optional when the command names the form)"}),
        );
        with_form.append(&mut props);
        map.insert("properties".into(), Value::Object(with_form));
        map.insert("$schema".into(), json!("https://json-schema.org/draft/2020-12/schema"));
        map.insert("$id".into(), json!(format!("urn:anyqtama:form:{}", form.id)));
        map.insert("title".into(), json!(format!("{} / {}", form.title.kk, form.title.ru)));
        map.insert("description".into(), json!(form.source_line(crate::domain::Lang::En)));
    }
    root
}

fn record(fields: &IndexMap<String, FieldSpec>, codes: &Codes) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for (name, field) in fields {
        props.insert(name.clone(), field_schema(field, codes));
        if field.required {
            required.push(Value::String(name.clone()));
        }
    }
    json!({"type": "object", "properties": props, "required": required, "additionalProperties": false})
}

fn text_schema(max: usize) -> Value {
    json!({
        "oneOf": [
            {"type": "string", "maxLength": max},
            {
                "type": "object",
                "properties": {
                    "kk": {"type": "string", "maxLength": max},
                    "ru": {"type": "string", "maxLength": max},
                    "en": {"type": "string", "maxLength": max}
                },
                "required": ["kk", "ru"],
                "additionalProperties": false
            }
        ]
    })
}

fn field_schema(field: &FieldSpec, codes: &Codes) -> Value {
    let max = field.max_length.unwrap_or(super::spec::DEFAULT_MAX_TEXT);
    let mut schema = match field.kind {
        FieldKind::Text => text_schema(max),
        FieldKind::String => json!({"type": "string", "maxLength": max}),
        FieldKind::Code => {
            let known: Vec<&String> = field
                .dictionary
                .as_ref()
                .and_then(|d| codes.get(d))
                .map(|d| d.keys().collect())
                .unwrap_or_default();
            json!({"anyOf": [{"enum": known}, text_schema(max)]})
        }
        FieldKind::Enum => json!({"enum": field.values.keys().collect::<Vec<_>>()}),
        FieldKind::Integer => {
            let mut s = json!({"type": "integer"});
            if let Some(min) = field.min {
                s["minimum"] = json!(min);
            }
            if let Some(max) = field.max {
                s["maximum"] = json!(max);
            }
            s
        }
        FieldKind::Year => {
            json!({"type": "integer", "minimum": field.min.unwrap_or(1800), "maximum": field.max.unwrap_or(2100)})
        }
        FieldKind::Decimal => {
            json!({"type": ["number", "string"], "pattern": "^-?[0-9]+([.,][0-9]+)?$"})
        }
        FieldKind::Area => json!({
            "type": ["number", "string"],
            "pattern": "^[0-9]+([.,][0-9]+)?( ?(m2|m²|м²|м2|m3|m³|м³|м3|m|м|ha|га))?$",
            "description": format!("exact decimal, not negative; unit {} unless written", field.unit.as_deref().unwrap_or("m2"))
        }),
        FieldKind::Share => json!({"type": ["string", "integer"], "pattern": "^ *[0-9]+ *(/ *[0-9]+ *)?$"}),
        FieldKind::Iin | FieldKind::Bin | FieldKind::IinOrBin => {
            json!({"type": "string", "pattern": "^[0-9]{12}$", "description": "12 digits with a check digit"})
        }
        FieldKind::CadastralNumber => {
            json!({"type": "string", "pattern": "^[0-9]+([:\\- ][0-9]+){3,5}$"})
        }
        FieldKind::Date => {
            json!({"type": "string", "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{2}\\.[0-9]{2}\\.[0-9]{4})$"})
        }
        FieldKind::Datetime => {
            json!({"type": "string", "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2}[T ]|[0-9]{2}\\.[0-9]{2}\\.[0-9]{4} )[0-9]{2}:[0-9]{2}(:[0-9]{2})?$"})
        }
        FieldKind::Bool => json!({"type": "boolean"}),
        FieldKind::Record => record(&field.fields, codes),
        FieldKind::List => {
            let items = field.items.as_deref().map(|i| field_schema(i, codes)).unwrap_or(json!({}));
            let mut s = json!({"type": "array", "items": items});
            if let Some(min) = field.min_items {
                s["minItems"] = json!(min);
            }
            if let Some(max) = field.max_items {
                s["maxItems"] = json!(max);
            }
            // Rules between items have no JSON Schema keyword: they are annotations.
            if let Some(f) = &field.ordered_by {
                s["x-ordered-by"] = json!(f);
            }
            if let Some(keys) = &field.unique {
                s["x-unique"] = json!(keys.0);
            }
            if let Some(f) = &field.consecutive {
                s["x-consecutive"] = json!(f);
            }
            if let Some(f) = &field.consecutive_per {
                s["x-consecutive-per"] = json!(f);
            }
            s
        }
        FieldKind::Variant => {
            let tag = field.tag.clone().unwrap_or_else(|| "kind".into());
            let variants: Vec<Value> = field
                .variants
                .iter()
                .map(|(name, fields)| {
                    let mut s = record(fields, codes);
                    s["properties"][&tag] = json!({"const": name});
                    if let Some(req) = s["required"].as_array_mut() {
                        req.insert(0, json!(tag));
                    }
                    s
                })
                .collect();
            json!({"oneOf": variants})
        }
    };
    if let (Some(d), Value::Object(map)) = (&field.description, &mut schema) {
        map.entry("description").or_insert_with(|| json!(d));
    }
    schema
}
