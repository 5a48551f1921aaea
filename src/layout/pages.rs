//! The second pagination step: once the number of pages is known, add the footers
//! ("2 беттің 1 беті" / "Страница 1 из 2").

use super::blocks::{Align, Inline, Section};
use super::geom::{Point, Pt};
use super::text::Shaper;
use super::{Item, Page};
use crate::fonts::FontStyle;

/// Footer text size.
const FOOTER_SIZE: Pt = Pt(9.0);

/// Turns page bodies into pages, adding the section's footer to each.
pub(super) fn finalize(section: &Section, bodies: Vec<Vec<Item>>, shaper: &Shaper) -> Vec<Page> {
    let total = bodies.len();
    bodies
        .into_iter()
        .enumerate()
        .map(|(i, mut items)| {
            if let Some(pattern) = &section.footer {
                let text =
                    pattern.replace("{page}", &(i + 1).to_string()).replace("{total}", &total.to_string());
                let inlines = [Inline::Text(text, FontStyle::Regular)];
                let lines = shaper.break_lines(&inlines, FOOTER_SIZE, section.page.width);
                if let Some(line) = lines.lines.into_iter().next() {
                    let width = section.page.width - section.margins.left - section.margins.right;
                    let baseline = section.page.height - section.margins.bottom * 0.5;
                    let origin = Point::new(section.margins.left, baseline);
                    items.extend(shaper.place_line(line, origin, width, Align::Right, true));
                }
            }
            Page { size: section.page, items }
        })
        .collect()
}
