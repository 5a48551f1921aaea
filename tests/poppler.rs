//! Second test layer: Debian's own PDF tools read what we write.
//!
//! Every sample is rendered and checked with `pdftotext` (exact phrases in both languages,
//! which catches a broken ToUnicode map that looks fine on screen), `pdffonts` (every font
//! embedded, subset, with a Unicode map) and `qpdf --check`; a stamped act must pass
//! `qpdf --check` and keep its page count and text.
//!
//! `.ci/run` installs poppler-utils and qpdf, and sets `CI=true`, so there these tests run. On a
//! machine without the tools they are skipped with a loud message; with `CI=true` a missing
//! tool is a failure.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

/// Whether the external tools are there; panics in CI when they are not.
fn require_tools() -> bool {
    let have = |tool: &str| Command::new(tool).arg("-v").output().is_ok();
    let missing: Vec<&str> =
        ["pdftotext", "pdffonts", "pdfinfo", "qpdf"].into_iter().filter(|t| !have(t)).collect();
    if missing.is_empty() {
        return true;
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI needs {missing:?}: .ci/run installs poppler-utils and qpdf");
    }
    eprintln!("\n*** SKIPPED: poppler checks need {missing:?} (apt-get install poppler-utils qpdf) ***\n");
    false
}

fn tool(cmd: &str, args: &[&str]) -> (i32, String) {
    let out = Command::new(cmd).args(args).output().unwrap_or_else(|e| panic!("{cmd} runs: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// `pdftotext -layout -enc UTF-8`, with form feeds and trailing spaces removed, folded.
fn pdftotext(pdf: &Path) -> String {
    let (code, text) = tool("pdftotext", &["-layout", "-enc", "UTF-8", pdf.to_str().expect("path"), "-"]);
    assert_eq!(code, 0, "pdftotext failed on {}", pdf.display());
    fold(&text.replace('\u{c}', "\n"))
}

fn check_fonts(pdf: &Path) {
    let (code, out) = tool("pdffonts", &[pdf.to_str().expect("path")]);
    assert_eq!(code, 0);
    let rows: Vec<&str> = out.lines().skip(2).filter(|l| !l.trim().is_empty()).collect();
    assert!(!rows.is_empty(), "no fonts in {}", pdf.display());
    for row in rows {
        // name type encoding emb sub uni object-id
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert!(n >= 6, "unexpected pdffonts row: {row}");
        assert_eq!(&cols[n - 5..n - 2], ["yes", "yes", "yes"], "emb/sub/uni of {row} in {}", pdf.display());
    }
}

fn check_qpdf(pdf: &Path) {
    let (code, out) = tool("qpdf", &["--check", pdf.to_str().expect("path")]);
    assert_eq!(code, 0, "qpdf --check {}: {out}", pdf.display());
    assert!(out.contains("No syntax or stream encoding errors found"), "{out}");
}

fn pages(pdf: &Path) -> usize {
    let (_, out) = tool("pdfinfo", &[pdf.to_str().expect("path")]);
    out.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count")
}

/// Each sample with phrases pdftotext must find (Kazakh and Russian where printed).
const SAMPLES: &[(&str, &[&str])] = &[
    (
        "samples/rights-certificate-individual.yaml",
        &[
            "жылжымайтын мүлік объектілеріне растама:",
            "подтверждение на объекты недвижимости:",
            "72,40 м²",
            "ЖСН 880412401551",
            "Страница 1 из 1",
        ],
    ),
    (
        "samples/rights-certificate-company.json",
        &["2) құқықтық ауыртпалығы тіркелді:", "2) зарегистрировано обременение права:", "Страница 1 из"],
    ),
    (
        "samples/presence-certificate-individual.yaml",
        &["1. Жылжымайтын мүлік тіркелді:", "1. Зарегистрировано недвижимое имущество:"],
    ),
    (
        "samples/presence-certificate-absence.yaml",
        &[
            "Жылжымайтын мүлкінің бар (жоқ) екендігі туралы ақпарат",
            "Информация о наличии (отсутствии) недвижимого имущества",
        ],
    ),
    ("samples/request-individual.yaml", &["Маған беруіңізді сұраймын:", "Прошу предоставить мне:"]),
    ("samples/standard-rights-full.yaml", &["Көрсетілетін қызметті беруші", "Наименование"]),
    ("samples/standard-presence-minimal.yaml", &["Нысан", "Форма"]),
    ("samples/conclusion-order.yaml", &["ҚОРЫТЫНДЫ", "ЗАКЛЮЧЕНИЕ"]),
    ("samples/register-2021-07-journal.yaml", &["Қазақстан Республикасы Әділет министрінің"]),
    ("samples/stamp-ru-official-use.yaml", &["ДСП"]),
];

#[test]
fn every_sample_passes_pdftotext_pdffonts_and_qpdf() {
    if !require_tools() {
        return;
    }
    for (sample, phrases) in SAMPLES {
        let (_dir, path, _) = render_to_pdf(&["render", sample]);
        let text = pdftotext(&path);
        let missing: Vec<&&str> = phrases.iter().filter(|p| !text.contains(&fold(p))).collect();
        assert!(missing.is_empty(), "{sample}: pdftotext lacks {missing:?}\n{text}");
        check_fonts(&path);
        check_qpdf(&path);
    }
}

#[test]
fn every_sample_file_renders_and_passes_qpdf() {
    if !require_tools() {
        return;
    }
    let mut count = 0;
    for entry in std::fs::read_dir(root().join("samples")).expect("samples") {
        let path = entry.expect("entry").path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
        if !matches!(ext, "yaml" | "json") {
            continue;
        }
        let rel = format!("samples/{}", path.file_name().expect("name").to_string_lossy());
        let (_dir, pdf, _) = render_to_pdf(&["render", &rel]);
        check_qpdf(&pdf);
        check_fonts(&pdf);
        count += 1;
    }
    assert!(count >= 10, "only {count} samples");
}

#[test]
fn stamped_act_passes_qpdf_and_keeps_pages_and_text() {
    if !require_tools() {
        return;
    }
    let act = root().join("tests/fixtures/act.pdf");
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("stamped.pdf");
    stamp_onto(act.to_str().expect("path"), &["--lang", "ru", "--page", "1", "--at", "120,230"], &out);
    check_qpdf(&out);
    assert_eq!(pages(&out), pages(&act));
    let before = pdftotext(&act);
    let after = pdftotext(&out);
    for phrase in ["жылжымайтын мүлік объектілеріне растама:", "подтверждение на объекты недвижимости:"]
    {
        assert!(before.contains(phrase) && after.contains(phrase), "{phrase}");
    }
    assert!(after.contains("23516") && !before.contains("№ 23516"), "the stamp's number is on the copy");
}

#[test]
fn issue_9_every_word_of_a_400_word_basis_is_on_a_page_for_pdftotext() {
    // pdftotext reads only what lies on a page: text run off the bottom is not there.
    if !require_tools() {
        return;
    }
    let sample =
        std::fs::read_to_string(root().join("samples/rights-certificate-individual.yaml")).expect("sample");
    let words: Vec<String> = (1..=400).map(|i| format!("негіз{i:03}")).collect();
    let case = replaced_once(
        &sample,
        "kk: 2019 жылғы 3 сәуірдегі № 1-2/345 сатып алу-сату шарты",
        &format!("kk: {}", words.join(" ")),
    );
    let run = render_case_in_dir("case.yaml", &case, &["--lang", "kk"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let text = pdftotext(&run.dir.path().join("out.pdf"));
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let lost: Vec<&String> =
        words.iter().filter(|w| tokens.iter().filter(|t| **t == w.as_str()).count() != 1).collect();
    assert!(lost.is_empty(), "{} of 400 words not on a page once: {lost:?}", lost.len());
}
