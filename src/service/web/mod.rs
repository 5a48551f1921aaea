//! The clerks' web page (`serve --register`): server-rendered HTML in Kazakh (the default) or
//! Russian, over the same library calls as the register's JSON routes.
//!
//! - `GET /` → `/register`;
//! - `GET /register?lang&from&to&body&q&page`: the intranet register of order 246, appendix 2
//!   (its nine columns, headed and filled as the printed register is), with filters and pages,
//!   and for each entry its conclusion, its stamp and the month's paper journal;
//! - `GET /register/new` and `POST /register/new`: the act form (its inputs built from the
//!   form `act`), checked by the same validation as an act file, each problem at its field;
//!   with `relation` and `target`, an act that amends, suspends or invalidates a registration;
//! - `GET /register/{number}`: one entry, its stamp, its documents and the acts that may follow;
//! - `GET /signin`, `POST /signin`, `POST /signout`: a clerk's token for a session cookie
//!   ([`session`]).
//!
//! Every form carries a CSRF token (the session's, or for sign-in a cookie's) that a `POST`
//! must send back (`403` otherwise). The wording is in `templates/web/text.yaml`, the pages in
//! `templates/web/*.html`, rendered by Tera with every value escaped.

mod fields;
pub(crate) mod session;

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::{Map, Value as Json, json};

use super::routes::{Failure, on_pool};
use super::{AppState, Token};
use crate::diag::Diagnostic;
use crate::domain::Lang;
use crate::domain::date::parse_date;
use crate::form::spec::Texts;
use crate::messages;
use crate::register::CourtDecision;
use crate::register::documents::{self, RegisterPrint};
use crate::register::model::Range;
use crate::register::ops::{ActFile, Clerk, CourtCancellation, OpError, Registrar, Registration};
use crate::register::store::today;
use crate::register::{Body, Entry, Kind, Reference, RegNumber, Register, RegisterError, Relation};
use session::{SIGNIN_COOKIE, Session, same_secret, set_cookie};

pub(crate) use session::Sessions;

/// Rows of the register on one page.
const PAGE_SIZE: usize = 50;

/// The page's routes.
pub(super) fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/register") }))
        .route("/register", get(table))
        .route("/register/new", get(new_act).post(register_act))
        .route("/register/{number}", get(entry_page))
        .route("/register/{number}/cancel-by-court", post(cancel_by_court))
        .route("/signin", get(signin_page).post(signin))
        .route("/signout", post(signout))
        .route("/web/style.css", get(|| async { asset("text/css; charset=utf-8", STYLE) }))
        .route("/web/app.js", get(|| async { asset("text/javascript; charset=utf-8", SCRIPT) }))
}

const STYLE: &str = include_str!("../../../templates/web/style.css");
const SCRIPT: &str = include_str!("../../../templates/web/app.js");

fn asset(content_type: &'static str, text: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "max-age=3600")], text).into_response()
}

/// The holder of the request's session cookie, for the JSON routes' reads.
pub(crate) fn session_holder(state: &AppState, headers: &HeaderMap) -> Option<Token> {
    state.sessions.of(headers).map(|s| s.holder)
}

// ---------------------------------------------------------------------------------------
// Wording and templates

/// The page's wording (`templates/web/text.yaml`) and its templates.
struct Pages {
    words: IndexMap<String, Texts>,
    tera: tera::Tera,
}

const TEXT_YAML: &str = include_str!("../../../templates/web/text.yaml");
const TEMPLATES: [(&str, &str); 7] = [
    ("base.html", include_str!("../../../templates/web/base.html")),
    ("fields.html", include_str!("../../../templates/web/fields.html")),
    ("register.html", include_str!("../../../templates/web/register.html")),
    ("act.html", include_str!("../../../templates/web/act.html")),
    ("entry.html", include_str!("../../../templates/web/entry.html")),
    ("message.html", include_str!("../../../templates/web/message.html")),
    ("signin.html", include_str!("../../../templates/web/signin.html")),
];

fn load_pages() -> Result<Pages, String> {
    let words: IndexMap<String, Texts> =
        serde_saphyr::from_str(TEXT_YAML).map_err(|e| format!("templates/web/text.yaml: {e}"))?;
    let mut tera = tera::Tera::default();
    // Tera escapes every value it prints in a template whose name ends in .html.
    tera.autoescape_on(vec![".html"]);
    tera.add_raw_templates(TEMPLATES).map_err(|e| format!("templates/web: {e:?}"))?;
    Ok(Pages { words, tera })
}

fn pages() -> Result<&'static Pages, String> {
    static PAGES: OnceLock<Result<Pages, String>> = OnceLock::new();
    PAGES.get_or_init(load_pages).as_ref().map_err(Clone::clone)
}

/// The page's language: `?lang=kk` (the default) or `ru`.
fn page_lang(code: Option<&str>) -> Lang {
    match code {
        Some("ru") => Lang::Ru,
        _ => Lang::Kk,
    }
}

/// A text of the catalog in `lang` with `{name}`s filled in (the key itself when missing,
/// which a test forbids).
fn say(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let text = pages()
        .ok()
        .and_then(|p| p.words.get(key))
        .map_or_else(|| key.to_owned(), |t| t.get(lang).to_owned());
    args.iter().fold(text, |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

/// The name of a body in `lang`.
fn body_label(lang: Lang, body: Body) -> String {
    match body.region_index() {
        None => say(lang, "body_ministry", &[]),
        Some(index) => say(lang, "body_region", &[("index", &index)]),
    }
}

/// A diagnostic's message in the page's language ([`crate::messages`]).
fn message(d: &Diagnostic, lang: Lang) -> String {
    messages::localize(d, lang.into())
}

/// What every page shows: the language and its switch, the clerk, the CSRF token.
struct Page<'a> {
    lang: Lang,
    session: Option<&'a Session>,
    /// The path and query of this page, without `lang` (for the language switch).
    here: String,
}

impl Page<'_> {
    fn render(
        &self,
        state: &AppState,
        template: &str,
        status: StatusCode,
        mut context: Map<String, Json>,
    ) -> Response {
        let pages = match pages() {
            Ok(p) => p,
            Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e).into_response(),
        };
        let lang = self.lang;
        let t: Map<String, Json> =
            pages.words.iter().map(|(k, v)| (k.clone(), Json::String(v.get(lang).to_owned()))).collect();
        let reg: Map<String, Json> = state
            .engine
            .form("register")
            .ok()
            .and_then(|f| f.prepared().ok())
            .map(|p| p.texts.iter().map(|(k, v)| (k.clone(), Json::String(v.get(lang).to_owned()))).collect())
            .unwrap_or_default();
        let sep = if self.here.contains('?') { '&' } else { '?' };
        context.insert("lang".into(), json!(lang.code()));
        context.insert("t".into(), Json::Object(t));
        context.insert("reg".into(), Json::Object(reg));
        context.insert("switch_kk".into(), json!(format!("{}{sep}lang=kk", self.here)));
        context.insert("switch_ru".into(), json!(format!("{}{sep}lang=ru", self.here)));
        context.insert("signin_url".into(), json!(format!("/signin?lang={}", lang.code())));
        if let Some(s) = self.session {
            let who = match s.holder.body {
                Some(body) => {
                    say(lang, "clerk", &[("name", &s.holder.name), ("body", &body_label(lang, body))])
                }
                None => say(lang, "reader", &[]),
            };
            context.insert("clerk".into(), json!(who));
            context.insert("writer".into(), json!(s.holder.body.is_some()));
            context.insert("csrf".into(), json!(s.csrf));
        }
        context.insert("signed_in".into(), json!(self.session.is_some()));
        let tera_context = match tera::Context::from_value(Json::Object(context)) {
            Ok(c) => c,
            Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
        };
        match pages.tera.render(template, &tera_context) {
            Ok(html) => {
                let mut response = (status, Html(html)).into_response();
                let headers = response.headers_mut();
                headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                headers.insert(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(
                        "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
                    ),
                );
                headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
                response
            }
            Err(e) => {
                let mut cause = e.to_string();
                let mut source = std::error::Error::source(&e);
                while let Some(s) = source {
                    cause = format!("{cause}: {s}");
                    source = s.source();
                }
                (StatusCode::INTERNAL_SERVER_ERROR, cause).into_response()
            }
        }
    }

    /// A page with one message (a refusal, a missing entry).
    fn message(&self, state: &AppState, status: StatusCode, text: &str) -> Response {
        let mut context = Map::new();
        context.insert("title".into(), json!(say(self.lang, "error_title", &[])));
        context.insert("text".into(), json!(text));
        self.render(state, "message.html", status, context)
    }

    /// A failure of the library or of the pool, as a page.
    fn failure(&self, state: &AppState, failure: Failure) -> Response {
        let response = failure.into_response();
        let status = response.status();
        let text = match status {
            StatusCode::NOT_FOUND => say(self.lang, "not_found", &[]),
            _ => status.canonical_reason().unwrap_or("error").to_owned(),
        };
        self.message(state, status, &text)
    }
}

/// A posted form's fields, by name (the last of a name wins).
struct Posted(HashMap<String, String>);

impl Posted {
    fn new(pairs: Vec<(String, String)>) -> Posted {
        Posted(pairs.into_iter().collect())
    }

    /// The field's value, trimmed; empty when not posted.
    fn field(&self, name: &str) -> String {
        self.0.get(name).map_or("", |v| v.trim()).to_owned()
    }

    /// The page's language, from the form's hidden `lang`.
    fn lang(&self) -> Lang {
        page_lang(self.0.get("lang").map(String::as_str))
    }
}

/// A query string of `pairs` (empty values left out), with `?` when not empty.
fn query(pairs: &[(&str, &str)]) -> String {
    let pairs: Vec<_> = pairs.iter().filter(|(_, v)| !v.is_empty()).collect();
    match serde_urlencoded::to_string(pairs) {
        Ok(q) if !q.is_empty() => format!("?{q}"),
        _ => String::new(),
    }
}

/// The session, or the answer that sends the browser to sign in (when reads need a token).
fn reader(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
    here: &str,
) -> Result<Option<Session>, Box<Response>> {
    if let Some(s) = state.sessions.of(headers) {
        return Ok(Some(s));
    }
    if state.config.public_read || state.config.tokens.is_none() {
        return Ok(None);
    }
    Err(to_signin(lang, here))
}

/// The answer that sends the browser to sign in, and then back to `here`.
fn to_signin(lang: Lang, here: &str) -> Box<Response> {
    Box::new(
        Redirect::to(&format!("/signin{}", query(&[("lang", lang.code()), ("next", here)]))).into_response(),
    )
}

// ---------------------------------------------------------------------------------------
// The register

/// The query of `/register`.
#[derive(Debug, Deserialize, Default)]
struct TableQuery {
    lang: Option<String>,
    from: Option<String>,
    to: Option<String>,
    body: Option<String>,
    q: Option<String>,
    page: Option<usize>,
}

/// The register read whole, its chain checked.
fn open(state: &AppState) -> Result<Register, Failure> {
    let location = state.config.register.as_ref().ok_or_else(|| Failure::Internal("no register".into()))?;
    let store = location.open().map_err(Failure::Register)?;
    Register::open(&*store).map_err(Failure::Register)
}

/// Whether any text of `value` contains `q` (lower case).
fn has_text(value: &Json, q: &str) -> bool {
    match value {
        Json::String(s) => s.to_lowercase().contains(q),
        Json::Array(items) => items.iter().any(|v| has_text(v, q)),
        Json::Object(map) => map.values().any(|v| has_text(v, q)),
        _ => false,
    }
}

/// The row of the intranet register of one registration, as the printed register fills it
/// (`documents::register_case`, validated like any case), in `lang`, with the links to its
/// documents.
fn row(state: &AppState, all: &[Entry], entry: &Entry, lang: Lang) -> Json {
    let print = RegisterPrint {
        variant: "intranet".into(),
        section: None,
        paper: None,
        first_item_no: 1,
        head_hash: None,
    };
    let mut row = match documents::register_case(&state.engine, all, &[entry], &print) {
        Ok(case) => crate::template::to_json(&case.data, lang)["entries"][0].clone(),
        Err(d) => json!({"problem": d.iter().map(|d| message(d, lang)).collect::<Vec<_>>().join("; ")}),
    };
    if let Some(n) = entry.reg_number() {
        let base = format!("/v1/register/entries/{n}");
        let l = lang.code();
        row["links"] = json!({
            "entry": format!("/register/{n}?lang={l}"),
            "conclusion": format!("{base}/conclusion.pdf"),
            "stamp_png": format!("{base}/stamp.png?lang={l}"),
            "stamp_svg": format!("{base}/stamp.svg?lang={l}"),
            "stamp_pdf": format!("{base}/stamp.pdf?lang={l}"),
            "journal": format!("/v1/register/journal.pdf?month={}", entry.data.registered_on.format("%Y-%m")),
        });
        row["key"] = json!(n.to_string());
    }
    row
}

fn bodies(lang: Lang, chosen: &str) -> Vec<Json> {
    std::iter::once(Body::Ministry)
        .chain((1..=crate::register::model::MAX_REGION).map(Body::Region))
        .map(|b| {
            let value = b.region_index().unwrap_or_else(|| "ministry".into());
            json!({"value": value, "label": body_label(lang, b), "selected": value == chosen})
        })
        .collect()
}

async fn table(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(q): Query<TableQuery>,
) -> Response {
    let lang = page_lang(q.lang.as_deref());
    let text = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or_default().to_owned();
    let (from, to, body, words) = (text(&q.from), text(&q.to), text(&q.body), text(&q.q));
    let filters =
        [("from", from.as_str()), ("to", to.as_str()), ("body", body.as_str()), ("q", words.as_str())];
    let here = format!("/register{}", query(&filters));
    let session = match reader(&state, &headers, lang, &here) {
        Ok(s) => s,
        Err(redirect) => return *redirect,
    };
    let page = Page { lang, session: session.as_ref(), here: here.clone() };
    let mut problems = Vec::new();
    let mut date = |text: &str, name: &str| {
        if text.is_empty() {
            return None;
        }
        parse_date(text).map_err(|e| problems.push(format!("{name}: {e}"))).ok()
    };
    let range = Range {
        from: date(&from, &say(lang, "filter_from", &[])),
        to: date(&to, &say(lang, "filter_to", &[])),
        body: if body.is_empty() { None } else { Body::from_name(&body) },
    };
    let needle = words.to_lowercase();
    let asked = q.page;
    let shared = Arc::clone(&state);
    let result = on_pool(&state, move || {
        let state = shared;
        let register = open(&state)?;
        let all = register.entries();
        let selected: Vec<&Entry> = all
            .iter()
            .filter(|e| e.data.kind == Kind::Registration && range.contains(e))
            .filter(|e| needle.is_empty() || e.data.act.as_ref().is_some_and(|a| has_text(a, &needle)))
            .collect();
        let count = selected.len();
        let pages = count.div_ceil(PAGE_SIZE).max(1);
        // The newest entries by default: the last page.
        let number = asked.unwrap_or(pages).clamp(1, pages);
        let rows: Vec<Json> = selected
            .iter()
            .skip((number - 1) * PAGE_SIZE)
            .take(PAGE_SIZE)
            .map(|e| row(&state, all, e, lang))
            .collect();
        Ok((rows, count, number, pages))
    })
    .await;
    let (rows, count, number, pages) = match result {
        Ok(r) => r,
        Err(f) => return page.failure(&state, f),
    };
    let link = |n: usize| {
        let n = n.to_string();
        let mut pairs = filters.to_vec();
        pairs.push(("page", n.as_str()));
        pairs.push(("lang", lang.code()));
        format!("/register{}", query(&pairs))
    };
    let mut context = Map::new();
    context.insert("rows".into(), json!(rows));
    context.insert("found".into(), json!(say(lang, "found", &[("count", &count.to_string())])));
    context.insert("problems".into(), json!(problems));
    context.insert("from".into(), json!(from));
    context.insert("to".into(), json!(to));
    context.insert("q".into(), json!(words));
    context.insert("bodies".into(), json!(bodies(lang, &body)));
    let footer = state
        .engine
        .form("register")
        .ok()
        .and_then(|f| f.text("page_footer_intranet"))
        .map(|t| t.get(lang).to_owned())
        .unwrap_or_default();
    context.insert(
        "page_of".into(),
        json!(footer.replace("{page}", &number.to_string()).replace("{total}", &pages.to_string())),
    );
    if number > 1 {
        context.insert("prev".into(), json!(link(number - 1)));
    }
    if number < pages {
        context.insert("next".into(), json!(link(number + 1)));
    }
    page.render(&state, "register.html", StatusCode::OK, context)
}

// ---------------------------------------------------------------------------------------
// One entry

#[derive(Debug, Deserialize, Default)]
struct EntryQuery {
    lang: Option<String>,
    created: Option<String>,
    cancelled: Option<String>,
}

async fn entry_page(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(text): Path<String>,
    Query(q): Query<EntryQuery>,
) -> Response {
    let lang = page_lang(q.lang.as_deref());
    let here = format!("/register/{text}");
    let session = match reader(&state, &headers, lang, &here) {
        Ok(s) => s,
        Err(redirect) => return *redirect,
    };
    let page = Page { lang, session: session.as_ref(), here };
    let Ok(number) = text.parse::<RegNumber>() else {
        return page.message(&state, StatusCode::NOT_FOUND, &say(lang, "not_found", &[]));
    };
    let shared = Arc::clone(&state);
    let result = on_pool(&state, move || {
        let register = open(&shared)?;
        let all = register.entries();
        let entry = all
            .iter()
            .find(|e| e.reg_number() == Some(number))
            .ok_or(Failure::Register(RegisterError::UnknownNumber(number)))?;
        Ok(row(&shared, all, entry, lang))
    })
    .await;
    let row = match result {
        Ok(r) => r,
        Err(f) => return page.failure(&state, f),
    };
    let mut context = Map::new();
    context.insert("row".into(), row);
    context.insert("number".into(), json!(number.to_string()));
    context.insert("title".into(), json!(say(lang, "entry_title", &[("number", &number.to_string())])));
    if q.created.is_some() {
        context.insert("created".into(), json!(say(lang, "registered", &[("number", &number.to_string())])));
    }
    if q.cancelled.is_some() {
        context.insert("created".into(), json!(say(lang, "court_done", &[("number", &number.to_string())])));
    }
    // A clerk of the registration's body may enter a court decision that cancels it.
    let may_cancel = session.as_ref().and_then(|s| s.holder.body) == Some(number.body);
    context.insert("may_cancel".into(), json!(may_cancel));
    let actions: Vec<Json> = [("amends", "action_amend"), ("suspends", "action_suspend"), ("invalidates", "action_invalidate")]
        .into_iter()
        .map(|(relation, key)| {
            json!({
                "label": say(lang, key, &[]),
                "url": format!("/register/new{}", query(&[("lang", lang.code()), ("relation", relation), ("target", &number.to_string())])),
            })
        })
        .collect();
    context.insert("actions".into(), json!(actions));
    page.render(&state, "entry.html", StatusCode::OK, context)
}

/// Enters a court decision that cancels the registration (column 8): `register::ops`'s
/// `cancel_by_court`, dated today, by the signed-in clerk of the registration's body.
async fn cancel_by_court(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(text): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> Response {
    let posted = Posted::new(posted);
    let field = |name: &str| posted.field(name);
    let lang = posted.lang();
    let here = format!("/register/{text}");
    let (session, body) = match writer(&state, &headers, lang, &here) {
        Ok(w) => w,
        Err(refusal) => return *refusal,
    };
    let page = Page { lang, session: Some(&session), here };
    if !same_secret(&field("csrf"), &session.csrf) {
        return page.message(&state, StatusCode::FORBIDDEN, &say(lang, "csrf_failed", &[]));
    }
    let Ok(target) = text.parse::<RegNumber>() else {
        return page.message(&state, StatusCode::NOT_FOUND, &say(lang, "not_found", &[]));
    };
    let dates = [("court_in_force", "in_force_on"), ("court_date", "decision_date")].map(|(label, name)| {
        parse_date(&field(name)).map_err(|e| format!("{}: {}", say(lang, label, &[]), e))
    });
    let [in_force_on, decision_date] = match dates {
        [Ok(a), Ok(b)] => [a, b],
        dates => {
            let problems: Vec<String> = dates.into_iter().filter_map(Result::err).collect();
            return page.message(&state, StatusCode::UNPROCESSABLE_ENTITY, &problems.join("; "));
        }
    };
    let decision = CourtDecision { in_force_on, decision_date, decision_number: field("decision_number") };
    let clerk = Clerk { name: Some(session.holder.name.clone()), body: Some(body) };
    let shared = Arc::clone(&state);
    let result = on_pool(&state, move || {
        let location =
            shared.config.register.as_ref().ok_or_else(|| Failure::Internal("no register".into()))?;
        let request =
            CourtCancellation { target, decision, date: today().map_err(Failure::Register)?, clerk };
        Ok(Registrar::open(location).map_err(OpError::Register).and_then(|mut r| r.cancel_by_court(&request)))
    })
    .await;
    match result {
        Ok(Ok(_)) => Redirect::to(&format!(
            "/register/{target}{}",
            query(&[("lang", lang.code()), ("cancelled", "1")])
        ))
        .into_response(),
        Ok(Err(e)) => {
            let (status, why) = match &e {
                OpError::Register(r) => (
                    match r {
                        RegisterError::AlreadyCancelled(..) => StatusCode::CONFLICT,
                        RegisterError::UnknownNumber(_) => StatusCode::NOT_FOUND,
                        _ => StatusCode::UNPROCESSABLE_ENTITY,
                    },
                    messages::localize_register(r, lang.into()),
                ),
                OpError::RegistrationOfOtherBody { .. } => {
                    (StatusCode::FORBIDDEN, say(lang, "forbidden", &[]))
                }
                other => (StatusCode::UNPROCESSABLE_ENTITY, other.to_string()),
            };
            page.message(&state, status, &format!("{}: {why}", say(lang, "register_refused", &[])))
        }
        Err(f) => page.failure(&state, f),
    }
}

// ---------------------------------------------------------------------------------------
// Registering an act

#[derive(Debug, Deserialize, Default)]
struct NewQuery {
    lang: Option<String>,
    relation: Option<String>,
    target: Option<String>,
}

/// A later act's relation to the registration it names.
fn relation(code: &str) -> Option<(Relation, &'static str)> {
    match code {
        "amends" => Some((Relation::Amends, "action_amend")),
        "suspends" => Some((Relation::Suspends, "action_suspend")),
        "invalidates" => Some((Relation::Invalidates, "action_invalidate")),
        _ => None,
    }
}

/// The reference of the act form's `relation` and `target`, if both are given and valid.
fn reference(relation_code: &str, target: &str) -> Option<(Reference, &'static str)> {
    let (relation, key) = relation(relation_code)?;
    let target = target.parse::<RegNumber>().ok()?;
    Some((Reference { relation, target }, key))
}

/// The session of a clerk who registers, or the answer that refuses.
fn writer(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
    here: &str,
) -> Result<(Session, Body), Box<Response>> {
    let Some(session) = state.sessions.of(headers) else {
        return Err(to_signin(lang, here));
    };
    match session.holder.body {
        Some(body) => Ok((session, body)),
        None => {
            let page = Page { lang, session: Some(&session), here: here.to_owned() };
            Err(Box::new(page.message(state, StatusCode::FORBIDDEN, &say(lang, "new_readonly", &[]))))
        }
    }
}

/// The act form filled with `data`, problems at their fields.
#[allow(clippy::too_many_arguments)]
fn act_form(
    state: &AppState,
    page: &Page,
    status: StatusCode,
    data: &Json,
    diagnostics: &[Diagnostic],
    general: Vec<String>,
    relation_code: &str,
    target: &str,
) -> Response {
    let lang = page.lang;
    let form = match state.engine.form(documents::ACT_FORM) {
        Ok(f) => f,
        Err(d) => return page.message(state, StatusCode::INTERNAL_SERVER_ERROR, &d.message),
    };
    let labels = |key: &str| say(lang, key, &[]);
    let mut widgets = fields::widgets(&form.spec.fields, data, lang, &labels);
    let mut errors = general;
    errors.extend(fields::place(&mut widgets, diagnostics, &|d: &Diagnostic| message(d, lang)));
    let mut context = Map::new();
    context.insert("fields".into(), json!(widgets));
    context.insert("errors".into(), json!(errors));
    context.insert("invalid".into(), json!(!diagnostics.is_empty() || !errors.is_empty()));
    context.insert("title".into(), json!(say(lang, "new_title", &[])));
    if let Some((r, key)) = reference(relation_code, target) {
        let action = say(lang, key, &[]);
        context.insert(
            "related".into(),
            json!(say(lang, "new_related", &[("number", &r.target.to_string()), ("action", &action)])),
        );
        context.insert("relation".into(), json!(relation_code));
        context.insert("target".into(), json!(r.target.to_string()));
    }
    page.render(state, "act.html", status, context)
}

async fn new_act(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(q): Query<NewQuery>,
) -> Response {
    let lang = page_lang(q.lang.as_deref());
    let (relation_code, target) = (q.relation.unwrap_or_default(), q.target.unwrap_or_default());
    let here = format!("/register/new{}", query(&[("relation", &relation_code), ("target", &target)]));
    let (session, body) = match writer(&state, &headers, lang, &here) {
        Ok(w) => w,
        Err(refusal) => return *refusal,
    };
    let page = Page { lang, session: Some(&session), here };
    // The clerk's body to start with.
    let data = match body.region_index() {
        Some(index) => json!({"region_index": index}),
        None => json!({}),
    };
    act_form(&state, &page, StatusCode::OK, &data, &[], Vec::new(), &relation_code, &target)
}

/// What became of a posted act.
enum Outcome {
    Registered(RegNumber),
    Invalid(Vec<Diagnostic>),
    OtherBody,
    Refused(RegisterError),
    Other(String),
}

async fn register_act(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Form(posted): Form<Vec<(String, String)>>,
) -> Response {
    let posted = Posted::new(posted);
    let field = |name: &str| posted.field(name);
    let lang = posted.lang();
    let (relation_code, target) = (field("relation"), field("target"));
    let here = format!("/register/new{}", query(&[("relation", &relation_code), ("target", &target)]));
    let (session, body) = match writer(&state, &headers, lang, &here) {
        Ok(w) => w,
        Err(refusal) => return *refusal,
    };
    let page = Page { lang, session: Some(&session), here };
    if !same_secret(&field("csrf"), &session.csrf) {
        return page.message(&state, StatusCode::FORBIDDEN, &say(lang, "csrf_failed", &[]));
    }
    let Ok(form) = state.engine.form(documents::ACT_FORM) else {
        return page.message(&state, StatusCode::INTERNAL_SERVER_ERROR, "the act form is missing");
    };
    let data = fields::collect(&form.spec.fields, &posted.0);
    let reference: Option<Reference> = reference(&relation_code, &target).map(|(r, _)| r);
    let text = data.to_string();
    let clerk = session.holder.name.clone();
    let shared = Arc::clone(&state);
    let result = on_pool(&state, move || {
        let state = shared;
        let location = state.config.register.as_ref().ok_or_else(|| Failure::Internal("no register".into()))?;
        let mut registrar = match Registrar::open(location) {
            Ok(r) => r,
            Err(e) => return Ok(Outcome::Refused(e)),
        };
        let how = Registration::new(
            today().map_err(Failure::Register)?,
            Clerk { name: Some(clerk.clone()), body: Some(body) },
        );
        let act = ActFile { name: "act.json", text: &text };
        let added = match &reference {
            Some(r) => registrar.relate(&state.engine, r.relation, &[r.target], act, &how),
            None => registrar.add(&state.engine, act, &how),
        };
        match added {
            Ok(added) => {
                let number = added.entry.reg_number();
                tracing::info!(clerk = %clerk, number = ?number.map(|n| n.to_string()), "registered from the web page");
                Ok(number.map_or(Outcome::Refused(RegisterError::Damaged("no number".into())), Outcome::Registered))
            }
            Err(OpError::Invalid { diagnostics, .. }) => Ok(Outcome::Invalid(diagnostics)),
            Err(OpError::ActOfOtherBody { .. }) => Ok(Outcome::OtherBody),
            Err(OpError::Register(e)) => Ok(Outcome::Refused(e)),
            Err(other) => Ok(Outcome::Other(other.to_string())),
        }
    })
    .await;
    match result {
        Ok(Outcome::Registered(n)) => {
            Redirect::to(&format!("/register/{n}{}", query(&[("lang", lang.code()), ("created", "1")])))
                .into_response()
        }
        Ok(Outcome::Invalid(diagnostics)) => act_form(
            &state,
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            &data,
            &diagnostics,
            Vec::new(),
            &relation_code,
            &target,
        ),
        Ok(Outcome::OtherBody) => {
            let mine = body_label(lang, body);
            let refusal = say(lang, "other_body", &[("body", &mine)]);
            let d = Diagnostic::error(crate::diag::FieldPath::root().key("region_index"), None, refusal);
            act_form(&state, &page, StatusCode::FORBIDDEN, &data, &[d], Vec::new(), &relation_code, &target)
        }
        Ok(Outcome::Refused(e)) => {
            let status = match e {
                RegisterError::Duplicate { .. } | RegisterError::AlreadyCancelled(..) => StatusCode::CONFLICT,
                RegisterError::UnknownNumber(_) => StatusCode::NOT_FOUND,
                ref e if e.is_invalid_input() => StatusCode::UNPROCESSABLE_ENTITY,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            let why = messages::localize_register(&e, lang.into());
            let general = vec![format!("{}: {why}", say(lang, "register_refused", &[]))];
            act_form(&state, &page, status, &data, &[], general, &relation_code, &target)
        }
        Ok(Outcome::Other(why)) => {
            let general = vec![format!("{}: {why}", say(lang, "register_refused", &[]))];
            act_form(
                &state,
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
                &data,
                &[],
                general,
                &relation_code,
                &target,
            )
        }
        Err(f) => page.failure(&state, f),
    }
}

// ---------------------------------------------------------------------------------------
// Signing in and out

#[derive(Debug, Deserialize, Default)]
struct SigninQuery {
    lang: Option<String>,
    next: Option<String>,
    out: Option<String>,
}

/// Where to go after sign-in: a path of this page only (never another site).
fn next_path(next: &str) -> String {
    let safe =
        next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') && !next.contains("://");
    if safe { next.to_owned() } else { "/register".to_owned() }
}

fn with_lang(path: &str, lang: Lang) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}lang={}", lang.code())
}

fn signin_form(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
    next: &str,
    status: StatusCode,
    error: Option<String>,
    note: Option<String>,
) -> Response {
    let csrf = session::random_id();
    let page = Page { lang, session: None, here: format!("/signin{}", query(&[("next", next)])) };
    let mut context = Map::new();
    context.insert("title".into(), json!(say(lang, "signin_title", &[])));
    context.insert("csrf".into(), json!(csrf));
    context.insert("next".into(), json!(next));
    context.insert("error".into(), json!(error));
    context.insert("note".into(), json!(note));
    context.insert("no_tokens".into(), json!(state.config.tokens.is_none()));
    context.insert("plain_http".into(), json!(!session::loopback(headers) && !session::https(headers)));
    let mut response = page.render(state, "signin.html", status, context);
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(headers, SIGNIN_COOKIE, &csrf, session::LIFETIME));
    response
}

async fn signin_page(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(q): Query<SigninQuery>,
) -> Response {
    let lang = page_lang(q.lang.as_deref());
    let next = next_path(q.next.as_deref().unwrap_or("/register"));
    let note = q.out.is_some().then(|| say(lang, "signed_out", &[]));
    let note = note.or_else(|| (q.next.is_some()).then(|| say(lang, "signin_needed", &[])));
    signin_form(&state, &headers, lang, &next, StatusCode::OK, None, note)
}

async fn signin(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Form(posted): Form<Vec<(String, String)>>,
) -> Response {
    let posted = Posted::new(posted);
    let field = |name: &str| posted.field(name);
    let lang = posted.lang();
    let next = next_path(&field("next"));
    let expected = session::cookie_value(&headers, SIGNIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !same_secret(&field("csrf"), &expected) {
        let page = Page { lang, session: None, here: "/signin".into() };
        return page.message(&state, StatusCode::FORBIDDEN, &say(lang, "csrf_failed", &[]));
    }
    let token = field("token");
    let holder = state.token_digests.as_ref().and_then(|tokens| {
        let digest = super::digest(token.trim());
        tokens.iter().find(|(d, _)| *d == digest).map(|(_, t)| t.clone())
    });
    let Some(holder) = holder else {
        return signin_form(
            &state,
            &headers,
            lang,
            &next,
            StatusCode::UNAUTHORIZED,
            Some(say(lang, "signin_bad", &[])),
            None,
        );
    };
    tracing::info!(clerk = %holder.name, "signed in on the web page");
    let id = state.sessions.start(holder);
    let mut response = Redirect::to(&with_lang(&next, lang)).into_response();
    let h = response.headers_mut();
    h.append(header::SET_COOKIE, set_cookie(&headers, session::SESSION_COOKIE, &id, session::LIFETIME));
    h.append(header::SET_COOKIE, set_cookie(&headers, SIGNIN_COOKIE, "", std::time::Duration::ZERO));
    response
}

async fn signout(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Form(posted): Form<Vec<(String, String)>>,
) -> Response {
    let posted = Posted::new(posted);
    let lang = posted.lang();
    let Some(session) = state.sessions.of(&headers) else {
        return Redirect::to(&format!("/signin?lang={}&out=1", lang.code())).into_response();
    };
    if !same_secret(&posted.field("csrf"), &session.csrf) {
        let page = Page { lang, session: Some(&session), here: "/register".into() };
        return page.message(&state, StatusCode::FORBIDDEN, &say(lang, "csrf_failed", &[]));
    }
    state.sessions.end(&headers);
    let mut response = Redirect::to(&format!("/signin?lang={}&out=1", lang.code())).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&headers, session::SESSION_COOKIE, "", std::time::Duration::ZERO),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_and_their_wording_load() {
        let pages = pages().expect("templates/web loads");
        for (key, texts) in &pages.words {
            assert!(!texts.kk.is_empty() && !texts.ru.is_empty(), "{key}: kk and ru");
        }
    }

    #[test]
    fn every_field_of_the_act_form_has_a_label_in_both_languages() {
        let engine = crate::Engine::new(None).unwrap();
        let pages = pages().unwrap();
        fn walk(
            fields: &IndexMap<String, crate::form::spec::FieldSpec>,
            prefix: &str,
            out: &mut Vec<String>,
        ) {
            for (name, spec) in fields {
                let key = format!("{prefix}.{name}");
                out.push(key.clone());
                if let crate::form::spec::FieldType::Record { fields } = &spec.ty {
                    walk(fields, &key, out);
                }
            }
        }
        let mut keys = Vec::new();
        walk(&engine.form("act").unwrap().spec.fields, "field", &mut keys);
        let missing: Vec<&String> = keys.iter().filter(|k| !pages.words.contains_key(*k)).collect();
        assert!(missing.is_empty(), "no label: {missing:?}");
    }

    #[test]
    fn sign_in_goes_on_to_a_path_of_this_site_only() {
        assert_eq!(next_path("/register/new?relation=amends"), "/register/new?relation=amends");
        for bad in ["//evil.example/", "https://evil.example/", "/\\evil", "register"] {
            assert_eq!(next_path(bad), "/register", "{bad}");
        }
    }
}
