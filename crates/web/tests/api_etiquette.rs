//! The etiquette check and the question bank through HTTP: public, documented, and answering with the
//! contract's shapes.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::{Value, json};

const CHECK: &str = "/api/v1/etiquette/check";

fn rules(report: &Value) -> Vec<&str> {
    report["findings"].as_array().unwrap().iter().map(|finding| finding["rule"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn a_well_prepared_request_has_no_findings_and_needs_no_account() {
    let app = TestApp::new().await;
    let body = json!({
        "purpose": "I'm not asking for a job; I teach maths and would like to learn how you moved into data science.",
        "questions": [
            "How did you get your job?",
            "What does the hiring process look like in general?",
            "How should I shape my résumé for this field?"
        ],
        "length_minutes": 30
    });
    let report = app.post(CHECK, None, body).await.expect(StatusCode::OK).json();
    assert_eq!(report, json!({"findings": []}));
}

#[tokio::test]
async fn each_objection_names_its_sentence_rule_and_suggestion() {
    let app = TestApp::new().await;
    let body = json!({
        "purpose": "I'd like to learn about your work. Attached is my résumé. My boss is terrible.",
        "questions": [
            "1. Which jobs are open on your team?\n2. Can you help me get a job at your company?",
            "Could we talk for an hour?"
        ],
        "length_minutes": 30
    });
    let report = app.post(CHECK, None, body).await.expect(StatusCode::OK).json();
    assert_eq!(rules(&report), ["pitching", "venting", "inside_track", "job_development", "over_time"]);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings[0]["text"], "Attached is my résumé.");
    assert_eq!(findings[2]["text"], "Which jobs are open on your team?");
    for finding in findings {
        let object = finding.as_object().unwrap();
        assert_eq!(object.len(), 3, "{finding}");
        assert!(finding["suggestion"].as_str().is_some_and(|s| s.len() > 40), "{finding}");
    }
    assert!(findings[4]["suggestion"].as_str().unwrap().contains("the 30 minutes"));
}

#[tokio::test]
async fn time_is_judged_against_the_offered_length_when_given() {
    let app = TestApp::new().await;
    let ask = |length: Option<u16>| json!({"purpose": "Could we meet for 45 minutes?", "questions": [], "length_minutes": length});
    let over = app.post(CHECK, None, ask(Some(20))).await.expect(StatusCode::OK).json();
    assert_eq!(rules(&over), ["over_time"]);
    let fine = app.post(CHECK, None, ask(Some(45))).await.expect(StatusCode::OK).json();
    assert_eq!(rules(&fine), Vec::<&str>::new());
    // Without a length, up to the longest conversation Coffeechat offers (45 minutes) is fine.
    let unknown = app.post(CHECK, None, ask(None)).await.expect(StatusCode::OK).json();
    assert_eq!(rules(&unknown), Vec::<&str>::new());
    // `questions` may be left out.
    let bare = app.post(CHECK, None, json!({"purpose": "Could you refer me?"})).await.expect(StatusCode::OK).json();
    assert_eq!(rules(&bare), ["inside_track"]);
}

#[tokio::test]
async fn bad_input_is_named() {
    let app = TestApp::new().await;
    app.post(CHECK, None, json!({"questions": []})).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("purpose"),
    );
    app.post(CHECK, None, json!({"purpose": "Hi", "length_minutes": 0})).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("length_minutes"),
    );
    app.post(CHECK, None, json!({"purpose": "Hi", "length_minutes": -5})).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("length_minutes"),
    );
    let long = "a".repeat(5_001);
    app.post(CHECK, None, json!({"purpose": long})).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("purpose"),
    );
    let many: Vec<String> = (0..51).map(|n| format!("Question {n}?")).collect();
    app.post(CHECK, None, json!({"purpose": "Hi", "questions": many})).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("questions"),
    );
    app.post(CHECK, None, json!({"purpose": "Hi", "questions": ["ok", "b".repeat(1_001)]})).await.expect_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Some("questions[1]"),
    );
    app.post(CHECK, None, json!(["not", "an", "object"])).await.expect_error(
        StatusCode::BAD_REQUEST,
        "bad_request",
        None,
    );
}

#[tokio::test]
async fn the_question_bank_lists_every_topic_with_adaptable_questions() {
    let app = TestApp::new().await;
    let reply = app.get("/api/v1/question-bank", None).await.expect(StatusCode::OK);
    assert!(reply.header("cache-control").contains("max-age"), "{:?}", reply.headers);
    let bank = reply.json();
    assert_eq!(
        (bank["minutes_per_question_low"].as_u64(), bank["minutes_per_question_high"].as_u64()),
        (Some(3), Some(4))
    );
    let topics = bank["topics"].as_array().unwrap();
    let names: Vec<&str> = topics.iter().map(|topic| topic["topic"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "career_path",
            "day_in_the_role",
            "skills_and_training",
            "culture",
            "advancement",
            "benefits",
            "hiring_process",
            "industry_trends",
            "succeeding"
        ]
    );
    for topic in topics {
        let questions = topic["questions"].as_array().unwrap();
        assert!((6..=10).contains(&questions.len()), "{}", topic["topic"]);
        assert!(questions.iter().all(|q| q["text"].is_string() && q["adapt"].is_string()));
        assert!(topic["title"].as_str().is_some_and(|title| !title.is_empty()));
    }

    // Every question of the bank passes the check.
    for topic in topics {
        let questions: Vec<&Value> = topic["questions"].as_array().unwrap().iter().map(|q| &q["text"]).collect();
        let body = json!({"purpose": "", "questions": questions, "length_minutes": 15});
        let report = app.post(CHECK, None, body).await.expect(StatusCode::OK).json();
        assert_eq!(report, json!({"findings": []}), "{}", topic["topic"]);
    }
}

#[tokio::test]
async fn both_operations_are_documented() {
    let app = TestApp::new().await;
    let document = app.get("/api/openapi.json", None).await.expect(StatusCode::OK).json();
    let operations = coffeechat_web::api::docs::operation_list(&document);
    for operation in ["POST /api/v1/etiquette/check", "GET /api/v1/question-bank"] {
        assert!(operations.iter().any(|listed| listed == operation), "{operation} is not documented");
    }
    let check = &document["paths"]["/api/v1/etiquette/check"]["post"];
    assert!(check.get("security").is_none(), "the check is public: {check}");
    let rule = &document["components"]["schemas"]["EtiquetteRule"]["enum"];
    assert_eq!(rule, &json!(["pitching", "inside_track", "job_development", "venting", "over_time"]));
}
