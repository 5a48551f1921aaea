//! The register in the service (`anyqtama serve --register`): the real binary on an ephemeral
//! loopback port, talked to with ureq. Clerks' tokens, 401/403, adds in each body's sequence
//! (two regions' clerks at once), the clerk stored with each entry, amend, suspend and court
//! cancellation, the list with its filters (`q` too), the conclusion and the month's journal
//! read back from the PDF, verify, the OpenAPI document.
//!
//! The tests run twice, `NAME::sqlite` (a register file in a temporary directory) and
//! `NAME::postgres` (a fresh database on the server of `ANYQTAMA_TEST_POSTGRES`, see
//! [`common::pg`]; without it the PostgreSQL run prints a SKIPPED line, and fails when
//! `CI=true`).

#![cfg(feature = "service")]

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use common::pg::{self, PgDb};
use common::{Pdf, fold, root};
use serde_json::{Value, json};
use ureq::Agent;

const TODAY: &str = "2026-11-30";

/// Which store the register is kept in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

/// Runs `test` against one store; a PostgreSQL run without a server is skipped loudly.
fn on(backend: Backend, name: &str, test: fn(Backend)) {
    if backend == Backend::Postgres && pg::server(name, "cargo test --test service_register").is_none() {
        return;
    }
    test(backend);
}

/// Each test in the list runs as `NAME::sqlite` and `NAME::postgres`.
macro_rules! both_stores {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn sqlite() {
                    super::on(super::Backend::Sqlite, stringify!($name), super::$name);
                }
                #[test]
                fn postgres() {
                    super::on(super::Backend::Postgres, stringify!($name), super::$name);
                }
            }
        )*
    };
}

both_stores!(
    a_clerk_adds_an_act_and_gets_its_number_date_head_and_name,
    writes_need_a_clerk_of_the_acts_body,
    two_clerks_of_two_regions_add_at_once_each_in_their_own_sequence,
    list_filters_amend_suspend_and_the_conclusion,
    a_court_cancels_a_registration_by_its_bodys_clerk_once,
    the_months_journal_is_the_paper_journal_as_pdf,
);

/// A running `anyqtama serve --register`, killed when dropped (before its database is).
struct Server {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
    _pg: Option<PgDb>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const TOKENS: &str = "\
# clerks: TOKEN BODY NAME
t-ministry ministry Dana Sarsenbayeva
t-karaganda 09 Aigerim Nurlanovna
t-almaty 02 Yerlan Bekov
# an integrator that only reads
t-reader
";

/// A fresh register (Ministry from 23501, region 09 from 6010, region 02 from 1650) in
/// `backend`, served with the clerks' tokens and `extra` options.
fn start(backend: Backend, extra: &[&str]) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let (db, pg) = match backend {
        Backend::Sqlite => (dir.path().join("register.db").to_str().unwrap().to_owned(), None),
        Backend::Postgres => {
            let pg = PgDb::create(&std::env::var(pg::TEST_POSTGRES).expect("a test server"));
            (pg.url.clone(), Some(pg))
        }
    };
    let init = Command::new(env!("CARGO_BIN_EXE_anyqtama"))
        .args(["register", "--db"])
        .arg(&db)
        .args(["init", "--start-number", "23501", "--start-number", "09=6010", "--start-number", "02=1650"])
        .output()
        .unwrap();
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    let tokens = dir.path().join("tokens.txt");
    std::fs::write(&tokens, TOKENS).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_anyqtama"))
        .args(["serve", "--addr", "127.0.0.1:0", "--register"])
        .arg(&db)
        .arg("--tokens")
        .arg(&tokens)
        .args(extra)
        .current_dir(root())
        .env("ANYQTAMA_TODAY", TODAY)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = common::listening_base(&mut child);
    Server { child, base, _dir: dir, _pg: pg }
}

struct Answer {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

fn agent() -> Agent {
    Agent::config_builder().http_status_as_error(false).build().into()
}

fn answer(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
    let mut response = response.expect("answered");
    let status = response.status().as_u16();
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let body = response.body_mut().with_config().limit(64 << 20).read_to_vec().unwrap();
    Answer { status, content_type, body }
}

fn get(server: &Server, path: &str, token: Option<&str>) -> Answer {
    let mut request = agent().get(format!("{}{path}", server.base));
    if let Some(t) = token {
        request = request.header("authorization", format!("Bearer {t}"));
    }
    answer(request.call())
}

/// `GET path` with the query `params` (encoded).
fn get_with(server: &Server, path: &str, params: &[(&str, &str)], token: Option<&str>) -> Answer {
    let mut request = agent().get(format!("{}{path}", server.base)).query_pairs(params.iter().copied());
    if let Some(t) = token {
        request = request.header("authorization", format!("Bearer {t}"));
    }
    answer(request.call())
}

/// The text of a sample act.
fn sample(act: &str) -> String {
    std::fs::read_to_string(Path::new(&root()).join("samples/register-acts").join(act)).unwrap()
}

fn post_act(server: &Server, path: &str, token: Option<&str>, act: &str) -> Answer {
    post_text(server, path, token, &sample(act))
}

/// `POST path` with an act as YAML.
fn post_text(server: &Server, path: &str, token: Option<&str>, text: &str) -> Answer {
    post(server, path, token, "application/yaml", text)
}

fn post(server: &Server, path: &str, token: Option<&str>, content_type: &str, body: &str) -> Answer {
    let mut request = agent().post(format!("{}{path}", server.base)).header("content-type", content_type);
    if let Some(t) = token {
        request = request.header("authorization", format!("Bearer {t}"));
    }
    answer(request.send(body.as_bytes()))
}

fn a_clerk_adds_an_act_and_gets_its_number_date_head_and_name(backend: Backend) {
    let server = start(backend, &[]);
    let a =
        post_act(&server, "/v1/register/entries", Some("t-ministry"), "2026-11-02-finance-accounting.yaml");
    assert_eq!(a.status, 201, "{}", String::from_utf8_lossy(&a.body));
    let entry = a.json();
    assert_eq!(entry["number"], "23501");
    assert_eq!(entry["registered_on"], TODAY);
    assert_eq!(entry["kind"], "registration");
    assert_eq!(entry["region_index"], Value::Null);
    let head = entry["head"].as_str().unwrap();
    assert_eq!(head.len(), 64);
    assert_eq!(entry["hash"], head);
    assert_eq!(entry["links"]["conclusion"], "/v1/register/entries/23501/conclusion.pdf");
    // The clerk's name from the token is stored with the entry.
    assert_eq!(entry["clerk"], "Dana Sarsenbayeva");
    // The same entry read back, and the head that verify reports.
    let one = get(&server, "/v1/register/entries/23501", Some("t-reader"));
    assert_eq!(one.status, 200);
    assert_eq!(one.json()["hash"], head);
    assert_eq!(one.json()["clerk"], "Dana Sarsenbayeva");
    let v = get(&server, "/v1/register/verify", Some("t-reader"));
    assert_eq!(v.status, 200);
    let report = v.json();
    assert_eq!(report["entries"], 1);
    assert_eq!(report["head"], head);
    assert_eq!(report["sequences"][0]["first"], "23501");
    // The same act again is refused and stores nothing.
    let again =
        post_act(&server, "/v1/register/entries", Some("t-ministry"), "2026-11-02-finance-accounting.yaml");
    assert_eq!(again.status, 409);
    assert!(
        again.json()["error"].as_str().unwrap().contains("already registered as № 23501"),
        "{}",
        again.json()
    );
    assert_eq!(get(&server, "/v1/register/verify", None).status, 401);
    let unknown = get(&server, "/v1/register/entries/99999", Some("t-reader"));
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.json()["error"], "the register: № 99999 is not in the register");
}

fn writes_need_a_clerk_of_the_acts_body(backend: Backend) {
    let server = start(backend, &[]);
    let act = "2026-11-05-karaganda-land-tax.yaml";
    let none = post_act(&server, "/v1/register/entries", None, act);
    assert_eq!(none.status, 401);
    assert_eq!(none.json()["error"], "this service needs a bearer token (Authorization: Bearer TOKEN)");
    let wrong = post_act(&server, "/v1/register/entries", Some("t-nobody"), act);
    assert_eq!(wrong.status, 401);
    let reader = post_act(&server, "/v1/register/entries", Some("t-reader"), act);
    assert_eq!(reader.status, 403);
    assert_eq!(
        reader.json()["error"],
        "this token only reads: a clerk's token names the body it registers for (TOKEN BODY NAME)"
    );
    let almaty = post_act(&server, "/v1/register/entries", Some("t-almaty"), act);
    assert_eq!(almaty.status, 403);
    assert_eq!(
        almaty.json()["error"],
        "Yerlan Bekov registers acts of region 02 only, and this act is of region 09 (its region_index)"
    );
    // Nothing was stored by the refusals.
    assert_eq!(get(&server, "/v1/register/entries", Some("t-reader")).json(), serde_json::json!([]));
    let karaganda = post_act(&server, "/v1/register/entries", Some("t-karaganda"), act);
    assert_eq!(karaganda.status, 201);
    assert_eq!(karaganda.json()["number"], "6010-09");
    // Reads need a token, unless --public-read.
    assert_eq!(get(&server, "/v1/register/entries", None).status, 401);
    drop(server);
    let public = start(backend, &["--public-read"]);
    assert_eq!(get(&public, "/v1/register/entries", None).status, 200);
    assert_eq!(post_act(&public, "/v1/register/entries", None, act).status, 401);
}

/// An act of `sample` made a different act: its own number `number`.
fn numbered(sample_name: &str, old: &str, number: &str) -> String {
    let text = sample(sample_name);
    let from = format!("number: \"{old}\"");
    assert!(text.contains(&from), "{sample_name} has {from}");
    text.replace(&from, &format!("number: \"{number}\""))
}

fn two_clerks_of_two_regions_add_at_once_each_in_their_own_sequence(backend: Backend) {
    let server = start(backend, &[]);
    // Each clerk registers five acts of their own region, one after another; the two clerks
    // at the same time.
    let clerks = [
        ("t-karaganda", "2026-11-05-karaganda-land-tax.yaml", "7/61", "Aigerim Nurlanovna"),
        ("t-almaty", "2026-11-10-almaty-improvement.yaml", "", "Yerlan Bekov"),
    ];
    let almaty_number = sample(clerks[1].1)
        .lines()
        .find_map(|l| {
            l.trim().strip_prefix("number: \"").and_then(|n| n.strip_suffix('"')).map(str::to_owned)
        })
        .expect("the Almaty act's number");
    let barrier = std::sync::Barrier::new(clerks.len());
    let numbers: Vec<Vec<String>> = std::thread::scope(|s| {
        let handles: Vec<_> = clerks
            .iter()
            .map(|&(token, act, number, _)| {
                let (server, barrier, almaty_number) = (&server, &barrier, &almaty_number);
                s.spawn(move || {
                    let number = if number.is_empty() { almaty_number.as_str() } else { number };
                    let texts: Vec<String> =
                        (0..5).map(|i| numbered(act, number, &format!("{number}-{i}"))).collect();
                    barrier.wait();
                    texts
                        .iter()
                        .map(|text| {
                            let a = post_text(server, "/v1/register/entries", Some(token), text);
                            assert_eq!(a.status, 201, "{token}: {}", String::from_utf8_lossy(&a.body));
                            a.json()["number"].as_str().unwrap().to_owned()
                        })
                        .collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    // Each clerk got the next numbers of their own body, in order, none of the other's.
    assert_eq!(numbers[0], ["6010-09", "6011-09", "6012-09", "6013-09", "6014-09"]);
    assert_eq!(numbers[1], ["1650-02", "1651-02", "1652-02", "1653-02", "1654-02"]);
    let v = get(&server, "/v1/register/verify", Some("t-reader")).json();
    assert_eq!(v["entries"], 10);
    // The journal has each entry once, by the clerk who made it.
    for (body, (_, _, _, clerk)) in ["09", "02"].iter().zip(clerks) {
        let listed = get_with(&server, "/v1/register/entries", &[("body", body)], Some("t-reader")).json();
        let listed = listed.as_array().unwrap();
        assert_eq!(listed.len(), 5, "{body}");
        assert!(listed.iter().all(|e| e["clerk"] == clerk), "{body}: {listed:?}");
    }
}

fn list_filters_amend_suspend_and_the_conclusion(backend: Backend) {
    let server = start(backend, &[]);
    for (token, act) in [
        ("t-ministry", "2026-11-02-finance-accounting.yaml"),
        ("t-ministry", "2026-11-02-health-standard.yaml"),
        ("t-karaganda", "2026-11-05-karaganda-land-tax.yaml"),
    ] {
        assert_eq!(post_act(&server, "/v1/register/entries", Some(token), act).status, 201);
    }
    // 23502 is the health standard: amend it.
    let amend = post_act(
        &server,
        "/v1/register/entries/23502/amend",
        Some("t-ministry"),
        "amends-23502-health-standard.yaml",
    );
    assert_eq!(amend.status, 201, "{}", String::from_utf8_lossy(&amend.body));
    let amend = amend.json();
    assert_eq!(amend["number"], "23503");
    assert_eq!(amend["references"], serde_json::json!([{"relation": "amends", "number": "23502"}]));
    // Suspending a number not in the register stores nothing.
    let missing = post_act(
        &server,
        "/v1/register/entries/23999/suspend",
        Some("t-ministry"),
        "suspends-23503-agriculture-subsidies.yaml",
    );
    assert_eq!(missing.status, 404, "{}", String::from_utf8_lossy(&missing.body));
    let suspend = post_act(
        &server,
        "/v1/register/entries/23501/suspend",
        Some("t-ministry"),
        "suspends-23503-agriculture-subsidies.yaml",
    );
    assert_eq!(suspend.status, 201, "{}", String::from_utf8_lossy(&suspend.body));
    assert_eq!(suspend.json()["references"][0]["relation"], "suspends");

    let numbers = |path: &str| -> Vec<String> {
        let a = get(&server, path, Some("t-reader"));
        assert_eq!(a.status, 200, "{path}: {}", String::from_utf8_lossy(&a.body));
        a.json().as_array().unwrap().iter().map(|e| e["number"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(numbers("/v1/register/entries"), ["23501", "23502", "6010-09", "23503", "23504"]);
    assert_eq!(numbers("/v1/register/entries?body=09"), ["6010-09"]);
    assert_eq!(numbers("/v1/register/entries?body=ministry&from=2026-11-30&to=2026-11-30").len(), 4);
    assert!(numbers("/v1/register/entries?to=2026-11-29").is_empty());
    // `q`: words of the act, in any case, alone or with the other filters.
    let q = |params: &[(&str, &str)]| -> Vec<String> {
        let a = get_with(&server, "/v1/register/entries", params, Some("t-reader"));
        assert_eq!(a.status, 200, "{params:?}: {}", String::from_utf8_lossy(&a.body));
        a.json().as_array().unwrap().iter().map(|e| e["number"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(q(&[("q", "земельного налога")]), ["6010-09"]);
    assert_eq!(q(&[("q", "ЗЕМЕЛЬНОГО")]), ["6010-09"]);
    assert_eq!(q(&[("q", "жер салығының")]), ["6010-09"]);
    assert_eq!(q(&[("q", "земельного"), ("body", "ministry")]), Vec::<String>::new());
    assert_eq!(q(&[("q", "7/61"), ("from", "2026-11-30")]), ["6010-09"]);
    assert_eq!(q(&[("q", "no such words anywhere")]), Vec::<String>::new());
    assert_eq!(q(&[("q", "  ")]).len(), 5, "blank text selects every entry");
    let bad = get(&server, "/v1/register/entries?body=21", Some("t-reader"));
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["error"], "body: \"21\" is not `ministry` nor a regional index 01–20");
    // The same fields as `register list --json`.
    let listed = get(&server, "/v1/register/entries?body=09", Some("t-reader")).json();
    let keys: BTreeSet<&str> = listed[0].as_object().unwrap().keys().map(String::as_str).collect();
    let expected: BTreeSet<&str> = [
        "seq",
        "kind",
        "number",
        "region_index",
        "registered_on",
        "for_official_use",
        "references",
        "court",
        "act",
        "clerk",
        "prev_hash",
        "hash",
    ]
    .into_iter()
    .collect();
    assert_eq!(keys, expected);
    // The conclusion of 6010-09, read back from the PDF.
    let pdf = get(&server, "/v1/register/entries/6010-09/conclusion.pdf?lang=ru", Some("t-reader"));
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.content_type, "application/pdf");
    let text = fold(&Pdf::from_bytes(&pdf.body).text());
    assert!(text.contains("6010-09"), "{text}");
    assert!(
        text.contains("внести в Реестр государственной регистрации нормативных правовых актов за № 6010-09"),
        "{text}"
    );
    assert!(text.contains("«30» ноября 2026 года (дата подписания)"), "{text}");
    // The stamp of the same registration, in each format.
    let stamp = get(&server, "/v1/register/entries/6010-09/stamp.pdf?lang=ru", Some("t-reader"));
    assert_eq!((stamp.status, stamp.content_type.as_str()), (200, "application/pdf"));
    let text = fold(&Pdf::from_bytes(&stamp.body).text());
    assert!(text.contains("6010-09"), "{text}");
    let svg = get(&server, "/v1/register/entries/6010-09/stamp.svg", Some("t-reader"));
    assert_eq!((svg.status, svg.content_type.as_str()), (200, "image/svg+xml"));
    assert!(String::from_utf8_lossy(&svg.body).contains("6010-09"));
    let png = get(&server, "/v1/register/entries/6010-09/stamp.png?dpi=72", Some("t-reader"));
    assert_eq!((png.status, png.content_type.as_str()), (200, "image/png"));
    assert!(png.body.starts_with(b"\x89PNG"));
}

#[test]
fn openapi_documents_the_register_routes_and_each_exists() {
    let server = start(Backend::Sqlite, &["--public-read"]);
    let doc = get(&server, "/openapi.json", None).json();
    let paths: BTreeSet<String> =
        doc["paths"].as_object().unwrap().keys().filter(|p| p.starts_with("/v1/register")).cloned().collect();
    let expected: BTreeSet<String> = [
        "/v1/register/entries",
        "/v1/register/entries/{number}",
        "/v1/register/entries/{number}/amend",
        "/v1/register/entries/{number}/suspend",
        "/v1/register/entries/{number}/invalidate",
        "/v1/register/entries/{number}/cancel-by-court",
        "/v1/register/journal.pdf",
        "/v1/register/entries/{number}/conclusion.pdf",
        "/v1/register/entries/{number}/stamp.pdf",
        "/v1/register/entries/{number}/stamp.svg",
        "/v1/register/entries/{number}/stamp.png",
        "/v1/register/verify",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(paths, expected);
    for path in &paths {
        for method in doc["paths"][path].as_object().unwrap().keys() {
            let url = format!("{}{}", server.base, path.replace("{number}", "23501"));
            let a = match method.as_str() {
                "get" => answer(agent().get(&url).call()),
                _ => answer(agent().post(&url).send(&b""[..])),
            };
            assert!(a.status != 405 && !(a.status == 404 && a.content_type.is_empty()), "{method} {path}");
        }
    }
}

fn a_court_cancels_a_registration_by_its_bodys_clerk_once(backend: Backend) {
    let server = start(backend, &[]);
    for (token, act) in [
        ("t-karaganda", "2026-11-05-karaganda-land-tax.yaml"),
        ("t-almaty", "2026-11-10-almaty-improvement.yaml"),
    ] {
        assert_eq!(post_act(&server, "/v1/register/entries", Some(token), act).status, 201);
    }
    let decision = json!({
        "decision_number": " 7527-26-00-3а/412 ",
        "decision_date": "2026-11-11",
        "in_force_on": "2026-11-26",
    })
    .to_string();
    let cancel = |number: &str, token: Option<&str>, body: &str| {
        post(
            &server,
            &format!("/v1/register/entries/{number}/cancel-by-court"),
            token,
            "application/json",
            body,
        )
    };
    // Writes need a clerk of the registration's body.
    assert_eq!(cancel("1650-02", None, &decision).status, 401);
    let reader = cancel("1650-02", Some("t-reader"), &decision);
    assert_eq!(reader.status, 403);
    let other = cancel("1650-02", Some("t-karaganda"), &decision);
    assert_eq!(other.status, 403);
    assert_eq!(
        other.json()["error"],
        "Aigerim Nurlanovna makes entries for region 09 only, and № 1650-02 is a registration of region 02"
    );
    // Numbers not in the register, bodies that are not a decision, dates out of order.
    let unknown = cancel("1699-02", Some("t-almaty"), &decision);
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.json()["error"], "the register: № 1699-02 is not in the register");
    assert_eq!(cancel("16-50-02", Some("t-almaty"), &decision).status, 400);
    let missing = cancel("1650-02", Some("t-almaty"), r#"{"decision_number": "1"}"#);
    assert_eq!(missing.status, 400);
    assert!(
        missing.json()["error"].as_str().unwrap().contains("missing field `decision_date`"),
        "{}",
        missing.json()
    );
    let dates = cancel(
        "1650-02",
        Some("t-almaty"),
        r#"{"decision_number": "1", "decision_date": "2026-11-31", "in_force_on": "someday"}"#,
    );
    assert_eq!(dates.status, 422);
    let dates = dates.json();
    let paths: Vec<&str> =
        dates["diagnostics"].as_array().unwrap().iter().map(|d| d["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["decision_date", "in_force_on"], "{dates}");
    let order = cancel(
        "1650-02",
        Some("t-almaty"),
        r#"{"decision_number": "1", "decision_date": "2026-11-26", "in_force_on": "2026-11-26"}"#,
    );
    assert_eq!(order.status, 422);
    let order = order.json();
    assert_eq!(order["diagnostics"][0]["path"], "in_force_on");
    assert_eq!(
        order["diagnostics"][0]["message"],
        "2026-11-26 must be after the date of the decision 2026-11-26"
    );
    let later = cancel(
        "1650-02",
        Some("t-almaty"),
        r#"{"decision_number": "1", "decision_date": "2026-11-26", "in_force_on": "2026-12-01"}"#,
    );
    assert_eq!(later.status, 422);
    assert_eq!(
        later.json()["diagnostics"][0]["message"],
        "2026-12-01 is after the date of the entry 2026-11-30: enter a decision once it is in force"
    );
    // Nothing was stored by the refusals.
    assert_eq!(get(&server, "/v1/register/verify", Some("t-reader")).json()["entries"], 2);

    // The clerk of region 02 enters it: an entry without a number of its own.
    let entered = cancel("1650-02", Some("t-almaty"), &decision);
    assert_eq!(entered.status, 201, "{}", String::from_utf8_lossy(&entered.body));
    let entry = entered.json();
    assert_eq!(entry["kind"], "court_cancellation");
    assert_eq!(entry["number"], Value::Null);
    assert_eq!(entry["registered_on"], TODAY);
    assert_eq!(entry["references"], json!([{"relation": "cancels_by_court", "number": "1650-02"}]));
    assert_eq!(
        entry["court"],
        json!({"decision_number": "7527-26-00-3а/412", "decision_date": "2026-11-11", "in_force_on": "2026-11-26"})
    );
    assert_eq!(entry["clerk"], "Yerlan Bekov");
    let v = get(&server, "/v1/register/verify", Some("t-reader")).json();
    assert_eq!((v["entries"].clone(), v["head"].clone()), (json!(3), entry["head"].clone()));
    // Once only.
    let again = cancel("1650-02", Some("t-almaty"), &decision);
    assert_eq!(again.status, 409);
    assert_eq!(
        again.json()["error"],
        "the register: the state registration № 1650-02 was already cancelled by a court decision (entry 3)"
    );
    // Column 8 of the month's journal.
    let journal = get_with(&server, "/v1/register/journal.pdf", &[("month", "2026-11")], Some("t-reader"));
    assert_eq!(journal.status, 200);
    let text = Pdf::from_bytes(&journal.body).text();
    assert!(text.contains("26.11.2026 (11.11.2026, № 7527-26-00-3а/"), "{text}");
}

fn the_months_journal_is_the_paper_journal_as_pdf(backend: Backend) {
    let server = start(backend, &[]);
    for (token, act) in [
        ("t-ministry", "2026-11-02-finance-accounting.yaml"),
        ("t-karaganda", "2026-11-05-karaganda-land-tax.yaml"),
        ("t-ministry", "2026-11-02-health-standard.yaml"),
    ] {
        assert_eq!(post_act(&server, "/v1/register/entries", Some(token), act).status, 201);
    }
    let journal = |params: &[(&str, &str)], token: Option<&str>| {
        get_with(&server, "/v1/register/journal.pdf", params, token)
    };
    // Reads need a token.
    assert_eq!(journal(&[("month", "2026-11")], None).status, 401);
    let pdf = journal(&[("month", "2026-11")], Some("t-reader"));
    assert_eq!((pdf.status, pdf.content_type.as_str()), (200, "application/pdf"));
    let text = Pdf::from_bytes(&pdf.body).text();
    // The paper journal in Kazakh: its title, item numbers, every registration in order, the
    // certification page with the head hash of its last entry.
    assert!(
        text.contains("Қағаз түріндегі нормативтік құқықтық актілерді мемлекеттік тіркеу тізілімі"),
        "{text}"
    );
    let mut at = 0;
    for phrase in ["1 30.11.2026 23501", "2 30.11.2026 6010-09", "3 30.11.2026 23502"] {
        let found = text[at..].find(phrase).unwrap_or_else(|| panic!("{phrase:?} after {at} in:\n{text}"));
        at += found + phrase.len();
    }
    let head =
        get(&server, "/v1/register/verify", Some("t-reader")).json()["head"].as_str().unwrap().to_owned();
    assert!(text.contains(&format!("Соңғы жазбаның бақылау хэші (SHA-256): {head}")), "{text}");
    // Of one body, in Russian: the item numbers continue the body's journal.
    let ministry = journal(&[("month", "2026-11"), ("body", "ministry"), ("lang", "ru")], Some("t-reader"));
    assert_eq!(ministry.status, 200);
    let text = Pdf::from_bytes(&ministry.body).text();
    assert!(
        text.contains("Реестр государственной регистрации нормативных правовых актов на бумажном носителе"),
        "{text}"
    );
    assert!(text.contains("23502") && !text.contains("6010-09"), "{text}");
    // A month without registrations, a bad month, none.
    let empty = journal(&[("month", "2026-10")], Some("t-reader"));
    assert_eq!(empty.status, 404);
    assert_eq!(empty.json()["error"], "the register: no registrations in the range asked for");
    let bad = journal(&[("month", "2026-13")], Some("t-reader"));
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["error"], "month: \"2026-13\" is not a month (expected YYYY-MM)");
    assert_eq!(journal(&[], Some("t-reader")).status, 400);
    assert_eq!(journal(&[("month", "2026-11"), ("lang", "kz")], Some("t-reader")).status, 400);
}
