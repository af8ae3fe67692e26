//! The signed-in pages, driven like a browser without JavaScript: the host's settings forms, the inbox,
//! request and interview pages with their form posts, the dashboard, and the .ics download.
//!
//! Each test runs the whole application in-process on its own temporary database with a fixed clock
//! (Monday 2 March 2026, 09:00 UTC). Accounts, profiles and requests that the pages under test do not
//! create themselves are set up through the services, so these tests depend only on the pages they check.

mod common;

use axum::http::StatusCode;
use coffeechat_domain::{DeclineReason, HostProfileInput, NewRequestInput, PolicyInput, WindowInput};
use coffeechat_service::{Account, SignUpInput, SlotQuery};
use coffeechat_web::display::format_span;
use common::browser::{Browser, html};
use common::{PASSWORD, Reply, TestApp};
use jiff::Timestamp;

fn location(reply: &Reply) -> &str {
    reply.header("location")
}

async fn account(app: &TestApp, email: &str, name: &str, roles: &[&str], zone: &str) -> Account {
    app.state
        .services
        .sign_up(SignUpInput {
            email: email.into(),
            password: PASSWORD.into(),
            name: name.into(),
            roles: roles.iter().map(|role| (*role).to_owned()).collect(),
            time_zone: zone.into(),
        })
        .await
        .expect("sign-up of a test account")
}

fn profile_input(handle: &str, name: &str) -> HostProfileInput {
    HostProfileInput {
        handle: handle.into(),
        name: name.into(),
        headline: "Charge nurse who moved into health data".into(),
        role: "Clinical data analyst".into(),
        employer: "Riverside Hospital".into(),
        industry: "Healthcare".into(),
        skills: vec!["SQL".into()],
        topics: vec!["Career path".into()],
        career_path: "Ward nurse, charge nurse, then data.".into(),
    }
}

/// Weekday evenings in Kolkata (18:00–20:00 = 12:30–14:30 UTC), 30 minutes, 24 hours' notice.
fn kolkata_policy() -> PolicyInput {
    let window = |weekday: &str| WindowInput { weekday: weekday.into(), start: "18:00".into(), end: "20:00".into() };
    PolicyInput {
        time_zone: "Asia/Kolkata".into(),
        lengths_minutes: vec![30],
        windows: ["mon", "tue", "wed", "thu", "fri"].into_iter().map(window).collect(),
        monthly_cap: 5,
        buffer_minutes: 10,
        min_notice_hours: 24,
        horizon_days: 30,
        accepting: true,
        // Several seekers here propose the same time; holds have their own tests (api_caps.rs).
        hold_hours: 0,
        ..PolicyInput::default()
    }
}

/// A host in Kolkata with a profile and a policy (Anika Rao, `anika-rao`), and a seeker in New York
/// (Tomás Reyes), who is returned.
async fn host_and_seeker(app: &TestApp) -> Account {
    let host = account(app, "anika@example.org", "Anika Rao", &["host"], "Asia/Kolkata").await;
    let services = &app.state.services;
    services.put_host_profile(&host, profile_input("anika-rao", "Anika Rao")).await.expect("host profile");
    services.put_policy(&host, kolkata_policy()).await.expect("host policy");
    account(app, "tomas@example.org", "Tomás Reyes", &["seeker"], "America/New_York").await
}

/// The host's first free 30-minute slots.
async fn free_starts(app: &TestApp, count: usize) -> Vec<Timestamp> {
    let query = SlotQuery { length_minutes: Some(30), ..SlotQuery::default() };
    let slots = app.state.services.free_slots("anika-rao", query).await.expect("free slots").slots;
    assert!(slots.len() >= count, "expected at least {count} free slots, got {}", slots.len());
    slots.iter().take(count).map(|slot| slot.start).collect()
}

async fn send_request(app: &TestApp, seeker: &Account, starts: &[Timestamp]) -> i64 {
    let input = NewRequestInput {
        host: "anika-rao".into(),
        length_minutes: 30,
        proposed_starts: starts.iter().map(ToString::to_string).collect(),
        purpose: "I am a nurse thinking about health data, and would like to hear how you made the move.".into(),
        topics: vec!["Skills and training".into()],
        questions: vec![
            "Which course helped you most?".into(),
            "What does a normal week look like?".into(),
            "How did you find your first role in health data?".into(),
        ],
    };
    app.state.services.create_request(seeker, input).await.expect("a valid request").id.0
}

fn zone(name: &str) -> coffeechat_domain::TimeZoneName {
    coffeechat_domain::TimeZoneName::parse(name).expect("a known zone")
}

fn half_hour_in(start: Timestamp, zone_name: &str) -> String {
    format_span(start, start + jiff::SignedDuration::from_mins(30), &zone(zone_name))
}

// ---------------------------------------------------------------------------------------------------------
// Settings

#[tokio::test]
async fn a_host_writes_profile_and_policy_through_the_forms() {
    let app = TestApp::new().await;
    let host = account(&app, "mei@example.org", "Mei Chen", &["host"], "Europe/London").await;
    let browser = Browser::log_in(&app, "mei@example.org").await;

    let page = browser.get("/settings/profile").await.expect(StatusCode::OK).text();
    assert!(page.contains(r#"name="handle""#) && page.contains(r#"value="Mei Chen""#), "{page}");
    assert!(page.contains("A day in the role"), "suggested topics are offered");

    let saved = browser
        .post(
            "/settings/profile",
            &[
                ("handle", "Mei-Chen"),
                ("name", "Mei Chen"),
                ("headline", "Structural engineer"),
                ("role", "Senior structural engineer"),
                ("employer", "Arup & Partners"),
                ("industry", "Construction"),
                ("skills", "steel design, site visits,"),
                ("topics", "Career path"),
                ("topics", "Industry trends"),
                ("other_topics", "Chartership, working abroad"),
                ("career_path", "Graduate scheme, then bridges."),
            ],
        )
        .await
        .expect(StatusCode::SEE_OTHER);
    assert_eq!(location(&saved), "/settings/profile");

    let profile = app.state.services.host_profile(&host).await.expect("read profile").expect("a saved profile");
    assert_eq!(profile.handle.as_str(), "mei-chen");
    assert_eq!(profile.skills, vec!["steel design", "site visits"]);
    assert_eq!(profile.topics, vec!["Career path", "Industry trends", "Chartership", "working abroad"]);

    let page = browser.get("/settings/profile").await.expect(StatusCode::OK).text();
    assert!(page.contains("Profile saved"), "the flash reports the save: {page}");
    assert!(page.contains(r#"href="/h/mei-chen""#), "links the public page");
    assert!(page.contains(r#"value="Chartership, working abroad""#), "own topics come back as typed text");
    assert!(page.contains(r#"value="Industry trends" id="topic-7" checked"#), "ticked suggestions stay ticked");

    let page = browser.get("/settings/policy").await.expect(StatusCode::OK).text();
    assert!(page.contains(r#"<option value="Europe/London" selected>"#), "starts from the account's zone");

    let saved = browser
        .post(
            "/settings/policy",
            &[
                ("accepting", "yes"),
                ("time_zone", "America/Chicago"),
                ("lengths_minutes", "15"),
                ("lengths_minutes", "45"),
                ("windows[0].weekday", "wed"),
                ("windows[0].start", "07:30"),
                ("windows[0].end", "08:30"),
                ("windows[1].weekday", "mon"),
                ("windows[1].start", "12:00"),
                ("windows[1].end", "13:00"),
                ("windows[1].remove", "yes"),
                ("windows[2].weekday", "wed"),
                ("windows[2].start", "17:00"),
                ("windows[2].end", "18:00"),
                ("windows[3].weekday", ""),
                ("windows[3].start", ""),
                ("windows[3].end", ""),
                ("monthly_cap", "6"),
                ("buffer_minutes", "15"),
                ("min_notice_hours", "48"),
                ("horizon_days", "21"),
            ],
        )
        .await
        .expect(StatusCode::SEE_OTHER);
    assert_eq!(location(&saved), "/settings/policy");

    let policy = app.state.services.policy(&host).await.expect("read policy");
    assert_eq!(policy.time_zone.as_str(), "America/Chicago");
    assert_eq!(policy.lengths.iter().map(|length| length.minutes()).collect::<Vec<_>>(), vec![15, 45]);
    let windows: Vec<String> =
        policy.windows.iter().map(|w| format!("{} {}-{}", w.weekday.as_str(), w.start_text(), w.end_text())).collect();
    assert_eq!(windows, vec!["wed 07:30-08:30", "wed 17:00-18:00"], "removed and blank rows are dropped");
    assert_eq!(
        (policy.monthly_cap, policy.buffer_minutes, policy.min_notice_hours, policy.horizon_days),
        (6, 15, 48, 21)
    );
    assert!(policy.accepting);

    let page = browser.get("/settings/policy").await.expect(StatusCode::OK).text();
    assert!(page.contains("Availability saved"), "{page}");
    assert!(page.contains(r#"name="windows[1].start" id="field-windows-1-start" value="17:00""#));
    assert!(page.contains(r#"name="windows[4].weekday""#), "three empty rows follow the saved ones");
    assert!(!page.contains(r#"name="windows[5].weekday""#));

    // Unticking "accepting" pauses the host.
    browser
        .post(
            "/settings/policy",
            &[
                ("time_zone", "America/Chicago"),
                ("lengths_minutes", "15"),
                ("monthly_cap", "6"),
                ("buffer_minutes", "15"),
                ("min_notice_hours", "48"),
                ("horizon_days", "21"),
            ],
        )
        .await
        .expect(StatusCode::SEE_OTHER);
    assert!(!app.state.services.policy(&host).await.expect("read policy").accepting);
}

#[tokio::test]
async fn a_bad_policy_comes_back_with_each_message_beside_its_field_and_the_typed_values() {
    let app = TestApp::new().await;
    let host = account(&app, "mei@example.org", "Mei Chen", &["host"], "Europe/London").await;
    let browser = Browser::log_in(&app, "mei@example.org").await;

    let reply = browser
        .post(
            "/settings/policy",
            &[
                ("accepting", "yes"),
                ("time_zone", "Europe/London"),
                ("lengths_minutes", "30"),
                ("windows[0].weekday", "mon"),
                ("windows[0].start", "07:30"),
                ("windows[0].end", "08:30"),
                ("windows[1].weekday", "tue"),
                ("windows[1].start", "09:00"),
                ("windows[1].end", "08:00"),
                ("monthly_cap", "0"),
                ("buffer_minutes", "ten"),
                ("min_notice_hours", "24"),
                ("horizon_days", "30"),
            ],
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    let page = reply.text();
    // The window that ends before it starts is marked on its own row.
    assert!(
        page.contains(r#"<p class="field-error" id="field-windows-1-end-error">The end of window 2 must be after the start (09:00).</p>"#),
        "{page}"
    );
    assert!(!page.contains("field-windows-0-end-error"), "the good row has no message");
    assert!(page.contains("Monthly limit must be between 1 and 100."));
    assert!(page.contains("Buffer must be a whole number."));
    // The error summary links to the fields.
    assert!(page.contains(r##"<a href="#field-monthly-cap">"##));
    // Everything typed is still there.
    assert!(page.contains(r#"name="windows[1].start" id="field-windows-1-start" value="09:00""#));
    assert!(page.contains(r#"name="windows[1].end" id="field-windows-1-end" value="08:00""#));
    assert!(page.contains(r#"<option value="tue" selected>"#));
    assert!(page.contains(r#"id="field-monthly-cap" value="0""#));
    assert!(page.contains(r#"id="field-buffer-minutes" value="ten""#));
    assert!(page.contains(r#"value="30" id="length-30" checked"#));
    // Nothing was saved: the host still has the starter policy.
    let policy = app.state.services.policy(&host).await.expect("read policy");
    assert_eq!(policy, coffeechat_domain::HostPolicy::starter(zone("Europe/London")));
}

#[tokio::test]
async fn a_taken_handle_is_named_and_the_profile_form_keeps_its_values() {
    let app = TestApp::new().await;
    host_and_seeker(&app).await;
    account(&app, "mei@example.org", "Mei Chen", &["host"], "Europe/London").await;
    let browser = Browser::log_in(&app, "mei@example.org").await;
    let reply = browser
        .post(
            "/settings/profile",
            &[
                ("handle", "anika-rao"),
                ("name", "Mei Chen"),
                ("role", ""),
                ("industry", "Construction"),
                ("topics", "Benefits"),
                ("career_path", "Bridges <and> tunnels"),
            ],
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    let page = reply.text();
    assert!(page.contains("Handle is already taken.") || page.contains("Current role is required."), "{page}");
    assert!(page.contains(r#"id="field-handle" value="anika-rao""#));
    assert!(page.contains("Bridges &#60;and&#62; tunnels</textarea>"), "typed text is kept, escaped");
    assert!(page.contains(r#"value="Benefits" id="topic-5" checked"#));

    // Once the role is filled in, the only problem left is the handle.
    let reply = browser
        .post(
            "/settings/profile",
            &[("handle", "anika-rao"), ("name", "Mei Chen"), ("role", "Engineer"), ("industry", "Construction")],
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("Handle is already taken."), "{}", reply.text());
}

#[tokio::test]
async fn people_who_do_not_host_get_a_page_about_hosting() {
    let app = TestApp::new().await;
    host_and_seeker(&app).await;
    let browser = Browser::log_in(&app, "tomas@example.org").await;
    for path in ["/inbox", "/settings/profile", "/settings/policy"] {
        let reply = browser.get(path).await.expect(StatusCode::FORBIDDEN);
        assert!(reply.text().contains("This part is for hosts"), "{path}: {}", reply.text());
    }
    let reply = browser.post("/settings/policy", &[("monthly_cap", "3")]).await.expect(StatusCode::FORBIDDEN);
    assert!(reply.text().contains("This part is for hosts"));
}

#[tokio::test]
async fn visitors_are_sent_to_log_in() {
    let app = TestApp::new().await;
    for path in ["/dashboard", "/inbox", "/requests/1", "/interviews/1/ics", "/settings/policy"] {
        let reply = Browser::anonymous(&app).get(path).await.expect(StatusCode::SEE_OTHER);
        assert!(location(&reply).starts_with("/login?next="), "{path}: {}", location(&reply));
    }
}

// ---------------------------------------------------------------------------------------------------------
// Inbox, requests and interviews

#[tokio::test]
async fn the_inbox_shows_a_pending_request_with_its_slots_in_the_hosts_zone() {
    let app = TestApp::new().await;
    let seeker = host_and_seeker(&app).await;
    let starts = free_starts(&app, 2).await;
    let id = send_request(&app, &seeker, &starts).await;

    let host = Browser::log_in(&app, "anika@example.org").await;
    let page = host.get("/inbox").await.expect(StatusCode::OK).text();
    assert!(page.contains("Tomás Reyes"), "{page}");
    assert!(page.contains("how you made the move"));
    assert!(page.contains("Which course helped you most?") && page.contains("Skills and training"));
    for start in &starts {
        // e.g. "Tue 3 Mar 2026, 18:00–18:30 (Asia/Kolkata)", as a choice of the accept form.
        let label = half_hour_in(*start, "Asia/Kolkata");
        assert!(page.contains(&label), "{label} missing from {page}");
        assert!(page.contains(&format!(r#"name="start" value="{start}""#)));
    }
    assert!(page.contains(&format!(r#"action="/requests/{id}/accept""#)));
    assert!(page.contains(&format!(r#"action="/requests/{id}/decline""#)));
    for reason in DeclineReason::ALL {
        assert!(page.contains(&format!(r#"<option value="{}">{}</option>"#, reason.as_str(), html(reason.label()))));
    }

    // The seeker sees the same request in New York time, with a withdraw button and no accept form.
    let seeker_browser = Browser::log_in(&app, "tomas@example.org").await;
    let page = seeker_browser.get(&format!("/requests/{id}")).await.expect(StatusCode::OK).text();
    assert!(page.contains(&half_hour_in(starts[0], "America/New_York")), "{page}");
    assert!(page.contains(&format!(r#"action="/requests/{id}/withdraw""#)));
    assert!(!page.contains(&format!(r#"action="/requests/{id}/accept""#)));
}

#[tokio::test]
async fn accepting_through_the_form_books_the_interview_for_both() {
    let app = TestApp::new().await;
    let seeker = host_and_seeker(&app).await;
    let starts = free_starts(&app, 2).await;
    let id = send_request(&app, &seeker, &starts).await;
    let chosen = starts[1].to_string();

    let host = Browser::log_in(&app, "anika@example.org").await;
    let reply = host
        .post(&format!("/requests/{id}/accept"), &[("start", &chosen), ("from", "inbox")])
        .await
        .expect(StatusCode::SEE_OTHER);
    let interview_path = location(&reply).to_owned();
    assert!(interview_path.starts_with("/interviews/"), "{interview_path}");

    let page = host.get(&interview_path).await.expect(StatusCode::OK).text();
    assert!(page.contains("You accepted Tomás Reyes"), "flash: {page}");
    assert!(page.contains(&html(&half_hour_in(starts[1], "Asia/Kolkata"))));
    assert!(page.contains(&html(&half_hour_in(starts[1], "America/New_York"))), "both zones are shown");
    assert!(page.contains(&format!(r#"href="{interview_path}/ics""#)));

    let host_dashboard = host.get("/dashboard").await.expect(StatusCode::OK).text();
    assert!(
        host_dashboard.contains("Tomás Reyes") && host_dashboard.contains(&half_hour_in(starts[1], "Asia/Kolkata"))
    );
    assert!(host_dashboard.contains(&format!(r#"href="{interview_path}""#)));

    let seeker_browser = Browser::log_in(&app, "tomas@example.org").await;
    let seeker_dashboard = seeker_browser.get("/dashboard").await.expect(StatusCode::OK).text();
    assert!(seeker_dashboard.contains("Anika Rao"));
    assert!(seeker_dashboard.contains(&half_hour_in(starts[1], "America/New_York")), "{seeker_dashboard}");
    assert!(seeker_dashboard.contains(&format!(r#"href="{interview_path}/ics""#)));

    // The inbox no longer lists it as waiting.
    let inbox = host.get("/inbox").await.expect(StatusCode::OK).text();
    assert!(inbox.contains("No requests are waiting"));
    assert!(!inbox.contains(&format!(r#"action="/requests/{id}/accept""#)));
}

#[tokio::test]
async fn a_time_taken_meanwhile_is_explained_on_the_page() {
    let app = TestApp::new().await;
    let seeker = host_and_seeker(&app).await;
    let other = account(&app, "ola@example.org", "Ola Nowak", &["seeker"], "Europe/Warsaw").await;
    let starts = free_starts(&app, 1).await;
    let first = send_request(&app, &seeker, &starts).await;
    let second = send_request(&app, &other, &starts).await;
    let start = starts[0].to_string();

    let host = Browser::log_in(&app, "anika@example.org").await;
    host.post(&format!("/requests/{first}/accept"), &[("start", &start), ("from", "inbox")])
        .await
        .expect(StatusCode::SEE_OTHER);
    let reply = host
        .post(&format!("/requests/{second}/accept"), &[("start", &start), ("from", "inbox")])
        .await
        .expect(StatusCode::CONFLICT);
    let page = reply.text();
    assert!(page.contains(r#"<p class="flash flash-error" role="alert">That time is no longer free"#), "{page}");
    assert!(page.contains("Ola Nowak") && page.contains("<h1>Inbox</h1>"), "the inbox is shown again");
    assert!(page.contains(&format!(r#"name="start" value="{start}" id="request-{second}-slot-1""#)));

    // With htmx only the card comes back, with the same message.
    let reply = host
        .htmx_post(&format!("/requests/{second}/accept"), &[("start", &start), ("from", "inbox")])
        .await
        .expect(StatusCode::CONFLICT);
    let fragment = reply.text();
    assert!(fragment.trim_start().starts_with("<article"), "{fragment}");
    assert!(fragment.contains("That time is no longer free") && !fragment.contains("<html"));

    // No choice at all is a field message, not a conflict.
    let reply = host
        .post(&format!("/requests/{second}/accept"), &[("from", "request")])
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("Choose one of the proposed times."));

    // Declining with htmx swaps in the answered card, confirming in place of a flash.
    let reply = host
        .htmx_post(&format!("/requests/{second}/decline"), &[("reason", "no_capacity"), ("from", "inbox")])
        .await
        .expect(StatusCode::OK);
    let fragment = reply.text();
    assert!(fragment.trim_start().starts_with("<article"), "{fragment}");
    assert!(fragment.contains("You declined Ola Nowak") && fragment.contains("badge-declined"), "{fragment}");
    assert!(!fragment.contains(&format!(r#"action="/requests/{second}/decline""#)), "no answer forms are left");
}

#[tokio::test]
async fn a_decline_reaches_the_seeker_as_a_kind_message() {
    let app = TestApp::new().await;
    let seeker = host_and_seeker(&app).await;
    let id = send_request(&app, &seeker, &free_starts(&app, 1).await).await;

    let host = Browser::log_in(&app, "anika@example.org").await;
    // A missing reason is named on the card, and the message typed so far is kept.
    let reply = host
        .post(
            &format!("/requests/{id}/decline"),
            &[("reason", ""), ("message", "Busy month, sorry!"), ("from", "inbox")],
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    let page = reply.text();
    assert!(page.contains(&format!(r#"id="request-{id}-reason-error""#)), "{page}");
    assert!(page.contains("Busy month, sorry!</textarea>"));

    let reply = host
        .post(
            &format!("/requests/{id}/decline"),
            &[("reason", "timing"), ("message", "Try again in April, evenings suit me best."), ("from", "inbox")],
        )
        .await
        .expect(StatusCode::SEE_OTHER);
    assert_eq!(location(&reply), "/inbox");
    let inbox = host.get("/inbox").await.expect(StatusCode::OK).text();
    assert!(inbox.contains("You declined Tomás Reyes"), "{inbox}");
    assert!(inbox.contains("Recently answered") && inbox.contains(&format!(r#"href="/requests/{id}""#)));

    let seeker_browser = Browser::log_in(&app, "tomas@example.org").await;
    let dashboard = seeker_browser.get("/dashboard").await.expect(StatusCode::OK).text();
    assert!(dashboard.contains(&html(DeclineReason::Timing.kind_message())), "{dashboard}");
    assert!(dashboard.contains("Try again in April, evenings suit me best."));
    assert!(!dashboard.contains(&format!(r#"action="/requests/{id}/withdraw""#)), "nothing left to withdraw");
}

#[tokio::test]
async fn a_seeker_withdraws_a_pending_request_from_the_dashboard() {
    let app = TestApp::new().await;
    let seeker = host_and_seeker(&app).await;
    let id = send_request(&app, &seeker, &free_starts(&app, 1).await).await;

    let browser = Browser::log_in(&app, "tomas@example.org").await;
    let dashboard = browser.get("/dashboard").await.expect(StatusCode::OK).text();
    assert!(dashboard.contains(&format!(r#"action="/requests/{id}/withdraw""#)), "{dashboard}");
    assert!(dashboard.contains("Waiting for an answer"));

    let reply =
        browser.post(&format!("/requests/{id}/withdraw"), &[("from", "dashboard")]).await.expect(StatusCode::SEE_OTHER);
    assert_eq!(location(&reply), "/dashboard");
    let dashboard = browser.get("/dashboard").await.expect(StatusCode::OK).text();
    assert!(dashboard.contains("You withdrew your request to Anika Rao."));
    assert!(dashboard.contains(r#"<span class="badge badge-withdrawn">Withdrawn</span>"#));

    // Twice is refused, and said so.
    browser.post(&format!("/requests/{id}/withdraw"), &[("from", "dashboard")]).await.expect(StatusCode::SEE_OTHER);
    let dashboard = browser.get("/dashboard").await.expect(StatusCode::OK).text();
    assert!(dashboard.contains("could not be withdrawn"), "{dashboard}");

    // The host no longer sees it as waiting.
    let host = Browser::log_in(&app, "anika@example.org").await;
    assert!(host.get("/inbox").await.expect(StatusCode::OK).text().contains("No requests are waiting"));
}

#[tokio::test]
async fn cancelling_needs_a_reason_and_the_other_side_reads_it() {
    let app = TestApp::new().await;
    let seeker = host_and_seeker(&app).await;
    let starts = free_starts(&app, 1).await;
    let id = send_request(&app, &seeker, &starts).await;
    let host = Browser::log_in(&app, "anika@example.org").await;
    let reply = host
        .post(&format!("/requests/{id}/accept"), &[("start", &starts[0].to_string())])
        .await
        .expect(StatusCode::SEE_OTHER);
    let interview_path = location(&reply).to_owned();

    let seeker_browser = Browser::log_in(&app, "tomas@example.org").await;
    let cancel_path = format!("{interview_path}/cancel");
    let reply = seeker_browser.post(&cancel_path, &[("reason", "   ")]).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("Reason is required."), "{}", reply.text());

    let reply = seeker_browser
        .post(&cancel_path, &[("reason", "I start a new job that week; may I ask again in May?")])
        .await
        .expect(StatusCode::SEE_OTHER);
    assert_eq!(location(&reply), interview_path);
    let page = seeker_browser.get(&interview_path).await.expect(StatusCode::OK).text();
    assert!(page.contains("You cancelled the conversation with Anika Rao"), "{page}");
    assert!(!page.contains(r#"action="/interviews/"#), "no cancel form once cancelled");

    let page = host.get(&interview_path).await.expect(StatusCode::OK).text();
    assert!(page.contains("Cancelled by Tomás Reyes"), "{page}");
    assert!(page.contains(&html("I start a new job that week; may I ask again in May?")));
    let dashboard = host.get("/dashboard").await.expect(StatusCode::OK).text();
    assert!(dashboard.contains(r#"<span class="badge badge-cancelled">Cancelled</span>"#), "{dashboard}");

    // Cancelling again is a conflict shown on the page.
    let reply = host.post(&cancel_path, &[("reason", "Me too")]).await.expect(StatusCode::CONFLICT);
    assert!(reply.text().contains("Nothing was changed"));
}

#[tokio::test]
async fn strangers_get_404_for_requests_and_interviews() {
    let app = TestApp::new().await;
    let seeker = host_and_seeker(&app).await;
    let starts = free_starts(&app, 2).await;
    let pending = send_request(&app, &seeker, &starts[..1]).await;
    // One open request per host and seeker: the second comes from another seeker.
    let other = account(&app, "olu@example.org", "Olu Seeker", &["seeker"], "UTC").await;
    let accepted = send_request(&app, &other, &starts[1..]).await;
    let host = Browser::log_in(&app, "anika@example.org").await;
    let reply = host
        .post(&format!("/requests/{accepted}/accept"), &[("start", &starts[1].to_string())])
        .await
        .expect(StatusCode::SEE_OTHER);
    let interview_path = location(&reply).to_owned();

    account(&app, "eve@example.org", "Eve Stranger", &["host", "seeker"], "UTC").await;
    let stranger = Browser::log_in(&app, "eve@example.org").await;
    for path in [
        format!("/requests/{pending}"),
        interview_path.clone(),
        format!("{interview_path}/ics"),
        "/requests/not-a-number".to_owned(),
        "/interviews/999999".to_owned(),
    ] {
        stranger.get(&path).await.expect(StatusCode::NOT_FOUND);
    }
    stranger.post(&format!("/requests/{pending}/withdraw"), &[]).await.expect(StatusCode::NOT_FOUND);
    stranger.post(&format!("/requests/{pending}/decline"), &[("reason", "other")]).await.expect(StatusCode::NOT_FOUND);
    stranger.post(&format!("{interview_path}/cancel"), &[("reason", "mischief")]).await.expect(StatusCode::NOT_FOUND);
    // And nothing changed.
    assert!(host.get("/inbox").await.expect(StatusCode::OK).text().contains("Tomás Reyes"));
    let page = host.get(&interview_path).await.expect(StatusCode::OK).text();
    assert!(page.contains("badge-scheduled"), "{page}");
}

#[tokio::test]
async fn the_calendar_file_downloads_with_its_headers() {
    let app = TestApp::new().await;
    let seeker = host_and_seeker(&app).await;
    let starts = free_starts(&app, 1).await;
    let id = send_request(&app, &seeker, &starts).await;
    let host = Browser::log_in(&app, "anika@example.org").await;
    let reply = host
        .post(&format!("/requests/{id}/accept"), &[("start", &starts[0].to_string())])
        .await
        .expect(StatusCode::SEE_OTHER);
    let interview_path = location(&reply).to_owned();
    let interview_id = interview_path.trim_start_matches("/interviews/");

    let seeker_browser = Browser::log_in(&app, "tomas@example.org").await;
    let reply = seeker_browser.get(&format!("{interview_path}/ics")).await.expect(StatusCode::OK);
    assert!(reply.header("content-type").starts_with("text/calendar"), "{:?}", reply.headers);
    assert_eq!(reply.header("content-disposition"), format!(r#"attachment; filename="interview-{interview_id}.ics""#));
    let calendar = reply.text();
    assert!(calendar.contains("BEGIN:VCALENDAR") && calendar.contains("BEGIN:VEVENT"), "{calendar}");
    let utc_start = starts[0].strftime("%Y%m%dT%H%M%SZ").to_string();
    assert!(calendar.contains(&format!("DTSTART:{utc_start}")), "{calendar}");
}

#[tokio::test]
async fn window_rows_can_be_added_with_and_without_javascript() {
    let app = TestApp::new().await;
    let host = account(&app, "mei@example.org", "Mei Chen", &["host"], "Europe/London").await;
    let browser = Browser::log_in(&app, "mei@example.org").await;

    // Without JavaScript, "Add a row" posts the form: it comes back as typed with one more empty row, unsaved.
    let reply = browser
        .post(
            "/settings/policy",
            &[
                ("add_row", "yes"),
                ("time_zone", "Europe/Paris"),
                ("lengths_minutes", "20"),
                ("windows[0].weekday", "sat"),
                ("windows[0].start", "10:00"),
                ("windows[0].end", "11:00"),
                ("windows[1].weekday", ""),
                ("windows[1].start", ""),
                ("windows[1].end", ""),
                ("monthly_cap", "3"),
                ("buffer_minutes", "0"),
                ("min_notice_hours", "12"),
                ("horizon_days", "14"),
            ],
        )
        .await
        .expect(StatusCode::OK);
    let page = reply.text();
    assert!(page.contains(r#"name="windows[0].start" id="field-windows-0-start" value="10:00""#), "{page}");
    assert!(page.contains(r#"<option value="Europe/Paris" selected>"#));
    assert!(page.contains(r#"name="windows[4].weekday""#), "one row more than the usual three");
    assert!(!page.contains(r#"name="windows[5].weekday""#));
    let policy = app.state.services.policy(&host).await.expect("read policy");
    assert_eq!(policy.time_zone.as_str(), "Europe/London", "nothing is saved by adding a row");

    // With htmx, the button fetches one row numbered after the rows on the page.
    let reply = browser
        .get("/settings/policy/window-row?windows%5B0%5D.weekday=mon&windows%5B3%5D.start=")
        .await
        .expect(StatusCode::OK);
    let row = reply.text();
    assert!(row.trim_start().starts_with("<tr"), "{row}");
    assert!(row.contains(r#"name="windows[4].weekday""#) && row.contains(r#"name="windows[4].end""#));
    assert!(!row.contains("<html"));
}
