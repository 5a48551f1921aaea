//! `--diagnostic-format json`: every problem as one JSON object a line on standard error, with
//! its stable code; the batch summary as a JSON object too; `human` (the default) unchanged.

mod common;

use serde_json::{Value, json};

/// The company sample with `issued_at` misspelt `issued_att`: a missing required field and an
/// unknown field (with a hint), printed in the order of their positions.
fn misspelt_case() -> String {
    let text =
        std::fs::read_to_string(common::root().join("samples/rights-certificate-company.json")).unwrap();
    let mut case: Value = serde_json::from_str(&text).unwrap();
    let map = case.as_object_mut().unwrap();
    let date = map.shift_remove("issued_at").unwrap();
    map.insert("issued_att".into(), date);
    serde_json::to_string_pretty(&case).unwrap()
}

/// Line and column (1-based) of the first `needle` in `text`.
fn position(text: &str, needle: &str) -> (usize, usize) {
    let line = text.lines().position(|l| l.contains(needle)).unwrap();
    (line + 1, text.lines().nth(line).unwrap().find(needle).unwrap() + 1)
}

fn json_lines(stderr: &str) -> Vec<Value> {
    stderr.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
}

#[test]
fn validate_prints_each_problem_as_a_json_line_with_its_code() {
    let case = misspelt_case();
    let run = common::run_case_files(
        &[("bad.json", &case)],
        &["validate", "bad.json", "--diagnostic-format", "json"],
    );
    assert_eq!(run.code, Some(2));
    let (line, column) = position(&case, "\"issued_att\"");
    assert_eq!(
        json_lines(&run.stderr),
        [
            json!({
                "severity": "error", "code": "field.required", "file": "bad.json", "line": 1,
                "column": 1, "path": "issued_at", "message": "required field is missing", "hints": [],
            }),
            json!({
                "severity": "error", "code": "field.unknown", "file": "bad.json", "line": line,
                "column": column, "path": "issued_att", "message": "unknown field \"issued_att\"",
                "hints": ["did you mean \"issued_at\"?"],
            }),
        ]
    );
    // The default is the human form, with the same problems.
    let human = common::run_case_files(&[("bad.json", &case)], &["validate", "bad.json"]);
    assert_eq!(
        human.stderr,
        format!(
            "error: bad.json:1:1: issued_at: required field is missing\n\
             error: bad.json:{line}:{column}: issued_att: unknown field \"issued_att\"\n  hint: did you mean \"issued_at\"?\n"
        )
    );
}

#[test]
fn syntax_errors_and_plain_failures_are_json_too() {
    let run = common::run_case_files(
        &[("broken.yaml", "form: [\n")],
        &["render", "broken.yaml", "missing.yaml", "--out-dir", "out", "--diagnostic-format", "json"],
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let lines = json_lines(&run.stderr);
    let codes: Vec<&str> = lines.iter().filter_map(|l| l["code"].as_str()).collect();
    assert!(codes.contains(&"input.syntax"), "{}", run.stderr);
    assert!(codes.contains(&"input.unreadable"), "{}", run.stderr);
    for l in &lines {
        if l.get("summary").is_none() {
            assert_eq!(l["severity"], "error");
        }
    }
}

#[test]
fn a_batch_summary_is_a_json_object_in_json_mode() {
    let good =
        std::fs::read_to_string(common::root().join("samples/rights-certificate-company.json")).unwrap();
    let cases = [("a.json", good.as_str()), ("b.json", "{\"form\": \"rights-certificate\"}")];
    let args = ["render", "a.json", "b.json", "--out-dir", "out", "--diagnostic-format", "json"];
    let run = common::run_case_files(&cases, &args);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let lines = json_lines(&run.stderr);
    let summary = &lines.last().unwrap()["summary"];
    assert_eq!(
        (summary["written"].clone(), summary["invalid"].clone(), summary["failed"].clone()),
        (json!(1), json!(1), json!(0))
    );
    assert!(summary["seconds"].as_f64().unwrap() >= 0.0);
    assert!(
        lines[..lines.len() - 1].iter().all(|l| l["code"] == "field.required" && l["file"] == "b.json"),
        "{}",
        run.stderr
    );
    // In human mode the summary is the line of text.
    let human = common::run_case_files(&cases, &args[..5]);
    let last = human.stderr.lines().last().unwrap();
    assert!(last.starts_with("1 written, 1 invalid, 0 failed in "), "{}", human.stderr);
}

#[test]
fn a_wrong_check_digit_has_its_own_code() {
    let text =
        std::fs::read_to_string(common::root().join("samples/rights-certificate-individual.yaml")).unwrap();
    let case = common::replaced_once(&text, "  iin: \"880412401551\"", "  iin: \"880412401552\"");
    let run = common::run_case_files(
        &[("iin.yaml", &case)],
        &["validate", "iin.yaml", "--diagnostic-format", "json"],
    );
    assert_eq!(run.code, Some(2));
    let (line, column) = position(&case, "\"880412401552\"");
    assert_eq!(
        json_lines(&run.stderr),
        [json!({
            "severity": "error", "code": "value.check_digit", "file": "iin.yaml", "line": line,
            "column": column, "path": "holder.iin", "message": "check digit is 2, expected 1", "hints": [],
        })]
    );
}
