//! Tamper evidence: every entry stores SHA-256(previous hash ‖ canonical content), so
//! changing, removing or reordering an entry breaks the chain from that entry on, and
//! [`verify`] names the first entry that does not match.
//!
//! The canonical content is the entry's fields ([`Entry::content`]) as JSON with the keys
//! of every object sorted and no spaces. The first entry's previous hash is the register's
//! genesis hash, which covers the start numbers chosen at `init`, so they cannot be changed
//! unnoticed either.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use serde_json::Value as Json;
use sha2::{Digest, Sha256};

use super::model::{Body, Entry, Kind, RegNumber, Relation};

pub use crate::qr::canonical;

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

/// The check of a journal entry by entry: each entry pushed is checked against those before
/// it, so that a register read once can be extended by the entries appended since without
/// reading it again.
#[derive(Debug, Clone)]
pub struct Checker {
    starts: BTreeMap<Body, i64>,
    prev: String,
    count: usize,
    next: HashMap<Body, i64>,
    seen: HashSet<RegNumber>,
    sequences: BTreeMap<Body, (i64, i64)>,
}

impl Checker {
    /// A check from the register's start (its genesis hash).
    pub fn new(starts: &BTreeMap<Body, i64>) -> Checker {
        Checker {
            starts: starts.clone(),
            prev: genesis_hash(starts),
            count: 0,
            next: HashMap::new(),
            seen: HashSet::new(),
            sequences: BTreeMap::new(),
        }
    }

    /// The hash of the last entry checked (the genesis hash before the first).
    pub fn head(&self) -> &str {
        &self.prev
    }

    /// How many entries were checked.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The number the next registration of `body` gets.
    pub fn next_number(&self, body: Body) -> i64 {
        self.next.get(&body).copied().unwrap_or_else(|| start_of(&self.starts, body))
    }

    /// Checks the entry that follows those checked so far: its place, its link to the hash
    /// before it, its own hash, its number and its references.
    pub fn push(&mut self, entry: &Entry) -> Result<(), Problem> {
        let expected = self.count as i64 + 1;
        let problem = |message: String| Problem { seq: entry.seq, number: entry.reg_number(), message };
        if entry.seq != expected {
            return Err(Problem {
                seq: expected,
                number: None,
                message: format!("is missing (the entries go from {} to {})", expected - 1, entry.seq),
            });
        }
        if entry.prev_hash != self.prev {
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
                let want = self.next_number(body);
                if number != want {
                    return Err(problem(format!(
                        "its number {} is not the next in the sequence of {body} ({})",
                        RegNumber { body, number },
                        RegNumber { body, number: want }
                    )));
                }
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
            if !self.seen.contains(&r.target) {
                return Err(problem(format!(
                    "refers to № {}, which is not an earlier registration",
                    r.target
                )));
            }
            if r.relation == Relation::CancelsByCourt && entry.data.kind != Kind::CourtCancellation {
                return Err(problem("a registration cannot cancel another by a court decision".into()));
            }
        }
        if let Some(n) = entry.reg_number() {
            self.next.insert(n.body, n.number + 1);
            self.sequences.entry(n.body).and_modify(|s| s.1 = n.number).or_insert((n.number, n.number));
            self.seen.insert(n);
        }
        self.count += 1;
        self.prev = entry.hash.clone();
        Ok(())
    }

    /// What the check found so far.
    pub fn report(&self) -> Report {
        Report {
            entries: self.count,
            sequences: self.sequences.iter().map(|(b, (first, last))| (*b, *first, *last)).collect(),
            head: self.prev.clone(),
        }
    }
}

/// Checks the whole journal: the entries come 1, 2, 3, … without a gap; each links to the
/// hash of the one before; each hash matches its content; each body's numbers go up by one
/// from its start; and every reference names an earlier registration.
pub fn verify(entries: &[Entry], starts: &BTreeMap<Body, i64>) -> Result<Report, Problem> {
    let mut checker = Checker::new(starts);
    for entry in entries {
        checker.push(entry)?;
    }
    Ok(checker.report())
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
