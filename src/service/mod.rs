//! The HTTP service (`anyqtama serve`): a thin shell over one shared [`Engine`].
//!
//! Routes (the OpenAPI 3.1 document at `GET /openapi.json` is generated from them):
//! `POST /v1/forms/{form}/render`, `POST /v1/forms/{form}/validate`, `GET /v1/forms`,
//! `GET /v1/forms/{form}/schema`, `GET /v1/forms/{form}/blank`, `POST /v1/stamp`,
//! `GET /healthz`, `GET /readyz`, `GET /metrics`.
//!
//! Rendering runs on a bounded [`pool::Pool`] (a full queue answers `503` with
//! `Retry-After`), request bodies are limited (`413`), each request has a deadline, and
//! [`serve`] finishes the requests in flight when asked to stop. With tokens, every `/v1/`
//! route needs `Authorization: Bearer TOKEN` (`401` otherwise).

pub mod pool;
mod register;
mod routes;
mod web;

use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tokio::net::TcpListener;
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::Engine;
use pool::Pool;

/// Settings of the service.
#[derive(Debug, Clone)]
pub struct Config {
    /// Largest request body accepted, in bytes (larger: `413`).
    pub body_limit: usize,
    /// Renders at once (default: the number of cores).
    pub workers: usize,
    /// Requests that may wait for a worker; more are refused with `503`.
    pub queue: usize,
    /// Deadline of the work of one request, from its body read to its answer (`503` with
    /// `Retry-After` when passed); a request not answered after twice this (at least a second
    /// more), its body still arriving, gets `408`.
    pub timeout: Duration,
    /// Bearer tokens accepted on `/v1/` routes; `None` lets every caller in.
    pub tokens: Option<Vec<Token>>,
    /// The register the `/v1/register/` routes keep (`None`: no such routes).
    pub register: Option<crate::register::Location>,
    /// The register's reads (`GET /v1/register/…`) open to callers without a token.
    pub public_read: bool,
}

/// A bearer token of the tokens file, and what its holder may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The secret.
    pub secret: String,
    /// The body its holder registers for; `None`: a token that only reads.
    pub body: Option<crate::register::Body>,
    /// The clerk's name (empty for a read-only token).
    pub name: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            body_limit: 1024 * 1024,
            workers: std::thread::available_parallelism().map_or(1, |n| n.get()),
            queue: 64,
            timeout: Duration::from_secs(30),
            tokens: None,
            register: None,
            public_read: false,
        }
    }
}

/// A problem with the service's settings.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The render workers could not be started (no thread to be had).
    #[error("failed to start the render workers ({0})")]
    Workers(std::io::Error),
    /// The tokens file could not be read.
    #[error("failed to read {path} ({cause})")]
    Tokens {
        /// The file.
        path: String,
        /// Why.
        cause: std::io::Error,
    },
    /// The tokens file holds no token.
    #[error("{0}: no token in the file (one token a line; # starts a comment)")]
    NoTokens(String),
    /// A line of the tokens file whose body is neither `ministry` nor a regional index.
    #[error(
        "{path}:{line}:{column}: \"{body}\" is not `ministry` nor a regional index 01–20 (a line is TOKEN [BODY NAME…])"
    )]
    TokenBody {
        /// The file.
        path: String,
        /// The line, from 1.
        line: usize,
        /// The column of the body, from 1.
        column: usize,
        /// What the line has.
        body: String,
    },
    /// A line with a body but no clerk's name.
    #[error(
        "{path}:{line}:{column}: the clerk's name is missing after the body (a line is TOKEN BODY NAME…)"
    )]
    TokenName {
        /// The file.
        path: String,
        /// The line, from 1.
        line: usize,
        /// The column after the body, from 1.
        column: usize,
    },
    /// The metrics recorder could not be installed.
    #[error("failed to set up the metrics ({0})")]
    Metrics(String),
}

/// Reads the tokens file: one token a line, `TOKEN BODY NAME…` where BODY is `ministry` or a
/// regional index `01`–`20` (the body its holder registers for) and NAME the clerk's name; a
/// line with only a token is a token that reads and never writes. Blank lines and lines
/// starting with `#` are skipped.
pub fn read_tokens(path: &Path) -> Result<Vec<Token>, ConfigError> {
    let name = path.display().to_string();
    let text =
        std::fs::read_to_string(path).map_err(|cause| ConfigError::Tokens { path: name.clone(), cause })?;
    let mut tokens = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut words = trimmed.split_whitespace();
        let secret = words.next().unwrap_or_default().to_owned();
        let Some(body_text) = words.next() else {
            tokens.push(Token { secret, body: None, name: String::new() });
            continue;
        };
        let column = |word: &str| word.as_ptr() as usize - line.as_ptr() as usize + 1;
        let body = crate::register::Body::from_name(body_text).ok_or_else(|| ConfigError::TokenBody {
            path: name.clone(),
            line: n + 1,
            column: column(body_text),
            body: body_text.to_owned(),
        })?;
        let clerk = words.collect::<Vec<_>>().join(" ");
        if clerk.is_empty() {
            return Err(ConfigError::TokenName {
                path: name.clone(),
                line: n + 1,
                column: column(body_text) + body_text.len(),
            });
        }
        tokens.push(Token { secret, body: Some(body), name: clerk });
    }
    if tokens.is_empty() {
        return Err(ConfigError::NoTokens(name));
    }
    Ok(tokens)
}

/// What every request handler shares.
pub(crate) struct AppState {
    pub(crate) engine: Arc<Engine>,
    pub(crate) pool: Pool,
    pub(crate) config: Config,
    pub(crate) metrics: PrometheusHandle,
    pub(crate) stopping: AtomicBool,
    pub(crate) openapi: String,
    /// SHA-256 of each accepted token: a request's token is hashed and the digests compared,
    /// so the time a comparison takes tells nothing about the tokens.
    pub(crate) token_digests: Option<Vec<([u8; 32], Token)>>,
    /// The web page's signed-in clerks.
    pub(crate) sessions: web::Sessions,
}

fn digest(token: &str) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.as_bytes()).into()
}

/// The render duration histogram's buckets, in seconds.
const DURATION_BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// The process's Prometheus recorder, installed at the first call.
fn metrics_handle() -> Result<PrometheusHandle, ConfigError> {
    static HANDLE: std::sync::OnceLock<PrometheusHandle> = std::sync::OnceLock::new();
    if let Some(handle) = HANDLE.get() {
        return Ok(handle.clone());
    }
    let recorder = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full("anyqtama_render_duration_seconds".into()), &DURATION_BUCKETS)
        .map_err(|e| ConfigError::Metrics(e.to_string()))?
        .build_recorder();
    let handle = recorder.handle();
    // Another recorder set by the embedding program wins; ours then renders nothing.
    let _ = metrics::set_global_recorder(recorder);
    Ok(HANDLE.get_or_init(|| handle).clone())
}

/// The OpenAPI document of the routes.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "anyqtama",
        description = "Official Kazakhstan certificates and registration documents (orders 565 and 246) as PDF, in Kazakh and Russian"
    ),
    components(schemas(crate::diag::DiagnosticJson))
)]
struct ApiDoc;

/// The router of every route, with its OpenAPI document.
fn app(engine: Arc<Engine>, config: Config) -> Result<(Router, Arc<AppState>), ConfigError> {
    let mut routes = OpenApiRouter::with_openapi(ApiDoc::openapi()).merge(routes::router());
    if config.register.is_some() {
        routes = routes.merge(register::router());
    }
    let (mut router, mut api) = routes.split_for_parts();
    if config.register.is_some() {
        router = router.merge(web::router());
    }
    api.info.version = env!("CARGO_PKG_VERSION").to_owned();
    let openapi = api.to_pretty_json().unwrap_or_default();
    let state = Arc::new(AppState {
        engine,
        pool: Pool::new(config.workers, config.queue).map_err(ConfigError::Workers)?,
        metrics: metrics_handle()?,
        stopping: AtomicBool::new(false),
        openapi,
        token_digests: config
            .tokens
            .as_ref()
            .map(|tokens| tokens.iter().map(|t| (digest(&t.secret), t.clone())).collect()),
        sessions: web::Sessions::default(),
        config,
    });
    let app = router
        .layer(middleware::from_fn_with_state(Arc::clone(&state), authorize))
        .with_state(Arc::clone(&state))
        .fallback(routes::not_found)
        .layer(DefaultBodyLimit::max(state.config.body_limit))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, backstop(state.config.timeout)))
        .layer(middleware::from_fn_with_state(Arc::clone(&state), count))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request| {
                    let id =
                        request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", id = %id, method = %request.method(), uri = %request.uri())
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetRequestIdLayer::x_request_id(Counter::default()));
    Ok((app, state))
}

/// The deadline of a whole request, body included: twice the work's deadline, and at least a
/// second more, so that the work's own deadline (`503`) always comes first.
fn backstop(timeout: Duration) -> Duration {
    timeout.saturating_mul(2).max(timeout.saturating_add(Duration::from_secs(1)))
}

/// Runs the service on `listener` until `shutdown` completes, then lets the requests in
/// flight finish.
pub async fn serve(
    listener: TcpListener,
    engine: Arc<Engine>,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let (app, state) = app(engine, config)?;
    let stopping = Arc::clone(&state);
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown.await;
            stopping.stopping.store(true, Ordering::SeqCst);
            tracing::info!("stopping: finishing the requests in flight");
        })
        .await
        .map_err(ServeError::Io)
}

/// Why the service stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// Bad settings.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The listener failed.
    #[error("the server failed ({0})")]
    Io(std::io::Error),
}

/// Completes on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// Request ids: a number counted from 1 in this process, unless the caller sent an
/// `x-request-id` (kept and echoed).
#[derive(Clone, Default)]
struct Counter(Arc<AtomicU64>);

impl MakeRequestId for Counter {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.0.fetch_add(1, Ordering::Relaxed) + 1;
        HeaderValue::from_str(&n.to_string()).ok().map(RequestId::new)
    }
}

/// Counts every answer by route, form (a known form only, so that made-up names add no
/// series), method and status.
async fn count(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", |p| p.as_str()).to_owned();
    let form = route
        .split('/')
        .position(|segment| segment == "{form}")
        .and_then(|i| request.uri().path().split('/').nth(i))
        .filter(|id| state.engine.form(id).is_ok())
        .unwrap_or("")
        .to_owned();
    let method = request.method().to_string();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("anyqtama_http_requests_total", "route" => route, "form" => form, "method" => method, "status" => status)
        .increment(1);
    response
}

/// The holder of the request's token, in the request's extensions (absent without tokens, and
/// for a public read).
#[derive(Debug, Clone)]
pub(crate) struct Holder(pub(crate) Token);

/// With tokens set, lets a `/v1/` request through only with `Authorization: Bearer TOKEN`
/// (the register's reads too with `public_read`), and tells the handler whose token it is.
async fn authorize(State(state): State<Arc<AppState>>, mut request: Request, next: Next) -> Response {
    let Some(tokens) = &state.token_digests else { return next.run(request).await };
    if !request.uri().path().starts_with("/v1/") {
        return next.run(request).await;
    }
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let holder = given.and_then(|token| {
        let digest = digest(token);
        tokens.iter().find(|(d, _)| *d == digest).map(|(_, t)| t.clone())
    });
    // The web page's links (documents, stamps) read with the session cookie; writes keep the
    // bearer token.
    let holder = holder.or_else(|| {
        (given.is_none() && request.method() == axum::http::Method::GET)
            .then(|| web::session_holder(&state, request.headers()))
            .flatten()
    });
    let public = state.config.public_read
        && request.method() == axum::http::Method::GET
        && request.uri().path().starts_with("/v1/register/");
    match holder {
        Some(token) => {
            request.extensions_mut().insert(Holder(token));
            next.run(request).await
        }
        None if public && given.is_none() => next.run(request).await,
        None => {
            let message = if given.is_some() {
                "the bearer token is not accepted"
            } else {
                "this service needs a bearer token (Authorization: Bearer TOKEN)"
            };
            let mut response = routes::problem(StatusCode::UNAUTHORIZED, message, Vec::new()).into_response();
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use tower::ServiceExt;

    use super::*;

    async fn status(app: &Router, path: &str) -> StatusCode {
        let request = axum::http::Request::get(path).body(Body::empty()).unwrap();
        app.clone().oneshot(request).await.unwrap().status()
    }

    #[tokio::test]
    async fn readyz_is_503_once_the_service_is_stopping() {
        let engine = Arc::new(Engine::new(None).unwrap());
        let (app, state) = app(engine, Config::default()).unwrap();
        assert_eq!(status(&app, "/readyz").await, StatusCode::OK);
        state.stopping.store(true, Ordering::SeqCst);
        assert_eq!(status(&app, "/readyz").await, StatusCode::SERVICE_UNAVAILABLE);
        // Still alive, only not ready.
        assert_eq!(status(&app, "/healthz").await, StatusCode::OK);
    }

    #[test]
    fn the_whole_request_deadline_comes_after_the_work_deadline() {
        assert_eq!(backstop(Duration::from_millis(5)), Duration::from_millis(1005));
        assert_eq!(backstop(Duration::from_secs(30)), Duration::from_secs(60));
    }

    #[test]
    fn tokens_file_skips_blank_lines_and_comments() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokens");
        std::fs::write(&path, "# systems\n  abc  \n\n#x\ndef 09 Aigerim  Nurlanovna\nxyz ministry A. B.\n")
            .unwrap();
        let tokens = read_tokens(&path).unwrap();
        assert_eq!(
            tokens,
            [
                Token { secret: "abc".into(), body: None, name: String::new() },
                Token {
                    secret: "def".into(),
                    body: Some(crate::register::Body::Region(9)),
                    name: "Aigerim Nurlanovna".into()
                },
                Token {
                    secret: "xyz".into(),
                    body: Some(crate::register::Body::Ministry),
                    name: "A. B.".into()
                },
            ]
        );
    }

    #[test]
    fn tokens_file_names_the_line_and_column_of_a_bad_body_or_a_missing_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokens");
        std::fs::write(&path, "# clerks\nabc 21 Someone\n").unwrap();
        let e = read_tokens(&path).unwrap_err().to_string();
        assert_eq!(
            e,
            format!(
                "{}:2:5: \"21\" is not `ministry` nor a regional index 01–20 (a line is TOKEN [BODY NAME…])",
                path.display()
            )
        );
        std::fs::write(&path, "abc 02\n").unwrap();
        let e = read_tokens(&path).unwrap_err().to_string();
        assert_eq!(
            e,
            format!(
                "{}:1:7: the clerk's name is missing after the body (a line is TOKEN BODY NAME…)",
                path.display()
            )
        );
    }
}
