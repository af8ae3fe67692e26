//! Over a real socket (127.0.0.1, port 0): the server as production runs it, and the concurrency rule —
//! many parallel accepts of overlapping slots book exactly one interview.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use std::sync::Arc;

use coffeechat_domain::{Email, NewRequestInput, Roles, TimeZoneName};
use coffeechat_store::NewAccount;
use common::{PASSWORD, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn the_server_answers_over_http() {
    let app = TestApp::new().await;
    let address = app.spawn_server().await;
    let client = reqwest::Client::new();
    let base = format!("http://{address}");

    let health = client.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    assert_eq!(health.json::<Value>().await.unwrap(), json!({"status": "ok"}));

    let body = json!({"email": "ada@example.org", "password": PASSWORD, "name": "Ada", "roles": ["seeker"], "time_zone": "UTC"});
    let created = client.post(format!("{base}/api/v1/accounts")).json(&body).send().await.unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let token = client
        .post(format!("{base}/api/v1/tokens"))
        .json(&json!({"email": "ada@example.org", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), StatusCode::CREATED);
    let token = token.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned();
    let me = client.get(format!("{base}/api/v1/me")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    assert_eq!(me.json::<Value>().await.unwrap()["email"], "ada@example.org");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_parallel_accepts_of_overlapping_slots_book_exactly_one_interview() {
    const SEEKERS: usize = 50;
    let app = TestApp::new().await;
    let host = app.host("priya-data").await;
    // No holds, so that fifty pending requests may propose the same time (holds have their own tests).
    let mut no_holds = common::policy();
    no_holds["hold_hours"] = json!(0);
    app.put("/api/v1/me/policy", Some(&host), no_holds).await.expect(StatusCode::OK);
    let slots = app.slots("priya-data", 30).await;
    let (first_start, first_end) = slots[0];
    // Every slot that overlaps the first one once the host's 10-minute buffer is counted.
    let buffer = jiff::SignedDuration::from_mins(10);
    let overlapping: Vec<_> =
        slots.iter().map(|slot| slot.0).filter(|start| *start < first_end.checked_add(buffer).unwrap()).collect();
    assert!(!overlapping.is_empty());

    // Fifty seekers, each proposing the first slot or one that overlaps it. Accounts are written through the
    // store with one precomputed hash: fifty argon2 hashes would only slow the test down.
    let services = &app.state.services;
    let password_hash = coffeechat_service::hash_password(PASSWORD).unwrap();
    let mut requests = Vec::new();
    for index in 0..SEEKERS {
        let seeker = services
            .store()
            .create_account(NewAccount {
                email: Email::parse(&format!("seeker{index}@example.org")).unwrap(),
                name: format!("Seeker {index}"),
                roles: Roles::parse(&["seeker"]).unwrap(),
                time_zone: TimeZoneName::parse("America/Chicago").unwrap(),
                password_hash: password_hash.clone(),
            })
            .await
            .unwrap();
        let start = overlapping[index % overlapping.len()];
        let request = services
            .create_request(
                &seeker,
                NewRequestInput {
                    host: "priya-data".into(),
                    length_minutes: 30,
                    proposed_starts: vec![start.to_string()],
                    purpose: format!("Question number {index} about data science"),
                    topics: vec!["career_path".into()],
                    questions: vec![
                        "What did your first year look like?".into(),
                        "Which skills mattered most?".into(),
                        "How do you keep learning?".into(),
                    ],
                },
            )
            .await
            .unwrap();
        requests.push((request.id.0, start));
    }

    // The host accepts all fifty at once over real connections.
    let address = app.spawn_server().await;
    let client = reqwest::Client::new();
    let host = Arc::new(host);
    let barrier = Arc::new(tokio::sync::Barrier::new(SEEKERS));
    let mut accepts = tokio::task::JoinSet::new();
    for (id, start) in requests {
        let (client, host, barrier) = (client.clone(), host.clone(), barrier.clone());
        accepts.spawn(async move {
            barrier.wait().await;
            let response = client
                .post(format!("http://{address}/api/v1/requests/{id}/accept"))
                .bearer_auth(host.as_str())
                .json(&json!({"start": start.to_string()}))
                .send()
                .await
                .unwrap();
            let status = response.status();
            (status, response.json::<Value>().await.unwrap())
        });
    }
    let mut created = Vec::new();
    let mut conflicts = 0;
    while let Some(outcome) = accepts.join_next().await {
        let (status, body) = outcome.unwrap();
        match status {
            StatusCode::CREATED => created.push(body),
            StatusCode::CONFLICT => {
                assert_eq!(body["error"]["code"], "conflict", "{body}");
                conflicts += 1;
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(created.len(), 1, "exactly one accept must win: {created:?}");
    assert_eq!(conflicts, SEEKERS - 1);

    // The store agrees: one scheduled interview, and the overlapping slots are gone.
    let interviews = app.get("/api/v1/interviews", Some(&host)).await.json();
    let scheduled: Vec<&Value> =
        interviews.as_array().unwrap().iter().filter(|interview| interview["status"] == "scheduled").collect();
    assert_eq!(scheduled.len(), 1);
    assert_eq!(scheduled[0]["id"], created[0]["id"]);
    let remaining = app.slots("priya-data", 30).await;
    assert!(remaining.iter().all(|slot| !overlapping.contains(&slot.0)), "an overlapping slot is still offered");
    let _ = first_start;
}
