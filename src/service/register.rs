//! The register's routes (`serve --register`): the same library calls as the CLI's
//! `register` commands ([`crate::register::ops`]), one store opened per request on the pool (a
//! PostgreSQL store is not `Sync`).
//!
//! Reads need a token (any), or none with `--public-read`; writes need the token of a clerk of
//! the body the act is registered by (`403` for another body's act, `401` without a token), and
//! each entry written stores the clerk's name from the token.

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
use crate::diag::{Diagnostic, FieldPath};
use crate::domain::Lang;
use crate::domain::date::parse_date;
use crate::parse_langs;
use crate::register::model::Range;
use crate::register::ops::{self, ActFile, Clerk, CourtCancellation, Export, Filter, Registration};
use crate::register::store::today;
use crate::register::{Body, CourtDecision, Entry, Month, OpError, RegNumber, Registrar, Relation};

pub(super) fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new()
        .routes(routes!(list, add))
        .routes(routes!(one))
        .routes(routes!(amend))
        .routes(routes!(suspend))
        .routes(routes!(invalidate))
        .routes(routes!(cancel_by_court))
        .routes(routes!(journal))
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
fn open(state: &AppState) -> Result<Registrar, Failure> {
    let location = state.config.register.as_ref().ok_or_else(|| Failure::Internal("no register".into()))?;
    Registrar::open(location).map_err(Failure::Register)
}

/// An operation's refusal as an answer: the register's (404, 409, 422, 500), an invalid act or
/// request field (422, with the field's path), a clerk of another body (403), nothing to print
/// (404).
fn refused(e: OpError) -> Failure {
    match e {
        OpError::Register(e) => Failure::Register(e),
        OpError::Invalid { form, diagnostics } => Failure::Invalid(form, diagnostics),
        OpError::Field { field, message } => Failure::Invalid(
            "court_decision".into(),
            vec![Diagnostic::error(FieldPath::root().key(field.name()), None, message)],
        ),
        e @ (OpError::ActOfOtherBody { .. } | OpError::RegistrationOfOtherBody { .. }) => {
            Failure::Forbidden(e.to_string())
        }
        OpError::NoRegistrations => {
            Failure::NotFound(Diagnostic::plain(format!("the register: {}", OpError::NoRegistrations)))
        }
        OpError::Form(d) => Failure::Internal(d.message),
        e @ OpError::Stamp(_) => Failure::Internal(e.to_string()),
    }
}

/// The body of a `body` parameter: `ministry` or a regional index.
fn body_param(name: Option<&str>) -> Result<Option<Body>, Failure> {
    name.map(|name| {
        Body::from_name(name).ok_or_else(|| {
            Failure::BadRequest(format!("body: \"{name}\" is not `ministry` nor a regional index 01–20"))
        })
    })
    .transpose()
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
    let body = body_param(query.body.as_deref())?;
    let range =
        Range { from: date(query.from.as_deref(), "from")?, to: date(query.to.as_deref(), "to")?, body };
    let filter = Filter { range, text: query.q };
    let state = Arc::clone(&state);
    on_pool(&state.clone(), move || {
        let registrar = open(&state)?;
        Ok(Json(registrar.entries().iter().filter(|e| filter.matches(e)).map(Entry::json).collect()))
    })
    .await
}

fn number(text: &str) -> Result<RegNumber, Failure> {
    text.parse::<RegNumber>().map_err(Failure::BadRequest)
}

/// The registration of `number` in a register whose chain is intact.
fn registration(state: &AppState, number: RegNumber) -> Result<Entry, Failure> {
    open(state)?.registration(number).cloned().map_err(Failure::Register)
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

/// The clerk of a write: the token's holder, who makes entries for the token's body (`401`
/// without a token, `403` for a token that only reads).
fn clerk(holder: Option<Holder>) -> Result<Clerk, Failure> {
    let Some(Holder(token)) = holder else {
        return Err(Failure::Unauthorized(
            "writing to the register needs a clerk's bearer token (Authorization: Bearer TOKEN)".into(),
        ));
    };
    let Some(body) = token.body else {
        return Err(Failure::Forbidden(
            "this token only reads: a clerk's token names the body it registers for (TOKEN BODY NAME)".into(),
        ));
    };
    Ok(Clerk { name: Some(token.name), body: Some(body) })
}

/// Registers the act of the request's body today, for the token's clerk; with `relation`, an
/// act that does it to the registration `target`.
async fn register_act(
    state: Arc<AppState>,
    holder: Option<Holder>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
    relation: Option<(Relation, RegNumber)>,
) -> Result<Response, Failure> {
    let clerk = clerk(holder)?;
    let file = body_name(&headers)?;
    let text = body_text(body)?;
    let shared = Arc::clone(&state);
    on_pool(&state, move || {
        let state = shared;
        let how = Registration::new(today().map_err(Failure::Register)?, clerk);
        let mut registrar = open(&state)?;
        let act = ActFile { name: file, text: &text };
        let added = match relation {
            None => registrar.add(&state.engine, act, &how),
            Some((relation, target)) => registrar.relate(&state.engine, relation, &[target], act, &how),
        }
        .map_err(refused)?;
        let stored = added.entry;
        tracing::info!(clerk = ?stored.data.clerk, number = ?stored.reg_number().map(|n| n.to_string()), "registered");
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
    register_act(Arc::clone(&state), holder.map(|h| h.0), headers, body, None).await
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
    register_act(state, holder.map(|h| h.0), headers, body, Some((relation, target))).await
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
        let bytes = ops::conclusion(&state.engine, &entry, &langs).map_err(refused)?;
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
        match ops::verify(&*store, None) {
            Ok(ops::Verified { report, .. }) => {
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
            Err(e) => match ops::broken(&e) {
                Some(problem) => Ok(super::routes::problem(
                    StatusCode::CONFLICT,
                    format!("the chain of entries is broken at {problem}"),
                    Vec::new(),
                )),
                None => Err(Failure::Register(e)),
            },
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
        let bytes = ops::stamp(&state.engine, &entry, lang, &options).map_err(refused)?;
        Ok(([(header::CONTENT_TYPE, content_type)], bytes).into_response())
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

/// A court decision that cancels a state registration, as `POST …/{number}/cancel-by-court`
/// takes it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CourtRequest {
    /// The number of the court decision (1 to 60 characters).
    decision_number: String,
    /// The date of the decision (YYYY-MM-DD or DD.MM.YYYY).
    decision_date: String,
    /// The date the decision entered into force (after the decision, by today).
    in_force_on: String,
}

/// Enter a court decision that cancels the state registration `number` (column 8 of the
/// register), dated today, by a clerk of the registration's body.
#[utoipa::path(
    post,
    path = "/v1/register/entries/{number}/cancel-by-court",
    params(("number" = String, Path, description = "the registration cancelled: 23516, or 6013-09 for region 09")),
    request_body(content = CourtRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "the new entry (no number of its own), with the register's head", body = Object),
        (status = 400, description = "not a registration number, or a body that is not the decision as JSON", body = Problem),
        (status = 401, description = "no or a wrong bearer token", body = Problem),
        (status = 403, description = "a read-only token, or a registration of another body than the clerk's", body = Problem),
        (status = 404, description = "the registration is not in the register", body = Problem),
        (status = 409, description = "the registration was already cancelled by a court decision", body = Problem),
        (status = 422, description = "a date that is not one, or dates in the wrong order (the field's path in the diagnostics)", body = Validation),
    )
)]
async fn cancel_by_court(
    State(state): Shared,
    holder: Option<axum::Extension<Holder>>,
    Path(text): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Failure> {
    let clerk = clerk(holder.map(|h| h.0))?;
    let target = number(&text)?;
    let bytes = body.map_err(Failure::Body)?;
    let request: CourtRequest = serde_json::from_slice(&bytes)
        .map_err(|e| Failure::BadRequest(format!("the court decision is not JSON of its fields ({e})")))?;
    let dates = [("decision_date", &request.decision_date), ("in_force_on", &request.in_force_on)].map(
        |(field, text)| {
            parse_date(text).map_err(|e| {
                Diagnostic::error(FieldPath::root().key(field), None, e.to_string()).with_code("value.format")
            })
        },
    );
    let [decision_date, in_force_on] = match dates {
        [Ok(a), Ok(b)] => [a, b],
        dates => {
            let problems = dates.into_iter().filter_map(Result::err).collect();
            return Err(Failure::Invalid("court_decision".into(), problems));
        }
    };
    let shared = Arc::clone(&state);
    on_pool(&state, move || {
        let state = shared;
        let request = CourtCancellation {
            target,
            decision: CourtDecision { in_force_on, decision_date, decision_number: request.decision_number },
            date: today().map_err(Failure::Register)?,
            clerk,
        };
        ops::check_court_cancellation(&request).map_err(refused)?;
        let stored = open(&state)?.cancel_by_court(&request).map_err(refused)?;
        tracing::info!(clerk = ?stored.data.clerk, cancelled = %target, "court cancellation entered");
        Ok((StatusCode::CREATED, Json(answer(&stored))).into_response())
    })
    .await
}

/// The query of the paper journal.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JournalQuery {
    /// The month: YYYY-MM.
    month: String,
    /// Only one body's registrations: `ministry` or a regional index `01`–`20`.
    body: Option<String>,
    /// Languages, such as `kk` (the default) or `kk,ru`.
    lang: Option<String>,
}

/// The paper journal of a month (order 246, appendix 2, part B) as PDF/A: the same as
/// `anyqtama register export --month`.
#[utoipa::path(
    get,
    path = "/v1/register/journal.pdf",
    params(JournalQuery),
    responses(
        (status = 200, description = "the month's journal", content_type = "application/pdf"),
        (status = 400, description = "no month, or a bad month, body or language", body = Problem),
        (status = 401, description = "no or a wrong bearer token", body = Problem),
        (status = 404, description = "no registrations in the month", body = Problem),
    )
)]
async fn journal(
    State(state): Shared,
    query: Result<Query<JournalQuery>, QueryRejection>,
) -> Result<Response, Failure> {
    let Query(query) = query.map_err(bad_query)?;
    let month: Month = query.month.parse().map_err(|e: String| Failure::BadRequest(format!("month: {e}")))?;
    let mut request = Export::journal(month, body_param(query.body.as_deref())?);
    request.langs = query.lang.as_deref().map(parse_langs).transpose().map_err(Failure::BadRequest)?;
    let shared = Arc::clone(&state);
    on_pool(&state, move || {
        let state = shared;
        let exported = open(&state)?.export(&state.engine, &request).map_err(refused)?;
        let disposition = format!("inline; filename=\"journal-{month}.pdf\"");
        Ok((
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            exported.pdf,
        )
            .into_response())
    })
    .await
}
