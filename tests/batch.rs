//! Issue 10 §2: batches for thousands. JSON Lines input with the file's positions, directories
//! and `--files-from`, `--jobs` giving the same bytes and the same order of messages,
//! `--name` with collisions refused before writing, staged writes that leave no temporary
//! file, and the summary line.

mod common;

use std::path::Path;

use common::{Pdf, files_in, run_in, run_with_stdin, stderr, stdout};

/// The sample individual rights certificate as one JSON line, with `number` set.
fn case_line(number: &str) -> String {
    let text = std::fs::read_to_string(common::root().join("samples/rights-certificate-individual.json"))
        .expect("sample");
    let mut value: serde_json::Value = serde_json::from_str(&text).expect("json");
    value["number"] = serde_json::Value::String(number.to_owned());
    serde_json::to_string(&value).expect("serialised")
}

/// A directory holding `cases.jsonl` with these lines.
fn jsonl(lines: &[String]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("cases.jsonl"), lines.join("\n") + "\n").expect("write");
    dir
}

/// `N written, N invalid, N failed in S.S s (N docs/s)`, the counts checked, the timing only
/// by its shape.
fn assert_summary(line: &str, written: usize, invalid: usize, failed: usize) {
    let prefix = format!("{written} written, {invalid} invalid, {failed} failed in ");
    let rest =
        line.strip_prefix(&prefix).unwrap_or_else(|| panic!("summary {line:?} starts with {prefix:?}"));
    let (seconds, rate) = rest.split_once(" s (").unwrap_or_else(|| panic!("summary shape: {line:?}"));
    let (whole, tenths) = seconds.split_once('.').expect("seconds with one decimal");
    assert!(whole.bytes().all(|b| b.is_ascii_digit()) && !whole.is_empty(), "{line}");
    assert_eq!(tenths.len(), 1, "{line}");
    let rate = rate.strip_suffix(" docs/s)").unwrap_or_else(|| panic!("summary shape: {line:?}"));
    assert!(!rate.is_empty() && rate.bytes().all(|b| b.is_ascii_digit()), "{line}");
}

fn last_line(text: &str) -> &str {
    text.lines().last().unwrap_or_default()
}

#[test]
fn json_lines_render_one_file_per_line_named_stem_line() {
    let dir = jsonl(&[case_line("2021-0714-00001"), String::new(), case_line("2021-0714-00003")]);
    let out = run_in(dir.path(), &["render", "cases.jsonl", "--lang", "kk", "--out-dir", "out"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(files_in(&dir.path().join("out")), ["cases-1.pdf", "cases-3.pdf"]);
    assert_eq!(stdout(&out), "wrote out/cases-1.pdf\nwrote out/cases-3.pdf\n");
    assert_summary(&stderr(&out).replace('\n', ""), 2, 0, 0);
    let text = Pdf::open(&dir.path().join("out/cases-3.pdf")).text();
    assert!(text.contains("2021-0714-00003"), "{text}");
}

#[test]
fn json_lines_problems_carry_the_line_of_the_file() {
    let bad_iin = case_line("2").replacen("880412401551", "880412401552", 1);
    let dir = jsonl(&[
        case_line("1"),
        bad_iin.clone(),
        r#"{"form": "rights-certificate", "number": }"#.to_owned(),
        case_line("4"),
    ]);
    let out = run_in(dir.path(), &["render", "cases.jsonl", "--lang", "kk", "-j", "2"]);
    assert_eq!(out.status.code(), Some(2));
    // Columns count characters; the value's position is its opening quote.
    let column = bad_iin[..bad_iin.find("880412401552").expect("iin")].chars().count();
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines[..lines.len() - 1],
        [
            format!("error: cases.jsonl:2:{column}: holder.iin: check digit is 2, expected 1").as_str(),
            "error: cases.jsonl:3:42: failed to parse JSON (expected value)",
        ]
    );
    assert_summary(lines[lines.len() - 1], 2, 2, 0);
    // The valid cases were still written, beside the input; nothing half-written is left.
    assert_eq!(files_in(dir.path()), ["cases-1.pdf", "cases-4.pdf", "cases.jsonl"]);
}

#[test]
fn jobs_give_the_same_bytes_and_the_same_order_of_messages() {
    let mut lines: Vec<String> = (1..=9).map(|i| case_line(&format!("2021-0714-{i:05}"))).collect();
    lines[4] = lines[4].replace("880412401551", "880412401552");
    let dir = jsonl(&lines);
    let one = run_in(dir.path(), &["render", "cases.jsonl", "--out-dir", "one", "--jobs", "1"]);
    let two = run_in(dir.path(), &["render", "cases.jsonl", "--out-dir", "two", "--jobs", "2"]);
    assert_eq!(one.status.code(), Some(2));
    assert_eq!(two.status.code(), Some(2));
    let names = files_in(&dir.path().join("one"));
    assert_eq!(names.len(), 8);
    assert_eq!(names, files_in(&dir.path().join("two")));
    for name in &names {
        let a = std::fs::read(dir.path().join("one").join(name)).expect("read");
        let b = std::fs::read(dir.path().join("two").join(name)).expect("read");
        assert!(a == b, "{name} differs between --jobs 1 and --jobs 2");
    }
    assert_eq!(stdout(&one).replace("one/", "two/"), stdout(&two));
    let written: Vec<String> =
        (1..=9).filter(|&i| i != 5).map(|i| format!("wrote two/cases-{i}.pdf")).collect();
    assert_eq!(stdout(&two), written.join("\n") + "\n");
    let messages = |out: &std::process::Output| {
        let err = stderr(out);
        err.lines().filter(|l| !l.contains(" written, ")).map(str::to_owned).collect::<Vec<_>>()
    };
    assert_eq!(messages(&one), messages(&two));
    assert_summary(last_line(&stderr(&two)), 8, 1, 0);
}

#[test]
fn name_template_names_files_by_a_field() {
    let dir = jsonl(&[case_line("A-1"), case_line("B-2")]);
    let out = run_in(
        dir.path(),
        &["render", "cases.jsonl", "--lang", "kk", "--name", "cert-{number}", "--out-dir", "o"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(files_in(&dir.path().join("o")), ["cert-A-1.pdf", "cert-B-2.pdf"]);
    assert!(Pdf::open(&dir.path().join("o/cert-B-2.pdf")).text().contains("B-2"));
}

#[test]
fn name_collision_is_refused_before_anything_is_written() {
    let dir = jsonl(&[case_line("A-1"), case_line("B-2"), case_line("A-1")]);
    let out = run_in(dir.path(), &["render", "cases.jsonl", "--name", "{number}", "--out-dir", "o"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: cases.jsonl:1 and cases.jsonl:3 would both be written to o/A-1.pdf: nothing was written\n"
    );
    assert!(!dir.path().join("o").exists());
    assert_eq!(files_in(dir.path()), ["cases.jsonl"]);
}

#[test]
fn a_name_no_file_can_have_is_a_problem_of_that_case() {
    let slash = case_line("A/2");
    let dir = jsonl(&[case_line("A-1"), slash.clone()]);
    let out = run_in(dir.path(), &["render", "cases.jsonl", "--lang", "kk", "--name", "{number}"]);
    assert_eq!(out.status.code(), Some(2));
    let column = slash[..slash.find("A/2").expect("number")].chars().count();
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines[..lines.len() - 1],
        [format!(
            "error: cases.jsonl:2:{column}: number: the output name {{number}}: \"A/2\" cannot be part of a file name"
        )
        .as_str()]
    );
    assert_summary(lines[lines.len() - 1], 1, 1, 0);
    assert_eq!(files_in(dir.path()), ["A-1.pdf", "cases.jsonl"]);
}

#[test]
fn a_bad_template_is_refused() {
    let dir = jsonl(&[case_line("A-1")]);
    let out = run_in(dir.path(), &["render", "cases.jsonl", "--name", "fixed.pdf"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: --name fixed.pdf: it names no field, so every case would get the same name\n"
    );
    assert_eq!(files_in(dir.path()), ["cases.jsonl"]);
}

/// Copies samples into `dir/in`.
fn samples_into(dir: &Path, names: &[&str]) {
    std::fs::create_dir_all(dir.join("in")).expect("mkdir");
    for name in names {
        std::fs::copy(common::root().join("samples").join(name), dir.join("in").join(name)).expect("copy");
    }
}

#[test]
fn a_directory_gives_its_case_files_in_name_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    samples_into(dir.path(), &["request-individual.yaml", "conclusion-order.json", "stamp-kk.yaml"]);
    std::fs::write(dir.path().join("in/notes.txt"), "not a case").expect("write");
    std::fs::write(dir.path().join("in/more.jsonl"), case_line("M-1") + "\n").expect("write");
    let out = run_in(dir.path(), &["render", "in", "--out-dir", "out", "--lang", "kk"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "wrote out/conclusion-order.pdf\nwrote out/more-1.pdf\nwrote out/request-individual.pdf\nwrote out/stamp-kk.pdf\n"
    );
    assert_summary(&stderr(&out).replace('\n', ""), 4, 0, 0);
}

#[test]
fn files_from_standard_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    samples_into(dir.path(), &["request-individual.yaml", "conclusion-order.yaml"]);
    let list = format!(
        "{}\n\n{}\r\n",
        dir.path().join("in/request-individual.yaml").display(),
        dir.path().join("in/conclusion-order.yaml").display()
    );
    let out_dir = dir.path().join("out");
    let out = run_with_stdin(
        &["render", "--files-from", "-", "--out-dir", out_dir.to_str().expect("utf-8"), "--lang", "ru"],
        list.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(files_in(&out_dir), ["conclusion-order.pdf", "request-individual.pdf"]);
    assert_summary(&stderr(&out).replace('\n', ""), 2, 0, 0);
}

#[test]
fn a_missing_list_file_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run_in(dir.path(), &["render", "--files-from", "list.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "error: failed to read list.txt (no such file or directory)\n");
}

/// The sample certificate with `issued_at` set, rendered in Kazakh with `extra` arguments;
/// the "date of receipt" line of its first page.
fn issued_line(issued_at: &str, extra: &[&str]) -> String {
    let text = std::fs::read_to_string(common::root().join("samples/rights-certificate-individual.json"))
        .expect("sample");
    let mut value: serde_json::Value = serde_json::from_str(&text).expect("json");
    value["issued_at"] = serde_json::Value::String(issued_at.to_owned());
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("case.json"), value.to_string()).expect("write");
    let mut args = vec!["render", "case.json", "--lang", "kk", "-o", "out.pdf"];
    args.extend(extra);
    let out = run_in(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = Pdf::open(&dir.path().join("out.pdf")).page_text(1);
    let line = text.lines().find(|l| l.contains("Дата получения")).unwrap_or_else(|| panic!("{text}"));
    line.trim().to_owned()
}

#[test]
fn times_with_an_offset_are_printed_in_kazakhstan_time() {
    let printed = |at: &str| issued_line(at, &[]);
    assert!(
        printed("2021-07-20T05:32:15Z").ends_with("20.07.2021 10:32:15"),
        "{}",
        printed("2021-07-20T05:32:15Z")
    );
    assert!(printed("2021-07-20T05:32:15.734512Z").ends_with("20.07.2021 10:32:15"));
    assert!(printed("2021-07-20T11:32:15+06:00").ends_with("20.07.2021 10:32:15"));
    assert!(printed("2021-07-20 21:32:15-03:00").ends_with("21.07.2021 05:32:15"));
    // Without an offset a time is Kazakhstan time already.
    assert!(printed("2021-07-20T10:32:15").ends_with("20.07.2021 10:32:15"));
}

#[test]
fn timezone_changes_the_zone_times_are_printed_in() {
    let line = issued_line("2021-07-20T05:32:15Z", &["--timezone", "+06:00"]);
    assert!(line.ends_with("20.07.2021 11:32:15"), "{line}");
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run_in(dir.path(), &["validate", "x.yaml", "--timezone", "Asia/Almaty"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with(
            "error: invalid value 'Asia/Almaty' for '--timezone <OFFSET>': \"Asia/Almaty\" is not a time zone (expected an offset from UTC such as +05:00 or +06:00)\n"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_file_that_cannot_be_read_fails_alone() {
    let dir = jsonl(&[case_line("A-1")]);
    let out = run_in(dir.path(), &["render", "missing.yaml", "cases.jsonl", "--lang", "kk"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines[0], "error: failed to read missing.yaml (no such file or directory)");
    assert_summary(lines[1], 1, 0, 1);
    assert_eq!(lines.len(), 2);
    assert_eq!(files_in(dir.path()), ["cases-1.pdf", "cases.jsonl"]);
}

#[test]
fn many_chunks_keep_lines_and_order() {
    // More cases than one chunk (128): the file is read again chunk by chunk.
    let invalid = r#"{"form": "rights-certificate"}"#.to_owned();
    let mut lines = vec![invalid; 300];
    for (at, number) in [(0, "first"), (149, "middle"), (299, "last")] {
        lines[at] = case_line(number);
    }
    let dir = jsonl(&lines);
    let out = run_in(dir.path(), &["render", "cases.jsonl", "--lang", "kk", "--name", "{number}", "-j", "2"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "wrote first.pdf\nwrote middle.pdf\nwrote last.pdf\n");
    let err = stderr(&out);
    let positions: Vec<u32> = err
        .lines()
        .filter(|l| l.ends_with("branch: required field is missing"))
        .map(|l| l.split(':').nth(2).and_then(|n| n.parse().ok()).expect("line number"))
        .collect();
    let expected: Vec<u32> = (1..=300).filter(|l| ![1, 150, 300].contains(l)).collect();
    assert_eq!(positions, expected);
    assert_summary(last_line(&err), 3, 297, 0);
    assert_eq!(files_in(dir.path()), ["cases.jsonl", "first.pdf", "last.pdf", "middle.pdf"]);
}

#[test]
fn a_killed_batch_leaves_whole_files_and_the_next_run_clears_its_temporaries() {
    let lines: Vec<String> = (1..=400).map(|i| case_line(&format!("K-{i}"))).collect();
    let dir = jsonl(&lines);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_anyqtama"))
        .args(["render", "cases.jsonl", "--lang", "kk", "--out-dir", "out", "-j", "2"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("starts");
    // Killed once some files are in place, or staged.
    let out = dir.path().join("out");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while std::time::Instant::now() < deadline && (!out.exists() || files_in(&out).len() < 5) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().expect("killed");
    child.wait().expect("waited");
    let left = files_in(&out);
    assert!(left.len() >= 5, "{left:?}");
    for name in &left {
        if name.starts_with('.') {
            assert!(name.contains(".pdf.anyqtama-") && name.ends_with(".tmp"), "{name}");
        } else {
            // Every file under its own name is a whole PDF.
            Pdf::open(&out.join(name));
        }
    }
    // The next run into the directory removes what the killed one left.
    std::fs::write(dir.path().join("small.jsonl"), case_line("again") + "\n").expect("write");
    let again = run_in(
        dir.path(),
        &["render", "small.jsonl", "--lang", "kk", "--out-dir", "out", "--name", "{number}"],
    );
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(files_in(&out).iter().all(|n| !n.starts_with('.')), "{:?}", files_in(&out));
}

#[test]
fn a_progress_bar_only_on_a_terminal() {
    // `script` (util-linux) gives the run a terminal; on standard error that is not one (every
    // other test here) there is no bar, as their exact standard error shows.
    if std::process::Command::new("script").arg("--version").output().is_err() {
        eprintln!("SKIPPED: `script` (util-linux) is not installed: the progress bar is not checked");
        return;
    }
    let dir = jsonl(&[case_line("P-1"), case_line("P-2")]);
    let command = format!("{} render cases.jsonl --lang kk --out-dir out", env!("CARGO_BIN_EXE_anyqtama"));
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir.path())
        .output()
        .expect("script runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(" 2/2 cases, eta "), "{text}");
    let summary = text.trim_end().rsplit(['\r', '\n', 'K']).next().unwrap_or_default();
    assert_summary(summary, 2, 0, 0);
}
