//! The shared store: a PostgreSQL database that the Ministry's and the regional departments'
//! clerks append to from any number of machines.
//!
//! The schema is made and brought up to date by the versioned migrations [`MIGRATIONS`]
//! (`register init`, `register migrate`), each recorded in the table `schema_migrations`; a
//! database at another version is refused before anything is read. Appends lock the counters
//! (`LOCK TABLE counters IN SHARE ROW EXCLUSIVE MODE`, which only one transaction holds at a
//! time and readers never wait for), read what other clients appended, insert the entry and
//! advance its body's counter row in the same transaction: a number is given once, without a
//! gap, and a client that dies leaves the whole entry or nothing. Triggers refuse `UPDATE`,
//! `DELETE` and `TRUNCATE` on entries: corrections are new entries. Every statement is a
//! constant with parameters; no SQL is built from data.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use postgres::config::Host;
use postgres::{Client, Config, GenericClient, NoTls, Row, Transaction};

use super::model::{Body, Entry, MAX_REGION, RegNumber};
use super::sqlite::{ENTRY_COLUMNS, RawRow};
use super::store::{Journal, RegisterError, Store, check_starts};

/// The versioned migrations: version, what it does, its SQL. `init` applies all of them;
/// `migrate` those a register does not have yet.
pub const MIGRATIONS: [(i64, &str, &str); 3] = [
    (
        1,
        "the journal: start numbers, a counter per body, entries",
        "
CREATE TABLE sequences (
    body text PRIMARY KEY,              -- '' the Ministry, '01'..'20' a region
    start bigint NOT NULL CHECK (start >= 1)
);
CREATE TABLE counters (
    body text PRIMARY KEY,
    last bigint NOT NULL                -- the last number given (start - 1 before the first)
);
CREATE TABLE entries (
    seq bigint PRIMARY KEY CHECK (seq >= 1),   -- place in the chain: 1, 2, 3, ...
    kind text NOT NULL,                 -- 'registration' | 'court_cancellation'
    body text NOT NULL,
    number bigint,                      -- registrations only
    registered_on text NOT NULL,        -- YYYY-MM-DD
    for_official_use boolean NOT NULL,
    refs text NOT NULL,                 -- JSON: [{relation, body, number}]
    court text,                         -- JSON: {in_force_on, decision_date, decision_number}
    act text,                           -- JSON: the validated act file
    prev_hash text NOT NULL,
    hash text NOT NULL,
    UNIQUE (body, number)
);
",
    ),
    (
        2,
        "entries and start numbers are append-only: triggers refuse UPDATE, DELETE and TRUNCATE",
        "
CREATE FUNCTION anyqtama_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER entries_are_never_changed BEFORE UPDATE ON entries
    FOR EACH ROW EXECUTE FUNCTION anyqtama_refuse('register entries are never changed: make a new entry');
CREATE TRIGGER entries_are_never_removed BEFORE DELETE ON entries
    FOR EACH ROW EXECUTE FUNCTION anyqtama_refuse('register entries are never removed');
CREATE TRIGGER entries_are_never_truncated BEFORE TRUNCATE ON entries
    FOR EACH STATEMENT EXECUTE FUNCTION anyqtama_refuse('register entries are never removed');
CREATE TRIGGER sequences_are_fixed BEFORE UPDATE OR DELETE ON sequences
    FOR EACH ROW EXECUTE FUNCTION anyqtama_refuse('start numbers are fixed at init');
CREATE TRIGGER sequences_are_never_truncated BEFORE TRUNCATE ON sequences
    FOR EACH STATEMENT EXECUTE FUNCTION anyqtama_refuse('start numbers are fixed at init');
CREATE TRIGGER counters_are_never_removed BEFORE DELETE ON counters
    FOR EACH ROW EXECUTE FUNCTION anyqtama_refuse('counters are never removed');
",
    ),
    (3, "the clerk who made each entry", "ALTER TABLE entries ADD COLUMN clerk text;"),
];

/// The version this build writes and reads: the last migration.
pub const LATEST: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// The table of applied migrations.
const MIGRATIONS_TABLE: &str = "
CREATE TABLE schema_migrations (
    version bigint PRIMARY KEY,
    description text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
";

/// The key of the advisory lock that `init` and `migrate` hold: "AQTR".
const SCHEMA_LOCK: i64 = 0x4151_5452;

/// How long to wait for the server to answer a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The tables of a register and their columns, as the migrations make them.
const TABLES: [(&str, &[&str]); 4] = [
    ("schema_migrations", &["version", "description", "applied_at"]),
    ("sequences", &["body", "start"]),
    ("counters", &["body", "last"]),
    ("entries", &ENTRY_COLUMNS),
];

/// The triggers that keep the journal append-only (migration 2).
const TRIGGERS: [(&str, &str); 6] = [
    ("entries", "entries_are_never_changed"),
    ("entries", "entries_are_never_removed"),
    ("entries", "entries_are_never_truncated"),
    ("sequences", "sequences_are_fixed"),
    ("sequences", "sequences_are_never_truncated"),
    ("counters", "counters_are_never_removed"),
];

/// A `postgres://USER[:PASSWORD]@HOST[:PORT]/DB` URL: the connection, and how it is shown
/// (never with its password).
#[derive(Clone)]
pub struct PgUrl {
    config: Config,
    shown: String,
}

impl fmt::Debug for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl fmt::Display for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl PgUrl {
    /// Whether `text` names a PostgreSQL database rather than a file.
    pub fn is_url(text: &str) -> bool {
        text.starts_with("postgres://") || text.starts_with("postgresql://")
    }

    /// Reads a URL; the error never repeats it (it may hold a password).
    pub fn parse(text: &str) -> Result<PgUrl, RegisterError> {
        let mut config = Config::from_str(text).map_err(|_| RegisterError::BadUrl)?;
        if config.get_hosts().is_empty() || config.get_dbname().is_none() || config.get_user().is_none() {
            return Err(RegisterError::BadUrl);
        }
        config.connect_timeout(CONNECT_TIMEOUT);
        config.application_name("anyqtama register");
        let host = match &config.get_hosts()[0] {
            Host::Tcp(name) if name.contains(':') => format!("[{name}]"),
            Host::Tcp(name) => name.clone(),
            Host::Unix(path) => path.display().to_string(),
        };
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let shown = format!(
            "postgres://{}@{host}:{port}/{}",
            config.get_user().unwrap_or_default(),
            config.get_dbname().unwrap_or_default()
        );
        Ok(PgUrl { config, shown })
    }

    fn connect(&self) -> Result<Client, RegisterError> {
        self.config.connect(NoTls).map_err(|e| {
            RegisterError::Database(format!("cannot connect to the database server ({})", cause(&e)))
        })
    }
}

/// The innermost reason of a driver's error, in lower case, without the driver's wording
/// around it.
fn cause(e: &postgres::Error) -> String {
    let text = match e.as_db_error() {
        Some(db) => db.message().to_owned(),
        None => {
            let mut source: &dyn std::error::Error = e;
            while let Some(inner) = source.source() {
                source = inner;
            }
            source.to_string()
        }
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "no reason given".into(),
    }
}

/// A database error as a register error.
fn pg(e: postgres::Error) -> RegisterError {
    if e.as_db_error().is_some() {
        RegisterError::Database(format!("the database refused ({})", cause(&e)))
    } else if e.is_closed() {
        RegisterError::Database("the connection to the database server was lost".into())
    } else {
        RegisterError::Database(format!("the database server failed ({})", cause(&e)))
    }
}

/// The version of the register's schema: `None` when the database has none.
fn version(client: &mut impl GenericClient) -> Result<Option<i64>, RegisterError> {
    let has_table: bool =
        client.query_one("SELECT to_regclass('schema_migrations') IS NOT NULL", &[]).map_err(pg)?.get(0);
    if !has_table {
        return Ok(None);
    }
    let row = client.query_one("SELECT max(version) FROM schema_migrations", &[]).map_err(pg)?;
    Ok(Some(row.try_get::<_, Option<i64>>(0).map_err(pg)?.unwrap_or(0)))
}

/// The register's tables that exist in the database.
fn existing_tables(client: &mut impl GenericClient) -> Result<Vec<String>, RegisterError> {
    let names: Vec<&str> = TABLES.iter().map(|(t, _)| *t).collect();
    let rows = client
        .query(
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = ANY($1) ORDER BY table_name",
            &[&names],
        )
        .map_err(pg)?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// Applies the migrations after `from` in `tx`; returns the version reached.
fn apply_migrations(tx: &mut Transaction<'_>, from: i64) -> Result<i64, RegisterError> {
    let mut reached = from;
    for (version, description, sql) in MIGRATIONS.iter().filter(|(v, _, _)| *v > from) {
        tx.batch_execute(sql).map_err(|e| {
            RegisterError::Database(format!(
                "migration {version} failed ({}); nothing was changed",
                cause(&e)
            ))
        })?;
        tx.execute(
            "INSERT INTO schema_migrations (version, description) VALUES ($1, $2)",
            &[version, description],
        )
        .map_err(pg)?;
        reached = *version;
    }
    Ok(reached)
}

/// Checks that the database has the tables, columns and triggers of a register, so that a
/// damaged schema is named as such before anything is read from it.
fn check_schema(client: &mut Client) -> Result<(), RegisterError> {
    for (table, expected) in TABLES {
        let rows = client
            .query(
                "SELECT column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
                &[&table],
            )
            .map_err(pg)?;
        let columns: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
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
    for (table, trigger) in TRIGGERS {
        let enabled: Option<bool> = client
            .query_opt(
                "SELECT t.tgenabled <> 'D' FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
                 WHERE c.relname = $1 AND c.relnamespace = current_schema()::regnamespace \
                 AND t.tgname = $2 AND NOT t.tgisinternal",
                &[&table, &trigger],
            )
            .map_err(pg)?
            .map(|r| r.get(0));
        match enabled {
            Some(true) => {}
            Some(false) => {
                return Err(RegisterError::Damaged(format!(
                    "its trigger \"{trigger}\" is disabled, so {table} can be changed behind the register's back"
                )));
            }
            None => return Err(RegisterError::Damaged(format!("its trigger \"{trigger}\" is missing"))),
        }
    }
    Ok(())
}

/// Every body that has a sequence: the Ministry and the regions 01–20.
fn bodies() -> impl Iterator<Item = Body> {
    std::iter::once(Body::Ministry).chain((1..=MAX_REGION).map(Body::Region))
}

/// A register in a PostgreSQL database.
pub struct PgStore {
    client: RefCell<Client>,
    url: PgUrl,
}

impl PgStore {
    /// Creates a new register in the database of `url`, which must have none: applies every
    /// migration and sets the start numbers, all in one transaction (a failed `init` leaves
    /// the database as it was).
    pub fn init(url: &PgUrl, starts: &BTreeMap<Body, i64>) -> Result<PgStore, RegisterError> {
        check_starts(starts)?;
        let mut client = url.connect()?;
        let mut tx = client.transaction().map_err(pg)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK]).map_err(pg)?;
        if version(&mut tx)?.is_some() {
            return Err(RegisterError::Exists);
        }
        if let Some(table) = existing_tables(&mut tx)?.first() {
            return Err(RegisterError::NotARegister(format!(
                "the database has a table \"{table}\" but no schema_migrations"
            )));
        }
        let failed = |e: RegisterError| match e {
            RegisterError::Database(detail) => RegisterError::Database(format!(
                "failed to create the register ({detail}); the database is left as it was"
            )),
            other => other,
        };
        tx.batch_execute(MIGRATIONS_TABLE).map_err(pg).map_err(failed)?;
        apply_migrations(&mut tx, 0).map_err(failed)?;
        for (body, start) in starts {
            tx.execute("INSERT INTO sequences (body, start) VALUES ($1, $2)", &[&body.code(), start])
                .map_err(pg)
                .map_err(failed)?;
        }
        for body in bodies() {
            let last = super::chain::start_of(starts, body) - 1;
            tx.execute("INSERT INTO counters (body, last) VALUES ($1, $2)", &[&body.code(), &last])
                .map_err(pg)
                .map_err(failed)?;
        }
        tx.commit().map_err(pg).map_err(failed)?;
        Ok(PgStore { client: RefCell::new(client), url: url.clone() })
    }

    /// Opens the register in the database of `url`, refusing a database that has none, is
    /// of another version, or whose tables or triggers are not those of a register.
    pub fn open(url: &PgUrl) -> Result<PgStore, RegisterError> {
        let mut client = url.connect()?;
        match version(&mut client)? {
            None if existing_tables(&mut client)?.is_empty() => return Err(RegisterError::Missing),
            None => return Err(RegisterError::NotARegister("it has no table \"schema_migrations\"".into())),
            Some(v) if v > LATEST => return Err(RegisterError::Newer { found: v, supported: LATEST }),
            Some(v) if v < LATEST => return Err(RegisterError::Older { found: v, latest: LATEST }),
            Some(_) => {}
        }
        check_schema(&mut client)?;
        Ok(PgStore { client: RefCell::new(client), url: url.clone() })
    }

    /// Brings the register in the database of `url` to [`LATEST`]: returns the version it had
    /// and the one it has now. The migrations run in one transaction.
    pub fn migrate(url: &PgUrl) -> Result<(i64, i64), RegisterError> {
        let mut client = url.connect()?;
        let mut tx = client.transaction().map_err(pg)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK]).map_err(pg)?;
        let from = match version(&mut tx)? {
            None => return Err(RegisterError::Missing),
            Some(v) if v > LATEST => return Err(RegisterError::Newer { found: v, supported: LATEST }),
            Some(v) => v,
        };
        let to = apply_migrations(&mut tx, from)?;
        tx.commit().map_err(pg)?;
        Ok((from, to))
    }

    /// The database, as shown (without a password).
    pub fn url(&self) -> &PgUrl {
        &self.url
    }
}

impl Store for PgStore {
    fn append_with(
        &mut self,
        build: &mut dyn FnMut(&dyn Journal) -> Result<Entry, RegisterError>,
    ) -> Result<Entry, RegisterError> {
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().map_err(pg)?;
        // One append at a time across every client (the chain has one head): the counters are
        // locked until the entry is committed; readers do not wait. The lock needs UPDATE on
        // counters only, which the clerks' role has (and no UPDATE or DELETE on entries).
        tx.batch_execute("LOCK TABLE counters IN SHARE ROW EXCLUSIVE MODE").map_err(pg)?;
        let journal = PgJournal { tx: RefCell::new(tx) };
        let entry = build(&journal)?;
        let mut tx = journal.tx.into_inner();
        insert(&mut tx, &entry)?;
        if let Some(number) = entry.number {
            let body = entry.data.body;
            let advanced = tx
                .execute(
                    "UPDATE counters SET last = $2::bigint WHERE body = $1 AND last = $2::bigint - 1",
                    &[&body.code(), &number],
                )
                .map_err(pg)?;
            if advanced != 1 {
                return Err(RegisterError::Damaged(format!(
                    "the counter of {body} does not stand at the number before № {}",
                    RegNumber { body, number }
                )));
            }
        }
        tx.commit().map_err(pg)?;
        Ok(entry)
    }

    fn entries(&self) -> Result<Vec<Entry>, RegisterError> {
        entries_after(&mut *self.client.borrow_mut(), 0)
    }

    fn find(&self, number: RegNumber) -> Result<Option<Entry>, RegisterError> {
        let row = self
            .client
            .borrow_mut()
            .query_opt(
                "SELECT seq, kind, body, number, registered_on, for_official_use, refs, court, act, prev_hash, hash, clerk \
                 FROM entries WHERE body = $1 AND number = $2 AND kind = 'registration'",
                &[&number.body.code(), &number.number],
            )
            .map_err(pg)?;
        row.map(|r| raw_row(&r)?.parse()).transpose()
    }

    fn starts(&self) -> Result<BTreeMap<Body, i64>, RegisterError> {
        let rows = self.client.borrow_mut().query("SELECT body, start FROM sequences", &[]).map_err(pg)?;
        let mut starts = BTreeMap::new();
        for row in rows {
            let code: String = row.try_get(0).map_err(pg)?;
            let body = Body::from_code(&code).ok_or_else(|| {
                RegisterError::Database(format!("unknown body \"{code}\" in the start numbers"))
            })?;
            starts.insert(body, row.try_get(1).map_err(pg)?);
        }
        Ok(starts)
    }
}

struct PgJournal<'a> {
    tx: RefCell<Transaction<'a>>,
}

impl Journal for PgJournal<'_> {
    fn entries_after(&self, seq: i64) -> Result<Vec<Entry>, RegisterError> {
        entries_after(&mut *self.tx.borrow_mut(), seq)
    }
}

fn entries_after(client: &mut impl GenericClient, seq: i64) -> Result<Vec<Entry>, RegisterError> {
    let rows = client
        .query(
            "SELECT seq, kind, body, number, registered_on, for_official_use, refs, court, act, prev_hash, hash, clerk \
             FROM entries WHERE seq > $1 ORDER BY seq",
            &[&seq],
        )
        .map_err(pg)?;
    rows.iter().map(|r| raw_row(r)?.parse()).collect()
}

fn insert(tx: &mut Transaction<'_>, e: &Entry) -> Result<(), RegisterError> {
    let d = &e.data;
    let content = e.content();
    let text = |v: &serde_json::Value| if v.is_null() { None } else { Some(v.to_string()) };
    tx.execute(
        "INSERT INTO entries (seq, kind, body, number, registered_on, for_official_use, refs, court, act, prev_hash, hash, clerk) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        &[
            &e.seq,
            &d.kind.code(),
            &d.body.code(),
            &e.number,
            &d.registered_on.format("%Y-%m-%d").to_string(),
            &d.for_official_use,
            &content["references"].to_string(),
            &text(&content["court"]),
            &text(&content["act"]),
            &e.prev_hash,
            &e.hash,
            &d.clerk,
        ],
    )
    .map_err(pg)?;
    Ok(())
}

/// A row's cells; a NULL where the schema forbids one makes the entry unreadable.
fn raw_row(r: &Row) -> Result<RawRow, RegisterError> {
    let seq: i64 = r.try_get(0).map_err(pg)?;
    let required = |i: usize| -> Result<String, RegisterError> {
        r.try_get::<_, Option<String>>(i).map_err(pg)?.ok_or_else(|| RegisterError::Unreadable {
            seq,
            detail: format!("its {} is missing", ENTRY_COLUMNS[i]),
        })
    };
    Ok(RawRow {
        seq,
        kind: required(1)?,
        body: required(2)?,
        number: r.try_get(3).map_err(pg)?,
        registered_on: required(4)?,
        for_official_use: i64::from(r.try_get::<_, bool>(5).map_err(pg)?),
        refs: required(6)?,
        court: r.try_get(7).map_err(pg)?,
        act: r.try_get(8).map_err(pg)?,
        prev_hash: required(9)?,
        hash: required(10)?,
        clerk: r.try_get(11).map_err(pg)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_shown_without_its_password_and_a_bad_one_is_not_repeated() {
        let url = PgUrl::parse("postgres://clerk:s3cret@db.example:6432/register").expect("a URL");
        assert_eq!(url.to_string(), "postgres://clerk@db.example:6432/register");
        assert_eq!(format!("{url:?}"), "postgres://clerk@db.example:6432/register");
        let url = PgUrl::parse("postgresql://owner@10.0.0.5/register").expect("a URL");
        assert_eq!(url.to_string(), "postgres://owner@10.0.0.5:5432/register");
        for bad in ["postgres://clerk:s3cret@db:port/register", "postgres://clerk:s3cret@db.example:6432"] {
            let e = PgUrl::parse(bad).expect_err(bad).to_string();
            assert_eq!(e, "not a database URL of the form postgres://USER[:PASSWORD]@HOST[:PORT]/DB");
        }
        assert!(PgUrl::is_url("postgres://a@b/c") && PgUrl::is_url("postgresql://a@b/c"));
        assert!(!PgUrl::is_url("register.db") && !PgUrl::is_url("./postgres://x"));
    }
}
