//! Validation: a position-keeping [`Node`] tree + a form's schema → a typed [`Case`].
//!
//! Every problem is collected before returning, each with its field path and source position:
//! `case.yaml:14:9: objects[0].rights[1].share: 3/2 is more than a whole share`. Checks:
//! unknown and missing fields, types, IIN/BIN check digits, cadastral numbers, exact decimals
//! that are not negative, shares (each at most a whole, and the shares of one list adding up
//! to at most 1, in exact rational arithmetic), calendar dates, time order rules, text length,
//! characters no page can show (control characters, U+2028/U+2029, noncharacters; a tab or a
//! line break outside free text), glyph coverage of the bundled font, and Latin look-alike letters in Cyrillic words
//! (a warning; `fix_script` replaces them instead).
//!
//! Lists of records can declare rules between their items (`ordered_by`, `unique`,
//! `consecutive` with `consecutive_per`); a broken rule is reported at the item that breaks
//! it, naming the item it conflicts with: `entries[3].number: must be 23504, the number after
//! entries[2].number (23503); got 23506`.

mod value;

use chrono::NaiveDateTime;
use indexmap::IndexMap;

pub use value::{Case, Value};

use crate::diag::{Diagnostic, FieldPath, SourcePos};
use crate::domain::cadastral::CadastralNumber;
use crate::domain::ident::{self, IdKind};
use crate::domain::number::{self, AreaUnit};
use crate::domain::share::{self, Share};
use crate::domain::{Bilingual, date, script};
use crate::fonts::FontBook;
use crate::form::spec::{Bounds, FieldNames, ListSpec, TimeRules};
use crate::form::{Codes, FieldKind, FieldSpec, FieldType, Form};
use crate::input::{Node, NodeValue};
use crate::messages::Message;

/// Options of validation.
#[derive(Debug, Clone, Copy, Default)]
pub struct ValidateOptions {
    /// Replace Latin look-alike letters in Cyrillic words instead of warning about them.
    pub fix_script: bool,
    /// The zone a date and time with an offset from UTC (`2021-02-01T10:00:00Z`) is
    /// converted to: Kazakhstan's, UTC+5, by default.
    pub timezone: date::Timezone,
}

/// The outcome of validating one case: the case if it has no errors, and every diagnostic
/// (errors and warnings).
#[derive(Debug)]
pub struct Validated {
    /// The case, when there were no errors.
    pub case: Option<Case>,
    /// Errors and warnings, in document order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Validates a case file's tree against a form.
pub fn case(node: &Node, form: &Form, codes: &Codes, options: ValidateOptions) -> Validated {
    let mut v = Validator { codes, options, diags: Vec::new(), deferred: Vec::new() };
    let data = match &node.value {
        NodeValue::Map(_) => v.record(node, &form.spec.fields, &FieldPath::root(), &["form"]),
        _ => {
            v.error_as("value.type", &FieldPath::root(), &node.pos, expected("fields", node));
            Value::Null
        }
    };
    v.check_deferred(&data);
    let has_errors = v.diags.iter().any(Diagnostic::is_error);
    Validated {
        case: (!has_errors).then(|| Case { form: form.spec.id.clone(), data, source: None }),
        diagnostics: v.diags,
    }
}

/// A rule checked after the whole tree is read: a time that must not be after a root field.
struct NotAfter {
    path: FieldPath,
    pos: SourcePos,
    value: NaiveDateTime,
    limit_field: String,
}

struct Validator<'a> {
    codes: &'a Codes,
    options: ValidateOptions,
    diags: Vec<Diagnostic>,
    deferred: Vec<NotAfter>,
}

impl Validator<'_> {
    /// An error with its stable code (see `docs/diagnostic-codes.md`).
    fn error_as(&mut self, code: &'static str, path: &FieldPath, pos: &SourcePos, message: Message) {
        self.diags.push(Diagnostic::error_msg(path.clone(), Some(pos.clone()), message).with_code(code));
    }

    fn record(
        &mut self,
        node: &Node,
        fields: &IndexMap<String, FieldSpec>,
        path: &FieldPath,
        skip: &[&str],
    ) -> Value {
        let NodeValue::Map(entries) = &node.value else {
            self.error_as("value.type", path, &node.pos, expected("mapping", node));
            return Value::Null;
        };
        for (key, _) in entries {
            if !fields.contains_key(&key.name) && !skip.contains(&key.name.as_str()) {
                let mut d = Diagnostic::error_msg(
                    path.key(&key.name),
                    Some(key.pos.clone()),
                    Message::new("field-unknown").arg("name", crate::diag::quoted(&key.name)),
                )
                .with_code("field.unknown");
                if let Some(close) = closest(&key.name, fields.keys()) {
                    d = d.with_hint_msg(Message::new("hint-did-you-mean").arg("name", close));
                } else {
                    d = d.with_hint_msg(
                        Message::new("hint-expected-one-of")
                            .arg("names", fields.keys().map(String::as_str).collect::<Vec<_>>().join(", ")),
                    );
                }
                self.diags.push(d);
            }
        }
        let mut out = IndexMap::new();
        for (name, spec) in fields {
            let given = entries.iter().find(|(k, _)| &k.name == name).map(|(_, v)| v);
            let value = match given {
                Some(child) if !matches!(child.value, NodeValue::Null) => {
                    self.value(child, spec, &path.key(name))
                }
                _ => {
                    if spec.required {
                        let d = Diagnostic::error_msg(
                            path.key(name),
                            Some(node.pos.clone()),
                            Message::new("field-required"),
                        )
                        .with_code("field.required");
                        self.diags.push(d);
                    }
                    match spec.ty {
                        FieldType::Bool { default: Some(b) } => Value::Bool(b),
                        FieldType::List(_) => Value::List(Vec::new()),
                        _ => Value::Null,
                    }
                }
            };
            out.insert(name.clone(), value);
        }
        // Rules between siblings.
        for (name, spec) in fields {
            if let FieldType::Date(TimeRules { after: Some(other), .. })
            | FieldType::Datetime(TimeRules { after: Some(other), .. }) = &spec.ty
                && let (Some(this), Some(that)) =
                    (out.get(name).and_then(Value::as_datetime), out.get(other).and_then(Value::as_datetime))
                && this <= that
            {
                let pos = entries.iter().find(|(k, _)| &k.name == name).map(|(_, v)| v.pos.clone());
                let shown = out.get(other).map(show_time).unwrap_or_default();
                self.diags.push(
                    Diagnostic::error_msg(
                        path.key(name),
                        pos,
                        Message::new("time-after").arg("field", other).arg("value", shown),
                    )
                    .with_code("time.order"),
                );
            }
        }
        Value::Record(out)
    }

    fn value(&mut self, node: &Node, spec: &FieldSpec, path: &FieldPath) -> Value {
        let lines = matches!(spec.ty, FieldType::Text { .. } | FieldType::Code { .. });
        if let NodeValue::String(s) = &node.value
            && !self.check_characters(s, lines, node, path)
        {
            return Value::Null;
        }
        match &spec.ty {
            FieldType::Text { max_length } => match self.text(node, *max_length, path) {
                Some(text) if spec.required && [&text.kk, &text.ru].iter().any(|t| t.trim().is_empty()) => {
                    self.error_as("value.empty", path, &node.pos, Message::new("value-empty"));
                    Value::Null
                }
                Some(text) => Value::Text(text),
                None => Value::Null,
            },
            FieldType::String { max_length } => match scalar_text(node) {
                Some(s) if spec.required && s.trim().is_empty() => {
                    self.error_as("value.empty", path, &node.pos, Message::new("value-empty"));
                    Value::Null
                }
                Some(s) => {
                    self.check_length(&s, *max_length, node, path);
                    self.check_glyphs(&s, node, path);
                    Value::Str(s)
                }
                None => self.expected(node, path, "string"),
            },
            FieldType::Code { dictionary, max_length } => self.code(node, dictionary, *max_length, path),
            FieldType::Enum { values } => match scalar_text(node) {
                Some(s) => match values.get(&s) {
                    Some(label) => Value::Label { code: Some(s), label: label.to_bilingual() },
                    None => {
                        let known = values.keys().map(String::as_str).collect::<Vec<_>>().join(", ");
                        self.error_as(
                            "value.unknown",
                            path,
                            &node.pos,
                            Message::new("value-unknown").arg("value", s).arg("known", known),
                        );
                        Value::Null
                    }
                },
                None => self.expected(node, path, "string"),
            },
            FieldType::Integer(bounds) => self.integer(node, *bounds, path),
            FieldType::Year(Bounds { min, max }) => {
                let bounds = Bounds { min: min.or(Some(1800)), max: max.or(Some(2100)) };
                self.integer(node, bounds, path)
            }
            FieldType::Decimal(_) => match number_text(node) {
                Some(t) => match number::parse_decimal(&t) {
                    Ok(d) => Value::Decimal(d),
                    Err(e) => {
                        self.error_as("value.format", path, &node.pos, e.message());
                        Value::Null
                    }
                },
                None => self.expected(node, path, "number"),
            },
            FieldType::Area { unit } => self.area(node, *unit, path),
            FieldType::Share => match number_text(node) {
                Some(t) => match Share::parse(&t) {
                    Ok(s) => Value::Share(s),
                    Err(e) => {
                        self.error_as("value.format", path, &node.pos, e.message());
                        Value::Null
                    }
                },
                None => self.expected(node, path, "share"),
            },
            FieldType::Iin | FieldType::Bin | FieldType::IinOrBin => self.ident(node, spec.ty.kind(), path),
            FieldType::CadastralNumber => match scalar_text(node) {
                Some(s) => match CadastralNumber::parse(&s) {
                    Ok(c) => Value::Cadastral(c),
                    Err(e) => {
                        self.error_as("value.format", path, &node.pos, e.message());
                        Value::Null
                    }
                },
                None => self.expected(node, path, "cadastral"),
            },
            FieldType::Date(rules) => match scalar_text(node) {
                Some(s) => match date::parse_date(&s) {
                    Ok(d) => {
                        self.defer_not_after(rules, path, node, d.and_hms_opt(0, 0, 0));
                        Value::Date(d)
                    }
                    Err(e) => {
                        self.error_as("value.format", path, &node.pos, e.message());
                        Value::Null
                    }
                },
                None => self.expected(node, path, "date"),
            },
            FieldType::Datetime(rules) => match scalar_text(node) {
                Some(s) => match date::parse_datetime_in(&s, self.options.timezone) {
                    Ok((dt, seconds)) => {
                        self.defer_not_after(rules, path, node, Some(dt));
                        Value::DateTime(dt, seconds)
                    }
                    Err(e) => {
                        self.error_as("value.format", path, &node.pos, e.message());
                        Value::Null
                    }
                },
                None => self.expected(node, path, "datetime"),
            },
            FieldType::Bool { .. } => match node.value {
                NodeValue::Bool(b) => Value::Bool(b),
                _ => self.expected(node, path, "bool"),
            },
            FieldType::Record { fields } => self.record(node, fields, path, &[]),
            FieldType::List(list) => self.list(node, list, path),
            FieldType::Variant { tag, variants } => self.variant(node, tag, variants, path),
        }
    }

    /// A value of the wrong kind: `what` is a keyword of the message `value-type`.
    fn expected(&mut self, node: &Node, path: &FieldPath, what: &str) -> Value {
        self.error_as("value.type", path, &node.pos, expected(what, node));
        Value::Null
    }

    /// Free text of at most `max_length` characters in each language.
    fn text(&mut self, node: &Node, max_length: usize, path: &FieldPath) -> Option<Bilingual> {
        let text = match &node.value {
            NodeValue::String(_) | NodeValue::Number(_) => {
                let s = scalar_text(node)?;
                Bilingual::same(self.script(&s, node, path))
            }
            NodeValue::Map(entries) => {
                let mut b = Bilingual::default();
                let (mut kk, mut ru, mut unprintable) = (false, false, false);
                for (key, value) in entries {
                    let sub = path.key(&key.name);
                    let Some(s) = scalar_text(value) else {
                        self.expected(value, &sub, "string");
                        continue;
                    };
                    let printable = self.check_characters(&s, true, value, &sub);
                    unprintable |= !printable;
                    let s = if printable { self.script(&s, value, &sub) } else { String::new() };
                    match key.name.as_str() {
                        "kk" => (b.kk, kk) = (s, true),
                        "ru" => (b.ru, ru) = (s, true),
                        "en" => b.en = Some(s),
                        other => self.error_as(
                            "text.language",
                            &sub,
                            &key.pos,
                            Message::new("text-language").arg("lang", crate::diag::quoted(other)),
                        ),
                    }
                }
                if !kk {
                    self.error_as("text.missing_language", path, &node.pos, Message::new("text-missing-kk"));
                }
                if !ru {
                    self.error_as("text.missing_language", path, &node.pos, Message::new("text-missing-ru"));
                }
                if !(kk && ru) || unprintable {
                    return None;
                }
                b
            }
            _ => {
                self.expected(node, path, "text");
                return None;
            }
        };
        let mut distinct: Vec<&String> = Vec::new();
        for s in [Some(&text.kk), Some(&text.ru), text.en.as_ref()].into_iter().flatten() {
            if !distinct.contains(&s) {
                distinct.push(s);
            }
        }
        for s in distinct {
            if !self.check_length(s, max_length, node, path) {
                return None;
            }
            self.check_glyphs(s, node, path);
        }
        Some(text)
    }

    /// Warns about (or, with `fix_script`, replaces) Latin look-alike letters.
    fn script(&mut self, s: &str, node: &Node, path: &FieldPath) -> String {
        let found = script::find_lookalikes(s);
        if found.is_empty() {
            return s.to_owned();
        }
        if self.options.fix_script {
            return script::fix_lookalikes(s);
        }
        for l in found.iter().take(3) {
            let d =
                Diagnostic::warning_msg(path.clone(), Some(node.pos.clone()), script::describe_message(l))
                    .with_code("text.lookalike")
                    .with_hint_msg(Message::new("hint-fix-script"));
            self.diags.push(d);
        }
        s.to_owned()
    }

    /// Refuses a character no page can show (see [`unprintable`]); a tab or a line break
    /// only where the field holds `lines` of free text. False when one was found.
    fn check_characters(&mut self, s: &str, lines: bool, node: &Node, path: &FieldPath) -> bool {
        let Some(c) = s.chars().find(|&c| unprintable(c, lines).is_some()) else { return true };
        let what = unprintable(c, lines).unwrap_or_default();
        self.error_as(
            "text.character",
            path,
            &node.pos,
            Message::new("text-character").arg("code", format!("U+{:04X}", c as u32)).arg("what", what),
        );
        false
    }

    fn check_length(&mut self, s: &str, max: usize, node: &Node, path: &FieldPath) -> bool {
        let count = s.chars().count();
        if count > max {
            self.error_as(
                "text.too_long",
                path,
                &node.pos,
                Message::new("text-too-long").num("count", to_i64(count)).num("max", to_i64(max)),
            );
            return false;
        }
        true
    }

    fn check_glyphs(&mut self, s: &str, node: &Node, path: &FieldPath) {
        let book = FontBook::get();
        if let Some(c) = book.first_missing(s) {
            let name = book.face(crate::fonts::FontStyle::Regular).name;
            self.error_as(
                "text.no_glyph",
                path,
                &node.pos,
                Message::new("text-no-glyph").arg("font", name).arg("char", shown_char(c)),
            );
        }
    }

    /// A code of `name`'s dictionary, or free text of at most `max_length` characters.
    fn code(&mut self, node: &Node, name: &str, max_length: usize, path: &FieldPath) -> Value {
        if let (Some(s), Some(dict)) = (node.as_str(), self.codes.get(name)) {
            if let Some(label) = dict.get(s) {
                return Value::Label { code: Some(s.to_owned()), label: label.to_bilingual() };
            }
            if !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                let mut d = Diagnostic::error_msg(
                    path.clone(),
                    Some(node.pos.clone()),
                    Message::new("value-unknown-code").arg("code", s).arg("dictionary", name),
                )
                .with_code("value.unknown_code");
                d = match closest(s, dict.keys()) {
                    Some(close) => d.with_hint_msg(
                        Message::new("hint-code-did-you-mean").arg("code", close).arg("dictionary", name),
                    ),
                    None => d.with_hint_msg(Message::new("hint-code-list").arg("dictionary", name)),
                };
                self.diags.push(d);
                return Value::Null;
            }
        }
        match self.text(node, max_length, path) {
            Some(label) => Value::Label { code: None, label },
            None => Value::Null,
        }
    }

    fn integer(&mut self, node: &Node, Bounds { min, max }: Bounds, path: &FieldPath) -> Value {
        let Some(t) = number_text(node) else {
            return self.expected(node, path, "integer");
        };
        let Ok(n) = t.trim().parse::<i64>() else {
            self.error_as("number.format", path, &node.pos, Message::new("number-not-whole").arg("value", t));
            return Value::Null;
        };
        if let Some(min) = min
            && n < min
        {
            self.error_as(
                "number.range",
                path,
                &node.pos,
                Message::new("number-at-least").num("min", min).arg("value", n.to_string()),
            );
            return Value::Null;
        }
        if let Some(max) = max
            && n > max
        {
            self.error_as(
                "number.range",
                path,
                &node.pos,
                Message::new("number-at-most").num("max", max).arg("value", n.to_string()),
            );
            return Value::Null;
        }
        Value::Int(n)
    }

    fn area(&mut self, node: &Node, unit: AreaUnit, path: &FieldPath) -> Value {
        let Some(t) = number_text(node) else {
            return self.expected(node, path, "area");
        };
        match number::parse_quantity(&t, unit) {
            Ok(q) if q.value.is_sign_negative() && !q.value.is_zero() => {
                self.error_as(
                    "number.range",
                    path,
                    &node.pos,
                    Message::new("number-negative").arg("value", t.trim()),
                );
                Value::Null
            }
            Ok(q) => Value::Quantity(q),
            Err(e) => {
                self.error_as("value.format", path, &node.pos, e.message());
                Value::Null
            }
        }
    }

    fn ident(&mut self, node: &Node, kind: FieldKind, path: &FieldPath) -> Value {
        let Some(s) = scalar_text(node) else {
            return self.expected(node, path, "digits");
        };
        let result = match kind {
            FieldKind::Iin => ident::check(IdKind::Iin, &s),
            FieldKind::Bin => ident::check(IdKind::Bin, &s),
            _ => ident::check(IdKind::Iin, &s).or_else(|_| ident::check(IdKind::Bin, &s)),
        };
        match result {
            Ok(()) => Value::Str(s),
            Err(e) => {
                let code = match e {
                    ident::IdError::WrongCheckDigit { .. } => "value.check_digit",
                    _ => "value.format",
                };
                self.error_as(code, path, &node.pos, e.message());
                Value::Null
            }
        }
    }

    fn list(&mut self, node: &Node, spec: &ListSpec, path: &FieldPath) -> Value {
        let NodeValue::List(items) = &node.value else {
            return self.expected(node, path, "list");
        };
        if let Some(min) = spec.min_items
            && items.len() < min
        {
            self.error_as(
                "list.too_short",
                path,
                &node.pos,
                Message::new("list-too-short").num("min", to_i64(min)),
            );
        }
        if let Some(max) = spec.max_items
            && items.len() > max
        {
            self.error_as(
                "list.too_long",
                path,
                &node.pos,
                Message::new("list-too-long").num("count", to_i64(items.len())).num("max", to_i64(max)),
            );
        }
        let item_spec = &*spec.items;
        let values: Vec<Value> =
            items.iter().enumerate().map(|(i, item)| self.value(item, item_spec, &path.index(i))).collect();
        if let Some(field) = &spec.shares_sum_at_most_one {
            let shares: Vec<Share> = values
                .iter()
                .filter_map(|v| match v.get(field) {
                    Some(Value::Share(s)) => Some(*s),
                    _ => None,
                })
                .collect();
            match share::sum(&shares) {
                Ok(total) if total.is_more_than_one() => {
                    self.error_as(
                        "share.total",
                        path,
                        &node.pos,
                        Message::new("share-total").arg("total", total.to_string()),
                    );
                }
                Ok(_) => {}
                Err(e) => self.error_as("value.format", path, &node.pos, e.message()),
            }
        }
        self.list_rules(items, &values, spec, path);
        Value::List(values)
    }

    /// Rules between the items of a list of records. An item whose field was given but is
    /// invalid (already reported) is left out of the rules of that field.
    fn list_rules(&mut self, items: &[Node], values: &[Value], spec: &ListSpec, path: &FieldPath) {
        let node_of =
            |i: usize, field: &str| items[i].get(field).filter(|n| !matches!(n.value, NodeValue::Null));
        let pos_of =
            |i: usize, field: &str| node_of(i, field).map(|n| n.pos.clone()).unwrap_or(items[i].pos.clone());
        // The value of a field, `Some(Null)` when not given, `None` when invalid.
        let field_of = |i: usize, field: &str| -> Option<&Value> {
            let value = values[i].get(field)?;
            match (value, node_of(i, field)) {
                (Value::Null, Some(_)) => None,
                _ => Some(value),
            }
        };

        let mut duplicate = vec![false; values.len()];
        if let Some(FieldNames(keys)) = &spec.unique
            && let Some(first) = keys.first()
        {
            let mut seen: IndexMap<Vec<String>, usize> = IndexMap::new();
            for (i, is_duplicate) in duplicate.iter_mut().enumerate() {
                let Some(key) = keys.iter().map(|k| field_of(i, k)).collect::<Option<Vec<&Value>>>() else {
                    continue;
                };
                if key.first().is_some_and(|v| matches!(v, Value::Null)) {
                    continue;
                }
                let text: Vec<String> = key.iter().map(|v| show_value(v)).collect();
                match seen.get(&text) {
                    Some(&j) => {
                        *is_duplicate = true;
                        self.error_as(
                            "list.duplicate",
                            &path.index(i).key(first),
                            &pos_of(i, first),
                            Message::new("list-duplicate")
                                .and_list("fields", keys.iter().cloned())
                                .arg("other", path.index(j).to_string())
                                .arg("values", text.join(", ")),
                        );
                    }
                    None => {
                        seen.insert(text, i);
                    }
                }
            }
        }

        if let Some(field) = &spec.ordered_by {
            let mut previous: Option<(usize, OrderKey, &Value)> = None;
            for i in 0..values.len() {
                let Some(value) = field_of(i, field) else { continue };
                let Some(key) = OrderKey::of(value) else { continue };
                if let Some((j, before, shown)) = &previous
                    && key.partial_cmp(before) == Some(std::cmp::Ordering::Less)
                {
                    self.error_as(
                        "list.order",
                        &path.index(i).key(field),
                        &pos_of(i, field),
                        Message::new("list-order")
                            .arg("value", show_value(value))
                            .arg("other", path.index(*j).key(field).to_string())
                            .arg("previous", show_value(shown))
                            .arg("field", field),
                    );
                }
                previous = Some((i, key, value));
            }
        }

        if let Some(field) = &spec.consecutive {
            let mut last: IndexMap<String, (usize, i64)> = IndexMap::new();
            for (i, _) in duplicate.iter().enumerate().filter(|(_, d)| !**d) {
                let Some(Value::Int(n)) = field_of(i, field) else { continue };
                let group = match &spec.consecutive_per {
                    Some(per) => match field_of(i, per) {
                        Some(v) => show_value(v),
                        None => continue,
                    },
                    None => String::new(),
                };
                if let Some(&(j, m)) = last.get(&group)
                    && *n != m + 1
                {
                    self.error_as(
                        "list.sequence",
                        &path.index(i).key(field),
                        &pos_of(i, field),
                        Message::new("list-sequence")
                            .arg("expected", (m + 1).to_string())
                            .arg("other", path.index(j).key(field).to_string())
                            .arg("previous", m.to_string())
                            .arg("value", n.to_string()),
                    );
                }
                last.insert(group, (i, *n));
            }
        }
    }

    fn variant(
        &mut self,
        node: &Node,
        tag: &str,
        variants: &IndexMap<String, IndexMap<String, FieldSpec>>,
        path: &FieldPath,
    ) -> Value {
        let names = || variants.keys().map(String::as_str);
        let NodeValue::Map(_) = &node.value else {
            return self.expected(node, path, "mapping");
        };
        let Some(tag_node) = node.get(tag) else {
            self.error_as(
                "field.required",
                &path.key(tag),
                &node.pos,
                Message::new("field-required-variant").or_list("names", names()),
            );
            return Value::Null;
        };
        let Some(name) = tag_node.as_str() else {
            return self.expected(tag_node, &path.key(tag), "string");
        };
        let Some(fields) = variants.get(name) else {
            self.error_as(
                "value.unknown",
                &path.key(tag),
                &tag_node.pos,
                Message::new("value-unknown-variant")
                    .arg("tag", tag)
                    .arg("value", name)
                    .or_list("names", names()),
            );
            return Value::Null;
        };
        let mut value = self.record(node, fields, path, &[tag]);
        if let Value::Record(map) = &mut value {
            map.insert(tag.to_owned(), Value::Str(name.to_owned()));
        }
        value
    }

    fn defer_not_after(
        &mut self,
        rules: &TimeRules,
        path: &FieldPath,
        node: &Node,
        value: Option<NaiveDateTime>,
    ) {
        if let (Some(limit), Some(value)) = (&rules.not_after, value) {
            self.deferred.push(NotAfter {
                path: path.clone(),
                pos: node.pos.clone(),
                value,
                limit_field: limit.clone(),
            });
        }
    }

    fn check_deferred(&mut self, data: &Value) {
        for rule in std::mem::take(&mut self.deferred) {
            let Some(limit_value) = data.get(&rule.limit_field) else { continue };
            let Some(limit) = limit_value.as_datetime() else { continue };
            // A date-only limit covers its whole day.
            let limit = match limit_value {
                Value::Date(d) => d.and_hms_opt(23, 59, 59).unwrap_or(limit),
                _ => limit,
            };
            if rule.value > limit {
                self.diags.push(
                    Diagnostic::error_msg(
                        rule.path,
                        Some(rule.pos),
                        Message::new("time-not-after")
                            .arg("field", rule.limit_field)
                            .arg("value", show_time(limit_value)),
                    )
                    .with_code("time.order"),
                );
            }
        }
        self.diags.sort_by(|a, b| {
            let key = |d: &Diagnostic| d.pos.as_ref().map(|p| (p.line, p.column)).unwrap_or((0, 0));
            key(a).cmp(&key(b))
        });
    }
}

/// A value that items of a list can be ordered by.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
enum OrderKey {
    Time(NaiveDateTime),
    Int(i64),
}

impl OrderKey {
    fn of(value: &Value) -> Option<OrderKey> {
        match value {
            Value::Int(n) => Some(OrderKey::Int(*n)),
            other => other.as_datetime().map(OrderKey::Time),
        }
    }
}

/// A value as printed in messages about rules between items.
fn show_value(value: &Value) -> String {
    match value {
        Value::Null => "none".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(n) => n.to_string(),
        Value::Decimal(d) => d.to_string(),
        Value::Str(s) => s.clone(),
        Value::Label { code: Some(code), .. } => code.clone(),
        Value::Label { label, .. } => label.kk.clone(),
        Value::Text(t) => t.kk.clone(),
        Value::Date(_) | Value::DateTime(..) => show_time(value),
        Value::Quantity(q) => q.format(crate::domain::Lang::Ru),
        Value::Share(s) => s.to_string(),
        Value::Cadastral(c) => c.to_string(),
        Value::List(_) | Value::Record(_) => "…".into(),
    }
}

/// A date or time as printed in messages.
fn show_time(value: &Value) -> String {
    match value {
        Value::Date(d) => date::numeric(*d),
        Value::DateTime(dt, s) => date::numeric_datetime(*dt, *s),
        _ => String::new(),
    }
}

/// "expected `what`, got (the kind of `node`)": `what` is a keyword of the message
/// `value-type` (`string`, `date`, `fields`, …).
fn expected(what: &str, node: &Node) -> Message {
    Message::new("value-type").arg("expected", what).arg("got", node.kind_keyword())
}

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The text of a string or number scalar.
fn scalar_text(node: &Node) -> Option<String> {
    match &node.value {
        NodeValue::String(s) | NodeValue::Number(s) => Some(s.clone()),
        _ => None,
    }
}

/// A character for a message: `'☒' (U+2612)` when it is visible (a letter, number,
/// punctuation or symbol), `U+FEFF` alone when it is not (spaces, format characters, marks,
/// private-use and unassigned code points).
fn shown_char(c: char) -> String {
    use unicode_properties::{GeneralCategoryGroup as Group, UnicodeGeneralCategory};
    match c.general_category_group() {
        Group::Letter | Group::Number | Group::Punctuation | Group::Symbol => {
            format!("'{c}' (U+{:04X})", c as u32)
        }
        _ => format!("U+{:04X}", c as u32),
    }
}

/// What `c` is when no printed field can hold it: a control character (U+0000–U+001F,
/// U+007F–U+009F, which includes U+0085), a line or paragraph separator (U+2028, U+2029) or a
/// noncharacter (U+FDD0–U+FDEF, U+FFFE and U+FFFF of every plane). A tab and a line feed are
/// allowed in free text (`lines`), and refused in one-line fields. The answer is a keyword of
/// the message `text-character`.
fn unprintable(c: char, lines: bool) -> Option<&'static str> {
    let code = c as u32;
    match c {
        '\t' | '\n' if lines => None,
        '\t' => Some("tab"),
        '\n' => Some("line-break"),
        _ if c.is_control() => Some("control"),
        '\u{2028}' => Some("line-separator"),
        '\u{2029}' => Some("paragraph-separator"),
        _ if (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE => Some("noncharacter"),
        _ => None,
    }
}

/// The text of a number, or of a string that holds one.
fn number_text(node: &Node) -> Option<String> {
    scalar_text(node)
}

/// The known name closest to `name`, if it is a likely typo.
fn closest<'a>(name: &str, known: impl Iterator<Item = &'a String>) -> Option<&'a str> {
    known
        .map(|k| (edit_distance(name, k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4) && *d < k.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.as_str())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests;
