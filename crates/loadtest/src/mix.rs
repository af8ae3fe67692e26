//! The `mix` scenario: what seekers and hosts do, back to back. Each simulated seeker browses the directory page,
//! views one host's free slots, sends a prepared request for one of them, and the host accepts it; an accept that
//! loses a race (409) is followed by the seeker withdrawing the request, as a person would.
//!
//! Set-up signs up its own hosts (policies with room for many bookings: long windows every day, a year's
//! horizon, the highest monthly cap) and one seeker per connection, through the API, under names unique to the
//! run, so a database can take several runs. A host's slot search moves on a month once a month is full.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use anyhow::{Context as _, bail};
use jiff::{Span, Timestamp};
use serde_json::{Value, json};

use crate::{Pacer, Report, Run, client, exchange, exchange_due, run_users};

/// The step names the report uses.
pub const BROWSE: &str = "GET /hosts";
pub const SLOTS: &str = "GET slots";
pub const REQUEST: &str = "POST request";
pub const ACCEPT: &str = "POST accept";
pub const WITHDRAW: &str = "POST withdraw";

const PASSWORD: &str = "load-test-password";
/// The hosts' limit on a seeker's open requests: the highest a host may set, so that the `accept` scenario's
/// seekers can each have this many requests waiting (to as many hosts).
pub const MAX_OPEN_REQUESTS: usize = 20;
/// Days of slots one search asks for; months hold at most the cap's 100 interviews.
const PAGE_DAYS: u32 = 30;
/// The policies' horizon, in days: where a host's slot search gives up.
const HORIZON_DAYS: u32 = 365;
const ZONES: [&str; 4] = ["Europe/London", "America/New_York", "Asia/Kolkata", "UTC"];

/// A host the harness signed up.
#[derive(Debug)]
pub struct LoadHost {
    pub handle: String,
    pub token: String,
    /// The host's IANA time zone (its windows are 06:00–22:00 there, every day).
    pub zone: &'static str,
    /// Which page of [`PAGE_DAYS`] days the slot search starts at: raised once a page has no free slot.
    page: AtomicU32,
    exhausted: AtomicBool,
}

/// The people of a mix run.
#[derive(Debug)]
pub struct MixPeople {
    pub hosts: Vec<LoadHost>,
    /// One seeker's token per connection.
    pub seekers: Vec<String>,
}

pub(crate) async fn send_json(request: reqwest::RequestBuilder, body: &Value, what: &str) -> anyhow::Result<Value> {
    let response = request.json(body).send().await.with_context(|| format!("{what}: no answer"))?;
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    if !status.is_success() {
        bail!("{what} answered {status}: {text}");
    }
    serde_json::from_str(&text).with_context(|| format!("{what} answered something that is not JSON"))
}

/// Signs an account up and returns its API token.
async fn account(client: &reqwest::Client, base: &str, email: &str, role: &str, zone: &str) -> anyhow::Result<String> {
    let body = json!({"email": email, "password": PASSWORD, "name": format!("Load {role}"), "roles": [role],
        "time_zone": zone});
    send_json(client.post(format!("{base}/api/v1/accounts")), &body, "sign-up").await?;
    let token = send_json(
        client.post(format!("{base}/api/v1/tokens")),
        &json!({"email": email, "password": PASSWORD}),
        "token",
    )
    .await?;
    token["token"].as_str().map(str::to_owned).context("the token answer has no token")
}

async fn make_host(client: &reqwest::Client, base: &str, run_id: &str, index: usize) -> anyhow::Result<LoadHost> {
    let zone = ZONES[index % ZONES.len()];
    let handle = format!("load-{run_id}-{index}");
    let token = account(client, base, &format!("{handle}@load.coffeechat.test"), "host", zone).await?;
    let profile = json!({
        "handle": handle,
        "name": format!("Load Host {index}"),
        "headline": "Analyst who answers questions about data work",
        "role": "Data analyst",
        "employer": "Load Test Ltd",
        "industry": "Technology",
        "skills": ["SQL", "statistics"],
        "topics": ["Moving into data"],
        "career_path": "Teacher, then analyst."
    });
    let windows: Vec<Value> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .map(|weekday| json!({"weekday": weekday, "start": "06:00", "end": "22:00"}))
        .collect();
    let policy = json!({
        "time_zone": zone,
        "lengths_minutes": [15],
        "windows": windows,
        "monthly_cap": 100,
        "buffer_minutes": 0,
        "min_notice_hours": 2,
        "horizon_days": HORIZON_DAYS,
        "accepting": true,
        "slot_increment_minutes": 15,
        "hold_hours": 0,
        "max_open_requests": MAX_OPEN_REQUESTS
    });
    send_json(client.put(format!("{base}/api/v1/me/host-profile")).bearer_auth(&token), &profile, "host profile")
        .await?;
    send_json(client.put(format!("{base}/api/v1/me/policy")).bearer_auth(&token), &policy, "policy").await?;
    Ok(LoadHost { handle, token, zone, page: AtomicU32::new(0), exhausted: AtomicBool::new(false) })
}

/// Signs up `hosts` hosts and `seekers` seekers through the API, eight at a time.
///
/// # Errors
/// The first sign-up or settings call the server refused.
pub async fn set_up(base: &str, hosts: usize, seekers: usize) -> anyhow::Result<MixPeople> {
    let run_id = format!("{:x}", Timestamp::now().as_second());
    let client = client()?;
    let gate = Arc::new(tokio::sync::Semaphore::new(8));
    let mut made_hosts = tokio::task::JoinSet::new();
    for index in 0..hosts {
        let (client, base, run_id, gate) = (client.clone(), base.to_owned(), run_id.clone(), gate.clone());
        made_hosts.spawn(async move {
            let _permit = gate.acquire_owned().await?;
            make_host(&client, &base, &run_id, index).await
        });
    }
    let mut made_seekers = tokio::task::JoinSet::new();
    for index in 0..seekers {
        let (client, base, run_id, gate) = (client.clone(), base.to_owned(), run_id.clone(), gate.clone());
        made_seekers.spawn(async move {
            let _permit = gate.acquire_owned().await?;
            let email = format!("load-seeker-{run_id}-{index}@load.coffeechat.test");
            account(&client, &base, &email, "seeker", ZONES[index % ZONES.len()]).await
        });
    }
    let mut people = MixPeople { hosts: Vec::with_capacity(hosts), seekers: Vec::with_capacity(seekers) };
    while let Some(host) = made_hosts.join_next().await {
        people.hosts.push(host.context("a set-up task panicked")??);
    }
    while let Some(seeker) = made_seekers.join_next().await {
        people.seekers.push(seeker.context("a set-up task panicked")??);
    }
    people.hosts.sort_by(|a, b| a.handle.cmp(&b.handle));
    Ok(people)
}

pub(crate) fn request_body(handle: &str, start: &str) -> Value {
    json!({
        "host": handle,
        "length_minutes": 15,
        "proposed_starts": [start],
        "purpose": "I am a teacher thinking about data analysis and want to understand what the work is like day to day.",
        "topics": ["career_path"],
        "questions": [
            "Which skills mattered most in your first year as an analyst?",
            "How did you explain your earlier career when you applied for your first analyst role?",
            "What does a typical week look like for you, between meetings and analysis?"
        ]
    })
}

/// The day `page` pages of [`PAGE_DAYS`] after today (UTC), as `YYYY-MM-DD`.
fn day(page: u32, extra: u32) -> anyhow::Result<String> {
    let today = Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
    Ok(today.checked_add(Span::new().days(i64::from(page * PAGE_DAYS + extra)))?.to_string())
}

/// Runs the mix with `people` (see the module docs); the report's accept step counts the bookings.
///
/// # Errors
/// When `people` has fewer seekers than connections or no hosts.
pub async fn mix(run: &Run, people: Arc<MixPeople>) -> anyhow::Result<Report> {
    if people.hosts.is_empty() || people.seekers.len() < run.connections {
        bail!("the mix needs hosts and one seeker per connection");
    }
    let base = run.base.clone();
    let paced = run.clone();
    run_users("mix", run, move |index, mut recorder| {
        let (people, base, run) = (people.clone(), base.clone(), paced.clone());
        async move {
            let client = client()?;
            let window = recorder.window();
            let mut pacer = Pacer::new(&run, index);
            let seeker = &people.seekers[index];
            let mut turn = index;
            while !window.is_over() {
                // A paced round starts when due; its first step's latency counts from then.
                let due = pacer.wait().await;
                let host = &people.hosts[turn % people.hosts.len()];
                turn += 1;
                if host.exhausted.load(Ordering::Relaxed) {
                    if people.hosts.iter().all(|host| host.exhausted.load(Ordering::Relaxed)) {
                        break;
                    }
                    continue;
                }
                exchange_due(&mut recorder, BROWSE, client.get(format!("{base}/hosts")), due).await?;

                let page = host.page.load(Ordering::Relaxed);
                let url = format!(
                    "{base}/api/v1/hosts/{}/slots?length=15&from={}&to={}",
                    host.handle,
                    day(page, 0)?,
                    day(page, PAGE_DAYS - 1)?
                );
                let Some((status, body)) = exchange(&mut recorder, SLOTS, client.get(url)).await? else { continue };
                let slots: Vec<Value> = match serde_json::from_str::<Value>(&body) {
                    Ok(Value::Array(slots)) if status.is_success() => slots,
                    _ => continue,
                };
                if slots.is_empty() {
                    // This month of the host is full: the next search looks a page further.
                    if (page + 1) * PAGE_DAYS >= HORIZON_DAYS {
                        host.exhausted.store(true, Ordering::Relaxed);
                    } else {
                        let _ = host.page.compare_exchange(page, page + 1, Ordering::Relaxed, Ordering::Relaxed);
                    }
                    continue;
                }
                // Spread the users over the list, so that two of them rarely pick the same slot.
                let slot = &slots[(index * 13 + turn * 7) % slots.len()];
                let Some(start) = slot["start"].as_str() else { continue };

                let send = client
                    .post(format!("{base}/api/v1/requests"))
                    .bearer_auth(seeker)
                    .json(&request_body(&host.handle, start));
                let Some((status, body)) = exchange(&mut recorder, REQUEST, send).await? else { continue };
                let id = match serde_json::from_str::<Value>(&body) {
                    Ok(reply) if status == reqwest::StatusCode::CREATED => reply["id"].as_i64(),
                    _ => None,
                };
                let Some(id) = id else { continue };

                let accept = client
                    .post(format!("{base}/api/v1/requests/{id}/accept"))
                    .bearer_auth(&host.token)
                    .json(&json!({"start": start}));
                let accepted = exchange(&mut recorder, ACCEPT, accept).await?;
                if !accepted.is_some_and(|(status, _)| status.is_success()) {
                    // Lost the race (or failed): the seeker takes the request back instead of leaving it open.
                    let withdraw = client
                        .post(format!("{base}/api/v1/requests/{id}/withdraw"))
                        .bearer_auth(seeker)
                        .json(&json!({}));
                    exchange(&mut recorder, WITHDRAW, withdraw).await?;
                }
            }
            Ok(recorder)
        }
    })
    .await
    .map(|mut report| {
        let order = [BROWSE, SLOTS, REQUEST, ACCEPT, WITHDRAW];
        report.steps.sort_by_key(|step| order.iter().position(|name| *name == step.name));
        report
    })
}
