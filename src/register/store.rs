//! The narrow interface between the register's rules and the database that keeps it.
//!
//! A store does three things: it runs one append at a time in an exclusive transaction
//! ([`Store::append_with`]), reads entries back, and tells the start numbers. Everything else —
//! the next number, the hash chain, the checks of dates and references — is [`append`] and
//! [`super::chain`], written once for every store. The embedded store is
//! [`super::sqlite::SqliteStore`]; a server database can back a ministry-wide register by
//! implementing these two traits.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use thiserror::Error;

use super::chain;
use super::model::{Body, Entry, Kind, NewEntry, RegNumber, Relation};

/// What can go wrong with a register.
#[derive(Debug, Error)]
pub enum RegisterError {
    /// No database at the path.
    #[error("no register here (create one with `anyqtama register init`)")]
    Missing,
    /// `init` on a path that exists.
    #[error("already exists: `register init` makes a new register and never overwrites a file")]
    Exists,
    /// The file is not a register of this tool.
    #[error("not an anyqtama register ({0})")]
    NotARegister(String),
    /// A register written by a newer version.
    #[error(
        "register format {found} is newer than this anyqtama reads (up to {supported}): use a newer anyqtama"
    )]
    Newer {
        /// The file's format.
        found: i64,
        /// The newest this build reads.
        supported: i64,
    },
    /// A reference to a number the register does not have.
    #[error("№ {0} is not in the register")]
    UnknownNumber(RegNumber),
    /// A second court cancellation of one registration.
    #[error("the state registration № {0} was already cancelled by a court decision (entry {1})")]
    AlreadyCancelled(RegNumber, i64),
    /// An entry dated before the last one.
    #[error(
        "the register is kept in chronological order: its last entry is of {last}, so a new entry cannot be of {date}"
    )]
    BeforeLast {
        /// The date asked for.
        date: NaiveDate,
        /// The last entry's date.
        last: NaiveDate,
    },
    /// A row that cannot be read back (edited by hand).
    #[error("entry {seq} cannot be read ({detail})")]
    Unreadable {
        /// Its place in the chain.
        seq: i64,
        /// What is wrong with it.
        detail: String,
    },
    /// The database failed.
    #[error("{0}")]
    Database(String),
}

impl RegisterError {
    /// Whether the error is about the input (exit 2) rather than a failure to run (exit 1).
    pub fn is_invalid_input(&self) -> bool {
        !matches!(self, RegisterError::Missing | RegisterError::Exists | RegisterError::Database(_))
    }
}

/// What an append may read, inside its transaction.
pub trait Journal {
    /// The last entry's place in the chain, hash and date; `None` when the register is empty.
    fn head(&self) -> Result<Option<(i64, String, NaiveDate)>, RegisterError>;
    /// The highest number of a body's sequence so far.
    fn last_number(&self, body: Body) -> Result<Option<i64>, RegisterError>;
    /// The entry of a registration number.
    fn find(&self, number: RegNumber) -> Result<Option<Entry>, RegisterError>;
    /// The court cancellation of a registration, if there is one: its place in the chain.
    fn court_cancellation_of(&self, number: RegNumber) -> Result<Option<i64>, RegisterError>;
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

/// Appends an entry: checks it against the journal, gives a registration the next number of
/// its body, links it to the last entry's hash, all in one transaction.
pub fn append(store: &mut dyn Store, entry: NewEntry) -> Result<Entry, RegisterError> {
    let starts = store.starts()?;
    store.append_with(&mut |journal| {
        let head = journal.head()?;
        if let Some((_, _, last)) = &head
            && entry.registered_on < *last
        {
            return Err(RegisterError::BeforeLast { date: entry.registered_on, last: *last });
        }
        for r in &entry.references {
            if journal.find(r.target)?.is_none() {
                return Err(RegisterError::UnknownNumber(r.target));
            }
            if r.relation == Relation::CancelsByCourt
                && let Some(seq) = journal.court_cancellation_of(r.target)?
            {
                return Err(RegisterError::AlreadyCancelled(r.target, seq));
            }
        }
        let number = match entry.kind {
            Kind::Registration => Some(match journal.last_number(entry.body)? {
                Some(n) => n + 1,
                None => chain::start_of(&starts, entry.body),
            }),
            Kind::CourtCancellation => None,
        };
        let (seq, prev_hash) = match &head {
            Some((seq, hash, _)) => (seq + 1, hash.clone()),
            None => (1, chain::genesis_hash(&starts)),
        };
        let mut stored = Entry { seq, number, data: entry.clone(), prev_hash, hash: String::new() };
        stored.hash = chain::entry_hash(&stored.prev_hash, &stored.content());
        Ok(stored)
    })
}

/// Checks the whole register (see [`chain::verify`]); an unreadable entry is reported as the
/// first problem.
pub fn verify(store: &dyn Store) -> Result<Result<chain::Report, chain::Problem>, RegisterError> {
    let starts = store.starts()?;
    let entries = match store.entries() {
        Ok(entries) => entries,
        Err(RegisterError::Unreadable { seq, detail }) => {
            return Ok(Err(chain::Problem {
                seq,
                number: None,
                message: format!("cannot be read ({detail})"),
            }));
        }
        Err(e) => return Err(e),
    };
    Ok(chain::verify(&entries, &starts))
}
