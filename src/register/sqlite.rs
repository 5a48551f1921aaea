//! The embedded store: one SQLite file (bundled SQLite, WAL mode).
//!
//! The file says what it is: `PRAGMA application_id` is [`APPLICATION_ID`] and
//! `PRAGMA user_version` the format ([`FORMAT`]); any other file is refused before anything
//! is read or written; a register of an older format is brought up to date by the versioned
//! migrations [`MIGRATIONS`] (`register migrate`). Appends run in `BEGIN IMMEDIATE` transactions, so writers queue (for up
//! to [`BUSY_TIMEOUT`]) instead of failing, and `synchronous = FULL`: an append that returned
//! survives a crash, and one that did not leaves nothing. Triggers refuse `UPDATE` and
//! `DELETE` on entries: corrections are new entries.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, Row, TransactionBehavior, params};
use serde_json::Value as Json;

use super::model::{Body, CourtDecision, Entry, Kind, NewEntry, Reference, RegNumber, Relation};
use super::store::{Journal, RegisterError, Store, check_starts};

/// `PRAGMA application_id` of a register: "AQTR" (anyqtama register).
pub const APPLICATION_ID: i64 = 0x4151_5452;
/// The format this build writes and reads (`PRAGMA user_version`): the last migration.
pub const FORMAT: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;
/// How long a writer waits for another one before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The versioned migrations: version, what it does, its SQL (format 1 makes the tables). `init`
/// applies all of them; `migrate` those a register does not have yet.
pub const MIGRATIONS: [(i64, &str, &str); 2] = [
    (1, "the journal: start numbers, entries, triggers that refuse UPDATE and DELETE", SCHEMA),
    (2, "the clerk who made each entry", "ALTER TABLE entries ADD COLUMN clerk TEXT;"),
];

/// Format 1.
const SCHEMA: &str = "
CREATE TABLE sequences (
    body TEXT PRIMARY KEY,          -- '' the Ministry, '01'..'20' a region
    start INTEGER NOT NULL CHECK (start >= 1)
) STRICT;
CREATE TABLE entries (
    seq INTEGER PRIMARY KEY,        -- place in the chain: 1, 2, 3, ...
    kind TEXT NOT NULL,             -- 'registration' | 'court_cancellation'
    body TEXT NOT NULL,
    number INTEGER,                 -- registrations only
    registered_on TEXT NOT NULL,    -- YYYY-MM-DD
    for_official_use INTEGER NOT NULL,
    refs TEXT NOT NULL,             -- JSON: [{relation, body, number}]
    court TEXT,                     -- JSON: {in_force_on, decision_date, decision_number}
    act TEXT,                       -- JSON: the validated act file
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (body, number)
) STRICT;
CREATE TRIGGER entries_are_never_changed BEFORE UPDATE ON entries
BEGIN SELECT RAISE(ABORT, 'register entries are never changed: make a new entry'); END;
CREATE TRIGGER entries_are_never_removed BEFORE DELETE ON entries
BEGIN SELECT RAISE(ABORT, 'register entries are never removed'); END;
CREATE TRIGGER sequences_are_fixed BEFORE UPDATE ON sequences
BEGIN SELECT RAISE(ABORT, 'start numbers are fixed at init'); END;
";

pub(super) const COLUMNS: &str =
    "seq, kind, body, number, registered_on, for_official_use, refs, court, act, prev_hash, hash, clerk";

/// The columns of [`COLUMNS`] one by one, to name the one that cannot be read (both stores).
pub(super) const ENTRY_COLUMNS: [&str; 12] = [
    "seq",
    "kind",
    "body",
    "number",
    "registered_on",
    "for_official_use",
    "refs",
    "court",
    "act",
    "prev_hash",
    "hash",
    "clerk",
];

/// A register in an SQLite file.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
}

/// A database error as a register error: a damaged file in words of its own, never SQLite's.
fn db(e: rusqlite::Error) -> RegisterError {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
            RegisterError::Damaged("its pages are not intact: restore it from a copy".into())
        }
        Some(ErrorCode::DiskFull) => RegisterError::Database("the disk is full".into()),
        Some(ErrorCode::SystemIoFailure) => RegisterError::Database(
            "the file could not be written or read: the disk is full or failed".into(),
        ),
        _ => RegisterError::Database(e.to_string()),
    }
}

/// The tables of a register and their columns, as [`SCHEMA`] makes them.
const TABLES: [(&str, &[&str]); 2] = [("sequences", &["body", "start"]), ("entries", &ENTRY_COLUMNS)];

/// Checks that the file has the tables and columns of a register, so that a damaged file is
/// named as such before anything is read from it.
fn check_schema(conn: &Connection) -> Result<(), RegisterError> {
    for (table, expected) in TABLES {
        let mut stmt = conn.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid").map_err(db)?;
        let columns: Vec<String> = stmt
            .query_map([table], |r| {
                r.get_ref(0).map(|v| String::from_utf8_lossy(v.as_bytes().unwrap_or_default()).into_owned())
            })
            .map_err(db)?
            .collect::<Result<_, _>>()
            .map_err(db)?;
        if columns.is_empty() {
            return Err(RegisterError::Damaged(format!("it has no table \"{table}\"")));
        }
        if columns != expected {
            return Err(RegisterError::Damaged(format!(
                "its table \"{table}\" has the columns {} instead of {}",
                columns.join(", "),
                expected.join(", ")
            )));
        }
    }
    Ok(())
}

impl SqliteStore {
    /// Creates a new register at `path` (which must not exist) with these start numbers.
    pub fn init(path: &Path, starts: &BTreeMap<Body, i64>) -> Result<SqliteStore, RegisterError> {
        // Claim the name first, so that two inits or an existing file are never overwritten.
        match std::fs::OpenOptions::new().write(true).create_new(true).open(path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(RegisterError::Exists),
            Err(e) => return Err(RegisterError::Database(format!("cannot create the file ({e})"))),
        }
        check_starts(starts).and_then(|()| Self::create(path, starts)).map_err(|e| {
            // A register that could not be made leaves no file behind (nor its WAL files).
            for suffix in ["-wal", "-shm", ""] {
                let mut name = path.as_os_str().to_owned();
                name.push(suffix);
                let _ = std::fs::remove_file(Path::new(&name));
            }
            match e {
                RegisterError::Database(detail) => RegisterError::Database(format!(
                    "failed to create the register ({detail}); no file is left"
                )),
                other => other,
            }
        })
    }

    /// Makes the schema in the file just claimed.
    fn create(path: &Path, starts: &BTreeMap<Body, i64>) -> Result<SqliteStore, RegisterError> {
        let mut conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(db)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(db)?;
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(db)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(RegisterError::Database(format!(
                "cannot use write-ahead logging here (journal mode {mode})"
            )));
        }
        conn.pragma_update(None, "synchronous", "FULL").map_err(db)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(db)?;
        apply_migrations(&tx, 0)?;
        for (body, start) in starts {
            tx.execute("INSERT INTO sequences (body, start) VALUES (?1, ?2)", params![body.code(), start])
                .map_err(db)?;
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID).map_err(db)?;
        tx.commit().map_err(db)?;
        Ok(SqliteStore { conn, path: path.to_path_buf() })
    }

    /// Opens an existing register, refusing a file that is not one, is of a newer format, or
    /// of an older one ([`SqliteStore::migrate`] brings it up to date).
    pub fn open(path: &Path) -> Result<SqliteStore, RegisterError> {
        let (conn, version) = Self::connect(path)?;
        if version < FORMAT {
            return Err(RegisterError::Older { found: version, latest: FORMAT });
        }
        check_schema(&conn)?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(db)?;
        Ok(SqliteStore { conn, path: path.to_path_buf() })
    }

    /// Brings the register at `path` to [`FORMAT`]: returns the format it had and the one it
    /// has now. The migrations run in one transaction, so a failed one changes nothing.
    pub fn migrate(path: &Path) -> Result<(i64, i64), RegisterError> {
        let (mut conn, from) = Self::connect(path)?;
        if from < FORMAT {
            conn.pragma_update(None, "synchronous", "FULL").map_err(db)?;
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(db)?;
            // Another migrate may have run meanwhile: the format is read again under the lock.
            let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(db)?;
            apply_migrations(&tx, now)?;
            tx.commit().map_err(db)?;
        }
        let (conn, to) = Self::connect(path)?;
        check_schema(&conn)?;
        Ok((from, to))
    }

    /// Opens the file of a register and reads its format, refusing a file that is not a
    /// register or is of a newer format.
    fn connect(path: &Path) -> Result<(Connection, i64), RegisterError> {
        if !path.exists() {
            return Err(RegisterError::Missing);
        }
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(db)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(db)?;
        let not_db = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) => RegisterError::NotARegister("not an SQLite database".into()),
            _ => db(e),
        };
        let app: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(not_db)?;
        if app != APPLICATION_ID {
            return Err(RegisterError::NotARegister(format!(
                "application_id {:#010x}, a register has {APPLICATION_ID:#010x}",
                app as u32
            )));
        }
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(db)?;
        if version > FORMAT {
            return Err(RegisterError::Newer { found: version, supported: FORMAT });
        }
        if version < 1 {
            return Err(RegisterError::NotARegister("its creation was not finished: format 0".into()));
        }
        Ok((conn, version))
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Store for SqliteStore {
    fn append_with(
        &mut self,
        build: &mut dyn FnMut(&dyn Journal) -> Result<Entry, RegisterError>,
    ) -> Result<Entry, RegisterError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(db)?;
        let entry = build(&SqliteJournal { conn: &tx })?;
        insert(&tx, &entry)?;
        tx.commit().map_err(db)?;
        Ok(entry)
    }

    fn entries(&self) -> Result<Vec<Entry>, RegisterError> {
        entries_after(&self.conn, 0)
    }

    fn find(&self, number: RegNumber) -> Result<Option<Entry>, RegisterError> {
        find(&self.conn, number)
    }

    fn starts(&self) -> Result<BTreeMap<Body, i64>, RegisterError> {
        let mut stmt = self.conn.prepare("SELECT body, start FROM sequences").map_err(db)?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))).map_err(db)?;
        let mut starts = BTreeMap::new();
        for row in rows {
            let (code, start) = row.map_err(db)?;
            let body = Body::from_code(&code).ok_or_else(|| {
                RegisterError::Database(format!("unknown body \"{code}\" in the start numbers"))
            })?;
            starts.insert(body, start);
        }
        Ok(starts)
    }
}

/// Applies the migrations after format `from` in the transaction `conn`, each recorded in
/// `PRAGMA user_version`.
fn apply_migrations(conn: &Connection, from: i64) -> Result<(), RegisterError> {
    for (version, _, sql) in MIGRATIONS.iter().filter(|(v, _, _)| *v > from) {
        conn.execute_batch(sql).map_err(|e| match db(e) {
            RegisterError::Database(detail) => {
                RegisterError::Database(format!("migration {version} failed ({detail}); nothing was changed"))
            }
            other => other,
        })?;
        conn.pragma_update(None, "user_version", version).map_err(db)?;
    }
    Ok(())
}

struct SqliteJournal<'a> {
    conn: &'a Connection,
}

impl Journal for SqliteJournal<'_> {
    fn entries_after(&self, seq: i64) -> Result<Vec<Entry>, RegisterError> {
        entries_after(self.conn, seq)
    }
}

fn entries_after(conn: &Connection, seq: i64) -> Result<Vec<Entry>, RegisterError> {
    let mut stmt =
        conn.prepare(&format!("SELECT {COLUMNS} FROM entries WHERE seq > ?1 ORDER BY seq")).map_err(db)?;
    let rows = stmt.query_map([seq], raw_row).map_err(db)?;
    let mut entries = Vec::new();
    for row in rows {
        entries.push(row.map_err(db)??.parse()?);
    }
    Ok(entries)
}

fn find(conn: &Connection, number: RegNumber) -> Result<Option<Entry>, RegisterError> {
    let sql =
        format!("SELECT {COLUMNS} FROM entries WHERE body = ?1 AND number = ?2 AND kind = 'registration'");
    let row =
        conn.query_row(&sql, params![number.body.code(), number.number], raw_row).optional().map_err(db)?;
    row.map(|r| r?.parse()).transpose()
}

fn insert(conn: &Connection, e: &Entry) -> Result<(), RegisterError> {
    let d = &e.data;
    let content = e.content();
    let text = |v: &Json| if v.is_null() { None } else { Some(v.to_string()) };
    conn.execute(
        &format!(
            "INSERT INTO entries ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
        ),
        params![
            e.seq,
            d.kind.code(),
            d.body.code(),
            e.number,
            d.registered_on.format("%Y-%m-%d").to_string(),
            d.for_official_use,
            content["references"].to_string(),
            text(&content["court"]),
            text(&content["act"]),
            e.prev_hash,
            e.hash,
            d.clerk,
        ],
    )
    .map_err(db)?;
    Ok(())
}

/// A row as stored, before it is checked (the PostgreSQL store reads its rows into it too).
pub(super) struct RawRow {
    pub(super) seq: i64,
    pub(super) kind: String,
    pub(super) body: String,
    pub(super) number: Option<i64>,
    pub(super) registered_on: String,
    pub(super) for_official_use: i64,
    pub(super) refs: String,
    pub(super) court: Option<String>,
    pub(super) act: Option<String>,
    pub(super) prev_hash: String,
    pub(super) hash: String,
    pub(super) clerk: Option<String>,
}

/// A row's cells, each checked for its type: text that is not UTF-8 or a cell of the wrong
/// type makes the entry unreadable, never a decoder's message.
fn raw_row(r: &Row<'_>) -> rusqlite::Result<Result<RawRow, RegisterError>> {
    let seq: i64 = match r.get_ref(0)? {
        ValueRef::Integer(n) => n,
        _ => return Ok(Err(RegisterError::Damaged("an entry without its place in the chain".into()))),
    };
    let text = |i: usize| -> rusqlite::Result<Result<Option<String>, RegisterError>> {
        Ok(match r.get_ref(i)? {
            ValueRef::Null => Ok(None),
            ValueRef::Text(bytes) => match std::str::from_utf8(bytes) {
                Ok(t) => Ok(Some(t.to_owned())),
                Err(_) => Err(unreadable(seq, format!("its {} is not UTF-8 text", ENTRY_COLUMNS[i]))),
            },
            _ => Err(unreadable(seq, format!("its {} is not text", ENTRY_COLUMNS[i]))),
        })
    };
    let int = |i: usize| -> rusqlite::Result<Result<Option<i64>, RegisterError>> {
        Ok(match r.get_ref(i)? {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(n) => Ok(Some(n)),
            _ => Err(unreadable(seq, format!("its {} is not a whole number", ENTRY_COLUMNS[i]))),
        })
    };
    let required = |i: usize| -> rusqlite::Result<Result<String, RegisterError>> {
        Ok(text(i)?
            .and_then(|v| v.ok_or_else(|| unreadable(seq, format!("its {} is missing", ENTRY_COLUMNS[i])))))
    };
    let (kind, body, number, registered_on, for_official_use) =
        (required(1)?, required(2)?, int(3)?, required(4)?, int(5)?);
    let (refs, court, act, prev_hash, hash) = (required(6)?, text(7)?, text(8)?, required(9)?, required(10)?);
    let clerk = text(11)?;
    let row = || -> Result<RawRow, RegisterError> {
        Ok(RawRow {
            seq,
            kind: kind?,
            body: body?,
            number: number?,
            registered_on: registered_on?,
            for_official_use: for_official_use?
                .ok_or_else(|| unreadable(seq, "its for_official_use is missing"))?,
            refs: refs?,
            court: court?,
            act: act?,
            prev_hash: prev_hash?,
            hash: hash?,
            clerk: clerk?,
        })
    };
    Ok(row())
}

fn unreadable(seq: i64, detail: impl Into<String>) -> RegisterError {
    RegisterError::Unreadable { seq, detail: detail.into() }
}

fn parse_date(seq: i64, text: &str) -> Result<NaiveDate, RegisterError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| unreadable(seq, format!("date \"{text}\"")))
}

fn parse_json(seq: i64, what: &str, text: &str) -> Result<Json, RegisterError> {
    serde_json::from_str(text).map_err(|e| unreadable(seq, format!("{what}: {e}")))
}

fn parse_refs(seq: i64, text: &str) -> Result<Vec<Reference>, RegisterError> {
    let Json::Array(items) = parse_json(seq, "references", text)? else {
        return Err(unreadable(seq, "references are not a list"));
    };
    items
        .iter()
        .map(|item| {
            let relation = item["relation"].as_str().and_then(Relation::from_code);
            let body = item["body"].as_str().and_then(Body::from_code);
            let number = item["number"].as_i64();
            match (relation, body, number) {
                (Some(relation), Some(body), Some(number)) => {
                    Ok(Reference { relation, target: RegNumber { body, number } })
                }
                _ => Err(unreadable(seq, format!("reference {item}"))),
            }
        })
        .collect()
}

impl RawRow {
    /// The entry, or why the row cannot be read.
    pub(super) fn parse(self) -> Result<Entry, RegisterError> {
        let seq = self.seq;
        let kind =
            Kind::from_code(&self.kind).ok_or_else(|| unreadable(seq, format!("kind \"{}\"", self.kind)))?;
        let body =
            Body::from_code(&self.body).ok_or_else(|| unreadable(seq, format!("body \"{}\"", self.body)))?;
        let court = match &self.court {
            None => None,
            Some(text) => {
                let c = parse_json(seq, "court decision", text)?;
                let date = |key: &str| -> Result<NaiveDate, RegisterError> {
                    c[key]
                        .as_str()
                        .ok_or_else(|| unreadable(seq, format!("court decision {key}")))
                        .and_then(|d| parse_date(seq, d))
                };
                Some(CourtDecision {
                    in_force_on: date("in_force_on")?,
                    decision_date: date("decision_date")?,
                    decision_number: c["decision_number"]
                        .as_str()
                        .ok_or_else(|| unreadable(seq, "court decision number"))?
                        .to_owned(),
                })
            }
        };
        let act = self.act.as_deref().map(|text| parse_json(seq, "act", text)).transpose()?;
        Ok(Entry {
            seq,
            number: self.number,
            data: NewEntry {
                kind,
                body,
                registered_on: parse_date(seq, &self.registered_on)?,
                for_official_use: self.for_official_use != 0,
                references: parse_refs(seq, &self.refs)?,
                court,
                act,
                clerk: self.clerk,
            },
            prev_hash: self.prev_hash,
            hash: self.hash,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_refuses_start_numbers_past_the_limit_and_leaves_no_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("register.db");
        for (body, number) in [(Body::Ministry, 1_000_000), (Body::Region(9), 0)] {
            let starts = BTreeMap::from([(body, number)]);
            let refused = SqliteStore::init(&path, &starts).err().map(|e| e.to_string());
            assert_eq!(
                refused.as_deref(),
                Some(format!("the start number {number} of {body} is not between 1 and 999999").as_str())
            );
            assert!(!path.exists(), "no file left");
        }
        let last = BTreeMap::from([(Body::Ministry, 999_999)]);
        assert!(SqliteStore::init(&path, &last).is_ok());
    }
}
