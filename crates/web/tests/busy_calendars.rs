//! Busy calendars over HTTP: `/api/v1/me/busy-calendars` (uploads, feeds, listing, removal) and their effect on
//! `/api/v1/hosts/{handle}/slots`, and the settings page `/settings/calendars` driven like a browser without
//! JavaScript (url-encoded and multipart forms).

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use coffeechat_service::BusyFeedSettings;
use coffeechat_web::AppState;
use common::browser::{Browser, unescape};
use common::{Reply, TestApp};
use jiff::Timestamp;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Tuesday 3 March 2026, 17:30–17:45 in London (GMT, so also UTC): inside the test host's 17:00–18:00 window.
const TUESDAY_EVENING: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nX-WR-CALNAME:Evening class\r\n\
BEGIN:VEVENT\r\nUID:class@example.org\r\nDTSTART;TZID=Europe/London:20260303T173000\r\n\
DTEND;TZID=Europe/London:20260303T174500\r\nSUMMARY:Evening class\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// A raw API call with any body and content type.
async fn call(app: &TestApp, method: Method, path: &str, token: &str, content_type: &str, body: &str) -> Reply {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body.to_owned()))
        .unwrap();
    app.send(request).await
}

/// Starts of the host's free slots of `length` minutes on Tuesday 3 March, as `HH:MM` (UTC = London in March).
async fn tuesday(app: &TestApp, length: u32) -> Vec<String> {
    let reply = app
        .get(&format!("/api/v1/hosts/priya-data/slots?from=2026-03-03&to=2026-03-03&length={length}"), None)
        .await
        .expect(StatusCode::OK);
    reply.json().as_array().unwrap().iter().map(|slot| slot["start"].as_str().unwrap()[11..16].to_owned()).collect()
}

/// The application with feeds allowed on loopback (the test's own HTTP server) and fetches limited to 2 s.
fn with_loopback_feeds(mut app: TestApp) -> TestApp {
    let settings = BusyFeedSettings { allow_loopback: true, timeout: Duration::from_secs(2) };
    let services = app.state.services.clone().with_busy_feed_settings(settings);
    app.state = AppState::new(services, (*app.state.config).clone());
    app.router = coffeechat_web::app(app.state.clone());
    app
}

/// Serves `body` as a calendar to every request on 127.0.0.1 until the test ends.
async fn serve_calendar(body: &'static str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buffer = [0u8; 4096];
                let _ = socket.read(&mut buffer).await;
                let response = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    format!("http://{address}/calendar.ics")
}

#[tokio::test]
async fn an_uploaded_busy_block_removes_the_overlapping_slots_buffers_included() {
    let app = TestApp::new().await;
    let host = app.host("priya-data").await;
    // The test policy: Tuesday 07:30–08:30 and 17:00–18:00 in London, a 10-minute buffer, 24 hours' notice.
    assert_eq!(tuesday(&app, 20).await, ["17:00", "17:20", "17:40"]);
    assert_eq!(tuesday(&app, 30).await, ["17:00", "17:30"]);

    let created =
        call(&app, Method::POST, "/api/v1/me/busy-calendars", &host, "text/calendar; charset=utf-8", TUESDAY_EVENING)
            .await
            .expect(StatusCode::CREATED);
    let calendar = created.json();
    let id = calendar["id"].as_i64().unwrap();
    assert_eq!(created.header("location"), format!("/api/v1/me/busy-calendars/{id}"));
    assert_eq!(calendar["kind"], "upload");
    assert_eq!(calendar["name"], "Evening class");
    assert_eq!(calendar["status"], "ok");
    assert_eq!(calendar["blocks"], 1);
    assert!(calendar["url"].is_null() && calendar["last_error"].is_null());
    assert_eq!(calendar["last_fetched_at"], "2026-03-02T09:00:00Z");

    // Busy 17:30–17:45, widened by the buffer to 17:20–17:55: 17:00–17:20 only touches it and stays; 17:40–18:00
    // does not overlap the class itself but is inside the buffer, so it goes too.
    assert_eq!(tuesday(&app, 20).await, ["17:00"]);
    assert!(tuesday(&app, 30).await.is_empty(), "17:00–17:30 overlaps the buffer before 17:30");
    // The morning window is untouched, and a request for a blocked time is refused.
    let morning = app.get("/api/v1/hosts/priya-data/slots?from=2026-03-04&to=2026-03-04&length=30", None).await;
    assert_eq!(morning.expect(StatusCode::OK).json().as_array().unwrap().len(), 2);
    let seeker = app.seeker("sam@example.org").await;
    let blocked = common::request_body("priya-data", &[ts("2026-03-03T17:30:00Z")]);
    let refused = app.post("/api/v1/requests", Some(&seeker), blocked).await;
    assert!(refused.status.is_client_error(), "{}", refused.text());

    let listed = app.get("/api/v1/me/busy-calendars", Some(&host)).await.expect(StatusCode::OK).json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["id"], id);
    let one = app.get(&format!("/api/v1/me/busy-calendars/{id}"), Some(&host)).await.expect(StatusCode::OK).json();
    assert_eq!(one, listed[0]);
    let refreshed =
        call(&app, Method::POST, &format!("/api/v1/me/busy-calendars/{id}/refresh"), &host, "application/json", "")
            .await
            .expect(StatusCode::OK)
            .json();
    assert_eq!((refreshed["status"].as_str(), refreshed["blocks"].as_u64()), (Some("ok"), Some(1)));
    // Another host sees nothing of it.
    let other = app.host("omar-bank").await;
    app.get(&format!("/api/v1/me/busy-calendars/{id}"), Some(&other)).await.expect_error(
        StatusCode::NOT_FOUND,
        "not_found",
        None,
    );

    call(&app, Method::DELETE, &format!("/api/v1/me/busy-calendars/{id}"), &host, "application/json", "")
        .await
        .expect(StatusCode::NO_CONTENT);
    assert_eq!(tuesday(&app, 20).await, ["17:00", "17:20", "17:40"]);
    call(&app, Method::DELETE, &format!("/api/v1/me/busy-calendars/{id}"), &host, "application/json", "")
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found", None);
}

#[tokio::test]
async fn a_calendar_that_does_not_parse_is_a_422_with_the_line() {
    let app = TestApp::new().await;
    let host = app.host("priya-data").await;
    let broken = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:3 March\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let reply = call(&app, Method::POST, "/api/v1/me/busy-calendars", &host, "text/calendar", broken).await;
    let body = reply.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("calendar")).json();
    assert!(body["error"]["fields"]["calendar"].as_str().unwrap().starts_with("line 3: DTSTART"), "{body}");

    let html = "<!DOCTYPE html><html><body>Sign in</body></html>";
    let reply = call(&app, Method::POST, "/api/v1/me/busy-calendars", &host, "text/calendar", html).await;
    let body = reply.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("calendar")).json();
    assert!(body["error"]["message"].as_str().unwrap().contains("not an iCalendar file"), "{body}");

    // Nothing was stored.
    let listed = app.get("/api/v1/me/busy-calendars", Some(&host)).await.expect(StatusCode::OK).json();
    assert_eq!(listed, json!([]));
}

#[tokio::test]
async fn bad_feed_urls_are_422s_naming_url() {
    let app = TestApp::new().await;
    let host = app.host("priya-data").await;
    for url in [
        "file:///etc/passwd",
        "ftp://calendar.example.org/cal.ics",
        "http://localhost/cal.ics",
        "http://10.0.0.1/cal.ics",
        "http://[::1]:9000/cal.ics",
        // The site's own public address.
        "http://127.0.0.1:8080/api/v1/me/feed",
    ] {
        app.post("/api/v1/me/busy-calendars", Some(&host), json!({"url": url})).await.expect_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            Some("url"),
        );
    }
    app.post("/api/v1/me/busy-calendars", Some(&host), json!({"name": "no url"})).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("url"),
    );
    // Neither a calendar nor JSON.
    call(&app, Method::POST, "/api/v1/me/busy-calendars", &host, "text/plain", "hello").await.expect_error(
        StatusCode::BAD_REQUEST,
        "bad_request",
        None,
    );
}

#[tokio::test]
async fn a_feed_is_fetched_when_added_and_blocks_slots() {
    let app = with_loopback_feeds(TestApp::new().await);
    let host = app.host("priya-data").await;
    let url = serve_calendar(TUESDAY_EVENING).await;
    let created = app
        .post("/api/v1/me/busy-calendars", Some(&host), json!({"url": url, "name": "Classes"}))
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(created["kind"], "feed");
    assert_eq!(created["url"], url);
    assert_eq!(created["name"], "Classes");
    assert_eq!(created["status"], "ok");
    assert_eq!(created["blocks"], 1);
    assert_eq!(created["next_fetch_at"], "2026-03-02T09:30:00Z");
    assert_eq!(tuesday(&app, 20).await, ["17:00"]);

    // A feed whose server is gone is still listed, with its error in plain words.
    let gone = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/gone.ics", listener.local_addr().unwrap())
    };
    let failed = app
        .post("/api/v1/me/busy-calendars", Some(&host), json!({"url": gone}))
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(failed["status"], "error");
    assert!(failed["last_error"].as_str().unwrap().contains("could not connect to 127.0.0.1"), "{failed}");
    assert_eq!(tuesday(&app, 20).await, ["17:00"], "one failing feed does not free or block anything else");
}

#[tokio::test]
async fn only_hosts_have_busy_calendars() {
    let app = TestApp::new().await;
    let seeker = app.seeker("sam@example.org").await;
    app.get("/api/v1/me/busy-calendars", Some(&seeker)).await.expect_error(StatusCode::FORBIDDEN, "forbidden", None);
    app.get("/api/v1/me/busy-calendars", None).await.expect_error(StatusCode::UNAUTHORIZED, "unauthorized", None);
}

#[tokio::test]
async fn uploads_larger_than_the_ordinary_body_limit_reach_the_calendar_reader() {
    let app = TestApp::new().await;
    let host = app.host("priya-data").await;
    // 400 KiB: over the 256 KiB every other route takes, under the 1 MiB an upload may have.
    let padding = format!("X-PADDING:{}\r\n", "a".repeat(400 * 1024));
    let big = TUESDAY_EVENING.replace("VERSION:2.0\r\n", &format!("VERSION:2.0\r\n{padding}"));
    let reply = call(&app, Method::POST, "/api/v1/me/busy-calendars", &host, "text/calendar", &big).await;
    assert_eq!(reply.expect(StatusCode::CREATED).json()["blocks"], 1);

    let huge = "a".repeat(coffeechat_web::UPLOAD_BODY_LIMIT_BYTES + 1);
    let reply = call(&app, Method::POST, "/api/v1/me/busy-calendars", &host, "text/calendar", &huge).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Other routes keep the small limit.
    let json_body = format!("{{\"name\": \"{}\"}}", "a".repeat(300 * 1024));
    let reply = call(&app, Method::PUT, "/api/v1/me", &host, "application/json", &json_body).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
}

// ---------------------------------------------------------------------------------------------------------
// The settings page.

/// A multipart form post from the logged-in browser.
async fn post_multipart(browser: &Browser<'_>, path: &str, parts: &[(&str, Option<&str>, &str)]) -> Reply {
    let boundary = "----coffeechat-test-boundary";
    let mut body = String::new();
    for (name, filename, content) in parts {
        body.push_str(&format!("--{boundary}\r\n"));
        match filename {
            Some(filename) => body.push_str(&format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: text/calendar\r\n\r\n"
            )),
            None => body.push_str(&format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n")),
        }
        body.push_str(content);
        body.push_str("\r\n");
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header("sec-fetch-site", "same-origin")
        .header(header::ORIGIN, "http://127.0.0.1:8080")
        .header(header::COOKIE, browser.cookie.as_deref().unwrap())
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap();
    browser.app.send(request).await
}

#[tokio::test]
async fn the_calendars_page_uploads_lists_refreshes_and_removes() {
    let app = TestApp::new().await;
    app.host("priya-data").await;
    let browser = Browser::log_in(&app, "priya-data@example.org").await;

    let empty = browser.get("/settings/calendars").await.expect(StatusCode::OK).text();
    assert!(empty.contains("<h1>Your calendars</h1>"), "{empty}");
    assert!(empty.contains("None yet"), "{empty}");
    assert!(empty.contains(r#"href="/settings/calendars" aria-current="page""#), "the tab is marked current");
    assert!(empty.contains(r#"enctype="multipart/form-data""#));

    // A file that is not a calendar: 422, the message beside the file input.
    let refused = post_multipart(
        &browser,
        "/settings/calendars/upload",
        &[("calendar", Some("notes.ics"), "hello"), ("name", None, "Mine")],
    )
    .await
    .expect(StatusCode::UNPROCESSABLE_ENTITY)
    .text();
    let refused = unescape(&refused);
    assert!(refused.contains("This is not an iCalendar file"), "{refused}");
    assert!(refused.contains(r#"id="field-calendar-error""#), "{refused}");
    assert!(refused.contains(r#"value="Mine""#), "the typed name is kept");
    // No file chosen at all.
    let missing = post_multipart(&browser, "/settings/calendars/upload", &[("calendar", Some(""), "")]).await;
    assert!(unescape(&missing.expect(StatusCode::UNPROCESSABLE_ENTITY).text()).contains("The file is required"));

    // A good file: redirect, flash, and the calendar listed with its status and times naming the zone.
    let uploaded = post_multipart(
        &browser,
        "/settings/calendars/upload",
        &[("calendar", Some("class.ics"), TUESDAY_EVENING), ("name", None, "")],
    )
    .await
    .expect(StatusCode::SEE_OTHER);
    assert_eq!(uploaded.header("location"), "/settings/calendars");
    let page = unescape(&browser.get("/settings/calendars").await.expect(StatusCode::OK).text());
    assert!(page.contains("“Evening class” imported: 1 busy time"), "{page}");
    assert!(page.contains("Uploaded file · 1 busy time in the coming months"), "{page}");
    assert!(page.contains("Last checked Mon 2 Mar 2026, 09:00 (Europe/London)"), "{page}");
    let id: i64 = page
        .split("action=\"/settings/calendars/")
        .filter_map(|rest| rest.split_once("/refresh").and_then(|(id, _)| id.parse().ok()))
        .next()
        .unwrap_or_else(|| panic!("no refresh form in {page}"));

    // Refresh now, then remove; a second removal is a friendly note, not an error.
    browser.post(&format!("/settings/calendars/{id}/refresh"), &[]).await.expect(StatusCode::SEE_OTHER);
    let page = unescape(&browser.get("/settings/calendars").await.text());
    assert!(page.contains("imported: 1 busy time"), "{page}");
    browser.post(&format!("/settings/calendars/{id}/delete"), &[]).await.expect(StatusCode::SEE_OTHER);
    let page = unescape(&browser.get("/settings/calendars").await.text());
    assert!(page.contains("Removed. Its events no longer block your time."), "{page}");
    browser.post(&format!("/settings/calendars/{id}/delete"), &[]).await.expect(StatusCode::SEE_OTHER);
    assert!(unescape(&browser.get("/settings/calendars").await.text()).contains("already been removed"));
}

#[tokio::test]
async fn the_feed_form_explains_a_refused_address() {
    let app = TestApp::new().await;
    app.host("priya-data").await;
    let browser = Browser::log_in(&app, "priya-data@example.org").await;
    let reply = browser
        .post("/settings/calendars/feed", &[("url", "http://192.168.1.10/calendar.ics"), ("name", "Home")])
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    let page = unescape(&reply.text());
    assert!(page.contains("The feed address must not point at a private network address (192.168.1.10)"), "{page}");
    assert!(page.contains(r#"value="http://192.168.1.10/calendar.ics""#), "the typed address is kept");
    assert!(page.contains("Your feed wasn't added"), "{page}");
}
