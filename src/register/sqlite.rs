//! The embedded store: one SQLite file (bundled SQLite, WAL mode).
//!
//! The file says what it is: `PRAGMA application_id` is [`APPLICATION_ID`] and
//! `PRAGMA user_version` the format ([`FORMAT`]); any other file is refused before anything
//! is read or written. Appends run in `BEGIN IMMEDIATE` transactions, so writers queue (for up
//! to [`BUSY_TIMEOUT`]) instead of failing, and `synchronous = FULL`: an append that returned
//! survives a crash, and one that did not leaves nothing. Triggers refuse `UPDATE` and
//! `DELETE` on entries: corrections are new entries.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, Row, TransactionBehavior, params};
use serde_json::Value as Json;

use super::model::{Body, CourtDecision, Entry, Kind, NewEntry, Reference, RegNumber, Relation};
use super::store::{Journal, RegisterError, Store};

/// `PRAGMA application_id` of a register: "AQTR" (anyqtama register).
pub const APPLICATION_ID: i64 = 0x4151_5452;
/// The format this build writes and reads (`PRAGMA user_version`).
pub const FORMAT: i64 = 1;
/// How long a writer waits for another one before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

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

const COLUMNS: &str =
    "seq, kind, body, number, registered_on, for_official_use, refs, court, act, prev_hash, hash";

/// A register in an SQLite file.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
}

fn db(e: rusqlite::Error) -> RegisterError {
    RegisterError::Database(e.to_string())
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
        tx.execute_batch(SCHEMA).map_err(db)?;
        for (body, start) in starts {
            tx.execute("INSERT INTO sequences (body, start) VALUES (?1, ?2)", params![body.code(), start])
                .map_err(db)?;
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID).map_err(db)?;
        tx.pragma_update(None, "user_version", FORMAT).map_err(db)?;
        tx.commit().map_err(db)?;
        Ok(SqliteStore { conn, path: path.to_path_buf() })
    }

    /// Opens an existing register, refusing a file that is not one or is of a newer format.
    pub fn open(path: &Path) -> Result<SqliteStore, RegisterError> {
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
        conn.pragma_update(None, "synchronous", "FULL").map_err(db)?;
        Ok(SqliteStore { conn, path: path.to_path_buf() })
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
        let mut stmt =
            self.conn.prepare(&format!("SELECT {COLUMNS} FROM entries ORDER BY seq")).map_err(db)?;
        let rows = stmt.query_map([], raw_row).map_err(db)?;
        let mut entries = Vec::new();
        for row in rows {
            entries.push(row.map_err(db)?.parse()?);
        }
        Ok(entries)
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

struct SqliteJournal<'a> {
    conn: &'a Connection,
}

impl Journal for SqliteJournal<'_> {
    fn head(&self) -> Result<Option<(i64, String, NaiveDate)>, RegisterError> {
        let row = self
            .conn
            .query_row("SELECT seq, hash, registered_on FROM entries ORDER BY seq DESC LIMIT 1", [], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })
            .optional()
            .map_err(db)?;
        row.map(|(seq, hash, date)| Ok((seq, hash, parse_date(seq, &date)?))).transpose()
    }

    fn last_number(&self, body: Body) -> Result<Option<i64>, RegisterError> {
        self.conn
            .query_row(
                "SELECT max(number) FROM entries WHERE body = ?1 AND kind = 'registration'",
                [body.code()],
                |r| r.get(0),
            )
            .map_err(db)
    }

    fn find(&self, number: RegNumber) -> Result<Option<Entry>, RegisterError> {
        find(self.conn, number)
    }

    fn court_cancellation_of(&self, number: RegNumber) -> Result<Option<i64>, RegisterError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT seq, refs FROM entries WHERE kind = 'court_cancellation' AND body = ?1 ORDER BY seq",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map([number.body.code()], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
            .map_err(db)?;
        for row in rows {
            let (seq, refs) = row.map_err(db)?;
            if parse_refs(seq, &refs)?
                .iter()
                .any(|r| r.relation == Relation::CancelsByCourt && r.target == number)
            {
                return Ok(Some(seq));
            }
        }
        Ok(None)
    }
}

fn find(conn: &Connection, number: RegNumber) -> Result<Option<Entry>, RegisterError> {
    let sql =
        format!("SELECT {COLUMNS} FROM entries WHERE body = ?1 AND number = ?2 AND kind = 'registration'");
    let row =
        conn.query_row(&sql, params![number.body.code(), number.number], raw_row).optional().map_err(db)?;
    row.map(RawRow::parse).transpose()
}

fn insert(conn: &Connection, e: &Entry) -> Result<(), RegisterError> {
    let d = &e.data;
    let content = e.content();
    let text = |v: &Json| if v.is_null() { None } else { Some(v.to_string()) };
    conn.execute(
        &format!("INSERT INTO entries ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
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
        ],
    )
    .map_err(db)?;
    Ok(())
}

/// A row as stored, before it is checked.
struct RawRow {
    seq: i64,
    kind: String,
    body: String,
    number: Option<i64>,
    registered_on: String,
    for_official_use: i64,
    refs: String,
    court: Option<String>,
    act: Option<String>,
    prev_hash: String,
    hash: String,
}

fn raw_row(r: &Row<'_>) -> rusqlite::Result<RawRow> {
    Ok(RawRow {
        seq: r.get(0)?,
        kind: r.get(1)?,
        body: r.get(2)?,
        number: r.get(3)?,
        registered_on: r.get(4)?,
        for_official_use: r.get(5)?,
        refs: r.get(6)?,
        court: r.get(7)?,
        act: r.get(8)?,
        prev_hash: r.get(9)?,
        hash: r.get(10)?,
    })
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
    fn parse(self) -> Result<Entry, RegisterError> {
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
            },
            prev_hash: self.prev_hash,
            hash: self.hash,
        })
    }
}
