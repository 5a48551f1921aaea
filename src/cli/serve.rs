//! `serve`: the HTTP service ([`anyqtama::service`]). Parses the options, starts the runtime,
//! prints the address it listens on, and stops on SIGTERM or Ctrl-C once the requests in
//! flight are answered.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyqtama::Engine;
use anyqtama::service::{self, Config};
use clap::Args;

use super::{Exit, fail};

const SERVE_HELP: &str = "\
EXAMPLES:
  anyqtama serve --addr 127.0.0.1:8080
  curl -s -X POST --data-binary @samples/rights-certificate-company.json \\
      -H 'content-type: application/json' \\
      'http://127.0.0.1:8080/v1/forms/rights-certificate/render?lang=kk,ru' -o cert.pdf
  anyqtama serve --addr 0.0.0.0:8080 --tokens tokens.txt
      Reachable from other machines: every /v1/ route needs `Authorization: Bearer TOKEN`
      with a token from the file (one a line).
  anyqtama serve --register postgres://anyqtama@db/register --tokens clerks.txt
      The register under /v1/register/: a line `TOKEN BODY NAME…` of the tokens file lets
      the clerk NAME register acts of BODY (`ministry` or a regional index 01–20); a line
      with only a token reads.

The first line on standard output is `listening on http://ADDRESS` (the port chosen when
--addr ends in :0). Logs go to standard error (RUST_LOG=debug for more). The routes are
described at GET /openapi.json.";

#[derive(Debug, Args)]
#[command(after_help = SERVE_HELP)]
pub struct ServeArgs {
    /// Address and port to listen on (loopback unless told otherwise; port 0 picks a free one).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Largest request body, in bytes (larger ones get 413).
    #[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024)]
    body_limit: usize,
    /// Renders at once (default: the number of cores).
    #[arg(long, value_name = "N")]
    workers: Option<usize>,
    /// Requests that may wait for a worker; more get 503 with Retry-After.
    #[arg(long, value_name = "N", default_value_t = 64)]
    queue: usize,
    /// Deadline of one request, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 30_000)]
    timeout_ms: u64,
    /// Accept only requests with `Authorization: Bearer TOKEN`, a token from this file (one a
    /// line; # starts a comment).
    #[arg(long, value_name = "FILE")]
    tokens: Option<PathBuf>,
    /// Keep the register at this SQLite file or `postgres://` URL and serve it under
    /// /v1/register/ (writes need a clerk's token: a tokens-file line `TOKEN BODY NAME…`).
    #[arg(long, value_name = "PATH|URL")]
    register: Option<std::ffi::OsString>,
    /// Let callers without a token read the register (GET /v1/register/…).
    #[arg(long, requires = "register")]
    public_read: bool,
}

pub fn serve(engine: Engine, args: ServeArgs) -> Result<(), Exit> {
    let mut config = Config { body_limit: args.body_limit, queue: args.queue, ..Config::default() };
    if let Some(workers) = args.workers {
        if workers == 0 {
            return Err(fail("--workers must be at least 1"));
        }
        config.workers = workers;
    }
    config.timeout = Duration::from_millis(args.timeout_ms.max(1));
    if let Some(path) = &args.tokens {
        config.tokens = Some(service::read_tokens(path).map_err(fail)?);
    }
    if let Some(text) = &args.register {
        let location =
            anyqtama::register::Location::parse(text).map_err(|e| fail(format!("--register: {e}")))?;
        // Opened now so that a missing or damaged register stops the service at once.
        location.open().map_err(|e| fail(format!("--register: {location}: {e}")))?;
        config.register = Some(location);
    }
    config.public_read = args.public_read;
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .try_init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| fail(format!("failed to start the runtime ({e})")))?;
    anyqtama::pdf::load_fonts();
    runtime.block_on(async move {
        let listen_failed = |e: std::io::Error| fail(format!("failed to listen on {} ({e})", args.addr));
        let listener = tokio::net::TcpListener::bind(args.addr).await.map_err(listen_failed)?;
        let addr = listener.local_addr().map_err(listen_failed)?;
        say!("listening on http://{addr}");
        service::serve(listener, Arc::new(engine), config, service::shutdown_signal()).await.map_err(fail)?;
        tracing::info!("stopped");
        Ok(())
    })
}
