//! A user's own account: name, time zone and roles, through `PUT /api/v1/me` and `/settings/account`.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use common::browser::{Browser, unescape};
use serde_json::json;

#[tokio::test]
async fn a_seeker_becomes_a_host_too_through_the_api() {
    let app = TestApp::new().await;
    let token = app.seeker("sam@example.org").await;
    let body = json!({"name": "Sam Lee", "time_zone": "Europe/Berlin", "roles": ["seeker", "host"]});
    let account = app.put("/api/v1/me", Some(&token), body).await.expect(StatusCode::OK).json();
    assert_eq!(account["name"], "Sam Lee");
    assert_eq!(account["time_zone"], "Europe/Berlin");
    assert_eq!(account["roles"], json!(["host", "seeker"]));
    // The new role works at once: the host profile can be written.
    app.put("/api/v1/me/host-profile", Some(&token), common::host_profile("sam-lee")).await.expect(StatusCode::OK);
    let me = app.get("/api/v1/me", Some(&token)).await.expect(StatusCode::OK).json();
    assert_eq!(me["time_zone"], "Europe/Berlin");
}

#[tokio::test]
async fn bad_account_changes_name_their_fields_and_change_nothing() {
    let app = TestApp::new().await;
    let token = app.seeker("sam@example.org").await;
    let cases = [
        (json!({"name": "Sam", "time_zone": "Mars/Olympus", "roles": ["seeker"]}), "time_zone"),
        (json!({"name": " ", "time_zone": "Europe/Berlin", "roles": ["seeker"]}), "name"),
        (json!({"name": "Sam", "time_zone": "Europe/Berlin", "roles": ["host"]}), "roles"),
        (json!({"name": "Sam", "time_zone": "Europe/Berlin", "roles": ["admin", "seeker"]}), "roles"),
    ];
    for (body, field) in cases {
        app.put("/api/v1/me", Some(&token), body).await.expect_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            Some(field),
        );
    }
    let me = app.get("/api/v1/me", Some(&token)).await.expect(StatusCode::OK).json();
    assert_eq!((me["name"].as_str(), me["time_zone"].as_str()), (Some("Sam Seeker"), Some("America/New_York")));
    app.put("/api/v1/me", None, json!({"name": "x", "time_zone": "UTC", "roles": ["seeker"]})).await.expect_error(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        None,
    );
}

#[tokio::test]
async fn the_account_page_saves_and_keeps_typed_values_when_refused() {
    let app = TestApp::new().await;
    app.seeker("sam@example.org").await;
    let browser = Browser::log_in(&app, "sam@example.org").await;
    let page = browser.get("/settings/account").await.expect(StatusCode::OK).text();
    assert!(page.contains("sam@example.org"));
    assert!(page.contains(r#"value="America/New_York" selected"#), "the current zone is selected");

    let refused = browser
        .post("/settings/account", &[("name", ""), ("time_zone", "Asia/Tokyo")])
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY)
        .text();
    assert!(unescape(&refused).contains("Name is required"), "{refused}");
    assert!(refused.contains(r#"value="Asia/Tokyo" selected"#), "the typed zone is kept");

    let saved = browser
        .post("/settings/account", &[("name", "Sam Lee"), ("time_zone", "Asia/Tokyo"), ("roles", "host")])
        .await
        .expect(StatusCode::SEE_OTHER);
    assert_eq!(saved.header("location"), "/settings/profile", "a new host goes on to set up the profile");
    let profile_page = browser.get("/settings/profile").await.expect(StatusCode::OK).text();
    assert!(unescape(&profile_page).contains("You're a host now"));
    let account = browser.get("/settings/account").await.expect(StatusCode::OK).text();
    assert!(account.contains(r#"value="Sam Lee""#));
    assert!(account.contains(r#"value="Asia/Tokyo" selected"#));
}
