//! `--templates DIR`: the forms and templates of a copied directory are checked when they
//! load, templates are confined to the directory and sandboxed, and template errors are the
//! operator's (exit code 1, template file and line), never blamed on the case.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// A fresh copy of `templates/`, with `edit` applied: (file relative to it, from, to), each
/// `from` found exactly once.
fn templates_with(edits: &[(&str, &str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&root().join("templates"), dir.path());
    for (file, from, to) in edits {
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path).expect("template file");
        std::fs::write(&path, replaced_once(&text, from, to)).expect("write");
    }
    dir
}

/// Runs the binary from the repository root with `--templates DIR` and `args`, killing it
/// after `limit` (a hang is a failure, not a stuck test run).
fn run_templates(dir: &Path, args: &[&str], limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_anyqtama"))
        .arg("--templates")
        .arg(dir)
        .args(args)
        .current_dir(root())
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > limit {
            child.kill().expect("kill");
            let out = child.wait_with_output().expect("output");
            panic!("still running after {limit:?}; stderr: {}", stderr(&out));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

const LIMIT: Duration = Duration::from_secs(20);

/// Renders the individual rights certificate sample into a fresh directory with the
/// templates of `dir`: (exit code, standard error, files left in the output directory).
fn render_sample(dir: &Path) -> (Option<i32>, String, Vec<String>) {
    let out = tempfile::tempdir().expect("temp dir");
    let target: PathBuf = out.path().join("cert.pdf");
    let run = run_templates(
        dir,
        &["render", "samples/rights-certificate-individual.yaml", "-o", target.to_str().expect("path")],
        LIMIT,
    );
    (run.status.code(), stderr(&run), files_in(out.path()))
}

#[test]
fn a_symbolic_link_out_of_the_templates_directory_is_refused() {
    let dir = templates_with(&[]);
    let outside = tempfile::tempdir().expect("temp dir");
    let secret = outside.path().join("secret.xml");
    std::fs::write(&secret, "<document>secret</document>").expect("write");
    let link = dir.path().join("common/leak.xml");
    std::os::unix::fs::symlink(&secret, &link).expect("symlink");
    let (code, err, files) = render_sample(dir.path());
    let canonical_dir = std::fs::canonicalize(dir.path()).expect("canonical");
    let canonical_secret = std::fs::canonicalize(&secret).expect("canonical");
    assert_eq!(
        err,
        format!(
            "error: failed to read templates from {} (common/leak.xml is a symbolic link to {}, outside the directory)\n",
            dir.path().display(),
            canonical_secret.display()
        ),
        "{}",
        canonical_dir.display()
    );
    assert_eq!(code, Some(1));
    assert!(files.is_empty(), "{files:?}");
}

#[test]
fn a_symbolic_link_inside_the_templates_directory_is_followed() {
    let dir = templates_with(&[]);
    let macros = dir.path().join("common/macros.xml");
    let moved = dir.path().join("common/macros-real.xml.txt");
    std::fs::rename(&macros, &moved).expect("rename");
    std::os::unix::fs::symlink(&moved, &macros).expect("symlink");
    let (code, err, files) = render_sample(dir.path());
    assert_eq!((code, err.as_str()), (Some(0), ""));
    assert_eq!(files, ["cert.pdf"]);
}

#[test]
fn a_fifo_named_like_a_template_is_skipped() {
    let dir = templates_with(&[]);
    let fifo = dir.path().join("common/x.xml");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    let (code, err, files) = render_sample(dir.path());
    assert_eq!((code, err.as_str()), (Some(0), ""));
    assert_eq!(files, ["cert.pdf"]);
}

/// `error: FILE:LINE:COL: PATH: MESSAGE` and its hint, for the `value` that `edited` holds
/// once in the file `file` of `dir` (the position of the value, 1-based, in characters).
fn expected_at(
    dir: &Path,
    file: &str,
    edited: &str,
    value: &str,
    path: &str,
    message: &str,
    hint: &str,
) -> String {
    let full = dir.join(file);
    let text = std::fs::read_to_string(&full).expect("edited file");
    assert_eq!(text.matches(edited).count(), 1, "{edited}");
    let start = text.find(edited).expect("edited") + edited.find(value).expect("value in edit");
    let line = text[..start].matches('\n').count() + 1;
    let column = text[..start].rsplit('\n').next().expect("line").chars().count() + 1;
    format!("error: {}:{line}:{column}: {path}: {message}\n  hint: {hint}\n", full.display())
}

#[test]
fn typos_in_a_form_definition_are_errors_when_the_templates_load() {
    let form = "forms/565-app1-rights-certificate/form.yaml";
    let register = "forms/246-app2-register/form.yaml";
    let edits = [
        (form, "  number:\n    type: string", "  number:\n    type: strng"),
        (
            form,
            "{type: code, dictionary: object_kind, required: true, description: \"kind of object (table 1, col. 1)\"}",
            "{type: code, dictionary: object_knd, required: true, description: \"kind of object (table 1, col. 1)\"}",
        ),
        (form, "main_area: &main_area {type: area, unit: m2", "main_area: &main_area {type: area, unit: m5"),
        (register, "ordered_by: registered_on", "ordered_by: registerd_on"),
    ];
    let dir = templates_with(&edits);
    let d = dir.path();
    let objects = "fields.objects.items.fields";
    let expected = [
        expected_at(
            d,
            register,
            "ordered_by: registerd_on",
            "registerd_on",
            "fields.entries.ordered_by",
            "unknown field of the items \"registerd_on\"",
            "did you mean \"registered_on\"?",
        ),
        expected_at(
            d,
            form,
            "type: strng",
            "strng",
            "fields.number.type",
            "unknown field type \"strng\"",
            "did you mean \"string\"?",
        ),
        expected_at(
            d,
            form,
            "dictionary: object_knd",
            "object_knd",
            &format!("{objects}.kind.dictionary"),
            "unknown dictionary \"object_knd\"",
            "did you mean \"object_kind\"?",
        ),
        expected_at(
            d,
            form,
            "unit: m5",
            "m5",
            &format!("{objects}.main_area.unit"),
            "unknown unit \"m5\"",
            "did you mean \"m2\"?",
        ),
    ]
    .concat();
    // The case is valid: the forms are the operator's, and nothing is written.
    let (code, err, files) = render_sample(d);
    assert_eq!(err, expected);
    assert_eq!(code, Some(1));
    assert!(files.is_empty(), "{files:?}");
    let validate = run_templates(d, &["validate", "samples/rights-certificate-individual.yaml"], LIMIT);
    assert_eq!((validate.status.code(), stderr(&validate)), (Some(1), expected));
}

#[test]
fn a_template_error_is_the_operators_with_the_template_file_and_line() {
    let form_xml = "forms/565-app1-rights-certificate/form.xml";
    let dir = templates_with(&[(form_xml, "{{ case.issued_at.numeric }}", "{{ case.issued_at.numerc }}")]);
    let (code, err, files) = render_sample(dir.path());
    let text = std::fs::read_to_string(dir.path().join(form_xml)).expect("form.xml");
    let line = text.lines().position(|l| l.contains("numerc")).expect("edited line") + 1;
    let column = text.lines().nth(line - 1).and_then(|l| l.find("case.issued_at.numerc")).expect("col") + 1;
    assert_eq!(
        err,
        format!(
            "error: {}:{line}:{column}: failed to render the template (variable `case.issued_at.numerc` not found in context while rendering 'forms/565-app1-rights-certificate/form.xml')\n",
            dir.path().join(form_xml).display()
        )
    );
    assert_eq!(code, Some(1), "a template error is not the case's");
    assert!(files.is_empty(), "{files:?}");
}

/// Standard error, exit code and files left of rendering the sample with `form.xml` of the
/// rights certificate edited (`from` → `to`), and the edited file's path and text.
fn render_with_form_xml(from: &str, to: &str) -> (String, Option<i32>, Vec<String>, PathBuf, String) {
    let form_xml = "forms/565-app1-rights-certificate/form.xml";
    let dir = templates_with(&[(form_xml, from, to)]);
    let (code, err, files) = render_sample(dir.path());
    let path = dir.path().join(form_xml);
    let text = std::fs::read_to_string(&path).expect("form.xml");
    (err, code, files, path, text)
}

/// `FILE:LINE:COL` of the first `needle` in `text`.
fn position(path: &Path, text: &str, needle: &str) -> String {
    let at = text.find(needle).expect("needle");
    let line = text[..at].matches('\n').count() + 1;
    let column = text[..at].rsplit('\n').next().expect("line").chars().count() + 1;
    format!("{}:{line}:{column}", path.display())
}

const FIRST_LINE: &str = "<document title=";

#[test]
fn a_recursive_macro_is_an_error_not_an_abort() {
    let macros = "common/macros.xml";
    let form_xml = "forms/565-app1-rights-certificate/form.xml";
    let dir = templates_with(&[
        (
            macros,
            "{% macro line(",
            "{% macro deep(n) %}{{ self::deep(n=n + 1) }}{% endmacro deep %}\n{% macro line(",
        ),
        (form_xml, FIRST_LINE, "{{ m::deep(n=0) }}<document title="),
    ]);
    let (code, err, files) = render_sample(dir.path());
    let path = dir.path().join(macros);
    let text = std::fs::read_to_string(&path).expect("macros.xml");
    let of = format!("macro \"deep\" of {macros}");
    assert_eq!(
        err,
        format!(
            "error: {}: {of} calls itself ({of} → {of}): recursion is not available to templates\n",
            position(&path, &text, "macro deep")
        )
    );
    assert_eq!(code, Some(1));
    assert!(files.is_empty(), "{files:?}");
}

#[test]
fn a_huge_range_is_an_error_not_a_gigabyte() {
    let huge = "{% for i in range(end=100000000) %}{% endfor %}<document title=";
    let (err, code, files, path, text) = render_with_form_xml(FIRST_LINE, huge);
    assert_eq!(
        err,
        format!(
            "error: {}: failed to render the template (function `range` would make 100000000 numbers, more than the 10000 a rendering may make)\n",
            position(&path, &text, "range")
        )
    );
    assert_eq!(code, Some(1));
    assert!(files.is_empty(), "{files:?}");
}

#[test]
fn templates_cannot_read_the_environment() {
    let env = "<document title=\"{{ get_env(name=\"HOME\") }}\" paper=";
    let (err, code, files, path, text) =
        render_with_form_xml("<document title=\"{{ form.title }}\" paper=", env);
    assert_eq!(
        err,
        format!(
            "error: {}: failed to render the template (function `get_env` is not available to templates)\n",
            position(&path, &text, "get_env")
        )
    );
    assert_eq!(code, Some(1));
    assert!(files.is_empty(), "{files:?}");
}

#[test]
fn an_unknown_element_or_attribute_in_a_template_is_an_error_when_the_templates_load() {
    let request = "forms/565-app3-request/form.xml";
    let edited = "<p algin=\"center\" bold=\"true\" space-before=\"4mm\" space-after=\"1mm\">";
    let dir = templates_with(&[
        (request, "<p align=\"center\" bold=\"true\" space-before=\"4mm\" space-after=\"1mm\">", edited),
        ("common/macros.xml", "<tr><td colspan=", "<tr><tdd colspan="),
    ]);
    let d = dir.path();
    let macros_text = std::fs::read_to_string(d.join("common/macros.xml")).expect("macros");
    let request_text = std::fs::read_to_string(d.join(request)).expect("form.xml");
    let expected = format!(
        "error: {}: unknown element <tdd>\n  hint: did you mean \"td\"?\n\
         error: {}: unknown attribute \"algin\" of <p>\n  hint: did you mean \"align\"?\n",
        position(&d.join("common/macros.xml"), &macros_text, "tdd colspan"),
        position(&d.join(request), &request_text, "algin"),
    );
    // The rights certificate uses neither file's edit: the whole directory is checked.
    let (code, err, files) = render_sample(d);
    assert_eq!(err, expected);
    assert_eq!(code, Some(1));
    assert!(files.is_empty(), "{files:?}");
}

#[test]
fn a_symbolic_link_to_a_directory_that_contains_it_is_refused() {
    let dir = templates_with(&[]);
    std::os::unix::fs::symlink("..", dir.path().join("forms/loop")).expect("symlink");
    let (code, err, files) = render_sample(dir.path());
    assert_eq!(
        err,
        format!(
            "error: failed to read templates from {} (forms/loop is a symbolic link to a directory that contains it)\n",
            dir.path().display()
        )
    );
    assert_eq!(code, Some(1));
    assert!(files.is_empty(), "{files:?}");
}

#[test]
fn an_unknown_key_in_a_form_definition_is_named_at_its_line_with_the_closest_key() {
    let form = "forms/565-app1-rights-certificate/form.yaml";
    let dir = templates_with(&[(
        form,
        "    max_length: 60\n    description: number of the certificate",
        "    max_lenght: 60\n    description: number of the certificate",
    )]);
    let path = dir.path().join(form);
    let text = std::fs::read_to_string(&path).expect("form.yaml");
    let (code, err, files) = render_sample(dir.path());
    assert_eq!(
        err,
        format!(
            "error: {}: unknown key \"max_lenght\"\n  hint: did you mean \"max_length\"?\n",
            position(&path, &text, "max_lenght")
        )
    );
    assert_eq!(code, Some(1));
    assert!(files.is_empty(), "{files:?}");
}
