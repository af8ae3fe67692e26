//! The host's scheduling settings as pages, without JavaScript: the "Days off & special hours" tab
//! (`/settings/overrides`) and the finer rules of the availability form (`/settings/policy`).

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use axum::http::StatusCode;
use common::TestApp;
use common::browser::Browser;

const HANDLE: &str = "priya-data";
/// The account `TestApp::host` creates.
const HOST_LOGIN: &str = "priya-data@example.org";

fn location(reply: &common::Reply) -> &str {
    reply.header("location")
}

/// Starts of the host's 30-minute slots on one London date.
async fn slots_on(app: &TestApp, date: &str) -> usize {
    let path = format!("/api/v1/hosts/{HANDLE}/slots?from={date}&to={date}&length=30");
    app.get(&path, None).await.expect(StatusCode::OK).json().as_array().unwrap().len()
}

#[tokio::test]
async fn a_host_adds_and_removes_days_off_and_special_hours() {
    let app = TestApp::new().await;
    app.host(HANDLE).await;
    let browser = Browser::log_in(&app, HOST_LOGIN).await;

    let page = browser.get("/settings/overrides").await.expect(StatusCode::OK).text();
    assert!(page.contains(r#"href="/settings/overrides" aria-current="page""#), "the tab is marked current");
    assert!(page.contains("None: your weekly windows apply every day."), "{page}");
    assert!(page.contains("Europe/London"), "the zone of the dates and hours is named");

    // A single day off: the last day left empty.
    let added = browser
        .post("/settings/overrides", &[("from", "2026-03-04"), ("to", ""), ("kind", "off")])
        .await
        .expect(StatusCode::SEE_OTHER);
    assert_eq!(location(&added), "/settings/overrides");
    assert_eq!(slots_on(&app, "2026-03-04").await, 0);
    let page = browser.get("/settings/overrides").await.expect(StatusCode::OK).text();
    assert!(page.contains("Added: 4 Mar 2026 (off)."), "{page}");
    assert!(page.contains("<td>Wed 4 Mar 2026</td>") && page.contains("<td>Off</td>"), "{page}");

    // Other hours over a range; blank rows are skipped.
    browser
        .post(
            "/settings/overrides",
            &[
                ("from", "2026-03-05"),
                ("to", "2026-03-06"),
                ("kind", "hours"),
                ("windows[0].start", ""),
                ("windows[0].end", ""),
                ("windows[1].start", "10:00"),
                ("windows[1].end", "11:00"),
            ],
        )
        .await
        .expect(StatusCode::SEE_OTHER);
    let page = browser.get("/settings/overrides").await.expect(StatusCode::OK).text();
    assert!(
        page.contains("<td>Thu 5 Mar 2026 – Fri 6 Mar 2026</td>") && page.contains("<td>10:00–11:00</td>"),
        "{page}"
    );
    assert_eq!(slots_on(&app, "2026-03-06").await, 2, "10:00 and 10:30 instead of the weekly 07:30 and 08:00");

    // Removing the day off brings the weekly window back; a second click is harmless.
    let id = page
        .split(r#"action="/settings/overrides/"#)
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap()
        .to_owned();
    let path = format!("/settings/overrides/{id}/delete");
    let removed = browser.post(&path, &[]).await.expect(StatusCode::SEE_OTHER);
    assert_eq!(location(&removed), "/settings/overrides");
    assert_eq!(slots_on(&app, "2026-03-04").await, 2);
    let page = browser.get("/settings/overrides").await.expect(StatusCode::OK).text();
    assert!(page.contains("Removed. Your weekly hours apply on those dates again."), "{page}");
    assert!(!page.contains("<td>Wed 4 Mar 2026</td>"));
    browser.post(&path, &[]).await.expect(StatusCode::SEE_OTHER);
    let page = browser.get("/settings/overrides").await.expect(StatusCode::OK).text();
    assert!(page.contains("That override had already been removed."), "{page}");
}

#[tokio::test]
async fn a_refused_override_comes_back_with_its_messages_and_the_typed_values() {
    let app = TestApp::new().await;
    app.host(HANDLE).await;
    let browser = Browser::log_in(&app, HOST_LOGIN).await;
    browser
        .post("/settings/overrides", &[("from", "2026-03-10"), ("to", "2026-03-12"), ("kind", "off")])
        .await
        .expect(StatusCode::SEE_OTHER);

    // An hours row ending before it starts: the message sits on the row the host typed it in (row 2).
    let page = browser
        .post(
            "/settings/overrides",
            &[("from", "2026-03-20"), ("kind", "hours"), ("windows[1].start", "11:00"), ("windows[1].end", "10:00")],
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY)
        .text();
    assert!(page.contains("Your override wasn&#39;t added yet") || page.contains("Your override wasn't added yet"));
    assert!(page.contains(r#"id="field-windows-1-end-error""#), "{page}");
    assert!(page.contains("The end of hours row 2 must be after the start (11:00)."), "{page}");
    assert!(page.contains(r#"value="11:00""#) && page.contains(r#"value="2026-03-20""#), "typed values are kept");
    assert!(page.contains(r#"id="kind-hours" checked"#));

    // The last day before the first.
    let page = browser
        .post("/settings/overrides", &[("from", "2026-03-20"), ("to", "2026-03-19"), ("kind", "off")])
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY)
        .text();
    assert!(page.contains("Last day must not be before the start date (2026-03-20)."), "{page}");

    // Dates that overlap the holiday: the holiday is named.
    let page = browser
        .post("/settings/overrides", &[("from", "2026-03-12"), ("kind", "off")])
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY)
        .text();
    assert!(page.contains("10 Mar 2026 – 12 Mar 2026 (off)"), "{page}");

    // "Other hours" with no hours at all.
    let page = browser
        .post("/settings/overrides", &[("from", "2026-03-25"), ("kind", "hours")])
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY)
        .text();
    assert!(page.contains(r#"id="field-windows-error""#), "{page}");
    assert_eq!(
        app.get("/api/v1/me/overrides", Some(&login_token(&app).await)).await.json().as_array().unwrap().len(),
        1
    );
}

async fn login_token(app: &TestApp) -> String {
    let reply = app
        .post("/api/v1/tokens", None, serde_json::json!({"email": HOST_LOGIN, "password": common::PASSWORD}))
        .await
        .expect(StatusCode::CREATED);
    reply.json()["token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn only_hosts_see_the_overrides_tab() {
    let app = TestApp::new().await;
    app.seeker("sam@example.org").await;
    let browser = Browser::log_in(&app, "sam@example.org").await;
    browser.get("/settings/overrides").await.expect(StatusCode::FORBIDDEN);
    browser.post("/settings/overrides", &[("from", "2026-03-10"), ("kind", "off")]).await.expect(StatusCode::FORBIDDEN);
    let visitor = Browser::anonymous(&app);
    let reply = visitor.get("/settings/overrides").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "visitors are sent to log in");
}

#[tokio::test]
async fn the_availability_form_edits_the_finer_rules_and_never_resets_them() {
    let app = TestApp::new().await;
    let token = app.host(HANDLE).await;
    let browser = Browser::log_in(&app, HOST_LOGIN).await;
    let page = browser.get("/settings/policy").await.expect(StatusCode::OK).text();
    for name in ["daily_cap", "weekly_cap", "week_start", "slot_increment_minutes", "hold_hours", "count_pending"] {
        assert!(page.contains(&format!(r#"name="{name}""#)), "{name} is on the form");
    }
    assert!(page.contains(r#"name="reschedule_notice_hours""#));

    let base = [
        ("accepting", "yes"),
        ("time_zone", "Europe/London"),
        ("lengths_minutes", "30"),
        ("windows[0].weekday", "wed"),
        ("windows[0].start", "07:30"),
        ("windows[0].end", "08:30"),
        ("monthly_cap", "6"),
        ("buffer_minutes", "0"),
        ("min_notice_hours", "24"),
        ("horizon_days", "30"),
    ];
    let mut form = base.to_vec();
    form.extend([
        ("daily_cap", "2"),
        ("weekly_cap", ""),
        ("week_start", "sun"),
        ("slot_increment_minutes", "15"),
        ("hold_hours", "12"),
        ("count_pending", "no"),
        ("count_pending", "yes"),
        ("reschedule_notice_hours", "6"),
    ]);
    browser.post("/settings/policy", &form).await.expect(StatusCode::SEE_OTHER);
    let policy = app.get("/api/v1/me/policy", Some(&token)).await.expect(StatusCode::OK).json();
    assert_eq!(policy["daily_cap"], 2);
    assert!(policy["weekly_cap"].is_null());
    assert_eq!((policy["week_start"].as_str(), policy["slot_increment_minutes"].as_i64()), (Some("sun"), Some(15)));
    assert_eq!((policy["hold_hours"].as_i64(), policy["count_pending"].as_bool()), (Some(12), Some(true)));
    assert_eq!(policy["reschedule_notice_hours"], 6);
    // Every 15 minutes: 07:30, 07:45 and 08:00 for 30 minutes.
    assert_eq!(slots_on(&app, "2026-03-04").await, 3);

    let page = browser.get("/settings/policy").await.expect(StatusCode::OK).text();
    assert!(page.contains(r#"name="daily_cap" id="field-daily-cap" value="2""#), "{page}");
    assert!(page.contains(r#"<option value="sun" selected>"#));
    assert!(page.contains(r#"<option value="15" selected>"#));
    assert!(page.contains(r#"id="field-count-pending" checked"#));

    // A form without the finer fields (from before they existed) leaves them as they are.
    browser.post("/settings/policy", &base).await.expect(StatusCode::SEE_OTHER);
    let kept = app.get("/api/v1/me/policy", Some(&token)).await.json();
    assert_eq!((kept["daily_cap"].as_i64(), kept["hold_hours"].as_i64()), (Some(2), Some(12)));
    assert_eq!((kept["count_pending"].as_bool(), kept["week_start"].as_str()), (Some(true), Some("sun")));

    // Unticking "count pending" (only the hidden "no" arrives) and emptying the daily cap.
    let mut form = base.to_vec();
    form.extend([("count_pending", "no"), ("daily_cap", ""), ("slot_increment_minutes", "")]);
    browser.post("/settings/policy", &form).await.expect(StatusCode::SEE_OTHER);
    let cleared = app.get("/api/v1/me/policy", Some(&token)).await.json();
    assert_eq!(cleared["count_pending"], false);
    assert!(cleared["daily_cap"].is_null() && cleared["slot_increment_minutes"].is_null(), "{cleared}");

    // Bad values are named beside their fields.
    let mut form = base.to_vec();
    form.extend([("daily_cap", "lots"), ("hold_hours", "500"), ("slot_increment_minutes", "7")]);
    let page = browser.post("/settings/policy", &form).await.expect(StatusCode::UNPROCESSABLE_ENTITY).text();
    assert!(page.contains("Conversations per day must be a whole number, or empty for none."), "{page}");
    assert!(page.contains("Hold must be between 0 and 168."), "{page}");
    assert!(page.contains(r#"id="field-slot-increment-minutes-error""#), "{page}");
}
