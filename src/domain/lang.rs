//! Languages of the output, and text given in several of them.

use std::fmt;

/// A language a form is printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lang {
    /// Kazakh, the state language.
    Kk,
    /// Russian.
    Ru,
    /// English (unofficial translations of order 246).
    En,
}

impl Lang {
    /// All languages, Kazakh first.
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    /// The code used on the command line and in data: `kk`, `ru`, `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// The language tag written into PDF metadata: `kk-KZ`, `ru-RU`, `en`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Kk => "kk-KZ",
            Lang::Ru => "ru-RU",
            Lang::En => "en",
        }
    }

    /// Parses `kk`, `ru` or `en`.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "kk" => Some(Lang::Kk),
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One text in each language a form is printed in. A plain string in the input is the same
/// text in every language.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Bilingual {
    /// Kazakh.
    pub kk: String,
    /// Russian.
    pub ru: String,
    /// English, when given.
    pub en: Option<String>,
}

impl Bilingual {
    /// The same text in every language.
    pub fn same(text: impl Into<String>) -> Self {
        let text = text.into();
        Self { kk: text.clone(), ru: text.clone(), en: Some(text) }
    }

    /// The text in one language; English falls back to Russian when not given.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Kk => &self.kk,
            Lang::Ru => &self.ru,
            Lang::En => self.en.as_deref().unwrap_or(&self.ru),
        }
    }
}
