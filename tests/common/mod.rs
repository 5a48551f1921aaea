//! Helpers shared by the integration tests: run the binary, read PDFs back with lopdf.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use lopdf::{Document, Object};

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

/// Asserts that the folded text contains each phrase (folded too).
pub fn assert_contains_all(text: &str, phrases: &[&str]) {
    let text = fold(text);
    let missing: Vec<&&str> = phrases.iter().filter(|p| !text.contains(&fold(p))).collect();
    assert!(missing.is_empty(), "missing from the PDF text: {missing:#?}\n--- text ---\n{text}");
}
