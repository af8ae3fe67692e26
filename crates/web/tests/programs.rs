//! Programs over HTTP: a cohort round end to end (propose → pin/forbid → re-solve → publish → requests exist),
//! the pairs that are never proposed (met, declined, same employer), who may do what, and bad input.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use axum::http::StatusCode;
use common::{TestApp, policy};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

/// A host with their own name and profile; returns (account id, token).
async fn host(app: &TestApp, handle: &str, name: &str, role: &str, employer: &str, industry: &str) -> (i64, String) {
    let (account, token) = app.sign_up(&format!("{handle}@example.org"), name, &["host"], "Europe/London").await;
    let profile = json!({
        "handle": handle,
        "name": name,
        "headline": format!("{role} at {employer}"),
        "role": role,
        "employer": employer,
        "industry": industry,
        "skills": ["SQL"],
        "topics": ["Changing careers"],
        "career_path": "Started elsewhere, then moved here."
    });
    app.put("/api/v1/me/host-profile", Some(&token), profile).await.expect(StatusCode::OK);
    app.put("/api/v1/me/policy", Some(&token), policy()).await.expect(StatusCode::OK);
    (account["id"].as_i64().unwrap(), token)
}

/// A seeker with a matching profile; returns (account id, token).
async fn seeker(app: &TestApp, email: &str, name: &str, target: &str, employer: &str) -> (i64, String) {
    let (account, token) = app.sign_up(email, name, &["seeker"], "America/New_York").await;
    let profile = json!({
        "target_roles": [target],
        "current_role": "Teacher",
        "current_employer": employer,
        "skills": ["SQL"],
        "learn_topics": ["what the work is like"]
    });
    app.put("/api/v1/me/seeker-profile", Some(&token), profile).await.expect(StatusCode::OK);
    (account["id"].as_i64().unwrap(), token)
}

/// A request with three prepared questions; returns its id.
async fn request(app: &TestApp, seeker: &str, handle: &str, start: Timestamp) -> i64 {
    let body = json!({
        "host": handle,
        "length_minutes": 30,
        "proposed_starts": [start.to_string()],
        "purpose": "I teach and want to learn how people move into this work.",
        "topics": ["career_path"],
        "questions": [
            "How did you move into this role?",
            "What does a typical week look like?",
            "Which skills mattered most in your first year?"
        ]
    });
    app.post("/api/v1/requests", Some(seeker), body).await.expect(StatusCode::CREATED).json()["id"].as_i64().unwrap()
}

fn token_of(url: &str) -> String {
    url.rsplit('/').next().unwrap().to_owned()
}

fn pairs(proposal: &Value) -> Vec<(i64, i64)> {
    proposal["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["seeker"].as_i64().unwrap(), p["host"].as_i64().unwrap()))
        .collect()
}

struct Cohort {
    app: TestApp,
    admin: String,
    program: i64,
    priya: (i64, String),
    marco: (i64, String),
    sam: (i64, String),
    lee: (i64, String),
    kim: (i64, String),
    dan: (i64, String),
}

/// Two hosts and four seekers in a career centre's program. Dan has already met Priya, Marco declined Kim, and
/// Lee works at Priya's employer.
async fn cohort() -> Cohort {
    let app = TestApp::new().await;
    let (_, admin) = app.sign_up("admin@example.org", "Ada Admin", &["seeker"], "Europe/London").await;
    let priya =
        host(&app, "priya-data", "Priya Raman", "Senior data scientist", "Northwind Health", "Healthcare").await;
    let marco = host(&app, "marco-ux", "Marco Rossi", "UX researcher", "Fabrikam", "Software").await;
    let sam = seeker(&app, "sam@example.org", "Sam Lee", "Data scientist", "Springfield High").await;
    let lee = seeker(&app, "lee@example.org", "Lee Chen", "Data scientist", "Northwind Health Ltd").await;
    let kim = seeker(&app, "kim@example.org", "Kim Park", "UX researcher", "Riverside School").await;
    let dan = seeker(&app, "dan@example.org", "Dan Obi", "Data scientist", "Lakeside College").await;

    // Dan meets Priya; Marco declines Kim.
    let first = app.slots("priya-data", 30).await[0].0;
    let met = request(&app, &dan.1, "priya-data", first).await;
    app.post(&format!("/api/v1/requests/{met}/accept"), Some(&priya.1), json!({"start": first.to_string()}))
        .await
        .expect(StatusCode::CREATED);
    let marco_slot = app.slots("marco-ux", 30).await[0].0;
    let declined = request(&app, &kim.1, "marco-ux", marco_slot).await;
    app.post(
        &format!("/api/v1/requests/{declined}/decline"),
        Some(&marco.1),
        json!({"reason": "timing", "message": ""}),
    )
    .await
    .expect(StatusCode::OK);
    // Their conversation took place.
    app.clock.set(first + SignedDuration::from_hours(2));

    let program = app
        .post("/api/v1/programs", Some(&admin), json!({"name": "Spring career-change cohort", "kind": "career_centre"}))
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(program["roles"], json!(["admin"]));
    let id = program["id"].as_i64().unwrap();
    let hosts_link = app
        .post(&format!("/api/v1/programs/{id}/invitations"), Some(&admin), json!({"role": "host"}))
        .await
        .expect(StatusCode::CREATED)
        .json()["url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(hosts_link.starts_with("http://127.0.0.1:8080/join/"), "{hosts_link}");
    let seekers_link = app
        .call(axum::http::Method::POST, &format!("/api/v1/programs/{id}/invitations"), Some(&admin), None)
        .await
        .expect(StatusCode::CREATED)
        .json()["url"]
        .as_str()
        .unwrap()
        .to_owned();
    for token in [&priya.1, &marco.1] {
        app.post("/api/v1/programs/join", Some(token), json!({"token": hosts_link})).await.expect(StatusCode::OK);
    }
    for token in [&sam.1, &lee.1, &kim.1, &dan.1] {
        let joined = app
            .post("/api/v1/programs/join", Some(token), json!({"token": token_of(&seekers_link)}))
            .await
            .expect(StatusCode::OK)
            .json();
        assert_eq!(joined["roles"], json!(["seeker"]));
    }
    Cohort { app, admin, program: id, priya, marco, sam, lee, kim, dan }
}

#[tokio::test]
async fn a_cohort_round_goes_from_proposal_to_published_requests() {
    let Cohort { app, admin, program, priya, marco, sam, lee, kim, dan } = cohort().await;
    let base = format!("/api/v1/programs/{program}");

    let detail = app.get(&base, Some(&admin)).await.expect(StatusCode::OK).json();
    let roles: Vec<&str> = detail["members"].as_array().unwrap().iter().map(|m| m["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["admin", "host", "host", "seeker", "seeker", "seeker", "seeker"]);

    let body = json!({"seekers": [
        {"id": sam.0, "wanted": 1}, {"id": lee.0, "wanted": 1}, {"id": kim.0, "wanted": 1}, {"id": dan.0, "wanted": 2}
    ]});
    let proposal = app.post(&format!("{base}/rounds"), Some(&admin), body).await.expect(StatusCode::CREATED).json();
    let round = proposal["id"].as_i64().unwrap();
    // Lee never meets a colleague of Northwind, Kim never the host who declined her, Dan never Priya again.
    assert_eq!(pairs(&proposal), vec![(sam.0, priya.0), (lee.0, marco.0), (kim.0, priya.0), (dan.0, marco.0)]);
    let sam_pair = &proposal["pairs"][0];
    assert!(
        sam_pair["reasons"].as_array().unwrap().iter().any(|r| r.as_str().unwrap().contains("your target role")),
        "{sam_pair}"
    );
    let total: u64 = proposal["pairs"].as_array().unwrap().iter().map(|p| p["score"].as_u64().unwrap()).sum();
    assert_eq!(proposal["total_score"].as_u64().unwrap(), total);
    assert_eq!(proposal["unmatched"].as_array().unwrap().len(), 1);
    assert_eq!(proposal["unmatched"][0]["seeker"], dan.0);
    assert_eq!(proposal["unmatched"][0]["matched"], 1);
    assert!(proposal["unmatched"][0]["why"].as_str().unwrap().contains("already met: Priya Raman"), "{proposal}");
    assert_eq!(app.get(&format!("{base}/rounds/{round}"), Some(&admin)).await.expect(StatusCode::OK).json(), proposal);

    // Forbid Sam with Priya: the proposal is stale and cannot be published until re-solved.
    let pair = |seeker: i64, host: i64| json!({"seeker": seeker, "host": host});
    let stale = app
        .post(&format!("{base}/rounds/{round}/forbid"), Some(&admin), pair(sam.0, priya.0))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(stale["stale"], true);
    assert_eq!(stale["constraints"], json!([{"seeker": sam.0, "host": priya.0, "kind": "forbid"}]));
    app.post(&format!("{base}/rounds/{round}/publish"), Some(&admin), json!({})).await.expect_error(
        StatusCode::CONFLICT,
        "conflict",
        None,
    );
    let resolved =
        app.post(&format!("{base}/rounds/{round}/solve"), Some(&admin), json!({})).await.expect(StatusCode::OK).json();
    assert_eq!(resolved["stale"], false);
    assert!(pairs(&resolved).contains(&(sam.0, marco.0)), "{resolved}");

    // Pins that cannot hold are refused, naming why.
    for (seeker, host, why) in
        [(kim.0, marco.0, "declined"), (dan.0, priya.0, "already met"), (lee.0, priya.0, "employer")]
    {
        let refused = app.post(&format!("{base}/rounds/{round}/pin"), Some(&admin), pair(seeker, host)).await;
        let body = refused.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("pin")).json();
        assert!(body["error"]["fields"]["pin"].as_str().unwrap().contains(why), "{body}");
    }
    // Pin Sam with Priya (it replaces the forbid), and re-solve: the pin is in.
    app.post(&format!("{base}/rounds/{round}/pin"), Some(&admin), pair(sam.0, priya.0)).await.expect(StatusCode::OK);
    let too_many = app.post(&format!("{base}/rounds/{round}/pin"), Some(&admin), pair(sam.0, marco.0)).await;
    too_many.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("pin"));
    let pinned =
        app.post(&format!("{base}/rounds/{round}/solve"), Some(&admin), json!({})).await.expect(StatusCode::OK).json();
    let sam_priya = pinned["pairs"].as_array().unwrap().iter().find(|p| p["seeker"] == sam.0).unwrap();
    assert_eq!((sam_priya["host"].as_i64().unwrap(), sam_priya["pinned"].as_bool().unwrap()), (priya.0, true));

    // Publish: each pair is a pending request from the seeker, with proposed times in the host's free time.
    let published = app
        .post(&format!("{base}/rounds/{round}/publish"), Some(&admin), json!({}))
        .await
        .expect(StatusCode::OK)
        .json();
    let requests: Vec<i64> = published["requests"].as_array().unwrap().iter().map(|id| id.as_i64().unwrap()).collect();
    assert_eq!(requests.len(), 4, "{published}");
    assert_eq!(published["skipped"], json!([]));
    assert_eq!(published["round"]["status"], "published");
    assert_eq!(published["round"]["published_requests"], json!(requests));
    let tokens = [(sam.0, &sam.1), (lee.0, &lee.1), (kim.0, &kim.1), (dan.0, &dan.1)];
    let mut priya_first_slots = Vec::new();
    for id in &requests {
        let mut found = None;
        for token in [&priya.1, &marco.1] {
            let reply = app.get(&format!("/api/v1/requests/{id}"), Some(token)).await;
            if reply.status == StatusCode::OK {
                found = Some(reply.json());
            }
        }
        let request = found.unwrap();
        assert_eq!(request["status"], "pending");
        assert!(request["purpose"].as_str().unwrap().starts_with("Introduction through Spring career-change cohort"));
        let starts = request["proposed_starts"].as_array().unwrap();
        assert!((1..=3).contains(&starts.len()), "{request}");
        assert!(request["questions"].as_array().unwrap().len() >= 3);
        let seeker_id = request["seeker"]["id"].as_i64().unwrap();
        let (_, token) = tokens.iter().find(|(id, _)| *id == seeker_id).unwrap();
        app.get(&format!("/api/v1/requests/{id}"), Some(token)).await.expect(StatusCode::OK);
        if request["host"]["handle"] == "priya-data" {
            priya_first_slots.push(starts[0].as_str().unwrap().to_owned());
        }
    }
    let notices = app.get("/api/v1/me/notifications", Some(&sam.1)).await.expect(StatusCode::OK).text();
    assert!(notices.contains("Spring career-change cohort matched you with Priya Raman"), "{notices}");
    assert_eq!(priya_first_slots.len(), 2);
    assert_ne!(priya_first_slots[0], priya_first_slots[1], "one host's requests start on different slots");

    // Published once; nothing changes afterwards.
    app.post(&format!("{base}/rounds/{round}/publish"), Some(&admin), json!({})).await.expect_error(
        StatusCode::CONFLICT,
        "conflict",
        None,
    );
    app.post(&format!("{base}/rounds/{round}/pin"), Some(&admin), pair(kim.0, priya.0)).await.expect_error(
        StatusCode::CONFLICT,
        "conflict",
        None,
    );
    app.post(&format!("{base}/rounds/{round}/solve"), Some(&admin), json!({})).await.expect_error(
        StatusCode::CONFLICT,
        "conflict",
        None,
    );
    let listed = app.get(&base, Some(&admin)).await.expect(StatusCode::OK).json();
    assert_eq!(listed["rounds"][0]["status"], "published");
}

#[tokio::test]
async fn only_members_see_a_program_and_only_admins_run_it() {
    let Cohort { app, admin, program, sam, priya, .. } = cohort().await;
    let base = format!("/api/v1/programs/{program}");
    let outsider = app.seeker("outsider@example.org").await;

    app.get(&base, None).await.expect_error(StatusCode::UNAUTHORIZED, "unauthorized", None);
    app.get(&base, Some(&outsider)).await.expect_error(StatusCode::NOT_FOUND, "not_found", None);
    app.post(&format!("{base}/rounds"), Some(&outsider), json!({})).await.expect_error(
        StatusCode::NOT_FOUND,
        "not_found",
        None,
    );
    app.get("/api/v1/programs/999999", Some(&admin)).await.expect_error(StatusCode::NOT_FOUND, "not_found", None);

    // A member sees the program and its members, not its rounds, and cannot act as an admin.
    let seen = app.get(&base, Some(&sam.1)).await.expect(StatusCode::OK).json();
    assert_eq!(seen["roles"], json!(["seeker"]));
    assert_eq!(seen["rounds"], json!([]));
    let mine = app.get("/api/v1/programs", Some(&sam.1)).await.expect(StatusCode::OK).json();
    assert_eq!(mine[0]["id"], program);
    app.post(&format!("{base}/rounds"), Some(&sam.1), json!({})).await.expect_error(
        StatusCode::FORBIDDEN,
        "forbidden",
        None,
    );
    app.post(&format!("{base}/invitations"), Some(&priya.1), json!({})).await.expect_error(
        StatusCode::FORBIDDEN,
        "forbidden",
        None,
    );

    let round =
        app.post(&format!("{base}/rounds"), Some(&admin), json!({})).await.expect(StatusCode::CREATED).json()["id"]
            .as_i64()
            .unwrap();
    app.get(&format!("{base}/rounds/{round}"), Some(&sam.1)).await.expect_error(
        StatusCode::FORBIDDEN,
        "forbidden",
        None,
    );
    app.post(&format!("{base}/rounds/{round}/publish"), Some(&outsider), json!({})).await.expect_error(
        StatusCode::NOT_FOUND,
        "not_found",
        None,
    );
    // A round of one program is not found under another.
    let other = app
        .post("/api/v1/programs", Some(&admin), json!({"name": "Other", "kind": "agency"}))
        .await
        .expect(StatusCode::CREATED)
        .json()["id"]
        .as_i64()
        .unwrap();
    app.get(&format!("/api/v1/programs/{other}/rounds/{round}"), Some(&admin)).await.expect_error(
        StatusCode::NOT_FOUND,
        "not_found",
        None,
    );

    // A link for hosts does not make a seeker a host; an unknown link is not found.
    let hosts_link = app
        .post(&format!("{base}/invitations"), Some(&admin), json!({"role": "host"}))
        .await
        .expect(StatusCode::CREATED)
        .json()["url"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post("/api/v1/programs/join", Some(&outsider), json!({"token": hosts_link})).await.expect_error(
        StatusCode::FORBIDDEN,
        "forbidden",
        None,
    );
    app.post("/api/v1/programs/join", Some(&outsider), json!({"token": "nope"})).await.expect_error(
        StatusCode::NOT_FOUND,
        "not_found",
        None,
    );
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field() {
    let Cohort { app, admin, program, sam, priya, .. } = cohort().await;
    let base = format!("/api/v1/programs/{program}");

    app.post("/api/v1/programs", Some(&admin), json!({"name": " ", "kind": "school"})).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("name"),
    );
    app.post("/api/v1/programs", Some(&admin), json!({"name": "Fine", "kind": "school"})).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("kind"),
    );
    app.post(&format!("{base}/invitations"), Some(&admin), json!({"role": "admin"})).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("role"),
    );
    for (body, field) in [
        (json!({"fairness_weight": 150}), "fairness_weight"),
        (json!({"fairness_weight": 12.5}), "fairness_weight"),
        (json!({"max_host_share": 0}), "max_host_share"),
        (json!({"max_host_share": 1.5}), "max_host_share"),
        (json!({"default_wanted": 0}), "default_wanted"),
        (json!({"seekers": [{"id": sam.0, "wanted": 4}]}), "seekers[0].wanted"),
        (json!({"seekers": [{"id": priya.0, "wanted": 1}]}), "seekers[0].id"),
        (json!({"seekers": [{"id": sam.0}, {"id": sam.0}]}), "seekers[1].id"),
        (json!({"hosts": [{"id": sam.0}]}), "hosts[0].id"),
        (json!({"hosts": [{"id": priya.0, "capacity": -1}]}), "hosts[0].capacity"),
        (json!({"seekers": []}), "seekers"),
        (json!({"seekers": [{"wanted": 1}]}), "seekers[0].id"),
    ] {
        app.post(&format!("{base}/rounds"), Some(&admin), body.clone()).await.expect_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            Some(field),
        );
    }
    let round =
        app.post(&format!("{base}/rounds"), Some(&admin), json!({})).await.expect(StatusCode::CREATED).json()["id"]
            .as_i64()
            .unwrap();
    app.post(&format!("{base}/rounds/{round}/pin"), Some(&admin), json!({"seeker": priya.0, "host": priya.0}))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("seeker"));
    app.post(&format!("{base}/rounds/{round}/forbid"), Some(&admin), json!({"seeker": sam.0})).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("host"),
    );
}

#[tokio::test]
async fn capacity_is_the_remaining_monthly_cap_and_the_share_cap_limits_one_host() {
    let Cohort { app, admin, program, priya, marco, sam, lee, kim, dan } = cohort().await;
    let base = format!("/api/v1/programs/{program}");
    // Priya has had one interview this month of her cap of 10: she can give 9; asking for more gives 9.
    let proposal = app
        .post(
            &format!("{base}/rounds"),
            Some(&admin),
            json!({"hosts": [{"id": priya.0, "capacity": 50}, {"id": marco.0}], "default_wanted": 1}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let capacity = |id: i64| {
        proposal["hosts"].as_array().unwrap().iter().find(|h| h["id"] == id).unwrap()["capacity"].as_u64().unwrap()
    };
    assert_eq!((capacity(priya.0), capacity(marco.0)), (9, 10));
    assert_eq!(proposal["seekers"].as_array().unwrap().len(), 4);
    assert_eq!(proposal["seekers"].as_array().unwrap().iter().find(|s| s["id"] == dan.0).unwrap()["interviews_had"], 1);

    // Everyone prefers Priya where allowed (Sam; Kim must); a share of 0.25 of 4 wanted leaves her 1.
    let capped = app
        .post(&format!("{base}/rounds"), Some(&admin), json!({"max_host_share": 0.25, "fairness_weight": 50}))
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(capped["max_host_share"], 0.25);
    let priya_pairs = pairs(&capped).iter().filter(|(_, host)| *host == priya.0).count();
    assert_eq!(priya_pairs, 1, "{capped}");
    let marco_pairs = pairs(&capped).iter().filter(|(_, host)| *host == marco.0).count();
    assert_eq!(marco_pairs, 1, "ceil(0.25 × 4) = 1 for Marco too: {capped}");
    let _ = (sam, lee, kim);
}

#[tokio::test]
async fn a_proposal_on_a_fixed_cohort_is_stable() {
    let Cohort { app, admin, program, .. } = cohort().await;
    let proposal = app
        .post(
            &format!("/api/v1/programs/{program}/rounds"),
            Some(&admin),
            json!({"default_wanted": 2, "fairness_weight": 40}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let view: Vec<Value> = proposal["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| json!({"seeker": p["seeker_name"], "host": p["host_name"], "score": p["score"], "reasons": p["reasons"]}))
        .collect();
    let unmatched: Vec<Value> = proposal["unmatched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| json!({"seeker": u["seeker_name"], "wanted": u["wanted"], "matched": u["matched"], "why": u["why"]}))
        .collect();
    insta::assert_json_snapshot!(
        "cohort_proposal",
        json!({"pairs": view, "total_score": proposal["total_score"], "unmatched": unmatched})
    );
}

#[tokio::test]
async fn the_pages_run_a_round_without_javascript() {
    use common::browser::Browser;
    let Cohort { app, program, sam, priya, .. } = cohort().await;
    let admin = Browser::log_in(&app, "admin@example.org").await;
    let base = format!("/programs/{program}");

    let list = admin.get("/programs").await.expect(StatusCode::OK).text();
    assert!(list.contains("Spring career-change cohort") && list.contains("Create a program"), "{list}");
    let refused = admin
        .post("/programs", &[("name", " "), ("kind", "agency")])
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY)
        .text();
    assert!(refused.contains("Name is required"), "{refused}");
    let created = admin
        .post("/programs", &[("name", "Northwind mentors"), ("kind", "employer")])
        .await
        .expect(StatusCode::SEE_OTHER);
    assert!(created.header("location").starts_with("/programs/"));

    // An invitation link is shown once, right after it was made.
    admin.post(&format!("{base}/invitations"), &[("role", "seeker")]).await.expect(StatusCode::SEE_OTHER);
    let page = admin.get(&base).await.expect(StatusCode::OK).text();
    let start = page.find("http://127.0.0.1:8080/join/").expect("the new link is shown");
    let link = &page[start..start + page[start..].find('"').unwrap()];
    let path = link.trim_start_matches("http://127.0.0.1:8080").to_owned();
    assert!(!admin.get(&base).await.text().contains(link), "shown only once");
    assert!(page.contains("Priya Raman") && page.contains("Sam Lee"), "members are listed");

    // A visitor is asked to log in or sign up and comes back; a signed-in user joins with one button.
    let visitor = Browser::anonymous(&app).get(&path).await.expect(StatusCode::OK).text();
    assert!(visitor.contains("Log in to join") && visitor.contains("next=/join/"), "{visitor}");
    app.sign_up("newcomer@example.org", "Nia Newcomer", &["seeker"], "Europe/London").await;
    let newcomer = Browser::log_in(&app, "newcomer@example.org").await;
    newcomer.get(&base).await.expect(StatusCode::NOT_FOUND);
    let joined = newcomer.post(&path, &[]).await.expect(StatusCode::SEE_OTHER);
    assert_eq!(joined.header("location"), base);
    assert!(newcomer.get(&base).await.expect(StatusCode::OK).text().contains("Welcome to"));
    Browser::anonymous(&app).get("/join/not-a-token").await.expect(StatusCode::NOT_FOUND);

    // A new round: a bad number is named beside its field; a good form leads to the review page.
    let bad = admin.post(&format!("{base}/rounds"), &[("default_wanted", "1"), ("fairness_weight", "lots")]).await;
    assert!(bad.expect(StatusCode::UNPROCESSABLE_ENTITY).text().contains("Fairness weight must be a number"));
    let proposed = admin
        .post(&format!("{base}/rounds"), &[("default_wanted", "1"), ("fairness_weight", "20"), ("max_host_share", "")])
        .await
        .expect(StatusCode::SEE_OTHER);
    let review_path = proposed.header("location").to_owned();
    let review = admin.get(&review_path).await.expect(StatusCode::OK).text();
    assert!(review.contains("Pin a pair") && review.contains("Seekers short of what they wanted"), "{review}");
    assert!(review.contains("Who takes part") && review.contains("Interviews before"), "{review}");
    assert!(review.contains("your target role") && review.contains("fairness weight 20 of 100"), "{review}");

    // Forbid, publish refused while stale, re-solve, publish.
    let pair = [("seeker", sam.0.to_string()), ("host", priya.0.to_string())];
    let pair: Vec<(&str, &str)> = pair.iter().map(|(k, v)| (*k, v.as_str())).collect();
    admin.post(&format!("{review_path}/forbid"), &pair).await.expect(StatusCode::SEE_OTHER);
    let stale = admin.get(&review_path).await.text();
    assert!(
        stale.contains("Forbidden: Sam Lee with Priya Raman") && stale.contains("Re-solve to see the round"),
        "{stale}"
    );
    admin.post(&format!("{review_path}/publish"), &[]).await.expect(StatusCode::SEE_OTHER);
    assert!(admin.get(&review_path).await.text().contains("re-solve and review it before publishing"));
    admin.post(&format!("{review_path}/solve"), &[]).await.expect(StatusCode::SEE_OTHER);
    admin.post(&format!("{review_path}/publish"), &[]).await.expect(StatusCode::SEE_OTHER);
    let done = admin.get(&review_path).await.expect(StatusCode::OK).text();
    assert!(done.contains("Published:") && done.contains("requests were sent"), "{done}");

    // Members who are not admins do not see rounds.
    let member = Browser::log_in(&app, "sam@example.org").await;
    member.get(&review_path).await.expect(StatusCode::FORBIDDEN);
    assert!(!member.get(&base).await.expect(StatusCode::OK).text().contains("Matching rounds"));
}

#[tokio::test]
async fn a_pair_already_in_touch_is_not_proposed_again() {
    let Cohort { app, admin, program, sam, .. } = cohort().await;
    let slot = app.slots("marco-ux", 30).await[0].0;
    request(&app, &sam.1, "marco-ux", slot).await;
    let proposal = app
        .post(
            &format!("/api/v1/programs/{program}/rounds"),
            Some(&admin),
            json!({"seekers": [{"id": sam.0, "wanted": 2}]}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(proposal["pairs"].as_array().unwrap().len(), 1, "{proposal}");
    let why = proposal["unmatched"][0]["why"].as_str().unwrap();
    assert!(why.contains("already in touch") && why.contains("Marco Rossi"), "{why}");
}

#[tokio::test]
async fn publishing_skips_a_pair_that_got_in_touch_meanwhile() {
    let Cohort { app, admin, program, sam, priya, .. } = cohort().await;
    let base = format!("/api/v1/programs/{program}");
    let proposal = app
        .post(&format!("{base}/rounds"), Some(&admin), json!({"seekers": [{"id": sam.0, "wanted": 1}]}))
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(pairs(&proposal), vec![(sam.0, priya.0)]);
    // Sam writes to Priya on their own before the admin publishes.
    let slot = app.slots("priya-data", 30).await[0].0;
    request(&app, &sam.1, "priya-data", slot).await;
    let round = proposal["id"].as_i64().unwrap();
    let published = app
        .post(&format!("{base}/rounds/{round}/publish"), Some(&admin), json!({}))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(published["requests"], json!([]));
    assert_eq!(published["skipped"][0]["seeker"], sam.0);
    assert!(published["skipped"][0]["why"].as_str().unwrap().contains("already in touch"), "{published}");
}
