//! Quotas with graceful overflow over HTTP: a full host's waitlist (position, leaving, promotion of the first
//! in line when an interview is cancelled or a new month starts, an offer that lapses passing to the next),
//! decline mode (a kind 409 with up to three similar hosts who have time), and the expiry and half-time
//! reminder tasks, each run by two workers at once and still acting once.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use axum::http::StatusCode;
use common::browser::Browser;
use common::{TestApp, host_profile, policy, request_body};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

/// A host whose month fills with one conversation and who books 20 days ahead: one accepted interview in
/// March and nothing is free until April.
async fn small_host(app: &TestApp, handle: &str, overflow: &str) -> String {
    let (_, token) = app.sign_up(&format!("{handle}@example.org"), "Priya Raman", &["host"], "Europe/London").await;
    app.put("/api/v1/me/host-profile", Some(&token), host_profile(handle)).await.expect(StatusCode::OK);
    let mut body = policy();
    body["monthly_cap"] = json!(1);
    body["horizon_days"] = json!(20);
    body["overflow"] = json!(overflow);
    app.put("/api/v1/me/policy", Some(&token), body).await.expect(StatusCode::OK);
    token
}

/// Fills the host's month: a seeker's request, accepted. Returns the interview id.
async fn fill(app: &TestApp, host: &str, handle: &str) -> i64 {
    let seeker = app.seeker(&format!("first-{handle}@example.org")).await;
    let start = app.slots(handle, 30).await[0].0;
    let id = app.request(&seeker, handle, start).await;
    let interview = app
        .post(&format!("/api/v1/requests/{id}/accept"), Some(host), json!({"start": start.to_string()}))
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert!(app.slots(handle, 30).await.is_empty(), "the month is full");
    interview["id"].as_i64().unwrap()
}

fn no_times(handle: &str) -> Value {
    request_body(handle, &[])
}

async fn waitlisted(app: &TestApp, seeker: &str, handle: &str) -> Value {
    app.post("/api/v1/requests", Some(seeker), no_times(handle)).await.expect(StatusCode::ACCEPTED).json()
}

async fn my_entry(app: &TestApp, seeker: &str) -> Value {
    app.get("/api/v1/me/waitlist", Some(seeker)).await.expect(StatusCode::OK).json()[0].clone()
}

async fn notification_kinds(app: &TestApp, token: &str) -> Vec<String> {
    let list = app.get("/api/v1/me/notifications", Some(token)).await.expect(StatusCode::OK).json();
    list["items"].as_array().unwrap().iter().map(|item| item["kind"].as_str().unwrap().to_owned()).collect()
}

async fn mail_kinds(app: &TestApp) -> Vec<String> {
    let messages = app.state.services.store().outbox_messages(None, 500).await.unwrap();
    messages.into_iter().map(|message| message.kind).collect()
}

fn count(kinds: &[String], kind: &str) -> usize {
    kinds.iter().filter(|k| *k == kind).count()
}

#[tokio::test]
async fn a_full_host_waitlists_in_order_and_the_page_says_when_they_open() {
    let app = TestApp::new().await;
    let host = small_host(&app, "priya-data", "waitlist").await;
    fill(&app, &host, "priya-data").await;
    let bea = app.seeker("bea@example.org").await;
    let cal = app.seeker("cal@example.org").await;

    let first = waitlisted(&app, &bea, "priya-data").await;
    assert_eq!(first["status"], "waitlisted");
    assert_eq!(first["position"], 1);
    assert_eq!(first["host"]["handle"], "priya-data");
    // April 1st begins at 23:00 UTC on March 31st in London (summer time).
    assert_eq!(first["next_opening"], "2026-03-31T23:00:00Z");
    assert_eq!(waitlisted(&app, &cal, "priya-data").await["position"], 2);
    let host_view = Browser::log_in(&app, "priya-data@example.org").await;
    let dashboard = host_view.get("/dashboard").await.expect(StatusCode::OK).text();
    assert!(dashboard.contains("2 people are on your waitlist"), "the host sees the line");
    let mine = my_entry(&app, &bea).await;
    assert_eq!((mine["status"].as_str(), mine["position"].as_i64()), (Some("waiting"), Some(1)));
    assert_eq!(mine["questions"].as_array().unwrap().len(), 3, "what was prepared is kept");

    // Asking again while in line is one open request too many.
    let again = app.post("/api/v1/requests", Some(&bea), no_times("priya-data")).await;
    let body = again.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("host")).json();
    assert!(body["error"]["fields"]["host"].as_str().unwrap().contains("one_pending_per_host"));

    // The public page says the host is full and when they open; the seeker sees their place.
    let browser = Browser::log_in(&app, "cal@example.org").await;
    let page = browser.get("/h/priya-data").await.expect(StatusCode::OK).text();
    assert!(page.contains("Next opening: from Wed 1 Apr 2026 (Europe/London)"), "{page}");
    assert!(page.contains("number 2 on the waitlist"), "position shown on the host page");
    let dashboard = browser.get("/dashboard").await.expect(StatusCode::OK).text();
    assert!(dashboard.contains("Number 2 in line"), "position shown on the dashboard");

    // Leaving: the line closes up; leaving twice is a conflict, someone else's entry is not found.
    let bea_entry = mine["id"].as_i64().unwrap();
    app.call(axum::http::Method::DELETE, &format!("/api/v1/me/waitlist/{bea_entry}"), Some(&cal), None)
        .await
        .expect(StatusCode::NOT_FOUND);
    let left = app
        .call(axum::http::Method::DELETE, &format!("/api/v1/me/waitlist/{bea_entry}"), Some(&bea), None)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(left["status"], "left");
    app.call(axum::http::Method::DELETE, &format!("/api/v1/me/waitlist/{bea_entry}"), Some(&bea), None)
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(my_entry(&app, &cal).await["position"], 1);
}

#[tokio::test]
async fn a_cancelled_interview_offers_the_opening_to_the_first_in_line_and_keeps_it_for_them() {
    let app = TestApp::new().await;
    let host = small_host(&app, "priya-data", "waitlist").await;
    let interview = fill(&app, &host, "priya-data").await;
    let bea = app.seeker("bea@example.org").await;
    let cal = app.seeker("cal@example.org").await;
    waitlisted(&app, &bea, "priya-data").await;
    waitlisted(&app, &cal, "priya-data").await;
    assert_eq!(app.state.services.promote_waitlist().await.unwrap(), 0, "still full: nobody is offered");

    app.post(&format!("/api/v1/interviews/{interview}/cancel"), Some(&host), json!({"reason": "Travelling"}))
        .await
        .expect(StatusCode::OK);
    // Two workers run the task at once: one offer, to the first in line.
    let services = app.state.services.clone();
    let (one, two) = tokio::join!(services.promote_waitlist(), services.promote_waitlist());
    assert!(one.unwrap() + two.unwrap() <= 1);
    let offer = my_entry(&app, &bea).await;
    assert_eq!(offer["status"], "offered");
    assert!(offer["compose"].as_str().unwrap().starts_with("/h/priya-data/request?waitlist="));
    assert_eq!(my_entry(&app, &cal).await["status"], "waiting");
    assert_eq!(count(&notification_kinds(&app, &bea).await, "waitlist_offered"), 1);
    assert_eq!(count(&mail_kinds(&app).await, "waitlist_offered"), 1);

    // While the offer lasts the opening is Bea's: someone new who asks with a free time joins the line.
    let dan = app.seeker("dan@example.org").await;
    let start = app.slots("priya-data", 30).await[0].0;
    let behind = app.post("/api/v1/requests", Some(&dan), request_body("priya-data", &[start])).await;
    assert_eq!(behind.expect(StatusCode::ACCEPTED).json()["position"], 3);

    // The composer opens pre-filled from her entry; she sends with a time and the offer is used.
    let browser = Browser::log_in(&app, "bea@example.org").await;
    let form = browser.get(offer["compose"].as_str().unwrap()).await.expect(StatusCode::OK).text();
    assert!(form.contains("How do you keep learning now that you are established in the field?"), "pre-filled");
    let sent = app.post("/api/v1/requests", Some(&bea), request_body("priya-data", &[start])).await;
    assert_eq!(sent.expect(StatusCode::CREATED).json()["status"], "pending");
    assert_eq!(my_entry(&app, &bea).await["status"], "used");
}

#[tokio::test]
async fn an_unused_offer_passes_to_the_next_in_line() {
    let app = TestApp::new().await;
    let host = small_host(&app, "priya-data", "waitlist").await;
    let interview = fill(&app, &host, "priya-data").await;
    let bea = app.seeker("bea@example.org").await;
    let cal = app.seeker("cal@example.org").await;
    waitlisted(&app, &bea, "priya-data").await;
    waitlisted(&app, &cal, "priya-data").await;
    app.post(&format!("/api/v1/interviews/{interview}/cancel"), Some(&host), json!({"reason": "Travelling"}))
        .await
        .expect(StatusCode::OK);
    app.state.services.promote_waitlist().await.unwrap();
    assert_eq!(my_entry(&app, &bea).await["status"], "offered");

    app.clock.set(app.state.services.now() + SignedDuration::from_hours(47));
    app.state.services.promote_waitlist().await.unwrap();
    assert_eq!(my_entry(&app, &bea).await["status"], "offered", "kept for 48 hours");

    app.clock.set(app.state.services.now() + SignedDuration::from_hours(2));
    let services = app.state.services.clone();
    let (one, two) = tokio::join!(services.promote_waitlist(), services.promote_waitlist());
    assert_eq!(one.unwrap() + two.unwrap(), 1, "exactly one new offer");
    assert_eq!(my_entry(&app, &bea).await["status"], "lapsed");
    assert_eq!(my_entry(&app, &cal).await["status"], "offered");
    assert_eq!(count(&notification_kinds(&app, &bea).await, "waitlist_lapsed"), 1);
}

#[tokio::test]
async fn a_new_month_offers_the_opening() {
    let app = TestApp::new().await;
    let host = small_host(&app, "priya-data", "waitlist").await;
    fill(&app, &host, "priya-data").await;
    let bea = app.seeker("bea@example.org").await;
    waitlisted(&app, &bea, "priya-data").await;
    app.state.services.promote_waitlist().await.unwrap();
    assert_eq!(my_entry(&app, &bea).await["status"], "waiting");

    app.clock.set("2026-04-01T06:00:00Z".parse::<Timestamp>().unwrap());
    app.state.services.promote_waitlist().await.unwrap();
    assert_eq!(my_entry(&app, &bea).await["status"], "offered");
}

/// A host with the default profile (Healthcare; SQL, statistics) under another handle, with `policy_changes`.
async fn similar_host(app: &TestApp, handle: &str, policy_changes: Value) -> String {
    let (_, token) = app.sign_up(&format!("{handle}@example.org"), handle, &["host"], "Europe/London").await;
    app.put("/api/v1/me/host-profile", Some(&token), host_profile(handle)).await.expect(StatusCode::OK);
    let mut body = policy();
    for (key, value) in policy_changes.as_object().unwrap() {
        body[key] = value.clone();
    }
    app.put("/api/v1/me/policy", Some(&token), body).await.expect(StatusCode::OK);
    token
}

#[tokio::test]
async fn decline_mode_refuses_kindly_with_similar_hosts_who_have_time() {
    let app = TestApp::new().await;
    let host = small_host(&app, "priya-data", "decline").await;
    fill(&app, &host, "priya-data").await;
    for handle in ["alex-health", "bo-health", "cy-health", "di-health"] {
        similar_host(&app, handle, json!({})).await;
    }
    similar_host(&app, "paused-health", json!({"accepting": false})).await;
    let (_, builder) = app.sign_up("eli@example.org", "Eli Builder", &["host"], "Europe/London").await;
    let mut profile = host_profile("eli-builds");
    profile["industry"] = json!("Construction");
    profile["skills"] = json!(["Carpentry"]);
    profile["topics"] = json!(["Site safety"]);
    profile["headline"] = json!("Site manager");
    profile["career_path"] = json!("Apprentice, then foreman.");
    app.put("/api/v1/me/host-profile", Some(&builder), profile).await.expect(StatusCode::OK);
    app.put("/api/v1/me/policy", Some(&builder), policy()).await.expect(StatusCode::OK);

    let seeker = app.seeker("sam@example.org").await;
    let reply = app.post("/api/v1/requests", Some(&seeker), no_times("priya-data")).await.expect(StatusCode::CONFLICT);
    let body = reply.json();
    assert_eq!((body["rule"].as_str(), body["field"].as_str()), (Some("host_full"), Some("host")));
    assert!(body["error"].as_str().unwrap().contains("Thank you"), "kind: {body}");
    let suggestions = body["suggestions"].as_array().unwrap();
    assert_eq!(suggestions.len(), 3, "{body}");
    for suggestion in suggestions {
        let handle = suggestion["handle"].as_str().unwrap();
        assert!(handle.ends_with("-health") && handle != "paused-health", "{handle}");
        assert!(suggestion["next_free"].as_str().unwrap().parse::<Timestamp>().is_ok());
    }
    // Recorded for the host, never silently dropped; nothing waits in line.
    let since = "2026-01-01T00:00:00Z".parse().unwrap();
    let host_id = app.state.services.host("priya-data").await.unwrap().account_id;
    assert_eq!(app.state.services.store().declined_full_count(host_id, since).await.unwrap(), 1);
    assert!(app.state.services.store().waitlist_of_host(host_id).await.unwrap().is_empty());
    assert_eq!(my_entry(&app, &seeker).await["status"], "declined_full");
    let host_view = Browser::log_in(&app, "priya-data@example.org").await;
    let dashboard = host_view.get("/dashboard").await.expect(StatusCode::OK).text();
    assert!(dashboard.contains("1 request was refused because you were full"), "the host can count it");

    // With room again, the same request goes through.
    let mut open = policy();
    open["overflow"] = json!("decline");
    app.put("/api/v1/me/policy", Some(&host), open).await.expect(StatusCode::OK);
    let start = app.slots("priya-data", 30).await[0].0;
    app.post("/api/v1/requests", Some(&seeker), request_body("priya-data", &[start])).await.expect(StatusCode::CREATED);
}

#[tokio::test]
async fn requests_expire_with_one_half_time_reminder_whatever_the_number_of_workers() {
    let app = TestApp::new().await;
    app.host("priya-data").await;
    let seeker = app.seeker("sam@example.org").await;
    let host_token = app
        .post("/api/v1/tokens", None, json!({"email": "priya-data@example.org", "password": common::PASSWORD}))
        .await
        .expect(StatusCode::CREATED)
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let start = app.slots("priya-data", 30).await.last().unwrap().0;
    let id = app.request(&seeker, "priya-data", start).await;
    let services = app.state.services.clone();
    let sent: Timestamp = common::NOW.parse().unwrap();

    app.clock.set(sent + SignedDuration::from_hours(6 * 24));
    assert_eq!(services.remind_hosts().await.unwrap(), 0, "not half-time yet");
    app.clock.set(sent + SignedDuration::from_hours(7 * 24) + SignedDuration::from_mins(1));
    let (one, two) = tokio::join!(services.remind_hosts(), services.remind_hosts());
    assert_eq!(one.unwrap() + two.unwrap(), 1);
    assert_eq!(services.remind_hosts().await.unwrap(), 0, "once per request");
    assert_eq!(count(&mail_kinds(&app).await, "request_reminder"), 1);
    assert_eq!(count(&notification_kinds(&app, &host_token).await, "request_reminder"), 1);
    assert_eq!(services.expire_requests().await.unwrap(), 0, "not expired yet");

    app.clock.set(sent + SignedDuration::from_hours(14 * 24) + SignedDuration::from_mins(1));
    let (one, two) = tokio::join!(services.expire_requests(), services.expire_requests());
    assert_eq!(one.unwrap() + two.unwrap(), 1);
    assert_eq!(services.expire_requests().await.unwrap(), 0);
    let request = app.get(&format!("/api/v1/requests/{id}"), Some(&seeker)).await.expect(StatusCode::OK).json();
    assert_eq!(request["status"], "expired");
    assert_eq!(count(&mail_kinds(&app).await, "request_expired"), 1);
    assert_eq!(count(&notification_kinds(&app, &seeker).await, "request_expired"), 1);
}

#[tokio::test]
async fn notifications_are_listed_and_marked_read() {
    let app = TestApp::new().await;
    app.host("priya-data").await;
    let seeker = app.seeker("sam@example.org").await;
    let start = app.slots("priya-data", 30).await[0].0;
    let id = app.request(&seeker, "priya-data", start).await;
    app.post(&format!("/api/v1/requests/{id}/withdraw"), Some(&seeker), json!({})).await.expect(StatusCode::OK);
    let host = app
        .post("/api/v1/tokens", None, json!({"email": "priya-data@example.org", "password": common::PASSWORD}))
        .await
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let list = app.get("/api/v1/me/notifications", Some(&host)).await.expect(StatusCode::OK).json();
    assert_eq!(list["unread"], 2, "{list}");
    assert_eq!(list["items"][0]["kind"], "request_withdrawn");
    assert_eq!(list["items"][0]["link"], format!("/requests/{id}"));
    let first = list["items"][1]["id"].as_i64().unwrap();
    // Someone else's id changes nothing.
    let marked = app.post("/api/v1/me/notifications/read", Some(&seeker), json!({"ids": [first]})).await.json();
    assert_eq!(marked["marked"], 0);
    let marked = app.post("/api/v1/me/notifications/read", Some(&host), json!({"ids": [first]})).await.json();
    assert_eq!((marked["marked"].as_u64(), marked["unread"].as_u64()), (Some(1), Some(1)));
    let marked = app.post("/api/v1/me/notifications/read", Some(&host), json!({})).await.json();
    assert_eq!((marked["marked"].as_u64(), marked["unread"].as_u64()), (Some(1), Some(0)));

    let browser = Browser::log_in(&app, "priya-data@example.org").await;
    let page = browser.get("/notifications").await.expect(StatusCode::OK).text();
    assert!(page.contains("withdrew their request"), "{page}");
    let badge = browser.get("/notifications/badge").await.expect(StatusCode::OK).text();
    assert!(!badge.contains("unread"), "nothing unread: {badge}");
}

#[tokio::test]
async fn the_form_joins_the_waitlist_or_shows_similar_hosts_without_javascript() {
    let app = TestApp::new().await;
    let host = small_host(&app, "priya-data", "waitlist").await;
    fill(&app, &host, "priya-data").await;
    similar_host(&app, "alex-health", json!({})).await;
    app.seeker("bea@example.org").await;
    let browser = Browser::log_in(&app, "bea@example.org").await;

    let form = browser.get("/h/priya-data/request").await.expect(StatusCode::OK).text();
    assert!(form.contains("sending it puts you on the waitlist"), "{form}");
    assert!(form.contains("Join the waitlist") && !form.contains(r#"name="proposed_starts""#), "no times to pick");
    let fields = [
        ("length_minutes", "30"),
        ("purpose", "I teach maths and want to learn how you moved into data science."),
        ("topics", "Career path"),
        ("questions", "What did your first year look like?\nWhat surprised you?\nHow do you keep learning?"),
    ];
    let joined = browser.post("/h/priya-data/request", &fields).await.expect(StatusCode::SEE_OTHER);
    assert_eq!(joined.header("location"), "/h/priya-data");
    let page = browser.get("/h/priya-data").await.expect(StatusCode::OK).text();
    assert!(page.contains("number 1 on the waitlist"), "{page}");

    // Leaving from the page.
    let entry = app
        .state
        .services
        .store()
        .waitlist_of_host(app.state.services.host("priya-data").await.unwrap().account_id)
        .await
        .unwrap();
    let left = browser.post(&format!("/waitlist/{}/leave", entry[0].id), &[]).await.expect(StatusCode::SEE_OTHER);
    assert_eq!(left.header("location"), "/dashboard");

    // In decline mode the form answers 409 with the kind message and similar hosts who have time.
    let mut declining = policy();
    declining["monthly_cap"] = json!(1);
    declining["horizon_days"] = json!(20);
    declining["overflow"] = json!("decline");
    app.put("/api/v1/me/policy", Some(&host), declining).await.expect(StatusCode::OK);
    let refused = browser.post("/h/priya-data/request", &fields).await.expect(StatusCode::CONFLICT).text();
    assert!(refused.contains(r#"href="/h/alex-health""#), "{refused}");
    assert!(refused.contains("doesn&#39;t keep a waitlist") || refused.contains("not to keep a waitlist"), "{refused}");
}

#[tokio::test]
async fn the_host_api_says_whether_a_host_has_room_and_what_a_request_must_bring() {
    let app = TestApp::new().await;
    let host = small_host(&app, "priya-data", "waitlist").await;

    let open = app.get("/api/v1/hosts/priya-data", None).await.expect(StatusCode::OK).json();
    assert_eq!(open["full"], false);
    assert_eq!(open["next_opening"], Value::Null);
    assert_eq!(open["usual_response_days"], Value::Null, "a new host has no usual response time yet");
    assert_eq!(open["min_questions"], 3);
    assert_eq!(open["overflow"], "waitlist");
    assert_eq!(open["handle"], "priya-data", "the profile fields stay at the top level");

    fill(&app, &host, "priya-data").await;
    let full = app.get("/api/v1/hosts/priya-data", None).await.expect(StatusCode::OK).json();
    assert_eq!(full["full"], true);
    let opening: Timestamp = full["next_opening"].as_str().unwrap().parse().unwrap();
    assert_eq!(opening, "2026-03-31T23:00:00Z".parse::<Timestamp>().unwrap(), "1 April, midnight in London (BST)");
}
