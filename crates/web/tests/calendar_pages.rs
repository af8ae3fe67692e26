//! Rescheduling, the links from emails and the private calendar feed, through the API and the pages (without
//! JavaScript, as a browser would).

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use common::browser::Browser;
use jiff::Timestamp;
use serde_json::json;

const HANDLE: &str = "priya-data";
const HOST_LOGIN: &str = "priya-data@example.org";
const SEEKER_LOGIN: &str = "sam@example.org";

/// A host, a seeker and an interview at the host's first free 30-minute slot; returns (host token, seeker
/// token, interview id, its start, the other free starts).
async fn booked(app: &TestApp) -> (String, String, i64, Timestamp, Vec<Timestamp>) {
    let host = app.host(HANDLE).await;
    let seeker = app.seeker(SEEKER_LOGIN).await;
    let slots: Vec<Timestamp> = app.slots(HANDLE, 30).await.into_iter().map(|(start, _)| start).collect();
    let start = slots[2];
    let request = app.request(&seeker, HANDLE, start).await;
    let accepted = app
        .post(&format!("/api/v1/requests/{request}/accept"), Some(&host), json!({"start": start.to_string()}))
        .await
        .expect(StatusCode::CREATED)
        .json();
    let others = slots.into_iter().filter(|other| *other != start).collect();
    (host, seeker, accepted["id"].as_i64().unwrap(), start, others)
}

/// The path of the first `/links/…` URL after `label` in the newest email to `email`.
async fn link_in_mail(app: &TestApp, email: &str, label: &str) -> String {
    let messages = app.state.services.outbox_messages(None, 100).await.unwrap();
    let newest = messages.iter().find(|message| message.recipient_email.as_str() == email).unwrap();
    let body = &newest.body_text;
    let after = &body[body.find(label).unwrap()..];
    let start = after.find("/links/").unwrap();
    after[start..].split_whitespace().next().unwrap().to_owned()
}

#[tokio::test]
async fn the_api_moves_an_interview_to_a_free_slot_only() {
    let app = TestApp::new().await;
    let (host, seeker, id, start, others) = booked(&app).await;
    let path = format!("/api/v1/interviews/{id}/reschedule");

    let moved =
        app.post(&path, Some(&seeker), json!({"start": others[0].to_string()})).await.expect(StatusCode::OK).json();
    assert_eq!(moved["start"], others[0].to_string());
    assert_eq!(moved["status"], "scheduled");
    let ics = app.get(&format!("/api/v1/interviews/{id}/ics"), Some(&host)).await.expect(StatusCode::OK).text();
    assert!(ics.contains("SEQUENCE:1"), "{ics}");

    app.post(&path, Some(&host), json!({"start": "tomorrow"})).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("start"),
    );
    app.post(&path, Some(&host), json!({"start": "2026-03-03T03:00:00Z"})).await.expect_error(
        StatusCode::CONFLICT,
        "conflict",
        None,
    );
    let stranger = app.seeker("eve@example.org").await;
    app.post(&path, Some(&stranger), json!({"start": start.to_string()})).await.expect_error(
        StatusCode::NOT_FOUND,
        "not_found",
        None,
    );
    app.post(&path, None, json!({"start": start.to_string()})).await.expect(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_feed_url_is_stable_until_regenerated_and_dies_when_revoked() {
    let app = TestApp::new().await;
    let (_host, seeker, _id, _start, _) = booked(&app).await;

    let url = app.get("/api/v1/me/feed", Some(&seeker)).await.expect(StatusCode::OK).json()["url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:8080/feeds/") && url.ends_with(".ics"), "{url}");
    let again = app.get("/api/v1/me/feed", Some(&seeker)).await.expect(StatusCode::OK).json()["url"].clone();
    assert_eq!(again, url.as_str());
    let path = url.trim_start_matches("http://127.0.0.1:8080").to_owned();

    // No session or token needed: the URL is the credential.
    let feed = app.get(&path, None).await.expect(StatusCode::OK);
    assert_eq!(feed.header("content-type"), "text/calendar; charset=utf-8");
    assert!(feed.header("cache-control").starts_with("private"));
    let text = feed.text();
    assert!(text.contains("METHOD:PUBLISH") && text.contains("BEGIN:VEVENT") && text.contains("STATUS:CONFIRMED"));

    let fresh =
        app.post("/api/v1/me/feed", Some(&seeker), json!({})).await.expect(StatusCode::OK).json()["url"].clone();
    assert_ne!(fresh, url.as_str());
    app.get(&path, None).await.expect(StatusCode::NOT_FOUND);
    app.get("/feeds/not-a-calendar", None).await.expect(StatusCode::NOT_FOUND);

    app.call(Method::DELETE, "/api/v1/me/feed", Some(&seeker), None).await.expect(StatusCode::NO_CONTENT);
    let fresh_path = fresh.as_str().unwrap().trim_start_matches("http://127.0.0.1:8080").to_owned();
    app.get(&fresh_path, None).await.expect(StatusCode::NOT_FOUND);
    app.get("/api/v1/me/feed", None).await.expect(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_interview_page_offers_free_times_and_moves_it() {
    let app = TestApp::new().await;
    let (_host, _seeker, id, _start, others) = booked(&app).await;
    let browser = Browser::log_in(&app, SEEKER_LOGIN).await;

    let page = browser.get(&format!("/interviews/{id}")).await.expect(StatusCode::OK).text();
    assert!(page.contains("Move to another time"), "{page}");
    assert!(page.contains(&format!(r#"action="/interviews/{id}/reschedule""#)), "{page}");
    assert!(page.contains(r#"type="radio""#) && page.contains(&others[0].to_string()), "{page}");
    assert!(page.contains("Times are shown in <strong>America/New_York</strong>"), "{page}");

    let refused = browser
        .post(&format!("/interviews/{id}/reschedule"), &[("start", "2026-03-03T03:00:00Z")])
        .await
        .expect(StatusCode::CONFLICT)
        .text();
    assert!(refused.contains("Nothing was changed."), "{refused}");
    let moved = browser
        .post(&format!("/interviews/{id}/reschedule"), &[("start", &others[0].to_string())])
        .await
        .expect(StatusCode::SEE_OTHER);
    assert_eq!(moved.header("location"), format!("/interviews/{id}"));
    let page = browser.get(&format!("/interviews/{id}")).await.expect(StatusCode::OK).text();
    assert!(page.contains("Moved to"), "the flash says so: {page}");
    assert!(
        browser
            .get(&format!("/interviews/{id}/reschedule"))
            .await
            .expect(StatusCode::OK)
            .text()
            .contains("Move the conversation")
    );
}

#[tokio::test]
async fn links_from_emails_confirm_on_get_and_act_on_post_without_logging_in() {
    let app = TestApp::new().await;
    let (_host, _seeker, id, _start, others) = booked(&app).await;
    let visitor = Browser::anonymous(&app);

    // The seeker's cancel link: opening it changes nothing.
    let cancel = link_in_mail(&app, SEEKER_LOGIN, "Cancel here").await;
    let page = visitor.get(&cancel).await.expect(StatusCode::OK);
    assert_eq!(page.header("cache-control"), "no-store");
    let text = page.text();
    assert!(text.contains("Cancel your conversation with Priya Raman"), "{text}");
    assert!(text.contains("For Sam Seeker"), "{text}");
    assert!(text.contains("(America/New_York)"), "times in the link holder's zone: {text}");
    let interview = app.state.services.store().interview(coffeechat_domain::InterviewId(id)).await.unwrap().unwrap();
    assert_eq!((interview.status.as_str(), interview.ical_sequence), ("scheduled", 0));

    // The host's reschedule link moves it, and retires the seeker's cancel link.
    let reschedule = link_in_mail(&app, HOST_LOGIN, "another time").await;
    let form = visitor.get(&reschedule).await.expect(StatusCode::OK).text();
    assert!(form.contains("Move your conversation with Sam Seeker") && form.contains(r#"type="radio""#), "{form}");
    let done = visitor.post(&reschedule, &[("start", &others[0].to_string())]).await.expect(StatusCode::OK).text();
    assert!(done.contains("The conversation is moved to"), "{done}");
    let again = visitor.get(&reschedule).await.expect(StatusCode::OK).text();
    assert!(again.contains("already been used"), "{again}");
    let stale = visitor.post(&cancel, &[("reason", "Sorry")]).await.expect(StatusCode::CONFLICT).text();
    assert!(stale.contains("changed since"), "{stale}");

    // The newest email's cancel link works; a blank reason is refused first.
    let cancel = link_in_mail(&app, SEEKER_LOGIN, "Cancel here").await;
    visitor.post(&cancel, &[("reason", " ")]).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    let done = visitor.post(&cancel, &[("reason", "I found a job!")]).await.expect(StatusCode::OK).text();
    assert!(done.contains("is cancelled"), "{done}");
    visitor.get("/links/unknown-token").await.expect(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_user_can_create_copy_regenerate_and_revoke_their_feed_on_the_settings_tab() {
    let app = TestApp::new().await;
    app.seeker(SEEKER_LOGIN).await;
    let browser = Browser::log_in(&app, SEEKER_LOGIN).await;

    let page = browser.get("/settings/feed").await.expect(StatusCode::OK).text();
    assert!(page.contains(r#"href="/settings/feed" aria-current="page""#), "the tab is marked current");
    assert!(page.contains("You have no feed address yet."), "{page}");

    browser.post("/settings/feed", &[]).await.expect(StatusCode::SEE_OTHER);
    let page = browser.get("/settings/feed").await.expect(StatusCode::OK).text();
    assert!(page.contains("Your calendar feed is ready."), "{page}");
    let url = page.split("value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    assert!(url.starts_with("http://127.0.0.1:8080/feeds/"), "{url}");
    let path = url.trim_start_matches("http://127.0.0.1:8080").to_owned();
    app.get(&path, None).await.expect(StatusCode::OK);

    browser.post("/settings/feed", &[]).await.expect(StatusCode::SEE_OTHER);
    let page = browser.get("/settings/feed").await.expect(StatusCode::OK).text();
    assert!(page.contains("The old one no longer works"), "{page}");
    app.get(&path, None).await.expect(StatusCode::NOT_FOUND);

    browser.post("/settings/feed/revoke", &[]).await.expect(StatusCode::SEE_OTHER);
    let page = browser.get("/settings/feed").await.expect(StatusCode::OK).text();
    assert!(page.contains("turned off") && page.contains("You have no feed address yet."), "{page}");
}
