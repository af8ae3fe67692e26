//! Interview aftercare over the API: the agenda and wrap-up time of `GET /interviews/{id}`, thank-you notes,
//! the host's debrief and the talent-pool consent gate, no-shows, follow-up invitations, and the thanks
//! reminder task. Each rule has its passing and its failing case.
//!
//! The host (Priya Raman, Europe/London) takes 30-minute conversations; now is Monday 2 March 2026 09:00 UTC
//! and the first free slot is Tuesday 17:00–17:30 London (= UTC).

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use axum::http::StatusCode;
use common::TestApp;
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

const HANDLE: &str = "priya-data";

struct Meeting {
    host: String,
    seeker: String,
    id: i64,
    start: Timestamp,
    end: Timestamp,
}

/// A host, a seeker, and an accepted 30-minute conversation at the host's `nth` free slot.
async fn meeting(app: &TestApp, nth: usize) -> Meeting {
    let host = app.host(HANDLE).await;
    let seeker = app.seeker("sam@example.org").await;
    let start = app.slots(HANDLE, 30).await[nth].0;
    let request = app.request(&seeker, HANDLE, start).await;
    let accepted = app
        .post(&format!("/api/v1/requests/{request}/accept"), Some(&host), json!({"start": start.to_string()}))
        .await
        .expect(StatusCode::CREATED)
        .json();
    let id = accepted["id"].as_i64().unwrap();
    Meeting { host, seeker, id, start, end: start + SignedDuration::from_mins(30) }
}

fn path(meeting: &Meeting, action: &str) -> String {
    format!("/api/v1/interviews/{}/{action}", meeting.id)
}

fn rule(reply: &Value) -> &str {
    reply["error"]["fields"]["interview"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn the_interview_has_a_time_boxed_agenda_and_a_wrap_up_time() {
    let app = TestApp::new().await;
    let meeting = meeting(&app, 0).await;
    let body = app
        .get(&format!("/api/v1/interviews/{}", meeting.id), Some(&meeting.seeker))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(body["phase"], "upcoming");
    assert_eq!(body["viewer_role"], "seeker", "the interview's own fields are still there");
    let agenda = body["agenda"].as_array().unwrap();
    let minutes: Vec<i64> = agenda.iter().map(|item| item["minutes"].as_i64().unwrap()).collect();
    assert_eq!(minutes, [3, 8, 7, 7, 5]);
    assert_eq!(minutes.iter().sum::<i64>(), 30);
    assert_eq!(agenda[0]["kind"], "hello");
    assert_eq!(agenda[1]["label"], "Which skills mattered most in your first year?");
    assert_eq!(agenda[1]["starts_at"], (meeting.start + SignedDuration::from_mins(3)).to_string());
    assert_eq!(agenda[4]["kind"], "wrap_up");
    assert_eq!(body["wrap_up_at"], (meeting.end - SignedDuration::from_mins(5)).to_string());
    assert_eq!(body["thanks"]["sent"], false);
    assert_eq!(body["actions"]["thank"], false);
    assert_eq!(body["actions"]["report_no_show"], false);

    // The list keeps its shape; strangers still get 404.
    app.get("/api/v1/interviews", Some(&meeting.seeker)).await.expect(StatusCode::OK);
    let stranger = app.seeker("eve@example.org").await;
    app.get(&format!("/api/v1/interviews/{}", meeting.id), Some(&stranger)).await.expect_error(
        StatusCode::NOT_FOUND,
        "not_found",
        None,
    );
}

#[tokio::test]
async fn thanks_need_a_conversation_that_took_place_and_are_sent_once() {
    let app = TestApp::new().await;
    let meeting = meeting(&app, 0).await;
    let note = json!({"message": "Thank you, Priya: the advice on portfolios was exactly what I needed."});

    let early = app
        .post(&path(&meeting, "thanks"), Some(&meeting.seeker), note.clone())
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("interview"))
        .json();
    assert!(rule(&early).starts_with("interview_not_held:"), "{early}");
    assert!(rule(&early).contains("come back after it ends"), "{early}");

    app.clock.set(meeting.end);
    app.post(&path(&meeting, "thanks"), Some(&meeting.host), note.clone()).await.expect_error(
        StatusCode::FORBIDDEN,
        "forbidden",
        None,
    );
    app.post(&path(&meeting, "thanks"), Some(&meeting.seeker), json!({"message": " "})).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("message"),
    );

    let sent =
        app.post(&path(&meeting, "thanks"), Some(&meeting.seeker), note.clone()).await.expect(StatusCode::OK).json();
    assert_eq!(sent["thanks"]["sent"], true);
    assert_eq!(sent["actions"]["thank"], false);
    app.post(&path(&meeting, "thanks"), Some(&meeting.seeker), json!({"message": "Thanks again!"})).await.expect_error(
        StatusCode::CONFLICT,
        "conflict",
        None,
    );

    // The host sees it, on the interview and by email.
    let seen =
        app.get(&format!("/api/v1/interviews/{}", meeting.id), Some(&meeting.host)).await.expect(StatusCode::OK).json();
    assert_eq!(seen["thanks"]["message"], note["message"]);
    let mail = app.state.services.store().outbox_messages(None, 100).await.unwrap();
    let thanks: Vec<_> = mail.iter().filter(|message| message.kind == "thanks_sent").collect();
    assert_eq!(thanks.len(), 1);
    assert_eq!(thanks[0].recipient_email.as_str(), "priya-data@example.org");
}

#[tokio::test]
async fn no_thanks_for_a_cancelled_conversation_or_a_missed_one() {
    let app = TestApp::new().await;
    let cancelled = meeting(&app, 0).await;
    app.post(&path(&cancelled, "cancel"), Some(&cancelled.seeker), json!({"reason": "I have to travel, sorry."}))
        .await
        .expect(StatusCode::OK);
    // Another seeker, so no request rule between this seeker and host gets in the way.
    let other = app.seeker("ann@example.org").await;
    let start = app.slots(HANDLE, 30).await[1].0;
    let request = app.request(&other, HANDLE, start).await;
    let missed = app
        .post(&format!("/api/v1/requests/{request}/accept"), Some(&cancelled.host), json!({"start": start.to_string()}))
        .await
        .expect(StatusCode::CREATED)
        .json()["id"]
        .as_i64()
        .unwrap();
    app.clock.set(start + SignedDuration::from_mins(10));
    app.post(&format!("/api/v1/interviews/{missed}/no-show"), Some(&cancelled.host), json!({"who": "seeker"}))
        .await
        .expect(StatusCode::OK);
    app.clock.set(start + SignedDuration::from_hours(2));

    for (id, seeker) in [(cancelled.id, &cancelled.seeker), (missed, &other)] {
        let refused = app
            .post(&format!("/api/v1/interviews/{id}/thanks"), Some(seeker), json!({"message": "Thanks!"}))
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("interview"))
            .json();
        assert!(rule(&refused).starts_with("interview_not_held:"), "{refused}");
    }
}

#[tokio::test]
async fn the_debrief_is_the_hosts_and_the_talent_pool_needs_the_seekers_consent() {
    let app = TestApp::new().await;
    let meeting = meeting(&app, 0).await;
    let debrief = json!({
        "prepared": true, "used_time_well": true, "meet_again": true,
        "refer_to": "Lena Fischer", "keep_in_mind": true
    });

    let early = app
        .post(&path(&meeting, "debrief"), Some(&meeting.host), debrief.clone())
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("interview"))
        .json();
    assert!(rule(&early).starts_with("interview_not_held:"), "{early}");
    app.clock.set(meeting.end + SignedDuration::from_mins(5));
    app.post(&path(&meeting, "debrief"), Some(&meeting.seeker), debrief.clone()).await.expect_error(
        StatusCode::FORBIDDEN,
        "forbidden",
        None,
    );
    let mut too_long = debrief.clone();
    too_long["refer_to"] = json!("x".repeat(201));
    app.post(&path(&meeting, "debrief"), Some(&meeting.host), too_long).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("refer_to"),
    );
    app.post(&path(&meeting, "consent"), Some(&meeting.seeker), json!({"consent": true})).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("consent"),
    );

    let saved = app.post(&path(&meeting, "debrief"), Some(&meeting.host), debrief.clone()).await.expect(StatusCode::OK);
    let saved = saved.json();
    assert_eq!(saved["debrief"]["refer_to"], "Lena Fischer");
    assert!(saved["talent_consent"]["given"].is_null());
    // The seeker never sees the host's notes, only the question.
    let seen = app
        .get(&format!("/api/v1/interviews/{}", meeting.id), Some(&meeting.seeker))
        .await
        .expect(StatusCode::OK)
        .json();
    assert!(seen["debrief"].is_null(), "{seen}");
    assert_eq!(seen["actions"]["answer_consent"], true);

    let pool = app.get("/api/v1/me/talent-pool", Some(&meeting.host)).await.expect(StatusCode::OK).json();
    assert_eq!(pool, json!([]), "no consent yet");
    app.post(&path(&meeting, "consent"), Some(&meeting.host), json!({"consent": true})).await.expect_error(
        StatusCode::FORBIDDEN,
        "forbidden",
        None,
    );
    app.post(&path(&meeting, "consent"), Some(&meeting.seeker), json!({"consent": true})).await.expect(StatusCode::OK);
    let pool = app.get("/api/v1/me/talent-pool", Some(&meeting.host)).await.expect(StatusCode::OK).json();
    assert_eq!(pool.as_array().unwrap().len(), 1);
    assert_eq!(pool[0]["name"], "Sam Seeker");
    assert_eq!(pool[0]["debrief"]["refer_to"], "Lena Fischer");

    // Withdrawing consent takes them out.
    app.post(&path(&meeting, "consent"), Some(&meeting.seeker), json!({"consent": false})).await.expect(StatusCode::OK);
    let pool = app.get("/api/v1/me/talent-pool", Some(&meeting.host)).await.expect(StatusCode::OK).json();
    assert_eq!(pool, json!([]));
    app.get("/api/v1/me/talent-pool", Some(&meeting.seeker)).await.expect_error(
        StatusCode::FORBIDDEN,
        "forbidden",
        None,
    );
    app.get("/api/v1/me/talent-pool", None).await.expect_error(StatusCode::UNAUTHORIZED, "unauthorized", None);
}

#[tokio::test]
async fn a_no_show_is_reported_by_the_other_side_once_after_the_start() {
    let app = TestApp::new().await;
    let meeting = meeting(&app, 0).await;
    let store = app.state.services.store().clone();
    let seeker_id = app.get("/api/v1/me", Some(&meeting.seeker)).await.json()["id"].as_i64().unwrap();
    let seeker_id = coffeechat_domain::AccountId(seeker_id);

    let early = app
        .post(&path(&meeting, "no-show"), Some(&meeting.host), json!({"who": "seeker"}))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("interview"))
        .json();
    assert!(rule(&early).starts_with("interview_not_started:"), "{early}");

    app.clock.set(meeting.start + SignedDuration::from_mins(10));
    app.post(&path(&meeting, "no-show"), Some(&meeting.host), json!({"who": "host"})).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("who"),
    );
    app.post(&path(&meeting, "no-show"), Some(&meeting.host), json!({"who": "both"})).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("who"),
    );
    assert_eq!(store.no_shows_of_seeker(seeker_id).await.unwrap(), 0);

    let recorded = app
        .post(&path(&meeting, "no-show"), Some(&meeting.host), json!({"who": "seeker"}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(recorded.json()["no_show"]["who"], "seeker");
    app.post(&path(&meeting, "no-show"), Some(&meeting.seeker), json!({"who": "host"})).await.expect_error(
        StatusCode::CONFLICT,
        "conflict",
        None,
    );
    assert_eq!(store.no_shows_of_seeker(seeker_id).await.unwrap(), 1);

    // The seeker is told, with why it matters.
    let notices = app.get("/api/v1/me/notifications", Some(&meeting.seeker)).await.expect(StatusCode::OK).json();
    assert!(notices.to_string().contains("open requests"), "{notices}");
}

#[tokio::test]
async fn the_host_invites_a_follow_up_once_and_the_request_rules_can_read_it() {
    let app = TestApp::new().await;
    let meeting = meeting(&app, 0).await;
    let store = app.state.services.store().clone();
    let host_id =
        coffeechat_domain::AccountId(app.get("/api/v1/me", Some(&meeting.host)).await.json()["id"].as_i64().unwrap());
    let seeker_id =
        coffeechat_domain::AccountId(app.get("/api/v1/me", Some(&meeting.seeker)).await.json()["id"].as_i64().unwrap());

    let early = app
        .post(&path(&meeting, "follow-up"), Some(&meeting.host), json!({}))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("interview"))
        .json();
    assert!(rule(&early).starts_with("interview_not_held:"), "{early}");
    app.clock.set(meeting.end);
    app.post(&path(&meeting, "follow-up"), Some(&meeting.seeker), json!({})).await.expect_error(
        StatusCode::FORBIDDEN,
        "forbidden",
        None,
    );
    assert_eq!(store.follow_up_invited_at(seeker_id, host_id).await.unwrap(), None);

    let invited = app.post(&path(&meeting, "follow-up"), Some(&meeting.host), json!({})).await.expect(StatusCode::OK);
    assert_eq!(invited.json()["follow_up_invited_at"], meeting.end.to_string());
    assert_eq!(store.follow_up_invited_at(seeker_id, host_id).await.unwrap(), Some(meeting.end));
    app.post(&path(&meeting, "follow-up"), Some(&meeting.host), json!({})).await.expect_error(
        StatusCode::CONFLICT,
        "conflict",
        None,
    );
}

#[tokio::test]
async fn the_thanks_reminder_task_run_twice_sends_one_email() {
    let app = TestApp::new().await;
    let meeting = meeting(&app, 0).await;
    let services = &app.state.services;
    app.clock.set(meeting.end + SignedDuration::from_mins(30));
    assert_eq!(services.remind_thanks().await.unwrap(), 0, "not right after the end");
    app.clock.set(meeting.end + SignedDuration::from_hours(2));
    assert_eq!(services.remind_thanks().await.unwrap(), 1);
    assert_eq!(services.remind_thanks().await.unwrap(), 0);
    let mail = services.store().outbox_messages(None, 100).await.unwrap();
    let reminders: Vec<_> = mail.iter().filter(|message| message.kind == "thanks_reminder").collect();
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0].recipient_email.as_str(), "sam@example.org");
}
