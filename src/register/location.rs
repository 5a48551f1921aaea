//! Where a register is kept: an SQLite file, or a PostgreSQL database named by a
//! `postgres://` URL. The rules ([`super::store`]) are the same for both.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fmt;
use std::path::PathBuf;

use super::model::Body;
use super::postgres::{self, PgStore, PgUrl};
use super::sqlite::{self, SqliteStore};
use super::store::{RegisterError, Store};

/// A register's database.
#[derive(Debug, Clone)]
pub enum Location {
    /// An SQLite file.
    File(PathBuf),
    /// A PostgreSQL database.
    Server(Box<PgUrl>),
}

impl Location {
    /// `postgres://…` or `postgresql://…` is a database server; anything else a file.
    pub fn parse(text: &OsStr) -> Result<Location, RegisterError> {
        match text.to_str() {
            Some(url) if PgUrl::is_url(url) => Ok(Location::Server(Box::new(PgUrl::parse(url)?))),
            _ => Ok(Location::File(PathBuf::from(text))),
        }
    }

    /// Creates a new register here.
    pub fn init(&self, starts: &BTreeMap<Body, i64>) -> Result<Box<dyn Store>, RegisterError> {
        Ok(match self {
            Location::File(path) => Box::new(SqliteStore::init(path, starts)?),
            Location::Server(url) => Box::new(PgStore::init(url, starts)?),
        })
    }

    /// Opens the register here.
    pub fn open(&self) -> Result<Box<dyn Store>, RegisterError> {
        Ok(match self {
            Location::File(path) => Box::new(SqliteStore::open(path)?),
            Location::Server(url) => Box::new(PgStore::open(url)?),
        })
    }

    /// Brings the register's schema up to date: the version it had and the one it has now.
    pub fn migrate(&self) -> Result<(i64, i64), RegisterError> {
        match self {
            Location::File(path) => SqliteStore::migrate(path),
            Location::Server(url) => PgStore::migrate(url),
        }
    }

    /// The version this build writes here.
    pub fn latest(&self) -> i64 {
        match self {
            Location::File(_) => sqlite::FORMAT,
            Location::Server(_) => postgres::LATEST,
        }
    }
}

/// The file's path, or the URL without its password.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File(path) => write!(f, "{}", path.display()),
            Location::Server(url) => write!(f, "{url}"),
        }
    }
}
