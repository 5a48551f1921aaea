//! Individual and business identification numbers (IIN / ИИН / ЖСН and BIN / БИН / БСН).
//!
//! Both are 12 digits whose last digit is a check digit computed by the same algorithm
//! (see [`check_digit`]). The IIN starts with the birth date and a century-and-sex digit;
//! the BIN starts with the registration year and month and a type digit.

use std::fmt;

use crate::messages::Message;

/// Which kind of identification number is meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IdKind {
    /// Individual identification number (ИИН, ЖСН) of a person.
    Iin,
    /// Business identification number (БИН, БСН) of a legal entity or a joint
    /// entrepreneurship.
    Bin,
}

impl IdKind {
    /// The English abbreviation used in messages: `IIN` or `BIN`.
    pub fn abbreviation(self) -> &'static str {
        match self {
            IdKind::Iin => "IIN",
            IdKind::Bin => "BIN",
        }
    }
}

impl fmt::Display for IdKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.abbreviation())
    }
}

/// Why a string is not a valid IIN or BIN.
///
/// The messages are lower case without a final period, ready to follow a field name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum IdError {
    /// The input is not exactly 12 ASCII digits.
    NotTwelveDigits {
        /// The input as given.
        got: String,
    },
    /// The input is `000000000000`.
    AllZeros {
        /// The kind that was checked.
        kind: IdKind,
    },
    /// An IIN whose seventh digit (century and sex) is 7, 8 or 9.
    NotIinStructure {
        /// The input as given.
        got: String,
    },
    /// A BIN whose month digits (third and fourth) are not 01–12 or whose fifth digit
    /// (type of the entity) is not 4, 5 or 6.
    NotBinStructure {
        /// The input as given.
        got: String,
    },
    /// Both passes of the algorithm give 10: no number with these first 11 digits is
    /// ever issued.
    NoCheckDigit {
        /// The kind that was checked.
        kind: IdKind,
        /// The first 11 digits of the input.
        first11: String,
    },
    /// The last digit is not the check digit computed from the first 11.
    WrongCheckDigit {
        /// The last digit of the input.
        found: u8,
        /// The check digit computed from the first 11 digits.
        expected: u8,
    },
}

impl IdError {
    /// The error as catalog data (`templates/messages/*.ftl`).
    pub fn message(&self) -> Message {
        let kind = |kind: &IdKind| match kind {
            IdKind::Iin => "iin",
            IdKind::Bin => "bin",
        };
        match self {
            IdError::NotTwelveDigits { got } => Message::new("ident-not-12-digits").arg("value", got),
            IdError::AllZeros { kind: k } => Message::new("ident-all-zeros").arg("kind", kind(k)),
            IdError::NotIinStructure { got } => Message::new("ident-not-iin").arg("value", got),
            IdError::NotBinStructure { got } => Message::new("ident-not-bin").arg("value", got),
            IdError::NoCheckDigit { kind: k, first11 } => {
                Message::new("ident-no-check-digit").arg("kind", kind(k)).arg("digits", first11)
            }
            IdError::WrongCheckDigit { found, expected } => {
                Message::new("ident-check-digit").num("found", *found).num("expected", *expected)
            }
        }
    }
}

crate::messages::english_display!(IdError);

/// Computes the check digit (the 12th digit) from the first 11 digits, each `0..=9`.
///
/// First pass: weights 1..=11, sum mod 11. If that gives 10, second pass: weights
/// 3, 4, …, 11, 1, 2, sum mod 11. Returns `None` when the second pass gives 10 as well: no
/// valid number exists with these first 11 digits.
pub fn check_digit(first11: [u8; 11]) -> Option<u8> {
    let pass = |weights: [u32; 11]| -> u32 {
        first11.iter().zip(weights).map(|(&d, w)| u32::from(d) * w).sum::<u32>() % 11
    };
    let mut c = pass([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    if c == 10 {
        c = pass([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
    }
    // c < 11, so it fits a u8; 10 means no valid number.
    if c == 10 { None } else { u8::try_from(c).ok() }
}

/// Checks that `s` is a valid IIN or BIN.
///
/// `s` must be exactly 12 ASCII digits; it is not trimmed. The checks run in this order:
/// 12 digits, not all zeros, the structure of the kind, then the check digit.
///
/// Structure of an IIN: the seventh digit (century and sex: 1–6) must be 0–6; 0 is accepted
/// because IINs of foreigners and some special cases do not follow the rule. The birth date
/// in the first six digits is deliberately not checked, since such IINs do not always encode
/// a real date.
///
/// Structure of a BIN: the month digits (third and fourth) must be 01–12 and the fifth digit
/// 4 (resident legal entity), 5 (non-resident legal entity) or 6 (individual entrepreneur in
/// joint entrepreneurship).
pub fn check(kind: IdKind, s: &str) -> Result<(), IdError> {
    let bytes = s.as_bytes();
    if bytes.len() != 12 || !bytes.iter().all(u8::is_ascii_digit) {
        return Err(IdError::NotTwelveDigits { got: s.to_owned() });
    }
    let mut digits = [0u8; 12];
    for (d, b) in digits.iter_mut().zip(bytes) {
        *d = b - b'0';
    }
    if digits.iter().all(|&d| d == 0) {
        return Err(IdError::AllZeros { kind });
    }
    match kind {
        IdKind::Iin => {
            if digits[6] > 6 {
                return Err(IdError::NotIinStructure { got: s.to_owned() });
            }
        }
        IdKind::Bin => {
            let month = digits[2] * 10 + digits[3];
            if !(1..=12).contains(&month) || !(4..=6).contains(&digits[4]) {
                return Err(IdError::NotBinStructure { got: s.to_owned() });
            }
        }
    }
    let mut first11 = [0u8; 11];
    first11.copy_from_slice(&digits[..11]);
    let Some(expected) = check_digit(first11) else {
        return Err(IdError::NoCheckDigit { kind, first11: s[..11].to_owned() });
    };
    let found = digits[11];
    if found != expected {
        return Err(IdError::WrongCheckDigit { found, expected });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits11(s: &str) -> [u8; 11] {
        let mut out = [0u8; 11];
        for (o, b) in out.iter_mut().zip(s.bytes()) {
            *o = b - b'0';
        }
        out
    }

    fn msg(kind: IdKind, s: &str) -> String {
        match check(kind, s) {
            Ok(()) => "ok".to_owned(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn domain_facts_vectors() {
        assert_eq!(check(IdKind::Iin, "991231300003"), Ok(()));
        assert_eq!(check_digit(digits11("99123130000")), Some(3));
        assert_eq!(
            check(IdKind::Iin, "991231300004"),
            Err(IdError::WrongCheckDigit { found: 4, expected: 3 })
        );
        assert_eq!(msg(IdKind::Iin, "991231300004"), "check digit is 4, expected 3");
        assert_eq!(check(IdKind::Iin, "760625301668"), Ok(()));
        assert_eq!(check(IdKind::Iin, "900319350069"), Ok(()));
        assert_eq!(check(IdKind::Bin, "100440000133"), Ok(()));
    }

    #[test]
    fn second_pass() {
        let first11 = digits11("85070130080");
        let first_pass: u32 = first11.iter().zip(1..=11u32).map(|(&d, w)| u32::from(d) * w).sum::<u32>() % 11;
        assert_eq!(first_pass, 10);
        assert_eq!(check_digit(first11), Some(8));
        assert_eq!(check(IdKind::Iin, "850701300808"), Ok(()));
        assert_eq!(msg(IdKind::Iin, "850701300807"), "check digit is 7, expected 8");
    }

    #[test]
    fn both_passes_ten() {
        assert_eq!(check_digit(digits11("85070130081")), None);
        for last in 0..=9 {
            let s = format!("85070130081{last}");
            assert_eq!(msg(IdKind::Iin, &s), "no valid IIN has the first 11 digits 85070130081");
        }
    }

    #[test]
    fn no_check_digit_names_bin() {
        // Find a BIN-shaped prefix for which both passes give 10 and check the wording.
        let prefix = (0..100_000u32)
            .map(|n| format!("100440{n:05}"))
            .find(|p| check_digit(digits11(p)).is_none())
            .expect("some prefix has no check digit");
        assert_eq!(
            msg(IdKind::Bin, &format!("{prefix}0")),
            format!("no valid BIN has the first 11 digits {prefix}")
        );
    }

    #[test]
    fn not_twelve_digits() {
        for s in ["", "99123130000", "9912313000030", " 991231300003", "99123130000a", "99123130000٣"] {
            assert_eq!(msg(IdKind::Iin, s), format!("must be 12 digits (got \"{s}\")"));
            assert_eq!(msg(IdKind::Bin, s), format!("must be 12 digits (got \"{s}\")"));
        }
        // Full-width digits are not ASCII digits.
        assert!(matches!(
            check(IdKind::Iin, "９９１２３１３００００３"),
            Err(IdError::NotTwelveDigits { .. })
        ));
    }

    #[test]
    fn all_zeros() {
        assert_eq!(msg(IdKind::Iin, "000000000000"), "000000000000 is not a valid IIN");
        assert_eq!(msg(IdKind::Bin, "000000000000"), "000000000000 is not a valid BIN");
    }

    #[test]
    fn iin_structure() {
        for seventh in 7..=9 {
            let s = format!("991231{seventh}00003");
            assert_eq!(msg(IdKind::Iin, &s), format!("{s} is not an IIN: the seventh digit must be 0–6"));
        }
        // Structure is checked before the check digit.
        assert!(matches!(check(IdKind::Iin, "991231900009"), Err(IdError::NotIinStructure { .. })));
        // Seventh digit 0 (foreigners) is accepted when the check digit is right.
        let first11 = "99123100000";
        let d = check_digit(digits11(first11)).expect("has a check digit");
        assert_eq!(check(IdKind::Iin, &format!("{first11}{d}")), Ok(()));
        // The birth date is not checked: month 13, day 45.
        let first11 = "99134530000";
        let d = check_digit(digits11(first11)).expect("has a check digit");
        assert_eq!(check(IdKind::Iin, &format!("{first11}{d}")), Ok(()));
    }

    #[test]
    fn bin_structure() {
        let text = "is not a BIN: the month digits must be 01–12 and the fifth digit 4, 5 or 6";
        for s in
            ["100040000133", "101340000133", "109940000133", "100430000133", "100470000133", "100400000133"]
        {
            assert_eq!(msg(IdKind::Bin, s), format!("{s} {text}"));
        }
        // A valid IIN is usually not a valid BIN.
        assert!(matches!(check(IdKind::Bin, "991231300003"), Err(IdError::NotBinStructure { .. })));
        // Type digits 4, 5 and 6 and months 01 and 12 are accepted.
        for head in ["10014", "10125", "10066"] {
            let prefix = (0..100u32)
                .map(|n| format!("{head}0{n:05}"))
                .find(|p| check_digit(digits11(p)).is_some())
                .expect("some serial has a check digit");
            let d = check_digit(digits11(&prefix)).expect("found above");
            assert_eq!(check(IdKind::Bin, &format!("{prefix}{d}")), Ok(()), "{prefix}{d}");
        }
        // Structure before the check digit.
        assert!(matches!(check(IdKind::Bin, "100470000134"), Err(IdError::NotBinStructure { .. })));
        // A BIN with a wrong check digit.
        assert_eq!(msg(IdKind::Bin, "100440000134"), "check digit is 4, expected 3");
    }

    #[test]
    fn kind_display() {
        assert_eq!(IdKind::Iin.to_string(), "IIN");
        assert_eq!(IdKind::Bin.to_string(), "BIN");
    }

    #[test]
    fn exactly_one_check_digit_per_prefix() {
        // For a sample of prefixes, exactly one last digit is valid (or none).
        for n in (0..2_000_000u64).step_by(7919) {
            let prefix = format!("{:06}3{:04}", 900101 + n % 100, n % 10_000);
            let valid: Vec<u8> =
                (0..=9u8).filter(|d| check(IdKind::Iin, &format!("{prefix}{d}")).is_ok()).collect();
            assert!(valid.len() <= 1, "{prefix}: {valid:?}");
            assert_eq!(valid.first().copied(), check_digit(digits11(&prefix)));
        }
    }
}
