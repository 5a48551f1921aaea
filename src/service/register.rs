//! The register's routes (`serve --register`): the same library calls as the CLI's
//! `register` commands ([`crate::register`]), one store opened per request on the pool (a
//! PostgreSQL store is not `Sync`).
//!
//! Reads need a token (any), or none with `--public-read`; writes need the token of a clerk of
//! the body the act is registered by (`403` for another body's act, `401` without a token).

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value as JsonValue, json};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::routes::{Failure, Problem, Shared, Validation, body_name, body_text, on_pool};
use super::{AppState, Holder};
use crate::domain::Lang;
use crate::domain::date::parse_date;
use crate::register::model::Range;
use crate::register::store::today;
use crate::register::{AppendOptions, Body, Entry, Reference, RegNumber, Register, Relation, documents};
use crate::{RenderOptions, parse_langs};

pub(super) fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new()
        .routes(routes!(list, add))
        .routes(routes!(one))
        .routes(routes!(amend))
        .routes(routes!(suspend))
        .routes(routes!(invalidate))
        .routes(routes!(conclusion))
        .routes(routes!(stamp_pdf))
        .routes(routes!(stamp_svg))
        .routes(routes!(stamp_png))
        .routes(routes!(verify))
}

/// The query of `GET /v1/register/entries`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntriesQuery {
    /// Entries dated on or after this day (YYYY-MM-DD).
    from: Option<String>,
    /// Entries dated on or before this day (YYYY-MM-DD).
    to: Option<String>,
    /// `ministry` or a regional index `01`–`20`.
    body: Option<String>,
    /// Words that the act's number, form or title contains (any case).
    q: Option<String>,
}

fn bad_query(e: QueryRejection) -> Failure {
    Failure::BadRequest(e.body_text().to_lowercase())
}

fn date(text: Option<&str>, name: &str) -> Result<Option<chrono::NaiveDate>, Failure> {
    text.map(|t| parse_date(t).map_err(|e| Failure::BadRequest(format!("{name}: {e}")))).transpose()
}

/// The register of the service's location, read whole with its chain checked.
fn open(state: &AppState) -> Result<(Box<dyn crate::register::Store>, Register), Failure> {
    let location = state.config.register.as_ref().ok_or_else(|| Failure::Internal("no register".into()))?;
    let store = location.open().map_err(Failure::Register)?;
    let register = Register::open(&*store).map_err(Failure::Register)?;
    Ok((store, register))
}

/// Whether the act's strings (number, form, title, bodies) contain `q`, in any case.
fn mentions(value: &JsonValue, q: &str) -> bool {
    match value {
        JsonValue::String(s) => s.to_lowercase().contains(q),
        JsonValue::Array(items) => items.iter().any(|v| mentions(v, q)),
        JsonValue::Object(map) => map.values().any(|v| mentions(v, q)),
        _ => false,
    }
}

/// The entries of the register, oldest first, as `register list --json` prints them.
#[utoipa::path(
    get,
    path = "/v1/register/entries",
    params(EntriesQuery),
    responses(
        (status = 200, description = "the entries, as `register list --json`", body = Vec<Object>),
        (status = 400, description = "a bad query", body = Problem),
        (status = 401, description = "no or a wrong bearer token", body = Problem),
        (status = 500, description = "the register cannot be read or its chain is broken", body = Problem),
    )
)]
async fn list(
    State(state): Shared,
    query: Result<Query<EntriesQuery>, QueryRejection>,
) -> Result<Json<Vec<JsonValue>>, Failure> {
    let Query(query) = query.map_err(bad_query)?;
    let body = match query.body.as_deref() {
        None => None,
        Some(name) => Some(Body::from_name(name).ok_or_else(|| {
            Failure::BadRequest(format!("body: \"{name}\" is not `ministry` nor a regional index 01–20"))
        })?),
    };
    let range =
        Range { from: date(query.from.as_deref(), "from")?, to: date(query.to.as_deref(), "to")?, body };
    let q = query.q.map(|q| q.trim().to_lowercase()).filter(|q| !q.is_empty());
    let state = Arc::clone(&state);
    on_pool(&state.clone(), move || {
        let (_, register) = open(&state)?;
        Ok(Json(
            register
                .entries()
                .iter()
                .filter(|e| range.contains(e))
                .filter(|e| q.as_deref().is_none_or(|q| e.data.act.as_ref().is_some_and(|a| mentions(a, q))))
                .map(Entry::json)
                .collect(),
        ))
    })
    .await
}

fn number(text: &str) -> Result<RegNumber, Failure> {
    text.parse::<RegNumber>().map_err(Failure::BadRequest)
}

/// The registration of `number` in a register whose chain is intact.
fn registration(state: &AppState, number: RegNumber) -> Result<Entry, Failure> {
    let (_, register) = open(state)?;
    register
        .entries()
        .iter()
        .find(|e| e.reg_number() == Some(number))
        .cloned()
        .ok_or(Failure::Register(crate::register::RegisterError::UnknownNumber(number)))
}

/// The entry as the service answers it: the fields of `register list --json`, the register's
/// head after it, and the links to its documents.
fn answer(entry: &Entry) -> JsonValue {
    let mut value = entry.json();
    if let Some(n) = entry.reg_number() {
        let base = format!("/v1/register/entries/{n}");
        value["links"] = json!({
            "self": base,
            "conclusion": format!("{base}/conclusion.pdf"),
        });
    }
    value["head"] = json!(entry.hash);
    value
}

/// One registration by its number (`23516`, or `6013-09` for region 09).
#[utoipa::path(
    get,
    path = "/v1/register/entries/{number}",
    params(("number" = String, Path, description = "the registration number: 23516, or 6013-09 for region 09")),
    responses(
        (status = 200, description = "the entry", body = Object),
        (status = 400, description = "not a registration number", body = Problem),
        (status = 401, description = "no or a wrong bearer token", body = Problem),
        (status = 404, description = "not in the register", body = Problem),
    )
)]
async fn one(State(state): Shared, Path(text): Path<String>) -> Result<Json<JsonValue>, Failure> {
    let number = number(&text)?;
    let shared = Arc::clone(&state);
    on_pool(&state, move || Ok(Json(answer(&registration(&shared, number)?)))).await
}

/// Registers the act of `text` today, for the token's clerk, with `references`.
async fn register_act(
    state: Arc<AppState>,
    holder: Option<Holder>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
    references: Vec<Reference>,
) -> Result<Response, Failure> {
    let Some(Holder(token)) = holder else {
        return Err(Failure::Unauthorized(
            "writing to the register needs a clerk's bearer token (Authorization: Bearer TOKEN)".into(),
        ));
    };
    let Some(clerk_body) = token.body else {
        return Err(Failure::Forbidden(
            "this token only reads: a clerk's token names the body it registers for (TOKEN BODY NAME)".into(),
        ));
    };
    let file = body_name(&headers)?;
    let text = body_text(body)?;
    let shared = Arc::clone(&state);
    on_pool(&state, move || {
        let state = shared;
        let today = today().map_err(Failure::Register)?;
        let loaded = documents::load_act(&state.engine, file, &text, today)
            .map_err(|diagnostics| Failure::Invalid(documents::ACT_FORM.into(), diagnostics))?;
        let mut entry = loaded.entry;
        if entry.body != clerk_body {
            return Err(Failure::Forbidden(format!(
                "{} registers acts of {clerk_body} only, and this act is of {} (its region_index)",
                token.name, entry.body
            )));
        }
        entry.references = references;
        let (mut store, mut register) = open(&state)?;
        let options = AppendOptions { today, allow_duplicate: false };
        let stored = register.append(&mut *store, entry, &options).map_err(Failure::Register)?;
        tracing::info!(clerk = %token.name, number = ?stored.reg_number().map(|n| n.to_string()), "registered");
        Ok((StatusCode::CREATED, Json(answer(&stored))).into_response())
    })
    .await
}

/// Register an act (the act file's content as JSON or YAML): its number, date, head hash and
/// links.
#[utoipa::path(
    post,
    path = "/v1/register/entries",
    request_body(description = "the act (form `act`)", content((Object = "application/json"), (Object = "application/yaml"))),
    responses(
        (status = 201, description = "the entry, with the register's head and links", body = Object),
        (status = 401, description = "no or a wrong bearer token", body = Problem),
        (status = 403, description = "a read-only token, or an act of another body than the clerk's", body = Problem),
        (status = 409, description = "the same act is registered already", body = Problem),
        (status = 422, description = "the act is invalid", body = Validation),
    )
)]
async fn add(
    State(state): Shared,
    holder: Option<axum::Extension<Holder>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Failure> {
    register_act(Arc::clone(&state), holder.map(|h| h.0), headers, body, Vec::new()).await
}

async fn relate(
    state: Arc<AppState>,
    holder: Option<axum::Extension<Holder>>,
    text: &str,
    relation: Relation,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Failure> {
    let target = number(text)?;
    register_act(state, holder.map(|h| h.0), headers, body, vec![Reference { relation, target }]).await
}

/// Register an act (the body) that amends or supplements the registration `number`.
#[utoipa::path(
    post,
    path = "/v1/register/entries/{number}/amend",
    params(("number" = String, Path, description = "the registration amended")),
    request_body(description = "the amending act", content((Object = "application/json"), (Object = "application/yaml"))),
    responses(
        (status = 201, description = "the new entry", body = Object),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, description = "an invalid act, or a number not in the register", body = Object),
    )
)]
async fn amend(
    State(state): Shared,
    holder: Option<axum::Extension<Holder>>,
    Path(text): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Failure> {
    relate(Arc::clone(&state), holder, &text, Relation::Amends, headers, body).await
}

/// Register an act (the body) that suspends the registration `number`.
#[utoipa::path(
    post,
    path = "/v1/register/entries/{number}/suspend",
    params(("number" = String, Path, description = "the registration suspended")),
    request_body(description = "the suspending act", content((Object = "application/json"), (Object = "application/yaml"))),
    responses(
        (status = 201, description = "the new entry", body = Object),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, description = "an invalid act, or a number not in the register", body = Object),
    )
)]
async fn suspend(
    State(state): Shared,
    holder: Option<axum::Extension<Holder>>,
    Path(text): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Failure> {
    relate(Arc::clone(&state), holder, &text, Relation::Suspends, headers, body).await
}

/// Register an act (the body) that declares the registration `number` invalid.
#[utoipa::path(
    post,
    path = "/v1/register/entries/{number}/invalidate",
    params(("number" = String, Path, description = "the registration declared invalid")),
    request_body(description = "the act", content((Object = "application/json"), (Object = "application/yaml"))),
    responses(
        (status = 201, description = "the new entry", body = Object),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, description = "an invalid act, or a number not in the register", body = Object),
    )
)]
async fn invalidate(
    State(state): Shared,
    holder: Option<axum::Extension<Holder>>,
    Path(text): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Failure> {
    relate(Arc::clone(&state), holder, &text, Relation::Invalidates, headers, body).await
}

/// The query of the conclusion.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConclusionQuery {
    /// Languages, such as `kk,ru` (the default).
    lang: Option<String>,
}

/// The conclusion of the registration `number` (order 246, appendix 1) as PDF/A.
#[utoipa::path(
    get,
    path = "/v1/register/entries/{number}/conclusion.pdf",
    params(("number" = String, Path, description = "the registration"), ConclusionQuery),
    responses(
        (status = 200, description = "the conclusion", content_type = "application/pdf"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem),
    )
)]
async fn conclusion(
    State(state): Shared,
    Path(text): Path<String>,
    query: Result<Query<ConclusionQuery>, QueryRejection>,
) -> Result<Response, Failure> {
    let Query(query) = query.map_err(bad_query)?;
    let langs = match query.lang.as_deref() {
        Some(text) => parse_langs(text).map_err(Failure::BadRequest)?,
        None => vec![Lang::Kk, Lang::Ru],
    };
    let number = number(&text)?;
    let shared = Arc::clone(&state);
    on_pool(&state, move || {
        let state = shared;
        let entry = registration(&state, number)?;
        let case = documents::conclusion_case(&state.engine, &entry)
            .map_err(|d| Failure::Invalid("conclusion".into(), d))?;
        let form = state.engine.form("conclusion").map_err(Failure::NotFound)?;
        let bytes = state
            .engine
            .render_pdf(form, Some(&case), &langs, &RenderOptions::default())
            .map_err(|d| Failure::Invalid("conclusion".into(), d))?;
        Ok(([(header::CONTENT_TYPE, "application/pdf")], bytes).into_response())
    })
    .await
}

/// Checks the register's whole chain: entries, each body's numbers, the head hash.
#[utoipa::path(
    get,
    path = "/v1/register/verify",
    responses(
        (status = 200, description = "the chain is intact: entries, sequences, head", body = Object),
        (status = 401, body = Problem),
        (status = 409, description = "the chain is broken: where and why", body = Problem),
    )
)]
async fn verify(State(state): Shared) -> Result<Response, Failure> {
    let shared = Arc::clone(&state);
    on_pool(&state, move || {
        let location = shared.config.register.as_ref().ok_or_else(|| Failure::Internal("no register".into()))?;
        let store = location.open().map_err(Failure::Register)?;
        match crate::register::verify(&*store).map_err(Failure::Register)? {
            Ok(report) => {
                let sequences: Vec<JsonValue> = report
                    .sequences
                    .iter()
                    .map(|(body, first, last)| {
                        json!({
                            "region_index": body.region_index(),
                            "first": RegNumber { body: *body, number: *first }.to_string(),
                            "last": RegNumber { body: *body, number: *last }.to_string(),
                        })
                    })
                    .collect();
                Ok(Json(json!({"intact": true, "entries": report.entries, "sequences": sequences, "head": report.head}))
                    .into_response())
            }
            Err(problem) => Ok(super::routes::problem(
                StatusCode::CONFLICT,
                format!("the chain of entries is broken at {problem}"),
                Vec::new(),
            )),
        }
    })
    .await
}

/// The query of the stamp.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StampQuery {
    /// The language: kk (the default), ru or en.
    lang: Option<String>,
    /// A PNG's dots per inch (default 300).
    dpi: Option<u32>,
}

/// The registration stamp (order 246, appendix 3) of `number` in `format`.
async fn stamp_of(
    state: Arc<AppState>,
    text: String,
    query: Result<Query<StampQuery>, QueryRejection>,
    format: crate::stamp::StampFormat,
    content_type: &'static str,
) -> Result<Response, Failure> {
    let Query(query) = query.map_err(bad_query)?;
    let lang = match query.lang.as_deref() {
        None => Lang::Kk,
        Some(code) => Lang::from_code(code).ok_or_else(|| {
            Failure::BadRequest(format!("lang: unknown value \"{code}\" (expected one of: kk, ru, en)"))
        })?,
    };
    let options =
        crate::stamp::StampOptions { format, dpi: query.dpi.unwrap_or(300), white_background: false };
    if options.dpi == 0 || options.dpi > crate::raster::MAX_DPI {
        return Err(Failure::BadRequest(format!(
            "dpi must be from 1 to {} (got {})",
            crate::raster::MAX_DPI,
            options.dpi
        )));
    }
    let number = number(&text)?;
    let shared = Arc::clone(&state);
    on_pool(&state, move || {
        let state = shared;
        let entry = registration(&state, number)?;
        let case = documents::stamp_case(&state.engine, &entry, lang)
            .map_err(|d| Failure::Invalid(crate::stamp::FORM.into(), d))?;
        let form = state.engine.form(crate::stamp::FORM).map_err(Failure::NotFound)?;
        match crate::stamp::draw(&state.engine, form, Some(&case), lang, &options) {
            Ok(bytes) => Ok(([(header::CONTENT_TYPE, content_type)], bytes).into_response()),
            Err(crate::stamp::StampError::Layout(d)) => Err(Failure::Invalid(crate::stamp::FORM.into(), d)),
            Err(e) => Err(Failure::Internal(e.to_string())),
        }
    })
    .await
}

/// The registration stamp of `number` as PDF/A.
#[utoipa::path(
    get,
    path = "/v1/register/entries/{number}/stamp.pdf",
    params(("number" = String, Path, description = "the registration"), StampQuery),
    responses((status = 200, content_type = "application/pdf"), (status = 400, body = Problem), (status = 404, body = Problem))
)]
async fn stamp_pdf(
    State(state): Shared,
    Path(text): Path<String>,
    query: Result<Query<StampQuery>, QueryRejection>,
) -> Result<Response, Failure> {
    stamp_of(Arc::clone(&state), text, query, crate::stamp::StampFormat::Pdf, "application/pdf").await
}

/// The registration stamp of `number` as SVG.
#[utoipa::path(
    get,
    path = "/v1/register/entries/{number}/stamp.svg",
    params(("number" = String, Path, description = "the registration"), StampQuery),
    responses((status = 200, content_type = "image/svg+xml"), (status = 400, body = Problem), (status = 404, body = Problem))
)]
async fn stamp_svg(
    State(state): Shared,
    Path(text): Path<String>,
    query: Result<Query<StampQuery>, QueryRejection>,
) -> Result<Response, Failure> {
    stamp_of(Arc::clone(&state), text, query, crate::stamp::StampFormat::Svg, "image/svg+xml").await
}

/// The registration stamp of `number` as PNG.
#[utoipa::path(
    get,
    path = "/v1/register/entries/{number}/stamp.png",
    params(("number" = String, Path, description = "the registration"), StampQuery),
    responses((status = 200, content_type = "image/png"), (status = 400, body = Problem), (status = 404, body = Problem))
)]
async fn stamp_png(
    State(state): Shared,
    Path(text): Path<String>,
    query: Result<Query<StampQuery>, QueryRejection>,
) -> Result<Response, Failure> {
    stamp_of(Arc::clone(&state), text, query, crate::stamp::StampFormat::Png, "image/png").await
}
