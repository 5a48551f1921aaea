//! The fonts compiled into the binary, parsed once per process.
//!
//! The faces live in `fonts/` (Anyqtama Serif: Liberation Serif without hinting, SIL OFL
//! 1.1). Layout shapes text with them through rustybuzz; the PDF, SVG and PNG writers draw the
//! glyphs the layout chose.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// The styles of the text face.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FontStyle {
    /// Upright, normal weight.
    Regular,
    /// Upright, bold.
    Bold,
    /// Italic, normal weight.
    Italic,
}

impl FontStyle {
    /// Every style, in the order [`FontBook::face`] indexes them.
    pub const ALL: [FontStyle; 3] = [FontStyle::Regular, FontStyle::Bold, FontStyle::Italic];

    fn index(self) -> usize {
        self as usize
    }
}

/// One parsed font face.
pub struct FontFace {
    /// Family and style, for messages: `Anyqtama Serif Bold`.
    pub name: &'static str,
    /// The font file.
    pub data: &'static [u8],
    /// The face, ready for shaping.
    pub face: rustybuzz::Face<'static>,
    /// Font units per em.
    pub units_per_em: f32,
    /// Ascender, in em.
    pub ascender: f32,
    /// Descender (positive downwards), in em.
    pub descender: f32,
    /// What [`FontFace::has_glyph`] has found so far.
    coverage: Coverage,
}

/// Whether a face has a glyph, per character of the Basic Multilingual Plane, learnt on the
/// first look-up of each character: validation asks for every character of every value, and
/// the font's character map is a binary search each time.
struct Coverage {
    /// A bit per character: looked up already.
    known: Box<[AtomicU64]>,
    /// A bit per character: the face has a glyph (valid where `known` is set).
    present: Box<[AtomicU64]>,
}

impl Coverage {
    const WORDS: usize = 0x10000 / 64;

    fn new() -> Coverage {
        let words = || (0..Self::WORDS).map(|_| AtomicU64::new(0)).collect();
        Coverage { known: words(), present: words() }
    }

    fn slot(c: char) -> Option<(usize, u64)> {
        let i = c as usize;
        (i < 0x10000).then(|| (i / 64, 1 << (i % 64)))
    }

    fn get(&self, c: char) -> Option<bool> {
        let (word, bit) = Self::slot(c)?;
        // Acquire pairs with the Release in `set`: a known bit is seen after its present bit.
        (self.known[word].load(Ordering::Acquire) & bit != 0)
            .then(|| self.present[word].load(Ordering::Relaxed) & bit != 0)
    }

    fn set(&self, c: char, present: bool) {
        if let Some((word, bit)) = Self::slot(c) {
            if present {
                self.present[word].fetch_or(bit, Ordering::Relaxed);
            }
            self.known[word].fetch_or(bit, Ordering::Release);
        }
    }
}

impl FontFace {
    fn load(name: &'static str, data: &'static [u8]) -> FontFace {
        // The font files are part of the binary and are checked by the test suite, so a
        // failure here is a build defect, not a user error.
        let face = rustybuzz::Face::from_slice(data, 0).expect("bundled font parses");
        let units_per_em = face.units_per_em() as f32;
        let ascender = f32::from(face.ascender()) / units_per_em;
        let descender = -f32::from(face.descender()) / units_per_em;
        FontFace { name, data, face, units_per_em, ascender, descender, coverage: Coverage::new() }
    }

    /// Whether the face has a glyph for the character.
    pub fn has_glyph(&self, c: char) -> bool {
        if c.is_whitespace() || c.is_control() {
            return true;
        }
        self.coverage.get(c).unwrap_or_else(|| {
            let present = self.face.glyph_index(c).is_some();
            self.coverage.set(c, present);
            present
        })
    }
}

/// All faces of the bundled family.
pub struct FontBook {
    faces: [FontFace; 3],
}

impl FontBook {
    /// The bundled fonts, parsed on first use.
    pub fn get() -> &'static FontBook {
        static BOOK: OnceLock<FontBook> = OnceLock::new();
        BOOK.get_or_init(|| FontBook {
            faces: [
                FontFace::load("Anyqtama Serif", include_bytes!("../fonts/AnyqtamaSerif-Regular.ttf")),
                FontFace::load("Anyqtama Serif Bold", include_bytes!("../fonts/AnyqtamaSerif-Bold.ttf")),
                FontFace::load("Anyqtama Serif Italic", include_bytes!("../fonts/AnyqtamaSerif-Italic.ttf")),
            ],
        })
    }

    /// The face of a style.
    pub fn face(&self, style: FontStyle) -> &FontFace {
        &self.faces[style.index()]
    }

    /// The first character of `text` that the regular face cannot print.
    pub fn first_missing(&self, text: &str) -> Option<char> {
        let face = self.face(FontStyle::Regular);
        text.chars().find(|&c| !face.has_glyph(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_faces_cover_the_kazakh_alphabet() {
        let book = FontBook::get();
        for style in FontStyle::ALL {
            let face = book.face(style);
            for c in "ӘәҒғҚқҢңӨөҰұҮүҺһІі№«»–²".chars() {
                assert!(face.has_glyph(c), "{} has no glyph for {c}", face.name);
            }
        }
    }

    #[test]
    fn first_missing_names_the_character() {
        assert_eq!(FontBook::get().first_missing("Сәлем ☒"), Some('☒'));
        assert_eq!(FontBook::get().first_missing("Сәлем"), None);
    }

    #[test]
    fn the_remembered_coverage_answers_as_the_character_map_does() {
        let face = &FontBook::get().face(FontStyle::Bold);
        // Present and absent, in and beyond the Basic Multilingual Plane; each asked twice,
        // the second answer coming from what the first one learnt.
        for c in ['Қ', 'a', '№', '☒', '\u{E000}', '😀', '𝔄'] {
            let expected = face.face.glyph_index(c).is_some();
            assert_eq!(face.has_glyph(c), expected, "{c:?} asked first");
            assert_eq!(face.has_glyph(c), expected, "{c:?} asked again");
        }
        assert!(!face.has_glyph('☒'));
        assert!(face.has_glyph('Қ'));
    }
}
