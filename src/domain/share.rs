//! Shares in common ownership (үлес, доля), such as `1/2`, and their exact sum.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::messages::Message;

/// Why a string is not a share, or why shares cannot be added up.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ShareError {
    /// The input is not a fraction of two whole numbers nor a single whole number.
    NotAShare {
        /// The input as given.
        got: String,
    },
    /// The denominator is 0.
    ZeroDenominator,
    /// The numerator is 0.
    Zero,
    /// The numerator is larger than the denominator.
    MoreThanWhole {
        /// The share, printed as `num/den` (or the whole number given).
        share: String,
    },
    /// The exact sum does not fit 128-bit numbers (only with absurd denominators).
    SumTooLarge,
}

impl ShareError {
    /// The error as catalog data (`templates/messages/*.ftl`).
    pub fn message(&self) -> Message {
        match self {
            ShareError::NotAShare { got } => Message::new("share-not-share").arg("value", got),
            ShareError::ZeroDenominator => Message::new("share-zero-denominator"),
            ShareError::Zero => Message::new("share-zero"),
            ShareError::MoreThanWhole { share } => Message::new("share-more-than-whole").arg("value", share),
            ShareError::SumTooLarge => Message::new("share-sum-too-large"),
        }
    }
}

crate::messages::english_display!(ShareError);

/// A share of a whole: a fraction from `1/den` up to `1`, kept as written (not reduced), so
/// that `2/4` prints as `2/4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Share {
    num: u64,
    den: u64,
}

impl Share {
    /// A share `num/den`; it must satisfy `0 < num <= den`.
    pub fn new(num: u64, den: u64) -> Result<Share, ShareError> {
        if den == 0 {
            return Err(ShareError::ZeroDenominator);
        }
        if num == 0 {
            return Err(ShareError::Zero);
        }
        let share = Share { num, den };
        if num > den {
            return Err(ShareError::MoreThanWhole { share: share.to_string() });
        }
        Ok(share)
    }

    /// Parses a share: `1/2`, ` 1 / 3 ` (whitespace around the numbers is ignored), or a whole
    /// number (`1`, which means the whole, `1/1`). Numbers are ASCII digits without a sign.
    ///
    /// Errors, checked in this order: not a fraction ([`ShareError::NotAShare`]), zero
    /// denominator, zero numerator, more than a whole (`3/2 is more than a whole share`).
    pub fn parse(s: &str) -> Result<Share, ShareError> {
        let not_a_share = || ShareError::NotAShare { got: s.to_owned() };
        let number = |part: &str| -> Option<u64> {
            let part = part.trim();
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        match s.split_once('/') {
            Some((n, d)) => {
                let num = number(n).ok_or_else(not_a_share)?;
                let den = number(d).ok_or_else(not_a_share)?;
                Share::new(num, den)
            }
            None => {
                let num = number(s).ok_or_else(not_a_share)?;
                Share::new(num, 1)
            }
        }
    }

    /// The numerator, as written.
    pub fn num(self) -> u64 {
        self.num
    }

    /// The denominator, as written (1 for a whole share given as `1`).
    pub fn den(self) -> u64 {
        self.den
    }

    /// Whether the share is the whole (`1`, `1/1`, `2/2`, …).
    pub fn is_whole(self) -> bool {
        self.num == self.den
    }
}

impl FromStr for Share {
    type Err = ShareError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Share::parse(s)
    }
}

impl fmt::Display for Share {
    /// Prints `num/den` as written, except that a denominator of 1 prints just the numerator
    /// (`1`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 { write!(f, "{}", self.num) } else { write!(f, "{}/{}", self.num, self.den) }
    }
}

/// An exact non-negative rational number, always reduced (the denominator is at least 1 and
/// shares no factor with the numerator).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ratio {
    num: u128,
    den: u128,
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Ratio {
    /// Zero.
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };
    /// One.
    pub const ONE: Ratio = Ratio { num: 1, den: 1 };

    /// The ratio `num/den`, reduced; `None` when `den` is 0.
    pub fn new(num: u128, den: u128) -> Option<Ratio> {
        if den == 0 {
            return None;
        }
        let g = gcd(num, den);
        // g >= 1 because den != 0.
        Some(Ratio { num: num / g, den: den / g })
    }

    /// The numerator (reduced).
    pub fn num(self) -> u128 {
        self.num
    }

    /// The denominator (reduced, at least 1).
    pub fn den(self) -> u128 {
        self.den
    }

    /// The exact sum, or `None` if it does not fit 128-bit numbers.
    pub fn checked_add(self, other: Ratio) -> Option<Ratio> {
        let g = gcd(self.den, other.den);
        let (a, b) = (self.den / g, other.den / g);
        let den = a.checked_mul(other.den)?;
        let num = self.num.checked_mul(b)?.checked_add(other.num.checked_mul(a)?)?;
        Ratio::new(num, den)
    }

    /// How the ratio compares with 1.
    pub fn cmp_one(self) -> Ordering {
        self.num.cmp(&self.den)
    }

    /// Whether the ratio is more than 1 (exactly 1 is not).
    pub fn is_more_than_one(self) -> bool {
        self.cmp_one() == Ordering::Greater
    }

    /// Whether the ratio is exactly 1.
    pub fn is_one(self) -> bool {
        self.cmp_one() == Ordering::Equal
    }
}

impl From<Share> for Ratio {
    fn from(share: Share) -> Ratio {
        // A share's denominator is never 0; fall back to 0 rather than panic.
        Ratio::new(u128::from(share.num), u128::from(share.den)).unwrap_or(Ratio::ZERO)
    }
}

impl fmt::Display for Ratio {
    /// Prints `7/6`, or just the numerator when the denominator is 1 (`1`, `0`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 { write!(f, "{}", self.num) } else { write!(f, "{}/{}", self.num, self.den) }
    }
}

/// The exact sum of the shares (0 for none).
///
/// Fails with [`ShareError::SumTooLarge`] only if the sum does not fit 128-bit numbers, which
/// takes several distinct denominators of more than ten digits each.
pub fn sum(shares: &[Share]) -> Result<Ratio, ShareError> {
    shares
        .iter()
        .try_fold(Ratio::ZERO, |acc, &s| acc.checked_add(Ratio::from(s)).ok_or(ShareError::SumTooLarge))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(s: &str) -> Share {
        Share::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    fn err(s: &str) -> String {
        match Share::parse(s) {
            Ok(sh) => panic!("{s:?} parsed as {sh}"),
            Err(e) => e.to_string(),
        }
    }

    fn total(list: &[&str]) -> Ratio {
        let shares: Vec<Share> = list.iter().map(|s| share(s)).collect();
        sum(&shares).expect("fits")
    }

    #[test]
    fn parse_forms() {
        assert_eq!(share("1/2"), Share { num: 1, den: 2 });
        assert_eq!(share(" 1 / 3 "), Share { num: 1, den: 3 });
        assert_eq!(share("1"), Share { num: 1, den: 1 });
        assert_eq!(share("2/4").to_string(), "2/4");
        assert_eq!(share("1/2").to_string(), "1/2");
        assert_eq!(share(" 1 / 3 ").to_string(), "1/3");
        assert_eq!(share("1").to_string(), "1");
        assert_eq!(share("1/1").to_string(), "1");
        assert_eq!(share("3/3").to_string(), "3/3");
        assert!(share("3/3").is_whole());
        assert!(!share("1/3").is_whole());
        assert_eq!(share("1/2").num(), 1);
        assert_eq!(share("1/2").den(), 2);
        assert_eq!("5/10".parse::<Share>(), Ok(Share { num: 5, den: 10 }));
    }

    #[test]
    fn parse_errors() {
        for s in
            ["", " ", "/", "1/", "/2", "a/b", "1/2/3", "0.5", "1,5", "-1/2", "+1/2", "1 2/3", "½", "1\\2"]
        {
            assert_eq!(err(s), format!("\"{s}\" is not a share (expected a fraction like 1/2)"));
        }
        // Too large for u64.
        assert!(matches!(Share::parse("1/99999999999999999999999"), Err(ShareError::NotAShare { .. })));
        assert_eq!(err("1/0"), "share has a zero denominator");
        assert_eq!(err("0/0"), "share has a zero denominator");
        assert_eq!(err("0/2"), "a share must be more than 0");
        assert_eq!(err("0"), "a share must be more than 0");
        assert_eq!(err("3/2"), "3/2 is more than a whole share");
        assert_eq!(err(" 3 / 2 "), "3/2 is more than a whole share");
        assert_eq!(err("2"), "2 is more than a whole share");
    }

    #[test]
    fn new_checks() {
        assert_eq!(Share::new(1, 0), Err(ShareError::ZeroDenominator));
        assert_eq!(Share::new(0, 1), Err(ShareError::Zero));
        assert_eq!(Share::new(5, 4), Err(ShareError::MoreThanWhole { share: "5/4".to_owned() }));
        assert_eq!(Share::new(u64::MAX, u64::MAX).map(Share::is_whole), Ok(true));
    }

    #[test]
    fn thirds_sum_to_exactly_one() {
        let t = total(&["1/3", "1/3", "1/3"]);
        assert!(t.is_one());
        assert!(!t.is_more_than_one());
        assert_eq!(t, Ratio::ONE);
        assert_eq!(t.to_string(), "1");
    }

    #[test]
    fn more_than_one() {
        let t = total(&["1/2", "1/3", "1/4"]);
        assert!(t.is_more_than_one());
        assert_eq!(t.to_string(), "13/12");
        let t = total(&["1/2", "2/3"]);
        assert_eq!(t.to_string(), "7/6");
        assert_eq!((t.num(), t.den()), (7, 6));
    }

    #[test]
    fn less_than_one_and_empty() {
        let t = total(&["1/4", "2/8"]);
        assert_eq!(t.to_string(), "1/2");
        assert_eq!(t.cmp_one(), Ordering::Less);
        assert_eq!(sum(&[]), Ok(Ratio::ZERO));
        assert_eq!(Ratio::ZERO.to_string(), "0");
        assert_eq!(total(&["1"]).to_string(), "1");
        assert_eq!(total(&["1", "1/100"]).to_string(), "101/100");
    }

    #[test]
    fn large_denominators() {
        // Realistic: many owners with various denominators.
        let list: Vec<String> = (1..=40).map(|d| format!("1/{d}")).collect();
        let refs: Vec<&str> = list.iter().map(String::as_str).collect();
        assert!(total(&refs).is_more_than_one());
        // Large but equal denominators stay small.
        let big = u64::MAX;
        let s = Share::new(big / 2, big).expect("valid");
        let t = sum(&[s, s]).expect("fits");
        assert_eq!(t.cmp_one(), Ordering::Less);
        let s2 = Share::new(big / 2 + 1, big).expect("valid");
        assert!(sum(&[s, s2]).expect("fits").is_one());
        // Distinct huge primes overflow cleanly instead of panicking.
        let primes = [18446744073709551557u64, 18446744073709551533, 18446744073709551521];
        let shares: Vec<Share> = primes.iter().map(|&p| Share::new(1, p).expect("valid")).collect();
        assert_eq!(sum(&shares), Err(ShareError::SumTooLarge));
        assert_eq!(
            ShareError::SumTooLarge.to_string(),
            "the shares cannot be added up exactly: their denominators are too large"
        );
    }

    #[test]
    fn ratio_new() {
        assert_eq!(Ratio::new(1, 0), None);
        assert_eq!(Ratio::new(6, 4), Some(Ratio { num: 3, den: 2 }));
        assert_eq!(Ratio::new(0, 5), Some(Ratio::ZERO));
        assert_eq!(Ratio::from(share("2/4")), Ratio { num: 1, den: 2 });
    }
}
