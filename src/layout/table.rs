//! Bordered tables: relative column widths, multi-line cells, column spans, and header rows
//! that repeat on every page the table spans.

use std::rc::Rc;

use super::blocks::{Table, VAlign};
use super::flow::{Ctx, Frame, HAIRLINE, Slice};
use super::geom::{Point, Pt, Size};
use super::text::LEADING;
use super::{Item, Rect};

/// Inner padding of a cell.
const PAD: Pt = Pt(2.5);

/// Appends one slice per row; data rows carry the header rows for repetition.
pub(super) fn slices(ctx: &mut Ctx<'_>, table: &Table, frame: Frame, out: &mut Vec<Slice>) {
    let size = table.size.unwrap_or(frame.size);
    let widths = fit_widths(ctx, table, size, frame.width);
    let columns = column_edges(&widths, frame.x, frame.width);
    let mut header_rows = Vec::new();
    let mut header: Option<Rc<Vec<Slice>>> = None;
    let mut first = true;
    for row in &table.rows {
        let mut items = Vec::new();
        let mut cells = Vec::new();
        let mut col = 0;
        let mut height = Pt::ZERO;
        for cell in &row.cells {
            let span = cell.colspan.max(1);
            let left = columns[col.min(columns.len() - 1)];
            let right = columns[(col + span).min(columns.len() - 1)];
            col += span;
            let inner = (right - left - PAD * 2.0).max(Pt(1.0));
            let lines = ctx.lines(&cell.inlines, size, inner, Pt::ZERO);
            let text_height = size * LEADING * lines.lines.len() as f32;
            height = height.max(text_height + PAD * 2.0);
            cells.push((left, right, inner, lines, text_height, cell));
        }
        for (left, right, inner, lines, text_height, cell) in cells {
            let top = match cell.valign {
                VAlign::Top => PAD,
                VAlign::Middle => (height - text_height) * 0.5,
            };
            items.extend(ctx.place_lines(lines, left + PAD, top, inner, size, cell.align));
            if table.borders {
                items.push(Item::Rect(Rect {
                    origin: Point::new(left, Pt::ZERO),
                    size: Size { width: right - left, height },
                    stroke: HAIRLINE,
                }));
            }
        }
        let slice = Slice {
            height,
            space_before: if first { table.space_before } else { Pt::ZERO },
            items,
            keep_with_next: row.header,
            header: if row.header { None } else { header.clone() },
            ..Slice::default()
        };
        first = false;
        if row.header {
            let mut repeated = slice.clone();
            repeated.space_before = Pt::ZERO;
            header_rows.push(repeated);
            header = Some(Rc::new(header_rows.clone()));
        }
        out.push(slice);
    }
}

/// The relative widths, widened where a column's longest unbreakable word would not fit
/// (the space is taken from columns that have room), so that words break only where they may.
fn fit_widths(ctx: &Ctx<'_>, table: &Table, size: Pt, width: Pt) -> Vec<f32> {
    let count = table.widths.len().max(1);
    let given: Vec<f32> = if table.widths.is_empty() { vec![1.0] } else { table.widths.clone() };
    let total: f32 = given.iter().map(|w| w.max(0.0)).sum::<f32>().max(f32::EPSILON);
    let mut mins = vec![0.0f32; count];
    for row in &table.rows {
        let mut col = 0;
        for cell in &row.cells {
            let span = cell.colspan.max(1);
            if span == 1 && col < count {
                let widest = ctx.shaper.widest_word(&cell.inlines, size);
                mins[col] = mins[col].max(widest.0 + PAD.0 * 2.0 + 0.5);
            }
            col += span;
        }
    }
    let mut actual: Vec<f32> = given.iter().map(|w| width.0 * w.max(0.0) / total).collect();
    if mins.iter().sum::<f32>() >= width.0 {
        return given;
    }
    // Raise narrow columns to their minimum, then take the difference from the others in
    // proportion to their room above their own minimum.
    for _ in 0..count {
        let deficit: f32 = actual.iter().zip(&mins).map(|(a, m)| (m - a).max(0.0)).sum();
        if deficit <= 0.01 {
            break;
        }
        let room: f32 = actual.iter().zip(&mins).map(|(a, m)| (a - m).max(0.0)).sum();
        if room <= 0.0 {
            break;
        }
        let take = (deficit / room).min(1.0);
        for (a, m) in actual.iter_mut().zip(&mins) {
            if *a < *m {
                *a = *m;
            } else {
                *a -= (*a - m) * take;
            }
        }
    }
    actual
}

/// The x of every column edge, from the left edge of the first column to the right edge of
/// the last: widths are relative.
fn column_edges(widths: &[f32], x: Pt, width: Pt) -> Vec<Pt> {
    let widths: Vec<f32> = if widths.is_empty() { vec![1.0] } else { widths.to_vec() };
    let total: f32 = widths.iter().map(|w| w.max(0.0)).sum::<f32>().max(f32::EPSILON);
    let mut edges = vec![x];
    let mut acc = 0.0;
    for w in &widths {
        acc += w.max(0.0);
        edges.push(x + Pt(width.0 * acc / total));
    }
    edges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_widths_split_the_frame() {
        let edges = column_edges(&[1.0, 3.0], Pt(10.0), Pt(100.0));
        assert_eq!(edges, [Pt(10.0), Pt(35.0), Pt(110.0)]);
    }
}
