//! The request handlers: parse the request, run the library on the pool, answer.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::pool::Busy;
use crate::diag::{Diagnostic, DiagnosticJson, Origin};
use crate::domain::Lang;
use crate::form::{Form, schema_json};
use crate::render::{Output, RenderError, StampFormat, StampOptions};
use crate::stamp;
use crate::template::Electronic;
use crate::validate::{Case, ValidateOptions};
use crate::{Engine, parse_langs};

pub(super) type Shared = State<Arc<AppState>>;

/// Seconds a refused caller is told to wait before trying again.
const RETRY_AFTER_SECONDS: &str = "1";

pub(super) fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new()
        .routes(routes!(render))
        .routes(routes!(validate))
        .routes(routes!(forms))
        .routes(routes!(schema))
        .routes(routes!(blank))
        .routes(routes!(stamp_route))
        .routes(routes!(openapi))
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(metrics_route))
}

/// An error answer: what went wrong, and the diagnostics when there are any.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// Lower case, no final period.
    pub error: String,
    /// The problems found in the input, when the error is about it.
    pub diagnostics: Vec<DiagnosticJson>,
}

/// The result of validating a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct Validation {
    /// Whether the case can be printed.
    pub valid: bool,
    /// The form the case was checked against.
    pub form: String,
    /// Errors and warnings, in the order found.
    pub diagnostics: Vec<DiagnosticJson>,
}

/// A form the service prints.
#[derive(Debug, Serialize, ToSchema)]
pub struct FormInfo {
    /// The identifier used in the routes.
    pub id: String,
    /// The form's name in Kazakh.
    pub title_kk: String,
    /// The form's name in Russian.
    pub title_ru: String,
    /// The legal source in one line.
    pub source: String,
    /// Languages it can be printed in.
    pub languages: Vec<String>,
    /// Languages printed when none is asked for.
    pub default_languages: Vec<String>,
}

pub(super) fn problem(
    status: StatusCode,
    message: impl Into<String>,
    diagnostics: Vec<Diagnostic>,
) -> Response {
    let body =
        Problem { error: message.into(), diagnostics: diagnostics.iter().map(Diagnostic::to_json).collect() };
    let mut response = (status, Json(body)).into_response();
    if status == StatusCode::SERVICE_UNAVAILABLE {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_SECONDS));
    }
    response
}

/// An error of a handler, as an answer.
pub(super) enum Failure {
    /// 400: the query is wrong.
    BadRequest(String),
    /// 404: no such form.
    NotFound(Diagnostic),
    /// 415: a body that is neither JSON nor YAML.
    UnsupportedType(String),
    /// 422: the case is invalid (500 when the diagnostics are the templates').
    Invalid(String, Vec<Diagnostic>),
    /// 503: the pool is full, or the deadline passed.
    Unavailable(String),
    /// 500: the library failed on valid input.
    Internal(String),
    /// The body could not be read (413 for a body over the limit).
    Body(BytesRejection),
    /// 401: a write without a token.
    Unauthorized(String),
    /// 403: a token that may not do this.
    Forbidden(String),
    /// The register refused or failed: 404 for an unknown number, 409 for a duplicate or a
    /// second court cancellation, 422 for other input, else 500.
    Register(crate::register::RegisterError),
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        match self {
            Failure::BadRequest(m) => problem(StatusCode::BAD_REQUEST, m, Vec::new()),
            Failure::NotFound(d) => problem(StatusCode::NOT_FOUND, d.message.clone(), vec![d]),
            Failure::UnsupportedType(m) => problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, m, Vec::new()),
            // A problem of the templates is the operator's, not the client's case.
            Failure::Invalid(_, diagnostics) if diagnostics.iter().any(|d| d.origin == Origin::Templates) => {
                problem(StatusCode::INTERNAL_SERVER_ERROR, "the form's templates failed", diagnostics)
            }
            Failure::Invalid(form, diagnostics) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(Validation {
                    valid: false,
                    form,
                    diagnostics: diagnostics.iter().map(Diagnostic::to_json).collect(),
                }),
            )
                .into_response(),
            Failure::Unavailable(m) => problem(StatusCode::SERVICE_UNAVAILABLE, m, Vec::new()),
            Failure::Internal(m) => problem(StatusCode::INTERNAL_SERVER_ERROR, m, Vec::new()),
            Failure::Unauthorized(m) => {
                let mut response = problem(StatusCode::UNAUTHORIZED, m, Vec::new());
                response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                response
            }
            Failure::Forbidden(m) => problem(StatusCode::FORBIDDEN, m, Vec::new()),
            Failure::Register(e) => {
                use crate::register::RegisterError as E;
                let status = match &e {
                    E::UnknownNumber(_) => StatusCode::NOT_FOUND,
                    E::Duplicate { .. } | E::AlreadyCancelled(..) => StatusCode::CONFLICT,
                    e if e.is_invalid_input()
                        && !matches!(e, E::Broken(_) | E::Damaged(_) | E::Unreadable { .. }) =>
                    {
                        StatusCode::UNPROCESSABLE_ENTITY
                    }
                    _ => StatusCode::INTERNAL_SERVER_ERROR,
                };
                problem(status, format!("the register: {e}"), Vec::new())
            }
            Failure::Body(rejection) => {
                let status = rejection.status();
                let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
                    "the request body is larger than the limit".to_owned()
                } else {
                    format!("failed to read the request body ({})", rejection.body_text().to_lowercase())
                };
                problem(status, message, Vec::new())
            }
        }
    }
}

impl From<Busy> for Failure {
    fn from(_: Busy) -> Failure {
        Failure::Unavailable("every worker is busy and the queue is full: try again later".into())
    }
}

/// The form, or 404.
fn find_form<'a>(engine: &'a Engine, id: &str) -> Result<&'a Form, Failure> {
    engine.form(id).map_err(Failure::NotFound)
}

/// Runs `work` on the pool within the request's deadline.
pub(super) async fn on_pool<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce() -> Result<T, Failure> + Send + 'static,
) -> Result<T, Failure> {
    match tokio::time::timeout(state.config.timeout, state.pool.run(work)).await {
        Ok(result) => result?,
        Err(_) => Err(Failure::Unavailable(format!(
            "the request took longer than {} ms",
            state.config.timeout.as_millis()
        ))),
    }
}

/// The name the body is read as in diagnostics, from the content type: `request.json` or
/// `request.yaml`.
pub(super) fn body_name(headers: &HeaderMap) -> Result<&'static str, Failure> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else { return Ok("request.json") };
    let essence = value.to_str().unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match essence.as_str() {
        "application/json" => Ok("request.json"),
        e if e.ends_with("+json") => Ok("request.json"),
        "application/yaml" | "application/x-yaml" | "text/yaml" | "text/x-yaml" => Ok("request.yaml"),
        other => Err(Failure::UnsupportedType(format!(
            "the case must be JSON (application/json) or YAML (application/yaml), not {other}"
        ))),
    }
}

/// The body as text.
pub(super) fn body_text(body: Result<Bytes, BytesRejection>) -> Result<String, Failure> {
    let bytes = body.map_err(Failure::Body)?;
    String::from_utf8(bytes.to_vec())
        .map_err(|_| Failure::BadRequest("the request body is not valid UTF-8".into()))
}

/// Reads and validates the case in `text` as a case of `form`: the case, or 422.
fn load_case(engine: &Engine, form: &Form, file: &str, text: &str) -> Result<Case, Failure> {
    let loaded = engine.load(file, text, Some(&form.spec.id), ValidateOptions::default());
    let invalid = loaded.diagnostics.iter().any(Diagnostic::is_error);
    match loaded.case {
        Some(case) if !invalid => Ok(case),
        _ => {
            metrics::counter!("anyqtama_documents_total", "form" => form.spec.id.clone(), "status" => "invalid")
                .increment(1);
            Err(Failure::Invalid(form.spec.id.clone(), loaded.diagnostics))
        }
    }
}

/// What a print route draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum PageFormat {
    /// The whole document as PDF/A-2b.
    #[default]
    Pdf,
    /// One page as a PNG preview.
    Png,
}

/// The query of `render` and `blank`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PrintQuery {
    /// Languages, such as `kk,ru` (default: the case's `language`, else the form's).
    lang: Option<String>,
    /// `pdf` (default) or `png`.
    format: Option<PageFormat>,
    /// With `format=png`: the page, counted from 1 (default 1).
    page: Option<usize>,
    /// With `format=png`: dots per inch (default 100).
    dpi: Option<u32>,
    /// Number the rows of the service standards 1–10 instead of the act's own numbering.
    #[serde(default)]
    corrected_numbering: bool,
    /// Print the electronic edition (as `anyqtama render --electronic`): eGov header, and on
    /// every page the equivalence statement, the QR codes of the document's data and the
    /// barcode note.
    #[serde(default)]
    electronic: bool,
    /// With `electronic=true`: the verification address put in the QR payload, `{id}`
    /// standing for the document's identifier.
    verify_url: Option<String>,
}

/// A print request checked before any work is done: the library's output.
fn print_request(query: Result<Query<PrintQuery>, QueryRejection>) -> Result<Output, Failure> {
    let Query(query) = query.map_err(|e| Failure::BadRequest(e.body_text().to_lowercase()))?;
    let langs = query.lang.as_deref().map(parse_langs).transpose().map_err(Failure::BadRequest)?;
    let mut output = match query.format.unwrap_or_default() {
        PageFormat::Pdf => Output::pdf(),
        PageFormat::Png => Output::png(Some(query.page.unwrap_or(1)), query.dpi.unwrap_or(100)),
    };
    output.langs = langs;
    if query.corrected_numbering {
        output = output.flag("corrected_numbering");
    }
    if query.electronic {
        output = output.electronic(Electronic { verify_url: query.verify_url, system_and_signer: None });
    }
    output.check().map_err(|e| Failure::BadRequest(e.to_string()))?;
    Ok(output)
}

/// An error of the library as an answer: 422 (500 for the templates') with the diagnostics,
/// 400 for what was asked of a valid case, 500 for a defect.
fn render_failure(form: &str, e: RenderError) -> Failure {
    match e {
        RenderError::Layout(diagnostics) => Failure::Invalid(form.to_owned(), diagnostics),
        e if e.is_invalid_input() => Failure::BadRequest(e.to_string()),
        e => Failure::Internal(e.to_string()),
    }
}

/// Prints `form` (blank without a case) as `output` says, counting the document.
fn print(engine: &Engine, form: &Form, case: Option<&Case>, output: &Output) -> Result<Response, Failure> {
    let started = Instant::now();
    let form_id = form.spec.id.clone();
    match engine.render_form(form, case, output) {
        Ok(rendered) => {
            metrics::histogram!("anyqtama_render_duration_seconds", "form" => form_id.clone())
                .record(started.elapsed().as_secs_f64());
            metrics::counter!("anyqtama_documents_total", "form" => form_id, "status" => "rendered")
                .increment(1);
            let media_type = rendered.media_type;
            Ok(([(header::CONTENT_TYPE, media_type)], rendered.into_bytes()).into_response())
        }
        Err(e) => {
            if matches!(e, RenderError::Layout(_)) {
                metrics::counter!("anyqtama_documents_total", "form" => form_id.clone(), "status" => "invalid")
                    .increment(1);
            }
            Err(render_failure(&form_id, e))
        }
    }
}

/// Render a case to PDF (or one page to PNG).
#[utoipa::path(
    post,
    path = "/v1/forms/{form}/render",
    params(("form" = String, Path, description = "the form, see GET /v1/forms"), PrintQuery),
    request_body(description = "the case", content((Object = "application/json"), (Object = "application/yaml"))),
    responses(
        (status = 200, description = "the document", content(("application/pdf"), ("image/png"))),
        (status = 400, description = "a bad query", body = Problem),
        (status = 401, description = "no or a wrong bearer token", body = Problem),
        (status = 404, description = "no such form", body = Problem),
        (status = 413, description = "the body is over the limit", body = Problem),
        (status = 415, description = "neither JSON nor YAML", body = Problem),
        (status = 422, description = "the case is invalid", body = Validation),
        (status = 503, description = "busy or too slow: try again after Retry-After seconds", body = Problem),
    )
)]
async fn render(
    State(state): Shared,
    Path(form): Path<String>,
    query: Result<Query<PrintQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Failure> {
    let engine = Arc::clone(&state.engine);
    find_form(&engine, &form)?;
    let request = print_request(query)?;
    let file = body_name(&headers)?;
    let text = body_text(body)?;
    on_pool(&state, move || {
        let form = find_form(&engine, &form)?;
        let case = load_case(&engine, form, file, &text)?;
        print(&engine, form, Some(&case), &request)
    })
    .await
}

/// Validate a case without printing it.
#[utoipa::path(
    post,
    path = "/v1/forms/{form}/validate",
    params(("form" = String, Path, description = "the form")),
    request_body(description = "the case", content((Object = "application/json"), (Object = "application/yaml"))),
    responses(
        (status = 200, description = "valid or not, with every problem", body = Validation),
        (status = 401, description = "no or a wrong bearer token", body = Problem),
        (status = 404, description = "no such form", body = Problem),
        (status = 413, description = "the body is over the limit", body = Problem),
        (status = 503, description = "busy: try again after Retry-After seconds", body = Problem),
    )
)]
async fn validate(
    State(state): Shared,
    Path(form): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Validation>, Failure> {
    let engine = Arc::clone(&state.engine);
    find_form(&engine, &form)?;
    let file = body_name(&headers)?;
    let text = body_text(body)?;
    on_pool(&state, move || {
        let form = find_form(&engine, &form)?;
        let loaded = engine.load(file, &text, Some(&form.spec.id), ValidateOptions::default());
        let valid = loaded.case.is_some() && !loaded.diagnostics.iter().any(Diagnostic::is_error);
        let diagnostics = loaded.diagnostics.iter().map(Diagnostic::to_json).collect();
        Ok(Json(Validation { valid, form: form.spec.id.clone(), diagnostics }))
    })
    .await
}

/// The forms, with their legal source.
#[utoipa::path(get, path = "/v1/forms", responses((status = 200, body = Vec<FormInfo>)))]
async fn forms(State(state): Shared) -> Result<Json<Vec<FormInfo>>, Failure> {
    let forms = state.engine.catalog.forms().map_err(|d| Failure::Internal(d[0].message.clone()))?;
    Ok(Json(
        forms
            .into_iter()
            .map(|f| FormInfo {
                id: f.spec.id.clone(),
                title_kk: f.spec.title.kk.clone(),
                title_ru: f.spec.title.ru.clone(),
                source: f.spec.source_line(Lang::En),
                languages: f.spec.languages.clone(),
                default_languages: f.spec.default_languages.clone(),
            })
            .collect(),
    ))
}

/// The JSON Schema of a form's case.
#[utoipa::path(
    get,
    path = "/v1/forms/{form}/schema",
    params(("form" = String, Path, description = "the form")),
    responses((status = 200, body = Object), (status = 404, body = Problem))
)]
async fn schema(State(state): Shared, Path(form): Path<String>) -> Result<Json<serde_json::Value>, Failure> {
    let form = find_form(&state.engine, &form)?;
    Ok(Json(schema_json::schema(&form.spec, &state.engine.catalog.codes)))
}

/// The empty form as PDF (or one page as PNG).
#[utoipa::path(
    get,
    path = "/v1/forms/{form}/blank",
    params(("form" = String, Path, description = "the form"), PrintQuery),
    responses(
        (status = 200, description = "the document", content(("application/pdf"), ("image/png"))),
        (status = 400, body = Problem),
        (status = 404, body = Problem),
        (status = 503, body = Problem),
    )
)]
async fn blank(
    State(state): Shared,
    Path(form): Path<String>,
    query: Result<Query<PrintQuery>, QueryRejection>,
) -> Result<Response, Failure> {
    let engine = Arc::clone(&state.engine);
    find_form(&engine, &form)?;
    let request = print_request(query)?;
    on_pool(&state, move || {
        let form = find_form(&engine, &form)?;
        print(&engine, form, None, &request)
    })
    .await
}

/// The stamp's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum StampFormatQuery {
    /// PDF/A-2b.
    #[default]
    Pdf,
    /// SVG.
    Svg,
    /// PNG.
    Png,
}

/// The query of `stamp`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StampQuery {
    /// `pdf` (default), `svg` or `png`.
    format: Option<StampFormatQuery>,
    /// The language (default: the case's `language`, else kk).
    lang: Option<String>,
    /// With `format=png`: dots per inch (default 300).
    dpi: Option<u32>,
    /// A white background for PNG or SVG (default transparent).
    #[serde(default)]
    white: bool,
}

/// The registration stamp of order 246 (appendix 3) from its case.
#[utoipa::path(
    post,
    path = "/v1/stamp",
    params(StampQuery),
    request_body(description = "the stamp's case", content((Object = "application/json"), (Object = "application/yaml"))),
    responses(
        (status = 200, description = "the stamp", content(("application/pdf"), ("image/svg+xml"), ("image/png"))),
        (status = 400, body = Problem),
        (status = 422, body = Validation),
        (status = 503, body = Problem),
    )
)]
async fn stamp_route(
    State(state): Shared,
    query: Result<Query<StampQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Failure> {
    let Query(query) = query.map_err(|e| Failure::BadRequest(e.body_text().to_lowercase()))?;
    let engine = Arc::clone(&state.engine);
    let lang = match query.lang.as_deref() {
        None => None,
        Some(code) => Some(Lang::from_code(code).ok_or_else(|| {
            Failure::BadRequest(format!("unknown language \"{code}\" (expected kk, ru or en)"))
        })?),
    };
    let format = match query.format.unwrap_or_default() {
        StampFormatQuery::Pdf => StampFormat::Pdf,
        StampFormatQuery::Svg => StampFormat::Svg,
        StampFormatQuery::Png => StampFormat::Png,
    };
    let options = StampOptions { format, dpi: query.dpi.unwrap_or(300), white_background: query.white };
    let mut output = Output::stamp(options);
    output.langs = lang.map(|lang| vec![lang]);
    output.check().map_err(|e| Failure::BadRequest(e.to_string()))?;
    let file = body_name(&headers)?;
    let text = body_text(body)?;
    on_pool(&state, move || {
        let form = find_form(&engine, stamp::FORM)?;
        let case = load_case(&engine, form, file, &text)?;
        print(&engine, form, Some(&case), &output)
    })
    .await
}

/// This document: the OpenAPI 3.1 description of every route.
#[utoipa::path(get, path = "/openapi.json", responses((status = 200, body = Object)))]
async fn openapi(State(state): Shared) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], state.openapi.clone()).into_response()
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", responses((status = 200, body = String)))]
async fn healthz() -> &'static str {
    "ok"
}

/// The service takes requests (503 while it stops).
#[utoipa::path(get, path = "/readyz", responses((status = 200, body = String), (status = 503, body = Problem)))]
async fn readyz(State(state): Shared) -> Response {
    if state.stopping.load(Ordering::SeqCst) {
        return problem(StatusCode::SERVICE_UNAVAILABLE, "the service is stopping", Vec::new());
    }
    "ready".into_response()
}

/// Prometheus metrics: requests and documents by form and status, render durations, queue
/// depth.
#[utoipa::path(get, path = "/metrics", responses((status = 200, description = "Prometheus text format", body = String)))]
async fn metrics_route(State(state): Shared) -> Response {
    metrics::gauge!("anyqtama_queue_depth").set(state.pool.queue_depth() as f64);
    state.metrics.run_upkeep();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render()).into_response()
}

/// Any other path.
pub(super) async fn not_found() -> Response {
    problem(StatusCode::NOT_FOUND, "no such route (see /openapi.json)", Vec::new())
}
