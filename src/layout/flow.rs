//! The first pagination step: blocks become slices (unbreakable strips of content), and the
//! slices are stacked onto page bodies.
//!
//! A paragraph gives one slice per line, a table one per row, a fill line or a check box one
//! slice. A slice can ask to stay with the next one (headings, `<keep>` groups, table header
//! rows) and can carry header rows to repeat when it opens a page. A table row taller than a
//! page keeps its cells' lines, and is split between them when it is stacked; any other slice
//! taller than a page, a line wider than its column and text that overflows a frame of fixed
//! size are reported as diagnostics (see [`Ctx::problem`]), never clipped.

use std::rc::Rc;

use super::blocks::*;
use super::geom::{Point, Pt};
use super::table::RowBody;
use super::text::{LEADING, Lines, Shaper};
use super::{Item, Line, Origins, Rect, table};
use crate::diag::{Diagnostic, FieldPath, StageResult};

/// Stroke width of rules, underlines and table borders.
pub(super) const HAIRLINE: Pt = Pt(0.5);

/// A strip of content, positioned horizontally, with y relative to its own top.
#[derive(Debug, Clone, Default)]
pub(super) struct Slice {
    pub height: Pt,
    /// Space above, dropped at the top of a page.
    pub space_before: Pt,
    pub items: Vec<Item>,
    pub keep_with_next: bool,
    /// Rows to repeat above this slice when it opens a page.
    pub header: Option<Rc<Vec<Slice>>>,
    /// Pure white space: dropped at the top of a page.
    pub discardable: bool,
    /// Start a new page here.
    pub page_break: bool,
    /// The table row this slice draws, by lines, so that it can be split across pages.
    pub row: Option<Rc<RowBody>>,
}

impl Slice {
    fn space(height: Pt) -> Slice {
        Slice { height, discardable: true, ..Slice::default() }
    }
}

/// Where blocks go: the left edge, the width and the body text size.
#[derive(Debug, Clone, Copy)]
pub(super) struct Frame {
    pub x: Pt,
    pub width: Pt,
    pub size: Pt,
}

/// The text size used for captions under blanks.
pub(super) fn caption_size(size: Pt) -> Pt {
    Pt((size.0 * 0.7).max(7.0))
}

/// Lays out a section's blocks and stacks them onto pages; returns the item lists of the
/// page bodies. The bodies and the running footer end `reserve` above the bottom margin
/// (the room of the signature slot that the margin lacks, see `slot`).
pub(super) fn section(
    section: &Section,
    shaper: &Shaper,
    origins: &dyn Origins,
    reserve: Pt,
) -> StageResult<Vec<Vec<Item>>> {
    let frame = Frame {
        x: section.margins.left,
        width: section.page.width - section.margins.left - section.margins.right,
        size: section.font_size,
    };
    let mut out = Vec::new();
    let mut diags = Vec::new();
    let mut ctx = Ctx { shaper, diags: &mut diags, origins };
    for block in &section.blocks {
        ctx.block(block, frame, &mut out);
    }
    // The running footer: stacked once, its height taken from the bottom of every body.
    let mut footer = Vec::new();
    for block in &section.blocks {
        if let Block::Footer(blocks) = block {
            for b in blocks {
                ctx.block(b, frame, &mut footer);
            }
        }
    }
    // Space the template puts above the footer separates it from the body: kept, not
    // dropped as at the top of a page.
    for slice in &mut footer {
        slice.discardable = false;
    }
    let footer_height = footer.iter().map(|s| s.space_before + s.height).fold(Pt::ZERO, |a, b| a + b);
    let footer_items = paginate(footer, Pt::ZERO, footer_height + Pt(1.0), &mut ctx).concat();
    let top = section.margins.top;
    let bottom = section.page.height - section.margins.bottom - reserve - footer_height;
    let mut pages = paginate(out, top, bottom, &mut ctx);
    if !footer_items.is_empty() {
        for page in &mut pages {
            page.extend(translate(&footer_items, Pt::ZERO, bottom));
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(pages)
}

pub(super) struct Ctx<'a> {
    pub shaper: &'a Shaper,
    pub diags: &'a mut Vec<Diagnostic>,
    pub origins: &'a dyn Origins,
}

/// A length in millimetres with one decimal at most: `70`, `3.5`.
fn mm(pt: Pt) -> String {
    let text = format!("{:.1}", super::Mm::from(pt).0);
    text.strip_suffix(".0").map(str::to_owned).unwrap_or(text)
}

/// The first characters of a text, for a message.
fn excerpt(text: &str) -> String {
    const MAX: usize = 40;
    let mut out: String = text.chars().take(MAX).collect();
    if text.chars().nth(MAX).is_some() {
        out.push('…');
    }
    out
}

/// The text of the runs among `items`, longest first.
fn texts(items: &[Item]) -> Vec<&str> {
    let mut texts: Vec<&str> = items
        .iter()
        .filter_map(|i| match i {
            Item::Text(run) => Some(run.text.trim()),
            _ => None,
        })
        .filter(|t| !t.is_empty())
        .collect();
    texts.sort_by_key(|t| std::cmp::Reverse(t.len()));
    texts
}

impl Ctx<'_> {
    /// Reports a problem about printed text: about the case field the first of `texts`
    /// that comes from one belongs to, else about the document.
    pub fn problem<'t>(&mut self, message: String, texts: impl IntoIterator<Item = &'t str>) {
        self.problem_with_hint(message, texts, None);
    }

    /// [`Ctx::problem`] with a hint.
    pub fn problem_with_hint<'t>(
        &mut self,
        message: String,
        texts: impl IntoIterator<Item = &'t str>,
        hint: Option<&str>,
    ) {
        let origin = texts.into_iter().find_map(|t| self.origins.field_of(t));
        let mut d = match origin {
            Some((path, pos)) => Diagnostic::error(path, pos, message),
            None => Diagnostic::error(FieldPath::root(), None, message),
        };
        d.hints.extend(hint.map(str::to_owned));
        if !self.diags.contains(&d) {
            self.diags.push(d);
        }
    }

    /// Breaks text into lines and reports characters the fonts cannot print and pieces of
    /// words that are wider than `width` even alone on a line.
    pub fn lines(&mut self, inlines: &[Inline], size: Pt, width: Pt, indent: Pt) -> Lines {
        let lines = self.shaper.break_lines_indented(inlines, size, width, indent);
        // The first piece that is too wide, once per text: the rest are the same problem.
        let too_wide = lines.lines.iter().enumerate().find_map(|(i, line)| {
            let room = if i == 0 { width - indent } else { width };
            (line.width > room + Pt(0.01)).then_some((line, room))
        });
        if let Some((line, room)) = too_wide {
            let text: String = line.runs.iter().map(|r| r.text.as_str()).collect();
            let whole: String = inlines
                .iter()
                .filter_map(|i| match i {
                    Inline::Text(t, _) | Inline::NoBreak(t, _) => Some(t.as_str()),
                    Inline::LineBreak => None,
                })
                .collect::<Vec<_>>()
                .join(" ");
            let message = format!(
                "the text \"{}\" is {} mm wide and does not fit in its column of {} mm",
                excerpt(&text),
                mm(line.width),
                mm(room)
            );
            self.problem(message, [whole.as_str(), text.as_str()]);
        }
        for &c in &lines.missing {
            let context: String = inlines
                .iter()
                .filter_map(|i| match i {
                    Inline::Text(t, _) | Inline::NoBreak(t, _) if t.contains(c) => Some(t.trim()),
                    _ => None,
                })
                .next()
                .unwrap_or_default()
                .chars()
                .take(60)
                .collect();
            let message = format!(
                "font \"{}\" has no glyph for '{c}' (U+{:04X}) in \"{context}\"",
                self.shaper.book().face(crate::fonts::FontStyle::Regular).name,
                c as u32
            );
            let context_texts: Vec<String> = inlines
                .iter()
                .filter_map(|i| match i {
                    Inline::Text(t, _) | Inline::NoBreak(t, _) if t.contains(c) => Some(t.trim().to_owned()),
                    _ => None,
                })
                .collect();
            self.problem(message, context_texts.iter().map(String::as_str));
        }
        lines
    }

    /// Positions broken lines at `top`, returning the items and the height used.
    pub fn place_lines(&self, lines: Lines, x: Pt, top: Pt, width: Pt, size: Pt, align: Align) -> Vec<Item> {
        let leading = size * LEADING;
        let ascent = self.baseline(size);
        let count = lines.lines.len();
        let mut items = Vec::new();
        for (i, line) in lines.lines.into_iter().enumerate() {
            let origin = Point::new(x, top + leading * i as f32 + ascent);
            items.extend(self.shaper.place_line(line, origin, width, align, i + 1 == count));
        }
        items
    }

    /// Distance from the top of a line box to its baseline.
    pub fn baseline(&self, size: Pt) -> Pt {
        let face = self.shaper.book().face(crate::fonts::FontStyle::Regular);
        let content = face.ascender + face.descender;
        Pt(size.0 * (face.ascender + (LEADING - content) / 2.0))
    }

    pub fn block(&mut self, block: &Block, frame: Frame, out: &mut Vec<Slice>) {
        match block {
            Block::Paragraph(p) => self.paragraph(p, frame, out),
            Block::Column(column) => {
                let width = column.width.min(frame.width);
                let x = match column.align {
                    Align::Right => frame.x + frame.width - width,
                    Align::Center => frame.x + (frame.width - width) * 0.5,
                    _ => frame.x,
                };
                let inner = Frame { x, width, ..frame };
                for b in &column.blocks {
                    self.block(b, inner, out);
                }
            }
            Block::Fill(fill) => out.push(self.fill(fill, frame)),
            Block::Table(t) => table::slices(self, t, frame, out),
            Block::Checkbox(c) => out.push(self.checkbox(c, frame)),
            Block::Rule(width) => {
                let y = Pt(3.0);
                out.push(Slice {
                    height: y * 2.0,
                    items: vec![Item::Line(Line {
                        from: Point::new(frame.x, y),
                        to: Point::new(frame.x + frame.width, y),
                        width: *width,
                    })],
                    ..Slice::default()
                });
            }
            Block::Space(h) => out.push(Slice::space(*h)),
            Block::Keep(blocks) => self.keep(blocks, frame, out),
            Block::KeepWithPrevious(blocks) => {
                // From the last slice with content before the group (the last row of a
                // table, the last line of a paragraph), across the white space after it.
                let start = out.len();
                let previous = out.iter().rposition(|s| !s.discardable && !s.page_break);
                let after_break = out[previous.unwrap_or(0)..].iter().any(|s| s.page_break);
                if let Some(previous) = previous.filter(|_| !after_break) {
                    for s in &mut out[previous..start] {
                        s.keep_with_next = true;
                    }
                }
                self.keep(blocks, frame, out);
            }
            Block::Frame(f) => out.push(self.frame(f, frame)),
            Block::PageBreak => out.push(Slice { page_break: true, ..Slice::default() }),
            // Laid out once per section by `section`, not in the body.
            Block::Footer(_) => {}
            Block::QrRow(row) => out.push(self.qr_row(row, frame)),
        }
    }

    /// Lays out blocks that stay on one page: each slice but the last keeps with the next.
    fn keep(&mut self, blocks: &[Block], frame: Frame, out: &mut Vec<Slice>) {
        let start = out.len();
        for b in blocks {
            self.block(b, frame, out);
        }
        let end = out.len();
        if end > start {
            for s in &mut out[start..end - 1] {
                s.keep_with_next = true;
            }
        }
    }

    fn paragraph(&mut self, p: &Paragraph, frame: Frame, out: &mut Vec<Slice>) {
        let size = p.size.unwrap_or(frame.size);
        let x = frame.x + p.left;
        let width = frame.width - p.left;
        let lines = self.lines(&p.inlines, size, width, p.indent);
        let leading = size * LEADING;
        let ascent = self.baseline(size);
        let count = lines.lines.len();
        for (i, line) in lines.lines.into_iter().enumerate() {
            let indent = if i == 0 { p.indent } else { Pt::ZERO };
            let origin = Point::new(x + indent, ascent);
            let items = self.shaper.place_line(line, origin, width - indent, p.align, i + 1 == count);
            let last = i + 1 == count;
            out.push(Slice {
                height: leading,
                space_before: if i == 0 { p.space_before } else { Pt::ZERO },
                items,
                // Keep two-line paragraphs whole and never leave a single line behind.
                keep_with_next: if last { p.keep_with_next } else { count <= 3 || i == 0 || i + 2 == count },
                ..Slice::default()
            });
        }
        if p.space_after > Pt::ZERO {
            out.push(Slice::space(p.space_after));
        }
    }

    fn fill(&mut self, fill: &FillLine, frame: Frame) -> Slice {
        let size = fill.size.unwrap_or(frame.size);
        let small = caption_size(size);
        let leading = size * LEADING;
        let gap = Pt(size.0 * 0.25);

        // Labels take their natural width; blanks share what is left.
        let label_widths: Vec<Option<Pt>> = fill
            .parts
            .iter()
            .map(|part| match part {
                FillPart::Label(inlines) => Some(self.lines(inlines, size, Pt(1.0e6), Pt::ZERO).max_width()),
                FillPart::WrappedLabel { width, .. } => Some((*width).min(frame.width)),
                FillPart::Blank(_) => None,
            })
            .collect();
        let fixed: Pt = fill
            .parts
            .iter()
            .zip(&label_widths)
            .map(|(part, lw)| match (part, lw) {
                (_, Some(w)) => *w,
                (FillPart::Blank(b), None) => b.width.unwrap_or(Pt::ZERO),
                _ => Pt::ZERO,
            })
            .fold(Pt::ZERO, |a, b| a + b);
        let gaps = gap * fill.parts.len().saturating_sub(1) as f32;
        let free = (frame.width - fixed - gaps).max(Pt::ZERO);
        let grow_total: f32 = fill
            .parts
            .iter()
            .map(|p| match p {
                FillPart::Blank(b) if b.width.is_none() => b.grow.max(0.0001),
                _ => 0.0,
            })
            .sum();

        let mut items = Vec::new();
        let mut x = frame.x;
        let mut height = leading;
        let ascent = self.baseline(size);
        for (part, label_width) in fill.parts.iter().zip(&label_widths) {
            match part {
                FillPart::Label(inlines) => {
                    let w = label_width.unwrap_or(Pt::ZERO);
                    let lines = self.lines(inlines, size, w + Pt(1.0), Pt::ZERO);
                    items.extend(self.place_lines(lines, x, Pt::ZERO, w, size, Align::Left));
                    x += w + gap;
                }
                FillPart::WrappedLabel { inlines, .. } => {
                    let w = label_width.unwrap_or(Pt::ZERO);
                    let lines = self.lines(inlines, size, w, Pt::ZERO);
                    height = height.max(leading * lines.lines.len() as f32);
                    items.extend(self.place_lines(lines, x, Pt::ZERO, w, size, Align::Left));
                    x += w + gap;
                }
                FillPart::Blank(blank) => {
                    let w = blank.width.unwrap_or_else(|| Pt(free.0 * blank.grow.max(0.0001) / grow_total));
                    let inset = Pt(1.0);
                    let lines = self.lines(&blank.value, size, (w - inset * 2.0).max(Pt(1.0)), Pt::ZERO);
                    let count = lines.lines.len().max(1);
                    items.extend(self.place_lines(
                        lines,
                        x + inset,
                        Pt::ZERO,
                        w - inset * 2.0,
                        size,
                        blank.align,
                    ));
                    for i in 0..count {
                        let y = leading * i as f32 + ascent + Pt(size.0 * 0.18);
                        items.push(Item::Line(Line {
                            from: Point::new(x, y),
                            to: Point::new(x + w, y),
                            width: HAIRLINE,
                        }));
                    }
                    let mut h = leading * count as f32;
                    if let Some(caption) = &blank.caption {
                        let inl = vec![Inline::Text(caption.clone(), crate::fonts::FontStyle::Regular)];
                        let caption_lines = self.lines(&inl, small, w, Pt::ZERO);
                        let top = h + Pt(0.5);
                        let caption_count = caption_lines.lines.len();
                        items.extend(self.place_lines(caption_lines, x, top, w, small, Align::Center));
                        h = top + small * LEADING * caption_count as f32;
                    }
                    height = height.max(h);
                    x += w + gap;
                }
            }
        }
        Slice {
            height: height + Pt(2.0),
            space_before: fill.space_before,
            items,
            keep_with_next: fill.keep_with_next,
            ..Slice::default()
        }
    }

    /// QR codes side by side, each centred in its column with a quiet zone of 4 modules.
    fn qr_row(&mut self, row: &QrRow, frame: Frame) -> Slice {
        const QUIET: usize = 4;
        let columns = row.columns.max(row.codes.len()).max(1);
        let column = frame.width * (1.0 / columns as f32);
        let mut items = Vec::new();
        let mut height = Pt::ZERO;
        for (i, data) in row.codes.iter().enumerate() {
            let matrix = match crate::qr::matrix(data) {
                Ok(m) => m,
                Err(e) => {
                    self.problem(e.to_string(), []);
                    continue;
                }
            };
            let side = row.module * (matrix.width + 2 * QUIET) as f32;
            if side > column {
                self.problem(
                    format!(
                        "a qr code of {} modules of {} mm needs {} mm, its column is {} mm",
                        matrix.width,
                        mm(row.module),
                        mm(side),
                        mm(column)
                    ),
                    [],
                );
                continue;
            }
            let x = frame.x + column * i as f32 + (column - side) * 0.5 + row.module * QUIET as f32;
            let y = row.module * QUIET as f32;
            items.push(Item::Qr(super::Qr {
                origin: Point::new(x, y),
                module: row.module,
                width: matrix.width,
                dark: matrix.dark,
            }));
            height = height.max(side);
        }
        Slice { height, items, ..Slice::default() }
    }

    fn checkbox(&mut self, c: &Checkbox, frame: Frame) -> Slice {
        let size = c.size.unwrap_or(frame.size);
        let side = Pt(size.0 * 0.7);
        let indent = side + Pt(size.0 * 0.6);
        let lines = self.lines(&c.inlines, size, frame.width - indent, Pt::ZERO);
        let line_count = lines.lines.len();
        let mut items =
            self.place_lines(lines, frame.x + indent, Pt::ZERO, frame.width - indent, size, Align::Justify);
        let baseline = self.baseline(size);
        let top = baseline - side;
        let origin = Point::new(frame.x + Pt(1.0), top);
        items.push(Item::Rect(Rect {
            origin,
            size: super::Size { width: side, height: side },
            stroke: HAIRLINE,
        }));
        if c.checked {
            let inset = Pt(side.0 * 0.18);
            let a = origin.offset(inset, inset);
            let b = origin.offset(side - inset, side - inset);
            items.push(Item::Line(Line { from: a, to: b, width: Pt(0.8) }));
            items.push(Item::Line(Line {
                from: Point::new(a.x, b.y),
                to: Point::new(b.x, a.y),
                width: Pt(0.8),
            }));
        }
        Slice { height: size * LEADING * line_count as f32 + Pt(2.0), items, ..Slice::default() }
    }

    fn frame(&mut self, f: &Frame_, frame: Frame) -> Slice {
        let inset = f.border + f.double.unwrap_or(Pt::ZERO) + f.padding;
        let inner = Frame { x: frame.x + inset, width: frame.width - inset * 2.0, size: frame.size };
        let mut slices = Vec::new();
        for b in &f.blocks {
            self.block(b, inner, &mut slices);
        }
        let content: Pt = slices.iter().fold(Pt::ZERO, |h, s| h + s.space_before + s.height);
        let height = f.height.unwrap_or(content + inset * 2.0);
        if content + inset * 2.0 > height + Pt(0.01) {
            let message =
                format!("the text does not fit in its frame of {} × {} mm", mm(frame.width), mm(height));
            let items: Vec<Item> = slices.iter().flat_map(|s| s.items.iter().cloned()).collect();
            self.problem_with_hint(message, texts(&items), Some("shorten the text printed in it"));
        }
        let mut y = if f.center { ((height - content) * 0.5).max(inset) } else { inset };
        let mut items = Vec::new();
        for mut s in slices {
            y += s.space_before;
            shift(&mut s.items, Pt::ZERO, y);
            items.append(&mut s.items);
            y += s.height;
        }
        let half = f.border * 0.5;
        items.push(Item::Rect(Rect {
            origin: Point::new(frame.x + half, half),
            size: super::Size { width: frame.width - f.border, height: height - f.border },
            stroke: f.border,
        }));
        if let Some(gap) = f.double {
            let d = f.border + gap;
            items.push(Item::Rect(Rect {
                origin: Point::new(frame.x + d, d),
                size: super::Size { width: frame.width - d * 2.0, height: height - d * 2.0 },
                stroke: Pt(f.border.0 * 0.6),
            }));
        }
        Slice { height, items, ..Slice::default() }
    }
}

type Frame_ = super::blocks::Frame;

/// Moves items by `dx`, `dy` in place.
pub(super) fn shift(items: &mut [Item], dx: Pt, dy: Pt) {
    for item in items {
        match item {
            Item::Text(run) => run.origin = run.origin.offset(dx, dy),
            Item::Line(l) => {
                l.from = l.from.offset(dx, dy);
                l.to = l.to.offset(dx, dy);
            }
            Item::Rect(r) => r.origin = r.origin.offset(dx, dy),
            Item::Qr(q) => q.origin = q.origin.offset(dx, dy),
        }
    }
}

/// Copies of items moved by `dx`, `dy`.
pub(super) fn translate(items: &[Item], dx: Pt, dy: Pt) -> Vec<Item> {
    items
        .iter()
        .map(|item| match item {
            Item::Text(run) => {
                let mut run = run.clone();
                run.origin = run.origin.offset(dx, dy);
                Item::Text(run)
            }
            Item::Line(l) => {
                Item::Line(Line { from: l.from.offset(dx, dy), to: l.to.offset(dx, dy), width: l.width })
            }
            Item::Rect(r) => Item::Rect(Rect { origin: r.origin.offset(dx, dy), ..*r }),
            Item::Qr(q) => Item::Qr(super::Qr { origin: q.origin.offset(dx, dy), ..q.clone() }),
        })
        .collect()
}

/// Stacks slices onto pages between `top` and `bottom`. A table row taller than a page
/// body is split between lines of its cells (filling what is left of the page first, the
/// header rows repeated above each part); any other slice taller than a page body cannot be
/// placed, and is reported.
pub(super) fn paginate(mut slices: Vec<Slice>, top: Pt, bottom: Pt, ctx: &mut Ctx<'_>) -> Vec<Vec<Item>> {
    let body = bottom - top;
    let mut pages: Vec<Vec<Item>> = Vec::new();
    let mut page: Vec<Item> = Vec::new();
    let mut y = top;
    let mut empty = true;
    let mut i = 0;
    while i < slices.len() {
        let need = chain_height(&slices, i, body);
        let slice = &mut slices[i];
        if slice.page_break {
            if !empty {
                pages.push(std::mem::take(&mut page));
                y = top;
                empty = true;
            }
            i += 1;
            continue;
        }
        if slice.discardable && empty {
            i += 1;
            continue;
        }
        let header_height =
            slice.header.as_ref().map_or(Pt::ZERO, |h| h.iter().fold(Pt::ZERO, |a, s| a + s.height));
        let too_tall = slice.height + header_height > body + Pt(0.01);
        if too_tall && let Some(row) = slice.row.clone() {
            let before = if empty { Pt::ZERO } else { slice.space_before };
            let above = if empty { header_height } else { Pt::ZERO };
            if let Some((mut head, tail)) = row.split(bottom - y - before - above) {
                head.header = slice.header.clone();
                head.space_before = slice.space_before;
                let rest = tail.slice(slice);
                let rest = Slice { keep_with_next: slice.keep_with_next, ..rest };
                place(&mut page, &mut y, &mut empty, head);
                pages.push(std::mem::take(&mut page));
                y = top;
                empty = true;
                slices[i] = rest;
                continue;
            }
            if !empty {
                pages.push(std::mem::take(&mut page));
                y = top;
                empty = true;
                continue;
            }
        }
        if too_tall {
            let message = format!(
                "the text does not fit on a page and cannot be split: it needs {} mm, a page holds {} mm",
                mm(slice.height + header_height),
                mm(body)
            );
            let items = slice.items.clone();
            ctx.problem(message, texts(&items));
        }
        let slice = &mut slices[i];
        let before = if empty { Pt::ZERO } else { slice.space_before };
        if !empty && y + before + need > bottom {
            pages.push(std::mem::take(&mut page));
            y = top;
            empty = true;
            if slice.discardable {
                i += 1;
                continue;
            }
        }
        place(&mut page, &mut y, &mut empty, std::mem::take(slice));
        i += 1;
    }
    if !page.is_empty() || pages.is_empty() {
        pages.push(page);
    }
    pages
}

/// Puts a slice on the page at `y` (after the header rows it carries when it opens the
/// page) and moves `y` below it.
fn place(page: &mut Vec<Item>, y: &mut Pt, empty: &mut bool, mut slice: Slice) {
    if *empty && let Some(header) = &slice.header {
        for h in header.iter() {
            page.extend(translate(&h.items, Pt::ZERO, *y));
            *y += h.height;
        }
    }
    let before = if *empty { Pt::ZERO } else { slice.space_before };
    *y += before;
    shift(&mut slice.items, Pt::ZERO, *y);
    page.append(&mut slice.items);
    *y += slice.height;
    *empty = false;
}

/// The height of a slice and of the slices that must stay with it, capped at a page body.
fn chain_height(slices: &[Slice], start: usize, body: Pt) -> Pt {
    let mut height = slices[start].height;
    let mut i = start;
    while slices[i].keep_with_next && i + 1 < slices.len() && !slices[i + 1].page_break {
        i += 1;
        height += slices[i].space_before + slices[i].height;
    }
    if height > body { slices[start].height } else { height }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx<'a>(shaper: &'a Shaper, diags: &'a mut Vec<Diagnostic>) -> Ctx<'a> {
        Ctx { shaper, diags, origins: &() }
    }

    fn strip(h: f32) -> Slice {
        Slice {
            height: Pt(h),
            items: vec![Item::Line(Line { from: Point::default(), to: Point::default(), width: Pt(1.0) })],
            ..Slice::default()
        }
    }

    #[test]
    fn slices_flow_onto_new_pages() {
        let (shaper, mut diags) = (Shaper::new(), Vec::new());
        let slices: Vec<Slice> = (0..5).map(|_| strip(40.0)).collect();
        let pages = paginate(slices, Pt(0.0), Pt(100.0), &mut ctx(&shaper, &mut diags));
        assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2, 1]);
    }

    #[test]
    fn kept_slices_move_together() {
        let (shaper, mut diags) = (Shaper::new(), Vec::new());
        let mut slices: Vec<Slice> = (0..3).map(|_| strip(40.0)).collect();
        slices[1].keep_with_next = true;
        let pages = paginate(slices, Pt(0.0), Pt(100.0), &mut ctx(&shaper, &mut diags));
        assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [1, 2]);
    }

    #[test]
    fn header_is_repeated_when_a_row_opens_a_page() {
        let (shaper, mut diags) = (Shaper::new(), Vec::new());
        let header = Rc::new(vec![strip(10.0)]);
        let mut slices = vec![strip(10.0)];
        for _ in 0..4 {
            let mut row = strip(30.0);
            row.header = Some(header.clone());
            slices.push(row);
        }
        let pages = paginate(slices, Pt(0.0), Pt(100.0), &mut ctx(&shaper, &mut diags));
        // page 1: header + 3 rows; page 2: repeated header + 1 row
        assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [4, 2]);
    }

    #[test]
    fn space_is_dropped_at_the_top_of_a_page() {
        let (shaper, mut diags) = (Shaper::new(), Vec::new());
        let slices = vec![strip(90.0), Slice::space(20.0.into_pt()), strip(10.0)];
        let pages = paginate(slices, Pt(0.0), Pt(100.0), &mut ctx(&shaper, &mut diags));
        assert_eq!(pages.len(), 2);
        match &pages[1][0] {
            Item::Line(l) => assert_eq!(l.from.y, Pt(0.0)),
            _ => panic!("expected the line"),
        }
    }

    trait IntoPt {
        fn into_pt(self) -> Pt;
    }
    impl IntoPt for f32 {
        fn into_pt(self) -> Pt {
            Pt(self)
        }
    }
}
