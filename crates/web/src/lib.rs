//! Coffeechat's web front: the JSON API under `/api/v1` (documented at `/api/openapi.json` and
//! `/api/docs`) and the server-rendered pages, over the application services of `coffeechat-service`.
//!
//! [`app`] builds the whole application as one [`axum::Router`]; [`serve`] runs it on a listener
//! until ctrl-c or SIGTERM. Tests bind port 0 and pass the listener in, so they run exactly what
//! production runs.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use coffeechat_service::Services;
//! use coffeechat_web::{AppState, WebConfig};
//!
//! let store = coffeechat_store::open("coffeechat.db").await?;
//! store.migrate().await?;
//! let state = AppState::new(Services::new(store), WebConfig::for_public_url("http://127.0.0.1:8080"));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! coffeechat_web::serve(listener, state).await?;
//! # Ok(())
//! # }
//! ```

pub mod api;
pub mod assets;
pub mod auth;
pub mod display;
pub mod error;
pub mod metrics;
pub mod pages;
pub mod session_store;
pub mod state;

use std::any::Any;
use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Request, Response, StatusCode, Uri, header};
use axum::response::IntoResponse;
use tower::ServiceBuilder;
use tower_http::LatencyUnit;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::csrf::{CsrfLayer, ProtectionError};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use state::{AppState, WebConfig};

use crate::error::{ApiError, PageError};

/// Largest request body accepted: forms and JSON documents here are a few kilobytes.
pub const BODY_LIMIT_BYTES: usize = 256 * 1024;

/// Largest body of the routes that take a calendar file (an `.ics` upload, with a multipart form's overhead);
/// they raise [`BODY_LIMIT_BYTES`] for themselves with axum's `DefaultBodyLimit`.
pub const UPLOAD_BODY_LIMIT_BYTES: usize = coffeechat_service::MAX_UPLOAD_BYTES + 64 * 1024;

/// A request that takes longer than this is answered with 503 rather than left hanging.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Scripts, styles, fonts and images only from this site; no plugins, no framing, forms post only here.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; \
     form-action 'self'; frame-ancestors 'none'";

/// The whole application: API, pages, assets, `/healthz`, `/readyz` and `/metrics`, with every middleware applied.
///
/// Layers, outermost first (a request passes them top to bottom, a response bottom to top):
/// 0. metrics: every request counted and timed under its route template (after routing, so the template is
///    known);
/// 1. request id (`x-request-id`, kept or generated, echoed in the response) and the tracing span carrying it,
///    with one log line per response (status, latency);
/// 2. catch-panic: a panicking handler becomes a 500 page without details (the API has its own JSON one);
/// 3. security headers on every response (CSP, nosniff, Referrer-Policy, X-Frame-Options);
/// 4. gzip compression;
/// 5. timeout ([`REQUEST_TIMEOUT`] → 503) and body limit ([`BODY_LIMIT_BYTES`] → 413);
/// 6. CSRF: unsafe methods from another origin are refused (403) before any session is loaded;
/// 7. sessions (cookie → [`tower_sessions::Session`] in the request extensions).
pub fn app(state: AppState) -> Router {
    // Installs the recorder before anything is recorded.
    metrics::handle();
    let sessions = session_store::session_layer(state.services.store().clone(), &state.config);
    let middleware = ServiceBuilder::new()
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                // One readable line per request at the default log level: status and latency.
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO).latency_unit(LatencyUnit::Millis)),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(CatchPanicLayer::custom(panic_page))
        .layer(security_header(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .layer(security_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(security_header(header::REFERRER_POLICY, "strict-origin-when-cross-origin"))
        .layer(security_header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, REQUEST_TIMEOUT))
        // Nothing larger than an upload gets in at all; every extractor then stops at BODY_LIMIT_BYTES unless
        // its route raises the limit (the calendar uploads do).
        .layer(RequestBodyLimitLayer::new(UPLOAD_BODY_LIMIT_BYTES))
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(CsrfLayer::new().with_rejection_response(csrf_rejection))
        .layer(sessions);

    Router::new()
        .merge(api::router())
        .merge(pages::router())
        .merge(assets::router())
        .merge(metrics::router())
        .fallback(not_found)
        .layer(middleware)
        .layer(axum::middleware::from_fn(metrics::track))
        .with_state(state)
}

/// Serves [`app`] on `listener` until ctrl-c or SIGTERM, then finishes the requests in flight.
///
/// # Errors
/// The I/O error that stopped the server.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    serve_until(listener, state, shutdown_signal()).await
}

/// Like [`serve`], stopping gracefully when `shutdown` completes (tests, embedding).
///
/// # Errors
/// The I/O error that stopped the server.
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let sweeper = tokio::spawn(session_store::delete_expired_sessions_periodically(state.services.store().clone()));
    let metrics_upkeep = tokio::spawn(metrics::upkeep_periodically());
    if let Ok(address) = listener.local_addr() {
        tracing::info!(%address, public_url = %state.config.public_url, "listening");
    }
    let result = axum::serve(listener, app(state)).with_graceful_shutdown(shutdown).await;
    sweeper.abort();
    metrics_upkeep.abort();
    result
}

/// Completes on ctrl-c, or SIGTERM on Unix (how containers and systemd ask a service to stop). The server and
/// the `coffeechat worker` command both stop on it, finishing the work in flight.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing the work in flight");
}

/// Sets a response header unless the handler chose its own value.
fn security_header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// The tracing span of one request: method, path and request id (never the query, which may hold personal data).
fn request_span(request: &Request<Body>) -> tracing::Span {
    let request_id = request.extensions().get::<RequestId>().and_then(|id| id.header_value().to_str().ok());
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = request_id.unwrap_or("-"),
    )
}

/// The 403 for a cross-origin form post or API call. The same JSON error body as the API: a browser only
/// gets here when another site tried to submit on the user's behalf.
fn csrf_rejection(error: ProtectionError) -> Response<Body> {
    tracing::warn!(%error, "refused a cross-origin request");
    ApiError::forbidden("cross-origin requests that change data are refused").into_response()
}

/// What a panicking page handler answers: a 500 without details (the panic itself is logged).
fn panic_page(panic: Box<dyn Any + Send + 'static>) -> Response<Body> {
    log_panic(panic.as_ref());
    PageError::new(StatusCode::INTERNAL_SERVER_ERROR, error::INTERNAL_MESSAGE).into_response()
}

/// Logs a handler panic with its message.
pub(crate) fn log_panic(panic: &(dyn Any + Send)) {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = message, "a request handler panicked");
}

/// Unknown paths: JSON under `/api/`, an HTML page elsewhere.
async fn not_found(uri: Uri) -> axum::response::Response {
    if uri.path() == "/api" || uri.path().starts_with("/api/") {
        ApiError::not_found(format!("no API route at {}", uri.path())).into_response()
    } else {
        PageError::not_found().into_response()
    }
}
