//! Output: a laid-out page → SVG, drawn from the same layout items as the PDF.
//!
//! Glyphs are written as paths traced from the bundled fonts, so the file needs no fonts
//! and looks the same everywhere; the text itself goes into `<title>` and `aria-label`, so
//! the image can still be searched and read aloud. The size is given in millimetres
//! (`width="70mm"`), the drawing in points (`viewBox="0 0 198.425 99.213"`), so the image
//! prints at its exact size.
//!
//! [`trace_run`] (glyph outlines in page coordinates) is shared with [`crate::raster`].

use std::fmt::Write as _;

use rustybuzz::ttf_parser::{GlyphId, OutlineBuilder};

use crate::domain::Lang;
use crate::fonts::FontBook;
use crate::layout::{Item, Mm, Page, Pt, TextRun};

/// Options of the SVG writer.
#[derive(Debug, Clone)]
pub struct SvgOptions {
    /// A longer description (the form's title), written as `<desc>`.
    pub description: String,
    /// The language of the text, written as `xml:lang`.
    pub lang: Lang,
    /// Paint a white background instead of leaving it transparent.
    pub white_background: bool,
}

/// Writes one page as an SVG document.
pub fn write(page: &Page, options: &SvgOptions) -> String {
    let text = page_text(page).join(" ");
    let mut svg = String::new();
    let (w, h) = (page.size.width, page.size.height);
    let _ = writeln!(svg, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{}mm" height="{}mm" viewBox="0 0 {} {}" xml:lang="{}" role="img" aria-label="{}">"#,
        num(Mm::from(w).0, 3),
        num(Mm::from(h).0, 3),
        num(w.0, 3),
        num(h.0, 3),
        options.lang.tag(),
        escape(&text),
    );
    let _ = writeln!(svg, "<title>{}</title>", escape(&text));
    if !options.description.is_empty() {
        let _ = writeln!(svg, "<desc>{}</desc>", escape(&options.description));
    }
    if options.white_background {
        let _ = writeln!(svg, r##"<rect width="{}" height="{}" fill="#fff"/>"##, num(w.0, 3), num(h.0, 3));
    }
    for item in &page.items {
        match item {
            Item::Text(run) => {
                let mut path = SvgPath::default();
                trace_run(run, &mut path);
                if !path.0.is_empty() {
                    let _ = writeln!(svg, r##"<path fill="#000" d="{}"/>"##, path.0.trim_end());
                }
            }
            Item::Line(line) => {
                let _ = writeln!(
                    svg,
                    r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#000" stroke-width="{}"/>"##,
                    num(line.from.x.0, 3),
                    num(line.from.y.0, 3),
                    num(line.to.x.0, 3),
                    num(line.to.y.0, 3),
                    num(line.width.0, 3),
                );
            }
            Item::Rect(rect) => {
                let _ = writeln!(
                    svg,
                    r##"<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#000" stroke-width="{}"/>"##,
                    num(rect.origin.x.0, 3),
                    num(rect.origin.y.0, 3),
                    num(rect.size.width.0, 3),
                    num(rect.size.height.0, 3),
                    num(rect.stroke.0, 3),
                );
            }
            Item::Qr(qr) => {
                let mut d = String::new();
                for (p, side) in qr.squares() {
                    let _ =
                        write!(d, "M{} {}h{s}v{s}h-{s}z", num(p.x.0, 3), num(p.y.0, 3), s = num(side.0, 3));
                }
                let _ = writeln!(svg, r##"<path fill="#000" d="{d}"/>"##);
            }
        }
    }
    svg.push_str("</svg>\n");
    svg
}

/// The text of a page, one string per line (runs on one baseline, in painting order);
/// no-break spaces become plain spaces, so that a search for "№ 23516" finds it.
pub fn page_text(page: &Page) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut baseline: Option<Pt> = None;
    for item in &page.items {
        if let Item::Text(run) = item {
            let same_line = baseline.is_some_and(|y| (y.0 - run.origin.y.0).abs() < 0.01);
            if !same_line {
                lines.push(String::new());
            }
            if let Some(line) = lines.last_mut() {
                line.push_str(&run.text.replace('\u{a0}', " "));
            }
            baseline = Some(run.origin.y);
        }
    }
    lines
        .iter()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

/// Traces the outlines of a run's glyphs into `sink`, in page coordinates (points, y down).
pub fn trace_run(run: &TextRun, sink: &mut impl OutlineBuilder) {
    let face = FontBook::get().face(run.style);
    let scale = run.size.0 / face.units_per_em;
    let mut x = run.origin.x.0;
    for glyph in &run.glyphs {
        let mut placed =
            Placed { sink: &mut *sink, x: x + glyph.x_offset.0, y: run.origin.y.0 - glyph.y_offset.0, scale };
        face.face.outline_glyph(GlyphId(glyph.id), &mut placed);
        x += glyph.x_advance.0;
    }
}

/// Maps font units (y up, from the glyph origin) to page points (y down).
struct Placed<'a, B: OutlineBuilder> {
    sink: &'a mut B,
    x: f32,
    y: f32,
    scale: f32,
}

impl<B: OutlineBuilder> Placed<'_, B> {
    fn at(&self, x: f32, y: f32) -> (f32, f32) {
        (self.x + x * self.scale, self.y - y * self.scale)
    }
}

impl<B: OutlineBuilder> OutlineBuilder for Placed<'_, B> {
    fn move_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.at(x, y);
        self.sink.move_to(x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.at(x, y);
        self.sink.line_to(x, y);
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let (x1, y1) = self.at(x1, y1);
        let (x, y) = self.at(x, y);
        self.sink.quad_to(x1, y1, x, y);
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let (x1, y1) = self.at(x1, y1);
        let (x2, y2) = self.at(x2, y2);
        let (x, y) = self.at(x, y);
        self.sink.curve_to(x1, y1, x2, y2, x, y);
    }

    fn close(&mut self) {
        self.sink.close();
    }
}

/// SVG path data, absolute commands.
#[derive(Default)]
struct SvgPath(String);

impl SvgPath {
    fn point(&mut self, x: f32, y: f32) {
        let _ = write!(self.0, "{} {} ", num(x, 2), num(y, 2));
    }
}

impl OutlineBuilder for SvgPath {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.push('M');
        self.point(x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.0.push('L');
        self.point(x, y);
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.0.push('Q');
        self.point(x1, y1);
        self.point(x, y);
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.0.push('C');
        self.point(x1, y1);
        self.point(x2, y2);
        self.point(x, y);
    }

    fn close(&mut self) {
        self.0.push_str("Z ");
    }
}

/// A number with at most `decimals` decimals, without trailing zeros: `70`, `198.425`.
fn num(value: f32, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.') } else { &text };
    if text == "-0" { "0".to_owned() } else { text.to_owned() }
}

/// Escapes text for XML content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(70.000_01, 3), "70");
        assert_eq!(num(198.425_2, 3), "198.425");
        assert_eq!(num(0.5, 2), "0.5");
        assert_eq!(num(-0.001, 2), "0");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("«A» & <b> \"c\""), "«A» &amp; &lt;b&gt; &quot;c&quot;");
    }
}
