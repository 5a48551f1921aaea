//! The input stage: source text (YAML or JSON) to a position-keeping [`Node`] tree.
//!
//! [`read_source`] reads a file or standard input as UTF-8 text; [`parse`] turns the text into
//! a [`Node`] whose every value and mapping key knows the line and column (1-based, counted in
//! characters) it starts at. [`load_value`] builds the tree from a `serde_json::Value` a
//! program holds, without text (its positions name only where the data came from).
//!
//! # Values
//!
//! - Quoted scalars are always strings (`"72.40"` is a string).
//! - Plain scalars follow the YAML 1.2 core schema: `true`/`false` (also `True`, `TRUE`, …) are
//!   booleans, `null`, `~` and nothing are null, decimal numbers are numbers; `yes`, `no`, `on`
//!   and `off` are strings.
//! - A number keeps the text it is written as (`72.40`, `-3`, `1e3`, `+5`). Only decimal spellings
//!   are numbers: hexadecimal and octal (`0x1F`, `0o17`), `.inf` and `.nan`, integers with
//!   redundant leading zeros (`007`, kept for identifiers) and numbers with `_` are strings,
//!   exactly as written. (A number made by a tag on a quoted scalar, `!!float "1.50"`, is as Rust
//!   prints it: `1.5`.)
//! - Mapping keys are strings; a plain scalar key is its text (`1: x` has the key `1`).
//! - YAML anchors, aliases and merge keys (`<<: *base`) are expanded. An alias has the position
//!   where it is used; a number read through an alias keeps the text of its definition.
//!   Unknown tags (`!custom`) are refused.
//! - JSON is first checked with serde_json, then read as YAML 1.2 (of which it is a subset),
//!   without merge keys. A leading byte-order mark is ignored. serde_json refuses numbers beyond
//!   the range of `f64` (`1e400`: `number out of range`); keys longer than 65 536 characters
//!   are refused with the YAML parser's message (under `failed to parse JSON`).
//!
//! # Messages
//!
//! Every diagnostic is an error with the root path, except duplicate and complex keys, whose
//! path is the mapping that holds them. `file` below is the name given to [`parse`]; `pos` is
//! the position the diagnostic carries.
//!
//! | message | pos |
//! |---|---|
//! | `failed to read PATH (CAUSE)`, PATH being `standard input` for `-`; CAUSE is `no such file or directory`, `permission denied`, `it is a directory`, or the system's text without its `(os error N)` | none |
//! | `PATH: the file is larger than 16 MiB` ([`read`]; `the file is larger than 16 MiB` from [`parse`]) | none |
//! | `the file is not valid UTF-8`, with a hint naming UTF-16, UTF-32 or Windows-1251 when the bytes look like it | the first bad byte, in PATH |
//! | `the file is not UTF-8 text (it contains NUL bytes)`, with the same hint | the first NUL byte, in PATH |
//! | `the file is empty` (only whitespace, comments or `---`) | none |
//! | `failed to parse YAML (CAUSE)`: CAUSE is the parser's message, first line, no position | the error's |
//! | `failed to parse JSON (CAUSE)`: CAUSE is serde_json's message without ` at line L column C`, e.g. ``expected `,` or `}` `` | the error's |
//! | `nesting is deeper than 64 levels` (YAML and JSON) | where the 65th level starts |
//! | `expected one document, found more` | the second document |
//! | `duplicate key "NAME"` (`"` and `\` escaped with `\`, control characters written `<U+0007>`) | the second key |
//! | `mapping keys must be strings` (a list or mapping as a key) | the key |
//! | `failed to parse YAML (internal error)` / `failed to parse JSON (internal error)` (a bug in a parser) | none |
//! | `too many aliases (more than 1000)` | where it was found |
//! | `too many anchors (more than 1000)` | where it was found |
//! | `aliases expand to too many values (more than 20000)` | the alias |
//! | `too many values (more than 250000)` | where it was found |
//! | `too much text (more than 64 MiB, aliases expanded)` | where it was found |
//! | `the file is too complex (more than 2000000 parser events)` | where it was found |
//! | `the file is too large or too complex` (any other parser budget) | where it was found |
//!
//! Syntax and budget errors stop parsing and give one diagnostic; duplicate and complex keys
//! are all reported.
//!
//! # Budgets
//!
//! Input up to [`MAX_INPUT_BYTES`], nesting up to [`MAX_DEPTH`], 1000 aliases, 1000 anchors,
//! 20 000 parser events replayed from aliases in all, 250 000 values and 64 MiB of scalar text
//! (aliases expanded), 2 000 000 parser events, keys up to 65 536 characters. A 3000-line
//! certificate has about 10 000 values. Single strings are not limited here.

pub mod node;

mod json;
mod tree;
mod value;

pub use node::{Key, Node, NodeValue};
pub use value::load_value;

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::granit_parser::ErrorKind;
use serde_saphyr::{
    DuplicateKeyPolicy, Error as YamlError, ExternalMessageSource, MergeKeyPolicy, MessageFormatter,
    NonFiniteFloatPolicy, Options, Spanned, UserMessageFormatter,
};

use crate::diag::{Diagnostic, FieldPath, SourcePos, StageResult};
use crate::messages::Message;
use tree::{Builder, Raw};

/// Input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// YAML 1.2.
    Yaml,
    /// JSON.
    Json,
}

impl Format {
    /// The format a file name's extension says: `.yaml`/`.yml` YAML, `.json` JSON (any letter
    /// case), anything else none.
    pub fn from_path(path: &str) -> Option<Format> {
        let extension = Path::new(path).extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "yaml" | "yml" => Some(Format::Yaml),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Format::Yaml => "YAML",
            Format::Json => "JSON",
        }
    }
}

/// Largest input accepted, in bytes (16 MiB).
pub const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

/// Deepest nesting of lists/mappings accepted.
pub const MAX_DEPTH: usize = 64;

/// Most aliases (`*name`) in a YAML file.
const MAX_ALIASES: usize = 1000;
/// Most anchors (`&name`) in a YAML file.
const MAX_ANCHORS: usize = 1000;
/// Most parser events replayed from aliases in all: stops alias bombs early.
const MAX_REPLAYED_EVENTS: usize = 20_000;
/// Most values (scalars, lists, mappings) in a file, aliases expanded.
const MAX_NODES: usize = 250_000;
/// Most bytes of text in all scalars, aliases expanded.
const MAX_SCALAR_BYTES: usize = 64 * 1024 * 1024;
/// Longest implicit mapping key, in characters.
const MAX_KEY_CHARS: usize = 64 * 1024;
/// Most parser events in a file.
const MAX_EVENTS: usize = 2_000_000;

pub(crate) fn too_deep() -> Message {
    Message::new("input-too-deep").num("max", i64::try_from(MAX_DEPTH).unwrap_or(i64::MAX))
}

/// Why a case file gives no text: it could not be read, or what it holds is not a case file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The file could not be read (missing, a directory, permissions): the tool could not run.
    #[error("{0}")]
    Unreadable(Diagnostic),
    /// The bytes are not a case file: larger than [`MAX_INPUT_BYTES`], not UTF-8 (UTF-16,
    /// UTF-32, Windows-1251, …), or holding NUL bytes. Invalid input.
    #[error("{0}")]
    Invalid(Diagnostic),
}

impl ReadError {
    /// The problem, to print.
    pub fn diagnostic(&self) -> &Diagnostic {
        match self {
            ReadError::Unreadable(d) | ReadError::Invalid(d) => d,
        }
    }

    /// The problem, to print.
    pub fn into_diagnostic(self) -> Diagnostic {
        match self {
            ReadError::Unreadable(d) | ReadError::Invalid(d) => d,
        }
    }
}

/// Reads a file (or standard input when path is "-") as UTF-8 text. Errors: cannot read, too
/// large, not UTF-8. [`read`] tells the first kind from the others.
pub fn read_source(path: &str) -> Result<String, Diagnostic> {
    read(path).map_err(ReadError::into_diagnostic)
}

/// Reads a file (or standard input when path is "-") as UTF-8 text.
///
/// A file larger than [`MAX_INPUT_BYTES`] is refused as `PATH: the file is larger than 16
/// MiB`; one with a NUL byte as `the file is not UTF-8 text (it contains NUL bytes)` and one
/// that is not UTF-8 as `the file is not valid UTF-8`, both at the first such byte, with a
/// hint when the bytes look like UTF-16, UTF-32 (a byte-order mark, or NUL bytes in their
/// pattern) or Windows-1251 (valid as Windows-1251, its words Cyrillic).
pub fn read(path: &str) -> Result<String, ReadError> {
    let read_error = |err: std::io::Error| {
        let message = if path == "-" {
            Message::new("input-unreadable-stdin")
        } else {
            Message::new("input-unreadable").arg("file", path)
        };
        let (cause, detail) = io_cause(&err);
        ReadError::Unreadable(
            Diagnostic::plain_msg(message.arg("cause", cause).arg("detail", detail))
                .with_code("input.unreadable"),
        )
    };
    let limit = u64::try_from(MAX_INPUT_BYTES).unwrap_or(u64::MAX).saturating_add(1);
    let mut bytes = Vec::new();
    if path == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut bytes).map_err(read_error)?;
    } else {
        let file = std::fs::File::open(path).map_err(read_error)?;
        file.take(limit).read_to_end(&mut bytes).map_err(read_error)?;
    }
    if bytes.len() > MAX_INPUT_BYTES {
        let message = if path == "-" {
            Message::new("input-too-large-stdin")
        } else {
            Message::new("input-too-large-file").arg("file", path)
        };
        return Err(ReadError::Invalid(Diagnostic::plain_msg(message).with_code("input.too_large")));
    }
    let at = |bytes: &[u8], end: usize| {
        // The prefix is valid UTF-8 up to `end`; what follows a bad byte is not counted.
        let valid = match std::str::from_utf8(&bytes[..end]) {
            Ok(text) => text,
            Err(err) => std::str::from_utf8(&bytes[..err.valid_up_to()]).unwrap_or(""),
        };
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        Some(SourcePos { file: path.into(), line: to_u32(line), column: to_u32(column) })
    };
    let invalid = |bytes: &[u8], end: usize, message: &'static str| {
        let mut d = Diagnostic::error_msg(FieldPath::root(), at(bytes, end), Message::new(message))
            .with_code("input.encoding");
        if let Some(hint) = encoding_hint(bytes) {
            d = d.with_hint_msg(hint);
        }
        ReadError::Invalid(d)
    };
    let utf8_end = std::str::from_utf8(&bytes).err().map(|e| e.valid_up_to());
    let nul = bytes.iter().position(|&b| b == 0);
    match (utf8_end, nul) {
        (_, Some(nul)) if utf8_end.is_none_or(|end| nul < end) => Err(invalid(&bytes, nul, "input-nul")),
        (Some(end), _) => Err(invalid(&bytes, end, "input-not-utf8")),
        // Valid UTF-8 without NUL bytes.
        _ => String::from_utf8(bytes).map_err(|_| {
            ReadError::Invalid(
                Diagnostic::plain_msg(Message::new("input-not-utf8")).with_code("input.encoding"),
            )
        }),
    }
}

/// What the bytes of a file that is not UTF-8 look like, as a hint: UTF-32 or UTF-16 (by
/// their byte-order mark, or the NUL bytes their ASCII characters have), or
/// Windows-1251 (every byte valid in it, and the words that have Cyrillic letters all
/// Cyrillic, which text in Latin-1 or another code page read as Windows-1251 is not).
fn encoding_hint(bytes: &[u8]) -> Option<Message> {
    let utf32 = |order: &str| Message::new("input-looks-like-utf32").arg("order", order);
    let named = |name: &str| Message::new("input-looks-like").arg("encoding", name);
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return Some(utf32("little"));
    } else if bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Some(utf32("big"));
    }
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes)
        && encoding != encoding_rs::UTF_8
    {
        return Some(named(encoding.name()));
    }
    // ASCII in UTF-16 or UTF-32 has NUL bytes in a pattern: look at the first 64 characters.
    let head = &bytes[..bytes.len().min(256) / 4 * 4];
    if !head.is_empty() {
        let zero_at = |offset: usize, step: usize| head.iter().skip(offset).step_by(step).all(|&b| b == 0);
        let zeros = |offset: usize| head.iter().skip(offset).step_by(2).filter(|&&b| b == 0).count();
        // UTF-16: NUL bytes on one side only, in at least a quarter of the characters (the
        // ASCII ones; Cyrillic letters have 0x04 there).
        let utf16 = |side: usize| zeros(side) * 4 >= head.len() / 2 && zeros(1 - side) == 0;
        let pattern = if zero_at(2, 4) && zero_at(3, 4) {
            Some(utf32("little"))
        } else if zero_at(0, 4) && zero_at(1, 4) {
            Some(utf32("big"))
        } else if utf16(1) {
            Some(named("UTF-16LE"))
        } else if utf16(0) {
            Some(named("UTF-16BE"))
        } else {
            None
        };
        if pattern.is_some() {
            return pattern;
        }
    }
    let text = encoding_rs::WINDOWS_1251.decode_without_bom_handling_and_without_replacement(bytes)?;
    let is_cyrillic = |c: char| matches!(c, '\u{0400}'..='\u{04FF}');
    let (mut cyrillic, mut mixed) = (0usize, 0usize);
    for word in text.split(|c: char| !c.is_alphabetic()).filter(|w| w.chars().any(is_cyrillic)) {
        if word.chars().all(is_cyrillic) {
            cyrillic += 1;
        } else {
            mixed += 1;
        }
    }
    (cyrillic > 0 && mixed * 10 <= cyrillic).then(|| Message::new("input-looks-like-windows1251"))
}

/// Parses text into a Node tree. `file` is the name printed in positions (as the user gave it).
/// `format`: None means detect (first non-whitespace char `{` or `[` -> Json, else Yaml).
///
/// The work is done on a thread of its own with a 32 MiB stack, so that nesting
/// up to [`MAX_DEPTH`] never overflows the caller's stack (unoptimized builds use about 40 KiB
/// of stack per level).
pub fn parse(file: &str, text: &str, format: Option<Format>) -> StageResult<Node> {
    if LARGE_STACK.get() {
        return parse_here(file, text, format);
    }
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("anyqtama-input".to_owned())
            .stack_size(PARSE_STACK_BYTES)
            .spawn_scoped(scope, || parse_here(file, text, format));
        match spawned {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                let name = format.unwrap_or(Format::Yaml).name();
                Err(vec![Diagnostic::plain_msg(Message::new("input-internal").arg("format", name))])
            }),
            // No thread to be had: parse here, on the caller's stack.
            Err(_) => parse_here(file, text, format),
        }
    })
}

/// Stack size of the thread [`parse`] runs on.
pub const PARSE_STACK_BYTES: usize = 32 * 1024 * 1024;

thread_local! {
    /// Whether this thread's stack has [`PARSE_STACK_BYTES`] (see [`has_parse_stack`]).
    static LARGE_STACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Tells [`parse`] that the current thread was started with a stack of at least
/// [`PARSE_STACK_BYTES`], so that it parses in place instead of on a thread of its own (the
/// workers of a batch are such threads: no thread is started per file).
pub fn has_parse_stack() {
    LARGE_STACK.set(true);
}

/// Parses one line of a JSON Lines file: `text` is the line (without its line break), `line`
/// its 1-based number in `file`. Positions in the tree and in the diagnostics are those of
/// the file (`FILE:LINE:COL`), not of the line alone.
pub fn parse_json_line(file: &str, line: u32, text: &str) -> StageResult<Node> {
    let shift = line.saturating_sub(1);
    match parse(file, text, Some(Format::Json)) {
        Ok(mut node) => {
            shift_node(&mut node, shift);
            Ok(node)
        }
        Err(mut diagnostics) => {
            for d in &mut diagnostics {
                if let Some(pos) = &mut d.pos {
                    pos.line = pos.line.saturating_add(shift);
                }
            }
            Err(diagnostics)
        }
    }
}

/// Moves every position of a tree `lines` lines down.
fn shift_node(node: &mut Node, lines: u32) {
    node.pos.line = node.pos.line.saturating_add(lines);
    match &mut node.value {
        NodeValue::List(items) => items.iter_mut().for_each(|n| shift_node(n, lines)),
        NodeValue::Map(entries) => {
            for (key, value) in entries {
                key.pos.line = key.pos.line.saturating_add(lines);
                shift_node(value, lines);
            }
        }
        _ => {}
    }
}

/// [`parse`], on the current thread.
fn parse_here(file: &str, text: &str, format: Option<Format>) -> StageResult<Node> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(vec![
            Diagnostic::plain_msg(Message::new("input-too-large")).with_code("input.too_large"),
        ]);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let content = text.trim_start_matches(is_yaml_space);
    if content.is_empty() {
        return Err(vec![Diagnostic::plain_msg(Message::new("input-empty")).with_code("input.empty")]);
    }
    let format = format.unwrap_or(if content.starts_with(['{', '[']) { Format::Json } else { Format::Yaml });
    let file: Arc<str> = file.into();
    let at = |line: u32, column: u32| Some(SourcePos { file: file.clone(), line, column });

    if format == Format::Json
        && let Err(problem) = json::check(text)
    {
        let pos = problem.line_column.and_then(|(line, column)| at(line, column));
        let message = if problem.too_deep {
            too_deep()
        } else {
            Message::new("input-syntax").arg("format", "JSON").arg("cause", clean_cause(&problem.message))
        };
        return Err(vec![Diagnostic::error_msg(FieldPath::root(), pos, message).with_code("input.syntax")]);
    }

    let raw: Spanned<Raw> = serde_saphyr::from_str_with_options(text, options(format))
        .map_err(|err| vec![yaml_diagnostic(&err, format, &file)])?;
    let mut builder = Builder::new(file, text);
    if matches!(raw.value, Raw::Null) && builder.text(&raw.defined).is_none_or(|t| t.trim().is_empty()) {
        return Err(vec![Diagnostic::plain_msg(Message::new("input-empty")).with_code("input.empty")]);
    }
    let node = builder.node(raw, &tree::Where::Root);
    if builder.problems.is_empty() { Ok(node) } else { Err(builder.problems) }
}

/// YAML's white space: space, tab and line breaks.
fn is_yaml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The serde-saphyr options: budgets, YAML 1.2 core scalars, and duplicate keys passed through
/// so that [`Builder`] reports them with their positions.
fn options(format: Format) -> Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            flow_nesting_limit: MAX_DEPTH,
            // Keys may be longer than YAML's 1024 characters (JSON has no such limit). Not
            // unlimited: the parser buffers what it reads while a key is possible.
            simple_key_max_lookahead: MAX_KEY_CHARS,
            max_events: MAX_EVENTS,
            max_aliases: MAX_ALIASES,
            max_anchors: MAX_ANCHORS,
            max_nodes: MAX_NODES,
            max_total_scalar_bytes: MAX_SCALAR_BYTES,
            // One anchor used by many objects is fine; replayed events are limited instead.
            enforce_alias_anchor_ratio: false,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_REPLAYED_EVENTS,
        },
        duplicate_keys: DuplicateKeyPolicy::PassThrough,
        merge_keys: if format == Format::Json { MergeKeyPolicy::AsOrdinary } else { MergeKeyPolicy::Merge },
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        underscored_numbers_as_strings: true,
        non_finite_float_policy: NonFiniteFloatPolicy::PassThrough,
        reject_unsupported_tags: true,
        with_snippet: false,
    }
}

/// The error inside snippet and alias wrappers.
fn innermost(err: &YamlError) -> &YamlError {
    match err {
        YamlError::WithSnippet { error, .. } | YamlError::AliasError { error, .. } => innermost(error),
        other => other,
    }
}

/// A serde-saphyr error as a diagnostic.
fn yaml_diagnostic(err: &YamlError, format: Format, file: &Arc<str>) -> Diagnostic {
    let pos = err.location().filter(|l| l.line() > 0).map(|l| SourcePos {
        file: file.clone(),
        line: u32::try_from(l.line()).unwrap_or(u32::MAX),
        column: u32::try_from(l.column()).unwrap_or(u32::MAX).max(1),
    });
    let inner = innermost(err);
    let max = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let message = match inner {
        YamlError::MultipleDocuments { .. } => Message::new("input-many-documents"),
        YamlError::ExternalMessage { source, .. }
            if matches!(&**source, ExternalMessageSource::Parser(scan)
                if matches!(scan.kind(), ErrorKind::RecursionLimitExceeded)) =>
        {
            too_deep()
        }
        YamlError::Budget { breach, .. } => match breach {
            BudgetBreach::Depth { .. } => too_deep(),
            BudgetBreach::Documents { .. } => Message::new("input-many-documents"),
            BudgetBreach::Aliases { .. } => {
                Message::new("input-too-many-aliases").num("max", max(MAX_ALIASES))
            }
            BudgetBreach::Anchors { .. } => {
                Message::new("input-too-many-anchors").num("max", max(MAX_ANCHORS))
            }
            BudgetBreach::Nodes { .. } => Message::new("input-too-many-values").num("max", max(MAX_NODES)),
            BudgetBreach::ScalarBytes { .. } => Message::new("input-too-much-text"),
            BudgetBreach::Events { .. } => Message::new("input-too-many-events").num("max", max(MAX_EVENTS)),
            _ => Message::new("input-too-complex"),
        },
        YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. }
        | YamlError::AliasReplayCounterOverflow { .. } => {
            Message::new("input-alias-expansion").num("max", max(MAX_REPLAYED_EVENTS))
        }
        other => {
            let cause = UserMessageFormatter.format_message(other);
            Message::new("input-syntax").arg("format", format.name()).arg("cause", clean_cause(&cause))
        }
    };
    Diagnostic::error_msg(FieldPath::root(), pos, message).with_code("input.syntax")
}

/// The first line of a parser's message, control characters written `U+0007`.
fn clean_cause(cause: &str) -> String {
    let first = cause.lines().next().unwrap_or("").trim();
    let mut out = String::with_capacity(first.len());
    // The parser writes a character it refuses as a Rust escape, `\u{7}`: show `U+0007`.
    let mut rest = first;
    let mut shown = String::with_capacity(first.len());
    while let Some(start) = rest.find("\\u{") {
        let after = &rest[start + 3..];
        let code =
            after.find('}').and_then(|end| u32::from_str_radix(&after[..end], 16).ok().map(|c| (c, end)));
        match code {
            Some((c, end)) => {
                shown.push_str(&rest[..start]);
                shown.push_str(&format!("U+{c:04X}"));
                rest = &after[end + 1..];
            }
            None => {
                shown.push_str(&rest[..start + 3]);
                rest = after;
            }
        }
    }
    shown.push_str(rest);
    for c in shown.chars() {
        if c.is_control() {
            out.push_str(&format!("U+{:04X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// An I/O error's cause as a keyword of the message `input-unreadable`, and for any other
/// cause (`other`) the system's text without the `(os error N)` suffix.
fn io_cause(err: &std::io::Error) -> (&'static str, String) {
    use std::io::ErrorKind as Kind;
    match err.kind() {
        Kind::NotFound => ("not-found", String::new()),
        Kind::PermissionDenied => ("permission-denied", String::new()),
        Kind::IsADirectory => ("is-a-directory", String::new()),
        _ => ("other", crate::diag::io_cause(err)),
    }
}

#[cfg(test)]
mod tests;
