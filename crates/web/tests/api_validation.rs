//! Every bad input named in the issue gets a 4xx whose body names the field, never a 500 or a partial write.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{PASSWORD, TestApp, policy, request_body};
use serde_json::{Value, json};

fn with(mut base: Value, field: &str, value: Value) -> Value {
    base[field] = value;
    base
}

#[tokio::test]
async fn sign_up_rejects_malformed_emails_unknown_zones_and_taken_emails() {
    let app = TestApp::new().await;
    let valid = json!({"email": "ada@example.org", "password": PASSWORD, "name": "Ada", "roles": ["seeker"], "time_zone": "Europe/London"});
    let cases = [
        ("email", with(valid.clone(), "email", json!("ada@example"))),
        ("email", with(valid.clone(), "email", json!("not an email"))),
        ("time_zone", with(valid.clone(), "time_zone", json!("Mars/Olympus"))),
        ("password", with(valid.clone(), "password", json!("short"))),
        ("roles", with(valid.clone(), "roles", json!(["admin"]))),
        ("roles", with(valid.clone(), "roles", json!([]))),
        ("name", with(valid.clone(), "name", json!("  "))),
    ];
    for (field, body) in cases {
        app.post("/api/v1/accounts", None, body).await.expect_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            Some(field),
        );
    }
    app.post("/api/v1/accounts", None, valid.clone()).await.expect(StatusCode::CREATED);
    // Case and spaces do not make a different address.
    app.post("/api/v1/accounts", None, with(valid, "email", json!(" ADA@example.org"))).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("email"),
    );
}

#[tokio::test]
async fn unreadable_bodies_are_bad_requests_and_missing_fields_are_named() {
    let app = TestApp::new().await;
    let raw = |body: &'static str, content_type: &'static str| {
        Request::builder()
            .method(Method::POST)
            .uri("/api/v1/accounts")
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap()
    };
    app.send(raw("{\"email\": ", "application/json")).await.expect_error(StatusCode::BAD_REQUEST, "bad_request", None);
    app.send(raw("[]", "application/json")).await.expect_error(StatusCode::BAD_REQUEST, "bad_request", None);
    app.send(raw("email=a@b.org", "application/x-www-form-urlencoded")).await.expect_error(
        StatusCode::BAD_REQUEST,
        "bad_request",
        None,
    );

    // A missing field and a value of the wrong type are named like any invalid field.
    app.post(
        "/api/v1/accounts",
        None,
        json!({"email": "ada@example.org", "password": PASSWORD, "name": "Ada", "roles": ["seeker"]}),
    )
    .await
    .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("time_zone"));
    let host = app.host("priya-data").await;
    app.put("/api/v1/me/policy", Some(&host), with(policy(), "monthly_cap", json!("lots"))).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("monthly_cap"),
    );
    app.put("/api/v1/me/policy", Some(&host), with(policy(), "windows", json!([{"weekday": "mon", "start": "07:00"}])))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("windows[0].end"));

    // Too large a body is refused before it is read.
    let huge = format!("{{\"email\": \"{}\"}}", "a".repeat(coffeechat_web::BODY_LIMIT_BYTES + 1));
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/accounts")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, huge.len())
        .body(Body::from(huge))
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn policies_with_bad_zones_windows_or_caps_are_refused_and_not_stored() {
    let app = TestApp::new().await;
    let host = app.host("priya-data").await;
    let stored = app.get("/api/v1/me/policy", Some(&host)).await.expect(StatusCode::OK).json();

    let window = |weekday: &str, start: &str, end: &str| json!({"weekday": weekday, "start": start, "end": end});
    let cases = [
        ("time_zone", with(policy(), "time_zone", json!("Europe/Atlantis"))),
        ("windows[0].end", with(policy(), "windows", json!([window("mon", "09:00", "08:00")]))),
        ("windows[0].end", with(policy(), "windows", json!([window("mon", "09:00", "09:00")]))),
        (
            "windows[1].start",
            with(policy(), "windows", json!([window("mon", "07:00", "08:30"), window("mon", "08:00", "09:00")])),
        ),
        ("windows[0].weekday", with(policy(), "windows", json!([window("someday", "07:00", "08:00")]))),
        ("windows[0].start", with(policy(), "windows", json!([window("mon", "7.30", "08:00")]))),
        ("monthly_cap", with(policy(), "monthly_cap", json!(0))),
        ("monthly_cap", with(policy(), "monthly_cap", json!(101))),
        ("lengths_minutes", with(policy(), "lengths_minutes", json!([25]))),
        ("lengths_minutes", with(policy(), "lengths_minutes", json!([]))),
        ("buffer_minutes", with(policy(), "buffer_minutes", json!(-5))),
        ("horizon_days", with(policy(), "horizon_days", json!(0))),
    ];
    for (field, body) in cases {
        app.put("/api/v1/me/policy", Some(&host), body).await.expect_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            Some(field),
        );
    }
    assert_eq!(
        app.get("/api/v1/me/policy", Some(&host)).await.expect(StatusCode::OK).json(),
        stored,
        "a bad policy was written"
    );
}

#[tokio::test]
async fn profiles_need_a_valid_free_handle() {
    let app = TestApp::new().await;
    app.host("priya-data").await;
    let (_, other) = app.sign_up("omar@example.org", "Omar", &["host"], "Asia/Dubai").await;
    app.put("/api/v1/me/host-profile", Some(&other), common::host_profile("PRIYA-data")).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("handle"),
    );
    app.put("/api/v1/me/host-profile", Some(&other), common::host_profile("no spaces allowed")).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("handle"),
    );
    app.put("/api/v1/me/host-profile", Some(&other), with(common::host_profile("omar-ops"), "industry", json!("")))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("industry"));
    app.get("/api/v1/me/host-profile", Some(&other)).await.expect(StatusCode::NOT_FOUND);
    app.put("/api/v1/me/host-profile", Some(&other), common::host_profile("omar-ops")).await.expect(StatusCode::OK);
}

#[tokio::test]
async fn requests_need_a_known_host_an_offered_length_free_slots_and_a_purpose() {
    let app = TestApp::new().await;
    let host = app.host("priya-data").await;
    let seeker = app.seeker("sam@example.org").await;
    let slots = app.slots("priya-data", 30).await;
    let free = slots[0].0;
    let valid = request_body("priya-data", &[free]);

    let not_in_a_window: jiff::Timestamp = "2026-03-07T12:00:00Z".parse().unwrap(); // a Saturday
    let too_soon: jiff::Timestamp = "2026-03-02T10:00:00Z".parse().unwrap();
    let cases = [
        ("host", with(valid.clone(), "host", json!("nobody-here"))),
        ("host", with(valid.clone(), "host", json!("!!"))),
        ("length_minutes", with(valid.clone(), "length_minutes", json!(45))),
        ("length_minutes", with(valid.clone(), "length_minutes", json!(25))),
        ("proposed_starts", with(valid.clone(), "proposed_starts", json!([not_in_a_window.to_string()]))),
        ("proposed_starts", with(valid.clone(), "proposed_starts", json!([too_soon.to_string()]))),
        ("proposed_starts", with(valid.clone(), "proposed_starts", json!(["tomorrow at noon"]))),
        ("proposed_starts", with(valid.clone(), "proposed_starts", json!([]))),
        (
            "proposed_starts",
            with(
                valid.clone(),
                "proposed_starts",
                json!(slots.iter().take(4).map(|s| s.0.to_string()).collect::<Vec<_>>()),
            ),
        ),
        ("purpose", with(valid.clone(), "purpose", json!("   "))),
        ("purpose", with(valid.clone(), "purpose", Value::Null)),
    ];
    for (field, body) in cases {
        app.post("/api/v1/requests", Some(&seeker), body).await.expect_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            Some(field),
        );
    }
    assert_eq!(app.get("/api/v1/requests", Some(&seeker)).await.json(), json!([]), "a refused request was written");

    // A slot that another interview took is no longer free.
    let other = app.seeker("other@example.org").await;
    let taken = app.request(&other, "priya-data", free).await;
    app.post(&format!("/api/v1/requests/{taken}/accept"), Some(&host), json!({"start": free.to_string()}))
        .await
        .expect(StatusCode::CREATED);
    app.post("/api/v1/requests", Some(&seeker), valid).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("proposed_starts"),
    );

    // Accepting a start that was not proposed names `start`.
    let pending = app.request(&seeker, "priya-data", slots[3].0).await;
    app.post(&format!("/api/v1/requests/{pending}/accept"), Some(&host), json!({"start": slots[4].0.to_string()}))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("start"));
    app.post(&format!("/api/v1/requests/{pending}/accept"), Some(&host), json!({})).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("start"),
    );

    // A host who stops accepting gets no new requests: by default a new one joins their waitlist (202); a host
    // who declines when full refuses it (409). One open request per host: another seeker asks.
    let other = app.seeker("olu@example.org").await;
    app.put("/api/v1/me/policy", Some(&host), with(policy(), "accepting", json!(false))).await.expect(StatusCode::OK);
    let waitlisted = app.post("/api/v1/requests", Some(&other), request_body("priya-data", &[slots[5].0])).await;
    assert_eq!(waitlisted.expect(StatusCode::ACCEPTED).json()["status"], "waitlisted");
    let third = app.seeker("kim@example.org").await;
    let declining = with(with(policy(), "accepting", json!(false)), "overflow", json!("decline"));
    app.put("/api/v1/me/policy", Some(&host), declining).await.expect(StatusCode::OK);
    let refused = app.post("/api/v1/requests", Some(&third), request_body("priya-data", &[slots[5].0])).await;
    assert_eq!(refused.expect(StatusCode::CONFLICT).json()["rule"], "host_full");
}

#[tokio::test]
async fn slot_queries_name_the_bad_parameter() {
    let app = TestApp::new().await;
    app.host("priya-data").await;
    for (query, field) in [
        ("from=2026-02-30", "from"),
        ("to=next-week", "to"),
        ("from=2026-03-10&to=2026-03-01", "to"),
        ("from=2026-03-01&to=2026-12-31", "to"),
        ("length=45", "length"),
        ("length=thirty", "length"),
        ("zone=Nowhere/Land", "zone"),
    ] {
        app.get(&format!("/api/v1/hosts/priya-data/slots?{query}"), None).await.expect_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            Some(field),
        );
    }
    app.get("/api/v1/hosts/nobody-here/slots", None).await.expect_error(StatusCode::NOT_FOUND, "not_found", None);
    app.get("/api/v1/hosts/nobody-here", None).await.expect_error(StatusCode::NOT_FOUND, "not_found", None);
    // Dates read in the viewer's zone: a Tokyo viewer's "3 March" starts at 15:00 UTC on 2 March.
    let tokyo = app.get("/api/v1/hosts/priya-data/slots?from=2026-03-04&to=2026-03-04&zone=Asia/Tokyo", None).await;
    let tokyo = tokyo.expect(StatusCode::OK).json();
    for slot in tokyo.as_array().unwrap() {
        let start: jiff::Timestamp = slot["start"].as_str().unwrap().parse().unwrap();
        assert!(
            start >= "2026-03-03T15:00:00Z".parse().unwrap() && start < "2026-03-04T15:00:00Z".parse().unwrap(),
            "{slot}"
        );
    }
}
