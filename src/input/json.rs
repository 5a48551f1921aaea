//! The JSON syntax check, done with serde_json so that syntax errors read like JSON errors.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::MAX_DEPTH;

/// The custom error the depth check raises; recognized and replaced by the nesting message.
const TOO_DEEP: &str = "\u{0}nesting too deep";

/// A JSON syntax problem: what, and where (1-based line and column in characters).
pub(super) struct JsonProblem {
    /// Whether the problem is nesting deeper than [`MAX_DEPTH`] (otherwise a syntax error).
    pub(super) too_deep: bool,
    /// serde_json's message without its position suffix.
    pub(super) message: String,
    /// 1-based line and character column, when known.
    pub(super) line_column: Option<(u32, u32)>,
}

/// Checks that `text` is one JSON value nested at most [`MAX_DEPTH`] levels deep.
pub(super) fn check(text: &str) -> Result<(), JsonProblem> {
    let mut de = serde_json::Deserializer::from_str(text);
    let result = DepthCheck { depth: 0 }.deserialize(&mut de).and_then(|()| de.end());
    result.map_err(|err| {
        let suffix = format!(" at line {} column {}", err.line(), err.column());
        let full = err.to_string();
        let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
        let too_deep = message == TOO_DEEP;
        let line_column = if too_deep {
            // serde_json's position depends on what follows; find the opener itself.
            too_deep_position(text)
        } else {
            (err.line() > 0).then(|| char_position(text, err.line(), err.column()))
        };
        JsonProblem { too_deep, message, line_column }
    })
}

/// Converts serde_json's line and byte column (1-based column of the next byte to read, or of
/// the last byte at the end of the input; 0 for an empty line) to a 1-based line and character
/// column.
fn char_position(text: &str, line: usize, byte_column: usize) -> (u32, u32) {
    let line_text = text.split('\n').nth(line.saturating_sub(1)).unwrap_or("");
    let mut end = byte_column.saturating_sub(1).min(line_text.len());
    while !line_text.is_char_boundary(end) {
        end -= 1;
    }
    let column = line_text[..end].chars().count() + 1;
    (u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(column).unwrap_or(u32::MAX))
}

/// The line and character column of the first `[` or `{` nested deeper than [`MAX_DEPTH`], in
/// text that serde_json has read up to there (so strings there are well formed).
fn too_deep_position(text: &str) -> Option<(u32, u32)> {
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        column += 1;
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some((
                        u32::try_from(line).unwrap_or(u32::MAX),
                        u32::try_from(column).unwrap_or(u32::MAX),
                    ));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            '\n' => {
                line += 1;
                column = 0;
            }
            _ => {}
        }
    }
    None
}

/// Reads any JSON value, failing when lists and objects nest deeper than [`MAX_DEPTH`].
#[derive(Clone, Copy)]
struct DepthCheck {
    depth: usize,
}

impl DepthCheck {
    fn enter<E: serde::de::Error>(self) -> Result<Self, E> {
        if self.depth >= MAX_DEPTH { Err(E::custom(TOO_DEEP)) } else { Ok(Self { depth: self.depth + 1 }) }
    }
}

impl<'de> DeserializeSeed<'de> for DepthCheck {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DepthCheck {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let inner = self.enter()?;
        while seq.next_element_seed(inner)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let inner = self.enter()?;
        while map.next_key::<IgnoredAny>()?.is_some() {
            map.next_value_seed(inner)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_columns_become_character_columns() {
        // `é` is two bytes; serde_json reports the `x` on line 2 at byte column 9.
        assert_eq!(char_position("{\n\"é\": 1 x", 2, 9), (2, 8));
        assert_eq!(char_position("[\n", 2, 0), (2, 1));
        assert_eq!(char_position("", 7, 99), (7, 1));
    }

    #[test]
    fn depth_is_limited() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(check(&ok).is_ok());
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let problem = check(&deep).expect_err("too deep");
        assert!(problem.too_deep);
        assert_eq!(problem.line_column, Some((1, 65)));
        let deep = format!("[\"[{{\\\"\",\n  {}", "{\"a\": [".repeat(40));
        let problem = check(&deep).expect_err("too deep");
        assert!(problem.too_deep);
        assert_eq!(problem.line_column, Some((2, 3 + 7 * 31 + 6)));
    }
}
