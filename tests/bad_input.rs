//! Bad input to the rights certificate: every case is refused with the exact message, its
//! position, exit code 2, and no output file (not even a temporary one).

mod common;

use common::*;

/// A valid minimal case; each test changes one thing.
const BASE: &str = MINIMAL_RIGHTS_CASE;

fn base_with(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "{from} not in the base case");
    BASE.replacen(from, to, 1)
}

#[test]
fn base_case_is_valid() {
    let run = render_case_in_dir("case.yaml", BASE, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.dir.path().join("out.pdf").exists());
}

#[test]
fn malformed_yaml() {
    refuse_case(
        "case.yaml",
        "form: rights-certificate\nbranch: [\n",
        "error: case.yaml:2:9: failed to parse YAML (unclosed bracket '[')\n",
    );
}

#[test]
fn malformed_json() {
    refuse_case(
        "case.json",
        "{\"form\": \"rights-certificate\", \"branch\": \"x\",\n \"number\": 1 \"x\"}",
        "error: case.json:2:14: failed to parse JSON (expected `,` or `}`)\n",
    );
}

#[test]
fn unknown_field_is_named_with_a_suggestion() {
    refuse_case(
        "case.yaml",
        &base_with("        basis: Шарт", "        basis: Шарт\n        sharee: 1/2"),
        "error: case.yaml:20:9: objects[0].rights[0].sharee: unknown field \"sharee\"\n  hint: did you mean \"share\"?\n",
    );
}

#[test]
fn misspelt_required_field_gives_both_problems() {
    refuse_case(
        "case.yaml",
        &base_with("branch:", "brnch:"),
        "error: case.yaml:1:1: branch: required field is missing\n\
         error: case.yaml:2:1: brnch: unknown field \"brnch\"\n  hint: did you mean \"branch\"?\n",
    );
}

#[test]
fn wrong_iin_check_digit() {
    refuse_case(
        "case.yaml",
        &base_with("880412401551", "880412401552"),
        "error: case.yaml:9:8: holder.iin: check digit is 2, expected 1\n",
    );
}

#[test]
fn wrong_bin_check_digit() {
    refuse_case(
        "case.yaml",
        &base_with("        basis: Шарт", "        basis: Шарт\n        holder_bin: \"050140000111\""),
        "error: case.yaml:20:21: objects[0].rights[0].holder_bin: check digit is 1, expected 0\n",
    );
}

#[test]
fn iin_of_eleven_digits() {
    refuse_case(
        "case.yaml",
        &base_with("\"880412401551\"", "\"88041240155\""),
        "error: case.yaml:9:8: holder.iin: must be 12 digits (got \"88041240155\")\n",
    );
}

#[test]
fn negative_area() {
    refuse_case(
        "case.yaml",
        &base_with("total_area: 72.40", "total_area: -3"),
        "error: case.yaml:15:17: objects[0].total_area: must not be negative (got -3)\n",
    );
}

#[test]
fn share_more_than_whole() {
    refuse_case(
        "case.yaml",
        &base_with("        basis: Шарт", "        basis: Шарт\n        share: 3/2"),
        "error: case.yaml:20:16: objects[0].rights[0].share: 3/2 is more than a whole share\n",
    );
}

#[test]
fn shares_summing_over_one() {
    let text = base_with("        basis: Шарт", "        basis: Шарт\n        share: 1/2")
        + "      - kind: ownership\n        holder: Бекова\n        share: 2/3\n        basis: Шарт\n        registered_at: 2021-07-01T10:00\n";
    refuse_case(
        "case.yaml",
        &text,
        "error: case.yaml:17:7: objects[0].rights: the shares add up to 7/6, more than a whole\n",
    );
}

#[test]
fn shares_summing_to_exactly_one_are_accepted() {
    let text = base_with("        basis: Шарт", "        basis: Шарт\n        share: 1/3")
        + "      - kind: ownership\n        holder: Бекова\n        share: 2/3\n        basis: Шарт\n        registered_at: 2021-07-01T10:00\n";
    let run = run_case_files(&[("case.yaml", &text)], &["validate", "case.yaml"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn missing_required_field() {
    refuse_case(
        "case.yaml",
        &base_with("  iin: \"880412401551\"\n", ""),
        "error: case.yaml:6:3: holder.iin: required field is missing\n",
    );
}

#[test]
fn required_text_that_is_empty() {
    refuse_case(
        "case.yaml",
        &base_with("branch: Филиал", "branch: \"  \""),
        "error: case.yaml:2:9: branch: must not be empty\n",
    );
}

#[test]
fn impossible_date() {
    refuse_case(
        "case.yaml",
        &base_with("2021-07-01T10:00", "2021-02-30T10:00"),
        "error: case.yaml:20:24: objects[0].rights[0].registered_at: 2021-02-30 is not a date in the calendar\n",
    );
}

#[test]
fn registration_after_issue() {
    refuse_case(
        "case.yaml",
        &base_with("2021-07-01T10:00", "2021-07-21T09:00"),
        "error: case.yaml:20:24: objects[0].rights[0].registered_at: must not be after issued_at (20.07.2021 10:00)\n",
    );
}

#[test]
fn bad_cadastral_number() {
    refuse_case(
        "case.yaml",
        &base_with("21:320:105:078:15", "21/320"),
        "error: case.yaml:12:23: objects[0].cadastral_number: \"21/320\" is not a cadastral number (expected groups of digits like 09:145:029:019)\n",
    );
}

#[test]
fn misspelt_dictionary_code() {
    refuse_case(
        "case.yaml",
        &base_with("kind: ownership", "kind: ownrship"),
        "error: case.yaml:17:15: objects[0].rights[0].kind: unknown code \"ownrship\" in the dictionary right_kind\n  hint: did you mean \"ownership\"?\n  hint: `anyqtama codes right_kind` lists the codes\n",
    );
}

#[test]
fn list_given_as_a_string() {
    refuse_case(
        "case.yaml",
        &(BASE.split("objects:").next().expect("head").to_owned() + "objects: many\n"),
        "error: case.yaml:10:10: objects: expected a list, got a string\n",
    );
}

#[test]
fn certificate_without_objects() {
    refuse_case(
        "case.yaml",
        &(BASE.split("objects:").next().expect("head").to_owned() + "objects: []\n"),
        "error: case.yaml:10:10: objects: needs at least one item\n",
    );
}

#[test]
fn unknown_holder_kind() {
    refuse_case(
        "case.yaml",
        &base_with("kind: individual", "kind: person"),
        "error: case.yaml:6:9: holder.kind: unknown kind \"person\" (expected individual or legal_entity)\n",
    );
}

#[test]
fn bilingual_text_without_russian() {
    refuse_case(
        "case.yaml",
        &base_with("branch: Филиал", "branch: {kk: Филиалы}"),
        "error: case.yaml:2:9: branch: missing the Russian text (ru)\n",
    );
}

#[test]
fn duplicate_key() {
    refuse_case(
        "case.yaml",
        &base_with("number: \"2021-1\"", "number: \"2021-1\"\nnumber: \"2021-2\""),
        "error: case.yaml:4:1: duplicate key \"number\"\n",
    );
}

#[test]
fn case_naming_no_form() {
    let run = render_case_in_dir("case.yaml", &base_with("form: rights-certificate\n", ""), &[]);
    let stderr = &run.stderr;
    // The hint lists every form the catalog knows.
    assert!(
        stderr.starts_with(
            "error: case.yaml:1:1: the case names no form\n  hint: add a line `form: NAME`; forms: "
        ),
        "{stderr}"
    );
    assert!(stderr.contains("rights-certificate"));
    assert!(stderr.ends_with("\n  hint: or pass --form NAME\n"), "{stderr}");
    assert_eq!(run.code, Some(2));
    assert_eq!(run.files, ["case.yaml"], "files left behind");
}

#[test]
fn year_of_birth_out_of_range() {
    refuse_case(
        "case.yaml",
        &base_with("1988", "1700"),
        "error: case.yaml:8:15: holder.birth_year: must be at least 1800 (got 1700)\n",
    );
}

#[test]
fn character_the_font_cannot_print() {
    refuse_case(
        "case.yaml",
        &base_with("purpose: Тұрғын үй-жай", "purpose: Тұрғын ☒"),
        "error: case.yaml:13:14: objects[0].purpose: font \"Anyqtama Serif\" has no glyph for '☒' (U+2612)\n",
    );
}

#[test]
fn string_of_one_megabyte() {
    refuse_case(
        "case.yaml",
        &base_with("branch: Филиал", &format!("branch: {}", "ф".repeat(1 << 20))),
        "error: case.yaml:2:9: branch: text is too long (1048576 characters, at most 4000)\n",
    );
}

#[test]
fn deeply_nested_yaml() {
    refuse_case(
        "case.yaml",
        &format!("form: rights-certificate\nbranch: {}\n", "[".repeat(100_000)),
        "error: case.yaml:2:73: nesting is deeper than 64 levels\n",
    );
}

#[test]
fn alias_bomb() {
    let mut text = String::from(
        "form: rights-certificate\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (name, prev) in
        ["b", "c", "d", "e", "f", "g", "h", "i"].iter().zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        let refs = vec![format!("*{prev}"); 9].join(",");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    let started = std::time::Instant::now();
    refuse_case(
        "case.yaml",
        &text,
        "error: case.yaml:6:11: aliases expand to too many values (more than 20000)\n",
    );
    assert!(started.elapsed().as_secs() < 10, "the alias bomb is refused quickly");
}

#[test]
fn unknown_language_key() {
    refuse_case(
        "case.yaml",
        &base_with("branch: Филиал", "branch: {kk: Филиалы, ru: Филиал, de: Filiale}"),
        "error: case.yaml:2:35: branch.de: unknown language \"de\" (expected kk, ru or en)\n",
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = base_with("880412401551", "880412401552")
        .replacen("total_area: 72.40", "total_area: -3", 1)
        .replacen("2021-07-01T10:00", "2021-02-30T10:00", 1);
    refuse_case(
        "case.yaml",
        &text,
        "error: case.yaml:9:8: holder.iin: check digit is 2, expected 1\n\
         error: case.yaml:15:17: objects[0].total_area: must not be negative (got -3)\n\
         error: case.yaml:20:24: objects[0].rights[0].registered_at: 2021-02-30 is not a date in the calendar\n",
    );
}

#[test]
fn one_bad_case_does_not_stop_a_batch() {
    let bad = base_with("880412401551", "880412401552");
    let run = run_case_files(
        &[("good.yaml", BASE), ("bad.yaml", &bad)],
        &["render", "bad.yaml", "good.yaml", "--out-dir", "."],
    );
    assert_eq!(run.code, Some(2));
    assert!(run.dir.path().join("good.pdf").exists(), "the valid case is written");
    assert!(!run.dir.path().join("bad.pdf").exists(), "the invalid case is not");
}

#[test]
fn latin_lookalikes_warn_and_fix_script_replaces_them() {
    // "Әлиев" with a Latin "e" (U+0065).
    let text = base_with("full_name: Әлиев Әли", "full_name: Әлиeв Әли");
    let warned = render_case_in_dir("case.yaml", &text, &["--lang", "kk"]);
    assert_eq!(warned.code, Some(0), "a warning does not stop the render");
    assert_eq!(
        warned.stderr,
        "warning: case.yaml:7:14: holder.full_name: Latin letter 'e' (U+0065) in the Cyrillic word \"Әлиeв\"\n  hint: replace the look-alike letters with Cyrillic ones\n  hint: or run with --fix-script to replace them\n"
    );
    let fixed = render_case_in_dir("case.yaml", &text, &["--lang", "kk", "--fix-script"]);
    assert_eq!(fixed.code, Some(0));
    assert_eq!(fixed.stderr, "");
    let pdf = Pdf::open(&fixed.dir.path().join("out.pdf"));
    assert!(pdf.text().contains("Әлиев Әли, 1988"), "the Latin e is replaced by the Cyrillic е");
}

#[test]
fn case_naming_an_unknown_form() {
    let stderr_start = "error: case.yaml:1:7: form: unknown form \"rights-certficate\"\n  hint: forms: ";
    let run = render_case_in_dir(
        "case.yaml",
        &base_with("form: rights-certificate", "form: rights-certficate"),
        &[],
    );
    assert!(run.stderr.starts_with(stderr_start), "{}", run.stderr);
    assert!(run.stderr.contains("rights-certificate"), "the hint lists the forms");
    assert_eq!(run.code, Some(2));
    assert_eq!(run.files, ["case.yaml"]);
}

// Issue 9, section 2: characters no page can show are refused by validation, at the field,
// with the code point written U+XXXX (never a Rust escape); what validation accepts renders.

#[test]
fn issue_9_control_characters_are_refused_with_their_field() {
    let cases = [
        ("branch: Филиал", "branch: \"Фи\\aлиал\"", "2:9: branch: contains U+0007 (a control character)"),
        ("branch: Филиал", "branch: \"Фи\\rлиал\"", "2:9: branch: contains U+000D (a control character)"),
        (
            "number: \"2021-1\"",
            "number: \"2021\\x7f-1\"",
            "3:9: number: contains U+007F (a control character)",
        ),
        (
            "number: \"2021-1\"",
            "number: \"2021\\x85-1\"",
            "3:9: number: contains U+0085 (a control character)",
        ),
        (
            "number: \"2021-1\"",
            "number: \"2021\\u2028-1\"",
            "3:9: number: contains U+2028 (a line separator)",
        ),
        ("branch: Филиал", "branch: \"a\\u2029b\"", "2:9: branch: contains U+2029 (a paragraph separator)"),
        ("number: \"2021-1\"", "number: \"2021\\uFFFE\"", "3:9: number: contains U+FFFE (a noncharacter)"),
        ("number: \"2021-1\"", "number: \"2021\\uFFFF\"", "3:9: number: contains U+FFFF (a noncharacter)"),
        (
            "number: \"2021-1\"",
            "number: \"2021\\n1\"",
            "3:9: number: contains U+000A (a line break in a one-line field)",
        ),
        (
            "number: \"2021-1\"",
            "number: \"2021\\t1\"",
            "3:9: number: contains U+0009 (a tab in a one-line field)",
        ),
        (
            "branch: Филиал",
            "branch: {kk: \"a\\x01\", ru: b}",
            "2:14: branch.kk: contains U+0001 (a control character)",
        ),
        (
            "kind: ownership",
            "kind: \"owner\\0ship\"",
            "17:15: objects[0].rights[0].kind: contains U+0000 (a control character)",
        ),
    ];
    for (from, to, expected) in cases {
        refuse_case(
            "case.yaml",
            &base_with(from, to),
            &format!("error: case.yaml:{expected}, which cannot be printed here\n"),
        );
    }
}

#[test]
fn issue_9_validate_refuses_what_render_cannot_print() {
    let run = run_case_files(
        &[("case.yaml", &base_with("branch: Филиал", "branch: \"Фи\\aлиал\""))],
        &["validate", "case.yaml"],
    );
    assert_eq!(
        run.stderr,
        "error: case.yaml:2:9: branch: contains U+0007 (a control character), which cannot be printed here\n"
    );
    assert_eq!(run.stdout, "");
    assert_eq!(run.code, Some(2));
}

#[test]
fn issue_9_free_text_keeps_tabs_and_line_breaks() {
    let text = base_with("address: Астана қ.", "address: \"Астана қ.,\\n\\tЕсіл ауданы\"");
    let validated = run_case_files(&[("case.yaml", &text)], &["validate", "case.yaml"]);
    assert_eq!(validated.code, Some(0), "{}", validated.stderr);
    let run = render_case_in_dir("case.yaml", &text, &["--lang", "kk"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let pdf = Pdf::open(&run.dir.path().join("out.pdf"));
    assert_contains_all(&pdf.text(), &["Астана қ.,", "Есіл ауданы"]);
}

#[test]
fn issue_9_unknown_field_shows_code_points() {
    refuse_case(
        "case.json",
        "{\"form\": \"rights-certificate\", \"branch\": \"a\", \"number\": \"1\", \"issued_at\": \"2021-07-20T10:00\",\n\
         \"holder\": {\"kind\": \"individual\", \"full_name\": \"Әлиев Әли\", \"birth_year\": 1988, \"iin\": \"880412401551\"},\n\
         \"objects\": [], \"seal\\u0007\": 1}",
        "error: case.json:3:12: objects: needs at least one item\n\
         error: case.json:3:16: seal<U+0007>: unknown field \"seal<U+0007>\"\n  hint: did you mean \"seal\"?\n",
    );
}

/// Runs `args` in a fresh directory holding `case.yaml` with these bytes.
fn run_on_bytes(bytes: &[u8], args: &[&str]) -> CaseRun {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("case.yaml"), bytes).expect("case written");
    let out = run_in(dir.path(), args);
    let files = files_in(dir.path());
    CaseRun { dir, code: out.status.code(), stderr: stderr(&out), stdout: stdout(&out), files }
}

#[test]
fn issue_9_files_in_other_encodings_are_invalid_input() {
    // "branch: Филиал" in Windows-1251 (Ф = 0xD4).
    let cp1251 = b"form: rights-certificate\nbranch: \xd4\xe8\xeb\xe8\xe0\xeb\n";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(BASE.encode_utf16().flat_map(u16::to_le_bytes));
    let cases: [(&[u8], &str); 3] = [
        (
            cp1251,
            "error: case.yaml:2:9: the file is not valid UTF-8\n  hint: the file looks like Windows-1251 (Cyrillic); save it as UTF-8\n",
        ),
        (
            &utf16,
            "error: case.yaml:1:1: the file is not valid UTF-8\n  hint: the file looks like UTF-16LE; save it as UTF-8\n",
        ),
        (
            &utf16[2..],
            "error: case.yaml:1:2: the file is not UTF-8 text (it contains NUL bytes)\n  hint: the file looks like UTF-16LE; save it as UTF-8\n",
        ),
    ];
    for (bytes, expected) in cases {
        for args in [
            &["render", "case.yaml", "-o", "out.pdf"][..],
            &["validate", "case.yaml"],
            &["stamp", "case.yaml", "-o", "out.png"],
        ] {
            let run = run_on_bytes(bytes, args);
            assert_eq!(run.stderr, expected, "{args:?}");
            assert_eq!(run.code, Some(2), "{args:?}: exit code");
            assert_eq!(run.files, ["case.yaml"], "{args:?}: files left");
        }
    }
}

#[test]
fn issue_9_oversized_file_is_invalid_input_named() {
    let run = run_on_bytes(&vec![b' '; 16 * 1024 * 1024 + 1], &["render", "case.yaml", "-o", "out.pdf"]);
    assert_eq!(run.stderr, "error: case.yaml: the file is larger than 16 MiB\n");
    assert_eq!(run.code, Some(2));
    assert_eq!(run.files, ["case.yaml"]);
}

#[test]
fn issue_9_a_form_key_that_is_not_a_name_is_refused_even_with_form_option() {
    let run = render_case_in_dir(
        "case.yaml",
        &base_with("form: rights-certificate", "form: [1, 2]"),
        &["--form", "rights-certificate"],
    );
    assert_eq!(run.stderr, "error: case.yaml:1:7: form: expected a form name, got a list\n");
    assert_eq!(run.code, Some(2));
    assert_eq!(run.files, ["case.yaml"]);
}

#[test]
fn issue_9_oversized_standard_input_is_invalid_input_named() {
    let out = run_with_stdin(&["validate", "-"], &vec![b' '; 16 * 1024 * 1024 + 1]);
    assert_eq!(stderr(&out), "error: standard input: the file is larger than 16 MiB\n");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn issue_9_unknown_language_key_shows_code_points() {
    refuse_case(
        "case.yaml",
        &base_with("branch: Филиал", "branch: {kk: a, ru: b, \"d\\x01\": c}"),
        "error: case.yaml:2:24: branch.d<U+0001>: unknown language \"d<U+0001>\" (expected kk, ru or en)\n",
    );
}

#[test]
fn issue_9_an_invisible_character_without_a_glyph_is_shown_by_its_code_point_only() {
    for (code, escape) in [("FEFF", "\\uFEFF"), ("2060", "\\u2060"), ("E000", "\\uE000")] {
        refuse_case(
            "case.yaml",
            &base_with("branch: Филиал", &format!("branch: \"Фи{escape}лиал\"")),
            &format!("error: case.yaml:2:9: branch: font \"Anyqtama Serif\" has no glyph for U+{code}\n"),
        );
    }
}

#[test]
fn issue_9_an_unknown_form_name_shows_code_points() {
    let run =
        render_case_in_dir("case.yaml", &base_with("form: rights-certificate", "form: \"rights\\a\""), &[]);
    assert!(
        run.stderr
            .starts_with("error: case.yaml:1:7: form: unknown form \"rights<U+0007>\"\n  hint: forms: "),
        "{}",
        run.stderr
    );
    assert_eq!(run.code, Some(2));
    assert_eq!(run.files, ["case.yaml"]);
}
