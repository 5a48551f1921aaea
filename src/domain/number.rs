//! Exact decimal numbers (areas, lengths, volumes) as they are written in input and printed
//! in Kazakh and Russian documents: decimal comma, thousands grouped with a no-break space.
//!
//! Amounts never go through floating point: [`Decimal`] keeps the digits and the scale given.

use std::fmt;

use rust_decimal::Decimal;

use super::lang::Lang;
use crate::messages::Message;

/// The no-break space (U+00A0) used to group digits and to join a number to its unit.
pub const NBSP: char = '\u{a0}';

/// Why a text is not a number or a quantity.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NumberError {
    /// Not an optional `-`, digits, and optionally `.` or `,` followed by digits.
    NotADecimal {
        /// The input as given.
        got: String,
    },
    /// Well formed, but beyond the range or precision of [`Decimal`] (about 28 significant
    /// digits).
    TooManyDigits {
        /// The input as given.
        got: String,
    },
    /// The number part of a quantity is not a decimal number.
    NotAQuantity {
        /// The input as given.
        got: String,
    },
    /// The unit of a quantity is not known.
    UnknownUnit {
        /// The unit as given.
        unit: String,
        /// The whole input as given.
        got: String,
    },
}

impl NumberError {
    /// The error as catalog data (`templates/messages/*.ftl`).
    pub fn message(&self) -> Message {
        match self {
            NumberError::NotADecimal { got } => Message::new("number-not-decimal").arg("value", got),
            NumberError::TooManyDigits { got } => Message::new("number-too-many-digits").arg("value", got),
            NumberError::NotAQuantity { got } => Message::new("number-not-quantity").arg("value", got),
            NumberError::UnknownUnit { unit, got } => {
                Message::new("number-unknown-unit").arg("unit", unit).arg("value", got)
            }
        }
    }
}

crate::messages::english_display!(NumberError);

/// Parses a decimal number written with a point or a comma: `72.40`, `72,40`, `-3`, `1000`.
///
/// Surrounding whitespace is trimmed. Accepted: an optional `-`, one or more ASCII digits,
/// and optionally a `.` or `,` followed by one or more digits. Exponents, `+`, digit grouping
/// and anything else are rejected. The scale is kept: `72.40` has scale 2. Negative zero is
/// returned as zero.
pub fn parse_decimal(text: &str) -> Result<Decimal, NumberError> {
    let not_a_decimal = || NumberError::NotADecimal { got: text.to_owned() };
    let t = text.trim();
    let unsigned = t.strip_prefix('-').unwrap_or(t);
    let (int, frac) = match unsigned.split_once(['.', ',']) {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || !frac.is_none_or(all_digits) {
        return Err(not_a_decimal());
    }
    let normalized = t.replace(',', ".");
    let mut d = Decimal::from_str_exact(&normalized)
        .map_err(|_| NumberError::TooManyDigits { got: text.to_owned() })?;
    if d.is_zero() {
        d.set_sign_positive(true);
    }
    Ok(d)
}

/// Formats a decimal the Kazakh and Russian way.
///
/// - decimal comma: `72,4`;
/// - at least `min_scale` decimals, padding with zeros but never rounding: with `min_scale` 2,
///   `72.4` prints `72,40` and `72.456` prints `72,456` (`min_scale` is capped at 28, the
///   largest scale of a [`Decimal`]);
/// - the integer part grouped in threes with a no-break space (U+00A0) only when it has five
///   digits or more: `1234,5` but `12 345` and `1 234 567`;
/// - a negative number starts with a hyphen-minus `-`; zero never has a sign.
pub fn format_decimal(d: Decimal, min_scale: u32) -> String {
    let plain = d.abs().to_string();
    let (int, frac) = plain.split_once('.').unwrap_or((plain.as_str(), ""));
    let min_scale = min_scale.min(28) as usize;

    let mut out = String::with_capacity(plain.len() + 8);
    if d.is_sign_negative() && !d.is_zero() {
        out.push('-');
    }
    let digits = int.chars().count();
    for (i, c) in int.chars().enumerate() {
        if digits >= 5 && i > 0 && (digits - i) % 3 == 0 {
            out.push(NBSP);
        }
        out.push(c);
    }
    if !frac.is_empty() || min_scale > 0 {
        out.push(',');
        out.push_str(frac);
        for _ in frac.len()..min_scale {
            out.push('0');
        }
    }
    out
}

/// A unit of measure for areas, volumes and lengths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AreaUnit {
    /// Square metre, м².
    SquareMetre,
    /// Cubic metre, м³.
    CubicMetre,
    /// Metre, м.
    Metre,
    /// Hectare, га.
    Hectare,
}

impl AreaUnit {
    /// Parses a unit as written in input (surrounding whitespace trimmed, case sensitive):
    /// - square metre: `m2`, `m²`, `м²`, `м2`, `sq.m`, `sq m`, `кв.м`, `кв. м`;
    /// - cubic metre: `m3`, `m³`, `м³`, `м3`;
    /// - metre: `m`, `м`;
    /// - hectare: `ha`, `га`.
    pub fn parse(s: &str) -> Option<AreaUnit> {
        Some(match s.trim() {
            "m2" | "m²" | "м²" | "м2" | "sq.m" | "sq m" | "кв.м" | "кв. м" => AreaUnit::SquareMetre,
            "m3" | "m³" | "м³" | "м3" => AreaUnit::CubicMetre,
            "m" | "м" => AreaUnit::Metre,
            "ha" | "га" => AreaUnit::Hectare,
            _ => return None,
        })
    }

    /// The symbol printed after a number: in Kazakh and Russian `м²`, `м³`, `м`, `га`; in
    /// English `m²`, `m³`, `m`, `ha`.
    pub fn symbol(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::Kk | Lang::Ru, AreaUnit::SquareMetre) => "м²",
            (Lang::Kk | Lang::Ru, AreaUnit::CubicMetre) => "м³",
            (Lang::Kk | Lang::Ru, AreaUnit::Metre) => "м",
            (Lang::Kk | Lang::Ru, AreaUnit::Hectare) => "га",
            (Lang::En, AreaUnit::SquareMetre) => "m²",
            (Lang::En, AreaUnit::CubicMetre) => "m³",
            (Lang::En, AreaUnit::Metre) => "m",
            (Lang::En, AreaUnit::Hectare) => "ha",
        }
    }

    /// A plain ASCII code, accepted by [`AreaUnit::parse`]: `m2`, `m3`, `m`, `ha`.
    pub fn code(self) -> &'static str {
        match self {
            AreaUnit::SquareMetre => "m2",
            AreaUnit::CubicMetre => "m3",
            AreaUnit::Metre => "m",
            AreaUnit::Hectare => "ha",
        }
    }
}

impl fmt::Display for AreaUnit {
    /// Prints the ASCII [`code`](AreaUnit::code).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An exact number with a unit, such as an area of `72,40 м²`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Quantity {
    /// The number, with the scale it was given in.
    pub value: Decimal,
    /// The unit.
    pub unit: AreaUnit,
}

impl Quantity {
    /// Formats the number with at least two decimals (see [`format_decimal`]), a no-break
    /// space (U+00A0) and the unit symbol in the language: `72,40 м²`, `0,15 ha`.
    pub fn format(&self, lang: Lang) -> String {
        let mut out = format_decimal(self.value, 2);
        out.push(NBSP);
        out.push_str(self.unit.symbol(lang));
        out
    }
}

/// Parses a number optionally followed by a unit: `72.40`, `72,40 м²`, `0.15 ha`, `72.40m2`.
///
/// The number is read as by [`parse_decimal`]; the rest, trimmed, is the unit (see
/// [`AreaUnit::parse`]); without a unit, `default_unit` is used. Errors:
/// [`NumberError::NotAQuantity`] when the number is malformed (including `1 000 м²` and
/// `1e3 m2`), [`NumberError::UnknownUnit`] when the unit is not known,
/// [`NumberError::TooManyDigits`] when the number does not fit a [`Decimal`].
pub fn parse_quantity(text: &str, default_unit: AreaUnit) -> Result<Quantity, NumberError> {
    let t = text.trim();
    let not_a_quantity = || NumberError::NotAQuantity { got: text.to_owned() };
    let split = t
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == '.' || c == ',' || c == '-'))
        .map_or(t.len(), |(i, _)| i);
    let (number, unit) = t.split_at(split);
    let value = match parse_decimal(number) {
        Ok(v) => v,
        Err(NumberError::TooManyDigits { .. }) => {
            return Err(NumberError::TooManyDigits { got: text.to_owned() });
        }
        Err(_) => return Err(not_a_quantity()),
    };
    let unit = unit.trim();
    let unit = if unit.is_empty() {
        default_unit
    } else if let Some(unit) = AreaUnit::parse(unit) {
        unit
    } else {
        // Digits inside the rest (`1 000 м²`, `1e3 m2`) mean a malformed number rather than
        // an unknown unit; a final 2 or 3 may belong to a unit like `km2`.
        let body = unit.strip_suffix(['2', '3']).unwrap_or(unit);
        if body.bytes().any(|b| b.is_ascii_digit()) {
            return Err(not_a_quantity());
        }
        return Err(NumberError::UnknownUnit { unit: unit.to_owned(), got: text.to_owned() });
    };
    Ok(Quantity { value, unit })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        parse_decimal(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    #[test]
    fn parse_accepts() {
        assert_eq!(dec("72.40").to_string(), "72.40");
        assert_eq!(dec("72.40").scale(), 2);
        assert_eq!(dec("72,40").to_string(), "72.40");
        assert_eq!(dec("72,40").scale(), 2);
        assert_eq!(dec("-3").to_string(), "-3");
        assert_eq!(dec("1000").to_string(), "1000");
        assert_eq!(dec(" 0.15 ").to_string(), "0.15");
        assert_eq!(dec("007").to_string(), "7");
        assert_eq!(dec("-0").to_string(), "0");
        assert!(!dec("-0.00").is_sign_negative());
        assert_eq!(dec("0.0000000000000000000000000001").scale(), 28);
    }

    #[test]
    fn parse_rejects() {
        for s in [
            "",
            " ",
            "-",
            "1e3",
            "1E3",
            "1.5e2",
            "+3",
            "1.",
            ".5",
            "1,2,3",
            "1.2.3",
            "1 000",
            "1\u{a0}000",
            "abc",
            "12a",
            "--1",
            "- 1",
            "½",
            "NaN",
            "inf",
            "١٢",
        ] {
            assert_eq!(
                parse_decimal(s).map_err(|e| e.to_string()),
                Err(format!("\"{s}\" is not a decimal number")),
                "{s:?}"
            );
        }
        assert_eq!(
            parse_decimal("123456789012345678901234567890123").map_err(|e| e.to_string()),
            Err("\"123456789012345678901234567890123\" has too many digits".to_owned())
        );
    }

    #[test]
    fn format() {
        assert_eq!(format_decimal(dec("72.4"), 2), "72,40");
        assert_eq!(format_decimal(dec("72.456"), 2), "72,456");
        assert_eq!(format_decimal(dec("12345"), 0), "12\u{a0}345");
        assert_eq!(format_decimal(dec("1234.5"), 0), "1234,5");
        assert_eq!(format_decimal(dec("1234"), 0), "1234");
        assert_eq!(format_decimal(dec("123456"), 0), "123\u{a0}456");
        assert_eq!(format_decimal(dec("1234567.891"), 2), "1\u{a0}234\u{a0}567,891");
        assert_eq!(format_decimal(dec("-12345.6"), 2), "-12\u{a0}345,60");
        assert_eq!(format_decimal(dec("-3"), 0), "-3");
        assert_eq!(format_decimal(dec("-3"), 1), "-3,0");
        assert_eq!(format_decimal(dec("0"), 2), "0,00");
        assert_eq!(format_decimal(dec("72.40"), 0), "72,40");
        assert_eq!(format_decimal(dec("0.15"), 2), "0,15");
        assert_eq!(format_decimal(Decimal::new(-0, 2), 2), "0,00");
        let mut neg_zero = Decimal::new(0, 1);
        neg_zero.set_sign_negative(true);
        assert_eq!(format_decimal(neg_zero, 2), "0,00");
        assert_eq!(format_decimal(dec("1"), 100).len(), 2 + 28);
        assert_eq!(
            format_decimal(Decimal::MAX, 0),
            "79\u{a0}228\u{a0}162\u{a0}514\u{a0}264\u{a0}337\u{a0}593\u{a0}543\u{a0}950\u{a0}335"
        );
    }

    #[test]
    fn units() {
        for s in ["m2", "m²", "м²", "м2", "sq.m", " m2 "] {
            assert_eq!(AreaUnit::parse(s), Some(AreaUnit::SquareMetre), "{s}");
        }
        for s in ["m3", "m³", "м³", "м3"] {
            assert_eq!(AreaUnit::parse(s), Some(AreaUnit::CubicMetre), "{s}");
        }
        for s in ["m", "м"] {
            assert_eq!(AreaUnit::parse(s), Some(AreaUnit::Metre), "{s}");
        }
        for s in ["ha", "га"] {
            assert_eq!(AreaUnit::parse(s), Some(AreaUnit::Hectare), "{s}");
        }
        for s in ["", "km", "M2", "m^2", "sqm", "гектар"] {
            assert_eq!(AreaUnit::parse(s), None, "{s}");
        }
        let table = [
            (AreaUnit::SquareMetre, "м²", "m²"),
            (AreaUnit::CubicMetre, "м³", "m³"),
            (AreaUnit::Metre, "м", "m"),
            (AreaUnit::Hectare, "га", "ha"),
        ];
        for (unit, local, en) in table {
            assert_eq!(unit.symbol(Lang::Kk), local);
            assert_eq!(unit.symbol(Lang::Ru), local);
            assert_eq!(unit.symbol(Lang::En), en);
            assert_eq!(AreaUnit::parse(unit.code()), Some(unit));
            assert_eq!(AreaUnit::parse(unit.symbol(Lang::Kk)), Some(unit));
            assert_eq!(AreaUnit::parse(unit.symbol(Lang::En)), Some(unit));
            assert_eq!(unit.to_string(), unit.code());
        }
    }

    #[test]
    fn quantities() {
        let q = parse_quantity("72.40", AreaUnit::SquareMetre).expect("valid");
        assert_eq!(q, Quantity { value: dec("72.40"), unit: AreaUnit::SquareMetre });
        assert_eq!(q.format(Lang::Kk), "72,40\u{a0}м²");
        assert_eq!(q.format(Lang::Ru), "72,40\u{a0}м²");
        assert_eq!(q.format(Lang::En), "72,40\u{a0}m²");

        let q = parse_quantity("72,40 м²", AreaUnit::Metre).expect("valid");
        assert_eq!(q, Quantity { value: dec("72.40"), unit: AreaUnit::SquareMetre });

        let q = parse_quantity("0.15 ha", AreaUnit::SquareMetre).expect("valid");
        assert_eq!(q.unit, AreaUnit::Hectare);
        assert_eq!(q.format(Lang::Ru), "0,15\u{a0}га");

        let q = parse_quantity(" 72.4m2 ", AreaUnit::Hectare).expect("valid");
        assert_eq!(q.unit, AreaUnit::SquareMetre);
        assert_eq!(q.format(Lang::Kk), "72,40\u{a0}м²");

        let q = parse_quantity("12345 м3", AreaUnit::SquareMetre).expect("valid");
        assert_eq!(q.format(Lang::Kk), "12\u{a0}345,00\u{a0}м³");

        // The printed form is read back.
        let q = parse_quantity("72,40\u{a0}м²", AreaUnit::Metre).expect("valid");
        assert_eq!(q.unit, AreaUnit::SquareMetre);

        let q = parse_quantity("-3 м", AreaUnit::SquareMetre).expect("valid");
        assert_eq!(q.format(Lang::Ru), "-3,00\u{a0}м");
    }

    #[test]
    fn quantity_errors() {
        let e = |s: &str| parse_quantity(s, AreaUnit::SquareMetre).map_err(|e| e.to_string());
        assert_eq!(
            e("72.40 km"),
            Err("unknown unit \"km\" in \"72.40 km\" (expected m2, m3, m or ha)".to_owned())
        );
        assert_eq!(
            e("72.40 m 2"),
            Err("unknown unit \"m 2\" in \"72.40 m 2\" (expected m2, m3, m or ha)".to_owned())
        );
        assert_eq!(
            e("5 km2"),
            Err("unknown unit \"km2\" in \"5 km2\" (expected m2, m3, m or ha)".to_owned())
        );
        for s in ["", "м²", "abc м²", "72.4.5 м²", "1e3 m2", "1 000 м²", "72. м²", "-", "7-2 м²"]
        {
            assert_eq!(
                e(s),
                Err(format!("\"{s}\" is not a quantity (expected a number and a unit, like 72.40 m2)")),
                "{s:?}"
            );
        }
    }
}
