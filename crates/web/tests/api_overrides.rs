//! Date overrides through the API: `GET|POST /api/v1/me/overrides`, `DELETE /api/v1/me/overrides/{id}`, and
//! what they do to the slots endpoint and to requests.
//!
//! The host (tests/common) is in London, on GMT in March 2026, so local times read as UTC; "now" is Monday
//! 2 March 2026, 09:00. Wednesdays and Fridays have a 07:30–08:30 window; Saturdays have none.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use axum::http::{Method, StatusCode};
use common::{TestApp, request_body};
use jiff::Timestamp;
use serde_json::{Value, json};

const HANDLE: &str = "priya-data";

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// Starts of the 30-minute slots on the London dates `from..=to`.
async fn slot_starts(app: &TestApp, from: &str, to: &str) -> Vec<String> {
    let path = format!("/api/v1/hosts/{HANDLE}/slots?from={from}&to={to}&length=30");
    let reply = app.get(&path, None).await.expect(StatusCode::OK).json();
    reply.as_array().unwrap().iter().map(|slot| slot["start"].as_str().unwrap().to_owned()).collect()
}

async fn add(app: &TestApp, token: &str, body: Value) -> common::Reply {
    app.post("/api/v1/me/overrides", Some(token), body).await
}

#[tokio::test]
async fn a_day_off_has_no_slots_until_it_is_removed() {
    let app = TestApp::new().await;
    let host = app.host(HANDLE).await;
    let wednesday = ["2026-03-04T07:30:00Z", "2026-03-04T08:00:00Z"];
    assert_eq!(slot_starts(&app, "2026-03-04", "2026-03-04").await, wednesday);

    let created = add(&app, &host, json!({"from": "2026-03-04", "to": "2026-03-04", "windows": []}))
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert!(created["id"].as_i64().is_some());
    assert_eq!((created["from"].as_str(), created["to"].as_str()), (Some("2026-03-04"), Some("2026-03-04")));
    assert_eq!(created["windows"], json!([]));

    assert!(slot_starts(&app, "2026-03-04", "2026-03-04").await.is_empty(), "Wednesday is off");
    assert_eq!(
        slot_starts(&app, "2026-03-06", "2026-03-06").await,
        ["2026-03-06T07:30:00Z", "2026-03-06T08:00:00Z"],
        "Friday is untouched"
    );
    let listed = app.get("/api/v1/me/overrides", Some(&host)).await.expect(StatusCode::OK).json();
    assert_eq!(listed, json!([created]));

    // A seeker cannot propose a time on the day off either.
    let seeker = app.seeker("sam@example.org").await;
    let refused = app.post("/api/v1/requests", Some(&seeker), request_body(HANDLE, &[ts(wednesday[0])])).await;
    let body = refused.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("proposed_starts")).json();
    assert_eq!(
        body["error"]["fields"]["proposed_starts"], "Wed 4 Mar 2026, 02:30 (America/New_York) is not a free slot",
        "named in the seeker's zone"
    );

    let path = format!("/api/v1/me/overrides/{}", created["id"]);
    let deleted = app.call(Method::DELETE, &path, Some(&host), None).await.expect(StatusCode::NO_CONTENT);
    assert!(deleted.body.is_empty());
    assert_eq!(slot_starts(&app, "2026-03-04", "2026-03-04").await, wednesday, "the weekly window is back");
    assert_eq!(app.get("/api/v1/me/overrides", Some(&host)).await.expect(StatusCode::OK).json(), json!([]));
}

#[tokio::test]
async fn other_hours_replace_the_weekly_windows_on_every_date_of_the_range() {
    let app = TestApp::new().await;
    let host = app.host(HANDLE).await;
    // Wednesday to Saturday: Saturday has no weekly window at all, yet gets these hours.
    let created = add(
        &app,
        &host,
        json!({"from": "2026-03-04", "to": "2026-03-07", "windows": [{"start": "13:00", "end": "14:00"}, {"start": "10:00", "end": "10:30"}]}),
    )
    .await
    .expect(StatusCode::CREATED)
    .json();
    assert_eq!(created["windows"], json!([{"start": "10:00", "end": "10:30"}, {"start": "13:00", "end": "14:00"}]));

    let starts = slot_starts(&app, "2026-03-04", "2026-03-09").await;
    let expected: Vec<String> = ["04", "05", "06", "07"]
        .iter()
        .flat_map(|day| ["10:00", "13:00", "13:30"].map(|time| format!("2026-03-{day}T{time}:00Z")))
        .chain(["2026-03-09T07:30:00Z".to_owned(), "2026-03-09T08:00:00Z".to_owned()])
        .collect();
    assert_eq!(starts, expected, "no 07:30 on the overridden days; Monday keeps its weekly window");
}

#[tokio::test]
async fn an_override_sharing_a_date_with_another_is_refused_naming_it() {
    let app = TestApp::new().await;
    let host = app.host(HANDLE).await;
    add(&app, &host, json!({"from": "2026-03-10", "to": "2026-03-20", "windows": []}))
        .await
        .expect(StatusCode::CREATED);

    let reply = add(&app, &host, json!({"from": "2026-03-20", "windows": [{"start": "09:00", "end": "10:00"}]})).await;
    let body = reply.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("from")).json();
    let message = body["error"]["fields"]["from"].as_str().unwrap();
    assert!(message.contains("10 Mar 2026 – 20 Mar 2026 (off)"), "{message}");

    // The day after is fine, and `to` may be left out for a single day.
    let single =
        add(&app, &host, json!({"from": "2026-03-21", "windows": []})).await.expect(StatusCode::CREATED).json();
    assert_eq!(single["to"], "2026-03-21");
    let listed = app.get("/api/v1/me/overrides", Some(&host)).await.expect(StatusCode::OK).json();
    assert_eq!(listed.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn bad_overrides_name_the_field_at_fault() {
    let app = TestApp::new().await;
    let host = app.host(HANDLE).await;
    let cases = [
        ("to", json!({"from": "2026-03-10", "to": "2026-03-09", "windows": []})),
        ("from", json!({"from": "next tuesday", "windows": []})),
        ("to", json!({"from": "2026-03-10", "to": "2026-02-30", "windows": []})),
        ("to", json!({"from": "2026-03-10", "to": "2027-06-01", "windows": []})),
        ("windows[0].end", json!({"from": "2026-03-10", "windows": [{"start": "11:00", "end": "10:00"}]})),
        (
            "windows[1].start",
            json!({"from": "2026-03-10", "windows": [{"start": "10:00", "end": "11:00"}, {"start": "10:30", "end": "12:00"}]}),
        ),
        ("windows[0].start", json!({"from": "2026-03-10", "windows": [{"start": "25:00", "end": "26:00"}]})),
        ("windows", json!({"from": "2026-03-10"})),
    ];
    for (field, body) in cases {
        let reply = add(&app, &host, body.clone()).await;
        let error = reply.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some(field)).json();
        assert!(error["error"]["fields"][field].is_string(), "{body} → {error}");
    }
    let backwards = add(&app, &host, json!({"from": "2026-03-10", "to": "2026-03-09", "windows": []})).await.json();
    assert!(backwards["error"]["fields"]["to"].as_str().unwrap().contains("before"), "{backwards}");
    assert_eq!(app.get("/api/v1/me/overrides", Some(&host)).await.json(), json!([]), "nothing was stored");
}

#[tokio::test]
async fn overrides_belong_to_their_host_alone() {
    let app = TestApp::new().await;
    let host = app.host(HANDLE).await;
    let other = app.host("leo-law").await;
    let seeker = app.seeker("sam@example.org").await;
    let created =
        add(&app, &host, json!({"from": "2026-03-10", "windows": []})).await.expect(StatusCode::CREATED).json();
    let path = format!("/api/v1/me/overrides/{}", created["id"]);

    app.call(Method::DELETE, &path, Some(&other), None).await.expect_error(StatusCode::NOT_FOUND, "not_found", None);
    assert_eq!(app.get("/api/v1/me/overrides", Some(&other)).await.expect(StatusCode::OK).json(), json!([]));
    app.call(Method::DELETE, "/api/v1/me/overrides/999999", Some(&host), None).await.expect_error(
        StatusCode::NOT_FOUND,
        "not_found",
        None,
    );
    let garbled = app.call(Method::DELETE, "/api/v1/me/overrides/not-a-number", Some(&host), None).await;
    assert!(garbled.status.is_client_error(), "{}", garbled.status);

    app.get("/api/v1/me/overrides", Some(&seeker)).await.expect_error(StatusCode::FORBIDDEN, "forbidden", None);
    add(&app, &seeker, json!({"from": "2026-03-10", "windows": []})).await.expect_error(
        StatusCode::FORBIDDEN,
        "forbidden",
        None,
    );
    app.get("/api/v1/me/overrides", None).await.expect_error(StatusCode::UNAUTHORIZED, "unauthorized", None);

    // Still there after all that.
    app.call(Method::DELETE, &path, Some(&host), None).await.expect(StatusCode::NO_CONTENT);
    app.call(Method::DELETE, &path, Some(&host), None).await.expect_error(StatusCode::NOT_FOUND, "not_found", None);
}

#[tokio::test]
async fn the_override_operations_are_documented() {
    let app = TestApp::new().await;
    let document = app.get("/api/openapi.json", None).await.expect(StatusCode::OK).json();
    let operations = coffeechat_web::api::docs::operation_list(&document);
    for operation in ["GET /api/v1/me/overrides", "POST /api/v1/me/overrides", "DELETE /api/v1/me/overrides/{id}"] {
        assert!(operations.iter().any(|listed| listed == operation), "{operation} is not documented");
    }
    for schema in ["OverrideBody", "OverrideView", "Hours"] {
        assert!(document["components"]["schemas"][schema].is_object(), "{schema} is not in the document");
    }
    let policy = &document["components"]["schemas"]["Policy"]["properties"];
    for field in [
        "daily_cap",
        "weekly_cap",
        "week_start",
        "slot_increment_minutes",
        "hold_hours",
        "count_pending",
        "reschedule_notice_hours",
    ] {
        assert!(policy[field].is_object(), "Policy.{field} is not documented");
    }
}
