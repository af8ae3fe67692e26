//! Caps per day and week in the host's zone, holds of pending requests, and counting pending requests,
//! through the API: the slots endpoint, request creation and acceptance all follow them.
//!
//! "Now" is Monday 2 March 2026, 09:00 UTC. Sydney is on AEDT (UTC+11) all month; New York, the seekers'
//! zone, moves to EDT on Sunday 8 March; London, the common host's zone, stays on GMT (UTC).

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{TestApp, host_profile, policy, request_body};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};
use tower::ServiceExt;

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// Starts of the host's 30-minute slots on the dates `from..=to` read in `zone`.
async fn slot_starts(app: &TestApp, handle: &str, from: &str, to: &str, zone: &str) -> Vec<String> {
    let path = format!("/api/v1/hosts/{handle}/slots?from={from}&to={to}&length=30&zone={zone}");
    let reply = app.get(&path, None).await.expect(StatusCode::OK).json();
    reply.as_array().unwrap().iter().map(|slot| slot["start"].as_str().unwrap().to_owned()).collect()
}

/// The common London host's policy with some fields changed.
fn london_policy(changes: Value) -> Value {
    let mut policy = policy();
    for (field, value) in changes.as_object().unwrap() {
        policy[field] = value.clone();
    }
    policy
}

/// A request to `handle` for `starts`. Each comes from a seeker of its own (same zone as `_seeker`): a seeker
/// may have only one open request per host, and these tests are about the host's caps, not the seeker.
async fn request_ids(app: &TestApp, _seeker: &str, handle: &str, starts: &[&str]) -> common::Reply {
    static SEEKERS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let number = SEEKERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let seeker = app.seeker(&format!("caps-seeker-{number}@example.org")).await;
    let starts: Vec<Timestamp> = starts.iter().map(|start| ts(start)).collect();
    app.post("/api/v1/requests", Some(&seeker), request_body(handle, &starts)).await
}

async fn request(app: &TestApp, seeker: &str, handle: &str, starts: &[&str]) -> i64 {
    request_ids(app, seeker, handle, starts).await.expect(StatusCode::CREATED).json()["id"].as_i64().unwrap()
}

async fn accept(app: &TestApp, host: &str, id: i64, start: &str) -> common::Reply {
    app.post(&format!("/api/v1/requests/{id}/accept"), Some(host), json!({"start": start})).await
}

fn proposal_error(reply: common::Reply) -> String {
    let body = reply.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("proposed_starts")).json();
    body["error"]["fields"]["proposed_starts"].as_str().unwrap().to_owned()
}

/// A host in Sydney whose weeks start on Sunday: at most one conversation a day and two a week, no holds.
async fn sydney_host(app: &TestApp) -> String {
    let (_, token) = app.sign_up("noah@example.org", "Noah Tran", &["host"], "Australia/Sydney").await;
    app.put("/api/v1/me/host-profile", Some(&token), host_profile("noah-mining")).await.expect(StatusCode::OK);
    let window = |weekday: &str, start: &str, end: &str| json!({"weekday": weekday, "start": start, "end": end});
    let policy = json!({
        "time_zone": "Australia/Sydney",
        "lengths_minutes": [30],
        "windows": [
            window("sat", "09:00", "10:00"),
            window("sun", "09:00", "10:00"),
            window("sun", "13:00", "14:00"),
            window("mon", "09:00", "10:00"),
            window("tue", "09:00", "10:00"),
        ],
        "monthly_cap": 10,
        "buffer_minutes": 0,
        "min_notice_hours": 24,
        "horizon_days": 30,
        "accepting": true,
        "daily_cap": 1,
        "weekly_cap": 2,
        "week_start": "sun",
        "hold_hours": 0
    });
    let saved = app.put("/api/v1/me/policy", Some(&token), policy).await.expect(StatusCode::OK).json();
    assert_eq!((saved["daily_cap"].as_i64(), saved["weekly_cap"].as_i64()), (Some(1), Some(2)));
    assert_eq!(saved["week_start"], "sun");
    token
}

// Sydney times (AEDT, UTC+11) as instants.
const SAT_7_0900: &str = "2026-03-06T22:00:00Z";
const SAT_7_0930: &str = "2026-03-06T22:30:00Z";
const SUN_8_0900: &str = "2026-03-07T22:00:00Z"; // still Saturday in UTC
const SUN_8_0930: &str = "2026-03-07T22:30:00Z";
const SUN_8_1300: &str = "2026-03-08T02:00:00Z"; // Sunday in UTC too
const SUN_8_1330: &str = "2026-03-08T02:30:00Z";
const MON_9_0900: &str = "2026-03-08T22:00:00Z";
const MON_9_0930: &str = "2026-03-08T22:30:00Z";
const TUE_10_0900: &str = "2026-03-09T22:00:00Z";
const TUE_10_0930: &str = "2026-03-09T22:30:00Z";
const SAT_14_0900: &str = "2026-03-13T22:00:00Z";
const SAT_14_0930: &str = "2026-03-13T22:30:00Z";
const SUN_15: [&str; 4] =
    ["2026-03-14T22:00:00Z", "2026-03-14T22:30:00Z", "2026-03-15T02:00:00Z", "2026-03-15T02:30:00Z"];

async fn sydney_fortnight(app: &TestApp) -> Vec<String> {
    slot_starts(app, "noah-mining", "2026-03-07", "2026-03-15", "Australia/Sydney").await
}

#[tokio::test]
async fn daily_and_weekly_caps_count_in_the_hosts_zone_with_weeks_starting_on_sunday() {
    let app = TestApp::new().await;
    let host = sydney_host(&app).await;
    let seeker = app.seeker("sam@example.org").await;
    let mut everything = vec![SAT_7_0900, SAT_7_0930, SUN_8_0900, SUN_8_0930, SUN_8_1300, SUN_8_1330];
    everything.extend([MON_9_0900, MON_9_0930, TUE_10_0900, TUE_10_0930, SAT_14_0900, SAT_14_0930]);
    everything.extend(SUN_15);
    assert_eq!(sydney_fortnight(&app).await, everything);

    let first = request(&app, &seeker, "noah-mining", &[SUN_8_0900]).await;
    let second = request(&app, &seeker, "noah-mining", &[SUN_8_1300, SAT_7_0900]).await;
    accept(&app, &host, first, SUN_8_0900).await.expect(StatusCode::CREATED);

    // Sunday 8 March in Sydney is full, its afternoon too (already Sunday in UTC, unlike the morning).
    // Saturday 7th is another day and, since weeks start on Sunday, another week.
    let mut open = vec![SAT_7_0900, SAT_7_0930, MON_9_0900, MON_9_0930, TUE_10_0900, TUE_10_0930];
    open.extend([SAT_14_0900, SAT_14_0930]);
    open.extend(SUN_15);
    assert_eq!(sydney_fortnight(&app).await, open);
    let refused = proposal_error(request_ids(&app, &seeker, "noah-mining", &[SUN_8_1300]).await);
    assert_eq!(refused, "Sat 7 Mar 2026, 21:00 (America/New_York) is not a free slot: that day is full");

    // The host cannot accept the second request on the full day, but can at its other proposed time.
    let full = accept(&app, &host, second, SUN_8_1300).await.expect_error(StatusCode::CONFLICT, "conflict", None);
    assert_eq!(full.json()["error"]["message"], "the host's day is already full");
    accept(&app, &host, second, SAT_7_0900).await.expect(StatusCode::CREATED);

    // A Monday interview makes two in the week of Sunday 8 – Saturday 14 March (Sydney): the Sunday-morning
    // interview counts in it although it was still Saturday in UTC. The next week opens on Sunday 15th.
    let third = request(&app, &seeker, "noah-mining", &[MON_9_0900]).await;
    accept(&app, &host, third, MON_9_0900).await.expect(StatusCode::CREATED);
    assert_eq!(sydney_fortnight(&app).await, SUN_15);
    let refused = proposal_error(request_ids(&app, &seeker, "noah-mining", &[TUE_10_0900]).await);
    assert_eq!(refused, "Mon 9 Mar 2026, 18:00 (America/New_York) is not a free slot: that week is full");
}

#[tokio::test]
async fn a_pending_request_holds_its_times_from_other_seekers_for_the_hold_period() {
    let app = TestApp::new().await;
    let host = app.host("priya-data").await; // holds for 24 hours, the default
    let ada = app.seeker("ada@example.org").await;
    let bob = app.seeker("bob@example.org").await;
    let friday = ["2026-03-06T07:30:00Z", "2026-03-06T08:00:00Z"];
    let thursday = "2026-03-05T17:00:00Z";
    let fridays_slots = async || slot_starts(&app, "priya-data", "2026-03-06", "2026-03-06", "Europe/London").await;
    assert_eq!(fridays_slots().await, friday);

    let adas = request(&app, &ada, "priya-data", &[friday[0]]).await;
    // 07:30 is held; 08:00 starts within the 10-minute buffer after it.
    assert!(fridays_slots().await.is_empty());
    let held = proposal_error(request_ids(&app, &bob, "priya-data", &[friday[0]]).await);
    assert_eq!(
        held,
        "Fri 6 Mar 2026, 02:30 (America/New_York) is held for another request; please choose another time"
    );

    let sent: Timestamp = common::NOW.parse().unwrap();
    app.clock.set(sent + SignedDuration::from_mins(24 * 60 - 1));
    assert!(fridays_slots().await.is_empty(), "still held a minute before the hold ends");
    app.clock.set(sent + SignedDuration::from_hours(24));
    assert_eq!(fridays_slots().await, friday, "released after 24 hours, though still pending");

    // Bob now proposes the same time (and holds it); the host still accepts Ada there: the first accepted wins.
    let bobs = request(&app, &bob, "priya-data", &[thursday, friday[0]]).await;
    accept(&app, &host, adas, friday[0]).await.expect(StatusCode::CREATED);
    let taken = accept(&app, &host, bobs, friday[0]).await.expect_error(StatusCode::CONFLICT, "conflict", None);
    assert!(taken.json()["error"]["message"].as_str().unwrap().contains("no longer free"));
    // Bob's other proposal is still good.
    let interview = accept(&app, &host, bobs, thursday).await.expect(StatusCode::CREATED).json();
    assert_eq!(interview["start"], thursday);
}

#[tokio::test]
async fn pending_requests_fill_a_day_only_when_the_host_counts_them() {
    let app = TestApp::new().await;
    let host = app.host("priya-data").await;
    let changes = json!({"daily_cap": 1, "count_pending": true, "hold_hours": 0});
    app.put("/api/v1/me/policy", Some(&host), london_policy(changes)).await.expect(StatusCode::OK);
    let seeker = app.seeker("sam@example.org").await;
    let wednesday = ["2026-03-04T07:30:00Z", "2026-03-04T08:00:00Z"];
    let wednesdays_slots = async || slot_starts(&app, "priya-data", "2026-03-04", "2026-03-04", "Europe/London").await;

    let first = request(&app, &seeker, "priya-data", &[wednesday[0]]).await;
    assert!(wednesdays_slots().await.is_empty(), "one pending request fills a day capped at one");
    let refused = proposal_error(request_ids(&app, &seeker, "priya-data", &[wednesday[1]]).await);
    assert!(refused.ends_with("is not a free slot: that day is full"), "{refused}");

    let changes = json!({"daily_cap": 1, "count_pending": false, "hold_hours": 0});
    app.put("/api/v1/me/policy", Some(&host), london_policy(changes)).await.expect(StatusCode::OK);
    assert_eq!(wednesdays_slots().await, wednesday, "not counted (and not held): the day is open");
    let second = request(&app, &seeker, "priya-data", &[wednesday[1]]).await;

    // Counting again, the day now has two pending requests; neither stops the host accepting the other.
    let changes = json!({"daily_cap": 1, "count_pending": true, "hold_hours": 0});
    app.put("/api/v1/me/policy", Some(&host), london_policy(changes)).await.expect(StatusCode::OK);
    accept(&app, &host, second, wednesday[1]).await.expect(StatusCode::CREATED);
    let full = accept(&app, &host, first, wednesday[0]).await.expect_error(StatusCode::CONFLICT, "conflict", None);
    assert_eq!(full.json()["error"]["message"], "the host's day is already full");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_acceptances_across_a_daily_cap_of_two_book_exactly_two() {
    let app = TestApp::new().await;
    let host = app.host("priya-data").await;
    let changes = json!({
        "windows": [{"weekday": "wed", "start": "00:00", "end": "23:30"}],
        "daily_cap": 2,
        "buffer_minutes": 0,
        "hold_hours": 0,
        "monthly_cap": 100
    });
    app.put("/api/v1/me/policy", Some(&host), london_policy(changes)).await.expect(StatusCode::OK);
    let seeker = app.seeker("sam@example.org").await;
    let first_start: Timestamp = "2026-03-04T00:00:00Z".parse().unwrap();
    let mut acceptances = Vec::new();
    for n in 0..20 {
        // Separate half hours of Wednesday, so only the daily cap can refuse.
        let start = (first_start + SignedDuration::from_mins(30 * n)).to_string();
        let id = request(&app, &seeker, "priya-data", &[&start]).await;
        acceptances.push((id, start));
    }

    let tasks: Vec<_> = acceptances
        .into_iter()
        .map(|(id, start)| {
            let router = app.router.clone();
            let request = Request::post(format!("/api/v1/requests/{id}/accept"))
                .header(header::AUTHORIZATION, format!("Bearer {host}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(json!({"start": start}).to_string()))
                .unwrap();
            tokio::spawn(async move { router.oneshot(request).await.unwrap().status() })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|status| **status == StatusCode::CREATED).count(), 2, "{statuses:?}");
    assert!(
        statuses.iter().all(|status| matches!(*status, StatusCode::CREATED | StatusCode::CONFLICT)),
        "{statuses:?}"
    );

    let interviews = app.get("/api/v1/interviews", Some(&host)).await.expect(StatusCode::OK).json();
    assert_eq!(interviews.as_array().unwrap().len(), 2);
    let requests = app.get("/api/v1/requests", Some(&host)).await.expect(StatusCode::OK).json();
    let pending = requests.as_array().unwrap().iter().filter(|request| request["status"] == "pending").count();
    assert_eq!(pending, 18, "the refused acceptances left their requests pending");
}
