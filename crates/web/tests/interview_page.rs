//! The interview page as a browser without JavaScript sees it: the times in both participants' zones (the
//! viewer's first) and the wrap-up cue, the agenda, and the aftercare forms (thanks, debrief, consent, no-show,
//! follow-up) with their refusals shown on the page; and the host's talent pool.
//!
//! The host (Priya Raman) is in Europe/London, the seeker (Sam Seeker) in America/New_York; now is Monday
//! 2 March 2026 09:00 UTC and the conversation is Tuesday 17:00–17:30 London (12:00–12:30 New York).

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use axum::http::StatusCode;
use common::browser::{Browser, html};
use common::{Reply, TestApp};
use jiff::SignedDuration;
use jiff::Timestamp;
use serde_json::json;

const HANDLE: &str = "priya-data";
const HOST_EMAIL: &str = "priya-data@example.org";
const SEEKER_EMAIL: &str = "sam@example.org";

/// An accepted conversation at the host's first free 30-minute slot: its page's path and its start.
async fn booked(app: &TestApp) -> (String, Timestamp) {
    let host = app.host(HANDLE).await;
    let seeker = app.seeker(SEEKER_EMAIL).await;
    let start = app.slots(HANDLE, 30).await[0].0;
    let request = app.request(&seeker, HANDLE, start).await;
    let accepted = app
        .post(&format!("/api/v1/requests/{request}/accept"), Some(&host), json!({"start": start.to_string()}))
        .await
        .expect(StatusCode::CREATED)
        .json();
    (format!("/interviews/{}", accepted["id"]), start)
}

fn location(reply: &Reply) -> &str {
    reply.header("location")
}

#[tokio::test]
async fn without_javascript_the_page_shows_both_zones_the_wrap_up_and_the_agenda() {
    let app = TestApp::new().await;
    let (page_path, start) = booked(&app).await;
    assert_eq!(start, "2026-03-03T17:00:00Z".parse::<Timestamp>().unwrap());

    let seeker = Browser::log_in(&app, SEEKER_EMAIL).await;
    let page = seeker.get(&page_path).await.expect(StatusCode::OK).text();
    let new_york = page.find(&html("Tue 3 Mar 2026, 12:00–12:30 (America/New_York)")).expect("the seeker's zone");
    let london = page.find(&html("Tue 3 Mar 2026, 17:00–17:30 (Europe/London)")).expect("the host's zone");
    assert!(new_york < london, "the viewer's zone comes first");
    assert!(page.contains("Your time"), "{page}");
    assert!(page.contains(&html("Priya Raman’s time")), "{page}");
    // The wrap-up cue, five minutes before the end, in both zones.
    assert!(page.contains(&html("Tue 3 Mar 2026, 12:25 (America/New_York)")), "{page}");
    assert!(page.contains(&html("Tue 3 Mar 2026, 17:25 (Europe/London)")), "{page}");
    // The clock's data for app.js.
    assert!(page.contains(r#"<time datetime="2026-03-03T17:00:00Z" data-clock-start>12:00</time>"#), "{page}");
    assert!(page.contains(r#"<time datetime="2026-03-03T17:25:00Z" data-clock-wrap-up>12:25</time>"#), "{page}");
    assert!(page.contains(r#"<time datetime="2026-03-03T17:30:00Z" data-clock-end>12:30</time>"#), "{page}");
    assert!(page.contains(r#"aria-live="polite""#));
    // The agenda: hello, the three questions time-boxed, the wrap-up.
    assert!(page.contains("Running order"), "{page}");
    assert!(page.contains("Which skills mattered most in your first year?"));
    assert!(page.contains(r#"<time class="agenda-time" datetime="2026-03-03T17:03:00Z">12:03</time>"#), "{page}");
    assert!(page.contains("8 minutes") && page.contains("7 minutes") && page.contains("5 minutes"), "{page}");
    // Nothing to thank for yet.
    assert!(!page.contains("/thanks\""), "{page}");

    // The host reads the same times with London first.
    let host = Browser::log_in(&app, HOST_EMAIL).await;
    let page = host.get(&page_path).await.expect(StatusCode::OK).text();
    let london = page.find(&html("17:00–17:30 (Europe/London)")).unwrap();
    let new_york = page.find(&html("12:00–12:30 (America/New_York)")).unwrap();
    assert!(london < new_york, "the viewer's zone comes first");
}

#[tokio::test]
async fn the_seeker_thanks_through_the_page_and_the_host_reads_it() {
    let app = TestApp::new().await;
    let (page_path, start) = booked(&app).await;
    let seeker = Browser::log_in(&app, SEEKER_EMAIL).await;
    let thanks_path = format!("{page_path}/thanks");

    // Before the end: refused on the page, with the rule's explanation.
    let reply = seeker.post(&thanks_path, &[("message", "Thank you!")]).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("This conversation has not ended yet"), "{}", reply.text());

    app.clock.set(start + SignedDuration::from_mins(40));
    let page = seeker.get(&page_path).await.expect(StatusCode::OK).text();
    assert!(page.contains(&format!(r#"action="{thanks_path}""#)), "{page}");
    assert!(!page.contains("data-meeting-clock"), "no countdown once it is over");
    let reply = seeker.post(&thanks_path, &[("message", "  ")]).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("Your note is required."), "{}", reply.text());

    let note = "Thank you, Priya — the advice on portfolios was exactly what I needed.";
    let reply = seeker.post(&thanks_path, &[("message", note)]).await.expect(StatusCode::SEE_OTHER);
    assert!(location(&reply).starts_with(&page_path));
    let page = seeker.get(&page_path).await.expect(StatusCode::OK).text();
    assert!(page.contains("Your thank-you note is on its way"), "{page}");
    assert!(page.contains(&html(note)));
    assert!(!page.contains(&format!(r#"action="{thanks_path}""#)), "one note per conversation");
    let reply = seeker.post(&thanks_path, &[("message", "Again!")]).await.expect(StatusCode::CONFLICT);
    assert!(reply.text().contains("Nothing was changed"), "{}", reply.text());

    let host = Browser::log_in(&app, HOST_EMAIL).await;
    let page = host.get(&page_path).await.expect(StatusCode::OK).text();
    assert!(page.contains("Sam Seeker thanked you"), "{page}");
    assert!(page.contains(&html(note)));
}

#[tokio::test]
async fn debrief_consent_and_the_talent_pool_through_the_pages() {
    let app = TestApp::new().await;
    let (page_path, start) = booked(&app).await;
    let host = Browser::log_in(&app, HOST_EMAIL).await;
    let seeker = Browser::log_in(&app, SEEKER_EMAIL).await;
    let debrief_path = format!("{page_path}/debrief");
    let form = [("prepared", "yes"), ("meet_again", "yes"), ("keep_in_mind", "yes"), ("refer_to", "Lena Fischer")];

    // Only the host, only after the end.
    let reply = host.post(&debrief_path, &form).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("has not ended yet"), "{}", reply.text());
    app.clock.set(start + SignedDuration::from_mins(35));
    seeker.post(&debrief_path, &form).await.expect(StatusCode::FORBIDDEN);
    let long = "x".repeat(201);
    let reply = host.post(&debrief_path, &[("refer_to", long.as_str())]).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("at most 200 characters"), "{}", reply.text());

    let reply = host.post(&debrief_path, &form).await.expect(StatusCode::SEE_OTHER);
    assert!(location(&reply).starts_with(&page_path));
    let page = host.get(&page_path).await.expect(StatusCode::OK).text();
    assert!(page.contains("Your debrief is saved"), "{page}");
    assert!(page.contains(r#"id="debrief-prepared" value="yes" checked"#), "{page}");
    assert!(page.contains(r#"value="Lena Fischer""#), "{page}");
    assert!(page.contains(&html("waiting for Sam Seeker’s answer")), "{page}");
    let pool = host.get("/talent-pool").await.expect(StatusCode::OK).text();
    assert!(pool.contains("Nobody yet"), "{pool}");

    // The seeker is asked separately, and agrees.
    let page = seeker.get(&page_path).await.expect(StatusCode::OK).text();
    assert!(page.contains("May Priya Raman keep you in mind for roles?"), "{page}");
    assert!(!page.contains("Lena Fischer"), "the host's notes stay the host's");
    let consent_path = format!("{page_path}/consent");
    seeker.post(&consent_path, &[("consent", "maybe")]).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    seeker.post(&consent_path, &[("consent", "yes")]).await.expect(StatusCode::SEE_OTHER);
    let pool = host.get("/talent-pool").await.expect(StatusCode::OK).text();
    assert!(pool.contains("Sam Seeker") && pool.contains("Lena Fischer") && pool.contains("Came prepared"), "{pool}");

    // Withdrawing takes them out; the page offers it.
    let page = seeker.get(&page_path).await.expect(StatusCode::OK).text();
    assert!(page.contains("Withdraw my consent"), "{page}");
    seeker.post(&consent_path, &[("consent", "no")]).await.expect(StatusCode::SEE_OTHER);
    let pool = host.get("/talent-pool").await.expect(StatusCode::OK).text();
    assert!(!pool.contains("Sam Seeker"), "{pool}");
    // The talent pool is a host page.
    seeker.get("/talent-pool").await.expect(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn no_show_and_follow_up_buttons() {
    let app = TestApp::new().await;
    let (page_path, start) = booked(&app).await;
    let host = Browser::log_in(&app, HOST_EMAIL).await;
    let seeker = Browser::log_in(&app, SEEKER_EMAIL).await;

    // Before the start there is no no-show button, and reporting is refused.
    let page = host.get(&page_path).await.expect(StatusCode::OK).text();
    assert!(!page.contains("did not come"), "{page}");
    let reply = host.post(&format!("{page_path}/no-show"), &[("who", "seeker")]).await;
    let reply = reply.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("once it has started"), "{}", reply.text());

    app.clock.set(start + SignedDuration::from_mins(40));
    let page = host.get(&page_path).await.expect(StatusCode::OK).text();
    assert!(page.contains("Sam Seeker did not come</button>"), "{page}");
    assert!(page.contains("Invite a follow-up"), "{page}");
    let reply = host.post(&format!("{page_path}/follow-up"), &[]).await.expect(StatusCode::SEE_OTHER);
    assert!(location(&reply).starts_with(&page_path));
    let page = host.get(&page_path).await.expect(StatusCode::OK).text();
    assert!(page.contains("You invited Sam Seeker to a follow-up"), "{page}");
    host.post(&format!("{page_path}/follow-up"), &[]).await.expect(StatusCode::CONFLICT);
    seeker.post(&format!("{page_path}/follow-up"), &[]).await.expect(StatusCode::FORBIDDEN);
    let page = seeker.get(&page_path).await.expect(StatusCode::OK).text();
    assert!(page.contains("would be glad to talk again"), "{page}");

    // The seeker reports the host; the host is not offered a second report.
    seeker.post(&format!("{page_path}/no-show"), &[("who", "seeker")]).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    seeker.post(&format!("{page_path}/no-show"), &[("who", "host")]).await.expect(StatusCode::SEE_OTHER);
    let page = host.get(&page_path).await.expect(StatusCode::OK).text();
    assert!(page.contains("You were recorded as not coming"), "{page}");
    assert!(!page.contains("did not come</button>"), "{page}");
}

#[tokio::test]
async fn the_seeker_dashboard_explains_a_missed_conversation() {
    let app = TestApp::new().await;
    let (page_path, start) = booked(&app).await;
    let host = Browser::log_in(&app, HOST_EMAIL).await;
    let seeker = Browser::log_in(&app, SEEKER_EMAIL).await;
    let dashboard = seeker.get("/dashboard").await.expect(StatusCode::OK).text();
    assert!(!dashboard.contains("no-show-notice"), "{dashboard}");

    app.clock.set(start + SignedDuration::from_mins(40));
    host.post(&format!("{page_path}/no-show"), &[("who", "seeker")]).await.expect(StatusCode::SEE_OTHER);
    let dashboard = seeker.get("/dashboard").await.expect(StatusCode::OK).text();
    assert!(dashboard.contains("One missed conversation is"), "{dashboard}");
    assert!(dashboard.contains("lowers how many requests you may have open"), "{dashboard}");
    let host_dashboard = host.get("/dashboard").await.expect(StatusCode::OK).text();
    assert!(!host_dashboard.contains("no-show-notice"), "the host is not told about the seeker's record");
}
