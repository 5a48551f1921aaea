//! Helpers shared by the integration tests: run the binary, read PDFs back with lopdf.
#![allow(dead_code)]

pub mod pg;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};

use lopdf::{Document, Object};

/// A valid minimal rights certificate (one object, one right), one page per language; tests
/// change one thing in it.
pub const MINIMAL_RIGHTS_CASE: &str = r#"form: rights-certificate
branch: Филиал
number: "2021-1"
issued_at: 2021-07-20T10:00
holder:
  kind: individual
  full_name: Әлиев Әли
  birth_year: 1988
  iin: "880412401551"
objects:
  - kind: flat
    cadastral_number: "21:320:105:078:15"
    purpose: Тұрғын үй-жай
    address: Астана қ.
    total_area: 72.40
    rights:
      - kind: ownership
        holder: Әлиев Әли
        basis: Шарт
        registered_at: 2021-07-01T10:00
"#;

/// The repository root (where `samples/` and `templates/` are).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the `anyqtama` binary from the repository root.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anyqtama"))
        .args(args)
        .current_dir(root())
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("the binary runs")
}

/// Runs the binary with `stdin` as standard input.
pub fn run_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_anyqtama"))
        .args(args)
        .current_dir(root())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child.stdin.take().expect("stdin").write_all(stdin).expect("stdin written");
    child.wait_with_output().expect("the binary runs")
}

/// Standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Standard output as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs the binary with `dir` as its working directory.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anyqtama"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("the binary runs")
}

/// What a run on case files written to a fresh directory gave.
pub struct CaseRun {
    /// The directory, removed when this is dropped.
    pub dir: tempfile::TempDir,
    pub code: Option<i32>,
    pub stderr: String,
    pub stdout: String,
    /// The names of the files in the directory afterwards, sorted.
    pub files: Vec<String>,
}

/// Writes each `(file name, text)` into a fresh directory and runs `args` there.
pub fn run_case_files(cases: &[(&str, &str)], args: &[&str]) -> CaseRun {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in cases {
        std::fs::write(dir.path().join(name), text).expect("case written");
    }
    let out = run_in(dir.path(), args);
    let files = files_in(dir.path());
    CaseRun { dir, code: out.status.code(), stderr: stderr(&out), stdout: stdout(&out), files }
}

/// Writes `text` as `file_name` in a fresh directory and runs
/// `render FILE_NAME -o out.pdf EXTRA_ARGS…` there.
pub fn render_case_in_dir(file_name: &str, text: &str, extra_args: &[&str]) -> CaseRun {
    let mut args = vec!["render", file_name, "-o", "out.pdf"];
    args.extend_from_slice(extra_args);
    run_case_files(&[(file_name, text)], &args)
}

/// The case renders: exit code 0, and the input and `out.pdf` are all its directory holds.
#[track_caller]
pub fn accept_case(file_name: &str, text: &str) {
    let run = render_case_in_dir(file_name, text, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.files, [file_name, "out.pdf"]);
}

/// The case is refused: exactly `expected_stderr` on standard error, exit code 2, and nothing
/// but the input left in its directory (no output, not even a temporary file).
#[track_caller]
pub fn refuse_case(file_name: &str, text: &str, expected_stderr: &str) {
    let run = render_case_in_dir(file_name, text, &[]);
    assert_eq!(run.stderr, expected_stderr, "stderr of {file_name}");
    assert_eq!(run.code, Some(2), "exit code for {file_name}");
    assert_eq!(run.files, [file_name], "files left behind");
}

/// Writes `text` as `file_name` in a fresh directory and renders it from the repository root,
/// named by its full path, to the PDF of the same stem beside it; asserts exactly these lines
/// of standard error (`{file}` stands for the case's path), exit code 2 and no output.
#[track_caller]
pub fn refuse_case_by_path(file_name: &str, text: &str, expected_lines: &[&str]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let case = dir.path().join(file_name);
    std::fs::write(&case, text).expect("case written");
    let out = case.with_extension("pdf");
    let file = case.to_str().expect("utf-8 path");
    let result = run(&["render", file, "-o", out.to_str().expect("utf-8 path")]);
    let expected: Vec<String> = expected_lines.iter().map(|e| e.replace("{file}", file)).collect();
    assert_eq!(stderr(&result).lines().collect::<Vec<_>>(), expected);
    assert_eq!(result.status.code(), Some(2));
    assert!(!out.exists(), "no output for invalid input");
}

/// The names of the files in `dir`, sorted.
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `base` with `from`, which must occur in it exactly once, replaced by `to`.
#[track_caller]
pub fn replaced_once(base: &str, from: &str, to: &str) -> String {
    assert_eq!(base.matches(from).count(), 1, "{from} is not once in the base case");
    base.replacen(from, to, 1)
}

/// Copies the directory tree `from` into `to`, which exists.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A form's wording, `templates/forms/<form_dir>/text.yaml`, as a JSON value.
pub fn form_text(form_dir: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(root().join(format!("templates/forms/{form_dir}/text.yaml")))
        .expect("text.yaml");
    serde_saphyr::from_str(&text).expect("YAML")
}

/// Runs `stamp` with the example's data (№ 23516 of 2021-07-14) onto the PDF `act`, with
/// `extra_args` (`--lang`, `--page`, `--at` …), writing `out`; asserts that it succeeds.
#[track_caller]
pub fn stamp_onto(act: &str, extra_args: &[&str], out: &Path) {
    let mut args = vec!["stamp", "--number", "23516", "--date", "2021-07-14", "--onto", act];
    args.extend_from_slice(extra_args);
    args.extend(["-o", out.to_str().expect("utf-8 path")]);
    let result = run(&args);
    assert_eq!(result.status.code(), Some(0), "{args:?} failed: {}", stderr(&result));
}

/// Renders `a` and `b` (each plus `-o`) and asserts that the two PDFs are the same bytes.
#[track_caller]
pub fn assert_same_pdf_bytes(a: &[&str], b: &[&str]) {
    let (_a, first, _) = render_to_pdf(a);
    let (_b, second, _) = render_to_pdf(b);
    let same = std::fs::read(first).expect("first PDF") == std::fs::read(second).expect("second PDF");
    assert!(same, "{a:?} and {b:?} render to different bytes");
}

/// What `anyqtama forms` prints; asserts that it succeeds.
#[track_caller]
pub fn forms_listing() -> String {
    let forms = run(&["forms"]);
    assert_eq!(forms.status.code(), Some(0));
    stdout(&forms)
}

/// `anyqtama schema FORM` read as JSON; asserts that it succeeds and is a JSON Schema
/// (draft 2020-12).
#[track_caller]
pub fn schema_of(form: &str) -> serde_json::Value {
    let schema = run(&["schema", form]);
    assert_eq!(schema.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&schema.stdout).expect("JSON");
    assert_eq!(value["$schema"], "https://json-schema.org/draft/2020-12/schema");
    value
}

/// Asserts that the schema's `required` lists each of `fields`.
#[track_caller]
pub fn assert_required(schema: &serde_json::Value, fields: &[&str]) {
    let required = schema["required"].as_array().expect("required");
    for field in fields {
        assert!(required.iter().any(|r| r == field), "{field} is required");
    }
}

/// Renders `args` (plus `-o <tmp>/out.pdf`) and returns the PDF read back.
pub fn render_to_pdf(args: &[&str]) -> (tempfile::TempDir, PathBuf, Pdf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out.pdf");
    let out_str = out.to_str().expect("utf-8 path").to_owned();
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["-o", &out_str]);
    let result = run(&all);
    assert_eq!(result.status.code(), Some(0), "{:?} failed: {}", args, stderr(&result));
    let pdf = Pdf::open(&out);
    (dir, out, pdf)
}

/// A PDF read back with lopdf.
pub struct Pdf {
    pub doc: Document,
}

/// What a font of a page says about itself.
#[derive(Debug)]
pub struct FontInfo {
    pub base_font: String,
    pub embedded: bool,
    pub to_unicode: bool,
}

impl FontInfo {
    /// Subset fonts are named `ABCDEF+Family`.
    pub fn is_subset(&self) -> bool {
        let mut parts = self.base_font.splitn(2, '+');
        let tag = parts.next().unwrap_or_default();
        parts.next().is_some() && tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase())
    }
}

impl Pdf {
    pub fn open(path: &Path) -> Pdf {
        Pdf { doc: Document::load(path).unwrap_or_else(|e| panic!("{} is a PDF: {e}", path.display())) }
    }

    pub fn from_bytes(bytes: &[u8]) -> Pdf {
        Pdf { doc: Document::load_mem(bytes).expect("valid PDF") }
    }

    pub fn page_count(&self) -> usize {
        self.doc.get_pages().len()
    }

    /// The text of one page (1-based), as lopdf extracts it.
    pub fn page_text(&self, page: u32) -> String {
        self.doc.extract_text(&[page]).expect("text extracts")
    }

    /// The text of every page, joined; white space runs folded to one space.
    pub fn text(&self) -> String {
        let pages: Vec<u32> = self.doc.get_pages().keys().copied().collect();
        let text: Vec<String> = pages.iter().map(|&p| self.page_text(p)).collect();
        fold(&text.join(" "))
    }

    /// The MediaBox of each page, `[x0, y0, x1, y1]` in points.
    pub fn media_boxes(&self) -> Vec<[f32; 4]> {
        self.doc
            .get_pages()
            .values()
            .map(|&id| {
                let page = self.doc.get_dictionary(id).expect("page dictionary");
                let mb = page.get(b"MediaBox").expect("MediaBox").as_array().expect("array");
                let n = |o: &Object| match o {
                    Object::Integer(i) => *i as f32,
                    Object::Real(r) => *r,
                    _ => panic!("number expected"),
                };
                [n(&mb[0]), n(&mb[1]), n(&mb[2]), n(&mb[3])]
            })
            .collect()
    }

    /// The fonts used on every page.
    pub fn fonts(&self) -> Vec<FontInfo> {
        let mut out = Vec::new();
        for &page in self.doc.get_pages().values() {
            for (_, font) in self.doc.get_page_fonts(page).expect("fonts") {
                let base_font = name(font.get(b"BaseFont").ok());
                let to_unicode = font.get(b"ToUnicode").is_ok();
                let mut embedded = false;
                if let Ok(Object::Array(desc)) = font.get(b"DescendantFonts")
                    && let Some(Ok(d)) = desc.first().map(|o| self.deref(o).as_dict().cloned())
                    && let Ok(fd) = d.get(b"FontDescriptor")
                    && let Ok(fd) = self.deref(fd).as_dict()
                {
                    embedded = fd.get(b"FontFile2").is_ok() || fd.get(b"FontFile3").is_ok();
                }
                out.push(FontInfo { base_font, embedded, to_unicode });
            }
        }
        out
    }

    fn deref<'a>(&'a self, o: &'a Object) -> &'a Object {
        match o {
            Object::Reference(id) => self.doc.get_object(*id).expect("object"),
            other => other,
        }
    }

    /// The document information dictionary's entry, decoded.
    pub fn info(&self, key: &str) -> Option<String> {
        let info = self.doc.trailer.get(b"Info").ok()?;
        let dict = self.deref(info).as_dict().ok()?;
        match dict.get(key.as_bytes()).ok()? {
            Object::String(bytes, _) => Some(decode_pdf_string(bytes)),
            _ => None,
        }
    }

    /// The XMP metadata stream as text.
    pub fn xmp(&self) -> String {
        let catalog = self.doc.catalog().expect("catalog");
        let Ok(meta) = catalog.get(b"Metadata") else { return String::new() };
        match self.deref(meta) {
            Object::Stream(s) => String::from_utf8_lossy(&s.content).into_owned(),
            _ => String::new(),
        }
    }
}

fn name(o: Option<&Object>) -> String {
    match o {
        Some(Object::Name(n)) => String::from_utf8_lossy(n).into_owned(),
        _ => String::new(),
    }
}

fn decode_pdf_string(bytes: &[u8]) -> String {
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> =
            bytes[2..].chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// White space runs (including no-break spaces and line ends) folded to one space.
pub fn fold(text: &str) -> String {
    text.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Asserts that the phrases (folded) occur in the text in this order.
#[track_caller]
pub fn assert_in_order(text: &str, phrases: &[&str]) {
    let mut from = 0;
    for phrase in phrases {
        let phrase = fold(phrase);
        match text[from..].find(&phrase) {
            Some(i) => from += i + phrase.len(),
            None => panic!("\"{phrase}\" is missing or out of order after byte {from}:\n{text}"),
        }
    }
}

/// Asserts that the folded text contains each phrase (folded too).
pub fn assert_contains_all(text: &str, phrases: &[&str]) {
    let text = fold(text);
    let missing: Vec<&&str> = phrases.iter().filter(|p| !text.contains(&fold(p))).collect();
    assert!(missing.is_empty(), "missing from the PDF text: {missing:#?}\n--- text ---\n{text}");
}

/// The address a `serve` child prints on its first line of standard output
/// (`listening on http://127.0.0.1:PORT`): waits for it and returns the URL.
pub fn listening_base(child: &mut Child) -> String {
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("first line");
    line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("got {line:?}")).to_owned()
}
