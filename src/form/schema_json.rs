//! JSON Schema (draft 2020-12) of a form's input, derived from its `form.yaml`.

use indexmap::IndexMap;
use serde_json::{Map, Value, json};

use super::spec::Bounds;
use super::{Codes, FieldSpec, FieldType, FormSpec};

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
    let mut schema = match &field.ty {
        FieldType::Text { max_length } => text_schema(*max_length),
        FieldType::String { max_length } => json!({"type": "string", "maxLength": max_length}),
        FieldType::Code { dictionary, max_length } => {
            let known: Vec<&String> = codes.get(dictionary).map(|d| d.keys().collect()).unwrap_or_default();
            json!({"anyOf": [{"enum": known}, text_schema(*max_length)]})
        }
        FieldType::Enum { values } => json!({"enum": values.keys().collect::<Vec<_>>()}),
        FieldType::Integer(Bounds { min, max }) => {
            let mut s = json!({"type": "integer"});
            if let Some(min) = min {
                s["minimum"] = json!(min);
            }
            if let Some(max) = max {
                s["maximum"] = json!(max);
            }
            s
        }
        FieldType::Year(Bounds { min, max }) => {
            json!({"type": "integer", "minimum": min.unwrap_or(1800), "maximum": max.unwrap_or(2100)})
        }
        FieldType::Decimal(_) => {
            json!({"type": ["number", "string"], "pattern": "^-?[0-9]+([.,][0-9]+)?$"})
        }
        FieldType::Area { unit } => json!({
            "type": ["number", "string"],
            "pattern": "^[0-9]+([.,][0-9]+)?( ?(m2|m²|м²|м2|m3|m³|м³|м3|m|м|ha|га))?$",
            "description": format!("exact decimal, not negative; unit {} unless written", unit.code())
        }),
        FieldType::Share => json!({"type": ["string", "integer"], "pattern": "^ *[0-9]+ *(/ *[0-9]+ *)?$"}),
        FieldType::Iin | FieldType::Bin | FieldType::IinOrBin => {
            json!({"type": "string", "pattern": "^[0-9]{12}$", "description": "12 digits with a check digit"})
        }
        FieldType::CadastralNumber => {
            json!({"type": "string", "pattern": "^[0-9]+([:\\- ][0-9]+){3,5}$"})
        }
        FieldType::Date(_) => {
            json!({"type": "string", "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{2}\\.[0-9]{2}\\.[0-9]{4})$"})
        }
        FieldType::Datetime(_) => {
            json!({"type": "string", "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2}[T ]|[0-9]{2}\\.[0-9]{2}\\.[0-9]{4} )[0-9]{2}:[0-9]{2}(:[0-9]{2})?$"})
        }
        FieldType::Bool { .. } => json!({"type": "boolean"}),
        FieldType::Record { fields } => record(fields, codes),
        FieldType::List(list) => {
            let mut s = json!({"type": "array", "items": field_schema(&list.items, codes)});
            if let Some(min) = list.min_items {
                s["minItems"] = json!(min);
            }
            if let Some(max) = list.max_items {
                s["maxItems"] = json!(max);
            }
            // Rules between items have no JSON Schema keyword: they are annotations.
            if let Some(f) = &list.ordered_by {
                s["x-ordered-by"] = json!(f);
            }
            if let Some(keys) = &list.unique {
                s["x-unique"] = json!(keys.0);
            }
            if let Some(f) = &list.consecutive {
                s["x-consecutive"] = json!(f);
            }
            if let Some(f) = &list.consecutive_per {
                s["x-consecutive-per"] = json!(f);
            }
            s
        }
        FieldType::Variant { tag, variants } => {
            let variants: Vec<Value> = variants
                .iter()
                .map(|(name, fields)| {
                    let mut s = record(fields, codes);
                    s["properties"][tag] = json!({"const": name});
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
