//! `coffeechat-load`: a small HTTP load client for a running Coffeechat server. Each of N connections is a
//! task with a keep-alive client of its own that repeats a scenario's steps back to back; after a warm-up the
//! latencies go into HDR histograms, and the run prints throughput and p50/p90/p99/max per step.
//!
//! Scenarios: `host-page` (the public host page with its slots, across the directory's hosts) and `mix` (browse
//! the directory, view a host's slots, send a request, the host accepts it), whose hosts and seekers the harness
//! signs up through the API first ([`mix`]), and `accept` (hosts accepting requests sent beforehand: bookings per
//! second apart from browsing and asking, [`accept`]).

pub mod accept;
pub mod mix;
pub mod stats;

use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use serde_json::Value;

pub use stats::{Outcome, Recorder, Report, Step, Window};

/// How a scenario is run.
#[derive(Debug, Clone)]
pub struct Run {
    /// The server's base URL, without a trailing slash (`http://127.0.0.1:8080`).
    pub base: String,
    /// Concurrent connections, each one task sending one request at a time.
    pub connections: usize,
    /// Run, unrecorded, before measuring: connections open, caches fill.
    pub warm_up: Duration,
    /// How long the measured part lasts.
    pub duration: Duration,
    /// Requests (host-page) or rounds (mix) per second offered in all, spread evenly over the connections;
    /// `None`: each connection sends its next request as soon as the previous one is answered (closed loop).
    pub rate: Option<f64>,
}

/// Paces one connection at its share of [`Run::rate`]. Latency is counted from when a request was *due*, not
/// from when it was sent, so a server that stalls is charged for the requests queued behind the stall (no
/// "coordinated omission").
#[derive(Debug, Clone)]
pub struct Pacer {
    interval: Option<Duration>,
    next: Instant,
}

impl Pacer {
    pub fn new(run: &Run, index: usize) -> Self {
        let connections = run.connections.max(1) as f64;
        let interval = run.rate.filter(|rate| *rate > 0.0).map(|rate| Duration::from_secs_f64(connections / rate));
        // Connections start spread over one interval rather than all at once.
        let offset = interval.map(|interval| interval.mul_f64(index as f64 / connections)).unwrap_or_default();
        Self { interval, next: Instant::now() + offset }
    }

    /// Waits until the next request is due and returns when it was due (now, when not pacing).
    pub async fn wait(&mut self) -> Instant {
        let Some(interval) = self.interval else { return Instant::now() };
        let due = self.next;
        self.next += interval;
        tokio::time::sleep_until(due.into()).await;
        due
    }
}

/// A keep-alive HTTP client holding (at most) one connection: one per simulated user, so that `connections`
/// means open connections.
///
/// # Errors
/// If the client cannot be built (no TLS provider can be installed).
pub fn client() -> anyhow::Result<reqwest::Client> {
    // reqwest is built without a TLS provider of its own and refuses to build a client until one is installed.
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
    reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(30))
        .build()
        .context("cannot build the HTTP client")
}

/// Fails unless the server answers `/healthz`, so a wrong URL is reported before any set-up.
///
/// # Errors
/// When the server cannot be reached or is not healthy.
pub async fn check_server(base: &str) -> anyhow::Result<()> {
    let response = client()?
        .get(format!("{base}/healthz"))
        .send()
        .await
        .with_context(|| format!("no Coffeechat server answers at {base}"))?;
    if !response.status().is_success() {
        bail!("{base}/healthz answered {}", response.status());
    }
    Ok(())
}

/// The handles of the directory's hosts (at most 100), for the host-page scenario.
///
/// # Errors
/// When the directory cannot be read or lists no host.
pub async fn host_handles(base: &str) -> anyhow::Result<Vec<String>> {
    let response = client()?.get(format!("{base}/api/v1/hosts?limit=100")).send().await?;
    if !response.status().is_success() {
        bail!("GET /api/v1/hosts answered {}", response.status());
    }
    let hosts: Value = response.json().await?;
    let handles: Vec<String> = hosts
        .as_array()
        .map(|hosts| hosts.iter().filter_map(|host| host["handle"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    if handles.is_empty() {
        bail!("the directory at {base} lists no host: start the server with --demo");
    }
    Ok(handles)
}

/// Sends `request` and records it as `step`; the status and body come back when the server answered.
///
/// # Errors
/// Only recording failures; a failed exchange is recorded as an error and returns `None`.
pub async fn exchange(
    recorder: &mut Recorder,
    step: &'static str,
    request: reqwest::RequestBuilder,
) -> anyhow::Result<Option<(reqwest::StatusCode, String)>> {
    exchange_due(recorder, step, request, Instant::now()).await
}

/// [`exchange`], with the latency counted from `due` (see [`Pacer`]).
///
/// # Errors
/// As [`exchange`].
pub async fn exchange_due(
    recorder: &mut Recorder,
    step: &'static str,
    request: reqwest::RequestBuilder,
    due: Instant,
) -> anyhow::Result<Option<(reqwest::StatusCode, String)>> {
    let started = due;
    let answer = match request.send().await {
        Ok(response) => {
            let status = response.status();
            // The whole body is part of the latency: a page is not served until it has arrived.
            response.text().await.map(|body| (status, body))
        }
        Err(error) => Err(error),
    };
    match answer {
        Ok((status, body)) => {
            recorder.record(step, started, Outcome::of(status), || format!("{status}: {}", shorten(&body)))?;
            Ok(Some((status, body)))
        }
        Err(error) => {
            recorder.record(step, started, Outcome::Error, || format!("no answer: {error}"))?;
            Ok(None)
        }
    }
}

fn shorten(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(160) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// Runs `connections` tasks of `user` until the window ends and merges what they recorded.
///
/// # Errors
/// The first error a task returned (set-up problems, not failed exchanges), or a panicked task.
pub async fn run_users<F, Fut>(scenario: &'static str, run: &Run, user: F) -> anyhow::Result<Report>
where
    F: Fn(usize, Recorder) -> Fut,
    Fut: Future<Output = anyhow::Result<Recorder>> + Send + 'static,
{
    let window = Window::starting_now(run.warm_up, run.duration);
    let mut users = tokio::task::JoinSet::new();
    for index in 0..run.connections {
        users.spawn(user(index, Recorder::new(window)));
    }
    let mut recorders = Vec::with_capacity(run.connections);
    while let Some(finished) = users.join_next().await {
        recorders.push(finished.context("a simulated user panicked")??);
    }
    // Exchanges started before the end are waited for: the window is what was measured.
    let measured = window.end.saturating_duration_since(window.record_from);
    let mut report = Report::merge(scenario, run.connections, measured, recorders)?;
    report.rate = run.rate;
    Ok(report)
}

/// The host-page scenario's one step.
pub const HOST_PAGE: &str = "GET /h/{handle}";

/// `host-page`: every connection fetches `/h/{handle}` (profile and free slots) for the hosts in turn.
///
/// # Errors
/// When the directory cannot be read; failed page loads are counted, not returned.
pub async fn host_page(run: &Run) -> anyhow::Result<Report> {
    let handles = std::sync::Arc::new(host_handles(&run.base).await?);
    let base = run.base.clone();
    let paced = run.clone();
    run_users("host-page", run, move |index, mut recorder| {
        let (handles, base, run) = (handles.clone(), base.clone(), paced.clone());
        async move {
            let client = client()?;
            let window = recorder.window();
            let mut pacer = Pacer::new(&run, index);
            let mut turn = index;
            while !window.is_over() {
                let due = pacer.wait().await;
                let handle = &handles[turn % handles.len()];
                turn += 1;
                exchange_due(&mut recorder, HOST_PAGE, client.get(format!("{base}/h/{handle}")), due).await?;
            }
            Ok(recorder)
        }
    })
    .await
}
