//! The PostgreSQL server of the register's tests: `ANYQTAMA_TEST_POSTGRES`, a superuser's URL
//! (`.ci/postgres.sh` starts one). Each register gets a database of its own, dropped with it.
//! Without the server a PostgreSQL test says loudly that it was skipped, and fails when
//! `CI=true`.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The environment variable with the server's URL.
pub const TEST_POSTGRES: &str = "ANYQTAMA_TEST_POSTGRES";

/// The server's URL, or `None` after printing that `test` was skipped (past the test
/// harness's capture); panics under `CI=true`, where the PostgreSQL tests must run.
pub fn server(test: &str, command: &str) -> Option<String> {
    match std::env::var(TEST_POSTGRES) {
        Ok(url) => Some(url),
        Err(_) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but {TEST_POSTGRES} is not set: CI must run the PostgreSQL tests (.ci/postgres.sh)"
            );
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED {test} on PostgreSQL: {TEST_POSTGRES} is not set (bash .ci/postgres.sh {command})"
            );
            None
        }
    }
}

/// A client of `url`.
pub fn client(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).expect("the test PostgreSQL server answers")
}

/// A database of its own for one register, dropped with it (and its snapshot, if one was
/// made).
pub struct PgDb {
    /// The server's URL (a superuser's).
    pub admin: String,
    /// The database's name.
    pub name: String,
    /// The database's URL.
    pub url: String,
    /// Whether a snapshot `NAME_snap` was made.
    pub snapshot: bool,
}

impl PgDb {
    /// A new, empty database on the server of `admin`.
    pub fn create(admin: &str) -> PgDb {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let name = format!("anyqtama_t{}_{}", std::process::id(), COUNT.fetch_add(1, Ordering::Relaxed));
        client(admin).batch_execute(&format!("CREATE DATABASE {name}")).expect("create database");
        let (server, _) = admin.rsplit_once('/').expect("a URL with a database");
        let url = format!("{server}/{name}");
        PgDb { admin: admin.to_owned(), name, url, snapshot: false }
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
            if self.snapshot {
                let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {}_snap WITH (FORCE)", self.name));
            }
        }
    }
}
