//! The narrow interface between the register's rules and the database that keeps it.
//!
//! A store does three things: it runs one append at a time in an exclusive transaction
//! ([`Store::append_with`]), reads entries back, and tells the start numbers. Everything else —
//! the next number, the hash chain, the checks of dates and references — is [`append`] and
//! [`super::chain`], written once for every store. The embedded store is
//! [`super::sqlite::SqliteStore`]; a server database can back a ministry-wide register by
//! implementing these two traits.

use std::collections::{BTreeMap, HashMap};

use chrono::{FixedOffset, NaiveDate, Utc};
use serde_json::Value as Json;

use crate::messages::Message;

use super::chain;
use super::model::{Body, Entry, Kind, MAX_NUMBER, NewEntry, Reference, RegNumber, Relation};

/// What can go wrong with a register. The text is made from the message catalogs
/// ([`RegisterError::message`]; English with `Display`).
#[derive(Debug)]
pub enum RegisterError {
    /// No database at the path.
    Missing,
    /// `init` on a path that exists.
    Exists,
    /// The file is not a register of this tool.
    NotARegister(String),
    /// A register written by a newer version.
    Newer {
        /// The file's format.
        found: i64,
        /// The newest this build reads.
        supported: i64,
    },
    /// A register whose schema is older than this build's.
    Older {
        /// The database's version.
        found: i64,
        /// The version this build writes.
        latest: i64,
    },
    /// A `postgres://` database name that cannot be read (never repeated: it may hold a
    /// password).
    BadUrl,
    /// A reference to a number the register does not have.
    UnknownNumber(RegNumber),
    /// A second court cancellation of one registration.
    AlreadyCancelled(RegNumber, i64),
    /// An entry dated before the last one.
    BeforeLast {
        /// The date asked for.
        date: NaiveDate,
        /// The last entry's date.
        last: NaiveDate,
    },
    /// A row that cannot be read back (edited by hand).
    Unreadable {
        /// Its place in the chain.
        seq: i64,
        /// What is wrong with it.
        detail: String,
    },
    /// An entry dated after today.
    AfterToday {
        /// The date asked for.
        date: NaiveDate,
        /// Today, in Kazakhstan time (or as [`TODAY_ENV`] says).
        today: NaiveDate,
    },
    /// [`TODAY_ENV`] is set but is not a date.
    BadToday(String),
    /// The same act registered already.
    Duplicate {
        /// Its registration.
        number: RegNumber,
        /// Its place in the chain.
        seq: i64,
    },
    /// A sequence that has reached [`MAX_NUMBER`].
    SequenceFull {
        /// The body.
        body: Body,
        /// Its last number.
        last: RegNumber,
    },
    /// A start number past [`MAX_NUMBER`] (or below 1).
    BadStart {
        /// The body.
        body: Body,
        /// The number asked for.
        number: i64,
    },
    /// The journal fails the check of its chain: nothing is printed from it or appended to it.
    Broken(chain::Problem),
    /// A recorded head hash that the journal no longer leads to.
    HeadNotFound(String),
    /// The file is a register but its content is damaged.
    Damaged(String),
    /// The database failed.
    Database(String),
}

impl RegisterError {
    /// The error as catalog data (`templates/messages/*.ftl`, ids `register-…`).
    pub fn message(&self) -> Message {
        let body = |m: Message, body: &Body| match body {
            Body::Ministry => m.arg("body", "ministry").arg("region", ""),
            Body::Region(r) => m.arg("body", "region").arg("region", format!("{r:02}")),
        };
        match self {
            RegisterError::Missing => Message::new("register-missing"),
            RegisterError::Exists => Message::new("register-exists"),
            RegisterError::NotARegister(detail) => {
                Message::new("register-not-a-register").arg("detail", detail)
            }
            RegisterError::Newer { found, supported } => {
                Message::new("register-newer").num("found", *found).num("supported", *supported)
            }
            RegisterError::Older { found, latest } => {
                Message::new("register-older").num("found", *found).num("latest", *latest)
            }
            RegisterError::BadUrl => Message::new("register-bad-url"),
            RegisterError::UnknownNumber(n) => {
                Message::new("register-unknown-number").arg("number", n.to_string())
            }
            RegisterError::AlreadyCancelled(n, seq) => {
                Message::new("register-already-cancelled").arg("number", n.to_string()).num("seq", *seq)
            }
            RegisterError::BeforeLast { date, last } => Message::new("register-before-last")
                .arg("date", date.to_string())
                .arg("last", last.to_string()),
            RegisterError::Unreadable { seq, detail } => {
                Message::new("register-unreadable").num("seq", *seq).arg("detail", detail)
            }
            RegisterError::AfterToday { date, today } => Message::new("register-after-today")
                .arg("date", date.to_string())
                .arg("today", today.to_string()),
            RegisterError::BadToday(value) => {
                Message::new("register-bad-today").arg("variable", TODAY_ENV).arg("value", value)
            }
            RegisterError::Duplicate { number, seq } => {
                Message::new("register-duplicate").arg("number", number.to_string()).num("seq", *seq)
            }
            RegisterError::SequenceFull { body: b, last } => {
                body(Message::new("register-sequence-full"), b).arg("last", last.to_string())
            }
            RegisterError::BadStart { body: b, number } => {
                body(Message::new("register-bad-start"), b).num("number", *number).num("max", MAX_NUMBER)
            }
            RegisterError::Broken(problem) => {
                Message::new("register-broken").arg("problem", problem.to_string())
            }
            RegisterError::HeadNotFound(head) => Message::new("register-head-not-found").arg("head", head),
            RegisterError::Damaged(detail) => Message::new("register-damaged").arg("detail", detail),
            RegisterError::Database(detail) => Message::new("register-database").arg("detail", detail),
        }
    }
}

crate::messages::english_display!(RegisterError);

/// The environment variable that fixes "today" (YYYY-MM-DD), for tests and for entering a
/// day's registrations after midnight; without it, today is the machine's date in
/// Kazakhstan time (UTC+5).
pub const TODAY_ENV: &str = "ANYQTAMA_TODAY";

/// Today: [`TODAY_ENV`] when set, else the machine's date in Kazakhstan time (UTC+5).
pub fn today() -> Result<NaiveDate, RegisterError> {
    match std::env::var(TODAY_ENV) {
        Ok(text) if !text.is_empty() => {
            NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| RegisterError::BadToday(text))
        }
        _ => {
            let kazakhstan = FixedOffset::east_opt(5 * 3600).expect("UTC+5 is a valid offset");
            Ok(Utc::now().with_timezone(&kazakhstan).date_naive())
        }
    }
}

impl RegisterError {
    /// Whether the error is about the input (exit 2) rather than a failure to run (exit 1).
    pub fn is_invalid_input(&self) -> bool {
        !matches!(
            self,
            RegisterError::Missing
                | RegisterError::Exists
                | RegisterError::Database(_)
                | RegisterError::BadToday(_)
                | RegisterError::Older { .. }
        )
    }
}

/// What an append may read, inside its transaction.
pub trait Journal {
    /// The entries after place `seq` in the chain, in chain order (an entry that cannot be
    /// read is [`RegisterError::Unreadable`]).
    fn entries_after(&self, seq: i64) -> Result<Vec<Entry>, RegisterError>;
}

/// A place that keeps a register.
pub trait Store {
    /// Runs `build` in one exclusive write transaction: `build` reads the journal and returns
    /// the entry to store; the store inserts it and commits. When `build` or the insert fails,
    /// nothing is stored. Two appends, in this process or another, never interleave.
    fn append_with(
        &mut self,
        build: &mut dyn FnMut(&dyn Journal) -> Result<Entry, RegisterError>,
    ) -> Result<Entry, RegisterError>;
    /// Every entry, in chain order.
    fn entries(&self) -> Result<Vec<Entry>, RegisterError>;
    /// The entry of a registration number.
    fn find(&self, number: RegNumber) -> Result<Option<Entry>, RegisterError>;
    /// The start numbers set at `init` (bodies not listed start at 1).
    fn starts(&self) -> Result<BTreeMap<Body, i64>, RegisterError>;
}

/// Checks start numbers before a register is made: each from 1 to [`MAX_NUMBER`].
pub fn check_starts(starts: &BTreeMap<Body, i64>) -> Result<(), RegisterError> {
    match starts.iter().find(|(_, n)| !(1..=MAX_NUMBER).contains(*n)) {
        Some((body, number)) => Err(RegisterError::BadStart { body: *body, number: *number }),
        None => Ok(()),
    }
}

/// How an entry is appended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppendOptions {
    /// Today: an entry may not be dated later ([`today`]).
    pub today: NaiveDate,
    /// Register an act that is registered already (the entry then
    /// [`Relation::Repeats`] the earlier registration).
    pub allow_duplicate: bool,
}

/// An entry that cannot be read is where the chain breaks.
fn unreadable_breaks(e: RegisterError) -> RegisterError {
    match e {
        RegisterError::Unreadable { seq, detail } => RegisterError::Broken(chain::Problem {
            seq,
            number: None,
            message: format!("cannot be read ({detail})"),
        }),
        other => other,
    }
}

/// A register read and checked whole: its entries can be trusted, and appends to the store it
/// was read from check only what other writers appended since.
pub struct Register {
    entries: Vec<Entry>,
    checker: chain::Checker,
    /// The first registration of each act, by [`act_key`].
    acts: HashMap<String, (RegNumber, i64)>,
}

/// Notes the act of a registration, unless the same act was registered before.
fn note_act(acts: &mut HashMap<String, (RegNumber, i64)>, entry: &Entry) {
    if let (Kind::Registration, Some(number), Some(key)) =
        (entry.data.kind, entry.reg_number(), act_key(&entry.data))
    {
        acts.entry(key).or_insert((number, entry.seq));
    }
}

impl Register {
    /// Reads every entry and checks the whole chain; a broken chain or an unreadable entry is
    /// [`RegisterError::Broken`]. Every command that prints from the register or appends to
    /// it reads it through this.
    pub fn open(store: &dyn Store) -> Result<Register, RegisterError> {
        let starts = store.starts()?;
        let entries = store.entries().map_err(unreadable_breaks)?;
        let mut checker = chain::Checker::new(&starts);
        let mut acts = HashMap::new();
        for entry in &entries {
            checker.push(entry).map_err(RegisterError::Broken)?;
            note_act(&mut acts, entry);
        }
        Ok(Register { entries, checker, acts })
    }

    /// The entries, in chain order, as checked (with those this register appended).
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// What the check found: the number of entries, the sequences and the head hash.
    pub fn report(&self) -> chain::Report {
        self.checker.report()
    }

    /// Appends an entry to `store` (the one the register was read from) in one transaction:
    /// reads and checks the entries other writers appended since, checks the entry against
    /// the journal (its date, its references, the same act registered before), gives a
    /// registration the next number of its body and links it to the last entry's hash. An
    /// entry that fails is not stored, and the register stays usable for the next one.
    pub fn append(
        &mut self,
        store: &mut dyn Store,
        entry: NewEntry,
        options: &AppendOptions,
    ) -> Result<Entry, RegisterError> {
        if entry.registered_on > options.today {
            return Err(RegisterError::AfterToday { date: entry.registered_on, today: options.today });
        }
        let entries = &mut self.entries;
        let checker = &mut self.checker;
        let acts = &mut self.acts;
        let stored = store.append_with(&mut |journal| {
            for e in journal.entries_after(checker.count() as i64).map_err(unreadable_breaks)? {
                checker.push(&e).map_err(RegisterError::Broken)?;
                note_act(acts, &e);
                entries.push(e);
            }
            next_entry(entries, checker, acts, &entry, options)
        })?;
        self.checker.push(&stored).map_err(RegisterError::Broken)?;
        note_act(&mut self.acts, &stored);
        self.entries.push(stored.clone());
        Ok(stored)
    }
}

/// The entry to store after `entries` (checked by `checker`), or why it is refused.
fn next_entry(
    entries: &[Entry],
    checker: &chain::Checker,
    acts: &HashMap<String, (RegNumber, i64)>,
    entry: &NewEntry,
    options: &AppendOptions,
) -> Result<Entry, RegisterError> {
    if let Some(last) = entries.last()
        && entry.registered_on < last.data.registered_on
    {
        return Err(RegisterError::BeforeLast { date: entry.registered_on, last: last.data.registered_on });
    }
    for r in &entry.references {
        if !entries.iter().any(|e| e.reg_number() == Some(r.target)) {
            return Err(RegisterError::UnknownNumber(r.target));
        }
        if r.relation == Relation::CancelsByCourt
            && let Some(e) = entries.iter().find(|e| {
                e.data.kind == Kind::CourtCancellation
                    && e.data
                        .references
                        .iter()
                        .any(|x| x.relation == Relation::CancelsByCourt && x.target == r.target)
            })
        {
            return Err(RegisterError::AlreadyCancelled(r.target, e.seq));
        }
    }
    let mut data = entry.clone();
    if entry.kind == Kind::Registration
        && let Some(&(number, seq)) = act_key(entry).and_then(|key| acts.get(&key))
    {
        if !options.allow_duplicate {
            return Err(RegisterError::Duplicate { number, seq });
        }
        data.references.push(Reference { relation: Relation::Repeats, target: number });
    }
    let number = match entry.kind {
        Kind::Registration => {
            let next = checker.next_number(entry.body);
            if next > MAX_NUMBER {
                let last = RegNumber { body: entry.body, number: next - 1 };
                return Err(RegisterError::SequenceFull { body: entry.body, last });
            }
            Some(next)
        }
        Kind::CourtCancellation => None,
    };
    let seq = checker.count() as i64 + 1;
    let mut stored = Entry { seq, number, data, prev_hash: checker.head().to_owned(), hash: String::new() };
    stored.hash = chain::entry_hash(&stored.prev_hash, &stored.content());
    Ok(stored)
}

/// Every entry of the register, in chain order, once the whole chain is checked: the
/// conclusion, the stamp, the listing and the printed register are made only from an intact
/// journal.
pub fn read(store: &dyn Store) -> Result<Vec<Entry>, RegisterError> {
    Ok(Register::open(store)?.entries)
}

/// The key under which two registrations are the same act: submitting body, form, date of
/// adoption and the act's own number, compared without regard to case and spacing.
fn act_key(entry: &NewEntry) -> Option<String> {
    let act = entry.act.as_ref()?;
    let norm = |v: &Json| -> String {
        let text = match v {
            Json::Object(t) => {
                ["kk", "ru"].map(|l| t.get(l).and_then(Json::as_str).unwrap_or_default()).join("\u{1f}")
            }
            Json::String(s) => s.clone(),
            Json::Null => return String::new(),
            other => other.to_string(),
        };
        text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
    };
    let a = &act["act"];
    Some(
        [norm(&act["submitting_body"]), norm(&a["form"]), norm(&a["adopted_on"]), norm(&a["number"])]
            .join("\u{1e}"),
    )
}

/// Appends one entry to a register read and checked whole (see [`Register::append`]).
pub fn append(
    store: &mut dyn Store,
    entry: NewEntry,
    options: &AppendOptions,
) -> Result<Entry, RegisterError> {
    Register::open(store)?.append(store, entry, options)
}

/// Checks the whole register (see [`chain::verify`]); an unreadable entry is reported as the
/// first problem.
pub fn verify(store: &dyn Store) -> Result<Result<chain::Report, chain::Problem>, RegisterError> {
    match Register::open(store) {
        Ok(register) => Ok(Ok(register.report())),
        Err(RegisterError::Broken(problem)) => Ok(Err(problem)),
        Err(e) => Err(e),
    }
}

/// Where a recorded head hash is in an intact journal: the place of the entry whose hash it
/// is (0 for the genesis hash of the register). A hash the journal does not lead to — the
/// entries were changed and every hash computed again, or the last ones replaced — is
/// [`RegisterError::HeadNotFound`].
pub fn find_head(store: &dyn Store, head: &str) -> Result<i64, RegisterError> {
    let starts = store.starts()?;
    let entries = read(store)?;
    let wanted = head.trim().to_ascii_lowercase();
    if wanted == chain::genesis_hash(&starts) {
        return Ok(0);
    }
    entries
        .iter()
        .find(|e| e.hash == wanted)
        .map(|e| e.seq)
        .ok_or_else(|| RegisterError::HeadNotFound(head.trim().to_owned()))
}
