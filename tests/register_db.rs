//! `anyqtama register`: the Register of state registration (order 246, appendix 2) kept as a
//! journal, in SQLite and in PostgreSQL. A month of acts from an empty directory, the
//! conclusion, stamp and journal agreeing on number and date, refusals that store nothing,
//! concurrent clerks, processes killed in the middle of adds, and rows edited behind the
//! tool's back.
//!
//! The tests of the register's rules run twice, `NAME::sqlite` and `NAME::postgres` (see
//! [`both_stores!`]): the PostgreSQL run makes a fresh database on the server of
//! `ANYQTAMA_TEST_POSTGRES` (a superuser's URL; `.ci/postgres.sh` starts one). Without that
//! variable the PostgreSQL run prints a SKIPPED line, and fails when `CI=true`.

mod common;

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::pg::{PgDb, TEST_POSTGRES};
use common::*;
use rusqlite::Connection;

/// Which store a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

thread_local! {
    static BACKEND: Cell<Backend> = const { Cell::new(Backend::Sqlite) };
    static PG: RefCell<Option<PgDb>> = const { RefCell::new(None) };
}

fn backend() -> Backend {
    BACKEND.get()
}

/// Runs `test` against one store. Without a server, the PostgreSQL run says loudly that it
/// was skipped (past the test harness's capture), and fails in CI.
fn with_store(backend: Backend, name: &str, test: fn()) {
    if backend == Backend::Postgres && common::pg::server(name, "cargo test --test register_db").is_none() {
        return;
    }
    BACKEND.set(backend);
    test();
    PG.take();
}

/// Each test in the list runs as `NAME::sqlite` and `NAME::postgres`.
macro_rules! both_stores {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn sqlite() {
                    super::with_store(super::Backend::Sqlite, stringify!($name), super::$name);
                }
                #[test]
                fn postgres() {
                    super::with_store(super::Backend::Postgres, stringify!($name), super::$name);
                }
            }
        )*
    };
}

use common::pg::client as pg_client;

/// Makes the database of the next register: nothing for SQLite (`register.db` in the test's
/// directory), a new empty database for PostgreSQL.
fn new_db() {
    if backend() == Backend::Postgres {
        PG.set(Some(PgDb::create(&std::env::var(TEST_POSTGRES).expect("a test server"))));
    }
}

/// The PostgreSQL register's URL, when the test runs against PostgreSQL.
fn pg_url() -> Option<String> {
    PG.with_borrow(|db| db.as_ref().map(|db| db.url.clone()))
}

/// How the tool names the register in its messages: `register.db`, or the URL.
fn shown() -> String {
    match pg_url() {
        Some(url) => anyqtama::register::Location::parse(url.as_ref()).expect("a URL").to_string(),
        None => "register.db".into(),
    }
}

/// `text` with the register's name as the tool prints it.
fn named(text: &str) -> String {
    text.replace("register.db", &shown())
}

/// The register's --db: the file in `dir`, or the URL.
fn db_arg(dir: &Path) -> String {
    pg_url().unwrap_or_else(|| dir.join("register.db").to_str().expect("utf-8").to_owned())
}

/// Whether a register was made (the file, or the table of migrations).
fn db_exists(dir: &Path) -> bool {
    match pg_url() {
        Some(url) => pg_client(&url)
            .query_one("SELECT to_regclass('schema_migrations') IS NOT NULL", &[])
            .expect("query")
            .get(0),
        None => dir.join("register.db").exists(),
    }
}

/// Runs SQL on the register as it stands (its triggers in force).
fn try_sql(dir: &Path, sql: &str) -> Result<(), String> {
    match pg_url() {
        Some(url) => pg_client(&url).batch_execute(sql).map_err(|e| format!("{e:?}")),
        None => Connection::open(dir.join("register.db"))
            .expect("open")
            .execute_batch(sql)
            .map_err(|e| e.to_string()),
    }
}

/// Runs SQL on the register behind the tool's back, past the triggers that guard it: SQLite's
/// are removed; PostgreSQL's are disabled for the edit by a superuser and enabled again.
fn tamper(dir: &Path, sql: &str) {
    tamper_with(dir, sql, &[]);
}

/// [`tamper`] with parameters (`$1`, `$2`, … in both databases).
fn tamper_with(dir: &Path, sql: &str, params: &[&str]) {
    match pg_url() {
        Some(url) => {
            let mut client = pg_client(&url);
            let mut tx = client.transaction().expect("begin");
            tx.batch_execute(
                "ALTER TABLE entries DISABLE TRIGGER USER; ALTER TABLE sequences DISABLE TRIGGER USER",
            )
            .expect("disable");
            if params.is_empty() {
                tx.batch_execute(sql).expect("edit");
            } else {
                let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
                    params.iter().map(|p| p as &(dyn postgres::types::ToSql + Sync)).collect();
                tx.execute(sql, &params).expect("edit");
            }
            tx.batch_execute(
                "ALTER TABLE IF EXISTS entries ENABLE TRIGGER USER; ALTER TABLE IF EXISTS sequences ENABLE TRIGGER USER",
            )
            .expect("enable");
            tx.commit().expect("commit");
        }
        None => {
            let conn = Connection::open(dir.join("register.db")).expect("open");
            conn.execute_batch(
                "DROP TRIGGER IF EXISTS entries_are_never_changed; DROP TRIGGER IF EXISTS entries_are_never_removed; \
                 DROP TRIGGER IF EXISTS sequences_are_fixed;",
            )
            .expect("drop");
            if params.is_empty() {
                conn.execute_batch(sql).expect("edit");
            } else {
                conn.execute(sql, rusqlite::params_from_iter(params)).expect("edit");
            }
        }
    }
}

/// A copy of the register as it stands, to start each tampering from.
enum Snapshot {
    File(Vec<u8>),
    Database,
}

fn snapshot(dir: &Path) -> Snapshot {
    match pg_url() {
        Some(_) => PG.with_borrow_mut(|db| {
            let db = db.as_mut().expect("a database");
            pg_client(&db.admin)
                .batch_execute(&format!("CREATE DATABASE {0}_snap TEMPLATE {0}", db.name))
                .expect("snapshot");
            db.snapshot = true;
            Snapshot::Database
        }),
        None => Snapshot::File(std::fs::read(dir.join("register.db")).expect("read")),
    }
}

fn restore(dir: &Path, snapshot: &Snapshot) {
    match snapshot {
        Snapshot::Database => PG.with_borrow(|db| {
            let db = db.as_ref().expect("a database");
            let mut admin = pg_client(&db.admin);
            admin.batch_execute(&format!("DROP DATABASE {} WITH (FORCE)", db.name)).expect("drop");
            admin.batch_execute(&format!("CREATE DATABASE {0} TEMPLATE {0}_snap", db.name)).expect("restore");
        }),
        Snapshot::File(bytes) => {
            std::fs::write(dir.join("register.db"), bytes).expect("restore");
            let _ = std::fs::remove_file(dir.join("register.db-wal"));
            let _ = std::fs::remove_file(dir.join("register.db-shm"));
        }
    }
}

/// Runs `anyqtama ARGS` in `dir`, with no SOURCE_DATE_EPOCH and no ANYQTAMA_TODAY, and no
/// register named by the environment (SQLite: ./register.db) or the test's PostgreSQL
/// database.
fn reg(dir: &Path, args: &[&str]) -> Output {
    command(dir, args).output().expect("the binary runs")
}

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_anyqtama"));
    c.args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("ANYQTAMA_REGISTER")
        .env_remove("ANYQTAMA_TODAY");
    if let Some(url) = pg_url() {
        c.env("ANYQTAMA_REGISTER", url);
    }
    c
}

/// Runs and asserts success; returns standard output.
fn ok(dir: &Path, args: &[&str]) -> String {
    let out = reg(dir, args);
    assert_eq!(out.status.code(), Some(0), "{args:?} failed: {}", stderr(&out));
    stdout(&out)
}

/// Runs and asserts the exit code and the whole of standard error (in which `register.db`
/// stands for the register's name, [`named`]).
fn refused(dir: &Path, args: &[&str], code: i32, expected: &str) {
    let out = reg(dir, args);
    assert_eq!(stderr(&out), named(expected), "stderr of {args:?}");
    assert_eq!(out.status.code(), Some(code), "exit code of {args:?}");
    assert_eq!(stdout(&out), "", "stdout of {args:?}");
}

/// The path of a sample act.
fn sample(name: &str) -> String {
    root().join("samples/register-acts").join(name).to_str().expect("utf-8").to_owned()
}

/// The sample acts registered on `date` (their names begin with it), in name order.
fn samples_of(date: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("samples/register-acts"))
        .expect("samples")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(date))
        .collect();
    names.sort();
    names.iter().map(|n| sample(n)).collect()
}

/// (seq, body, number, hash) of every entry, read straight from the database.
fn rows(dir: &Path) -> Vec<(i64, String, Option<i64>, String)> {
    const SQL: &str = "SELECT seq, body, number, hash FROM entries ORDER BY seq";
    if let Some(url) = pg_url() {
        let rows = pg_client(&url).query(SQL, &[]).expect("query");
        return rows.iter().map(|r| (r.get(0), r.get(1), r.get(2), r.get(3))).collect();
    }
    let conn = Connection::open(dir.join("register.db")).expect("open");
    let mut stmt = conn.prepare(SQL).expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("query")
        .map(|r| r.expect("row"))
        .collect()
}

/// The numbers `add` printed: "registered FILE as № N of DATE".
fn printed_numbers(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("registered "))
        .filter_map(|l| l.split(" as № ").nth(1))
        .map(|l| l.split(' ').next().unwrap_or_default().to_owned())
        .collect()
}

/// A minimal valid act (Ministry), to be registered many times.
const ACT: &str = "form: act
act:
  form: {kk: бұйрық, ru: приказ}
  adopted_on: 2026-10-01
  number: \"17\"
  title: {kk: Қағидаларды бекіту туралы, ru: Об утверждении Правил}
submitting_body: {kk: Қазақстан Республикасының Қаржы министрлігі, ru: Министерство финансов Республики Казахстан}
legal_basis: {kk: Заңның 5-бабы, ru: статья 5 Закона}
received_on: 2026-10-05
justice_body: {kk: Қазақстан Республикасының Әділет министрлігінде, ru: Министерстве юстиции Республики Казахстан}
specialist:
  position: {kk: Бас сарапшы, ru: Главный эксперт}
  name: {kk: Ә. Б. Жұмабекова, ru: Жумабекова А. Б.}
";

/// A fresh directory with a register (`init` with `init_args`) and the act above as act.yaml.
fn fresh(init_args: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    new_db();
    std::fs::write(dir.path().join("act.yaml"), ACT).expect("act written");
    let mut args = vec!["register", "init"];
    args.extend_from_slice(init_args);
    ok(dir.path(), &args);
    dir
}

both_stores!(
    a_month_of_acts_amended_suspended_invalidated_and_cancelled_prints_one_story,
    an_invalid_act_or_an_unknown_number_is_refused_and_nothing_is_stored,
    rows_changed_behind_the_tools_back_are_caught_by_verify,
    eight_clerks_adding_at_once_get_consecutive_numbers,
    processes_killed_in_the_middle_of_adds_leave_no_gap_duplicate_or_broken_chain,
    eight_processes_of_25_adds_killed_at_random_leave_no_gap_or_duplicate,
    issue_9_a_date_after_today_is_refused_and_the_register_is_not_frozen,
    issue_9_the_last_number_of_a_sequence_is_printed_and_the_next_refused,
    issue_9_the_same_act_twice_is_refused_unless_allowed_and_then_recorded,
    issue_9_no_command_prints_from_or_adds_to_a_broken_chain,
    issue_9_a_recorded_head_catches_rewritten_hashes_and_a_forged_last_entry,
    a_damaged_register_is_named,
);

fn a_month_of_acts_amended_suspended_invalidated_and_cancelled_prints_one_story() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    new_db();
    let init = ok(
        d,
        &[
            "register",
            "init",
            "--start-number",
            "23501",
            "--start-number",
            "09=6010",
            "--start-number",
            "02=1650",
        ],
    );
    assert!(init.starts_with(&named("created the register register.db\n")), "{init}");
    assert!(db_exists(d));

    // Six working days of registrations, as the clerk types them.
    let mut numbers = Vec::new();
    for date in ["2026-11-02", "2026-11-05", "2026-11-10", "2026-11-13", "2026-11-18", "2026-11-23"] {
        let acts = samples_of(date);
        assert!(!acts.is_empty(), "samples of {date}");
        let mut args = vec!["register", "add", "--date", date];
        args.extend(acts.iter().map(String::as_str));
        numbers.extend(printed_numbers(&ok(d, &args)));
    }
    let ministry: Vec<String> = (23501..=23516).map(|n| n.to_string()).collect();
    let expected_order = [
        "23501", "23502", "23503", "23504", "23505", "6010-09", "1650-02", "23506", "23507", "23508",
        "23509", "23510", "6011-09", "23511", "23512", "23513", "23514", "23515", "23516",
    ];
    assert_eq!(numbers, expected_order, "one sequence per body, in the order of registration");
    assert!(ministry.iter().all(|n| numbers.contains(n)));

    // The later entries, with the documents of each.
    let amend = ok(
        d,
        &[
            "register",
            "amend",
            "23502",
            "--by",
            &sample("amends-23502-health-standard.yaml"),
            "--date",
            "2026-11-25",
            "--conclusion",
            "c-23517.pdf",
            "--stamp",
            "s-23517.pdf",
        ],
    );
    assert_eq!(printed_numbers(&amend), ["23517"]);
    assert!(amend.contains("wrote c-23517.pdf\nwrote s-23517.pdf\n"), "{amend}");
    let suspend = ok(
        d,
        &[
            "register",
            "suspend",
            "23503",
            "--by",
            &sample("suspends-23503-agriculture-subsidies.yaml"),
            "--date",
            "2026-11-26",
        ],
    );
    assert_eq!(printed_numbers(&suspend), ["23518"]);
    let invalidate = ok(
        d,
        &[
            "register",
            "invalidate",
            "6011-09",
            "--by",
            &sample("invalidates-6011-09-karaganda-preschool.yaml"),
            "--date",
            "2026-11-27",
            "--conclusion",
            "c-6012-09.pdf",
            "--stamp",
            "s-6012-09.pdf",
            "--stamp-lang",
            "ru",
        ],
    );
    assert_eq!(printed_numbers(&invalidate), ["6012-09"]);
    let court = ok(
        d,
        &[
            "register",
            "cancel-by-court",
            "1650-02",
            "--decision-number",
            "7527-26-00-3а/412",
            "--decision-date",
            "2026-11-11",
            "--in-force-on",
            "2026-11-26",
            "--date",
            "2026-11-30",
        ],
    );
    let (court, head) = court.split_once("\n  head: ").expect("the head printed");
    assert_eq!(court, "entered the court decision cancelling № 1650-02 as entry 23 of 2026-11-30");
    assert_eq!(head.trim_end().len(), 64, "{head}");

    let verify = ok(d, &["register", "verify"]);
    assert!(verify.starts_with(&named(
        "register.db: 23 entries, the chain is intact\n  the Ministry: № 23501 to № 23518\n  region 02: № 1650-02 to № 1650-02\n  region 09: № 6010-09 to № 6012-09\n  head: "
    )), "{verify}");

    // The paper journal: every registration of the month in order, columns 5–8 filled from
    // the later entries in the rows of the acts they concern.
    ok(d, &["register", "export", "--variant", "paper", "--month", "2026-11", "-o", "journal.pdf"]);
    let journal = Pdf::open(&d.join("journal.pdf")).text();
    let rows_in_order = [
        "1 02.11.2026 23501",
        "2 02.11.2026 23502",
        "№ 23517, 25.11.2026",
        "3 05.11.2026 23503",
        "№ 23518, 26.11.2026",
        "4 05.11.2026 23504",
        "6 05.11.2026 6010-09",
        "7 10.11.2026 1650-02",
        "26.11.2026 (11.11.2026, № 7527-26-00-3а/",
        "8 10.11.2026 23506 қпү",
        "13 13.11.2026 6011-09",
        "№ 6012-09, 27.11.2026",
        "14 13.11.2026 23511",
        "20 25.11.2026 23517",
        "21 26.11.2026 23518",
        "22 27.11.2026 6012-09",
    ];
    let mut at = 0;
    for phrase in rows_in_order {
        let found = journal[at..]
            .find(phrase)
            .unwrap_or_else(|| panic!("{phrase:?} after {at} in the journal:\n{journal}"));
        at += found + phrase.len();
    }
    assert!(journal.contains("Қағаз түріндегі нормативтік құқықтық актілерді мемлекеттік тіркеу тізілімі"));
    assert!(!journal.contains("23 30.11.2026"), "a court decision is not a row of its own");

    // The documents of an act carry the journal's number and date.
    let conclusion = Pdf::open(&d.join("c-23517.pdf")).text();
    assert_contains_all(
        &conclusion,
        &[
            "тізіліміне № 23517 енгізуді",
            "2026 жылғы «25» қараша",
            "за № 23517;",
            "«25» ноября 2026 года",
            "ҚР ДСМ-63",
        ],
    );
    let stamp = Pdf::open(&d.join("s-23517.pdf")).text();
    assert_contains_all(&stamp, &["2026 жылғы 25 қарашада № 23517 болып тіркелді"]);
    let regional = Pdf::open(&d.join("s-6012-09.pdf")).text();
    assert_contains_all(
        &regional,
        &["Департамент юстиции Карагандинской области", "27 ноября 2026 года № 6012-09"],
    );
    let regional_conclusion = Pdf::open(&d.join("c-6012-09.pdf")).text();
    assert_contains_all(&regional_conclusion, &["тізіліміне № 6012-09 енгізуді", "за № 6012-09;"]);

    // Printed again later from the record: the act for official use has its mark.
    ok(d, &["register", "conclusion", "23506", "-o", "c-23506.pdf", "--lang", "ru"]);
    assert_contains_all(
        &Pdf::open(&d.join("c-23506.pdf")).text(),
        &["за № 23506 ДСП;", "«10» ноября 2026 года"],
    );
    ok(d, &["register", "stamp", "23506", "-o", "s-23506.pdf"]);
    assert_contains_all(
        &Pdf::open(&d.join("s-23506.pdf")).text(),
        &["2026 жылғы 10 қарашада № 23506 қпү болып тіркелді"],
    );

    // The listing, as text and as JSON, tells the same.
    let list = ok(d, &["register", "list", "--from", "2026-11-25"]);
    assert_eq!(list.lines().count(), 4, "{list}");
    assert!(list.contains("2026-11-25  23517        бұйрық № ҚР ДСМ-63 "), "{list}");
    assert!(list.contains("[amends № 23502]"), "{list}");
    assert!(list.contains("2026-11-30  —            court decision № 7527-26-00-3а/412 of 2026-11-11, in force 2026-11-26 [cancels № 1650-02]"), "{list}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(d, &["register", "list", "--json", "--body", "09"])).expect("JSON");
    let items = json.as_array().expect("a list");
    let numbers: Vec<&str> = items.iter().filter_map(|e| e["number"].as_str()).collect();
    assert_eq!(numbers, ["6010-09", "6011-09", "6012-09"]);
    assert_eq!(items[2]["references"][0]["number"], "6011-09");
    assert_eq!(items[2]["hash"].as_str().map(str::len), Some(64));

    // The intranet register, in Russian, of the same month.
    ok(
        d,
        &[
            "register",
            "export",
            "--variant",
            "intranet",
            "--month",
            "2026-11",
            "--lang",
            "ru",
            "-o",
            "intranet.pdf",
        ],
    );
    let intranet = Pdf::open(&d.join("intranet.pdf")).text();
    assert!(
        intranet
            .contains("Реестр государственной регистрации нормативных правовых актов на интранет-портале")
    );
    assert!(intranet.contains("23506 ДСП"));
}

fn an_invalid_act_or_an_unknown_number_is_refused_and_nothing_is_stored() {
    let dir = fresh(&["--start-number", "23501"]);
    let d = dir.path();
    ok(d, &["register", "add", "act.yaml", "--date", "2026-11-02"]);

    let no_title = ACT.replace("  title: {kk: Қағидаларды бекіту туралы, ru: Об утверждении Правил}\n", "");
    std::fs::write(d.join("bad.yaml"), no_title).expect("write");
    refused(
        d,
        &["register", "add", "bad.yaml", "--date", "2026-11-03", "--conclusion", "c.pdf", "--stamp", "s.png"],
        2,
        "error: bad.yaml:3:3: act.title: required field is missing\n",
    );
    // Issue 9: an act file that is not UTF-8 is invalid input (exit 2), named, with a hint.
    std::fs::write(d.join("cp1251.yaml"), b"form: act\ntitle: \xc0\xea\xf2\n").expect("write");
    refused(
        d,
        &["register", "add", "cp1251.yaml", "--date", "2026-11-03"],
        2,
        "error: cp1251.yaml:2:8: the file is not valid UTF-8\n  hint: the file looks like Windows-1251 (Cyrillic); save it as UTF-8\n",
    );
    let late = ACT.replace("received_on: 2026-10-05", "received_on: 2026-11-04");
    std::fs::write(d.join("late.yaml"), late).expect("write");
    refused(
        d,
        &["register", "add", "late.yaml", "--date", "2026-11-03"],
        2,
        "error: late.yaml:9:14: received_on: 2026-11-04 is after the date of registration 2026-11-03\n",
    );
    let regional = format!("region_index: \"09\"\n{ACT}");
    std::fs::write(d.join("regional.yaml"), regional).expect("write");
    refused(
        d,
        &["register", "add", "regional.yaml", "--date", "2026-11-03"],
        2,
        "error: regional.yaml:1:15: issuer: required for a registration by a regional justice department (the stamp's first line)\n  hint: e.g. issuer: {kk: Қарағанды облысының Әділет департаменті, ru: Департамент юстиции Карагандинской области}\n",
    );
    refused(
        d,
        &["register", "amend", "23999", "--by", "act.yaml", "--date", "2026-11-03"],
        2,
        "error: register.db: № 23999 is not in the register\n",
    );
    refused(
        d,
        &["register", "suspend", "23x", "--by", "act.yaml", "--date", "2026-11-03"],
        2,
        "error: \"23x\" is not a state registration number (write 23516, or 6013-09 for region 09)\n",
    );
    refused(
        d,
        &["register", "add", "act.yaml", "--date", "2026-11-01"],
        2,
        "error: register.db: the register is kept in chronological order: its last entry is of 2026-11-02, so a new entry cannot be of 2026-11-01\n",
    );
    refused(
        d,
        &["register", "add", "act.yaml", "--date", "2026-02-30"],
        2,
        "error: --date: 2026-02-30 is not a date in the calendar\n",
    );

    // Nothing of it was stored, no number was used, no document written.
    let entries = rows(d);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].2, Some(23501));
    assert!(!d.join("c.pdf").exists() && !d.join("s.png").exists());
    assert_eq!(
        printed_numbers(&ok(
            d,
            &["register", "add", "act.yaml", "--date", "2026-11-03", "--allow-duplicate"]
        )),
        ["23502"]
    );

    // One court cancellation per registration (column 8 holds one decision).
    let court = [
        "register",
        "cancel-by-court",
        "23501",
        "--decision-number",
        "2-1/5",
        "--decision-date",
        "2026-11-03",
        "--in-force-on",
        "2026-11-04",
        "--date",
        "2026-11-05",
    ];
    ok(d, &court);
    refused(
        d,
        &court,
        2,
        "error: register.db: the state registration № 23501 was already cancelled by a court decision (entry 3)\n",
    );
    refused(
        d,
        &[
            "register",
            "cancel-by-court",
            "23502",
            "--decision-number",
            "2-1/6",
            "--decision-date",
            "2026-11-04",
            "--in-force-on",
            "2026-11-04",
            "--date",
            "2026-11-05",
        ],
        2,
        "error: --in-force-on: 2026-11-04 must be after the date of the decision 2026-11-04\n",
    );
    assert_eq!(rows(d).len(), 3);
    ok(d, &["register", "verify"]);
}

#[test]
fn files_that_are_not_registers_are_refused_and_left_as_they_are() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    refused(
        d,
        &["register", "verify"],
        1,
        "error: register.db: no register here (create one with `anyqtama register init`)\n",
    );
    assert!(!d.join("register.db").exists(), "opening does not create a register");

    std::fs::write(d.join("notes.db"), "not a database at all, just text\n".repeat(100)).expect("write");
    let before = std::fs::read(d.join("notes.db")).expect("read");
    refused(
        d,
        &["register", "--db", "notes.db", "list"],
        2,
        "error: notes.db: not an anyqtama register (not an SQLite database)\n",
    );
    assert_eq!(std::fs::read(d.join("notes.db")).expect("read"), before);

    let other = d.join("other.db");
    let conn = Connection::open(&other).expect("create");
    conn.execute_batch("CREATE TABLE t (x); PRAGMA application_id = 1234;").expect("schema");
    drop(conn);
    refused(
        d,
        &["register", "--db", "other.db", "verify"],
        2,
        "error: other.db: not an anyqtama register (application_id 0x000004d2, a register has 0x41515452)\n",
    );

    // A register of a newer format, named by the environment.
    let dir2 = fresh(&[]);
    let newer = dir2.path().join("register.db");
    Connection::open(&newer).expect("open").execute_batch("PRAGMA user_version = 3;").expect("bump");
    let out = command(d, &["register", "list"]).env("ANYQTAMA_REGISTER", &newer).output().expect("runs");
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: register format 3 is newer than this anyqtama reads (up to 2): use a newer anyqtama\n",
            newer.display()
        )
    );
    assert_eq!(out.status.code(), Some(2));
    // `migrate` refuses a newer one the same.
    let out = command(d, &["register", "migrate"]).env("ANYQTAMA_REGISTER", &newer).output().expect("runs");
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: register format 3 is newer than this anyqtama reads (up to 2): use a newer anyqtama\n",
            newer.display()
        )
    );
    assert_eq!(out.status.code(), Some(2));
    refused(
        d,
        &["register", "--db", "notes.db", "migrate"],
        2,
        "error: notes.db: not an anyqtama register (not an SQLite database)\n",
    );
    let current = fresh(&[]);
    assert_eq!(
        ok(current.path(), &["register", "migrate"]),
        "register.db: the register is up to date (format 2)\n"
    );

    // `init` never overwrites.
    refused(
        d,
        &["register", "--db", "notes.db", "init"],
        1,
        "error: notes.db: already exists: `register init` makes a new register and never overwrites what is there\n",
    );
    assert_eq!(std::fs::read(d.join("notes.db")).expect("read"), before);
    refused(
        d,
        &["register", "init", "--start-number", "21=5"],
        2,
        "error: --start-number: \"21=5\" is not NUMBER or RR=NUMBER (a number from 1 to 999999, RR a regional index 01–20)\n",
    );
    assert!(!d.join("register.db").exists());

    // A register is an SQLite file in WAL mode with its application id and format.
    let conn = Connection::open(dir2.path().join("register.db")).expect("open");
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).expect("mode");
    let app: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).expect("id");
    assert_eq!((mode.as_str(), app), ("wal", 0x4151_5452));
}

fn rows_changed_behind_the_tools_back_are_caught_by_verify() {
    let dir = fresh(&["--start-number", "23501"]);
    let d = dir.path();
    ok(
        d,
        &[
            "register",
            "add",
            "act.yaml",
            "act.yaml",
            "act.yaml",
            "act.yaml",
            "--date",
            "2026-11-02",
            "--allow-duplicate",
        ],
    );
    let pristine = snapshot(d);
    // The database itself refuses changes…
    let update = try_sql(d, "UPDATE entries SET number = 23600 WHERE seq = 2");
    assert!(update.is_err_and(|e| e.contains("register entries are never changed")));
    let delete = try_sql(d, "DELETE FROM entries WHERE seq = 4");
    assert!(delete.is_err_and(|e| e.contains("register entries are never removed")));
    let start = try_sql(d, "UPDATE sequences SET start = 23500");
    assert!(start.is_err_and(|e| e.contains("start numbers are fixed at init")));
    // …so a tamperer goes past the triggers.

    // An edited title.
    tamper(d, "UPDATE entries SET act = replace(act, 'Қағидаларды', 'Ережелерді') WHERE seq = 2");
    refused(
        d,
        &["register", "verify"],
        2,
        "error: register.db: entry 2 (№ 23502): its content does not match its hash (it was changed after it was written)\n",
    );
    // Its hash recomputed as well: the next entry's link breaks.
    tamper(d, "UPDATE entries SET hash = '00' || substr(hash, 3) WHERE seq = 2");
    let second = rows(d)[1].3.clone();
    assert!(second.starts_with("00"));
    tamper(d, "UPDATE entries SET act = replace(act, 'Ережелерді', 'Қағидаларды') WHERE seq = 2");
    refused(
        d,
        &["register", "verify"],
        2,
        "error: register.db: entry 2 (№ 23502): its content does not match its hash (it was changed after it was written)\n",
    );

    // A removed entry; an entry renumbered; a start number changed.
    for (sql, message) in [
        ("DELETE FROM entries WHERE seq = 3", "entry 3: is missing (the entries go from 2 to 4)"),
        (
            "UPDATE entries SET number = 23509 WHERE seq = 4",
            "entry 4 (№ 23509): its content does not match its hash (it was changed after it was written)",
        ),
        (
            "UPDATE entries SET registered_on = '2026-11-31' WHERE seq = 1",
            "entry 1: cannot be read (date \"2026-11-31\")",
        ),
        (
            "UPDATE sequences SET start = 23500",
            "entry 1 (№ 23501): does not link to the entry before it (an entry was removed, inserted or changed)",
        ),
    ] {
        restore(d, &pristine);
        ok(d, &["register", "verify"]);
        tamper(d, sql);
        refused(d, &["register", "verify"], 2, &format!("error: register.db: {message}\n"));
    }
}

/// An act file renders as a card with the captions of the conclusion and the register, which
/// must stay the same as theirs.
#[test]
fn act_file_card_uses_the_forms_captions() {
    let act = form_text("246-act");
    let conclusion = form_text("246-app1-conclusion");
    let register = form_text("246-app2-register");
    for key in ["row1_label", "row2_label", "row3_label", "row4_label"] {
        assert_eq!(act[key], conclusion[key], "{key}");
    }
    for key in ["col2", "col3", "col9", "number_regional"] {
        assert_eq!(act[key], register[key], "{key}");
    }
    let (_dir, _path, pdf) = render_to_pdf(&[
        "render",
        "samples/register-acts/2026-11-05-karaganda-land-tax.yaml",
        "--lang",
        "ru",
    ]);
    assert_contains_all(
        &pdf.text(),
        &[
            "Нормативный правовой акт, поступивший на государственную регистрацию",
            "Реквизиты нормативного правового акта:",
            "27.10.2026 № 7/61",
            "Карагандинский областной маслихат",
            "Номер государственной регистрации ________-09",
            "Алиева Гульнар Сериковна",
        ],
    );
}

fn eight_clerks_adding_at_once_get_consecutive_numbers() {
    let dir = fresh(&[]);
    let d = dir.path();
    let started = Instant::now();
    let clerks: Vec<Child> = (0..8)
        .map(|_| {
            let mut args = vec!["register", "add", "--date", "2026-11-02", "--allow-duplicate"];
            args.extend(std::iter::repeat_n("act.yaml", 125));
            command(d, &args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("starts")
        })
        .collect();
    let mut printed = Vec::new();
    for clerk in clerks {
        let out = clerk.wait_with_output().expect("runs");
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let numbers = printed_numbers(&stdout(&out));
        assert_eq!(numbers.len(), 125);
        printed.extend(numbers.into_iter().map(|n| n.parse::<i64>().expect("a number")));
    }
    eprintln!("8 × 125 adds: {:?}", started.elapsed());
    printed.sort_unstable();
    assert_eq!(printed, (1..=1000).collect::<Vec<i64>>(), "every number once, none skipped");
    let entries = rows(d);
    let numbers: Vec<i64> = entries.iter().filter_map(|e| e.2).collect();
    assert_eq!(numbers.len(), 1000);
    assert_eq!(numbers.iter().copied().collect::<BTreeSet<i64>>().len(), 1000);
    let verify = ok(d, &["register", "verify"]);
    assert!(
        verify.starts_with(&named(
            "register.db: 1000 entries, the chain is intact\n  the Ministry: № 1 to № 1000\n"
        )),
        "{verify}"
    );
}

/// A small deterministic generator (xorshift), seeded from the clock; the seed is in every
/// failure message.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn processes_killed_in_the_middle_of_adds_leave_no_gap_duplicate_or_broken_chain() {
    let dir = fresh(&["--start-number", "500"]);
    let d = dir.path();
    let seed =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |t| t.as_nanos() as u64)
            | 1;
    let mut random = Random(seed);
    let mut acknowledged: BTreeSet<i64> = BTreeSet::new();
    let mut killed_mid_add = 0;
    let started = Instant::now();
    let mut round = 0;
    while killed_mid_add < 50 {
        round += 1;
        assert!(
            round <= 100,
            "seed {seed}: only {killed_mid_add} kills in {round} rounds landed in the middle of adds"
        );
        // Two clerks at once; each is killed at a random moment once its adds have begun
        // (its first number is printed).
        let mut args = vec!["register", "add", "--date", "2026-11-02", "--allow-duplicate"];
        args.extend(std::iter::repeat_n("act.yaml", 40));
        let mut clerks: Vec<(Child, BufReader<std::process::ChildStdout>, String)> = (0..2)
            .map(|_| {
                let mut child =
                    command(d, &args).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("starts");
                let out = BufReader::new(child.stdout.take().expect("stdout"));
                (child, out, String::new())
            })
            .collect();
        for (_, out, first) in &mut clerks {
            out.read_line(first).expect("read");
        }
        for (child, out, first) in &mut clerks {
            std::thread::sleep(Duration::from_micros(random.below(40_000)));
            let running = child.try_wait().expect("status").is_none();
            child.kill().expect("SIGKILL");
            child.wait().expect("reaped");
            if running {
                killed_mid_add += 1;
            }
            let mut rest = String::new();
            std::io::Read::read_to_string(out, &mut rest).expect("read");
            for n in printed_numbers(&format!("{first}{rest}")) {
                acknowledged.insert(n.parse().expect("a number"));
            }
        }

        // No duplicate, no gap, no half entry; every number the tool printed is there.
        let entries = rows(d);
        let numbers: Vec<i64> = entries.iter().map(|e| e.2.expect("a number")).collect();
        let expected: Vec<i64> = (500..500 + entries.len() as i64).collect();
        assert_eq!(numbers, expected, "seed {seed}, round {round}: numbers");
        let seqs: Vec<i64> = entries.iter().map(|e| e.0).collect();
        assert_eq!(
            seqs,
            (1..=entries.len() as i64).collect::<Vec<_>>(),
            "seed {seed}, round {round}: chain places"
        );
        assert!(entries.iter().all(|e| e.3.len() == 64), "seed {seed}, round {round}: hashes");
        assert!(
            acknowledged.iter().all(|n| numbers.contains(n)),
            "seed {seed}, round {round}: a printed number was lost"
        );
        let verify = reg(d, &["register", "verify"]);
        assert_eq!(verify.status.code(), Some(0), "seed {seed}, round {round}: {}", stderr(&verify));
    }
    let verify = ok(d, &["register", "verify"]);
    assert!(verify.contains("the chain is intact"), "{verify}");
    eprintln!(
        "{round} rounds of two clerks, {killed_mid_add} killed mid-add, {} entries: {:?}",
        rows(d).len(),
        started.elapsed()
    );
}

/// Issue 13 §1: eight clerks at once, 25 adds each, every one killed (SIGKILL) at a random
/// moment: the numbers they got are consecutive, none twice, and the chain is intact.
fn eight_processes_of_25_adds_killed_at_random_leave_no_gap_or_duplicate() {
    let dir = fresh(&["--start-number", "23501"]);
    let d = dir.path();
    let seed =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |t| t.as_nanos() as u64)
            | 1;
    let mut random = Random(seed);
    let mut args = vec!["register", "add", "--date", "2026-11-02", "--allow-duplicate"];
    args.extend(std::iter::repeat_n("act.yaml", 25));
    let started = Instant::now();
    let mut clerks: Vec<(Child, Duration)> = (0..8)
        .map(|_| {
            let child =
                command(d, &args).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("starts");
            (child, Duration::from_millis(100 + random.below(1_500)))
        })
        .collect();
    clerks.sort_by_key(|(_, at)| *at);
    let mut killed_running = 0;
    let mut acknowledged: BTreeSet<i64> = BTreeSet::new();
    for (mut child, at) in clerks {
        if let Some(wait) = at.checked_sub(started.elapsed()) {
            std::thread::sleep(wait);
        }
        if child.try_wait().expect("status").is_none() {
            killed_running += 1;
        }
        child.kill().expect("SIGKILL");
        let out = child.wait_with_output().expect("reaped");
        for n in printed_numbers(&stdout(&out)) {
            acknowledged.insert(n.parse().expect("a number"));
        }
    }
    let entries = rows(d);
    let numbers: Vec<i64> = entries.iter().map(|e| e.2.expect("a number")).collect();
    assert_eq!(numbers, (23501..23501 + entries.len() as i64).collect::<Vec<_>>(), "seed {seed}: numbers");
    assert_eq!(
        entries.iter().map(|e| e.0).collect::<Vec<_>>(),
        (1..=entries.len() as i64).collect::<Vec<_>>(),
        "seed {seed}: chain places"
    );
    assert!(acknowledged.iter().all(|n| numbers.contains(n)), "seed {seed}: a printed number was lost");
    assert!(entries.len() < 200, "seed {seed}: the clerks were killed before they finished");
    let verify = ok(d, &["register", "verify"]);
    assert!(verify.contains(&format!("{} entries, the chain is intact", entries.len())), "{verify}");
    eprintln!(
        "8 clerks × 25 adds, {killed_running} killed while running, {} entries kept: {:?}",
        entries.len(),
        started.elapsed()
    );
    // The register goes on after the kills.
    let added = ok(d, &["register", "add", "act.yaml", "--date", "2026-11-03", "--allow-duplicate"]);
    assert_eq!(printed_numbers(&added), [(23501 + entries.len() as i64).to_string()]);
}

// Issue 9 §4: the register cannot be frozen, fooled or printed from a broken chain.

/// Runs with "today" fixed by ANYQTAMA_TODAY.
fn reg_on(dir: &Path, today: &str, args: &[&str]) -> Output {
    command(dir, args).env("ANYQTAMA_TODAY", today).output().expect("the binary runs")
}

/// The act above with another act number, so that it is another act.
fn act_numbered(number: &str) -> String {
    ACT.replace("number: \"17\"", &format!("number: \"{number}\""))
}

/// The head hash `add` printed after its last registration.
fn printed_head(stdout: &str) -> String {
    let head = stdout.lines().filter_map(|l| l.strip_prefix("  head: ")).next_back().expect("a head printed");
    assert_eq!(head.len(), 64, "{stdout}");
    head.to_owned()
}

fn issue_9_a_date_after_today_is_refused_and_the_register_is_not_frozen() {
    let dir = fresh(&[]);
    let d = dir.path();
    let out = reg_on(d, "2026-11-30", &["register", "add", "act.yaml", "--date", "2026-12-01"]);
    assert_eq!(
        stderr(&out),
        named(
            "error: register.db: the date 2026-12-01 is later than today (2026-11-30): an entry is made on the day of the registration, never ahead\n"
        )
    );
    assert_eq!(out.status.code(), Some(2));
    // Without the variable, today is the machine's date (in Kazakhstan): far ahead is refused.
    let out = reg(d, &["register", "add", "act.yaml", "--date", "2206-11-02"]);
    assert!(
        stderr(&out).starts_with(&named("error: register.db: the date 2206-11-02 is later than today (20")),
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(2));
    let court = |date: &str| -> Vec<String> {
        [
            "register",
            "cancel-by-court",
            "1",
            "--decision-number",
            "2-1/5",
            "--decision-date",
            "2026-11-03",
            "--in-force-on",
            "2026-11-04",
            "--date",
            date,
        ]
        .map(String::from)
        .to_vec()
    };
    assert!(rows(d).is_empty(), "nothing stored, no number used");

    // The register goes on: today's date is accepted, and the next day's the day after.
    let out = reg_on(d, "2026-11-30", &["register", "add", "act.yaml", "--date", "2026-11-30"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(printed_numbers(&stdout(&out)), ["1"]);
    let args = court("2026-12-01");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = reg_on(d, "2026-11-30", &args);
    assert_eq!(
        stderr(&out),
        named(
            "error: register.db: the date 2026-12-01 is later than today (2026-11-30): an entry is made on the day of the registration, never ahead\n"
        )
    );
    assert_eq!(out.status.code(), Some(2));
    let out = reg_on(d, "2026-12-01", &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(rows(d).len(), 2);

    // Without --date the entry is of today; a variable that is not a date is refused.
    std::fs::write(d.join("act2.yaml"), act_numbered("18")).expect("write");
    let out = reg_on(d, "2026-12-02", &["register", "add", "act2.yaml"]);
    assert!(stdout(&out).starts_with("registered act2.yaml as № 2 of 2026-12-02\n"), "{}", stdout(&out));
    let out = reg_on(d, "tomorrow", &["register", "add", "act2.yaml", "--date", "2026-12-02"]);
    assert_eq!(
        stderr(&out),
        named("error: register.db: ANYQTAMA_TODAY: \"tomorrow\" is not a date (expected YYYY-MM-DD)\n")
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(rows(d).len(), 3);
}

fn issue_9_the_last_number_of_a_sequence_is_printed_and_the_next_refused() {
    let dir = fresh(&["--start-number", "999999", "--start-number", "09=999998"]);
    let d = dir.path();
    std::fs::write(d.join("act2.yaml"), act_numbered("18")).expect("write");
    let added = ok(d, &["register", "add", "act.yaml", "--date", "2026-11-02"]);
    assert_eq!(printed_numbers(&added), ["999999"]);

    // The last number can be printed: the conclusion, the stamp and the month's journal.
    ok(d, &["register", "conclusion", "999999", "-o", "c.pdf"]);
    assert_contains_all(
        &Pdf::open(&d.join("c.pdf")).text(),
        &["тізіліміне № 999999 енгізуді", "за № 999999;"],
    );
    ok(d, &["register", "stamp", "999999", "-o", "s.pdf"]);
    assert_contains_all(&Pdf::open(&d.join("s.pdf")).text(), &["№ 999999 болып тіркелді"]);
    ok(d, &["register", "export", "--month", "2026-11", "-o", "j.pdf"]);
    assert_contains_all(&Pdf::open(&d.join("j.pdf")).text(), &["1 02.11.2026 999999"]);

    // The next is refused before a number is given; other sequences go on.
    refused(
        d,
        &["register", "add", "act2.yaml", "--date", "2026-11-03"],
        2,
        "error: register.db: the sequence of the Ministry has reached № 999999, the highest number the forms print: it gives no further number\n",
    );
    let regional = format!(
        "region_index: \"09\"\nissuer: {{kk: Қарағанды облысының Әділет департаменті, ru: Департамент юстиции Карагандинской области}}\n{}",
        act_numbered("19")
    );
    std::fs::write(d.join("regional.yaml"), &regional).expect("write");
    let regional2 = regional.replace("number: \"19\"", "number: \"20\"");
    std::fs::write(d.join("regional2.yaml"), &regional2).expect("write");
    let out = reg(d, &["register", "add", "regional.yaml", "regional2.yaml", "--date", "2026-11-03"]);
    assert_eq!(printed_numbers(&stdout(&out)), ["999998-09", "999999-09"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    std::fs::write(d.join("regional3.yaml"), regional.replace("number: \"19\"", "number: \"21\""))
        .expect("write");
    refused(
        d,
        &["register", "add", "regional3.yaml", "--date", "2026-11-03"],
        2,
        "error: register.db: the sequence of region 09 has reached № 999999-09, the highest number the forms print: it gives no further number\n",
    );
    let numbers: Vec<Option<i64>> = rows(d).iter().map(|r| r.2).collect();
    assert_eq!(numbers, [Some(999_999), Some(999_998), Some(999_999)]);
    ok(d, &["register", "verify"]);

    // A register cannot start past the limit.
    let dir = tempfile::tempdir().expect("temp dir");
    new_db();
    refused(
        dir.path(),
        &["register", "init", "--start-number", "1000000"],
        2,
        "error: --start-number: \"1000000\" is not NUMBER or RR=NUMBER (a number from 1 to 999999, RR a regional index 01–20)\n",
    );
    assert!(!db_exists(dir.path()));
}

fn issue_9_the_same_act_twice_is_refused_unless_allowed_and_then_recorded() {
    let dir = fresh(&["--start-number", "23501"]);
    let d = dir.path();
    ok(d, &["register", "add", "act.yaml", "--date", "2026-11-02"]);
    // The same act, its number and texts spaced and cased otherwise.
    let respaced = ACT.replace("number: \"17\"", "number: \" 17\"").replace(
        "ru: Министерство финансов Республики Казахстан",
        "ru: министерство  финансов Республики Казахстан",
    );
    std::fs::write(d.join("again.yaml"), respaced).expect("write");
    for file in ["act.yaml", "again.yaml"] {
        refused(
            d,
            &["register", "add", file, "--date", "2026-11-03", "--conclusion", "c.pdf"],
            2,
            "error: register.db: the same act (submitting body, form, date of adoption and number) is already registered as № 23501 (entry 1)\n  hint: to register it again all the same, add --allow-duplicate (the entry records it)\n",
        );
    }
    assert!(!d.join("c.pdf").exists());
    assert_eq!(rows(d).len(), 1);

    // Another number, another date or another body is another act.
    std::fs::write(d.join("act18.yaml"), act_numbered("18")).expect("write");
    std::fs::write(d.join("later.yaml"), ACT.replace("adopted_on: 2026-10-01", "adopted_on: 2026-10-02"))
        .expect("write");
    std::fs::write(
        d.join("other.yaml"),
        ACT.replace("ru: Министерство финансов", "ru: Министерство энергетики"),
    )
    .expect("write");
    let added = ok(d, &["register", "add", "act18.yaml", "later.yaml", "other.yaml", "--date", "2026-11-03"]);
    assert_eq!(printed_numbers(&added), ["23502", "23503", "23504"]);

    // Allowed, the entry records the registration it repeats, and the hash covers it.
    let added = ok(d, &["register", "add", "act.yaml", "--date", "2026-11-04", "--allow-duplicate"]);
    assert_eq!(printed_numbers(&added), ["23505"]);
    let list = ok(d, &["register", "list", "--from", "2026-11-04"]);
    assert!(list.ends_with("[repeats № 23501]\n"), "{list}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(d, &["register", "list", "--json", "--from", "2026-11-04"])).expect("JSON");
    assert_eq!(json[0]["references"], serde_json::json!([{"relation": "repeats", "number": "23501"}]));
    ok(d, &["register", "verify"]);
    tamper(d, "UPDATE entries SET refs = '[]' WHERE seq = 5");
    refused(
        d,
        &["register", "verify"],
        2,
        "error: register.db: entry 5 (№ 23505): its content does not match its hash (it was changed after it was written)\n",
    );
}

fn issue_9_no_command_prints_from_or_adds_to_a_broken_chain() {
    let dir = fresh(&[]);
    let d = dir.path();
    std::fs::write(d.join("act2.yaml"), act_numbered("18")).expect("write");
    std::fs::write(d.join("act3.yaml"), act_numbered("19")).expect("write");
    ok(d, &["register", "add", "act.yaml", "act2.yaml", "--date", "2026-11-02"]);
    let pristine = snapshot(d);
    let court = [
        "register",
        "cancel-by-court",
        "2",
        "--decision-number",
        "2-1/5",
        "--decision-date",
        "2026-11-03",
        "--in-force-on",
        "2026-11-04",
        "--date",
        "2026-11-05",
    ];
    let commands: [&[&str]; 9] = [
        &["register", "add", "act3.yaml", "--date", "2026-11-03"],
        &["register", "amend", "2", "--by", "act3.yaml", "--date", "2026-11-03"],
        &court,
        &["register", "conclusion", "2", "-o", "c.pdf"],
        &["register", "stamp", "2", "-o", "s.png"],
        &["register", "list"],
        &["register", "list", "--json"],
        &["register", "export", "--month", "2026-11", "-o", "j.pdf"],
        &["register", "export", "--variant", "intranet", "-o", "i.pdf"],
    ];
    let hint = "  hint: nothing is printed from or added to a register whose chain fails; `anyqtama register verify` checks it, and the register is restored from a copy\n";
    for (sql, problem) in [
        (
            "UPDATE entries SET act = replace(act, 'Қағидаларды', 'Ережелерді') WHERE seq = 1",
            "entry 1 (№ 1): its content does not match its hash (it was changed after it was written)",
        ),
        (
            "UPDATE entries SET registered_on = '2026-11-31' WHERE seq = 2",
            "entry 2: cannot be read (date \"2026-11-31\")",
        ),
        ("DELETE FROM entries WHERE seq = 1", "entry 1: is missing (the entries go from 0 to 2)"),
    ] {
        restore(d, &pristine);
        tamper(d, sql);
        let before = rows(d);
        for args in commands {
            refused(
                d,
                args,
                2,
                &format!("error: register.db: the chain of entries is broken at {problem}\n{hint}"),
            );
        }
        assert_eq!(rows(d), before, "nothing appended");
        for file in ["c.pdf", "s.png", "j.pdf", "i.pdf"] {
            assert!(!d.join(file).exists(), "{file} written from a broken chain");
        }
        refused(d, &["register", "verify"], 2, &format!("error: register.db: {problem}\n"));
    }
}

/// Changes the act of entry `seq` and computes its hash and every later one again, as a
/// tamperer who knows the chain's rules would: `verify` alone then finds nothing.
fn rewrite_from(dir: &Path, seq: i64, title: &str) {
    use anyqtama::register::{Location, chain};
    let location = Location::parse(db_arg(dir).as_ref()).expect("a register");
    let mut entries = location.open().expect("open").entries().expect("entries");
    let mut prev = entries[seq as usize - 2].hash.clone();
    for e in entries.iter_mut().skip(seq as usize - 1) {
        if e.seq == seq {
            let act = e.data.act.as_mut().expect("an act");
            act["act"]["title"]["kk"] = serde_json::json!(title);
        }
        e.prev_hash = prev;
        e.hash = chain::entry_hash(&e.prev_hash, &e.content());
        tamper_with(
            dir,
            "UPDATE entries SET act = $1, prev_hash = $2, hash = $3 WHERE seq = CAST(CAST($4 AS TEXT) AS BIGINT)",
            &[&e.content()["act"].to_string(), &e.prev_hash, &e.hash, &e.seq.to_string()],
        );
        prev = e.hash.clone();
    }
}

fn issue_9_a_recorded_head_catches_rewritten_hashes_and_a_forged_last_entry() {
    let dir = fresh(&[]);
    let d = dir.path();
    for n in ["18", "19"] {
        std::fs::write(d.join(format!("act{n}.yaml")), act_numbered(n)).expect("write");
    }
    let first = printed_head(&ok(d, &["register", "add", "act.yaml", "--date", "2026-11-02"]));
    let second = printed_head(&ok(d, &["register", "add", "act18.yaml", "--date", "2026-11-02"]));
    let third = printed_head(&ok(d, &["register", "add", "act19.yaml", "--date", "2026-11-03"]));
    let verify = ok(d, &["register", "verify", "--head", &third]);
    assert!(
        verify.ends_with(&format!(
            "  head: {third}\n  the recorded head is entry 3: the journal leads to it, 0 entries since\n"
        )),
        "{verify}"
    );
    let verify = ok(d, &["register", "verify", "--head", &second.to_uppercase()]);
    assert!(
        verify.ends_with("the recorded head is entry 2: the journal leads to it, 1 entries since\n"),
        "{verify}"
    );

    // The paper journal's certification page carries the hash of its last entry.
    ok(d, &["register", "export", "--month", "2026-11", "-o", "journal.pdf"]);
    let journal = Pdf::open(&d.join("journal.pdf"));
    let last_page = journal.page_text(journal.page_count() as u32);
    assert!(last_page.contains(&format!("Соңғы жазбаның бақылау хэші (SHA-256): {third}")), "{last_page}");
    assert!(last_page.contains("Тізілімді жүргізуге жауапты адам"), "{last_page}");
    // A journal of the first day only: the hash of its own last entry.
    ok(
        d,
        &["register", "export", "--from", "2026-11-01", "--to", "2026-11-02", "--lang", "ru", "-o", "ru.pdf"],
    );
    let journal = Pdf::open(&d.join("ru.pdf"));
    let last_page = journal.page_text(journal.page_count() as u32);
    assert!(
        last_page.contains(&format!("Контрольный хэш последней записи (SHA-256): {second}")),
        "{last_page}"
    );

    // Entry 2 rewritten with every later hash computed again: the chain alone holds…
    let pristine = snapshot(d);
    rewrite_from(d, 2, "Басқа қағидаларды бекіту туралы");
    ok(d, &["register", "verify"]);
    let hint = "  hint: nothing is printed from or added to a register whose chain fails; `anyqtama register verify` checks it, and the register is restored from a copy\n";
    // …but it no longer leads to the heads written down after entries 2 and 3.
    for head in [&second, &third] {
        refused(
            d,
            &["register", "verify", "--head", head],
            2,
            &format!(
                "error: register.db: the recorded head {head} is not in the journal: entries were changed and their hashes computed again, or the last ones replaced\n{hint}"
            ),
        );
    }
    assert!(ok(d, &["register", "verify", "--head", &first]).contains("entry 1: the journal leads to it"));

    // A forged last entry is caught the same way.
    restore(d, &pristine);
    ok(d, &["register", "verify", "--head", &third]);
    rewrite_from(d, 3, "Жалған бұйрық");
    ok(d, &["register", "verify"]);
    let out = reg(d, &["register", "verify", "--head", &third]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not in the journal"), "{}", stderr(&out));
    let out = reg(d, &["register", "verify", "--head", "not-a-hash"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A register with 30 entries, damaged by `setup`: `list`, `add` and `verify` name the damage.
fn damaged(setup: &dyn Fn(&Path), message: &str, verify: &str) {
    let dir = fresh(&[]);
    let d = dir.path();
    let mut args = vec!["register", "add", "--date", "2026-11-02", "--allow-duplicate"];
    args.extend(std::iter::repeat_n("act.yaml", 30));
    ok(d, &args);
    setup(d);
    for args in [&["register", "list"][..], &["register", "add", "act.yaml", "--date", "2026-11-03"]] {
        refused(d, args, 2, &format!("error: register.db: {message}\n"));
    }
    refused(d, &["register", "verify"], 2, &format!("error: register.db: {verify}\n"));
}

fn a_damaged_register_is_named() {
    damaged(
        &|d| tamper(d, "DROP TABLE entries"),
        "the register is damaged (it has no table \"entries\")",
        "the register is damaged (it has no table \"entries\")",
    );
    damaged(
        &|d| tamper(d, "ALTER TABLE entries RENAME COLUMN act TO deed"),
        "the register is damaged (its table \"entries\" has the columns seq, kind, body, number, registered_on, for_official_use, refs, court, deed, prev_hash, hash, clerk instead of seq, kind, body, number, registered_on, for_official_use, refs, court, act, prev_hash, hash, clerk)",
        "the register is damaged (its table \"entries\" has the columns seq, kind, body, number, registered_on, for_official_use, refs, court, deed, prev_hash, hash, clerk instead of seq, kind, body, number, registered_on, for_official_use, refs, court, act, prev_hash, hash, clerk)",
    );
}

#[test]
fn issue_9_a_damaged_register_file_is_named_and_a_failed_init_leaves_nothing() {
    let damaged = |setup: &dyn Fn(&Path), message: &str, verify: &str| {
        damaged(&|d| setup(&d.join("register.db")), message, verify)
    };
    // Bad bytes over every page but the first (the header and the schema).
    damaged(
        &|db| {
            let conn = Connection::open(db).expect("open");
            conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").expect("checkpoint");
            drop(conn);
            let mut bytes = std::fs::read(db).expect("read");
            assert!(bytes.len() > 3 * 4096, "several pages");
            for b in &mut bytes[4096..] {
                *b = 0xa5;
            }
            std::fs::write(db, bytes).expect("write");
        },
        "the register is damaged (its pages are not intact: restore it from a copy)",
        "the register is damaged (its pages are not intact: restore it from a copy)",
    );
    // Bytes that are not UTF-8 in an entry.
    damaged(
        &|db| {
            tamper(
                db.parent().expect("a directory"),
                "UPDATE entries SET act = CAST(X'7B22FF22' AS TEXT) WHERE seq = 7",
            )
        },
        "the chain of entries is broken at entry 7: cannot be read (its act is not UTF-8 text)\n  hint: nothing is printed from or added to a register whose chain fails; `anyqtama register verify` checks it, and the register is restored from a copy",
        "entry 7: cannot be read (its act is not UTF-8 text)",
    );

    // `init` on a disk that is full: no file is left behind.
    let dir = tempfile::tempdir().expect("temp dir");
    let script =
        format!("trap '' XFSZ; ulimit -f 1; exec '{}' register init", env!("CARGO_BIN_EXE_anyqtama"));
    let out = Command::new("sh").arg("-c").arg(script).current_dir(dir.path()).output().expect("sh runs");
    assert_eq!(
        stderr(&out),
        "error: register.db: failed to create the register (the file could not be written or read: the disk is full or failed); no file is left\n"
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 0, "no file left behind");
}

// Issue 13 §1: the register in a PostgreSQL database.

/// The test server's URL for another database or user: `postgres://USER[:PASSWORD]@HOST:PORT/DB`.
fn pg_url_as(user: &str, password: Option<&str>, db: &str) -> String {
    let admin = std::env::var(TEST_POSTGRES).expect("a test server");
    let config: postgres::Config = admin.parse().expect("a URL");
    let host = match &config.get_hosts()[0] {
        postgres::config::Host::Tcp(h) => h.clone(),
        other => panic!("a TCP host expected, not {other:?}"),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let password = password.map_or(String::new(), |p| format!(":{p}"));
    format!("postgres://{user}{password}@{host}:{port}/{db}")
}

/// Runs `anyqtama ARGS` with `--db URL`.
fn reg_at(dir: &Path, url: &str, args: &[&str]) -> Output {
    let mut all = vec!["register", "--db", url];
    all.extend_from_slice(args);
    reg(dir, &all)
}

#[test]
fn postgres_databases_that_are_not_registers_are_refused_and_migrations_bring_old_ones_up() {
    with_store(Backend::Postgres, "postgres_databases_that_are_not_registers", || {
        let dir = tempfile::tempdir().expect("temp dir");
        let d = dir.path();
        std::fs::write(d.join("act.yaml"), ACT).expect("act written");
        new_db();
        let url = pg_url().expect("a database");
        let name = shown();
        let expect = |args: &[&str], code: i32, message: &str| {
            let out = reg(d, args);
            assert_eq!(stderr(&out), format!("error: {name}: {message}\n"), "stderr of {args:?}");
            assert_eq!(out.status.code(), Some(code), "exit code of {args:?}");
        };

        // An empty database: no register, and opening makes none.
        expect(&["register", "verify"], 1, "no register here (create one with `anyqtama register init`)");
        assert!(!db_exists(d));

        // Another application's table: init refuses and leaves it as it was.
        try_sql(d, "CREATE TABLE entries (id int); INSERT INTO entries VALUES (7)").expect("other app");
        expect(
            &["register", "init"],
            2,
            "not an anyqtama register (the database has a table \"entries\" but no schema_migrations)",
        );
        expect(&["register", "list"], 2, "not an anyqtama register (it has no table \"schema_migrations\")");
        let kept: i32 = pg_client(&url).query_one("SELECT id FROM entries", &[]).expect("kept").get(0);
        assert_eq!(kept, 7);
        try_sql(d, "DROP TABLE entries").expect("drop");

        // A register; `init` never overwrites it; `migrate` finds it up to date.
        ok(d, &["register", "init", "--start-number", "23501"]);
        expect(
            &["register", "init"],
            1,
            "already exists: `register init` makes a new register and never overwrites what is there",
        );
        assert_eq!(
            ok(d, &["register", "migrate"]),
            format!("{name}: the register is up to date (format 3)\n")
        );
        let versions: Vec<i64> = pg_client(&url)
            .query("SELECT version FROM schema_migrations ORDER BY version", &[])
            .expect("versions")
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(versions, [1, 2, 3]);
        ok(d, &["register", "add", "act.yaml", "--date", "2026-11-02"]);

        // A register of format 1 (before the triggers and the clerk): refused until migrated.
        tamper(
            d,
            "DELETE FROM schema_migrations WHERE version IN (2, 3); ALTER TABLE entries DROP COLUMN clerk; \
             DROP TRIGGER entries_are_never_changed ON entries; DROP TRIGGER entries_are_never_removed ON entries; \
             DROP TRIGGER entries_are_never_truncated ON entries; DROP TRIGGER sequences_are_fixed ON sequences; \
             DROP TRIGGER sequences_are_never_truncated ON sequences; DROP TRIGGER counters_are_never_removed ON counters; \
             DROP FUNCTION anyqtama_refuse()",
        );
        let older =
            "register format 1 is older than this anyqtama writes (3): run `anyqtama register migrate`";
        expect(&["register", "list"], 1, older);
        expect(&["register", "add", "act.yaml", "--date", "2026-11-03", "--allow-duplicate"], 1, older);
        assert_eq!(
            ok(d, &["register", "migrate"]),
            format!("{name}: migrated the register from format 1 to format 3\n")
        );
        assert!(
            try_sql(d, "DELETE FROM entries")
                .is_err_and(|e| e.contains("register entries are never removed"))
        );
        assert!(ok(d, &["register", "verify"]).contains("1 entries, the chain is intact"));

        // A register of a newer format.
        try_sql(d, "INSERT INTO schema_migrations (version, description) VALUES (4, 'later')")
            .expect("newer");
        let newer = "register format 4 is newer than this anyqtama reads (up to 3): use a newer anyqtama";
        expect(&["register", "verify"], 2, newer);
        expect(&["register", "migrate"], 2, newer);
        try_sql(d, "DELETE FROM schema_migrations WHERE version = 4").expect("back");

        // A trigger disabled by the owner: the append-only guard is gone, so it is damage.
        try_sql(d, "ALTER TABLE entries DISABLE TRIGGER entries_are_never_changed").expect("disable");
        expect(
            &["register", "verify"],
            2,
            "the register is damaged (its trigger \"entries_are_never_changed\" is disabled, so entries can be changed behind the register's back)",
        );
        try_sql(d, "ALTER TABLE entries ENABLE TRIGGER entries_are_never_changed").expect("enable");
        ok(d, &["register", "verify"]);

        // An unreachable server, a database that is not there, a URL that cannot be read:
        // one line, the URL without its password.
        let out = reg_at(d, "postgres://clerk:s3cret@127.0.0.1:1/register", &["verify"]);
        assert_eq!(
            stderr(&out),
            "error: postgres://clerk@127.0.0.1:1/register: cannot connect to the database server (connection refused (os error 111))\n"
        );
        assert_eq!(out.status.code(), Some(1));
        let missing = pg_url_as("postgres", None, "anyqtama_no_such_database");
        let out = reg_at(d, &missing, &["list"]);
        assert_eq!(
            stderr(&out),
            format!(
                "error: {}: cannot connect to the database server (database \"anyqtama_no_such_database\" does not exist)\n",
                anyqtama::register::Location::parse(missing.as_ref()).expect("a URL")
            )
        );
        assert_eq!(out.status.code(), Some(1));
        let out = reg_at(d, "postgres://clerk:s3cret@host:port/register", &["verify"]);
        assert_eq!(
            stderr(&out),
            "error: --db: not a database URL of the form postgres://USER[:PASSWORD]@HOST[:PORT]/DB\n"
        );
        assert_eq!(out.status.code(), Some(2));
    });
}

#[test]
fn postgres_a_clerks_role_without_update_or_delete_adds_and_a_failed_init_leaves_nothing() {
    with_store(Backend::Postgres, "postgres_a_clerks_role", || {
        let dir = tempfile::tempdir().expect("temp dir");
        let d = dir.path();
        std::fs::write(d.join("act.yaml"), ACT).expect("act written");
        new_db();
        let url = pg_url().expect("a database");
        let db_name = url.rsplit_once('/').expect("a database").1.to_owned();
        let role = format!("{db_name}_clerk");
        let mut admin = pg_client(&url);
        admin
            .batch_execute(&format!(
                "CREATE ROLE {role} LOGIN PASSWORD 'clerk-secret'; GRANT CONNECT ON DATABASE {db_name} TO {role}; \
                 GRANT USAGE ON SCHEMA public TO {role}"
            ))
            .expect("role");
        let clerk = pg_url_as(&role, Some("clerk-secret"), &db_name);
        let shown = anyqtama::register::Location::parse(clerk.as_ref()).expect("a URL").to_string();
        assert!(!shown.contains("clerk-secret"), "{shown}");

        // The clerk may not create tables (PostgreSQL 15: no CREATE on public): the failed init
        // leaves the database as it was.
        let out = reg_at(d, &clerk, &["init"]);
        assert_eq!(
            stderr(&out),
            format!(
                "error: {shown}: failed to create the register (the database refused (permission denied for schema public)); the database is left as it was\n"
            )
        );
        assert_eq!(out.status.code(), Some(1));
        assert!(!db_exists(d), "no table left");

        // The owner makes the register and grants the clerks what the README says.
        ok(d, &["register", "init", "--start-number", "23501"]);
        admin
            .batch_execute(&format!(
                "GRANT SELECT ON schema_migrations, sequences, entries, counters TO {role}; \
                 GRANT INSERT ON entries TO {role}; GRANT UPDATE ON counters TO {role}"
            ))
            .expect("grants");
        let added =
            reg_at(d, &clerk, &["add", "act.yaml", "act.yaml", "--date", "2026-11-02", "--allow-duplicate"]);
        assert_eq!(added.status.code(), Some(0), "{}", stderr(&added));
        assert_eq!(printed_numbers(&stdout(&added)), ["23501", "23502"]);
        let verify = reg_at(d, &clerk, &["verify"]);
        assert!(
            stdout(&verify).starts_with(&format!("{shown}: 2 entries, the chain is intact\n")),
            "{}",
            stdout(&verify)
        );

        // The clerk's role cannot change or remove entries, nor put the triggers aside.
        let mut as_clerk = pg_client(&clerk);
        for sql in [
            "UPDATE entries SET number = 23600 WHERE seq = 2",
            "DELETE FROM entries WHERE seq = 2",
            "ALTER TABLE entries DISABLE TRIGGER USER",
            "UPDATE sequences SET start = 1",
        ] {
            let refused = as_clerk.batch_execute(sql).expect_err(sql);
            let message = refused.as_db_error().map(|e| e.message().to_owned()).unwrap_or_default();
            assert!(
                message.starts_with("permission denied") || message.starts_with("must be owner"),
                "{sql}: {message}"
            );
        }
        drop(as_clerk);
        drop(admin);
        PG.take();
        let admin = std::env::var(TEST_POSTGRES).expect("a test server");
        pg_client(&admin).batch_execute(&format!("DROP ROLE {role}")).expect("drop role");
    });
}

/// Issue 13: each entry stores its clerk (`--clerk`, else the operating system's user),
/// covered by its hash; a register made before the clerk was kept (format 1) is refused until
/// `migrate` adds the column, and its entries verify as they did.
#[test]
fn the_clerk_is_stored_and_hashed_and_an_older_register_migrates() {
    let dir = fresh(&["--start-number", "23501"]);
    let d = dir.path();
    let db = d.join("register.db");
    // An entry of a register of format 1: no clerk.
    ok(d, &["register", "add", "act.yaml", "--date", "2026-11-02", "--clerk", " "]);
    let conn = Connection::open(&db).expect("open");
    conn.execute_batch("ALTER TABLE entries DROP COLUMN clerk; PRAGMA user_version = 1;").expect("format 1");
    drop(conn);
    let older = "error: register.db: register format 1 is older than this anyqtama writes (2): run `anyqtama register migrate`\n";
    refused(d, &["register", "list"], 1, older);
    refused(d, &["register", "add", "act.yaml", "--allow-duplicate"], 1, older);
    assert_eq!(
        ok(d, &["register", "migrate"]),
        "register.db: migrated the register from format 1 to format 2\n"
    );
    assert_eq!(ok(d, &["register", "migrate"]), "register.db: the register is up to date (format 2)\n");
    assert!(ok(d, &["register", "verify"]).starts_with("register.db: 1 entries, the chain is intact\n"));

    // --clerk, else the operating system's user.
    ok(
        d,
        &[
            "register",
            "add",
            "act.yaml",
            "--date",
            "2026-11-03",
            "--allow-duplicate",
            "--clerk",
            "Әлия Серікова",
        ],
    );
    let out = command(d, &["register", "add", "act.yaml", "--date", "2026-11-04", "--allow-duplicate"])
        .env("USER", "aliya.s")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let listed: serde_json::Value =
        serde_json::from_str(&ok(d, &["register", "list", "--json"])).expect("JSON");
    let clerks: Vec<&serde_json::Value> =
        listed.as_array().expect("a list").iter().map(|e| &e["clerk"]).collect();
    assert_eq!(
        clerks,
        [&serde_json::Value::Null, &serde_json::json!("Әлия Серікова"), &serde_json::json!("aliya.s")]
    );
    assert!(ok(d, &["register", "verify"]).starts_with("register.db: 3 entries, the chain is intact\n"));

    // The clerk is covered by the entry's hash: a name changed behind the tool's back breaks
    // the chain at that entry.
    tamper(d, "UPDATE entries SET clerk = 'someone else' WHERE seq = 2");
    refused(
        d,
        &["register", "verify"],
        2,
        "error: register.db: entry 2 (№ 23502): its content does not match its hash (it was changed after it was written)\n",
    );
}
