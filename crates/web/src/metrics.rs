//! Prometheus metrics at `/metrics` (text exposition format), for operators: requests and their latency by
//! route and status class, the database pool, the outbox (job queue) and the mail the worker sent or failed.
//!
//! Values are recorded through the `metrics` facade into one process-wide recorder, rendered by our own handler
//! (the exporter runs no listener of its own). Requests are labelled with the matched route template
//! (`/api/v1/requests/{id}`), never the raw path, so ids cannot multiply the series. The endpoint is for the
//! private network: the sample reverse-proxy configurations in `deploy/` do not pass it through.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::AppState;

/// Requests answered, by `method`, `route` and `status` class (`2xx`…`5xx`).
pub const HTTP_REQUESTS: &str = "coffeechat_http_requests_total";
/// Seconds from a request's arrival to its response's headers, with the same labels.
pub const HTTP_REQUEST_SECONDS: &str = "coffeechat_http_request_duration_seconds";
/// Connections of this instance's database pool, by `state` (`open`, `idle`, `max`).
pub const DB_POOL_CONNECTIONS: &str = "coffeechat_db_pool_connections";
/// Outbox messages by `status` (`queued`, `sending`, `failed`, `sent`): the job queue's depth, read from the
/// database at each scrape, so every instance reports the same, shared queue.
pub const OUTBOX_MESSAGES: &str = "coffeechat_outbox_messages";

/// The `route` label of requests that matched no route (404s of the fallback).
pub const UNMATCHED_ROUTE: &str = "unmatched";

/// Histogram buckets for request latency: from 1 ms (a cached page) to 30 s (the request timeout).
const LATENCY_BUCKETS: [f64; 14] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// How often histograms are compacted when nobody scrapes, so an unscraped instance does not grow.
pub const UPKEEP_INTERVAL: Duration = Duration::from_secs(5);

const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The process's recorder, installed as the `metrics` facade's global recorder on first use. When another
/// recorder was installed first (an embedding application's), this one still renders, with only the values
/// recorded through it.
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new();
        let builder =
            match builder.set_buckets_for_metric(Matcher::Full(HTTP_REQUEST_SECONDS.to_owned()), &LATENCY_BUCKETS) {
                Ok(builder) => builder,
                Err(error) => {
                    tracing::warn!(%error, "latency buckets refused; latencies are reported as a summary");
                    PrometheusBuilder::new()
                }
            };
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder is installed; /metrics shows only what reaches this one");
        }
        describe();
        handle
    })
}

/// The `# HELP` lines, and the mail counters at 0 from the start (a series that appears only after the first
/// failure makes alerts on it miss the first one).
fn describe() {
    use coffeechat_service::{EMAILS_FAILED, EMAILS_SENT};
    use metrics::Unit;
    metrics::describe_counter!(HTTP_REQUESTS, "HTTP requests answered, by method, route template and status class");
    metrics::describe_histogram!(HTTP_REQUEST_SECONDS, Unit::Seconds, "Time from a request to its response headers");
    metrics::describe_gauge!(DB_POOL_CONNECTIONS, "Database connections of this instance's pool, by state");
    metrics::describe_gauge!(OUTBOX_MESSAGES, "Outbox messages (the mail queue, shared by all instances) by status");
    metrics::describe_counter!(EMAILS_SENT, "Emails this instance's worker handed to the mail transport");
    metrics::describe_counter!(
        EMAILS_FAILED,
        "Failed delivery attempts of this instance's worker; last_attempt=true: given up"
    );
    metrics::counter!(EMAILS_SENT).increment(0);
    for last in ["false", "true"] {
        metrics::counter!(EMAILS_FAILED, "last_attempt" => last).increment(0);
    }
}

/// `GET /metrics`.
pub fn router() -> Router<AppState> {
    Router::new().route("/metrics", get(render))
}

/// Counts and times every request under its route template. Applied with `Router::layer`, so it runs after
/// routing (the matched route is known) and outside every other middleware (timeouts, refusals and panics
/// are counted with the status the client got).
pub async fn track(matched: Option<MatchedPath>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(request.method());
    let route = matched.as_ref().map_or(UNMATCHED_ROUTE, MatchedPath::as_str).to_owned();
    let response = next.run(request).await;
    let labels = [("method", method.to_owned()), ("route", route), ("status", status_class(response.status()))];
    metrics::counter!(HTTP_REQUESTS, &labels).increment(1);
    metrics::histogram!(HTTP_REQUEST_SECONDS, &labels).record(started.elapsed().as_secs_f64());
    response
}

/// Compacts the histograms every [`UPKEEP_INTERVAL`], for as long as the server runs.
pub async fn upkeep_periodically() {
    let mut ticks = tokio::time::interval(UPKEEP_INTERVAL);
    loop {
        ticks.tick().await;
        handle().run_upkeep();
    }
}

/// The metrics now: the gauges read at this moment (pool, outbox), then everything rendered.
async fn render(State(state): State<AppState>) -> Response {
    let store = state.services.store();
    let pool = store.pool_stats();
    for (kind, value) in [("open", pool.size), ("idle", pool.idle), ("max", pool.max)] {
        metrics::gauge!(DB_POOL_CONNECTIONS, "state" => kind).set(f64::from(value));
    }
    match state.services.outbox_counts().await {
        Ok(counts) => {
            let by_status = [
                ("queued", counts.queued),
                ("sending", counts.sending),
                ("failed", counts.failed),
                ("sent", counts.sent),
            ];
            for (status, count) in by_status {
                metrics::gauge!(OUTBOX_MESSAGES, "status" => status).set(count as f64);
            }
        }
        // The scrape still answers: the pool and request metrics matter most when the database is in trouble.
        Err(error) => tracing::warn!(%error, "metrics: cannot count the outbox"),
    }
    let mut response = (StatusCode::OK, handle().render()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    // Never cached by a proxy: every scrape must see the instance as it is now.
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The method as a label; anything unusual is `other`, so that a client cannot invent new series.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// `2xx`, `4xx`, …
fn status_class(status: StatusCode) -> String {
    format!("{}xx", status.as_u16() / 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_stay_few() {
        assert_eq!(status_class(StatusCode::NOT_FOUND), "4xx");
        assert_eq!(status_class(StatusCode::SERVICE_UNAVAILABLE), "5xx");
        assert_eq!(method_label(&Method::GET), "GET");
        assert_eq!(method_label(&Method::from_bytes(b"BREW").unwrap_or(Method::TRACE)), "other");
    }
}
