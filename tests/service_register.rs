//! The register in the service (`anyqtama serve --register`): the real binary on an ephemeral
//! loopback port with an SQLite register in a temporary directory, talked to with ureq. Clerks'
//! tokens, 401/403, adds in each body's sequence (two regions at once), amend and suspend,
//! the list with its filters, the conclusion read back from the PDF, verify, the OpenAPI
//! document.

#![cfg(feature = "service")]

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use common::{Pdf, fold, root};
use serde_json::Value;
use ureq::Agent;

const TODAY: &str = "2026-11-30";

/// A running `anyqtama serve --register`, killed when dropped.
struct Server {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
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

/// A fresh register (Ministry from 23501, region 09 from 6010, region 02 from 1650) served
/// with the clerks' tokens and `extra` options.
fn start(extra: &[&str]) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.db");
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
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("got {line:?}")).to_owned();
    Server { child, base, _dir: dir }
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

fn post_act(server: &Server, path: &str, token: Option<&str>, act: &str) -> Answer {
    let text = std::fs::read(Path::new(&root()).join("samples/register-acts").join(act)).unwrap();
    let mut request =
        agent().post(format!("{}{path}", server.base)).header("content-type", "application/yaml");
    if let Some(t) = token {
        request = request.header("authorization", format!("Bearer {t}"));
    }
    answer(request.send(&text[..]))
}

#[test]
fn a_clerk_adds_an_act_and_gets_its_number_date_and_head() {
    let server = start(&[]);
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
    // The same entry read back, and the head that verify reports.
    let one = get(&server, "/v1/register/entries/23501", Some("t-reader"));
    assert_eq!(one.status, 200);
    assert_eq!(one.json()["hash"], head);
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

#[test]
fn writes_need_a_clerk_of_the_acts_body() {
    let server = start(&[]);
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
    let public = start(&["--public-read"]);
    assert_eq!(get(&public, "/v1/register/entries", None).status, 200);
    assert_eq!(post_act(&public, "/v1/register/entries", None, act).status, 401);
}

#[test]
fn two_regions_add_at_once_each_in_its_own_sequence() {
    let server = start(&[]);
    let jobs = [
        ("t-karaganda", "2026-11-05-karaganda-land-tax.yaml"),
        ("t-karaganda", "2026-11-13-karaganda-preschool-order.yaml"),
        ("t-almaty", "2026-11-10-almaty-improvement.yaml"),
        ("t-ministry", "2026-11-02-health-standard.yaml"),
    ];
    let numbers: BTreeSet<String> = std::thread::scope(|s| {
        let handles: Vec<_> = jobs
            .iter()
            .map(|(token, act)| {
                let server = &server;
                s.spawn(move || {
                    let a = post_act(server, "/v1/register/entries", Some(token), act);
                    assert_eq!(a.status, 201, "{act}: {}", String::from_utf8_lossy(&a.body));
                    a.json()["number"].as_str().unwrap().to_owned()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let expected: BTreeSet<String> =
        ["6010-09", "6011-09", "1650-02", "23501"].into_iter().map(str::to_owned).collect();
    assert_eq!(numbers, expected);
    let v = get(&server, "/v1/register/verify", Some("t-reader")).json();
    assert_eq!(v["entries"], 4);
}

#[test]
fn list_filters_amend_suspend_and_the_conclusion() {
    let server = start(&[]);
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
    let server = start(&["--public-read"]);
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
