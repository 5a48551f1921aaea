//! Messages in Kazakh, Russian and English: the text of diagnostics and register errors,
//! kept as [Fluent](https://projectfluent.org) catalogs with the templates
//! (`templates/messages/{kk,ru,en}.ftl`), compiled in and loaded once.
//!
//! A problem carries its message as data, a [`Message`]: a message id and its arguments (the
//! field name, the value given, the limit, …). The text is made from the catalog of the
//! language asked for: [`localize`] for a [`Diagnostic`], [`localize_register`] for a
//! [`RegisterError`]. The English catalog is the reference wording: a diagnostic's `message`
//! field, its `Display` and every English message of the tool are made from it.
//!
//! Arguments are language-neutral (field paths, values as given, numbers); words that change
//! with the language are chosen by the catalog from a keyword argument (`expected: date`).
//! Problems of the layout, the templates and the form definitions have no [`Message`] yet:
//! their text is English in every language.
//!
//! ```
//! use anyqtama::messages::{Message, MessageLang};
//!
//! let m = Message::new("number-at-least").num("min", 1).arg("value", "0");
//! assert_eq!(m.english(), "must be at least 1 (got 0)");
//! assert_eq!(m.format(MessageLang::Ru), "должно быть не меньше 1 (указано: 0)");
//! ```

mod catalog;

use std::fmt;

use crate::diag::{Diagnostic, DiagnosticJson, Severity};
use crate::domain::Lang;
#[cfg(feature = "register")]
use crate::register::RegisterError;

pub use catalog::{CATALOGS, catalog_source};

/// A language messages are written in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum MessageLang {
    /// English, the reference wording (and the default).
    #[default]
    En,
    /// Kazakh, the state language.
    Kk,
    /// Russian.
    Ru,
}

impl MessageLang {
    /// Every language, Kazakh first.
    pub const ALL: [MessageLang; 3] = [MessageLang::Kk, MessageLang::Ru, MessageLang::En];

    /// `kk`, `ru` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            MessageLang::En => "en",
            MessageLang::Kk => "kk",
            MessageLang::Ru => "ru",
        }
    }

    /// Parses `kk`, `ru` or `en`.
    pub fn from_code(code: &str) -> Option<MessageLang> {
        MessageLang::ALL.into_iter().find(|l| l.code() == code)
    }
}

impl From<Lang> for MessageLang {
    fn from(lang: Lang) -> Self {
        match lang {
            Lang::Kk => MessageLang::Kk,
            Lang::Ru => MessageLang::Ru,
            Lang::En => MessageLang::En,
        }
    }
}

impl fmt::Display for MessageLang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A message as data: its id in the catalogs and its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Message {
    id: &'static str,
    args: Vec<(&'static str, Arg)>,
}

/// An argument of a [`Message`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Arg {
    /// Text shown as it is (a field path, a value as given) or a keyword the catalog
    /// chooses words by.
    Text(String),
    /// A whole number: shown as digits, and choosing plural forms.
    Number(i64),
    /// Items joined as "a or b or c", in the message's language.
    Or(Vec<String>),
    /// Items joined as "a, b and c", in the message's language.
    And(Vec<String>),
}

impl Message {
    /// A message without arguments yet.
    pub fn new(id: &'static str) -> Self {
        Self { id, args: Vec::new() }
    }

    /// The same message with a text argument.
    pub fn arg(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, Arg::Text(value.into())));
        self
    }

    /// The same message with a number argument.
    pub fn num(mut self, name: &'static str, value: impl Into<i64>) -> Self {
        self.args.push((name, Arg::Number(value.into())));
        self
    }

    /// The same message with a list argument joined with "or".
    pub fn or_list(mut self, name: &'static str, items: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.args.push((name, Arg::Or(items.into_iter().map(Into::into).collect())));
        self
    }

    /// The same message with a list argument joined with "and".
    pub fn and_list(
        mut self,
        name: &'static str,
        items: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.args.push((name, Arg::And(items.into_iter().map(Into::into).collect())));
        self
    }

    /// The message id (`value-type`).
    pub fn id(&self) -> &'static str {
        self.id
    }

    /// The arguments, in the order given.
    pub fn args(&self) -> &[(&'static str, Arg)] {
        &self.args
    }

    /// The message in `lang`.
    pub fn format(&self, lang: MessageLang) -> String {
        catalog::format(self, lang)
    }

    /// The message in English.
    pub fn english(&self) -> String {
        self.format(MessageLang::En)
    }
}

impl fmt::Display for Message {
    /// The English text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english())
    }
}

/// `Display` (the English text of the type's `message()`) and `Error` for error types whose
/// text is a [`Message`].
macro_rules! english_display {
    ($ty:ty) => {
        impl std::fmt::Display for $ty {
            /// The English text (`templates/messages/en.ftl`).
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.message().english())
            }
        }

        impl std::error::Error for $ty {}
    };
}
pub(crate) use english_display;

/// The message of a diagnostic in `lang` (its English `message` when it has no [`Message`]).
pub fn localize(diag: &Diagnostic, lang: MessageLang) -> String {
    match diag.text() {
        Some(m) if lang != MessageLang::En => m.format(lang),
        _ => diag.message.clone(),
    }
}

/// The hints of a diagnostic in `lang` (English for those without a [`Message`]).
pub fn localize_hints(diag: &Diagnostic, lang: MessageLang) -> Vec<String> {
    diag.hints
        .iter()
        .enumerate()
        .map(|(i, hint)| match diag.hint_text(i) {
            Some(m) if lang != MessageLang::En => m.format(lang),
            _ => hint.clone(),
        })
        .collect()
}

/// A diagnostic as printed, in `lang`: `error: FILE:LINE:COL: PATH: MESSAGE`, then one
/// `  hint: …` line per hint. The words `error`, `warning` and `hint` stay as they are in
/// every language, for programs that read the lines. In English, the same as `Display`.
pub fn display(diag: &Diagnostic, lang: MessageLang) -> String {
    let mut out = String::new();
    out.push_str(match diag.severity {
        Severity::Error => "error: ",
        Severity::Warning => "warning: ",
    });
    if let Some(pos) = &diag.pos {
        out.push_str(&format!("{pos}: "));
    }
    if !diag.path.is_root() {
        out.push_str(&format!("{}: ", diag.path));
    }
    out.push_str(&localize(diag, lang));
    for hint in localize_hints(diag, lang) {
        out.push_str("\n  hint: ");
        out.push_str(&hint);
    }
    out
}

/// A diagnostic as the JSON object programs read, its message and hints in `lang` (the
/// `code` is the same in every language).
pub fn to_json(diag: &Diagnostic, lang: MessageLang) -> DiagnosticJson {
    DiagnosticJson { message: localize(diag, lang), hints: localize_hints(diag, lang), ..diag.to_json() }
}

/// The message of a register error in `lang`.
#[cfg(feature = "register")]
pub fn localize_register(error: &RegisterError, lang: MessageLang) -> String {
    error.message().format(lang)
}

/// What a stable code (`value.range`, see `docs/diagnostic-codes.md`) means, in `lang`;
/// `None` for a code the catalogs do not know.
pub fn code_title(code: &str, lang: MessageLang) -> Option<String> {
    catalog::format_id(&format!("code-{}", code.replace('.', "-")), &[], lang)
}

#[cfg(test)]
mod tests;
