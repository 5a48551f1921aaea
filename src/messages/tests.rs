use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement, VariantKey};
use fluent_syntax::parser;

use super::*;
use crate::diag::{FieldPath, SourcePos};

/// What a message needs: its variables, and the keywords its selectors choose by (plural
/// categories and number keys left out: Russian has plural forms English has not).
#[derive(Debug, Default, PartialEq, Eq)]
struct Shape {
    variables: BTreeSet<String>,
    keywords: BTreeSet<(String, String)>,
}

fn walk_pattern(pattern: &Pattern<&str>, shape: &mut Shape) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            walk_expression(expression, shape);
        }
    }
}

fn walk_inline(inline: &InlineExpression<&str>, shape: &mut Shape) -> Option<String> {
    match inline {
        InlineExpression::VariableReference { id } => {
            shape.variables.insert(id.name.to_owned());
            Some(id.name.to_owned())
        }
        InlineExpression::Placeable { expression } => {
            walk_expression(expression, shape);
            None
        }
        _ => None,
    }
}

fn walk_expression(expression: &Expression<&str>, shape: &mut Shape) {
    match expression {
        Expression::Inline(inline) => {
            walk_inline(inline, shape);
        }
        Expression::Select { selector, variants } => {
            let variable = walk_inline(selector, shape).unwrap_or_default();
            for variant in variants {
                if let VariantKey::Identifier { name } = variant.key
                    && !["zero", "one", "two", "few", "many", "other"].contains(&name)
                {
                    shape.keywords.insert((variable.clone(), name.to_owned()));
                }
                walk_pattern(&variant.value, shape);
            }
        }
    }
}

/// Every message of a catalog with its shape; panics on a syntax error.
fn shapes(lang: MessageLang) -> BTreeMap<String, Shape> {
    let source = catalog_source(lang);
    let resource = parser::parse(source)
        .unwrap_or_else(|(_, errors)| panic!("templates/messages/{lang}.ftl: {errors:?}"));
    let mut out = BTreeMap::new();
    for entry in resource.body {
        match entry {
            Entry::Message(m) => {
                let mut shape = Shape::default();
                let value = m.value.unwrap_or_else(|| panic!("{lang}.ftl: {} has no value", m.id.name));
                walk_pattern(&value, &mut shape);
                assert!(out.insert(m.id.name.to_owned(), shape).is_none(), "{lang}.ftl: {} twice", m.id.name);
            }
            Entry::Junk { content } => panic!("{lang}.ftl: cannot be read: {content}"),
            _ => {}
        }
    }
    out
}

#[test]
fn every_message_is_in_all_three_catalogs_with_the_same_variables() {
    let english = shapes(MessageLang::En);
    assert!(english.len() > 100, "{} messages", english.len());
    for lang in [MessageLang::Kk, MessageLang::Ru] {
        let other = shapes(lang);
        let missing: Vec<&String> = english.keys().filter(|id| !other.contains_key(*id)).collect();
        let extra: Vec<&String> = other.keys().filter(|id| !english.contains_key(*id)).collect();
        assert!(missing.is_empty(), "missing in {lang}.ftl: {missing:?}");
        assert!(extra.is_empty(), "not in en.ftl but in {lang}.ftl: {extra:?}");
        for (id, shape) in &english {
            assert_eq!(&other[id], shape, "{id}: {lang}.ftl has other variables or keywords than en.ftl");
        }
    }
}

#[test]
fn translations_are_translations() {
    // A message copied from English untranslated is caught here (an argument alone, a URL
    // form or a shared technical text excepted).
    let same_everywhere = ["register-database", "list-or", "list-and"];
    let english = shapes(MessageLang::En);
    for (id, shape) in &english {
        if same_everywhere.contains(&id.as_str()) {
            continue;
        }
        let mut message = Message::new(Box::leak(id.clone().into_boxed_str()));
        for variable in &shape.variables {
            let name: &'static str = Box::leak(variable.clone().into_boxed_str());
            message = message.arg(name, "X");
        }
        let en = message.format(MessageLang::En);
        for lang in [MessageLang::Kk, MessageLang::Ru] {
            let text = message.format(lang);
            assert_ne!(text, en, "{id} is not translated in {lang}.ftl");
            assert!(!text.contains(['{', '}']) || id == "value-type", "{id} in {lang}: {text}");
        }
        let kk = message.format(MessageLang::Kk);
        assert_ne!(kk, message.format(MessageLang::Ru), "{id}: the same text in kk and ru");
    }
}

#[test]
fn every_stable_code_has_a_title_in_every_language() {
    let table = include_str!("../../docs/diagnostic-codes.md");
    let codes: Vec<&str> = table
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split('`').next())
        .collect();
    assert!(codes.len() >= 30, "{codes:?}");
    for code in codes {
        for lang in MessageLang::ALL {
            let title = code_title(code, lang);
            assert!(title.as_ref().is_some_and(|t| !t.is_empty()), "no title for {code} in {lang}");
        }
    }
    assert_eq!(code_title("no.such_code", MessageLang::Kk), None);
}

#[test]
fn every_message_the_code_makes_is_in_the_catalog() {
    // Message ids are written in the code as `Message::new("…")`: each must be in en.ftl
    // (and so, by the test above, in kk.ftl and ru.ftl).
    let english = shapes(MessageLang::En);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![root];
    let mut found = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("messages/tests.rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for piece in text.split("Message::new(\"").skip(1) {
                    let id = piece.split('"').next().unwrap();
                    assert!(english.contains_key(id), "{}: no message {id} in en.ftl", path.display());
                    found += 1;
                }
            }
        }
    }
    assert!(found > 80, "only {found} message ids found in src/");
}

#[test]
fn english_is_the_reference_wording() {
    let m = Message::new("number-at-least").num("min", 1).arg("value", "0");
    assert_eq!(m.english(), "must be at least 1 (got 0)");
    assert_eq!(m.to_string(), "must be at least 1 (got 0)");
}

#[test]
fn selectors_choose_words_by_keyword_and_number() {
    let expected = |what: &str, got: &str| Message::new("value-type").arg("expected", what).arg("got", got);
    assert_eq!(expected("date", "list").english(), "expected a date, got a list");
    assert_eq!(expected("date", "list").format(MessageLang::Ru), "ожидалось: дата; получено: список");
    assert_eq!(expected("date", "list").format(MessageLang::Kk), "күтілгені: күн; берілгені: тізім");
    assert_eq!(
        expected("text", "number").english(),
        "expected text (a string or {kk: …, ru: …}), got a number"
    );

    let short = |min: i64| Message::new("list-too-short").num("min", min);
    assert_eq!(short(1).english(), "needs at least one item");
    assert_eq!(short(3).english(), "needs at least 3 items");
    assert_eq!(short(1).format(MessageLang::Ru), "нужно не менее одного элемента");
    assert_eq!(short(21).format(MessageLang::Ru), "нужно не менее 21 элемента");
    assert_eq!(short(5).format(MessageLang::Ru), "нужно не менее 5 элементов");
    assert_eq!(short(2).format(MessageLang::Kk), "кемінде 2 элемент болуы тиіс");

    let long = |count: i64| Message::new("text-too-long").num("count", count).num("max", 10);
    assert_eq!(long(11).english(), "text is too long (11 characters, at most 10)");
    assert_eq!(long(21).format(MessageLang::Ru), "текст слишком длинный (21 символ, не более 10)");
    assert_eq!(long(22).format(MessageLang::Ru), "текст слишком длинный (22 символа, не более 10)");
    assert_eq!(long(11).format(MessageLang::Ru), "текст слишком длинный (11 символов, не более 10)");
}

#[test]
fn lists_are_joined_in_the_message_language() {
    let m = Message::new("list-duplicate")
        .and_list("fields", ["a", "b", "c"])
        .arg("other", "x[0]")
        .arg("values", "1");
    assert_eq!(m.english(), "the same a, b and c as x[0] (1)");
    assert_eq!(m.format(MessageLang::Ru), "те же значения a, b и c, что и у x[0] (1)");
    assert_eq!(m.format(MessageLang::Kk), "a, b және c мәндері x[0] элементіндегідей (1)");
    let m = Message::new("field-required-variant").or_list("names", ["plot", "building", "premises"]);
    assert_eq!(m.english(), "required field is missing (plot or building or premises)");
    assert_eq!(m.format(MessageLang::Kk), "міндетті өріс жоқ (plot немесе building немесе premises)");
}

#[test]
fn a_diagnostic_is_printed_and_serialised_in_the_language_asked_for() {
    let pos = SourcePos { file: "case.yaml".into(), line: 3, column: 7 };
    let d = Diagnostic::error_msg(
        FieldPath::root().key("holder").key("iin"),
        Some(pos),
        Message::new("ident-check-digit").num("found", 4).num("expected", 3),
    )
    .with_code("value.check_digit")
    .with_hint("an English-only hint")
    .with_hint_msg(Message::new("hint-did-you-mean").arg("name", "bin"));
    assert_eq!(d.message, "check digit is 4, expected 3");
    assert_eq!(display(&d, MessageLang::En), d.to_string());
    assert_eq!(
        display(&d, MessageLang::Kk),
        "error: case.yaml:3:7: holder.iin: бақылау цифры 4, ал 3 болуы тиіс\n  hint: an English-only hint\n  hint: \"bin\" деп жазғыңыз келді ме?"
    );
    let json = to_json(&d, MessageLang::Ru);
    assert_eq!(json.code, "value.check_digit");
    assert_eq!(json.message, "контрольная цифра 4, ожидалась 3");
    assert_eq!(json.hints, ["an English-only hint", "возможно, имелось в виду \"bin\"?"]);
    // A diagnostic without catalog data keeps its English text in every language.
    let plain = Diagnostic::plain("some English text");
    assert_eq!(localize(&plain, MessageLang::Kk), "some English text");
}

#[cfg(feature = "register")]
#[test]
fn register_errors_in_three_languages() {
    use crate::register::{Body, RegNumber};
    let e = RegisterError::Duplicate { number: RegNumber { body: Body::Region(9), number: 6013 }, seq: 12 };
    assert_eq!(
        e.to_string(),
        "the same act (submitting body, form, date of adoption and number) is already registered as № 6013-09 (entry 12)"
    );
    assert_eq!(
        localize_register(&e, MessageLang::Ru),
        "тот же акт (представивший орган, форма, дата принятия и номер) уже зарегистрирован под № 6013-09 (запись 12)"
    );
    let e = RegisterError::BadStart { body: Body::Region(9), number: 0 };
    assert_eq!(e.to_string(), "the start number 0 of region 09 is not between 1 and 999999");
    assert_eq!(
        localize_register(&e, MessageLang::Kk),
        "09 өңірдің бастапқы нөмірі 0 1 мен 999999 аралығында емес"
    );
    let e = RegisterError::BadStart { body: Body::Ministry, number: 0 };
    assert_eq!(e.to_string(), "the start number 0 of the Ministry is not between 1 and 999999");
    assert_eq!(
        localize_register(&e, MessageLang::Ru),
        "начальный номер 0 Министерства не в пределах от 1 до 999999"
    );
}
