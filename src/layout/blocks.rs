//! What layout reads: a section of blocks (paragraphs, fill lines, tables, …), produced by the
//! template stage from the markup that templates write.

use super::geom::{Margins, Pt, Size};
use crate::domain::Lang;
use crate::fonts::FontStyle;

/// One language version of a document: its page setup and its content. Each section starts
/// on a new page and has its own page numbers.
#[derive(Debug, Clone)]
pub struct Section {
    /// The language the section is written in.
    pub lang: Lang,
    /// The document title, for metadata.
    pub title: String,
    /// Page size.
    pub page: Size,
    /// Page margins.
    pub margins: Margins,
    /// Body text size.
    pub font_size: Pt,
    /// Footer with `{page}` and `{total}` placeholders; `None` prints no footer.
    pub footer: Option<String>,
    /// The content, top to bottom.
    pub blocks: Vec<Block>,
}

/// Horizontal alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Ragged right.
    #[default]
    Left,
    /// Centred.
    Center,
    /// Ragged left.
    Right,
    /// Both edges flush, except the last line.
    Justify,
}

/// Vertical alignment inside a table cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VAlign {
    /// At the top.
    #[default]
    Top,
    /// In the middle.
    Middle,
}

/// A piece of inline content.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Text in one style.
    Text(String, FontStyle),
    /// Text in one style that never breaks across lines (`<nobreak>`: cadastral and
    /// registration numbers, IIN/BIN, dates, times): its spaces join, it is not cut after
    /// `:`, `/` or `-`, and a table column is made at least as wide as it when the columns'
    /// minimums fit; only a value wider than its whole column is cut, as any other word.
    NoBreak(String, FontStyle),
    /// A forced line break.
    LineBreak,
}

/// A block of content.
#[derive(Debug, Clone)]
pub enum Block {
    /// A paragraph of wrapped text.
    Paragraph(Paragraph),
    /// A narrow column of blocks pushed to the right margin (the corner block of an
    /// appendix) or centred.
    Column(Column),
    /// A line of labels and blanks to fill in, with captions under the blanks.
    Fill(FillLine),
    /// A bordered table.
    Table(Table),
    /// A check box followed by its text.
    Checkbox(Checkbox),
    /// A horizontal line across the text width.
    Rule(Pt),
    /// Vertical space.
    Space(Pt),
    /// Blocks that must stay on one page.
    Keep(Vec<Block>),
    /// Blocks that must stay on one page together with the last piece of content before
    /// them, e.g. the last row of a table (`<keep with-previous="true">`: a signature block
    /// never stands alone on a page; the table's header rows are repeated above the row).
    KeepWithPrevious(Vec<Block>),
    /// A bordered frame around blocks, with inner padding (the stamp).
    Frame(Frame),
    /// Start a new page.
    PageBreak,
    /// Blocks repeated at the bottom of every page of the section, above the page number;
    /// the page body gives up their height (the electronic edition's footer).
    Footer(Vec<Block>),
    /// A row of QR codes in equal columns (the electronic edition's footer).
    QrRow(QrRow),
}

/// A row of QR codes: one per column, left to right.
#[derive(Debug, Clone)]
pub struct QrRow {
    /// The text of each code.
    pub codes: Vec<String>,
    /// Number of equal columns across the text width.
    pub columns: usize,
    /// The side of one module (at least 0.4 mm, so that a printed page scans).
    pub module: super::Pt,
}

/// A paragraph.
#[derive(Debug, Clone, Default)]
pub struct Paragraph {
    /// The text.
    pub inlines: Vec<Inline>,
    /// Alignment.
    pub align: Align,
    /// Text size; `None` is the section's body size.
    pub size: Option<Pt>,
    /// Indent of the first line.
    pub indent: Pt,
    /// Indent of every line from the left.
    pub left: Pt,
    /// Space above.
    pub space_before: Pt,
    /// Space below.
    pub space_after: Pt,
    /// Keep on the same page as the next block.
    pub keep_with_next: bool,
    /// Replace `{total}` (and `{total:form|forms}`) in the text by the number of pages of
    /// the section, once it is known (see `pages::with_totals`).
    pub page_total: bool,
}

/// A column of blocks narrower than the text width.
#[derive(Debug, Clone)]
pub struct Column {
    /// Width of the column.
    pub width: Pt,
    /// Where the column sits.
    pub align: Align,
    /// The content.
    pub blocks: Vec<Block>,
}

/// One part of a [`FillLine`].
#[derive(Debug, Clone)]
pub enum FillPart {
    /// Printed text at its natural width.
    Label(Vec<Inline>),
    /// Printed text wrapped within a fixed width, so that a long label leaves room for the
    /// blank beside it (`<label width="50mm">`).
    WrappedLabel {
        /// The text.
        inlines: Vec<Inline>,
        /// The width it wraps in.
        width: Pt,
    },
    /// A blank to fill in: an underline, the filled value (if any) on it, and a small caption
    /// under it.
    Blank(Blank),
}

/// A blank of a fill line.
#[derive(Debug, Clone, Default)]
pub struct Blank {
    /// A fixed width; `None` shares the remaining width by `grow`.
    pub width: Option<Pt>,
    /// Share of the remaining width.
    pub grow: f32,
    /// The filled value; empty for a blank form.
    pub value: Vec<Inline>,
    /// Alignment of the value on the line.
    pub align: Align,
    /// Small text centred under the line.
    pub caption: Option<String>,
}

/// A line with labels and blanks.
#[derive(Debug, Clone, Default)]
pub struct FillLine {
    /// Labels and blanks, left to right.
    pub parts: Vec<FillPart>,
    /// Text size; `None` is the body size.
    pub size: Option<Pt>,
    /// Space above.
    pub space_before: Pt,
    /// Keep on the same page as the next block.
    pub keep_with_next: bool,
}

/// A table cell.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    /// The text.
    pub inlines: Vec<Inline>,
    /// How many columns it spans.
    pub colspan: usize,
    /// Horizontal alignment.
    pub align: Align,
    /// Vertical alignment.
    pub valign: VAlign,
}

/// A table row.
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// Header rows are repeated at the top of every page the table spans.
    pub header: bool,
    /// The cells.
    pub cells: Vec<Cell>,
}

/// A bordered table.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Relative column widths.
    pub widths: Vec<f32>,
    /// Text size; `None` is the body size.
    pub size: Option<Pt>,
    /// Whether cells have borders.
    pub borders: bool,
    /// Rows, headers first.
    pub rows: Vec<Row>,
    /// Space above.
    pub space_before: Pt,
}

/// A check box with its text.
#[derive(Debug, Clone, Default)]
pub struct Checkbox {
    /// Whether the box is crossed.
    pub checked: bool,
    /// The text after the box.
    pub inlines: Vec<Inline>,
    /// Text size; `None` is the body size.
    pub size: Option<Pt>,
}

/// A frame around blocks.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    /// Stroke width of the border.
    pub border: Pt,
    /// A second border this far inside the first; `None` for a single border.
    pub double: Option<Pt>,
    /// Inner padding.
    pub padding: Pt,
    /// The content.
    pub blocks: Vec<Block>,
    /// Fixed height, e.g. the whole stamp; `None` fits the content.
    pub height: Option<Pt>,
    /// Centre the content vertically within a fixed height.
    pub center: bool,
}
