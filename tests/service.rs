//! The HTTP service: the real binary's `serve` on an ephemeral loopback port, talked to over
//! HTTP with ureq. Every status code the service answers: 200, 400, 401, 404, 413, 415, 422,
//! 503; the PDFs read back with lopdf.

#![cfg(feature = "service")]

mod common;

use std::collections::BTreeSet;
use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Pdf, assert_contains_all, fold, root};
use serde_json::{Value, json};
use ureq::Agent;

/// A running `anyqtama serve`, stopped (SIGKILL) when dropped.
struct Server {
    child: Child,
    base: String,
    stderr: Arc<Mutex<String>>,
    stderr_thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_anyqtama"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(extra)
            .current_dir(root())
            .env_remove("SOURCE_DATE_EPOCH")
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let base = common::listening_base(&mut child);
        assert!(base.starts_with("http://127.0.0.1:"), "{base}");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().expect("stderr");
        let sink = Arc::clone(&stderr);
        let stderr_thread = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            sink.lock().unwrap().push_str(&text);
        });
        Server { child, base, stderr, stderr_thread: Some(stderr_thread) }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends SIGTERM and waits for the exit; the exit status and standard error.
    fn terminate(mut self) -> (std::process::ExitStatus, String) {
        let pid = self.child.id().to_string();
        let killed = Command::new("kill").args(["-TERM", &pid]).status().expect("kill runs");
        assert!(killed.success());
        let status = self.child.wait().expect("exits");
        if let Some(thread) = self.stderr_thread.take() {
            thread.join().unwrap();
        }
        let text = self.stderr.lock().unwrap().clone();
        (status, text)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> Agent {
    Agent::config_builder().http_status_as_error(false).build().into()
}

/// An answer, read whole.
struct Answer {
    status: u16,
    content_type: String,
    headers: ureq::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

fn answer(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
    let mut response = response.expect("the request is answered");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let body = response.body_mut().with_config().limit(64 * 1024 * 1024).read_to_vec().expect("body");
    Answer { status, content_type, headers, body }
}

fn get(server: &Server, path: &str) -> Answer {
    answer(agent().get(server.url(path)).call())
}

fn post(server: &Server, path: &str, content_type: &str, body: &[u8]) -> Answer {
    answer(agent().post(server.url(path)).header("content-type", content_type).send(body))
}

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(root().join("samples").join(name)).expect("sample")
}

/// A rights certificate of a legal entity with `n` objects (as in benches/render.rs): long
/// enough that a render takes a while in a debug build.
fn many_objects(n: usize) -> String {
    let mut yaml = String::from(
        "form: rights-certificate\nbranch: Филиал\nnumber: \"B-1\"\nissued_at: 2024-03-11T09:15:00\n\
         holder:\n  kind: legal_entity\n  name: «Алатау Құрылыс Инвест» ЖШС\n  bin: \"150340004568\"\nobjects:\n",
    );
    for i in 0..n {
        yaml.push_str(&format!(
            "  - kind: building\n    cadastral_number: \"20:311:{:03}:{:03}:1\"\n    purpose: Әкімшілік-кеңсе ғимараты\n\
             \x20   address: {{kk: \"Алматы қ., Абай даңғылы, {i}-үй\", ru: \"г. Алматы, проспект Абая, дом {i}\"}}\n\
             \x20   total_area: 1000.10\n    main_area: 900.10\n    floors: 4/1\n    rights:\n\
             \x20     - {{kind: ownership, holder: «Алатау» ЖШС, holder_bin: \"150340004568\", common_form: shared, share: 1/2, basis: Шарт № {i}, registered_at: 2015-05-14T10:00}}\n\
             \x20     - {{kind: ownership, holder: «Жетісу» ЖШС, holder_bin: \"120540007891\", common_form: shared, share: 1/2, basis: Шарт № {i}, registered_at: 2015-05-14T10:00}}\n",
            10 + i % 900,
            100 + i,
        ));
    }
    yaml
}

const RENDER: &str = "/v1/forms/rights-certificate/render";

#[test]
fn render_answers_a_pdf_of_the_case() {
    let server = Server::start(&[]);
    let a = post(
        &server,
        &format!("{RENDER}?lang=kk,ru"),
        "application/json",
        &sample("rights-certificate-company.json"),
    );
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    assert_eq!(a.content_type, "application/pdf");
    assert!(a.header("x-request-id").is_some_and(|id| !id.is_empty()));
    let pdf = Pdf::from_bytes(&a.body);
    assert!(pdf.page_count() >= 2, "kk, then ru on a new page");
    assert_contains_all(
        &fold(&pdf.text()),
        &[
            "Қазақстан Республикасы Әділет министрінің 2021 жылғы 7 шілдедегі № 565 бұйрығына 1-қосымша",
            "Приложение 1 к приказу Министра юстиции Республики Казахстан от 7 июля 2021 года № 565",
        ],
    );
    // The same bytes as the command line writes for the same case and languages.
    let cli = cli_pdf(&["samples/rights-certificate-company.json", "--lang", "kk,ru"]);
    assert_eq!(cli, a.body, "the service and the CLI print the same PDF");
}

/// The PDF `anyqtama render ARGS -o FILE` writes.
fn cli_pdf(args: &[&str]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cli.pdf");
    let mut all = vec!["render"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-o", out.to_str().unwrap()]);
    let cli = common::run(&all);
    assert!(cli.status.success(), "{}", common::stderr(&cli));
    std::fs::read(&out).unwrap()
}

/// The equivalence statement of the electronic edition's footer (tests/electronic.rs).
const EQUIVALENCE_RU: &str = "Данный документ согласно пункту 1 статьи 7 ЗРК от 7 января 2003 года N370-II «Об электронном документе и электронной цифровой подписи» равнозначен документу на бумажном носителе.";

#[test]
fn render_prints_the_electronic_edition_when_asked() {
    let server = Server::start(&[]);
    let case = sample("rights-certificate-company.json");
    let a = post(&server, &format!("{RENDER}?lang=ru&electronic=true"), "application/json", &case);
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    let pdf = Pdf::from_bytes(&a.body);
    for n in 1..=pdf.page_count() as u32 {
        assert!(fold(&pdf.page_text(n)).contains(EQUIVALENCE_RU), "page {n}: no equivalence statement");
    }
    // The same bytes as `render --electronic` writes.
    let cli = cli_pdf(&["samples/rights-certificate-company.json", "--lang", "ru", "--electronic"]);
    assert_eq!(cli, a.body, "the service and the CLI print the same PDF");
    // Without it, the paper edition.
    let paper = post(&server, &format!("{RENDER}?lang=ru"), "application/json", &case);
    assert_eq!(paper.status, 200);
    assert!(!fold(&Pdf::from_bytes(&paper.body).text()).contains("равнозначен документу"));
    // A value that is not a boolean is a bad query.
    let bad = post(&server, &format!("{RENDER}?electronic=yes"), "application/json", &case);
    assert_eq!(bad.status, 400, "{}", String::from_utf8_lossy(&bad.body));
}

#[test]
fn render_reads_yaml_by_content_type_and_refuses_other_types() {
    let server = Server::start(&[]);
    let yaml = sample("rights-certificate-individual.yaml");
    let a = post(&server, &format!("{RENDER}?lang=ru"), "application/yaml", &yaml);
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    assert_eq!(a.content_type, "application/pdf");
    let pdf = Pdf::from_bytes(&a.body);
    assert_eq!(pdf.page_count(), 1, "Russian only");
    assert_contains_all(&fold(&pdf.text()), &["Приложение 1 к приказу Министра юстиции", "72,40 м²"]);

    let a = post(&server, RENDER, "text/plain", &yaml);
    assert_eq!(a.status, 415);
    assert_eq!(
        a.json(),
        json!({"error": "the case must be JSON (application/json) or YAML (application/yaml), not text/plain", "diagnostics": []})
    );
}

#[test]
fn render_png_preview_of_one_page() {
    let server = Server::start(&[]);
    let case = sample("rights-certificate-individual.yaml");
    let a = post(&server, &format!("{RENDER}?lang=kk&format=png&page=1&dpi=50"), "application/yaml", &case);
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    assert_eq!(a.content_type, "image/png");
    let decoder = png::Decoder::new(std::io::Cursor::new(&a.body));
    let info = decoder.read_info().expect("a PNG").info().clone();
    // A4 at 50 dpi: 210 × 297 mm → 413 × 585 pixels.
    assert_eq!((info.width, info.height), (413, 585));

    let a = post(&server, &format!("{RENDER}?lang=kk&format=png&page=9"), "application/yaml", &case);
    assert_eq!(a.status, 400);
    assert_eq!(a.json()["error"], "page 9 does not exist (the document has 1)");
    let a = post(&server, &format!("{RENDER}?format=png&dpi=0"), "application/yaml", &case);
    assert_eq!(a.status, 400);
    assert_eq!(a.json()["error"], "dpi must be from 1 to 2400 (got 0)");
    let a = post(&server, &format!("{RENDER}?lang=de"), "application/yaml", &case);
    assert_eq!(a.status, 400);
    assert_eq!(a.json()["error"], "unknown language \"de\" (expected kk, ru or en)");
}

#[test]
fn invalid_case_is_422_with_the_diagnostics_as_json() {
    let server = Server::start(&[]);
    let mut case: Value = serde_json::from_slice(&sample("rights-certificate-company.json")).unwrap();
    case["issued_at"] = json!("2024-02-30T10:00:00");
    let body = serde_json::to_string_pretty(&case).unwrap();
    let a = post(&server, RENDER, "application/json", body.as_bytes());
    assert_eq!(a.status, 422);
    assert_eq!(a.content_type, "application/json");
    // The CLI says the same about the same text, as a line of text.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("request.json"), &body).unwrap();
    let cli = common::run_in(dir.path(), &["validate", "request.json"]);
    assert_eq!(cli.status.code(), Some(2));
    let line = body.lines().position(|l| l.contains("\"issued_at\": \"2024-02-30")).unwrap() + 1;
    let column = body.lines().nth(line - 1).unwrap().find("\"2024").unwrap() + 1;
    let message = "2024-02-30 is not a date in the calendar";
    assert_eq!(common::stderr(&cli), format!("error: request.json:{line}:{column}: issued_at: {message}\n"));
    assert_eq!(
        a.json(),
        json!({
            "valid": false,
            "form": "rights-certificate",
            "diagnostics": [{
                "severity": "error", "code": "value.format", "file": "request.json", "line": line,
                "column": column,
                "path": "issued_at", "message": message, "hints": [],
            }],
        })
    );
}

#[test]
fn unknown_form_and_route_are_404() {
    let server = Server::start(&[]);
    let hint = common::forms_listing();
    assert!(!hint.is_empty());
    for a in [
        post(&server, "/v1/forms/nope/render", "application/json", b"{}"),
        post(&server, "/v1/forms/nope/validate", "application/json", b"{}"),
        get(&server, "/v1/forms/nope/schema"),
        get(&server, "/v1/forms/nope/blank"),
    ] {
        assert_eq!(a.status, 404);
        let body = a.json();
        assert_eq!(body["error"], "unknown form \"nope\"");
        assert_eq!(body["diagnostics"][0]["message"], "unknown form \"nope\"");
        assert!(body["diagnostics"][0]["hints"][0].as_str().unwrap().contains("rights-certificate"));
    }
    let a = get(&server, "/v2/forms");
    assert_eq!(a.status, 404);
    assert_eq!(a.json(), json!({"error": "no such route (see /openapi.json)", "diagnostics": []}));
}

#[test]
fn validate_answers_valid_or_not_with_every_problem() {
    let server = Server::start(&[]);
    let a = post(
        &server,
        "/v1/forms/rights-certificate/validate",
        "application/yaml",
        &sample("rights-certificate-individual.yaml"),
    );
    assert_eq!(a.status, 200);
    assert_eq!(a.json(), json!({"valid": true, "form": "rights-certificate", "diagnostics": []}));

    let a = post(
        &server,
        "/v1/forms/rights-certificate/validate",
        "application/yaml",
        b"form: rights-certificate\n",
    );
    assert_eq!(a.status, 200);
    let body = a.json();
    assert_eq!(body["valid"], false);
    let paths: Vec<&str> =
        body["diagnostics"].as_array().unwrap().iter().map(|d| d["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["branch", "number", "issued_at", "holder", "objects"]);
    assert!(body["diagnostics"].as_array().unwrap().iter().all(|d| d["message"]
        == "required field is missing"
        && d["code"] == "field.required"
        && d["file"] == "request.yaml"
        && d["line"] == 1
        && d["column"] == 1));

    // A case for another form is invalid for this one, at its `form:` key.
    let a = post(&server, "/v1/forms/request/validate", "application/yaml", b"form: rights-certificate\n");
    assert_eq!(a.status, 200);
    assert_eq!(
        a.json()["diagnostics"][0],
        json!({"severity": "error", "code": "form.mismatch", "file": "request.yaml", "line": 1,
               "column": 7, "path": "form",
               "message": "the case is for the form \"rights-certificate\", not \"request\"", "hints": []})
    );
}

#[test]
fn forms_schema_and_blank() {
    let server = Server::start(&[]);
    let a = get(&server, "/v1/forms");
    assert_eq!(a.status, 200);
    let ids: Vec<String> =
        a.json().as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap().to_owned()).collect();
    let cli_ids: Vec<String> =
        common::forms_listing().lines().filter(|l| !l.starts_with(' ')).map(str::to_owned).collect();
    assert_eq!(ids, cli_ids);
    let first = &a.json()[0];
    assert!(first["languages"].as_array().is_some_and(|l| !l.is_empty()));

    let a = get(&server, "/v1/forms/rights-certificate/schema");
    assert_eq!(a.status, 200);
    assert_eq!(a.json(), common::schema_of("rights-certificate"));

    let a = get(&server, "/v1/forms/rights-certificate/blank?lang=ru");
    assert_eq!(a.status, 200);
    assert_eq!(a.content_type, "application/pdf");
    let text = fold(&Pdf::from_bytes(&a.body).text());
    assert_contains_all(&text, &["Приложение 1 к приказу Министра юстиции"]);
    assert!(!text.contains("қосымша"), "only the Russian version: {text}");
    let a = get(&server, "/v1/forms/rights-certificate/blank?lang=kk&format=png&dpi=30");
    assert_eq!(a.status, 200);
    assert_eq!(a.content_type, "image/png");
}

#[test]
fn stamp_as_pdf_svg_and_png() {
    let server = Server::start(&[]);
    let case = sample("stamp-ru-official-use.yaml");
    let a = post(&server, "/v1/stamp", "application/yaml", &case);
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    assert_eq!(a.content_type, "application/pdf");
    let pdf = Pdf::from_bytes(&a.body);
    let [x0, y0, x1, y1] = pdf.media_boxes()[0];
    // 70 × 35 mm.
    assert!(((x1 - x0) - 198.43).abs() < 0.1 && ((y1 - y0) - 99.21).abs() < 0.1, "{:?}", pdf.media_boxes());
    assert_contains_all(&pdf.text(), &["ДСП"]);

    let a = post(&server, "/v1/stamp?format=svg", "application/yaml", &case);
    assert_eq!(a.status, 200);
    assert_eq!(a.content_type, "image/svg+xml");
    let svg = String::from_utf8(a.body).unwrap();
    assert!(svg.contains("width=\"70mm\"") && svg.contains("height=\"35mm\""), "{svg}");

    let a = post(&server, "/v1/stamp?format=png&dpi=600", "application/yaml", &case);
    assert_eq!(a.status, 200);
    assert_eq!(a.content_type, "image/png");
    let info = png::Decoder::new(std::io::Cursor::new(&a.body)).read_info().unwrap().info().clone();
    assert_eq!((info.width, info.height), (1654, 827));

    let a = post(
        &server,
        "/v1/stamp",
        "application/json",
        br#"{"registration_number": "1", "registered_on": "2021-02-30"}"#,
    );
    assert_eq!(a.status, 422);
    let body = a.json();
    assert_eq!(body["form"], "stamp");
    assert_eq!(body["diagnostics"][0]["path"], "registered_on");
    assert_eq!(body["diagnostics"][0]["file"], "request.json");
}

#[test]
fn body_over_the_limit_is_413() {
    let server = Server::start(&["--body-limit", "1000"]);
    let case = sample("rights-certificate-company.json");
    assert!(case.len() > 1000);
    let a = post(&server, RENDER, "application/json", &case);
    assert_eq!(a.status, 413);
    assert_eq!(a.json(), json!({"error": "the request body is larger than the limit", "diagnostics": []}));
    let a = post(&server, "/v1/forms/rights-certificate/validate", "application/json", &case);
    assert_eq!(a.status, 413);
    // Under the limit, the same route works.
    let a = post(&server, "/v1/forms/rights-certificate/validate", "application/json", b"{}");
    assert_eq!(a.status, 200);
}

#[test]
fn bearer_tokens_guard_the_v1_routes() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = dir.path().join("tokens.txt");
    std::fs::write(&tokens, "# the portal\ns3cret-portal\n\nsecond-system\n").unwrap();
    let server = Server::start(&["--tokens", tokens.to_str().unwrap()]);
    let case = sample("rights-certificate-individual.yaml");

    let a = post(&server, RENDER, "application/yaml", &case);
    assert_eq!(a.status, 401);
    assert_eq!(a.header("www-authenticate"), Some("Bearer"));
    assert_eq!(a.json()["error"], "this service needs a bearer token (Authorization: Bearer TOKEN)");

    let wrong = agent()
        .post(server.url(RENDER))
        .header("content-type", "application/yaml")
        .header("authorization", "Bearer s3cret")
        .send(&case[..]);
    let a = answer(wrong);
    assert_eq!(a.status, 401);
    assert_eq!(a.json()["error"], "the bearer token is not accepted");
    assert_eq!(get(&server, "/v1/forms").status, 401);

    for token in ["s3cret-portal", "second-system"] {
        let right = agent()
            .post(server.url(RENDER))
            .header("content-type", "application/yaml")
            .header("authorization", &format!("Bearer {token}"))
            .send(&case[..]);
        let a = answer(right);
        assert_eq!(a.status, 200);
        assert_eq!(a.content_type, "application/pdf");
    }
    // Health and metrics stay open to the machine's probes.
    assert_eq!(get(&server, "/healthz").status, 200);
    assert_eq!(get(&server, "/metrics").status, 200);

    // A tokens file without a token refuses to start.
    std::fs::write(&tokens, "# nobody\n\n").unwrap();
    let out = common::run(&["serve", "--addr", "127.0.0.1:0", "--tokens", tokens.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        common::stderr(&out),
        format!("error: {}: no token in the file (one token a line; # starts a comment)\n", tokens.display())
    );
}

/// Renders of the 40-object case from `clients` threads at once; the answers.
fn burst(server: &Server, clients: usize) -> Vec<Answer> {
    let case = many_objects(40);
    let handles: Vec<_> = (0..clients)
        .map(|_| {
            let url = server.url(&format!("{RENDER}?lang=kk"));
            let case = case.clone();
            std::thread::spawn(move || {
                answer(agent().post(&url).header("content-type", "application/yaml").send(case.as_bytes()))
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

#[test]
fn a_full_queue_is_503_with_retry_after() {
    let server = Server::start(&["--workers", "1", "--queue", "0"]);
    let answers = burst(&server, 6);
    let statuses: Vec<u16> = answers.iter().map(|a| a.status).collect();
    assert!(statuses.iter().all(|s| *s == 200 || *s == 503), "{statuses:?}");
    assert!(statuses.contains(&200) && statuses.contains(&503), "{statuses:?}");
    let refused = answers.iter().find(|a| a.status == 503).unwrap();
    assert_eq!(refused.header("retry-after"), Some("1"));
    assert_eq!(
        refused.json(),
        json!({"error": "every worker is busy and the queue is full: try again later", "diagnostics": []})
    );
    // With room in the queue, the same burst is served whole.
    let server = Server::start(&["--workers", "1", "--queue", "8"]);
    let statuses: Vec<u16> = burst(&server, 6).iter().map(|a| a.status).collect();
    assert_eq!(statuses, [200; 6]);
}

#[test]
fn a_request_over_its_deadline_is_503() {
    let server = Server::start(&["--timeout-ms", "5"]);
    let a = post(&server, &format!("{RENDER}?lang=kk"), "application/yaml", many_objects(40).as_bytes());
    assert_eq!(a.status, 503);
    assert_eq!(a.header("retry-after"), Some("1"));
    assert_eq!(a.json()["error"], "the request took longer than 5 ms");
    assert_eq!(get(&server, "/healthz").status, 200);
}

#[test]
fn metrics_count_requests_documents_durations_and_the_queue() {
    let server = Server::start(&[]);
    let ok = post(&server, RENDER, "application/yaml", &sample("rights-certificate-individual.yaml"));
    assert_eq!(ok.status, 200);
    let bad = post(&server, RENDER, "application/yaml", b"form: rights-certificate\n");
    assert_eq!(bad.status, 422);
    assert_eq!(post(&server, "/v1/forms/made-up/render", "application/yaml", b"{}").status, 404);
    assert_eq!(get(&server, "/healthz").status, 200);
    let a = get(&server, "/metrics");
    assert_eq!(a.status, 200);
    assert!(a.content_type.starts_with("text/plain"), "{}", a.content_type);
    let text = String::from_utf8(a.body).unwrap();
    for line in [
        r#"anyqtama_documents_total{form="rights-certificate",status="rendered"} 1"#,
        r#"anyqtama_documents_total{form="rights-certificate",status="invalid"} 1"#,
        r#"anyqtama_http_requests_total{route="/v1/forms/{form}/render",form="rights-certificate",method="POST",status="200"} 1"#,
        r#"anyqtama_http_requests_total{route="/v1/forms/{form}/render",form="rights-certificate",method="POST",status="422"} 1"#,
        r#"anyqtama_http_requests_total{route="/v1/forms/{form}/render",form="",method="POST",status="404"} 1"#,
        r#"anyqtama_http_requests_total{route="/healthz",form="",method="GET",status="200"} 1"#,
        r#"anyqtama_render_duration_seconds_count{form="rights-certificate"} 1"#,
        r#"anyqtama_render_duration_seconds_bucket{form="rights-certificate",le="+Inf"} 1"#,
        "anyqtama_queue_depth 0",
        "anyqtama_renders_in_flight 0",
    ] {
        assert!(text.lines().any(|l| l == line), "no line {line} in\n{text}");
    }
}

#[test]
fn openapi_describes_exactly_the_routes_that_exist() {
    let server = Server::start(&[]);
    let a = get(&server, "/openapi.json");
    assert_eq!(a.status, 200);
    assert_eq!(a.content_type, "application/json");
    let doc = a.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "delete", "patch"].contains(&method.as_str()) {
                documented.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    let expected: BTreeSet<(String, String)> = [
        ("POST", "/v1/forms/{form}/render"),
        ("POST", "/v1/forms/{form}/validate"),
        ("GET", "/v1/forms"),
        ("GET", "/v1/forms/{form}/schema"),
        ("GET", "/v1/forms/{form}/blank"),
        ("POST", "/v1/stamp"),
        ("GET", "/openapi.json"),
        ("GET", "/healthz"),
        ("GET", "/readyz"),
        ("GET", "/metrics"),
    ]
    .into_iter()
    .map(|(m, p)| (m.to_owned(), p.to_owned()))
    .collect();
    assert_eq!(documented, expected);
    // Every documented operation exists on the server: neither 404 nor 405.
    for (method, path) in &documented {
        let url = server.url(&path.replace("{form}", "stamp"));
        let a = match method.as_str() {
            "GET" => answer(agent().get(&url).call()),
            _ => answer(
                agent()
                    .post(&url)
                    .header("content-type", "application/yaml")
                    .send(&sample("stamp-kk.yaml")[..]),
            ),
        };
        assert!(a.status != 404 && a.status != 405, "{method} {path}: {}", a.status);
        // The other method is not served there.
        let other = match method.as_str() {
            "GET" => answer(agent().post(&url).send(&b""[..])),
            _ => answer(agent().get(&url).call()),
        };
        assert_eq!(other.status, 405, "{method} {path}: the other method");
    }
    // The problem schemas are in the document.
    assert!(doc["components"]["schemas"]["DiagnosticJson"]["properties"]["path"].is_object());
}

#[test]
fn sigterm_lets_the_request_in_flight_finish() {
    let server = Server::start(&[]);
    assert_eq!(get(&server, "/readyz").status, 200);
    let url = server.url(&format!("{RENDER}?lang=kk,ru"));
    let in_flight = std::thread::spawn(move || {
        answer(
            agent().post(&url).header("content-type", "application/yaml").send(many_objects(60).as_bytes()),
        )
    });
    // Wait until the render has started.
    let started = Instant::now();
    loop {
        let metrics = String::from_utf8(get(&server, "/metrics").body).unwrap();
        if metrics.lines().any(|l| l == "anyqtama_renders_in_flight 1") {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "the render never started");
        std::thread::sleep(Duration::from_millis(5));
    }
    let base = server.base.clone();
    let (status, stderr) = server.terminate();
    let a = in_flight.join().unwrap();
    assert_eq!(a.status, 200, "the request in flight is answered");
    assert!(Pdf::from_bytes(&a.body).page_count() > 10);
    assert!(status.success(), "{status:?}\n{stderr}");
    assert!(stderr.contains("stopping: finishing the requests in flight"), "{stderr}");
    // The structured log names each request by its id.
    let id = a.header("x-request-id").unwrap().to_owned();
    assert!(
        stderr.lines().any(|l| l
            .contains(&format!("request{{id={id} method=POST uri=/v1/forms/rights-certificate/render"))
            && l.contains("status=200")),
        "{stderr}"
    );
    // Nothing listens any more.
    assert!(agent().get(format!("{base}/healthz")).call().is_err());
}
