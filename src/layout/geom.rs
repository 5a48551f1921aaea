//! Units and sizes. Lengths are typed: [`Pt`] for PostScript points, [`Mm`] for millimetres.

use std::ops::{Add, AddAssign, Mul, Sub, SubAssign};

/// A length in PostScript points (1/72 inch).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Pt(pub f32);

/// A length in millimetres.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Mm(pub f32);

impl Pt {
    /// Zero.
    pub const ZERO: Pt = Pt(0.0);

    /// The larger of two lengths.
    pub fn max(self, other: Pt) -> Pt {
        Pt(self.0.max(other.0))
    }

    /// The smaller of two lengths.
    pub fn min(self, other: Pt) -> Pt {
        Pt(self.0.min(other.0))
    }
}

impl From<Mm> for Pt {
    fn from(mm: Mm) -> Pt {
        Pt(mm.0 * 72.0 / 25.4)
    }
}

impl From<Pt> for Mm {
    fn from(pt: Pt) -> Mm {
        Mm(pt.0 * 25.4 / 72.0)
    }
}

impl Add for Pt {
    type Output = Pt;
    fn add(self, rhs: Pt) -> Pt {
        Pt(self.0 + rhs.0)
    }
}

impl Sub for Pt {
    type Output = Pt;
    fn sub(self, rhs: Pt) -> Pt {
        Pt(self.0 - rhs.0)
    }
}

impl AddAssign for Pt {
    fn add_assign(&mut self, rhs: Pt) {
        self.0 += rhs.0;
    }
}

impl SubAssign for Pt {
    fn sub_assign(&mut self, rhs: Pt) {
        self.0 -= rhs.0;
    }
}

impl Mul<f32> for Pt {
    type Output = Pt;
    fn mul(self, rhs: f32) -> Pt {
        Pt(self.0 * rhs)
    }
}

/// A point on a page, from the top-left corner, y downwards.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    /// Distance from the left edge.
    pub x: Pt,
    /// Distance from the top edge.
    pub y: Pt,
}

impl Point {
    /// A point from its coordinates.
    pub fn new(x: Pt, y: Pt) -> Point {
        Point { x, y }
    }

    /// This point moved by `dx`, `dy`.
    pub fn offset(self, dx: Pt, dy: Pt) -> Point {
        Point { x: self.x + dx, y: self.y + dy }
    }
}

/// Width and height.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Size {
    /// Horizontal extent.
    pub width: Pt,
    /// Vertical extent.
    pub height: Pt,
}

impl Size {
    /// ISO A4 portrait: 210 × 297 mm.
    pub fn a4() -> Size {
        Size { width: Mm(210.0).into(), height: Mm(297.0).into() }
    }

    /// ISO A3 portrait: 297 × 420 mm.
    pub fn a3() -> Size {
        Size { width: Mm(297.0).into(), height: Mm(420.0).into() }
    }

    /// The same size turned by 90°.
    pub fn landscape(self) -> Size {
        Size { width: self.height, height: self.width }
    }
}

/// Margins of a page.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Margins {
    /// Top margin.
    pub top: Pt,
    /// Right margin.
    pub right: Pt,
    /// Bottom margin (the footer sits inside it).
    pub bottom: Pt,
    /// Left margin (the binding side of official forms: 30 mm).
    pub left: Pt,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a4_is_595_by_842_points() {
        let a4 = Size::a4();
        assert!((a4.width.0 - 595.2756).abs() < 0.001);
        assert!((a4.height.0 - 841.8898).abs() < 0.001);
    }

    #[test]
    fn stamp_size_in_points() {
        let w: Pt = Mm(70.0).into();
        let h: Pt = Mm(35.0).into();
        assert!((w.0 - 198.425).abs() < 0.001);
        assert!((h.0 - 99.2126).abs() < 0.001);
    }
}
