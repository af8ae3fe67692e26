//! The `accept` scenario: how many bookings the server accepts per second, apart from everything a booking
//! needs first. In batches: seekers send requests (not measured), then hosts accept all of them at once over
//! the connections (measured); the figures count only the time spent accepting.
//!
//! Each request proposes a start no other request of the run proposes: the hosts' first hundred starts of a
//! month (06:00 onwards on its first two days, in the host's zone), so every accept should win (201), and a
//! month never goes over the hosts' cap of 100. A seeker has at most [`MAX_OPEN_REQUESTS`] requests open, each
//! to another host, as the hosts' rules allow.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan as _};
use serde_json::json;

use crate::mix::{ACCEPT, MAX_OPEN_REQUESTS, MixPeople, request_body};
use crate::{Recorder, Report, Run, Window, client, exchange};

/// Bookable starts per host and month: the hosts' monthly cap.
const PER_MONTH: u32 = 100;
/// Starts per day: 06:00–22:00 in 15-minute steps.
const PER_DAY: u32 = 64;
/// The first month used, counted from this one: far enough that no start is within the hosts' notice.
const FIRST_MONTH: u32 = 2;
/// The last month used: within the hosts' year of horizon.
const LAST_MONTH: u32 = 11;

/// Hands out each host's starts in order: months [`FIRST_MONTH`]..=[`LAST_MONTH`], [`PER_MONTH`] each.
#[derive(Debug)]
struct Planner {
    /// Per host (index into [`MixPeople::hosts`]): how many starts were handed out.
    used: Vec<u32>,
    this_month: Date,
}

impl Planner {
    fn new(hosts: usize) -> Self {
        let today = Timestamp::now().to_zoned(TimeZone::UTC).date();
        Self { used: vec![0; hosts], this_month: today.first_of_month() }
    }

    /// The next unused start of host `index` (in `zone`), or `None` once its year is booked up.
    fn next_start(&mut self, index: usize, zone: &str) -> anyhow::Result<Option<Timestamp>> {
        let used = self.used[index];
        let month = FIRST_MONTH + used / PER_MONTH;
        if month > LAST_MONTH {
            return Ok(None);
        }
        self.used[index] += 1;
        let within = used % PER_MONTH;
        let day =
            self.this_month.checked_add(i64::from(month).months())?.checked_add(i64::from(within / PER_DAY).days())?;
        let minutes = 6 * 60 + 15 * i64::from(within % PER_DAY);
        let time = Time::midnight().checked_add(minutes.minutes())?;
        let zone = TimeZone::get(zone)?;
        Ok(Some(day.to_datetime(time).to_zoned(zone)?.timestamp()))
    }
}

/// A request waiting for its host's answer.
#[derive(Debug)]
struct Pending {
    id: i64,
    host_token: String,
    start: String,
}

/// Runs accept batches until [`Run::duration`] of accepting has been measured (after one unmeasured batch as
/// warm-up, when [`Run::warm_up`] is not zero) or the hosts' starts run out.
///
/// # Errors
/// When the people cannot take a batch (fewer hosts than a seeker's open requests, fewer seekers than
/// connections), or a request the batch needs is refused.
pub async fn accepts(run: &Run, people: Arc<MixPeople>) -> anyhow::Result<Report> {
    if people.hosts.len() < MAX_OPEN_REQUESTS || people.seekers.len() < run.connections {
        bail!("the accept scenario needs at least {MAX_OPEN_REQUESTS} hosts and one seeker per connection");
    }
    let mut planner = Planner::new(people.hosts.len());
    let mut measured = Duration::ZERO;
    let mut recorders = Vec::new();
    let mut warming_up = !run.warm_up.is_zero();
    let mut batch = 0usize;
    while measured < run.duration {
        let plan = plan_batch(&mut planner, &people, run.connections, batch)?;
        batch += 1;
        if plan.is_empty() {
            eprintln!("accept: the hosts' starts are all booked; stopping after {:.1} s", measured.as_secs_f64());
            break;
        }
        let sending = Instant::now();
        let pending = send_requests(run, &people, plan).await?;
        let sent_in = sending.elapsed();
        let started = Instant::now();
        let window = if warming_up {
            // Recording starts after the end: nothing of the warm-up batch is kept.
            Window { record_from: started + Duration::from_secs(86_400), end: started }
        } else {
            Window { record_from: started, end: started }
        };
        let count = pending.len();
        let batch_recorders = accept_all(run, pending, window).await?;
        eprintln!(
            "accept: batch {batch}{}: {count} requests sent in {:.2} s, accepted in {:.2} s",
            if warming_up { " (warm-up)" } else { "" },
            sent_in.as_secs_f64(),
            started.elapsed().as_secs_f64()
        );
        if !warming_up {
            measured += started.elapsed();
            recorders.extend(batch_recorders);
        }
        warming_up = false;
    }
    Report::merge("accept", run.connections, measured, recorders)
}

/// Who asks whom for when in one batch: each seeker asks [`MAX_OPEN_REQUESTS`] hosts, a different run of hosts
/// per seeker and batch.
fn plan_batch(
    planner: &mut Planner,
    people: &MixPeople,
    connections: usize,
    batch: usize,
) -> anyhow::Result<Vec<(usize, usize, Timestamp)>> {
    let hosts = people.hosts.len();
    let mut plan = Vec::with_capacity(connections * MAX_OPEN_REQUESTS);
    for seeker in 0..connections {
        for turn in 0..MAX_OPEN_REQUESTS {
            let host = (seeker * MAX_OPEN_REQUESTS + batch * 7 + turn) % hosts;
            if let Some(start) = planner.next_start(host, people.hosts[host].zone)? {
                plan.push((seeker, host, start));
            }
        }
    }
    Ok(plan)
}

/// Sends the batch's requests over the connections (not measured) and returns them as pending accepts.
async fn send_requests(
    run: &Run,
    people: &Arc<MixPeople>,
    plan: Vec<(usize, usize, Timestamp)>,
) -> anyhow::Result<VecDeque<Pending>> {
    let queue = Arc::new(Mutex::new(VecDeque::from(plan)));
    let mut senders = tokio::task::JoinSet::new();
    for _ in 0..run.connections {
        let (queue, people, base) = (queue.clone(), people.clone(), run.base.clone());
        senders.spawn(async move {
            let client = client()?;
            let mut sent = Vec::new();
            while let Some((seeker, host, start)) = next(&queue) {
                let host = &people.hosts[host];
                let start = start.to_string();
                let reply = crate::mix::send_json(
                    client.post(format!("{base}/api/v1/requests")).bearer_auth(&people.seekers[seeker]),
                    &request_body(&host.handle, &start),
                    "a request of the accept scenario",
                )
                .await?;
                let id = reply["id"].as_i64().context("the request answer has no id")?;
                sent.push(Pending { id, host_token: host.token.clone(), start });
            }
            anyhow::Ok(sent)
        });
    }
    let mut pending = VecDeque::new();
    while let Some(sent) = senders.join_next().await {
        pending.extend(sent.context("a sending task panicked")??);
    }
    Ok(pending)
}

/// Accepts every pending request, the connections taking them from one queue, and returns what each recorded.
async fn accept_all(run: &Run, pending: VecDeque<Pending>, window: Window) -> anyhow::Result<Vec<Recorder>> {
    let queue = Arc::new(Mutex::new(pending));
    let mut hosts = tokio::task::JoinSet::new();
    for _ in 0..run.connections {
        let (queue, base) = (queue.clone(), run.base.clone());
        hosts.spawn(async move {
            let client = client()?;
            let mut recorder = Recorder::new(window);
            while let Some(request) = next(&queue) {
                let accept = client
                    .post(format!("{base}/api/v1/requests/{}/accept", request.id))
                    .bearer_auth(&request.host_token)
                    .json(&json!({"start": request.start}));
                exchange(&mut recorder, ACCEPT, accept).await?;
            }
            anyhow::Ok(recorder)
        });
    }
    let mut recorders = Vec::with_capacity(run.connections);
    while let Some(recorder) = hosts.join_next().await {
        recorders.push(recorder.context("an accepting task panicked")??);
    }
    Ok(recorders)
}

fn next<T>(queue: &Mutex<VecDeque<T>>) -> Option<T> {
    queue.lock().ok()?.pop_front()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    #[test]
    fn starts_are_distinct_and_at_most_a_hundred_a_month() {
        let mut planner = Planner::new(1);
        let mut starts = Vec::new();
        while let Some(start) = planner.next_start(0, "America/New_York").unwrap() {
            starts.push(start);
        }
        assert_eq!(starts.len(), ((LAST_MONTH - FIRST_MONTH + 1) * PER_MONTH) as usize);
        let mut distinct = starts.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), starts.len());
        let zone = TimeZone::get("America/New_York").unwrap();
        let mut months = std::collections::BTreeMap::new();
        for start in &starts {
            let local = start.to_zoned(zone.clone());
            assert!(local.hour() >= 6 && local.hour() < 22, "{local} is outside the window");
            *months.entry((local.year(), local.month())).or_insert(0) += 1;
        }
        assert!(months.values().all(|count| *count == PER_MONTH));
    }
}
