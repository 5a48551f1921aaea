//! Tamper evidence: every entry stores SHA-256(previous hash ‖ canonical content), so
//! changing, removing or reordering an entry breaks the chain from that entry on, and
//! [`verify`] names the first entry that does not match.
//!
//! The canonical content is the entry's fields ([`Entry::content`]) as JSON with the keys
//! of every object sorted and no spaces. The first entry's previous hash is the register's
//! genesis hash, which covers the start numbers chosen at `init`, so they cannot be changed
//! unnoticed either.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde_json::Value as Json;
use sha2::{Digest, Sha256};

use super::model::{Body, Entry, Kind, RegNumber, Relation};

/// JSON with sorted keys and no whitespace: the same value always gives the same bytes.
pub fn canonical(value: &Json) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Json, out: &mut String) {
    match value {
        Json::Object(map) => {
            let sorted: BTreeMap<&String, &Json> = map.iter().collect();
            out.push('{');
            for (i, (key, v)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Json::String(key.clone()).to_string());
                out.push(':');
                write_canonical(v, out);
            }
            out.push('}');
        }
        Json::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| text.get(i..i + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok()))
        .collect()
}

/// SHA-256 over the previous hash (its 32 bytes) and the canonical content, as hex. A
/// previous hash that is not hex is hashed as its text, so that a damaged link still gives
/// a (wrong) hash rather than an error.
pub fn entry_hash(prev_hash: &str, content: &Json) -> String {
    let mut h = Sha256::new();
    match unhex(prev_hash) {
        Some(bytes) => h.update(&bytes),
        None => h.update(prev_hash.as_bytes()),
    }
    h.update(canonical(content).as_bytes());
    hex(&h.finalize())
}

/// The hash that the first entry links to: it covers the start numbers of the sequences.
pub fn genesis_hash(starts: &BTreeMap<Body, i64>) -> String {
    let starts: serde_json::Map<String, Json> =
        starts.iter().map(|(body, n)| (body.code(), Json::from(*n))).collect();
    let content = serde_json::json!({"register": "anyqtama register of state registration (order 246, appendix 2)", "starts": starts});
    let mut h = Sha256::new();
    h.update(canonical(&content).as_bytes());
    hex(&h.finalize())
}

/// The number a body's sequence starts with: as set at `init`, else 1.
pub fn start_of(starts: &BTreeMap<Body, i64>, body: Body) -> i64 {
    starts.get(&body).copied().unwrap_or(1)
}

/// The result of a successful check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// How many entries.
    pub entries: usize,
    /// Registrations per body: (body, first number, last number).
    pub sequences: Vec<(Body, i64, i64)>,
    /// The hash of the last entry (the genesis hash of an empty register): write it down, and
    /// a later `verify` that prints the same shows that nothing was appended or removed.
    pub head: String,
}

/// The first entry that does not match, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Its place in the chain.
    pub seq: i64,
    /// Its registration number, when it has one.
    pub number: Option<RegNumber>,
    /// What is wrong, lower case.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "entry {}", self.seq)?;
        if let Some(n) = self.number {
            write!(f, " (№ {n})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Checks the whole journal: the entries come 1, 2, 3, … without a gap; each links to the
/// hash of the one before; each hash matches its content; each body's numbers go up by one
/// from its start; and every reference names an earlier registration.
pub fn verify(entries: &[Entry], starts: &BTreeMap<Body, i64>) -> Result<Report, Problem> {
    let genesis = genesis_hash(starts);
    let mut prev = genesis.clone();
    let mut next: HashMap<Body, i64> = HashMap::new();
    let mut seen: HashMap<RegNumber, Kind> = HashMap::new();
    let mut sequences: BTreeMap<Body, (i64, i64)> = BTreeMap::new();
    for (i, entry) in entries.iter().enumerate() {
        let expected = i as i64 + 1;
        let problem = |message: String| Problem { seq: entry.seq, number: entry.reg_number(), message };
        if entry.seq != expected {
            return Err(Problem {
                seq: expected,
                number: None,
                message: format!("is missing (the entries go from {} to {})", expected - 1, entry.seq),
            });
        }
        if entry.prev_hash != prev {
            return Err(problem(
                "does not link to the entry before it (an entry was removed, inserted or changed)".into(),
            ));
        }
        if entry_hash(&entry.prev_hash, &entry.content()) != entry.hash {
            return Err(problem(
                "its content does not match its hash (it was changed after it was written)".into(),
            ));
        }
        match (entry.data.kind, entry.number) {
            (Kind::Registration, Some(number)) => {
                let body = entry.data.body;
                let want = *next.entry(body).or_insert_with(|| start_of(starts, body));
                if number != want {
                    return Err(problem(format!(
                        "its number {} is not the next in the sequence of {body} ({})",
                        RegNumber { body, number },
                        RegNumber { body, number: want }
                    )));
                }
                next.insert(body, number + 1);
                sequences.entry(body).and_modify(|s| s.1 = number).or_insert((number, number));
                seen.insert(RegNumber { body, number }, Kind::Registration);
            }
            (Kind::Registration, None) => return Err(problem("a registration without a number".into())),
            (Kind::CourtCancellation, Some(_)) => {
                return Err(problem("a court cancellation with a registration number".into()));
            }
            (Kind::CourtCancellation, None) => {
                if entry.data.court.is_none() {
                    return Err(problem("a court cancellation without the court decision".into()));
                }
            }
        }
        for r in &entry.data.references {
            if !seen.contains_key(&r.target) || Some(r.target) == entry.reg_number() {
                return Err(problem(format!(
                    "refers to № {}, which is not an earlier registration",
                    r.target
                )));
            }
            if r.relation == Relation::CancelsByCourt && entry.data.kind != Kind::CourtCancellation {
                return Err(problem("a registration cannot cancel another by a court decision".into()));
            }
        }
        prev = entry.hash.clone();
    }
    Ok(Report {
        entries: entries.len(),
        sequences: sequences.into_iter().map(|(b, (first, last))| (b, first, last)).collect(),
        head: prev,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_sorts_keys_at_every_level() {
        let v = json!({"b": 1, "a": {"d": [true, null, "x\"y"], "c": "е"}});
        assert_eq!(canonical(&v), r#"{"a":{"c":"е","d":[true,null,"x\"y"]},"b":1}"#);
    }

    #[test]
    fn hashes_are_hex_sha256() {
        assert_eq!(hex(&[0, 15, 255]), "000fff");
        let h = entry_hash(&"00".repeat(32), &json!({}));
        assert_eq!(h.len(), 64);
        assert_ne!(h, entry_hash(&"00".repeat(32), &json!({"a": 1})));
        assert_ne!(h, entry_hash(&"11".repeat(32), &json!({})));
        let mut starts = BTreeMap::new();
        let empty = genesis_hash(&starts);
        starts.insert(Body::Ministry, 23501);
        assert_ne!(empty, genesis_hash(&starts));
    }
}
