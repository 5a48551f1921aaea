//! Tests of the rules between list items: `ordered_by`, `unique`, `consecutive`.

use super::*;
use crate::form::FormSpec;
use crate::input::{self, Format};

/// A form whose only field is the list `items` with the given rules (YAML lines).
fn form(rules: &str) -> Form {
    let yaml = format!(
        "id: t\ntitle: {{kk: т, ru: т}}\nsource: {{order: {{kk: б, ru: п}}, appendix: 1, spec: x.md, date: 2019-05-06}}\n\
         languages: [kk]\ndefault_languages: [kk]\nfields:\n  items:\n    type: list\n{rules}\n    items:\n      type: record\n      fields:\n\
         \x20       day: {{type: date}}\n        num: {{type: integer}}\n        region: {{type: string}}\n"
    );
    let spec: FormSpec = serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    Form::from_spec(spec)
}

/// The printed errors of validating `items` (YAML flow mappings, one per line).
fn errors(rules: &str, items: &[&str]) -> Vec<String> {
    let text: String =
        std::iter::once("items:\n".to_owned()).chain(items.iter().map(|i| format!("  - {i}\n"))).collect();
    let node = input::parse("r.yaml", &text, Some(Format::Yaml)).expect("valid YAML");
    let validated = case(&node, &form(rules), &Codes::default(), ValidateOptions::default());
    assert_eq!(validated.case.is_none(), validated.diagnostics.iter().any(Diagnostic::is_error));
    validated.diagnostics.iter().map(ToString::to_string).collect()
}

#[test]
fn ordered_by_accepts_equal_and_later_values() {
    let rules = "    ordered_by: day";
    assert!(errors(rules, &["{day: 2021-07-01}", "{day: 2021-07-01}", "{day: 02.07.2021}", "{}"]).is_empty());
}

#[test]
fn ordered_by_reports_the_item_that_goes_back() {
    let rules = "    ordered_by: day";
    assert_eq!(
        errors(rules, &["{day: 2021-07-01}", "{day: 2021-07-25}", "{day: 2021-07-06}", "{day: 2021-07-26}"]),
        [
            "error: r.yaml:4:11: items[2].day: 06.07.2021 is before items[1].day (25.07.2021); the list must be in order of day"
        ]
    );
}

#[test]
fn ordered_by_works_on_whole_numbers_and_skips_invalid_values() {
    let rules = "    ordered_by: num";
    assert_eq!(
        errors(rules, &["{num: 5}", "{num: x}", "{num: 4}"]),
        [
            "error: r.yaml:3:11: items[1].num: \"x\" is not a whole number",
            "error: r.yaml:4:11: items[2].num: 4 is before items[0].num (5); the list must be in order of num",
        ]
    );
}

#[test]
fn unique_reports_the_second_use_of_a_value() {
    let rules = "    unique: num";
    assert_eq!(
        errors(rules, &["{num: 1}", "{num: 2}", "{num: 1}", "{}", "{}"]),
        ["error: r.yaml:4:11: items[2].num: the same num as items[0] (1)"]
    );
}

#[test]
fn unique_over_several_fields_counts_a_missing_value_as_a_value() {
    let rules = "    unique: [num, region]";
    assert_eq!(
        errors(
            rules,
            &[
                "{num: 1}",
                "{num: 1, region: '09'}",
                "{num: 1, region: '10'}",
                "{num: 1, region: '09'}",
                "{num: 1}"
            ]
        ),
        [
            "error: r.yaml:5:11: items[3].num: the same num and region as items[1] (1, 09)",
            "error: r.yaml:6:11: items[4].num: the same num and region as items[0] (1, none)",
        ]
    );
}

#[test]
fn consecutive_numbers_go_up_by_one() {
    let rules = "    consecutive: num";
    assert!(errors(rules, &["{num: 41}", "{num: 42}", "{}", "{num: 43}"]).is_empty());
    assert_eq!(
        errors(rules, &["{num: 41}", "{num: 42}", "{num: 44}", "{num: 45}"]),
        ["error: r.yaml:4:11: items[2].num: must be 43, the number after items[1].num (42); got 44"]
    );
}

#[test]
fn consecutive_per_keeps_one_sequence_per_value() {
    let rules = "    consecutive: num\n    consecutive_per: region";
    assert!(
        errors(
            rules,
            &[
                "{num: 7}",
                "{num: 300, region: '09'}",
                "{num: 8}",
                "{num: 301, region: '09'}",
                "{num: 1, region: '10'}"
            ]
        )
        .is_empty()
    );
    assert_eq!(
        errors(rules, &["{num: 7}", "{num: 300, region: '09'}", "{num: 8}", "{num: 302, region: '09'}"]),
        ["error: r.yaml:5:11: items[3].num: must be 301, the number after items[1].num (300); got 302"]
    );
}

#[test]
fn a_duplicate_is_reported_once_not_also_as_a_gap() {
    let rules = "    unique: num\n    consecutive: num";
    assert_eq!(
        errors(rules, &["{num: 1}", "{num: 2}", "{num: 2}", "{num: 3}"]),
        ["error: r.yaml:4:11: items[2].num: the same num as items[1] (2)"]
    );
}

#[test]
fn rules_are_annotations_in_the_json_schema() {
    let rules =
        "    ordered_by: day\n    unique: [num, region]\n    consecutive: num\n    consecutive_per: region";
    let schema = crate::form::schema_json::schema(&form(rules).spec, &Codes::default());
    let items = &schema["properties"]["items"];
    assert_eq!(items["x-ordered-by"], "day");
    assert_eq!(items["x-unique"], serde_json::json!(["num", "region"]));
    assert_eq!(items["x-consecutive"], "num");
    assert_eq!(items["x-consecutive-per"], "region");
}
