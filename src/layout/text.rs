//! Text: shaping with rustybuzz, measuring, and greedy line breaking.
//!
//! Words are separated by ordinary spaces (runs of white space collapse into one, as the
//! markup's indentation must not show). A no-break space (U+00A0) joins words, so
//! `72,40 м²` never breaks; so does the white space of a `<nobreak>` (identifiers, dates).
//! A word wider than the line breaks after `:`, `/` or `-` (long
//! cadastral numbers and compound headers), and as a last resort between characters.

use std::borrow::Cow;
use std::num::NonZeroUsize;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use lru::LruCache;
use rustc_hash::FxBuildHasher;

use super::blocks::{Align, Inline};
use super::geom::{Point, Pt};
use super::{Glyph, Item, TextRun};
use crate::fonts::{FontBook, FontStyle};

/// Where a word wider than its line may be cut: after these.
const BREAKS: [char; 4] = [':', '/', '-', '‐'];

/// Line height as a multiple of the text size.
pub const LEADING: f32 = 1.2;

/// A shaped piece of text in em units (multiply by the size for points).
#[derive(Debug)]
pub struct Shaped {
    /// (glyph id, advance, x offset, y offset, byte range) — lengths in em.
    glyphs: Vec<(u16, f32, f32, f32, Range<usize>)>,
    /// Total advance in em.
    width: f32,
    /// Characters the font has no glyph for.
    pub missing: Vec<char>,
}

/// Shapes text with the bundled fonts and remembers what it shaped: the same words recur on
/// every certificate, so a warm process shapes little.
///
/// What it remembers is bounded: the [`CACHE_WORDS`] words of each style used most recently.
/// The wording of a form comes back in every case and stays; the words of one case only (its
/// number, a name) make way for those of the next, so a batch of any length runs in the
/// same memory.
pub struct Shaper {
    book: &'static FontBook,
    /// One cache per [`FontStyle`], keyed by the text, so that a look-up needs no allocation.
    cache: Mutex<[Cache; 3]>,
    /// Shape plans per style and script: compiling a plan (reading the font's feature
    /// tables) costs more than shaping a word, and a form uses two or three scripts.
    plans: Mutex<Vec<PlanFor>>,
}

/// A shape plan and the style and script it was compiled for.
type PlanFor = (FontStyle, Option<rustybuzz::Script>, Arc<rustybuzz::ShapePlan>);

/// The words remembered per style, the least recently used forgotten first: room for the
/// wording of every form (about 3,400 distinct words in both languages) and the recent words
/// of the cases.
pub const CACHE_WORDS: usize = 8192;

/// Shaped words of one style, by their text.
type Cache = LruCache<String, Arc<Shaped>, FxBuildHasher>;

fn new_cache() -> Cache {
    LruCache::with_hasher(NonZeroUsize::new(CACHE_WORDS).unwrap_or(NonZeroUsize::MIN), FxBuildHasher)
}

impl Default for Shaper {
    fn default() -> Self {
        Self::new()
    }
}

impl Shaper {
    /// A shaper over the bundled fonts.
    pub fn new() -> Shaper {
        Shaper {
            book: FontBook::get(),
            cache: Mutex::new([new_cache(), new_cache(), new_cache()]),
            plans: Mutex::new(Vec::new()),
        }
    }

    /// The fonts.
    pub fn book(&self) -> &'static FontBook {
        self.book
    }

    /// Shapes `text` in `style`.
    pub fn shape(&self, style: FontStyle, text: &str) -> Arc<Shaped> {
        let index = style as usize;
        if let Some(hit) = self.lock()[index].get(text) {
            return hit.clone();
        }
        let shaped = Arc::new(self.shape_uncached(style, text));
        self.lock()[index].put(text.to_owned(), shaped.clone());
        shaped
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, [Cache; 3]> {
        // A poisoned cache only means another thread panicked while inserting; the map
        // itself is still consistent.
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn shape_uncached(&self, style: FontStyle, text: &str) -> Shaped {
        let face = self.book.face(style);
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(rustybuzz::Direction::LeftToRight);
        buffer.guess_segment_properties();
        let script = Some(buffer.script()).filter(|&s| s != rustybuzz::script::UNKNOWN);
        let plan = self.plan(style, script);
        let output = rustybuzz::shape_with_plan(&face.face, &plan, buffer);
        let infos = output.glyph_infos();
        let positions = output.glyph_positions();
        let upem = face.units_per_em;
        let mut glyphs = Vec::with_capacity(infos.len());
        let mut width = 0.0;
        let mut missing = Vec::new();
        for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
            let start = info.cluster as usize;
            let end =
                infos[i + 1..].iter().map(|g| g.cluster as usize).find(|&c| c > start).unwrap_or(text.len());
            if info.glyph_id == 0 {
                missing.extend(text.get(start..end).into_iter().flat_map(str::chars));
            }
            let advance = pos.x_advance as f32 / upem;
            width += advance;
            glyphs.push((
                info.glyph_id as u16,
                advance,
                pos.x_offset as f32 / upem,
                pos.y_offset as f32 / upem,
                start..end,
            ));
        }
        Shaped { glyphs, width, missing }
    }

    /// The shape plan for left-to-right text of `script` in `style`, compiled on first use.
    fn plan(&self, style: FontStyle, script: Option<rustybuzz::Script>) -> Arc<rustybuzz::ShapePlan> {
        let mut plans = self.plans.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, _, plan)) = plans.iter().find(|(st, sc, _)| *st == style && *sc == script) {
            return plan.clone();
        }
        let face = &self.book.face(style).face;
        let plan =
            Arc::new(rustybuzz::ShapePlan::new(face, rustybuzz::Direction::LeftToRight, script, None, &[]));
        plans.push((style, script, plan.clone()));
        plan
    }

    /// Shapes the words of `text` in the regular and the bold style, so that laying it out
    /// later finds them in the cache.
    pub fn warm(&self, text: &str) {
        for word in text.split([' ', '\n', '\t', '\r']).filter(|w| !w.is_empty()) {
            self.shape(FontStyle::Regular, word);
            self.shape(FontStyle::Bold, word);
        }
    }

    /// The width of `text` in `style` at `size`.
    pub fn width(&self, style: FontStyle, text: &str, size: Pt) -> Pt {
        Pt(self.shape(style, text).width * size.0)
    }

    /// Breaks inline content into lines no wider than `width`.
    pub fn break_lines(&self, inlines: &[Inline], size: Pt, width: Pt) -> Lines {
        self.break_lines_indented(inlines, size, width, Pt::ZERO)
    }

    /// Breaks inline content into lines no wider than `width`, the first line `indent`
    /// narrower.
    pub fn break_lines_indented(&self, inlines: &[Inline], size: Pt, full_width: Pt, indent: Pt) -> Lines {
        let mut lines = Lines::default();
        let mut current = LineBuilder::default();
        // The shaped space of each style, looked up once per paragraph.
        let mut spaces: [Option<Arc<Shaped>>; 3] = [None, None, None];
        for token in tokenize(inlines) {
            match token {
                Token::Break => {
                    lines.push(current.finish());
                    current = LineBuilder::default();
                }
                Token::Word(word) => {
                    let word = self.shape_word(word);
                    let word_width =
                        word.iter().fold(Pt::ZERO, |w, (_, shaped)| w + Pt(shaped.width * size.0));
                    let width = if lines.lines.is_empty() { full_width - indent } else { full_width };
                    let space = if current.is_empty() {
                        None
                    } else {
                        let style = current.last_style();
                        Some(spaces[style as usize].get_or_insert_with(|| self.shape(style, " ")).clone())
                    };
                    let space_width = Pt(space.as_ref().map_or(0.0, |s| s.width) * size.0);
                    if current.width + space_width + word_width <= width + Pt(0.01) {
                        current.push_word(space, word, size);
                        continue;
                    }
                    if !current.is_empty() {
                        lines.push(current.finish());
                        current = LineBuilder::default();
                    }
                    let width = if lines.lines.is_empty() { full_width - indent } else { full_width };
                    if word_width <= width + Pt(0.01) {
                        current.push_word(None, word, size);
                        continue;
                    }
                    // The word alone is wider than the line: split it, in one pass over its
                    // shaped clusters; the last piece stays open for the words after it.
                    let units = Units::of(&word, size);
                    let mut start = 0;
                    loop {
                        let width = if lines.lines.is_empty() { full_width - indent } else { full_width };
                        let end = units.fit(start, width);
                        current.push_word(None, units.piece(&word, start, end), size);
                        start = end;
                        if start == units.len() {
                            break;
                        }
                        lines.push(current.finish());
                        current = LineBuilder::default();
                    }
                }
            }
        }
        if !current.is_empty() || lines.lines.is_empty() {
            lines.push(current.finish());
        }
        lines.missing = current_missing(&lines);
        lines
    }

    /// Each fragment of a word with its shape.
    fn shape_word<'a>(&self, word: Vec<Fragment<'a>>) -> Vec<(Fragment<'a>, Arc<Shaped>)> {
        word.into_iter()
            .map(|f| {
                let shaped = self.shape(f.style, &f.text);
                (f, shaped)
            })
            .collect()
    }

    /// The width of the widest piece of text that should not be broken: a word, or the part
    /// of a word between the places where it may break (after `:`, `/`, `-`). With `whole`,
    /// the text of a `<nobreak>` has no such places; without, it breaks as any other word.
    pub fn widest_word(&self, inlines: &[Inline], size: Pt, whole: bool) -> Pt {
        let mut widest = Pt::ZERO;
        for token in tokenize(inlines) {
            let Token::Word(word) = token else { continue };
            let mut piece = Pt::ZERO;
            for fragment in word {
                if whole && fragment.nobreak {
                    piece += self.width(fragment.style, &fragment.text, size);
                    continue;
                }
                for part in fragment.text.split_inclusive(BREAKS) {
                    piece += self.width(fragment.style, part, size);
                    if part.ends_with(BREAKS) {
                        widest = widest.max(piece);
                        piece = Pt::ZERO;
                    }
                }
            }
            widest = widest.max(piece);
        }
        widest
    }

    /// Draws one line starting at `origin` (left end of the baseline), aligned within
    /// `width`; `last` marks the last line of a justified paragraph.
    pub fn place_line(
        &self,
        line: TextLine,
        origin: Point,
        width: Pt,
        align: Align,
        last: bool,
    ) -> Vec<Item> {
        let free = (width - line.width).max(Pt::ZERO);
        let (dx, extra) = match align {
            Align::Left => (Pt::ZERO, Pt::ZERO),
            Align::Center => (free * 0.5, Pt::ZERO),
            Align::Right => (free, Pt::ZERO),
            Align::Justify if last || line.spaces == 0 => (Pt::ZERO, Pt::ZERO),
            Align::Justify => (Pt::ZERO, Pt(free.0 / line.spaces as f32)),
        };
        let mut x = origin.x + dx;
        let mut items = Vec::with_capacity(line.runs.len());
        for mut run in line.runs {
            if extra > Pt::ZERO {
                for g in run.glyphs.iter_mut() {
                    if &run.text[g.text_range.clone()] == " " {
                        g.x_advance += extra;
                    }
                }
            }
            run.origin = Point::new(x, origin.y);
            x += run.width();
            items.push(Item::Text(run));
        }
        items
    }
}

/// The result of line breaking.
#[derive(Debug, Default)]
pub struct Lines {
    /// The lines, top to bottom.
    pub lines: Vec<TextLine>,
    /// Characters the fonts cannot print.
    pub missing: Vec<char>,
}

impl Lines {
    fn push(&mut self, line: TextLine) {
        self.lines.push(line);
    }

    /// The widest line.
    pub fn max_width(&self) -> Pt {
        self.lines.iter().fold(Pt::ZERO, |w, l| w.max(l.width))
    }
}

/// One broken line: runs of glyphs, not yet positioned.
#[derive(Debug, Clone, Default)]
pub struct TextLine {
    /// Runs of one style each, left to right (origins are set when placed).
    pub runs: Vec<TextRun>,
    /// Natural width.
    pub width: Pt,
    /// Number of inter-word spaces (for justification).
    pub spaces: usize,
}

#[derive(Default)]
struct LineBuilder {
    runs: Vec<TextRun>,
    width: Pt,
    spaces: usize,
    words: usize,
}

impl LineBuilder {
    fn is_empty(&self) -> bool {
        self.words == 0
    }

    fn last_style(&self) -> FontStyle {
        self.runs.last().map(|r| r.style).unwrap_or(FontStyle::Regular)
    }

    /// Adds a word, after `space` (the shaped space in the style of the line's end) unless
    /// the line is empty.
    fn push_word(&mut self, space: Option<Arc<Shaped>>, word: Vec<(Fragment<'_>, Arc<Shaped>)>, size: Pt) {
        if self.words > 0
            && let Some(space) = space
        {
            let style = self.last_style();
            self.append(style, " ", &space, size);
            self.spaces += 1;
        }
        for (fragment, shaped) in &word {
            self.append(fragment.style, &fragment.text, shaped, size);
        }
        self.words += 1;
    }

    fn append(&mut self, style: FontStyle, text: &str, shaped: &Shaped, size: Pt) {
        let needs_new_run = self.runs.last().is_none_or(|r| r.style != style);
        if needs_new_run {
            self.runs.push(TextRun {
                origin: Point::default(),
                style,
                size,
                text: String::new(),
                glyphs: Vec::new(),
            });
        }
        let Some(run) = self.runs.last_mut() else { return };
        let base = run.text.len();
        run.text.push_str(text);
        for (id, advance, x_offset, y_offset, range) in &shaped.glyphs {
            run.glyphs.push(Glyph {
                id: *id,
                x_advance: Pt(advance * size.0),
                x_offset: Pt(x_offset * size.0),
                y_offset: Pt(y_offset * size.0),
                text_range: base + range.start..base + range.end,
            });
        }
        self.width += Pt(shaped.width * size.0);
    }

    fn finish(self) -> TextLine {
        TextLine { runs: self.runs, width: self.width, spaces: self.spaces }
    }
}

/// A piece of a word in one style: borrowed from the inline text, unless the word continues
/// across inlines of the same style.
#[derive(Debug, Clone, PartialEq)]
struct Fragment<'a> {
    style: FontStyle,
    text: Cow<'a, str>,
    /// From a `<nobreak>`: the column it stands in should be as wide as it.
    nobreak: bool,
}

enum Token<'a> {
    Word(Vec<Fragment<'a>>),
    Break,
}

/// Splits inline content into words (each possibly of several styles) and forced breaks.
fn tokenize(inlines: &[Inline]) -> Vec<Token<'_>> {
    fn flush<'a>(word: &mut Vec<Fragment<'a>>, tokens: &mut Vec<Token<'a>>) {
        if !word.is_empty() {
            tokens.push(Token::Word(std::mem::take(word)));
        }
    }
    let mut tokens = Vec::new();
    let mut word: Vec<Fragment> = Vec::new();
    for inline in inlines {
        match inline {
            Inline::LineBreak => {
                flush(&mut word, &mut tokens);
                tokens.push(Token::Break);
            }
            Inline::Text(text, style) => {
                for (i, piece) in text.split([' ', '\n', '\t', '\r']).enumerate() {
                    if i > 0 {
                        flush(&mut word, &mut tokens);
                    }
                    if piece.is_empty() {
                        continue;
                    }
                    match word.last_mut() {
                        Some(last) if last.style == *style && !last.nobreak => {
                            last.text.to_mut().push_str(piece)
                        }
                        _ => {
                            word.push(Fragment { style: *style, text: Cow::Borrowed(piece), nobreak: false })
                        }
                    }
                }
            }
            Inline::NoBreak(text, style) => {
                // One fragment of the word it stands in, each of its white space runs one
                // no-break space.
                let mut joined = String::with_capacity(text.len());
                for c in text.chars() {
                    match c.is_whitespace() {
                        true if joined.ends_with('\u{a0}') => {}
                        true => joined.push('\u{a0}'),
                        false => joined.push(c),
                    }
                }
                if joined.is_empty() {
                    continue;
                }
                match word.last_mut() {
                    Some(last) if last.style == *style && last.nobreak => {
                        last.text.to_mut().push_str(&joined)
                    }
                    _ => word.push(Fragment { style: *style, text: Cow::Owned(joined), nobreak: true }),
                }
            }
        }
    }
    flush(&mut word, &mut tokens);
    tokens
}

/// The clusters of a shaped word, in order, with their widths: where a word wider than
/// its line may be cut. Built once per word, so splitting a word into lines is linear in its
/// length.
struct Units {
    units: Vec<Unit>,
}

/// A cluster: (fragment, glyphs of the fragment's shape, bytes of the fragment's text,
/// width, may break after).
type Unit = (usize, Range<usize>, Range<usize>, Pt, bool);

impl Units {
    fn of(word: &[(Fragment<'_>, Arc<Shaped>)], size: Pt) -> Units {
        let mut units: Vec<Unit> = Vec::new();
        for (fi, (fragment, shaped)) in word.iter().enumerate() {
            for (gi, (_, advance, _, _, bytes)) in shaped.glyphs.iter().enumerate() {
                let advance = Pt(advance * size.0);
                match units.last_mut() {
                    Some(last) if last.0 == fi && last.2.start == bytes.start => {
                        last.1.end = gi + 1;
                        last.2.end = last.2.end.max(bytes.end);
                        last.3 += advance;
                    }
                    _ => units.push((fi, gi..gi + 1, bytes.clone(), advance, false)),
                }
            }
            for unit in units.iter_mut().filter(|u| u.0 == fi) {
                let text = fragment.text.get(unit.2.clone()).unwrap_or_default();
                unit.4 = text.ends_with(BREAKS);
            }
        }
        Units { units }
    }

    fn len(&self) -> usize {
        self.units.len()
    }

    /// Where the piece of the word that starts at `start` ends on a line `width` wide: after
    /// the last `:`, `/` or `-` that fits, else after the last cluster that fits, and after
    /// at least one cluster.
    fn fit(&self, start: usize, width: Pt) -> usize {
        let mut used = Pt::ZERO;
        let mut end = start;
        let mut soft = None;
        while end < self.units.len() && used + self.units[end].3 <= width + Pt(0.01) {
            used += self.units[end].3;
            end += 1;
            if self.units[end - 1].4 {
                soft = Some(end);
            }
        }
        if end == self.units.len() {
            return end;
        }
        soft.unwrap_or(end).max(start + 1)
    }

    /// Clusters `start..end` as fragments with their shapes, cut out of the word's shapes
    /// (not shaped again).
    fn piece<'a>(
        &self,
        word: &[(Fragment<'a>, Arc<Shaped>)],
        start: usize,
        end: usize,
    ) -> Vec<(Fragment<'a>, Arc<Shaped>)> {
        let mut out = Vec::new();
        let mut i = start;
        while i < end {
            let fi = self.units[i].0;
            let mut j = i;
            while j < end && self.units[j].0 == fi {
                j += 1;
            }
            let (first, last) = (&self.units[i], &self.units[j - 1]);
            let bytes = first.2.start..last.2.end;
            let (fragment, shaped) = &word[fi];
            let text = match &fragment.text {
                Cow::Borrowed(s) => Cow::Borrowed(&s[bytes.clone()]),
                Cow::Owned(s) => Cow::Owned(s[bytes.clone()].to_owned()),
            };
            let glyphs: Vec<_> = shaped.glyphs[first.1.start..last.1.end]
                .iter()
                .map(|(id, advance, dx, dy, r)| {
                    let r = r.start - bytes.start..r.end.min(bytes.end) - bytes.start;
                    (*id, *advance, *dx, *dy, r)
                })
                .collect();
            let width = glyphs.iter().map(|g| g.1).sum();
            out.push((
                Fragment { style: fragment.style, text, nobreak: fragment.nobreak },
                Arc::new(Shaped { glyphs, width, missing: Vec::new() }),
            ));
            i = j;
        }
        out
    }
}

/// The characters the shaper found no glyph for (glyph 0) in any line.
fn current_missing(lines: &Lines) -> Vec<char> {
    let mut missing = Vec::new();
    for run in lines.lines.iter().flat_map(|l| &l.runs) {
        for glyph in run.glyphs.iter().filter(|g| g.id == 0) {
            for c in run.text[glyph.text_range.clone()].chars() {
                if !missing.contains(&c) {
                    missing.push(c);
                }
            }
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Vec<Inline> {
        vec![Inline::Text(s.to_owned(), FontStyle::Regular)]
    }

    fn line_texts(lines: &Lines) -> Vec<String> {
        lines.lines.iter().map(|l| l.runs.iter().map(|r| r.text.as_str()).collect::<String>()).collect()
    }

    #[test]
    fn shaping_with_a_kept_plan_gives_what_rustybuzz_gives_with_a_fresh_one() {
        let shaper = Shaper::new();
        // Cyrillic (Kazakh letters included), Latin, digits and punctuation only (no script),
        // and mixed words, in each style; the kept plans are reused across these calls.
        let words =
            ["Құқық", "ӘҒҚҢӨҰҮҺІ", "AVAVA", "Tōkyō", "72,40", "№ 1/2", "09:145:029", "ЖШС-LLP", "«Алатау»"];
        for style in FontStyle::ALL {
            for word in words {
                let ours = shaper.shape_uncached(style, word);
                let mut buffer = rustybuzz::UnicodeBuffer::new();
                buffer.push_str(word);
                buffer.set_direction(rustybuzz::Direction::LeftToRight);
                let theirs = rustybuzz::shape(&shaper.book.face(style).face, &[], buffer);
                let ids: Vec<u16> = theirs.glyph_infos().iter().map(|g| g.glyph_id as u16).collect();
                let advances: Vec<i32> = theirs.glyph_positions().iter().map(|p| p.x_advance).collect();
                let upem = shaper.book.face(style).units_per_em;
                assert_eq!(ours.glyphs.iter().map(|g| g.0).collect::<Vec<_>>(), ids, "{style:?} {word}");
                let ours_advances: Vec<i32> =
                    ours.glyphs.iter().map(|g| (g.1 * upem).round() as i32).collect();
                assert_eq!(ours_advances, advances, "{style:?} {word}");
            }
        }
        assert!(shaper.plans.lock().expect("plans").len() >= 3, "a plan per style and script");
    }

    #[test]
    fn wraps_greedily_at_spaces() {
        let shaper = Shaper::new();
        let size = Pt(10.0);
        let one = shaper.width(FontStyle::Regular, "аа бб", size);
        let lines = shaper.break_lines(&text("аа бб вв гг"), size, one + Pt(1.0));
        assert_eq!(line_texts(&lines), ["аа бб", "вв гг"]);
    }

    #[test]
    fn white_space_collapses() {
        let shaper = Shaper::new();
        let lines = shaper.break_lines(&text("  Мекен-жай,\n     мекен-жайдың  "), Pt(10.0), Pt(1000.0));
        assert_eq!(line_texts(&lines), ["Мекен-жай, мекен-жайдың"]);
    }

    #[test]
    fn no_break_space_keeps_number_and_unit_together() {
        let shaper = Shaper::new();
        let size = Pt(10.0);
        let width = shaper.width(FontStyle::Regular, "ауданы 72,40", size);
        let lines = shaper.break_lines(&text("ауданы 72,40\u{a0}м²"), size, width + Pt(1.0));
        assert_eq!(line_texts(&lines), ["ауданы", "72,40\u{a0}м²"]);
    }

    #[test]
    fn long_cadastral_number_breaks_after_a_colon() {
        let shaper = Shaper::new();
        let size = Pt(10.0);
        let width = shaper.width(FontStyle::Regular, "09:145:029:", size) + Pt(0.5);
        let lines = shaper.break_lines(&text("09:145:029:019:1"), size, width);
        assert_eq!(line_texts(&lines), ["09:145:029:", "019:1"]);
    }

    #[test]
    fn word_without_break_points_breaks_between_characters() {
        let shaper = Shaper::new();
        let size = Pt(10.0);
        let width = shaper.width(FontStyle::Regular, "ААА", size) + Pt(0.5);
        let lines = shaper.break_lines(&text("АААААААА"), size, width);
        assert_eq!(line_texts(&lines), ["ААА", "ААА", "АА"]);
    }

    #[test]
    fn a_very_long_word_is_cut_into_lines_that_fit_and_keep_every_letter() {
        let shaper = Shaper::new();
        let size = Pt(9.0);
        let width = Pt(60.0);
        let word: String = "Ә".repeat(3990);
        let text = format!("бас {word} соң/ы");
        let lines = shaper.break_lines(&[Inline::Text(text.clone(), FontStyle::Regular)], size, width);
        let texts = line_texts(&lines);
        assert_eq!(texts.concat().replace(' ', ""), text.replace(' ', ""));
        assert_eq!(texts[0], "бас");
        assert!(texts.len() > 100, "{} lines", texts.len());
        for line in &lines.lines {
            assert!(line.width <= width + Pt(0.01), "{:?} wider than {width:?}", line.width);
            let run_width: f32 = line.runs.iter().map(|r| r.width().0).sum();
            assert!((run_width - line.width.0).abs() < 0.01);
        }
        // The word's last piece shares its line with the next word.
        assert!(texts.last().is_some_and(|l| l.ends_with(" соң/ы")), "{:?}", texts.last());
    }

    #[test]
    fn a_long_word_in_two_styles_breaks_after_the_slash_that_fits() {
        let shaper = Shaper::new();
        let size = Pt(10.0);
        let inlines = vec![
            Inline::Text("09:145:".into(), FontStyle::Bold),
            Inline::Text("029:019:1".into(), FontStyle::Regular),
        ];
        let width = shaper.width(FontStyle::Bold, "09:145:", size)
            + shaper.width(FontStyle::Regular, "029:", size)
            + Pt(0.5);
        let lines = shaper.break_lines(&inlines, size, width);
        assert_eq!(line_texts(&lines), ["09:145:029:", "019:1"]);
        assert_eq!(lines.lines[0].runs.len(), 2);
    }

    #[test]
    fn forced_break_and_mixed_styles() {
        let shaper = Shaper::new();
        let inlines = vec![
            Inline::Text("Қазақстан ".into(), FontStyle::Regular),
            Inline::Text("Республикасы".into(), FontStyle::Bold),
            Inline::LineBreak,
            Inline::Text("Әділет".into(), FontStyle::Regular),
        ];
        let lines = shaper.break_lines(&inlines, Pt(10.0), Pt(1000.0));
        assert_eq!(line_texts(&lines), ["Қазақстан Республикасы", "Әділет"]);
        assert_eq!(lines.lines[0].runs.len(), 2);
        assert_eq!(lines.lines[0].runs[1].style, FontStyle::Bold);
    }

    #[test]
    fn glyphs_cover_the_text_and_widths_add_up() {
        let shaper = Shaper::new();
        let lines = shaper.break_lines(&text("Ұлттық Һ"), Pt(12.0), Pt(1000.0));
        let run = &lines.lines[0].runs[0];
        let covered: String = run.glyphs.iter().map(|g| &run.text[g.text_range.clone()]).collect();
        assert_eq!(covered, "Ұлттық Һ");
        assert!((run.width().0 - lines.lines[0].width.0).abs() < 0.001);
        assert!(lines.missing.is_empty());
    }

    #[test]
    fn missing_glyphs_are_reported() {
        let shaper = Shaper::new();
        let lines = shaper.break_lines(&text("☒ иә"), Pt(12.0), Pt(1000.0));
        assert_eq!(lines.missing, ['☒']);
    }

    #[test]
    fn justified_line_fills_the_width() {
        let shaper = Shaper::new();
        let size = Pt(10.0);
        let lines = shaper.break_lines(&text("бір екі үш"), size, Pt(200.0));
        let line = lines.lines.into_iter().next().expect("one line");
        let items = shaper.place_line(line, Point::default(), Pt(200.0), Align::Justify, false);
        let width: f32 = items
            .iter()
            .map(|i| match i {
                Item::Text(r) => r.width().0,
                _ => 0.0,
            })
            .sum();
        assert!((width - 200.0).abs() < 0.01, "{width}");
    }
}
