//! Output: a laid-out page → pixels (tiny-skia) → PNG, drawn from the same layout items as
//! the PDF.
//!
//! Glyphs are filled from the outlines of the bundled fonts ([`crate::svg::trace_run`]),
//! lines and rectangles are stroked as the PDF strokes them. A page of `W × H` mm becomes
//! `round(W / 25.4 · dpi) × round(H / 25.4 · dpi)` pixels, and the PNG records the resolution
//! (the `pHYs` chunk, in pixels per metre), so it prints at its exact size.

use rustybuzz::ttf_parser::OutlineBuilder;
use tiny_skia::{
    Color, FillRule, LineCap, LineJoin, Paint, PathBuilder, Pixmap, Rect as SkRect, Stroke, Transform,
};

use crate::layout::{Item, Page, Size};
use crate::svg;

/// The highest resolution accepted: 2400 dpi makes a 70 × 35 mm stamp 6614 × 3307 pixels.
pub const MAX_DPI: u32 = 2400;

/// What is under the ink.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Background {
    /// Transparent (alpha 0): the image can be laid over a scanned page.
    #[default]
    Transparent,
    /// Opaque white.
    White,
}

/// Options of the rasteriser.
#[derive(Debug, Clone)]
pub struct RasterOptions {
    /// Resolution in dots per inch, 1 to [`MAX_DPI`].
    pub dpi: u32,
    /// Background.
    pub background: Background,
    /// Text stored in the PNG (`Title` and `Description` chunks), for search.
    pub title: String,
}

/// The page could not be drawn or encoded.
#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    /// The resolution is outside 1 to [`MAX_DPI`].
    #[error("dpi must be from 1 to {MAX_DPI} (got {0})")]
    Dpi(u32),
    /// The image would be empty or too large.
    #[error("cannot make an image of {0} × {1} pixels")]
    Size(u32, u32),
    /// The PNG encoder failed.
    #[error("failed to write the PNG ({0})")]
    Png(String),
}

/// The size in pixels of a page at `dpi`: `round(mm / 25.4 · dpi)` each way.
pub fn pixel_size(size: Size, dpi: u32) -> (u32, u32) {
    let px = |pt: f32| (f64::from(pt) / 72.0 * f64::from(dpi)).round() as u32;
    (px(size.width.0), px(size.height.0))
}

/// Pixels per metre at `dpi`, as the PNG `pHYs` chunk stores it.
pub fn pixels_per_metre(dpi: u32) -> u32 {
    (f64::from(dpi) / 0.0254).round() as u32
}

/// Draws a page into a pixmap at `options.dpi`.
pub fn pixmap(page: &Page, options: &RasterOptions) -> Result<Pixmap, RasterError> {
    if options.dpi == 0 || options.dpi > MAX_DPI {
        return Err(RasterError::Dpi(options.dpi));
    }
    let (w, h) = pixel_size(page.size, options.dpi);
    let mut pixmap = Pixmap::new(w, h).ok_or(RasterError::Size(w, h))?;
    if options.background == Background::White {
        pixmap.fill(Color::WHITE);
    }
    let scale = options.dpi as f32 / 72.0;
    let transform = Transform::from_scale(scale, scale);
    let mut ink = Paint::default();
    ink.set_color_rgba8(0, 0, 0, 255);
    ink.anti_alias = true;
    for item in &page.items {
        match item {
            Item::Text(run) => {
                let mut path = SkPath(PathBuilder::new());
                svg::trace_run(run, &mut path);
                if let Some(path) = path.0.finish() {
                    pixmap.fill_path(&path, &ink, FillRule::Winding, transform, None);
                }
            }
            Item::Line(line) => {
                let mut pb = PathBuilder::new();
                pb.move_to(line.from.x.0, line.from.y.0);
                pb.line_to(line.to.x.0, line.to.y.0);
                if let Some(path) = pb.finish() {
                    pixmap.stroke_path(&path, &ink, &stroke(line.width.0), transform, None);
                }
            }
            Item::Rect(rect) => {
                let r = SkRect::from_xywh(
                    rect.origin.x.0,
                    rect.origin.y.0,
                    rect.size.width.0,
                    rect.size.height.0,
                );
                if let Some(path) = r.map(PathBuilder::from_rect) {
                    pixmap.stroke_path(&path, &ink, &stroke(rect.stroke.0), transform, None);
                }
            }
            Item::Qr(qr) => {
                // Whole pixels per module edge and no smoothing, so that a reader sees
                // sharp modules.
                let mut pb = PathBuilder::new();
                for (p, side) in qr.squares() {
                    if let Some(r) = SkRect::from_xywh(p.x.0, p.y.0, side.0, side.0) {
                        pb.push_rect(r);
                    }
                }
                if let Some(path) = pb.finish() {
                    let mut solid = ink.clone();
                    solid.anti_alias = false;
                    pixmap.fill_path(&path, &solid, FillRule::Winding, transform, None);
                }
            }
        }
    }
    Ok(pixmap)
}

/// Draws a page and encodes it as PNG (8-bit RGBA, sRGB, with the resolution in `pHYs`).
pub fn png(page: &Page, options: &RasterOptions) -> Result<Vec<u8>, RasterError> {
    let pixmap = pixmap(page, options)?;
    let mut data = Vec::with_capacity(pixmap.data().len());
    for pixel in pixmap.pixels() {
        let c = pixel.demultiply();
        data.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
    }
    let png_error = |e: png::EncodingError| RasterError::Png(e.to_string());
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_source_srgb(png::SrgbRenderingIntent::Perceptual);
    let ppm = pixels_per_metre(options.dpi);
    encoder.set_pixel_dims(Some(png::PixelDimensions { xppu: ppm, yppu: ppm, unit: png::Unit::Meter }));
    if !options.title.is_empty() {
        encoder.add_itxt_chunk("Title".into(), options.title.clone()).map_err(png_error)?;
    }
    let text = svg::page_text(page).join(" ");
    if !text.is_empty() {
        encoder.add_itxt_chunk("Description".into(), text).map_err(png_error)?;
    }
    let mut writer = encoder.write_header().map_err(png_error)?;
    writer.write_image_data(&data).map_err(png_error)?;
    writer.finish().map_err(png_error)?;
    Ok(out)
}

fn stroke(width: f32) -> Stroke {
    Stroke { width, line_cap: LineCap::Butt, line_join: LineJoin::Miter, ..Stroke::default() }
}

/// A tiny-skia path fed by glyph outlines.
struct SkPath(PathBuilder);

impl OutlineBuilder for SkPath {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.0.quad_to(x1, y1, x, y);
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.0.cubic_to(x1, y1, x2, y2, x, y);
    }

    fn close(&mut self) {
        self.0.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Mm;

    #[test]
    fn stamp_sizes_in_pixels() {
        let stamp = Size { width: Mm(70.0).into(), height: Mm(35.0).into() };
        assert_eq!(pixel_size(stamp, 300), (827, 413));
        assert_eq!(pixel_size(stamp, 600), (1654, 827));
        assert_eq!(pixels_per_metre(300), 11811);
        assert_eq!(pixels_per_metre(600), 23622);
    }
}
