//! "Who should I talk to?" over HTTP: a seeker profile, hosts with backgrounds, and the recommendations with
//! their reasons on a fixed dataset (snapshot), the exclusions (met, declined, same employer, paused) and the
//! hosts who are full for now, listed apart with their next opening. Also the seeker profile's validation and
//! the pages.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use axum::http::StatusCode;
use common::browser::{Browser, unescape};
use common::{TestApp, policy};
use jiff::SignedDuration;
use serde_json::{Value, json};

/// A host with a profile and background of their own, on the common weekly policy (optionally changed).
async fn host(app: &TestApp, profile: Value, policy_changes: Value) -> String {
    let handle = profile["handle"].as_str().unwrap().to_owned();
    let name = profile["name"].as_str().unwrap().to_owned();
    let (_, token) = app.sign_up(&format!("{handle}@example.org"), &name, &["host"], "Europe/London").await;
    app.put("/api/v1/me/host-profile", Some(&token), profile).await.expect(StatusCode::OK);
    let mut policy = policy();
    for (key, value) in policy_changes.as_object().unwrap() {
        policy[key] = value.clone();
    }
    app.put("/api/v1/me/policy", Some(&token), policy).await.expect(StatusCode::OK);
    token
}

fn profile(handle: &str, name: &str, role: &str, employer: &str, industry: &str, extra: Value) -> Value {
    let mut body = json!({
        "handle": handle,
        "name": name,
        "headline": "",
        "role": role,
        "employer": employer,
        "industry": industry,
        "skills": [],
        "topics": [],
        "career_path": ""
    });
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

/// A teacher who wants to move into UX research in software.
fn seeker_profile() -> Value {
    json!({
        "target_roles": ["UX researcher", "Data scientist"],
        "target_industries": ["Tech"],
        "current_role": "Primary school teacher",
        "previous_roles": ["Teaching assistant"],
        "current_employer": "Hillside Primary School",
        "skills": ["Interviewing", "Stats"],
        "languages": ["English", "Spanish"],
        "region": "Europe",
        "remote_ok": true,
        "learn_topics": ["usability testing", "portfolio"]
    })
}

/// The fixed dataset: six hosts of whom the seeker may be recommended three, one of them full for now.
struct Dataset {
    app: TestApp,
    sam: String,
}

async fn dataset() -> Dataset {
    let app = TestApp::new().await;
    // The best match: a UX researcher who used to teach, in software, who speaks Spanish and lives in Europe.
    host(
        &app,
        profile(
            "lena-ux",
            "Lena Ortiz",
            "Lead UX researcher",
            "Fernwood Apps",
            "Software",
            json!({
                "skills": ["Usability testing", "Interviewing"],
                "topics": ["Building a research portfolio"],
                "previous_roles": ["Secondary school teacher"],
                "languages": ["English", "Español"],
                "region": "EU",
                "seniority": "leadership"
            }),
        ),
        json!({}),
    )
    .await;
    // Works in a target role, elsewhere.
    host(
        &app,
        profile(
            "dev-data",
            "Dev Patel",
            "Senior data scientist",
            "Northwind Health",
            "Healthcare",
            json!({"skills": ["SQL", "Statistics"]}),
        ),
        json!({}),
    )
    .await;
    // Relevant only through a shared skill.
    host(
        &app,
        profile("pat-pm", "Pat Kim", "Product manager", "Quill", "Retail", json!({"skills": ["Interviewing"]})),
        json!({}),
    )
    .await;
    // Works where the seeker works: never recommended.
    host(
        &app,
        profile("colleague", "Cole Ward", "UX researcher", "Hillside Primary School Ltd", "Education", json!({})),
        json!({}),
    )
    .await;
    // Not taking requests: left out entirely.
    host(
        &app,
        profile("paused-ux", "Paula Moss", "UX researcher", "Brightwater", "Software", json!({})),
        json!({"accepting": false}),
    )
    .await;
    // Relevant but full this month: one conversation a month, already booked by someone else.
    let full = host(
        &app,
        profile(
            "full-data",
            "Farah Haddad",
            "Data scientist",
            "Larkspur",
            "Software",
            json!({"languages": ["Spanish"]}),
        ),
        json!({"monthly_cap": 1}),
    )
    .await;
    let other = app.seeker("ola@example.org").await;
    let slots = app.slots("full-data", 30).await;
    let request = app.request(&other, "full-data", slots[0].0).await;
    app.post(&format!("/api/v1/requests/{request}/accept"), Some(&full), json!({"start": slots[0].0.to_string()}))
        .await
        .expect(StatusCode::CREATED);

    let sam = app.seeker("sam@example.org").await;
    app.put("/api/v1/me/seeker-profile", Some(&sam), seeker_profile()).await.expect(StatusCode::OK);
    Dataset { app, sam }
}

#[tokio::test]
async fn recommendations_come_ranked_with_their_reasons() {
    let Dataset { app, sam } = dataset().await;
    let found = app.get("/api/v1/me/recommendations", Some(&sam)).await.expect(StatusCode::OK).json();
    insta::assert_json_snapshot!("recommendations", found);
    let handles: Vec<&str> = found.as_array().unwrap().iter().map(|r| r["host"]["handle"].as_str().unwrap()).collect();
    assert_eq!(handles, ["lena-ux", "dev-data", "pat-pm"]);
    assert_eq!(found[0]["reasons"][0], "works as a lead UX researcher, your target role");
    assert_eq!(
        found[0]["reasons"][1],
        "moved from secondary school teacher into lead UX researcher, the change you want to make"
    );

    // Full hosts are apart, with their next opening (the first of next month in their zone: London, in summer
    // time by then).
    let later = app.get("/api/v1/me/recommendations/later", Some(&sam)).await.expect(StatusCode::OK).json();
    insta::assert_json_snapshot!("recommendations_later", later);
    assert_eq!(later.as_array().unwrap().len(), 1);
    assert_eq!(later[0]["host"]["handle"], "full-data");
    assert_eq!(later[0]["next_opening"], "2026-03-31T23:00:00Z");
    assert!(later[0]["reasons"].as_array().unwrap().iter().any(|reason| reason == "speaks Spanish"));

    // The limit bounds the list.
    let one = app.get("/api/v1/me/recommendations?limit=1", Some(&sam)).await.expect(StatusCode::OK).json();
    assert_eq!(one.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn hosts_met_or_who_declined_drop_out_and_a_follow_up_invitation_brings_one_back() {
    let Dataset { app, sam } = dataset().await;
    let lena = app
        .post("/api/v1/tokens", None, json!({"email": "lena-ux@example.org", "password": common::PASSWORD}))
        .await
        .expect(StatusCode::CREATED)
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let dev = app
        .post("/api/v1/tokens", None, json!({"email": "dev-data@example.org", "password": common::PASSWORD}))
        .await
        .expect(StatusCode::CREATED)
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();

    // A pending request already takes the host off the list (they are in touch).
    let start = app.slots("lena-ux", 30).await[0].0;
    let asked = app.request(&sam, "lena-ux", start).await;
    let handles = |found: Value| -> Vec<String> {
        found.as_array().unwrap().iter().map(|r| r["host"]["handle"].as_str().unwrap().to_owned()).collect()
    };
    let found = app.get("/api/v1/me/recommendations", Some(&sam)).await.expect(StatusCode::OK).json();
    assert_eq!(handles(found), ["dev-data", "pat-pm"]);

    // Accepted and held: once the conversation has taken place, they have met.
    let interview = app
        .post(&format!("/api/v1/requests/{asked}/accept"), Some(&lena), json!({"start": start.to_string()}))
        .await
        .expect(StatusCode::CREATED)
        .json()["id"]
        .as_i64()
        .unwrap();
    app.clock.set(start + SignedDuration::from_mins(45));
    let found = app.get("/api/v1/me/recommendations", Some(&sam)).await.expect(StatusCode::OK).json();
    assert_eq!(handles(found), ["dev-data", "pat-pm"]);

    // A host who declined the seeker drops out too.
    let start = app.slots("dev-data", 30).await[0].0;
    let declined = app.request(&sam, "dev-data", start).await;
    app.post(&format!("/api/v1/requests/{declined}/decline"), Some(&dev), json!({"reason": "not_my_area"}))
        .await
        .expect(StatusCode::OK);
    let found = app.get("/api/v1/me/recommendations", Some(&sam)).await.expect(StatusCode::OK).json();
    assert_eq!(handles(found), ["pat-pm"]);

    // The host invites the seeker back: recommended again, saying so first.
    app.post(&format!("/api/v1/interviews/{interview}/follow-up"), Some(&lena), json!({})).await.expect(StatusCode::OK);
    let found = app.get("/api/v1/me/recommendations", Some(&sam)).await.expect(StatusCode::OK).json();
    assert_eq!(found[0]["host"]["handle"], "lena-ux");
    assert_eq!(found[0]["reasons"][0], "invited you back for a follow-up conversation");
}

#[tokio::test]
async fn the_seeker_profile_round_trips_and_names_bad_fields() {
    let app = TestApp::new().await;
    let sam = app.seeker("sam@example.org").await;
    app.get("/api/v1/me/seeker-profile", Some(&sam)).await.expect_error(StatusCode::NOT_FOUND, "not_found", None);
    // Recommendations need a profile first.
    app.get("/api/v1/me/recommendations", Some(&sam)).await.expect_error(StatusCode::CONFLICT, "conflict", None);

    let saved = app.put("/api/v1/me/seeker-profile", Some(&sam), seeker_profile()).await.expect(StatusCode::OK).json();
    assert_eq!(saved, seeker_profile());
    assert_eq!(app.get("/api/v1/me/seeker-profile", Some(&sam)).await.expect(StatusCode::OK).json(), saved);

    let cases = [
        (json!({"target_roles": [], "target_industries": []}), "target_roles"),
        (json!({"target_roles": ["a", "b", "c", "d", "e", "f"]}), "target_roles"),
        (json!({"current_role": "x".repeat(101)}), "current_role"),
        (json!({"current_employer": "x".repeat(101)}), "current_employer"),
        (json!({"skills": ["x".repeat(41)]}), "skills"),
        (json!({"languages": (0..9).map(|i| format!("language {i}")).collect::<Vec<_>>()}), "languages"),
        (json!({"region": "x".repeat(61)}), "region"),
        (json!({"learn_topics": (0..11).map(|i| format!("topic {i}")).collect::<Vec<_>>()}), "learn_topics"),
        (json!({"previous_roles": ["x".repeat(101)]}), "previous_roles"),
        (json!({"remote_ok": "yes"}), "remote_ok"),
        (json!({"skills": "SQL"}), "skills"),
    ];
    for (change, field) in cases {
        let mut body = seeker_profile();
        for (key, value) in change.as_object().unwrap() {
            body[key] = value.clone();
        }
        app.put("/api/v1/me/seeker-profile", Some(&sam), body).await.expect_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            Some(field),
        );
    }
    app.get("/api/v1/me/recommendations?limit=0", Some(&sam)).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("limit"),
    );
    app.get("/api/v1/me/recommendations?limit=51", Some(&sam)).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("limit"),
    );

    // Hosts have no seeker profile; nobody without a token has one either.
    let host = app.host("priya-data").await;
    app.get("/api/v1/me/seeker-profile", Some(&host)).await.expect_error(StatusCode::FORBIDDEN, "forbidden", None);
    app.get("/api/v1/me/recommendations", Some(&host)).await.expect_error(StatusCode::FORBIDDEN, "forbidden", None);
    app.get("/api/v1/me/recommendations", None).await.expect(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_host_background_travels_with_the_host_profile() {
    let app = TestApp::new().await;
    let token = app.host("priya-data").await;
    let stored = app.get("/api/v1/me/host-profile", Some(&token)).await.expect(StatusCode::OK).json();
    assert_eq!(stored["previous_roles"], json!([]));
    assert_eq!(stored["seniority"], "");

    let mut body = common::host_profile("priya-data");
    body["previous_roles"] = json!(["Maths teacher", "Data analyst"]);
    body["languages"] = json!(["English", "Tamil"]);
    body["region"] = json!("Asia");
    body["seniority"] = json!("senior");
    let saved = app.put("/api/v1/me/host-profile", Some(&token), body).await.expect(StatusCode::OK).json();
    assert_eq!(saved["previous_roles"], json!(["Maths teacher", "Data analyst"]));
    assert_eq!(saved["handle"], "priya-data");
    assert_eq!(app.get("/api/v1/me/host-profile", Some(&token)).await.expect(StatusCode::OK).json(), saved);

    // The public page shows the path, earliest first and ending with today's role, and the languages.
    let page = app.get("/h/priya-data", None).await.expect(StatusCode::OK).text();
    let teacher = page.find("<li>Maths teacher</li>").expect("the first earlier role is listed");
    let analyst = page.find("<li>Data analyst</li>").expect("the second earlier role is listed");
    assert!(teacher < analyst && analyst < page.find("(now)</li>").unwrap(), "earliest first, now last");
    assert!(page.contains("Speaks English, Tamil"));

    // Earlier roles are found by the directory search, through the vocabulary ("teaching" → teacher).
    let found = app.get("/api/v1/hosts?q=teaching", None).await.expect(StatusCode::OK).json();
    assert_eq!(found[0]["handle"], "priya-data");

    // Both parts are checked before anything is written; every bad field is named.
    let mut bad = common::host_profile("priya-data");
    bad["industry"] = json!("");
    bad["seniority"] = json!("intern");
    let reply = app.put("/api/v1/me/host-profile", Some(&token), bad).await;
    let body = reply.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("seniority")).json();
    assert!(body["error"]["fields"]["industry"].is_string());
    assert_eq!(app.get("/api/v1/me/host-profile", Some(&token)).await.json(), saved);
    // A missing required field of the public part is still named, through the flattened body.
    app.put("/api/v1/me/host-profile", Some(&token), json!({"name": "Priya", "role": "x", "industry": "y"}))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("handle"));
    app.put(
        "/api/v1/me/host-profile",
        Some(&token),
        json!({"handle": "priya-data", "name": "P", "role": "r", "industry": "i", "languages": "English"}),
    )
    .await
    .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("languages"));
}

#[tokio::test]
async fn the_pages_work_without_javascript() {
    let Dataset { app, .. } = dataset().await;
    app.sign_up("noor@example.org", "Noor Aziz", &["seeker"], "Europe/Paris").await;
    let noor = Browser::log_in(&app, "noor@example.org").await;

    // No profile yet: the page asks for one.
    let text = noor.get("/recommendations").await.expect(StatusCode::OK).text();
    assert!(text.contains("Fill in your seeker profile"));

    // A refused form keeps what was typed and names the field.
    let reply = noor.post("/settings/seeker-profile", &[("current_role", "Nurse"), ("skills", "SQL")]).await;
    let text = unescape(&reply.expect(StatusCode::UNPROCESSABLE_ENTITY).text());
    assert!(text.contains("value=\"Nurse\""), "{text}");
    let message = text.split("field-target-roles-error\">").nth(1).unwrap_or_default();
    assert!(message.starts_with("Name at least one role or industry"), "{message}");

    let form = [
        ("target_roles", "Data scientist\r\nUX researcher"),
        ("target_industries", "Software"),
        ("current_role", "Nurse"),
        ("languages", "English, Spanish"),
        ("remote_ok", "on"),
        ("learn_topics", "portfolio"),
    ];
    let reply = noor.post("/settings/seeker-profile", &form).await.expect(StatusCode::SEE_OTHER);
    assert_eq!(reply.header("location"), "/recommendations");
    let text = noor.get("/settings/seeker-profile").await.expect(StatusCode::OK).text();
    assert!(text.contains("Data scientist\nUX researcher"), "{text}");

    let text = unescape(&noor.get("/recommendations").await.expect(StatusCode::OK).text());
    assert!(text.contains("People to talk to"));
    assert!(text.contains("href=\"/h/lena-ux\""));
    assert!(text.contains("works as a lead UX researcher, your target role"), "{text}");
    // Times name their zone (the seeker's own).
    assert!(text.contains("(Europe/Paris)"));
    // The full host is listed apart with when they open again.
    assert!(text.contains("Full for now"));
    assert!(text.contains("Opens again from Wed 1 Apr 2026"), "{text}");

    // A host's profile form carries the background fields…
    let lena = Browser::log_in(&app, "lena-ux@example.org").await;
    let text = lena.get("/settings/profile").await.expect(StatusCode::OK).text();
    assert!(text.contains("Secondary school teacher"));
    assert!(text.contains("<option value=\"leadership\" selected>"));
    // … and saving it keeps them.
    let text = lena.get("/recommendations").await.expect(StatusCode::FORBIDDEN).text();
    assert!(text.contains("seeker"));
}
