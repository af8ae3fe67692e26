//! The whole API flow, in-process: accounts, tokens, host profile and policy, directory, slots, a request
//! accepted into an interview (with its calendar file), declined, withdrawn, and an interview cancelled.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use axum::http::StatusCode;
use common::{TestApp, request_body};
use jiff::Timestamp;
use serde_json::json;

#[tokio::test]
async fn a_host_and_a_seeker_arrange_a_conversation() {
    let app = TestApp::new().await;

    // Sign-up answers with the account, normalised.
    let (host_account, host) =
        app.sign_up(" Priya@Example.ORG ", "Priya Raman", &["host", "seeker"], "Europe/London").await;
    assert_eq!(host_account["email"], "priya@example.org");
    assert_eq!(host_account["roles"], json!(["host", "seeker"]));
    assert_eq!(host_account["time_zone"], "Europe/London");
    assert!(host_account["id"].as_i64().is_some());
    let me = app.get("/api/v1/me", Some(&host)).await.expect(StatusCode::OK).json();
    assert_eq!(me["id"], host_account["id"]);

    // A host has no profile until they write one; the policy starts as a starter policy in their zone.
    app.get("/api/v1/me/host-profile", Some(&host)).await.expect_error(StatusCode::NOT_FOUND, "not_found", None);
    let starter = app.get("/api/v1/me/policy", Some(&host)).await.expect(StatusCode::OK).json();
    assert_eq!(starter["time_zone"], "Europe/London");

    let profile = app.put("/api/v1/me/host-profile", Some(&host), common::host_profile("Priya-Data")).await;
    let profile = profile.expect(StatusCode::OK).json();
    assert_eq!(profile["handle"], "priya-data");
    assert_eq!(app.get("/api/v1/me/host-profile", Some(&host)).await.expect(StatusCode::OK).json(), profile);

    let policy = app.put("/api/v1/me/policy", Some(&host), common::policy()).await.expect(StatusCode::OK).json();
    assert_eq!(policy["lengths_minutes"], json!([20, 30]));
    assert_eq!(policy["windows"][0], json!({"weekday": "mon", "start": "07:30", "end": "08:30"}));
    assert_eq!(policy["monthly_cap"], 10);
    assert_eq!(app.get("/api/v1/me/policy", Some(&host)).await.expect(StatusCode::OK).json(), policy);

    // The directory finds the host by text, industry and skill, and not by a text that matches nothing.
    for query in ["q=teacher", "industry=Healthcare", "skill=SQL", "q=data&has_free_slots=true"] {
        let hosts = app.get(&format!("/api/v1/hosts?{query}"), None).await.expect(StatusCode::OK).json();
        assert_eq!(hosts.as_array().unwrap().len(), 1, "{query}: {hosts}");
        assert_eq!(hosts[0]["handle"], "priya-data");
    }
    let none = app.get("/api/v1/hosts?q=astronaut", None).await.expect(StatusCode::OK).json();
    assert_eq!(none, json!([]));

    // The public profile has no private fields.
    let public = app.get("/api/v1/hosts/priya-data", None).await.expect(StatusCode::OK).json();
    assert_eq!(public["name"], "Priya Raman");
    assert_eq!(public["time_zone"], "Europe/London");
    assert_eq!(public["accepting"], true);
    assert!(!public.to_string().contains("priya@example.org"), "{public}");
    assert!(public.get("email").is_none());

    // Slots: RFC 3339 UTC instants, the requested length, respecting the 24 hours' notice.
    let slots = app.get("/api/v1/hosts/priya-data/slots?from=2026-03-02&to=2026-03-08&length=30", None).await;
    let slots = slots.expect(StatusCode::OK).json();
    let slots = slots.as_array().unwrap();
    assert!(!slots.is_empty());
    for slot in slots {
        let start = slot["start"].as_str().unwrap();
        let end = slot["end"].as_str().unwrap();
        assert!(start.ends_with('Z') && end.ends_with('Z'), "{slot}");
        let (start, end): (Timestamp, Timestamp) = (start.parse().unwrap(), end.parse().unwrap());
        assert_eq!(end.duration_since(start).as_mins(), 30);
        assert!(start >= "2026-03-03T09:00:00Z".parse().unwrap(), "min notice not applied: {slot}");
    }
    // Tuesday 3 March 07:30 London (GMT) is too soon; Tuesday 17:00 is the first free slot.
    assert_eq!(slots[0]["start"], "2026-03-03T17:00:00Z");

    // A seeker sends a request; both sides see it.
    let (seeker_account, seeker) = app.sign_up("sam@example.org", "Sam Seeker", &["seeker"], "America/New_York").await;
    let first: Timestamp = slots[0]["start"].as_str().unwrap().parse().unwrap();
    let second: Timestamp = slots[slots.len() - 1]["start"].as_str().unwrap().parse().unwrap();
    let created = app.post("/api/v1/requests", Some(&seeker), request_body("priya-data", &[first, second])).await;
    let created = created.expect(StatusCode::CREATED);
    let request_id = created.json()["id"].as_i64().unwrap();
    assert_eq!(created.header("location"), format!("/api/v1/requests/{request_id}"));
    let request = created.json();
    assert_eq!(request["status"], "pending");
    assert_eq!(request["host"], json!({"handle": "priya-data", "name": "Priya Raman", "time_zone": "Europe/London"}));
    assert_eq!(request["seeker"]["id"], seeker_account["id"]);
    assert_eq!(request["seeker"]["name"], "Sam Seeker");
    assert_eq!(request["length_minutes"], 30);
    assert_eq!(request["proposed_starts"], json!([first.to_string(), second.to_string()]));
    assert_eq!(request["viewer_role"], "seeker");
    assert!(request["interview_id"].is_null());

    let as_host = app.get(&format!("/api/v1/requests/{request_id}"), Some(&host)).await.expect(StatusCode::OK).json();
    assert_eq!(as_host["viewer_role"], "host");
    let host_list = app.get("/api/v1/requests", Some(&host)).await.expect(StatusCode::OK).json();
    assert_eq!(host_list.as_array().unwrap().len(), 1);
    let seeker_list = app.get("/api/v1/requests", Some(&seeker)).await.expect(StatusCode::OK).json();
    assert_eq!(seeker_list[0]["id"], request_id);

    // The host accepts the second proposal: 201 with the interview.
    let accepted = app
        .post(&format!("/api/v1/requests/{request_id}/accept"), Some(&host), json!({"start": second.to_string()}))
        .await;
    let accepted = accepted.expect(StatusCode::CREATED);
    let interview = accepted.json();
    let interview_id = interview["id"].as_i64().unwrap();
    assert_eq!(accepted.header("location"), format!("/api/v1/interviews/{interview_id}"));
    assert_eq!(interview["request_id"], request_id);
    assert_eq!(interview["status"], "scheduled");
    assert_eq!(interview["start"], second.to_string());
    assert_eq!(interview["length_minutes"], 30);
    assert_eq!(interview["host"]["handle"], "priya-data");
    assert_eq!(interview["seeker"]["name"], "Sam Seeker");
    assert_eq!(interview["purpose"], request["purpose"]);
    assert_eq!(interview["questions"], request["questions"]);
    assert!(interview["cancel_reason"].is_null());

    let request = app.get(&format!("/api/v1/requests/{request_id}"), Some(&seeker)).await.expect(StatusCode::OK).json();
    assert_eq!(request["status"], "accepted");
    assert_eq!(request["interview_id"], interview_id);
    // Accepting twice is a conflict.
    app.post(&format!("/api/v1/requests/{request_id}/accept"), Some(&host), json!({"start": second.to_string()}))
        .await
        .expect_error(StatusCode::CONFLICT, "conflict", None);
    // The booked slot is no longer offered.
    let after = app.slots("priya-data", 30).await;
    assert!(after.iter().all(|(start, _)| *start != second));

    // Both sides list and read the interview; both download the calendar file.
    for token in [&host, &seeker] {
        let list = app.get("/api/v1/interviews", Some(token)).await.expect(StatusCode::OK).json();
        assert_eq!(list[0]["id"], interview_id);
        let one = app.get(&format!("/api/v1/interviews/{interview_id}"), Some(token)).await.expect(StatusCode::OK);
        assert_eq!(one.json()["id"], interview_id);
    }
    let ics = app.get(&format!("/api/v1/interviews/{interview_id}/ics"), Some(&seeker)).await.expect(StatusCode::OK);
    assert_eq!(ics.header("content-type"), "text/calendar; charset=utf-8");
    assert!(ics.header("content-disposition").starts_with("attachment; filename=\""), "{:?}", ics.headers);
    assert!(ics.header("content-disposition").ends_with(".ics\""));
    let calendar = ics.text();
    assert!(calendar.starts_with("BEGIN:VCALENDAR"), "{calendar}");
    let dtstart = format!("DTSTART:{}", second.strftime("%Y%m%dT%H%M%SZ"));
    for needle in ["BEGIN:VEVENT", "UID:", &dtstart, "DTEND:", "ORGANIZER", "ATTENDEE", "END:VCALENDAR"] {
        assert!(calendar.contains(needle), "{needle} missing from:\n{calendar}");
    }
    let host_ics = app.get(&format!("/api/v1/interviews/{interview_id}/ics"), Some(&host)).await.expect(StatusCode::OK);
    let uid = |text: &str| text.lines().find(|line| line.starts_with("UID:")).map(str::to_owned);
    assert_eq!(uid(&host_ics.text()), uid(&calendar), "the UID must be stable");

    // Either side cancels with a reason; cancelling twice is a conflict; the .ics becomes a cancellation.
    app.post(&format!("/api/v1/interviews/{interview_id}/cancel"), Some(&seeker), json!({"reason": "  "}))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("reason"));
    let cancelled = app
        .post(&format!("/api/v1/interviews/{interview_id}/cancel"), Some(&seeker), json!({"reason": "I got the job!"}))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["cancel_reason"], "I got the job!");
    assert_eq!(cancelled["cancelled_by"], seeker_account["id"]);
    app.post(&format!("/api/v1/interviews/{interview_id}/cancel"), Some(&host), json!({"reason": "again"}))
        .await
        .expect_error(StatusCode::CONFLICT, "conflict", None);
    let cancelled_ics =
        app.get(&format!("/api/v1/interviews/{interview_id}/ics"), Some(&host)).await.expect(StatusCode::OK);
    assert!(cancelled_ics.text().contains("STATUS:CANCELLED"), "{}", cancelled_ics.text());
    assert_eq!(uid(&cancelled_ics.text()), uid(&calendar));
    // The slot is free again.
    assert!(app.slots("priya-data", 30).await.iter().any(|(start, _)| *start == second));
}

#[tokio::test]
async fn a_host_declines_and_a_seeker_withdraws() {
    let app = TestApp::new().await;
    let host = app.host("priya-data").await;
    let seeker = app.seeker("sam@example.org").await;
    let slots = app.slots("priya-data", 30).await;

    let declined_id = app.request(&seeker, "priya-data", slots[0].0).await;
    app.post(&format!("/api/v1/requests/{declined_id}/decline"), Some(&host), json!({"reason": "because"}))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("reason"));
    let declined = app
        .post(
            &format!("/api/v1/requests/{declined_id}/decline"),
            Some(&host),
            json!({"reason": "not_my_area", "message": "Ask someone in biotech."}),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(declined["status"], "declined");
    assert_eq!(declined["decline_reason"], "not_my_area");
    assert!(declined["decline_message"].as_str().is_some_and(|m| !m.is_empty()));
    let seen = app.get(&format!("/api/v1/requests/{declined_id}"), Some(&seeker)).await.expect(StatusCode::OK).json();
    assert_eq!(seen["decline_reason"], "not_my_area");
    // A declined request can no longer be withdrawn or accepted.
    app.post(&format!("/api/v1/requests/{declined_id}/withdraw"), Some(&seeker), json!({})).await.expect_error(
        StatusCode::CONFLICT,
        "conflict",
        None,
    );

    let withdrawn_id = app.request(&seeker, "priya-data", slots[1].0).await;
    let withdrawn = app
        .call(axum::http::Method::POST, &format!("/api/v1/requests/{withdrawn_id}/withdraw"), Some(&seeker), None)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(withdrawn["status"], "withdrawn");
    app.post(&format!("/api/v1/requests/{withdrawn_id}/accept"), Some(&host), json!({"start": slots[1].0.to_string()}))
        .await
        .expect_error(StatusCode::CONFLICT, "conflict", None);

    let mine = app.get("/api/v1/requests", Some(&seeker)).await.expect(StatusCode::OK).json();
    let statuses: Vec<&str> = mine.as_array().unwrap().iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses.len(), 2);
    assert!(statuses.contains(&"declined") && statuses.contains(&"withdrawn"), "{statuses:?}");
}

#[tokio::test]
async fn health_docs_and_unknown_routes() {
    let app = TestApp::new().await;
    let health = app.get("/healthz", None).await.expect(StatusCode::OK).json();
    assert_eq!(health, json!({"status": "ok"}));

    let document = app.get("/api/openapi.json", None).await.expect(StatusCode::OK).json();
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));

    let docs = app.get("/api/docs", None).await.expect(StatusCode::OK);
    assert!(docs.header("content-type").starts_with("text/html"));
    let page = docs.text();
    for needle in ["POST /api/v1/requests/{id}/accept", "GET /api/v1/hosts/{handle}/slots", "RequestView", "ErrorBody"]
    {
        assert!(page.contains(needle), "{needle} missing from the docs page");
    }
    // No script or stylesheet from elsewhere: the page works offline and under the CSP.
    assert!(!page.contains("cdn.") && !page.contains("src=\"http"), "the docs page loads something remote");

    app.get("/api/v1/nothing-here", None).await.expect_error(StatusCode::NOT_FOUND, "not_found", None);
    app.get("/api/v1/requests/not-a-number", None).await.expect(StatusCode::UNAUTHORIZED);
}
