//! Issue 4's request rules over HTTP, each with a failing and a passing case: the preparation gate (questions,
//! purpose, topics, length), etiquette in warn and block mode, once-is-enough (and the follow-up invitation
//! that lifts it), one open request per host, and the open-request limit (reduced by no-shows).

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use axum::http::StatusCode;
use common::{TestApp, host_profile, policy, request_body};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

/// The message of a 422 for `field`, which must start with the rule's name.
fn refusal(reply: common::Reply, field: &str, rule: &str) -> String {
    let body = reply.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some(field)).json();
    let message = body["error"]["fields"][field].as_str().unwrap().to_owned();
    assert!(message.contains(rule), "{field}: {message} should name {rule}");
    message
}

/// Sets request-rule fields of the host's policy (the rest as [`policy`]).
async fn set_rules(app: &TestApp, host: &str, rules: Value) -> Value {
    let mut body = policy();
    for (key, value) in rules.as_object().unwrap() {
        body[key] = value.clone();
    }
    app.put("/api/v1/me/policy", Some(host), body).await.expect(StatusCode::OK).json()
}

fn body_with(handle: &str, start: Timestamp, changes: Value) -> Value {
    let mut body = request_body(handle, &[start]);
    for (key, value) in changes.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

async fn first_slot(app: &TestApp, handle: &str) -> Timestamp {
    app.slots(handle, 30).await[0].0
}

#[tokio::test]
async fn the_policy_carries_the_request_rules_with_defaults_and_bounds() {
    let app = TestApp::new().await;
    let host = app.host("priya-data").await;
    let current = app.get("/api/v1/me/policy", Some(&host)).await.expect(StatusCode::OK).json();
    assert_eq!(current["etiquette_mode"], "warn");
    assert_eq!(current["min_questions"], 3);
    assert_eq!(current["overflow"], "waitlist");
    assert_eq!(current["expiry_days"], 14);
    assert_eq!(current["max_open_requests"], 3);
    assert_eq!(current["response_days"], 7);

    let changed =
        set_rules(&app, &host, json!({"etiquette_mode": "block", "min_questions": 5, "overflow": "decline"})).await;
    assert_eq!((changed["etiquette_mode"].as_str(), changed["min_questions"].as_i64()), (Some("block"), Some(5)));
    // Left out: kept.
    let again = app.put("/api/v1/me/policy", Some(&host), policy()).await.expect(StatusCode::OK).json();
    assert_eq!((again["overflow"].as_str(), again["min_questions"].as_i64()), (Some("decline"), Some(5)));

    let mut bad = policy();
    bad["min_questions"] = json!(11);
    bad["etiquette_mode"] = json!("shout");
    bad["expiry_days"] = json!(0);
    bad["overflow"] = json!("drop");
    bad["monthly_cap"] = json!(0);
    let reply = app.put("/api/v1/me/policy", Some(&host), bad).await;
    let body = reply.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("min_questions")).json();
    for field in ["etiquette_mode", "expiry_days", "overflow", "monthly_cap"] {
        assert!(body["error"]["fields"][field].is_string(), "{field} named: {body}");
    }
    let unchanged = app.get("/api/v1/me/policy", Some(&host)).await.json();
    assert_eq!(unchanged["min_questions"], 5, "nothing was written");
}

#[tokio::test]
async fn the_preparation_gate_names_each_rule_and_how_to_fix_it() {
    let app = TestApp::new().await;
    let host = app.host("priya-data").await;
    let seeker = app.seeker("sam@example.org").await;
    let start = first_slot(&app, "priya-data").await;

    let one_question = body_with("priya-data", start, json!({"questions": ["What surprised you?", "  "]}));
    let message =
        refusal(app.post("/api/v1/requests", Some(&seeker), one_question.clone()).await, "questions", "min_questions");
    assert!(message.contains("at least 3 prepared questions; you have 1"), "{message}");
    assert!(message.contains("question bank"), "{message}");

    let no_purpose = body_with("priya-data", start, json!({"purpose": "   "}));
    refusal(app.post("/api/v1/requests", Some(&seeker), no_purpose).await, "purpose", "purpose_required");

    let odd_topic = body_with("priya-data", start, json!({"topics": ["salary negotiation"]}));
    let message = refusal(app.post("/api/v1/requests", Some(&seeker), odd_topic).await, "topics", "topics_from_bank");
    assert!(message.contains("Career path"), "the bank's topics are listed: {message}");

    let too_long = body_with("priya-data", start, json!({"length_minutes": 45}));
    let message =
        refusal(app.post("/api/v1/requests", Some(&seeker), too_long).await, "length_minutes", "length_offered");
    assert!(message.contains("at most 30 min"), "{message}");

    // The host asks for one question only: the same request passes.
    set_rules(&app, &host, json!({"min_questions": 1})).await;
    let sent = app.post("/api/v1/requests", Some(&seeker), one_question).await.expect(StatusCode::CREATED).json();
    assert_eq!(sent["status"], "pending");
    assert_eq!(sent["topics"], json!(["Career path"]), "topics are stored as the bank names them");
    assert_eq!(sent["findings"], json!([]));
}

#[tokio::test]
async fn etiquette_warns_or_blocks_as_the_host_chooses() {
    let app = TestApp::new().await;
    let host = app.host("priya-data").await;
    let seeker = app.seeker("sam@example.org").await;
    let start = first_slot(&app, "priya-data").await;
    let pitch = body_with(
        "priya-data",
        start,
        json!({"purpose": "I want to learn how you moved into data science. Could you refer me for a job on your team?"}),
    );

    set_rules(&app, &host, json!({"etiquette_mode": "block"})).await;
    let message = refusal(app.post("/api/v1/requests", Some(&seeker), pitch.clone()).await, "purpose", "inside_track");
    assert!(message.contains("Could you refer me"), "the sentence is quoted: {message}");
    assert!(app.get("/api/v1/requests", Some(&seeker)).await.json().as_array().unwrap().is_empty(), "nothing sent");

    set_rules(&app, &host, json!({"etiquette_mode": "warn"})).await;
    let sent = app.post("/api/v1/requests", Some(&seeker), pitch).await.expect(StatusCode::CREATED).json();
    let findings = sent["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert_eq!(findings[0]["rule"], "inside_track");
    assert!(findings[0]["suggestion"].as_str().unwrap().len() > 10);

    // The host sees the findings on the request's page, muted.
    let cookie = common::browser::Browser::log_in(&app, "priya-data@example.org").await;
    let page = cookie.get(&format!("/requests/{}", sent["id"])).await.expect(StatusCode::OK).text();
    assert!(page.contains("etiquette-findings"), "findings shown to the host");
    assert!(page.contains("Could you refer me for a job on your team?"));
}

/// A pending request from `seeker` that the host accepts; returns the interview id and its end.
async fn interview(app: &TestApp, host: &str, seeker: &str, handle: &str) -> (i64, Timestamp) {
    let start = first_slot(app, handle).await;
    let id = app.request(seeker, handle, start).await;
    let interview = app
        .post(&format!("/api/v1/requests/{id}/accept"), Some(host), json!({"start": start.to_string()}))
        .await
        .expect(StatusCode::CREATED)
        .json();
    (interview["id"].as_i64().unwrap(), interview["end"].as_str().unwrap().parse().unwrap())
}

#[tokio::test]
async fn once_is_enough_until_the_host_invites_a_follow_up() {
    let app = TestApp::new().await;
    let host = app.host("priya-data").await;
    let seeker = app.seeker("sam@example.org").await;
    let (interview_id, end) = interview(&app, &host, &seeker, "priya-data").await;

    // Before the meeting took place, the rule is "one open request" only: this one is accepted, not open.
    app.clock.set(end + SignedDuration::from_mins(5));
    let start = first_slot(&app, "priya-data").await;
    let again = request_body("priya-data", &[start]);
    let message = refusal(app.post("/api/v1/requests", Some(&seeker), again.clone()).await, "host", "once_is_enough");
    assert!(message.contains("follow-up"), "{message}");

    app.post(&format!("/api/v1/interviews/{interview_id}/follow-up"), Some(&host), json!({}))
        .await
        .expect(StatusCode::OK);
    app.post("/api/v1/requests", Some(&seeker), again).await.expect(StatusCode::CREATED);
}

#[tokio::test]
async fn a_meeting_the_host_missed_does_not_count_as_held() {
    let app = TestApp::new().await;
    let host = app.host("priya-data").await;
    let seeker = app.seeker("sam@example.org").await;
    let (interview_id, end) = interview(&app, &host, &seeker, "priya-data").await;
    app.clock.set(end + SignedDuration::from_mins(5));
    app.post(&format!("/api/v1/interviews/{interview_id}/no-show"), Some(&seeker), json!({"who": "host"}))
        .await
        .expect(StatusCode::OK);
    let start = first_slot(&app, "priya-data").await;
    app.post("/api/v1/requests", Some(&seeker), request_body("priya-data", &[start])).await.expect(StatusCode::CREATED);
}

#[tokio::test]
async fn one_open_request_per_host() {
    let app = TestApp::new().await;
    app.host("priya-data").await;
    let seeker = app.seeker("sam@example.org").await;
    let slots = app.slots("priya-data", 30).await;
    let first = app.request(&seeker, "priya-data", slots[0].0).await;
    let second = request_body("priya-data", &[slots[5].0]);
    refusal(app.post("/api/v1/requests", Some(&seeker), second.clone()).await, "host", "one_pending_per_host");

    app.post(&format!("/api/v1/requests/{first}/withdraw"), Some(&seeker), json!({})).await.expect(StatusCode::OK);
    app.post("/api/v1/requests", Some(&seeker), second).await.expect(StatusCode::CREATED);
}

/// A host like [`TestApp::host`] under another handle and name.
async fn other_host(app: &TestApp, handle: &str) -> String {
    let (_, token) = app.sign_up(&format!("{handle}@example.org"), handle, &["host"], "Europe/London").await;
    app.put("/api/v1/me/host-profile", Some(&token), host_profile(handle)).await.expect(StatusCode::OK);
    app.put("/api/v1/me/policy", Some(&token), policy()).await.expect(StatusCode::OK);
    token
}

#[tokio::test]
async fn the_open_request_limit_is_the_hosts_k_reduced_by_no_shows() {
    let app = TestApp::new().await;
    for handle in ["host-a", "host-b", "host-c"] {
        other_host(&app, handle).await;
    }
    let strict = other_host(&app, "host-strict").await;
    set_rules(&app, &strict, json!({"max_open_requests": 2})).await;
    let seeker = app.seeker("sam@example.org").await;
    for handle in ["host-a", "host-b"] {
        let start = first_slot(&app, handle).await;
        app.request(&seeker, handle, start).await;
    }
    let start = first_slot(&app, "host-strict").await;
    let message = refusal(
        app.post("/api/v1/requests", Some(&seeker), request_body("host-strict", &[start])).await,
        "host",
        "open_request_limit",
    );
    assert!(message.contains("2 open requests"), "{message}");
    // Host C keeps the default of 3: a third open request is fine there.
    let start = first_slot(&app, "host-c").await;
    app.post("/api/v1/requests", Some(&seeker), request_body("host-c", &[start])).await.expect(StatusCode::CREATED);
}

#[tokio::test]
async fn missed_meetings_reduce_the_allowance_and_say_why() {
    let app = TestApp::new().await;
    let missed = other_host(&app, "host-missed").await;
    for handle in ["host-a", "host-b"] {
        other_host(&app, handle).await;
    }
    let seeker = app.seeker("sam@example.org").await;
    let (interview_id, end) = interview(&app, &missed, &seeker, "host-missed").await;
    app.clock.set(end + SignedDuration::from_mins(5));
    app.post(&format!("/api/v1/interviews/{interview_id}/no-show"), Some(&missed), json!({"who": "seeker"}))
        .await
        .expect(StatusCode::OK);

    // Default K = 3, one missed meeting: at most 2 open requests.
    let start = first_slot(&app, "host-a").await;
    app.request(&seeker, "host-a", start).await;
    let start = first_slot(&app, "host-b").await;
    app.request(&seeker, "host-b", start).await;
    let other = other_host(&app, "host-c").await;
    let start = first_slot(&app, "host-c").await;
    let message = refusal(
        app.post("/api/v1/requests", Some(&seeker), request_body("host-c", &[start])).await,
        "host",
        "open_request_limit",
    );
    assert!(message.contains("because of 1 missed meeting your limit is 2"), "{message}");
    // A host who allows more lifts it: K = 4 − 1 = 3.
    set_rules(&app, &other, json!({"max_open_requests": 4})).await;
    app.post("/api/v1/requests", Some(&seeker), request_body("host-c", &[start])).await.expect(StatusCode::CREATED);
}

#[tokio::test]
async fn the_policy_settings_page_edits_the_request_rules_with_help_text() {
    let app = TestApp::new().await;
    let host = app.host("priya-data").await;
    let browser = common::browser::Browser::log_in(&app, "priya-data@example.org").await;
    let page = browser.get("/settings/policy").await.expect(StatusCode::OK).text();
    for expected in [r#"name="min_questions""#, r#"name="etiquette_mode""#, r#"name="overflow""#, "question bank"] {
        assert!(page.contains(expected), "{expected}");
    }
    let base = [
        ("accepting", "yes"),
        ("time_zone", "Europe/London"),
        ("lengths_minutes", "30"),
        ("windows[0].weekday", "tue"),
        ("windows[0].start", "07:30"),
        ("windows[0].end", "08:30"),
        ("monthly_cap", "6"),
        ("buffer_minutes", "10"),
        ("min_notice_hours", "24"),
        ("horizon_days", "30"),
    ];
    let mut bad = base.to_vec();
    bad.extend([("min_questions", "12"), ("expiry_days", "soon")]);
    let html = browser.post("/settings/policy", &bad).await.expect(StatusCode::UNPROCESSABLE_ENTITY).text();
    assert!(html.contains("field-min-questions-error") && html.contains("field-expiry-days-error"), "{html}");

    let mut good = base.to_vec();
    good.extend([
        ("min_questions", "4"),
        ("etiquette_mode", "block"),
        ("overflow", "decline"),
        ("max_open_requests", "2"),
        ("response_days", "5"),
        ("expiry_days", "10"),
    ]);
    browser.post("/settings/policy", &good).await.expect(StatusCode::SEE_OTHER);
    let saved = app.get("/api/v1/me/policy", Some(&host)).await.expect(StatusCode::OK).json();
    assert_eq!(
        (
            saved["min_questions"].as_i64(),
            saved["etiquette_mode"].as_str(),
            saved["overflow"].as_str(),
            saved["max_open_requests"].as_i64(),
            saved["response_days"].as_i64(),
            saved["expiry_days"].as_i64()
        ),
        (Some(4), Some("block"), Some("decline"), Some(2), Some(5), Some(10))
    );
    // The public page shows the commitment and the rules.
    let public = browser.get("/h/priya-data").await.expect(StatusCode::OK).text();
    assert!(public.contains("Commits to answer within 5 days"), "{public}");
    assert!(public.contains("New host"), "fewer than three answers: a new host");
    assert!(public.contains("At least 4 prepared questions"));
}

#[tokio::test]
async fn the_composer_adds_bank_questions_shows_the_fit_and_checks_sentence_by_sentence() {
    let app = TestApp::new().await;
    app.host("priya-data").await;
    app.seeker("sam@example.org").await;
    let browser = common::browser::Browser::log_in(&app, "sam@example.org").await;
    let form = browser.get("/h/priya-data/request").await.expect(StatusCode::OK).text();
    assert!(form.contains(r#"value="Career path""#) && form.contains("Check my request"));

    // No JavaScript: choosing a topic and asking for its questions re-renders the form with the bank.
    let draft = [
        ("length_minutes", "20"),
        ("purpose", "I teach maths. Attached is my résumé so you can see my achievements."),
        ("topics", "Career path"),
        ("questions", "What did your first year look like?"),
        ("step", "bank"),
    ];
    let html = common::browser::unescape(
        &browser.post("/h/priya-data/request/compose", &draft).await.expect(StatusCode::OK).text(),
    );
    assert!(html.contains("Ideas from the question bank"), "{html}");
    let suggestion =
        coffeechat_domain::question_bank::questions_for(coffeechat_domain::question_bank::QuestionTopic::CareerPath)[0]
            .text;
    assert!(html.contains(&format!(r#"name="add_question" value="{suggestion}""#)), "an add button per question");
    assert!(html.contains("1 question needs about 3–4 minutes"), "the fit indicator: {html}");

    // "Add" puts the question in the list and keeps everything typed.
    let mut add = draft.to_vec();
    add.retain(|(name, _)| *name != "step");
    add.push(("add_question", suggestion));
    let html = common::browser::unescape(
        &browser.post("/h/priya-data/request/compose", &add).await.expect(StatusCode::OK).text(),
    );
    assert!(html.contains(&format!("What did your first year look like?\n{suggestion}")), "{html}");
    assert!(html.contains("2 questions need"), "the fit follows");

    // Too many questions for 20 minutes: a warning.
    let many = "Q1?\nQ2?\nQ3?\nQ4?\nQ5?\nQ6?\nQ7?\nQ8?";
    let over = [("length_minutes", "20"), ("purpose", "Learning."), ("topics", "Career path"), ("questions", many)];
    let html = browser.post("/h/priya-data/request/compose", &over).await.expect(StatusCode::OK).text();
    assert!(html.contains("fit-over") && html.contains("Too many for 20 minutes"), "{html}");

    // "Check my request" shows each sentence a host would object to, with a suggestion.
    let mut check = draft.to_vec();
    check.retain(|(name, _)| *name != "step");
    check.push(("step", "check"));
    let html = common::browser::unescape(
        &browser.post("/h/priya-data/request/compose", &check).await.expect(StatusCode::OK).text(),
    );
    assert!(html.contains("Attached is my résumé so you can see my achievements."), "{html}");
    assert!(html.contains("Try instead:"));
    let clean = [
        ("length_minutes", "20"),
        ("purpose", "I teach maths."),
        ("questions", "What surprised you?"),
        ("step", "check"),
    ];
    let html = browser.post("/h/priya-data/request/compose", &clean).await.expect(StatusCode::OK).text();
    assert!(html.contains("Nothing a host would object to"));
}
