//! The clerks' web page (`anyqtama serve --register`, src/service/web/): the real binary on an
//! ephemeral loopback port with an SQLite register, talked to with ureq as a browser would
//! (cookies kept by hand, redirects not followed). The table of appendix 2 in Kazakh and in
//! Russian, sign-in and sign-out, CSRF refusals, every value escaped, problems of an act shown
//! at their fields, acts registered through the form in each clerk's sequence, and the
//! documents read with the session cookie.

#![cfg(feature = "service")]

mod common;

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};

use common::{Pdf, fold, form_text, root};
use serde_json::Value;

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

/// A fresh register (region 09 from 6010, region 02 from 1650) with two clerks and a reader.
fn serve() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.db");
    let bin = env!("CARGO_BIN_EXE_anyqtama");
    let init = Command::new(bin)
        .args(["register", "--db"])
        .arg(&db)
        .args(["init", "--start-number", "09=6010", "--start-number", "02=1650"])
        .output()
        .unwrap();
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    let tokens = dir.path().join("tokens.txt");
    std::fs::write(&tokens, "t-karaganda 09 Aigerim Nurlanovna\nt-almaty 02 Yerlan Bekov\nt-reader\n")
        .unwrap();
    let mut child = Command::new(bin)
        .args(["serve", "--addr", "127.0.0.1:0", "--register"])
        .arg(&db)
        .arg("--tokens")
        .arg(&tokens)
        .env("ANYQTAMA_TODAY", TODAY)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = common::listening_base(&mut child);
    Server { child, base, _dir: dir }
}

/// One answer: status, headers we look at, body as text.
struct Page {
    status: u16,
    location: String,
    cookies: Vec<String>,
    content_type: String,
    body: Vec<u8>,
}

impl Page {
    fn html(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The hidden CSRF token of the page's forms.
    fn csrf(&self) -> String {
        let html = self.html();
        let at = html.find("name=\"csrf\" value=\"").unwrap_or_else(|| panic!("no csrf field in {html}"));
        html[at + 19..].split('"').next().unwrap().to_owned()
    }
}

/// A browser: one cookie jar, no redirects followed.
struct Browser<'a> {
    server: &'a Server,
    jar: BTreeMap<String, String>,
}

impl<'a> Browser<'a> {
    fn new(server: &'a Server) -> Self {
        Browser { server, jar: BTreeMap::new() }
    }

    fn agent() -> ureq::Agent {
        ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().into()
    }

    fn cookie_header(&self) -> String {
        self.jar.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn keep(&mut self, response: ureq::http::Response<ureq::Body>) -> Page {
        let mut response = response;
        let header =
            |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        let (location, content_type) = (header("location"), header("content-type"));
        let cookies: Vec<String> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        for c in &cookies {
            let pair = c.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if c.contains("Max-Age=0") {
                self.jar.remove(name);
            } else {
                self.jar.insert(name.to_owned(), value.to_owned());
            }
        }
        let status = response.status().as_u16();
        let body = response.body_mut().with_config().limit(64 << 20).read_to_vec().unwrap();
        Page { status, location, cookies, content_type, body }
    }

    fn get(&mut self, path: &str) -> Page {
        let url = format!("{}{path}", self.server.base);
        let response = Self::agent().get(&url).header("cookie", self.cookie_header()).call().unwrap();
        self.keep(response)
    }

    fn post(&mut self, path: &str, fields: &[(String, String)]) -> Page {
        let url = format!("{}{path}", self.server.base);
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let response =
            Self::agent().post(&url).header("cookie", self.cookie_header()).send_form(pairs).unwrap();
        self.keep(response)
    }

    /// Signs in with `token`; asserts that it worked.
    fn sign_in(&mut self, token: &str, lang: &str) {
        let form = self.get(&format!("/signin?lang={lang}"));
        assert_eq!(form.status, 200);
        let answer =
            self.post("/signin", &pairs(&[("csrf", &form.csrf()), ("lang", lang), ("token", token)]));
        assert_eq!(answer.status, 303, "{}", answer.html());
        assert!(self.jar.contains_key("anyqtama_session"), "{:?}", answer.cookies);
    }
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// The text of HTML: tags removed, the entities Tera writes decoded, white space folded.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&");
    fold(&decoded)
}

/// The inputs of the act form for a sample act file: `act.title.kk`, `adopting_bodies[0].ru`…
fn act_fields(sample: &str) -> Vec<(String, String)> {
    let yaml = std::fs::read_to_string(root().join("samples/register-acts").join(sample)).unwrap();
    let value: Value = serde_saphyr::from_str(&yaml).unwrap();
    let mut out = Vec::new();
    flatten(&value, "", &mut out);
    out
}

fn flatten(value: &Value, path: &str, out: &mut Vec<(String, String)>) {
    let join = |key: &str| if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") };
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "form" && path.is_empty() || k == "en" {
                    continue;
                }
                flatten(v, &join(k), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(v, &format!("{path}[{i}]"), out);
            }
        }
        Value::Bool(true) => out.push((path.to_owned(), "true".into())),
        Value::Bool(false) | Value::Null => {}
        Value::String(s) => out.push((path.to_owned(), s.clone())),
        Value::Number(n) => out.push((path.to_owned(), n.to_string())),
    }
}

fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    fields.retain(|(k, _)| k != name);
    if !value.is_empty() {
        fields.push((name.to_owned(), value.to_owned()));
    }
}

/// Registers the act of `fields` through the form; the answer to the POST.
fn register(browser: &mut Browser, fields: &[(String, String)], lang: &str) -> Page {
    let form = browser.get(&format!("/register/new?lang={lang}"));
    assert_eq!(form.status, 200, "{}", form.html());
    let mut posted = pairs(&[("csrf", &form.csrf()), ("lang", lang)]);
    posted.extend_from_slice(fields);
    browser.post("/register/new", &posted)
}

/// The HTML of the input group `data-field="path"` (up to the next one).
fn field_html<'h>(html: &'h str, path: &str) -> &'h str {
    let marker = format!("data-field=\"{path}\"");
    let at = html.find(&marker).unwrap_or_else(|| panic!("no field {path}"));
    let rest = &html[at + marker.len()..];
    let end = rest.find("data-field=").unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn the_table_of_appendix_2_in_kazakh_and_russian_after_sign_in() {
    let server = serve();
    let mut browser = Browser::new(&server);
    let root_page = browser.get("/");
    assert_eq!((root_page.status, root_page.location.as_str()), (303, "/register"));
    // Reads need a token: the page sends the browser to sign in, and back.
    let page = browser.get("/register?lang=ru");
    assert_eq!(page.status, 303);
    assert_eq!(page.location, "/signin?lang=ru&next=%2Fregister");
    browser.sign_in("t-karaganda", "kk");
    let words = form_text("246-app2-register");
    for lang in ["kk", "ru"] {
        let page = browser.get(&format!("/register?lang={lang}"));
        assert_eq!(page.status, 200);
        assert!(page.content_type.starts_with("text/html"), "{}", page.content_type);
        let html = page.html();
        assert!(html.contains(&format!("<html lang=\"{lang}\">")));
        let shown = text(&html);
        // The nine headings of the intranet register in the page's language, in order.
        let headings: Vec<String> =
            (1..=9).map(|n| words[format!("col{n}")][lang].as_str().unwrap().to_owned()).collect();
        let thead = text(&html[html.find("<thead>").unwrap()..html.find("</thead>").unwrap()]);
        assert_eq!(thead, fold(&format!("{} 1 2 3 4 5 6 7 8 9", headings.join(" "))));
        assert!(shown.contains(words["title_intranet"][lang].as_str().unwrap()));
        // The switch to the other language, Kazakh first.
        assert!(shown.contains("Қазақша Русский"), "{shown}");
        let clerk = if lang == "kk" {
            "Қызметкер: Aigerim Nurlanovna, өңір индексі 09"
        } else {
            "Сотрудник: Aigerim Nurlanovna, индекс региона 09"
        };
        assert!(shown.contains(clerk), "{shown}");
        assert!(shown.contains(if lang == "kk" {
            "Жазбалар жоқ"
        } else {
            "Записей нет"
        }));
    }
}

#[test]
fn sign_in_and_out_with_the_cookie_and_the_csrf_token() {
    let server = serve();
    let mut browser = Browser::new(&server);
    let form = browser.get("/signin?lang=kk");
    let signin_cookie = form.cookies.iter().find(|c| c.starts_with("anyqtama_signin=")).unwrap();
    // Loopback: no Secure, so a browser keeps it over plain HTTP.
    assert!(signin_cookie.ends_with("; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200"), "{signin_cookie}");
    // A wrong token: the form again, with the refusal.
    let wrong =
        browser.post("/signin", &pairs(&[("csrf", &form.csrf()), ("lang", "kk"), ("token", "t-nobody")]));
    assert_eq!(wrong.status, 401);
    assert!(text(&wrong.html()).contains("Токен қабылданбады"));
    // The token of a clerk.
    let again = browser.get("/signin?lang=ru&next=/register?q=x");
    let ok = browser.post(
        "/signin",
        &pairs(&[("csrf", &again.csrf()), ("lang", "ru"), ("token", "t-almaty"), ("next", "/register?q=x")]),
    );
    assert_eq!((ok.status, ok.location.as_str()), (303, "/register?q=x&lang=ru"));
    let session = ok.cookies.iter().find(|c| c.starts_with("anyqtama_session=")).unwrap();
    assert!(session.contains("; HttpOnly; SameSite=Strict;"), "{session}");
    assert_eq!(session.split(';').next().unwrap().len(), "anyqtama_session=".len() + 64);
    let table = browser.get("/register?lang=ru");
    assert!(text(&table.html()).contains("Сотрудник: Yerlan Bekov, индекс региона 02"));
    // Sign-out needs the page's token.
    let refused = browser.post("/signout", &pairs(&[("lang", "ru")]));
    assert_eq!(refused.status, 403);
    assert!(text(&refused.html()).contains("Запрос отклонён"));
    let out = browser.post("/signout", &pairs(&[("csrf", &table.csrf()), ("lang", "ru")]));
    assert_eq!((out.status, out.location.as_str()), (303, "/signin?lang=ru&out=1"));
    assert!(!browser.jar.contains_key("anyqtama_session"));
    // The old cookie is dead on the server too.
    let old = session.split(';').next().unwrap().split_once('=').unwrap().1.to_owned();
    browser.jar.insert("anyqtama_session".into(), old);
    assert_eq!(browser.get("/register").status, 303);
}

#[test]
fn a_post_without_the_csrf_token_is_refused() {
    let server = serve();
    let mut browser = Browser::new(&server);
    // Sign-in without the form's cookie (another site's page posting the form).
    let page = browser.get("/signin");
    let csrf = page.csrf();
    browser.jar.clear();
    let answer = browser.post("/signin", &pairs(&[("csrf", &csrf), ("token", "t-karaganda")]));
    assert_eq!(answer.status, 403);
    assert!(answer.cookies.iter().all(|c| !c.starts_with("anyqtama_session")));
    browser.sign_in("t-karaganda", "kk");
    let act = act_fields("2026-11-05-karaganda-land-tax.yaml");
    for csrf in [None, Some("0".repeat(64))] {
        let mut posted = act.clone();
        if let Some(c) = &csrf {
            posted.push(("csrf".into(), c.clone()));
        }
        let answer = browser.post("/register/new", &posted);
        assert_eq!(answer.status, 403, "csrf {csrf:?}");
        assert!(text(&answer.html()).contains("Сұрау қабылданбады"));
    }
    // Nothing was registered.
    let table = browser.get("/register");
    assert!(text(&table.html()).contains("Табылды: 0"));
}

#[test]
fn acts_registered_through_the_form_in_each_clerks_sequence_and_their_documents() {
    let server = serve();
    let mut karaganda = Browser::new(&server);
    karaganda.sign_in("t-karaganda", "kk");
    let mut act = act_fields("2026-11-05-karaganda-land-tax.yaml");
    // The title shows as text, never as markup.
    set(&mut act, "act.title.ru", "О ставках <script>alert(1)</script> & \"налогах\"");
    let answer = register(&mut karaganda, &act, "kk");
    assert_eq!(
        (answer.status, answer.location.as_str()),
        (303, "/register/6010-09?lang=kk&created=1"),
        "{}",
        answer.html()
    );
    let entry = karaganda.get(&answer.location);
    assert_eq!(entry.status, 200);
    let shown = text(&entry.html());
    assert!(shown.contains("Акт тіркелді: № 6010-09"), "{shown}");
    assert!(
        entry
            .html()
            .contains("src=\"&#x2F;v1&#x2F;register&#x2F;entries&#x2F;6010-09&#x2F;stamp.svg?lang=kk\"")
    );
    // A clerk of region 02, in Russian, at the same time: the next number of region 02.
    let mut almaty = Browser::new(&server);
    almaty.sign_in("t-almaty", "ru");
    let answer = register(&mut almaty, &act_fields("2026-11-10-almaty-improvement.yaml"), "ru");
    assert_eq!(answer.location, "/register/1650-02?lang=ru&created=1", "{}", answer.html());
    let table = almaty.get("/register?lang=ru");
    let html = table.html();
    assert!(!html.contains("<script>alert"), "unescaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt; &amp; &quot;налогах&quot;"), "{html}");
    let shown = text(&html);
    assert!(shown.contains("Найдено: 2"));
    assert!(shown.contains("6010-09 Заключение Штамп Журнал за месяц"), "{shown}");
    // Filters: by body and by text.
    assert!(text(&almaty.get("/register?lang=ru&body=02").html()).contains("Найдено: 1"));
    let found = text(&almaty.get("/register?lang=ru&q=%3Cscript").html());
    assert!(found.contains("Найдено: 1") && found.contains("6010-09"), "{found}");
    assert!(text(&almaty.get("/register?lang=ru&from=2026-12-01").html()).contains("Найдено: 0"));
    // A clerk of region 02 cannot register an act of region 09: said at the region's field.
    let refused = register(&mut almaty, &act_fields("2026-11-13-karaganda-preschool-order.yaml"), "ru");
    assert_eq!(refused.status, 403);
    let region = text(field_html(&refused.html(), "region_index"));
    assert!(region.contains("Вы регистрируете акты только органа: индекс региона 02."), "{region}");
    // The conclusion, with the session cookie (the JSON routes read with it, and only read).
    let pdf = karaganda.get("/v1/register/entries/6010-09/conclusion.pdf");
    assert_eq!(pdf.status, 200);
    assert!(pdf.body.starts_with(b"%PDF"));
    let conclusion = Pdf::from_bytes(&pdf.body).text();
    assert!(conclusion.contains("6010-09"), "{conclusion}");
    assert_eq!(karaganda.get("/v1/register/entries/6010-09/stamp.svg?lang=kk").content_type, "image/svg+xml");
    let write = Browser::agent()
        .post(format!("{}/v1/register/entries", server.base))
        .header("cookie", karaganda.cookie_header())
        .header("content-type", "application/json")
        .send("{}")
        .unwrap();
    assert_eq!(write.status().as_u16(), 401, "a write needs the bearer token");
    // A court cancellation from the entry's page, by a clerk of the registration's body only.
    let court = pairs(&[
        ("lang", "kk"),
        ("in_force_on", "2026-11-20"),
        ("decision_date", "2026-11-10"),
        ("decision_number", "2-345/2026"),
    ]);
    let entry = karaganda.get("/register/6010-09?lang=kk");
    assert!(text(&entry.html()).contains("Сот шешімі бойынша мемлекеттік тіркеуді жою"));
    assert_eq!(karaganda.post("/register/6010-09/cancel-by-court", &court).status, 403, "no csrf");
    let other = almaty.get("/register/6010-09?lang=ru");
    assert!(!other.html().contains("cancel-by-court"), "no form for another body's registration");
    let mut posted = court.clone();
    posted.push(("csrf".into(), other.csrf()));
    assert_eq!(almaty.post("/register/6010-09/cancel-by-court", &posted).status, 403);
    let mut posted = court.clone();
    posted.push(("csrf".into(), entry.csrf()));
    let done = karaganda.post("/register/6010-09/cancel-by-court", &posted);
    assert_eq!((done.status, done.location.as_str()), (303, "/register/6010-09?lang=kk&cancelled=1"));
    let row = text(&karaganda.get("/register?lang=kk").html());
    assert!(row.contains("20.11.2026 (10.11.2026, № 2-345/2026)"), "{row}");
    let again = karaganda.post("/register/6010-09/cancel-by-court", &posted);
    assert_eq!(again.status, 409);
    // The register verifies.
    let verify = karaganda.get("/v1/register/verify");
    let report: Value = serde_json::from_slice(&verify.body).unwrap();
    assert_eq!((report["intact"].as_bool(), report["entries"].as_u64()), (Some(true), Some(3)));
}

#[test]
fn problems_of_an_act_are_shown_at_their_fields_and_the_inputs_kept() {
    let server = serve();
    let mut browser = Browser::new(&server);
    browser.sign_in("t-karaganda", "ru");
    let mut act = act_fields("2026-11-05-karaganda-land-tax.yaml");
    set(&mut act, "act.title.ru", "");
    set(&mut act, "received_on", "");
    set(&mut act, "act.adopted_on", "2026-13-01");
    let answer = register(&mut browser, &act, "ru");
    assert_eq!(answer.status, 422);
    let html = answer.html();
    assert!(text(&html).contains("Акт не зарегистрирован: исправьте отмеченные поля."));
    // Each problem at its field, in the page's language (anyqtama::messages).
    let title = text(field_html(&html, "act.title"));
    assert_eq!(title.matches("нет текста на русском языке (ru)").count(), 1, "{title}");
    let received = text(field_html(&html, "received_on"));
    assert!(received.contains("отсутствует обязательное поле"), "{received}");
    assert!(text(field_html(&html, "act.adopted_on")).contains("2026-13-01"));
    // What the clerk typed is still there (the title's text area; the number's input).
    let kept = act.iter().find(|(k, _)| k == "act.title.kk").unwrap().1.clone();
    assert!(field_html(&html, "act.title").contains(&format!(">{kept}</textarea>")));
    assert!(field_html(&html, "act.number").contains("value=\"7&#x2F;61\""));
    // A reader's token may look but not register.
    let mut reader = Browser::new(&server);
    reader.sign_in("t-reader", "kk");
    assert_eq!(reader.get("/register/new").status, 403);
}
