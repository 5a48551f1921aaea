//! Diagnostics: what went wrong, where in the input, and how to fix it.
//!
//! Every stage reports problems as [`Diagnostic`]s. A diagnostic names the field
//! (`objects[2].total_area`), the position in the source file (`case.yaml:14:9`) when one is
//! known, a lower-case message without a final period, and optional hints.
//!
//! Printed, a diagnostic reads
//! `error: cases/acme.yaml:14:9: objects[2].total_area: must not be negative (got -3)`.

use std::fmt;
use std::sync::Arc;

use crate::messages::Message;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The input cannot be printed.
    Error,
    /// The input can be printed, but probably not as intended.
    Warning,
}

/// A position in a source file: 1-based line and column (in characters); line 0 for data
/// that was not text ([`SourcePos::origin`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourcePos {
    /// The file name as the user gave it (`-` for standard input).
    pub file: Arc<str>,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
}

impl SourcePos {
    /// The position of data that was never text (a value a program gives, a register
    /// entry): only the name of where it came from, line and column 0. It prints as the name
    /// alone, and its line and column are `null` in [`DiagnosticJson`].
    pub fn origin(name: &str) -> SourcePos {
        SourcePos { file: name.into(), line: 0, column: 0 }
    }

    /// Whether this is a line and column in a text (not an [`SourcePos::origin`]).
    pub fn in_text(&self) -> bool {
        self.line > 0
    }
}

impl fmt::Display for SourcePos {
    /// `FILE:LINE:COL`, or the origin's name alone.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.in_text() {
            write!(f, "{}:{}:{}", self.file, self.line, self.column)
        } else {
            f.write_str(&self.file)
        }
    }
}

/// One step of a [`FieldPath`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathSegment {
    /// A key of a mapping.
    Key(String),
    /// An index into a list.
    Index(usize),
}

/// The path to a field of the case data, printed as `objects[0].rights[1].share`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FieldPath(pub Vec<PathSegment>);

impl FieldPath {
    /// The empty path: the document itself.
    pub fn root() -> Self {
        Self(Vec::new())
    }

    /// This path extended by a key.
    pub fn key(&self, key: &str) -> Self {
        let mut segments = self.0.clone();
        segments.push(PathSegment::Key(key.to_owned()));
        Self(segments)
    }

    /// This path extended by a list index.
    pub fn index(&self, index: usize) -> Self {
        let mut segments = self.0.clone();
        segments.push(PathSegment::Index(index));
        Self(segments)
    }

    /// Whether this is the root path.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for segment in &self.0 {
            match segment {
                PathSegment::Key(key) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    // A control character in a key is shown by its code point, as in `quoted`.
                    for c in key.chars() {
                        if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                            write!(f, "<U+{:04X}>", c as u32)?;
                        } else {
                            write!(f, "{c}")?;
                        }
                    }
                }
                PathSegment::Index(i) => write!(f, "[{i}]")?,
            }
            first = false;
        }
        Ok(())
    }
}

/// Whose problem a diagnostic is: the case's (exit code 2 for that case) or the templates'
/// (the operator's: the tool cannot print with them, exit code 1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Origin {
    /// The input: the case data or what it asks for.
    #[default]
    Input,
    /// The form definitions, wording or templates (compiled in or `--templates DIR`).
    Templates,
}

/// One problem found in the input, the templates or the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The field the problem is about; empty for the whole document.
    pub path: FieldPath,
    /// Where in the source file, when known.
    pub pos: Option<SourcePos>,
    /// Lower case, no final period.
    pub message: String,
    /// Ways to fix it.
    pub hints: Vec<String>,
    /// Whose problem it is.
    pub origin: Origin,
    /// The stable code and the message and hints as catalog data, when there are some
    /// (see [`Diagnostic::code`], [`Diagnostic::text`]). Boxed: diagnostics travel in
    /// `Result`s, kept small.
    pub details: Option<Box<Details>>,
}

/// What a diagnostic may carry besides its text: its stable code, and its message and hints
/// as catalog data (`message` and `hints` of the [`Diagnostic`] are their English text, and
/// [`crate::messages::localize`] gives them in Kazakh or Russian).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Details {
    /// The stable code programs match on (`field.unknown`); `None` for the default of the
    /// origin, see [`Diagnostic::code`].
    pub code: Option<&'static str>,
    /// The message; `None` when it is English only.
    pub message: Option<Message>,
    /// The hints, in the order of [`Diagnostic::hints`] (`None` for an English-only hint).
    pub hints: Vec<Option<Message>>,
}

impl Diagnostic {
    /// An error about a field.
    pub fn error(path: FieldPath, pos: Option<SourcePos>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            path,
            pos,
            message: message.into(),
            hints: Vec::new(),
            origin: Origin::Input,
            details: None,
        }
    }

    /// A warning about a field.
    pub fn warning(path: FieldPath, pos: Option<SourcePos>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            path,
            pos,
            message: message.into(),
            hints: Vec::new(),
            origin: Origin::Input,
            details: None,
        }
    }

    /// An error about a whole file or about no file at all.
    pub fn plain(message: impl Into<String>) -> Self {
        Self::error(FieldPath::root(), None, message)
    }

    /// An error about a field, its message from the catalogs (see [`crate::messages`]).
    pub fn error_msg(path: FieldPath, pos: Option<SourcePos>, message: Message) -> Self {
        let details = Some(Box::new(Details { message: Some(message.clone()), ..Details::default() }));
        Self { details, ..Self::error(path, pos, message.english()) }
    }

    /// A warning about a field, its message from the catalogs.
    pub fn warning_msg(path: FieldPath, pos: Option<SourcePos>, message: Message) -> Self {
        let details = Some(Box::new(Details { message: Some(message.clone()), ..Details::default() }));
        Self { details, ..Self::warning(path, pos, message.english()) }
    }

    /// An error about a whole file or about no file at all, its message from the catalogs.
    pub fn plain_msg(message: Message) -> Self {
        Self::error_msg(FieldPath::root(), None, message)
    }

    /// The same diagnostic with a hint added.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// The same diagnostic with a hint from the catalogs added.
    pub fn with_hint_msg(mut self, hint: Message) -> Self {
        self.hints.push(hint.english());
        let details = self.details.get_or_insert_with(Box::default);
        details.hints.resize(self.hints.len() - 1, None);
        details.hints.push(Some(hint));
        self
    }

    /// The same diagnostic, as a problem of the templates rather than of the input.
    pub fn in_templates(mut self) -> Self {
        self.origin = Origin::Templates;
        self
    }

    /// The same diagnostic with a stable code (listed in `docs/diagnostic-codes.md`).
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.details.get_or_insert_with(Box::default).code = Some(code);
        self
    }

    /// The message as catalog data, when it has one.
    pub fn text(&self) -> Option<&Message> {
        self.details.as_ref()?.message.as_ref()
    }

    /// Hint `index` as catalog data, when it has one.
    pub fn hint_text(&self, index: usize) -> Option<&Message> {
        self.details.as_ref()?.hints.get(index)?.as_ref()
    }

    /// The stable code: the one given with [`Diagnostic::with_code`], or else `input` for a
    /// problem of the input and `templates` for one of the templates.
    pub fn code(&self) -> &'static str {
        self.details.as_ref().and_then(|d| d.code).unwrap_or(match self.origin {
            Origin::Input => "input",
            Origin::Templates => "templates",
        })
    }

    /// Whether this is an error (and not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `error: FILE:LINE:COL: PATH: MESSAGE`, then one `  hint: …` line per hint.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.severity {
            Severity::Error => f.write_str("error: ")?,
            Severity::Warning => f.write_str("warning: ")?,
        }
        if let Some(pos) = &self.pos {
            write!(f, "{pos}: ")?;
        }
        if !self.path.is_root() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)?;
        for hint in &self.hints {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// `text` in double quotes for a message: `"` and `\` escaped with a backslash, and a control
/// character (or any other the terminal would not show) written `<U+0007>`, never as a Rust
/// escape.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            _ if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("<U+{:04X}>", c as u32));
            }
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The result of a stage: the value, or every problem that stopped it.
pub type StageResult<T> = Result<T, Vec<Diagnostic>>;

/// A [`Diagnostic`] as a JSON object, the form programs read (the HTTP service's answers, the
/// command line's `--diagnostic-format json`):
/// `{"severity": "error", "code": "value.range", "file": "case.yaml", "line": 14, "column": 9, "path":
/// "objects[2].area", "message": "…", "hints": ["…"]}`. `file`, `line` and `column` are `null`
/// when the problem has no position (`line` and `column` alone when the data was not text, see
/// [`SourcePos::origin`]); `path` is `""` for the whole document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "service", derive(utoipa::ToSchema))]
pub struct DiagnosticJson {
    /// `error` or `warning`.
    pub severity: String,
    /// The stable code (`field.unknown`, `value.range`, …; see `docs/diagnostic-codes.md`).
    pub code: String,
    /// The file (or request body) the position is in.
    pub file: Option<String>,
    /// 1-based line.
    pub line: Option<u32>,
    /// 1-based column, in characters.
    pub column: Option<u32>,
    /// The field path, printed as `objects[0].rights[1].share`; empty for the whole document.
    pub path: String,
    /// Lower case, no final period.
    pub message: String,
    /// Ways to fix it.
    pub hints: Vec<String>,
}

impl Diagnostic {
    /// This diagnostic as the JSON object programs read.
    pub fn to_json(&self) -> DiagnosticJson {
        DiagnosticJson {
            severity: match self.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            }
            .to_owned(),
            code: self.code().to_owned(),
            file: self.pos.as_ref().map(|p| p.file.to_string()),
            line: self.pos.as_ref().filter(|p| p.in_text()).map(|p| p.line),
            column: self.pos.as_ref().filter(|p| p.in_text()).map(|p| p.column),
            path: self.path.to_string(),
            message: self.message.clone(),
            hints: self.hints.clone(),
        }
    }
}

/// An I/O error's cause as a message shows it: lower case, without the `(os error N)` suffix.
pub fn io_cause(err: &std::io::Error) -> String {
    let text = err.to_string();
    let text = match text.rfind(" (os error ") {
        Some(i) if text.ends_with(')') => text[..i].to_owned(),
        _ => text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "unknown error".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_path_prints_like_serde_path_to_error() {
        let path = FieldPath::root().key("objects").index(0).key("rights").index(1).key("share");
        assert_eq!(path.to_string(), "objects[0].rights[1].share");
    }

    #[test]
    fn quoted_shows_code_points_not_rust_escapes() {
        assert_eq!(quoted("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(quoted("a\u{7}b\u{2028}"), r#""a<U+0007>b<U+2028>""#);
    }

    #[test]
    fn diagnostic_prints_position_path_message_and_hints() {
        let pos = SourcePos { file: "case.yaml".into(), line: 14, column: 9 };
        let d = Diagnostic::error(
            FieldPath::root().key("total_area"),
            Some(pos),
            "must not be negative (got -3)",
        )
        .with_hint("area is in square metres");
        assert_eq!(
            d.to_string(),
            "error: case.yaml:14:9: total_area: must not be negative (got -3)\n  hint: area is in square metres"
        );
    }

    #[test]
    fn diagnostic_as_json_names_every_part() {
        let pos = SourcePos { file: "case.yaml".into(), line: 14, column: 9 };
        let d = Diagnostic::error(
            FieldPath::root().key("objects").index(2).key("area"),
            Some(pos),
            "must be positive",
        )
        .with_code("value.range")
        .with_hint("area is in square metres");
        assert_eq!(
            serde_json::to_string(&d.to_json()).unwrap(),
            r#"{"severity":"error","code":"value.range","file":"case.yaml","line":14,"column":9,"path":"objects[2].area","message":"must be positive","hints":["area is in square metres"]}"#
        );
        let plain = Diagnostic::warning(FieldPath::root(), None, "the case names no form");
        assert_eq!(
            serde_json::to_string(&plain.to_json()).unwrap(),
            r#"{"severity":"warning","code":"input","file":null,"line":null,"column":null,"path":"","message":"the case names no form","hints":[]}"#
        );
    }
}
