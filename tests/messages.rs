//! Messages in Kazakh, Russian and English (`--message-lang`, `$ANYQTAMA_MESSAGE_LANG`): the
//! same invalid case gives the exact message in each language, with the same positions,
//! codes and exit code.

mod common;

use std::process::Command;

use common::*;

/// The minimal rights certificate with three problems: an unknown field (with a hint), an
/// IIN whose check digit is wrong and a negative area.
fn bad_case() -> String {
    let case = replaced_once(MINIMAL_RIGHTS_CASE, "iin: \"880412401551\"", "iin: \"880412401552\"");
    let case = replaced_once(&case, "  kind: individual\n", "  kind: individual\n  ful_name: x\n");
    replaced_once(&case, "total_area: 72.40", "total_area: -3")
}

const EN: &str = "\
error: case.yaml:7:3: holder.ful_name: unknown field \"ful_name\"
  hint: did you mean \"full_name\"?
error: case.yaml:10:8: holder.iin: check digit is 2, expected 1
error: case.yaml:16:17: objects[0].total_area: must not be negative (got -3)
";

const KK: &str = "\
error: case.yaml:7:3: holder.ful_name: белгісіз өріс \"ful_name\"
  hint: \"full_name\" деп жазғыңыз келді ме?
error: case.yaml:10:8: holder.iin: бақылау цифры 2, ал 1 болуы тиіс
error: case.yaml:16:17: objects[0].total_area: теріс болмауы тиіс (берілгені: -3)
";

const RU: &str = "\
error: case.yaml:7:3: holder.ful_name: неизвестное поле \"ful_name\"
  hint: возможно, имелось в виду \"full_name\"?
error: case.yaml:10:8: holder.iin: контрольная цифра 2, ожидалась 1
error: case.yaml:16:17: objects[0].total_area: не должно быть отрицательным (указано: -3)
";

#[test]
fn the_same_invalid_case_in_english_kazakh_and_russian() {
    let case = bad_case();
    for (args, expected) in [
        (&[][..], EN),
        (&["--message-lang", "en"][..], EN),
        (&["--message-lang", "kk"][..], KK),
        (&["--message-lang", "ru"][..], RU),
    ] {
        let run = render_case_in_dir("case.yaml", &case, args);
        assert_eq!(run.stderr, expected, "{args:?}");
        assert_eq!(run.code, Some(2), "{args:?}");
        assert_eq!(run.files, ["case.yaml"], "{args:?}");
    }
}

#[test]
fn the_language_comes_from_the_environment_and_the_option_wins() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("case.yaml"), bad_case()).unwrap();
    let validate = |env: &str, args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_anyqtama"))
            .args(["validate", "case.yaml"])
            .args(args)
            .current_dir(dir.path())
            .env("ANYQTAMA_MESSAGE_LANG", env)
            .output()
            .unwrap();
        (out.status.code(), stderr(&out))
    };
    assert_eq!(validate("ru", &[]), (Some(2), RU.to_owned()));
    assert_eq!(validate("kk", &[]), (Some(2), KK.to_owned()));
    assert_eq!(validate("ru", &["--message-lang", "kk"]), (Some(2), KK.to_owned()));
    let (code, text) = validate("de", &[]);
    assert_eq!(code, Some(1));
    assert!(text.contains("invalid value 'de'") && text.contains("[possible values: kk, ru, en]"), "{text}");
}

#[test]
fn json_lines_keep_the_code_and_carry_the_message_in_the_language() {
    let run = render_case_in_dir(
        "case.yaml",
        &bad_case(),
        &["--diagnostic-format", "json", "--message-lang", "kk"],
    );
    assert_eq!(run.code, Some(2));
    let lines: Vec<serde_json::Value> =
        run.stderr.lines().map(|l| serde_json::from_str(l).expect("one JSON object a line")).collect();
    let codes: Vec<&str> = lines.iter().map(|l| l["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["field.unknown", "value.check_digit", "number.range"]);
    assert_eq!(lines[0]["message"], "белгісіз өріс \"ful_name\"");
    assert_eq!(lines[0]["hints"], serde_json::json!(["\"full_name\" деп жазғыңыз келді ме?"]));
    assert_eq!(lines[1]["path"], "holder.iin");
    assert_eq!(lines[1]["message"], "бақылау цифры 2, ал 1 болуы тиіс");
}

#[test]
fn input_problems_in_three_languages() {
    // Not UTF-8 (Windows-1251 Cyrillic), with the hint that says so.
    let mut bytes = b"form: rights-certificate\nbranch: ".to_vec();
    bytes.extend(encoding_rs::WINDOWS_1251.encode("Филиал Астана").0.iter());
    bytes.push(b'\n');
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("case.yaml"), &bytes).unwrap();
    let check = |lang: &str, expected: &str| {
        let out = run_in(dir.path(), &["--message-lang", lang, "validate", "case.yaml"]);
        assert_eq!(stderr(&out), expected, "{lang}");
        assert_eq!(out.status.code(), Some(2), "{lang}");
    };
    check(
        "en",
        "error: case.yaml:2:9: the file is not valid UTF-8\n  hint: the file looks like Windows-1251 (Cyrillic); save it as UTF-8\n",
    );
    check(
        "kk",
        "error: case.yaml:2:9: файл дұрыс UTF-8 емес\n  hint: файл Windows-1251 (кириллица) кодтауында сияқты; оны UTF-8 кодтауында сақтаңыз\n",
    );
    check(
        "ru",
        "error: case.yaml:2:9: файл не является корректным UTF-8\n  hint: файл, похоже, в кодировке Windows-1251 (кириллица); сохраните его в UTF-8\n",
    );
}

#[test]
fn register_errors_in_three_languages() {
    let dir = tempfile::tempdir().unwrap();
    let list = |lang: &str| {
        let out = run_in(dir.path(), &["register", "--db", "none.db", "list", "--message-lang", lang]);
        (out.status.code(), stderr(&out))
    };
    assert_eq!(
        list("en"),
        (Some(1), "error: none.db: no register here (create one with `anyqtama register init`)\n".to_owned())
    );
    assert_eq!(
        list("kk"),
        (
            Some(1),
            "error: none.db: мұнда тізілім жоқ (оны `anyqtama register init` командасымен жасаңыз)\n"
                .to_owned()
        )
    );
    assert_eq!(
        list("ru"),
        (
            Some(1),
            "error: none.db: здесь нет реестра (создайте его командой `anyqtama register init`)\n".to_owned()
        )
    );
}
