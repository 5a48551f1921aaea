//! Pure domain knowledge: identification numbers, cadastral numbers, shares, exact numbers
//! with units, dates in Kazakh, Russian and English, and Latin look-alike letters in Cyrillic
//! text. Nothing here does input or output.

pub mod cadastral;
pub mod date;
pub mod ident;
pub mod lang;
pub mod number;
pub mod script;
pub mod share;

pub use lang::{Bilingual, Lang};
