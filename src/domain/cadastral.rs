//! Cadastral numbers (кадастровый нөмір, кадастровый номер) of land plots, buildings and
//! premises.
//!
//! A land plot has four groups of digits, `OO:RRR:KKK:NNN`: the oblast or city code (2
//! digits), the district code (3), the cadastral quarter (3) and the plot number in the
//! quarter (3, sometimes 4). A building on the plot adds a fifth group (`09:145:029:019:1`),
//! and premises in it a sixth; these extra groups have 1–4 digits.
//!
//! Input may separate the groups with `:`, `-` or spaces; the number is always printed with
//! `:`.

use std::fmt;
use std::str::FromStr;

use crate::messages::Message;

/// Why a string is not a cadastral number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CadastralError {
    /// The input as given.
    pub got: String,
}

impl CadastralError {
    /// The error as catalog data (`templates/messages/*.ftl`).
    pub fn message(&self) -> Message {
        Message::new("cadastral-not-number").arg("value", &self.got)
    }
}

crate::messages::english_display!(CadastralError);

/// A cadastral number, kept as its groups of digits (leading zeros kept).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CadastralNumber {
    groups: Vec<String>,
}

/// The number of digits allowed in each of the four groups of a land plot.
const LAND_PLOT_GROUPS: [(usize, usize); 4] = [(2, 2), (3, 3), (3, 3), (3, 4)];

/// The number of digits allowed in each group after the fourth.
const EXTRA_GROUP: (usize, usize) = (1, 4);

impl CadastralNumber {
    /// Parses a cadastral number.
    ///
    /// Surrounding whitespace is trimmed. Groups of ASCII digits are separated by `:`, `-`
    /// or whitespace, mixed freely; whitespace may also surround a `:` or `-` (`09 : 145`),
    /// but two `:` or `-` in a row are an error. Four groups (2, 3, 3 and 3–4 digits) make a
    /// land plot; five or six groups (the same four, then 1–4 digits each) a building or
    /// premises.
    pub fn parse(s: &str) -> Result<CadastralNumber, CadastralError> {
        let err = || CadastralError { got: s.to_owned() };
        let mut groups: Vec<String> = Vec::new();
        let mut current = String::new();
        // Number of `:` or `-` seen since the last group ended.
        let mut punct = 0usize;
        for c in s.trim().chars() {
            if c.is_ascii_digit() {
                current.push(c);
            } else if c == ':' || c == '-' || c.is_whitespace() {
                if !current.is_empty() {
                    groups.push(std::mem::take(&mut current));
                    punct = 0;
                } else if groups.is_empty() {
                    // A separator before the first group.
                    return Err(err());
                }
                if !c.is_whitespace() {
                    punct += 1;
                    if punct > 1 {
                        return Err(err());
                    }
                }
            } else {
                return Err(err());
            }
        }
        if current.is_empty() {
            // Empty input or a trailing separator.
            return Err(err());
        }
        groups.push(current);

        if !(4..=6).contains(&groups.len()) {
            return Err(err());
        }
        for (i, group) in groups.iter().enumerate() {
            let (min, max) = LAND_PLOT_GROUPS.get(i).copied().unwrap_or(EXTRA_GROUP);
            if !(min..=max).contains(&group.len()) {
                return Err(err());
            }
        }
        Ok(CadastralNumber { groups })
    }

    /// The groups of digits, in order (4 to 6 of them).
    pub fn groups(&self) -> &[String] {
        &self.groups
    }

    /// Whether this is the number of a land plot (four groups) rather than of a building or
    /// premises (five or six).
    pub fn is_land_plot(&self) -> bool {
        self.groups.len() == 4
    }

    /// The number of the land plot: the first four groups (the number itself for a plot).
    pub fn land_plot(&self) -> CadastralNumber {
        CadastralNumber { groups: self.groups.iter().take(4).cloned().collect() }
    }
}

impl FromStr for CadastralNumber {
    type Err = CadastralError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CadastralNumber::parse(s)
    }
}

impl fmt::Display for CadastralNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.groups.join(":"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> String {
        match CadastralNumber::parse(s) {
            Ok(n) => n.to_string(),
            Err(e) => panic!("{s:?}: {e}"),
        }
    }

    fn bad(s: &str) {
        match CadastralNumber::parse(s) {
            Ok(n) => panic!("{s:?} parsed as {n}"),
            Err(e) => assert_eq!(
                e.to_string(),
                format!("\"{s}\" is not a cadastral number (expected groups of digits like 09:145:029:019)")
            ),
        }
    }

    #[test]
    fn land_plot() {
        let n = CadastralNumber::parse("09:145:029:019").expect("valid");
        assert_eq!(n.groups(), ["09", "145", "029", "019"]);
        assert!(n.is_land_plot());
        assert_eq!(n.to_string(), "09:145:029:019");
        assert_eq!(n.land_plot(), n);
        assert_eq!(ok("09:145:029:0190"), "09:145:029:0190");
    }

    #[test]
    fn building_and_premises() {
        let n = CadastralNumber::parse("09:145:029:019:1").expect("valid");
        assert!(!n.is_land_plot());
        assert_eq!(n.groups().len(), 5);
        assert_eq!(n.land_plot().to_string(), "09:145:029:019");
        assert_eq!(ok("09:145:029:019:1:25"), "09:145:029:019:1:25");
        assert_eq!(ok("09:145:029:0190:1234:0001"), "09:145:029:0190:1234:0001");
    }

    #[test]
    fn separators() {
        assert_eq!(ok("10-111-222-333"), "10:111:222:333");
        assert_eq!(ok("01-001-001-005"), "01:001:001:005");
        assert_eq!(ok("09 145 029 019"), "09:145:029:019");
        assert_eq!(ok("09:145-029 019:1"), "09:145:029:019:1");
        assert_eq!(ok("  09:145:029:019 \n"), "09:145:029:019");
        assert_eq!(ok("09 : 145 - 029  019"), "09:145:029:019");
        assert_eq!(ok("09\t145\u{a0}029:019"), "09:145:029:019");
    }

    #[test]
    fn errors() {
        for s in [
            "",
            "   ",
            "09:145:029",
            "09:145:029:019:1:2:3",
            "9:145:029:019",
            "009:145:029:019",
            "09:14:029:019",
            "09:145:29:019",
            "09:145:029:19",
            "09:145:029:01900",
            "09:145:029:019:12345",
            "09:145:029:019:",
            ":09:145:029:019",
            "09::145:029:019",
            "09:-145:029:019",
            "09 :: 145:029:019",
            "09/145/029/019",
            "09.145.029.019",
            "09145029019",
            "09:145:029:01a",
            "09:145:029:019 x",
            "０９:145:029:019",
            "09_145_029_019",
        ] {
            bad(s);
        }
    }

    #[test]
    fn from_str() {
        let n: CadastralNumber = "09-145-029-019".parse().expect("valid");
        assert_eq!(n.to_string(), "09:145:029:019");
        assert!("x".parse::<CadastralNumber>().is_err());
    }
}
