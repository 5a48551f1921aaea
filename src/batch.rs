//! Batches: which case files a run reads, the cases of a JSON Lines file, output names made
//! from a case's fields, and the summary line.
//!
//! - [`sources`] expands what a command line names: case files, directories (their `.yaml`,
//!   `.yml`, `.json` and `.jsonl` files, by name, not recursively) and the lines of a list
//!   file (`--files-from`).
//! - [`JsonLines`] reads a `.jsonl` file one case per line, as it goes (the file is never
//!   held whole); blank lines are skipped. [`crate::input::parse_json_line`] parses a line
//!   keeping the file's line numbers.
//! - [`NameTemplate`] makes an output name from a case (`{number}`, `{holder.iin}`,
//!   `{objects[0].cadastral_number}`).
//! - [`Summary`] is the line a batch ends with:
//!   `10000 written, 3 invalid, 0 failed in 21.4 s (467 docs/s)`.

use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::diag::{Diagnostic, FieldPath, PathSegment, SourcePos, io_cause};
use crate::input::{MAX_INPUT_BYTES, Node, NodeValue};

/// What went wrong with the inputs of a batch or an output name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BatchError {
    /// A list file or directory could not be read.
    #[error("failed to read {path} ({cause})")]
    Unreadable {
        /// The file or directory, as named.
        path: String,
        /// The cause, lower case.
        cause: String,
    },
    /// An output name template that cannot be used.
    #[error("the output name {template}: {problem}")]
    Template {
        /// The template as given.
        template: String,
        /// What is wrong with it.
        problem: String,
    },
}

/// How a source file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// One case (YAML or JSON), or `-`.
    Case,
    /// JSON Lines: one case per line.
    JsonLines,
}

/// One file a batch reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The path as the user named it (or as the directory listing or list file gave it).
    pub path: String,
    /// How it is read.
    pub kind: SourceKind,
}

impl Source {
    /// A source read by its extension: `.jsonl` is JSON Lines, anything else one case.
    pub fn new(path: impl Into<String>) -> Source {
        let path = path.into();
        let kind = if is_json_lines(&path) { SourceKind::JsonLines } else { SourceKind::Case };
        Source { path, kind }
    }
}

/// Whether a path names a JSON Lines file (`.jsonl`, any letter case).
pub fn is_json_lines(path: &str) -> bool {
    Path::new(path).extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("jsonl"))
}

/// The files named by `inputs` (files, directories, `-`) and by the lines of `files_from`
/// (`-`: standard input), in that order. A directory gives its case files sorted by name;
/// a list file's blank lines are skipped and its other lines are paths (a directory in it is
/// expanded too).
pub fn sources(inputs: &[String], files_from: Option<&str>) -> Result<Vec<Source>, BatchError> {
    let mut named: Vec<String> = inputs.to_vec();
    if let Some(list) = files_from {
        named.extend(read_list(list)?);
    }
    let mut out = Vec::with_capacity(named.len());
    for path in named {
        if path != "-" && Path::new(&path).is_dir() {
            out.extend(directory(&path)?);
        } else {
            out.push(Source::new(path));
        }
    }
    Ok(out)
}

/// The lines of a list file, blank ones skipped, `\r` line ends allowed.
fn read_list(list: &str) -> Result<Vec<String>, BatchError> {
    let name = if list == "-" { "standard input" } else { list };
    let unreadable =
        |e: std::io::Error| BatchError::Unreadable { path: name.to_owned(), cause: io_cause(&e) };
    let mut text = String::new();
    if list == "-" {
        std::io::stdin().lock().read_to_string(&mut text).map_err(unreadable)?;
    } else {
        std::fs::File::open(list).and_then(|mut f| f.read_to_string(&mut text)).map_err(unreadable)?;
    }
    Ok(text
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect())
}

/// The case files of a directory (`.yaml`, `.yml`, `.json`, `.jsonl`), sorted by name.
fn directory(dir: &str) -> Result<Vec<Source>, BatchError> {
    let unreadable = |e: std::io::Error| BatchError::Unreadable { path: dir.to_owned(), cause: io_cause(&e) };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(unreadable)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let extension = p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
            matches!(extension.as_deref(), Some("yaml" | "yml" | "json" | "jsonl")) && p.is_file()
        })
        .collect();
    files.sort();
    Ok(files.into_iter().map(|p| Source::new(p.to_string_lossy().into_owned())).collect())
}

/// One line of a JSON Lines file: its 1-based number and its text, or why it cannot be read.
pub type Line = (u32, Result<String, Diagnostic>);

/// The cases of a JSON Lines file, read line by line. Blank lines are skipped; a line that
/// is not UTF-8 or is longer than [`MAX_INPUT_BYTES`] is an error at its position.
pub struct JsonLines {
    file: Arc<str>,
    reader: Box<dyn BufRead + Send>,
    line: u32,
    buffer: Vec<u8>,
}

impl JsonLines {
    /// Opens a JSON Lines file (`-`: standard input).
    pub fn open(path: &str) -> Result<JsonLines, Diagnostic> {
        let reader: Box<dyn BufRead + Send> = if path == "-" {
            Box::new(BufReader::new(std::io::stdin()))
        } else {
            let file = std::fs::File::open(path).map_err(|e| {
                Diagnostic::plain(format!("failed to read {path} ({})", io_cause(&e)))
                    .with_code("input.unreadable")
            })?;
            Box::new(BufReader::with_capacity(256 * 1024, file))
        };
        Ok(JsonLines { file: path.into(), reader, line: 0, buffer: Vec::new() })
    }

    fn at(&self, column: u32) -> Option<SourcePos> {
        Some(SourcePos { file: self.file.clone(), line: self.line, column })
    }
}

impl Iterator for JsonLines {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        loop {
            self.buffer.clear();
            let limit = u64::try_from(MAX_INPUT_BYTES).unwrap_or(u64::MAX) + 1;
            let read = (&mut self.reader).take(limit).read_until(b'\n', &mut self.buffer);
            self.line = self.line.saturating_add(1);
            match read {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => {
                    let d = Diagnostic::plain(format!("failed to read {} ({})", self.file, io_cause(&e)))
                        .with_code("input.unreadable");
                    return Some((self.line, Err(d)));
                }
            }
            if self.buffer.len() > MAX_INPUT_BYTES {
                // Skip the rest of the line.
                let mut rest = Vec::new();
                let _ = self.reader.read_until(b'\n', &mut rest);
                let d = Diagnostic::error(FieldPath::root(), self.at(1), "the line is longer than 16 MiB");
                return Some((self.line, Err(d)));
            }
            let mut bytes = std::mem::take(&mut self.buffer);
            while bytes.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
                bytes.pop();
            }
            if bytes.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            return Some(match String::from_utf8(bytes) {
                Ok(text) => (self.line, Ok(text)),
                Err(e) => {
                    let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                    let column = String::from_utf8_lossy(valid).chars().count() + 1;
                    let column = u32::try_from(column).unwrap_or(u32::MAX);
                    (
                        self.line,
                        Err(Diagnostic::error(
                            FieldPath::root(),
                            self.at(column),
                            "the line is not valid UTF-8",
                        )),
                    )
                }
            });
        }
    }
}

/// An output name made from a case's fields: literal text and `{field.path}` holes
/// (`{number}`, `{holder.iin}`, `{objects[0].cadastral_number}`); `{{` and `}}` are braces.
/// When the text after the last hole has no `.`, `.pdf` is added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameTemplate {
    text: String,
    parts: Vec<Part>,
    add_pdf: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Field(String, Vec<PathSegment>),
}

impl NameTemplate {
    /// Parses a template; errors name the template.
    pub fn parse(text: &str) -> Result<NameTemplate, BatchError> {
        let problem =
            |problem: &str| BatchError::Template { template: text.to_owned(), problem: problem.to_owned() };
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let mut field = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(c) => field.push(c),
                            None => return Err(problem("a `{` is not closed")),
                        }
                    }
                    let path = parse_path(field.trim()).ok_or_else(|| {
                        problem(&format!("\"{}\" is not a field path (such as number or holder.iin)", field))
                    })?;
                    if !literal.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut literal)));
                    }
                    parts.push(Part::Field(field.trim().to_owned(), path));
                }
                '}' => return Err(problem("a `}` has no `{`")),
                '/' | '\\' | '\0' => return Err(problem("an output name cannot hold `/`, `\\` or NUL")),
                c => literal.push(c),
            }
        }
        let has_field = parts.iter().any(|p| matches!(p, Part::Field(..)));
        if !has_field {
            return Err(problem("it names no field, so every case would get the same name"));
        }
        let add_pdf = !literal.contains('.');
        if !literal.is_empty() {
            parts.push(Part::Text(literal));
        }
        Ok(NameTemplate { text: text.to_owned(), parts, add_pdf })
    }

    /// The file name for the case `tree`, or what is missing: a problem with the field's
    /// path and position.
    pub fn expand(&self, tree: &Node) -> Result<String, Diagnostic> {
        let mut name = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) => name.push_str(text),
                Part::Field(shown, path) => {
                    let field = FieldPath(path.clone());
                    let node = find(tree, path).ok_or_else(|| {
                        Diagnostic::error(
                            field.clone(),
                            Some(tree.pos.clone()),
                            format!("the output name {}: the case has no field {shown}", self.text),
                        )
                    })?;
                    let text = match &node.value {
                        NodeValue::String(s) | NodeValue::Number(s) => s.trim(),
                        _ => {
                            return Err(Diagnostic::error(
                                field,
                                Some(node.pos.clone()),
                                format!(
                                    "the output name {}: expected a string or a number, got {}",
                                    self.text,
                                    node.kind_name()
                                ),
                            ));
                        }
                    };
                    if text.is_empty()
                        || text == "."
                        || text == ".."
                        || text.chars().any(|c| matches!(c, '/' | '\\') || c.is_control())
                    {
                        return Err(Diagnostic::error(
                            field,
                            Some(node.pos.clone()),
                            format!(
                                "the output name {}: {} cannot be part of a file name",
                                self.text,
                                crate::diag::quoted(text)
                            ),
                        ));
                    }
                    name.push_str(text);
                }
            }
        }
        if self.add_pdf {
            name.push_str(".pdf");
        }
        Ok(name)
    }
}

/// `objects[0].area` → its segments; None when it is not a path.
fn parse_path(text: &str) -> Option<Vec<PathSegment>> {
    let mut segments = Vec::new();
    for part in text.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if key.is_empty() || !key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') {
            return None;
        }
        segments.push(PathSegment::Key(key.to_owned()));
        while !rest.is_empty() {
            let close = rest.find(']')?;
            let index: usize = rest.get(1..close)?.parse().ok()?;
            segments.push(PathSegment::Index(index));
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return None;
            }
        }
    }
    Some(segments)
}

/// The node at `path` in `tree`.
fn find<'a>(tree: &'a Node, path: &[PathSegment]) -> Option<&'a Node> {
    path.iter().try_fold(tree, |node, segment| match (segment, &node.value) {
        (PathSegment::Key(key), NodeValue::Map(_)) => node.get(key),
        (PathSegment::Index(i), NodeValue::List(items)) => items.get(*i),
        _ => None,
    })
}

/// The default output name of the case on line `line` of the JSON Lines file `path`:
/// `STEM-LINE.pdf`.
pub fn line_name(path: &str, line: u32) -> String {
    let stem = Path::new(path).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    format!("{stem}-{line}.pdf")
}

/// The counts of a finished batch, printed as its last line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Cases whose every output was written.
    pub written: usize,
    /// Cases that were invalid (nothing written for them).
    pub invalid: usize,
    /// Cases whose output could not be written, or whose file could not be read.
    pub failed: usize,
    /// How long the batch took.
    pub elapsed: Duration,
}

impl fmt::Display for Summary {
    /// `10000 written, 3 invalid, 0 failed in 21.4 s (467 docs/s)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.elapsed.as_secs_f64();
        let rate = if seconds > 0.0 { self.written as f64 / seconds } else { 0.0 };
        write!(
            f,
            "{} written, {} invalid, {} failed in {seconds:.1} s ({rate:.0} docs/s)",
            self.written, self.invalid, self.failed
        )
    }
}

impl Summary {
    /// The summary as one JSON object, for `--diagnostic-format json`:
    /// `{"summary":{"written":10000,"invalid":3,"failed":0,"seconds":21.4}}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({"summary": {
            "written": self.written,
            "invalid": self.invalid,
            "failed": self.failed,
            "seconds": self.elapsed.as_secs_f64(),
        }})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(json: &str) -> Node {
        crate::input::parse_json_line("cases.jsonl", 7, json).expect("parses")
    }

    #[test]
    fn names_from_fields() {
        let t = NameTemplate::parse("{number}").expect("template");
        assert_eq!(t.expand(&tree(r#"{"number": "23516"}"#)).expect("name"), "23516.pdf");
        let t = NameTemplate::parse("cert-{holder.iin}-{objects[1].n}.png").expect("template");
        let case = tree(r#"{"holder": {"iin": 900101300123}, "objects": [{"n": "a"}, {"n": "b"}]}"#);
        assert_eq!(t.expand(&case).expect("name"), "cert-900101300123-b.png");
        let t = NameTemplate::parse("{{x}}-{n}").expect("template");
        assert_eq!(t.expand(&tree(r#"{"n": "1"}"#)).expect("name"), "{x}-1.pdf");
    }

    #[test]
    fn name_problems_name_the_field_and_line() {
        let t = NameTemplate::parse("{number}").expect("template");
        let d = t.expand(&tree(r#"{"form": "x"}"#)).unwrap_err();
        assert_eq!(
            d.to_string(),
            "error: cases.jsonl:7:1: number: the output name {number}: the case has no field number"
        );
        let d = t.expand(&tree(r#"{"number": "../x"}"#)).unwrap_err();
        assert_eq!(
            d.to_string(),
            "error: cases.jsonl:7:12: number: the output name {number}: \"../x\" cannot be part of a file name"
        );
        let d = t.expand(&tree(r#"{"number": [1]}"#)).unwrap_err();
        assert_eq!(
            d.to_string(),
            "error: cases.jsonl:7:12: number: the output name {number}: expected a string or a number, got a list"
        );
    }

    #[test]
    fn bad_templates() {
        let problem = |t: &str| NameTemplate::parse(t).unwrap_err().to_string();
        assert_eq!(
            problem("fixed"),
            "the output name fixed: it names no field, so every case would get the same name"
        );
        assert_eq!(problem("{number"), "the output name {number: a `{` is not closed");
        assert_eq!(problem("a/{n}"), "the output name a/{n}: an output name cannot hold `/`, `\\` or NUL");
        assert_eq!(
            problem("{a..b}"),
            "the output name {a..b}: \"a..b\" is not a field path (such as number or holder.iin)"
        );
    }

    #[test]
    fn summary_line() {
        let s = Summary { written: 10000, invalid: 3, failed: 0, elapsed: Duration::from_millis(21_400) };
        assert_eq!(s.to_string(), "10000 written, 3 invalid, 0 failed in 21.4 s (467 docs/s)");
    }

    #[test]
    fn json_lines_skip_blank_lines_and_keep_numbers() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("c.jsonl");
        std::fs::write(&path, b"{\"a\":1}\r\n\n   \n{\"b\":2}\n\xff{}\n{\"c\":3}").expect("write");
        let lines: Vec<_> = JsonLines::open(path.to_str().expect("utf-8")).expect("open").collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0], (1, Ok("{\"a\":1}".to_owned())));
        assert_eq!(lines[1], (4, Ok("{\"b\":2}".to_owned())));
        let bad = lines[2].1.as_ref().unwrap_err();
        assert_eq!((lines[2].0, bad.message.as_str()), (5, "the line is not valid UTF-8"));
        assert_eq!(lines[3], (6, Ok("{\"c\":3}".to_owned())));
    }
}
