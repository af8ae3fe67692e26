//! The demo data, loaded into a fresh SQLite file: rich enough to show every feature, consistent with
//! the booking rules, loadable twice without duplicates, and reachable with the documented logins.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use coffeechat::demo::{DEMO_HOST_LOGIN, DEMO_PASSWORD, DEMO_SEEKER_LOGIN};
use coffeechat::{load_demo, open_store};
use coffeechat_domain::{HostPolicy, InterviewStatus, RequestStatus, Weekday};
use coffeechat_schedule::month_bounds;
use coffeechat_service::{FixedClock, Services, SlotQuery};
use coffeechat_store::{Host, HostSearch, InterviewRecord, RequestRecord, Store};
use common::TempDir;
use jiff::Timestamp;

/// Everything the store holds about the hosts, gathered through the public interface.
#[derive(Debug, PartialEq)]
struct Census {
    hosts: usize,
    industries: Vec<String>,
    seekers: BTreeSet<i64>,
    requests_by_status: BTreeMap<&'static str, usize>,
    upcoming: usize,
    past: usize,
    cancelled: usize,
}

async fn gather(store: &Arc<dyn Store>) -> (Vec<Host>, Vec<RequestRecord>, Vec<InterviewRecord>) {
    let hosts = store.search_hosts(&HostSearch { limit: 500, ..HostSearch::default() }).await.unwrap();
    let mut requests = BTreeMap::new();
    let mut interviews = BTreeMap::new();
    for host in &hosts {
        for request in store.requests_for(host.account_id).await.unwrap() {
            requests.insert(request.id, request);
        }
        for interview in store.interviews_for(host.account_id).await.unwrap() {
            interviews.insert(interview.id, interview);
        }
    }
    (hosts, requests.into_values().collect(), interviews.into_values().collect())
}

async fn census(store: &Arc<dyn Store>, now: Timestamp) -> Census {
    let (hosts, requests, interviews) = gather(store).await;
    let mut requests_by_status = BTreeMap::new();
    for request in &requests {
        *requests_by_status.entry(request.status.as_str()).or_insert(0) += 1;
    }
    let active = |i: &&InterviewRecord| i.status == InterviewStatus::Scheduled;
    Census {
        hosts: hosts.len(),
        industries: store.industries().await.unwrap(),
        seekers: requests.iter().map(|r| r.seeker.id.0).collect(),
        requests_by_status,
        upcoming: interviews.iter().filter(active).filter(|i| i.start > now).count(),
        past: interviews.iter().filter(active).filter(|i| i.end <= now).count(),
        cancelled: interviews.iter().filter(|i| i.status == InterviewStatus::Cancelled).count(),
    }
}

/// Whether `[start, end)` lies inside one weekly window of the policy, in the host's wall-clock time.
fn inside_a_window(policy: &HostPolicy, interview: &InterviewRecord) -> bool {
    let zone = policy.time_zone.zone().clone();
    let start = interview.start.to_zoned(zone.clone());
    let end = interview.end.to_zoned(zone);
    let weekday = Weekday::from_jiff(start.weekday());
    start.date() == end.date()
        && policy.windows_on(weekday).any(|window| window.start <= start.time() && end.time() <= window.end)
}

/// No interview outside its host's windows, closer to another than the buffer, or over a month's cap.
fn assert_bookings_follow_policies(policies: &HashMap<i64, HostPolicy>, interviews: &[InterviewRecord]) {
    let mut by_host: HashMap<i64, Vec<&InterviewRecord>> = HashMap::new();
    for interview in interviews.iter().filter(|i| i.status == InterviewStatus::Scheduled) {
        by_host.entry(interview.host.id.0).or_default().push(interview);
    }
    for (host, mut booked) in by_host {
        let policy = &policies[&host];
        booked.sort_by_key(|i| i.start);
        for interview in &booked {
            assert!(inside_a_window(policy, interview), "{} outside the windows of host {host}", interview.start);
        }
        for pair in booked.windows(2) {
            assert!(
                pair[1].start >= pair[0].end + policy.buffer(),
                "host {host}: {} and {} are closer than the buffer",
                pair[0].start,
                pair[1].start
            );
        }
        let mut per_month: BTreeMap<Timestamp, u32> = BTreeMap::new();
        for interview in &booked {
            *per_month.entry(month_bounds(&policy.time_zone, interview.start).0).or_default() += 1;
        }
        assert!(per_month.values().all(|count| *count <= policy.monthly_cap), "host {host} is over its cap");
    }
}

#[tokio::test]
async fn the_demo_is_rich_consistent_and_loads_once() {
    let dir = TempDir::new("demo");
    let store = open_store(&dir.file("demo.db")).await.unwrap();
    let now = Timestamp::now();

    let summary = load_demo(&store, now).await.unwrap();
    assert!(!summary.already_present);

    let first = census(&store, now).await;
    assert!(first.hosts >= 30, "{first:?}");
    assert!(first.industries.len() >= 8, "{first:?}");
    assert!(first.seekers.len() >= 100, "{} seekers sent requests", first.seekers.len());
    for status in RequestStatus::ALL {
        assert!(first.requests_by_status.get(status.as_str()).copied().unwrap_or(0) > 0, "no {status:?} request");
    }
    assert!(first.upcoming > 0 && first.past > 0 && first.cancelled > 0, "{first:?}");

    // The summary reports what the store holds.
    assert_eq!(summary.hosts, first.hosts);
    assert_eq!(summary.industries, first.industries.len());
    assert_eq!(summary.requests(), first.requests_by_status.values().sum::<usize>());
    assert_eq!(summary.pending, first.requests_by_status["pending"]);
    assert_eq!(summary.declined, first.requests_by_status["declined"]);
    assert_eq!(
        (summary.interviews_upcoming, summary.interviews_past, summary.interviews_cancelled),
        (first.upcoming, first.past, first.cancelled)
    );

    // Loading again finds the marker and writes nothing.
    let again = load_demo(&store, now).await.unwrap();
    assert!(again.already_present);
    assert_eq!(census(&store, now).await, first);
}

#[tokio::test]
async fn demo_bookings_follow_the_hosts_policies() {
    let dir = TempDir::new("demo-rules");
    let store = open_store(&dir.file("demo.db")).await.unwrap();
    let now = Timestamp::now();
    load_demo(&store, now).await.unwrap();
    let (hosts, requests, interviews) = gather(&store).await;
    let policies: HashMap<i64, HostPolicy> =
        hosts.iter().map(|h| (h.account_id.0, h.policy.clone().expect("every demo host has a policy"))).collect();

    // Every industry has hosts; policies vary.
    let zones: BTreeSet<&str> = policies.values().map(|p| p.time_zone.as_str()).collect();
    assert!(zones.len() >= 10, "{zones:?}");
    assert!(policies.values().any(|p| !p.accepting));
    let caps: BTreeSet<u32> = policies.values().map(|p| p.monthly_cap).collect();
    assert!(caps.first() == Some(&2) && caps.last() == Some(&8), "{caps:?}");

    assert_bookings_follow_policies(&policies, &interviews);

    // Every request is either still pending with times in the future, or settled.
    for request in &requests {
        assert!(request.created_at <= now);
        if request.status == RequestStatus::Pending {
            assert!(request.proposed_starts.iter().all(|start| *start > now));
        }
        assert!((1..=3).contains(&request.proposed_starts.len()));
        assert!(!request.purpose.is_empty());
    }

    // One host's month is booked up to the cap, and the directory says so.
    let services = Services::with_clock(store.clone(), Arc::new(FixedClock::new(now)));
    let full = services.free_slots("sofia-rossi", SlotQuery::default()).await.unwrap();
    assert!(full.month_full);
    let open = services.free_slots("maya-okafor", SlotQuery::default()).await.unwrap();
    assert!(!open.slots.is_empty());
}

#[tokio::test]
async fn the_documented_demo_logins_work() {
    let dir = TempDir::new("demo-logins");
    let store = open_store(&dir.file("demo.db")).await.unwrap();
    load_demo(&store, Timestamp::now()).await.unwrap();
    let services = Services::new(store);

    let host = services.log_in(DEMO_HOST_LOGIN, DEMO_PASSWORD).await.unwrap();
    assert!(host.roles.host);
    let inbox = services.requests(&host).await.unwrap();
    assert!(inbox.iter().filter(|r| r.status == RequestStatus::Pending).count() >= 2);

    let seeker = services.log_in(DEMO_SEEKER_LOGIN, DEMO_PASSWORD).await.unwrap();
    let mine = services.requests(&seeker).await.unwrap();
    let statuses: BTreeSet<&str> = mine.iter().map(|r| r.status.as_str()).collect();
    assert_eq!(statuses.len(), RequestStatus::ALL.len(), "{statuses:?}");
    let interviews = services.interviews(&seeker).await.unwrap();
    assert!(interviews.iter().any(|i| i.status == InterviewStatus::Cancelled));
    assert!(interviews.iter().any(|i| i.status == InterviewStatus::Scheduled && i.start > Timestamp::now()));
    assert!(interviews.iter().any(|i| i.status == InterviewStatus::Scheduled && i.end < Timestamp::now()));
    assert!(services.log_in(DEMO_SEEKER_LOGIN, "wrong-password").await.is_err());
}

#[tokio::test]
async fn the_same_moment_gives_the_same_demo() {
    let now = Timestamp::now();
    let mut shapes = Vec::new();
    for label in ["demo-a", "demo-b"] {
        let dir = TempDir::new(label);
        let store = open_store(&dir.file("demo.db")).await.unwrap();
        load_demo(&store, now).await.unwrap();
        let (_, requests, interviews) = gather(&store).await;
        let requests: Vec<_> = requests
            .into_iter()
            .map(|r| (r.host_handle.to_string(), r.seeker.email.to_string(), r.status, r.proposed_starts, r.purpose))
            .collect();
        let interviews: Vec<_> =
            interviews.into_iter().map(|i| (i.host_handle.to_string(), i.start, i.status)).collect();
        shapes.push((requests, interviews));
    }
    assert_eq!(shapes[0], shapes[1]);
}

#[tokio::test]
async fn the_demo_loads_at_awkward_moments() {
    // Month and year boundaries (caps), and the European and American DST switches (windows).
    for moment in [
        "2026-03-01T00:10:00Z",
        "2026-03-08T07:30:00Z",
        "2026-03-29T01:30:00Z",
        "2026-10-31T23:50:00Z",
        "2026-12-31T23:59:00Z",
    ] {
        let now: Timestamp = moment.parse().unwrap();
        let dir = TempDir::new("demo-moments");
        let store = open_store(&dir.file("demo.db")).await.unwrap();
        let summary = load_demo(&store, now).await.unwrap_or_else(|e| panic!("at {moment}: {e:#}"));
        let counted = census(&store, now).await;
        let (hosts, _, interviews) = gather(&store).await;
        let policies: HashMap<i64, HostPolicy> =
            hosts.iter().map(|h| (h.account_id.0, h.policy.clone().unwrap())).collect();
        assert_bookings_follow_policies(&policies, &interviews);
        for status in RequestStatus::ALL {
            assert!(counted.requests_by_status.contains_key(status.as_str()), "no {status:?} request at {moment}");
        }
        assert!(counted.upcoming > 0 && counted.past > 0 && counted.cancelled > 0, "at {moment}: {counted:?}");
        assert_eq!(summary.requests(), counted.requests_by_status.values().sum::<usize>());

        let sam = store.credentials(&coffeechat_domain::Email::parse(DEMO_SEEKER_LOGIN).unwrap()).await.unwrap();
        let sam = sam.unwrap().0;
        let statuses: BTreeSet<&str> =
            store.requests_for(sam.id).await.unwrap().iter().map(|r| r.status.as_str()).collect();
        assert_eq!(statuses.len(), RequestStatus::ALL.len(), "the featured seeker at {moment}: {statuses:?}");
    }
}
