//! The OpenAPI document describes every path of the contract, and its list of operations is pinned by a
//! snapshot so that a change to the API surface is a visible, reviewed change.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use axum::http::StatusCode;
use common::TestApp;

/// The API contract: these must stay.
const CONTRACT: [&str; 63] = [
    "POST /api/v1/accounts",
    "POST /api/v1/tokens",
    "GET /api/v1/me/host-profile",
    "PUT /api/v1/me/host-profile",
    "GET /api/v1/me/policy",
    "PUT /api/v1/me/policy",
    "GET /api/v1/me/overrides",
    "POST /api/v1/me/overrides",
    "DELETE /api/v1/me/overrides/{id}",
    "GET /api/v1/hosts",
    "GET /api/v1/hosts/{handle}",
    "GET /api/v1/hosts/{handle}/slots",
    "POST /api/v1/requests",
    "GET /api/v1/requests",
    "GET /api/v1/requests/{id}",
    "POST /api/v1/requests/{id}/accept",
    "POST /api/v1/requests/{id}/decline",
    "POST /api/v1/requests/{id}/withdraw",
    "GET /api/v1/me/waitlist",
    "DELETE /api/v1/me/waitlist/{id}",
    "GET /api/v1/me/notifications",
    "POST /api/v1/me/notifications/read",
    "GET /api/v1/interviews",
    "GET /api/v1/interviews/{id}",
    "POST /api/v1/interviews/{id}/cancel",
    "GET /api/v1/interviews/{id}/ics",
    "POST /api/v1/interviews/{id}/reschedule",
    "POST /api/v1/interviews/{id}/thanks",
    "POST /api/v1/interviews/{id}/debrief",
    "POST /api/v1/interviews/{id}/consent",
    "POST /api/v1/interviews/{id}/no-show",
    "POST /api/v1/interviews/{id}/follow-up",
    "GET /api/v1/me/talent-pool",
    "GET /api/v1/me/feed",
    "POST /api/v1/me/feed",
    "DELETE /api/v1/me/feed",
    "GET /api/v1/me/busy-calendars",
    "POST /api/v1/me/busy-calendars",
    "DELETE /api/v1/me/busy-calendars/{id}",
    "GET /api/v1/me/busy-calendars/{id}",
    "POST /api/v1/me/busy-calendars/{id}/refresh",
    "POST /api/v1/etiquette/check",
    "GET /api/v1/question-bank",
    "GET /api/v1/me",
    "PUT /api/v1/me",
    "GET /api/v1/me/seeker-profile",
    "PUT /api/v1/me/seeker-profile",
    "GET /api/v1/me/recommendations",
    "GET /api/v1/me/recommendations/later",
    "GET /healthz",
    "GET /readyz",
    "POST /api/v1/programs",
    "GET /api/v1/programs",
    "GET /api/v1/programs/{id}",
    "POST /api/v1/programs/join",
    "POST /api/v1/programs/{id}/invitations",
    "POST /api/v1/programs/{id}/rounds",
    "GET /api/v1/programs/{id}/rounds/{round}",
    "POST /api/v1/programs/{id}/rounds/{round}/pin",
    "POST /api/v1/programs/{id}/rounds/{round}/forbid",
    "POST /api/v1/programs/{id}/rounds/{round}/release",
    "POST /api/v1/programs/{id}/rounds/{round}/solve",
    "POST /api/v1/programs/{id}/rounds/{round}/publish",
];

#[tokio::test]
async fn the_served_document_lists_every_contract_operation() {
    let app = TestApp::new().await;
    let document = app.get("/api/openapi.json", None).await.expect(StatusCode::OK).json();
    let operations = coffeechat_web::api::docs::operation_list(&document);
    for operation in CONTRACT {
        assert!(operations.iter().any(|listed| listed == operation), "{operation} is not documented");
    }
    insta::assert_json_snapshot!("operations", operations);

    // Every operation says what it answers, and the error body is a named schema.
    assert!(document["components"]["schemas"]["ErrorBody"].is_object());
    assert!(document["components"]["securitySchemes"]["bearer"].is_object());
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            assert!(operation["responses"].as_object().is_some_and(|r| !r.is_empty()), "{method} {path}");
        }
    }
}

#[test]
fn the_document_is_the_same_one_the_library_builds() {
    let built = serde_json::to_value(coffeechat_web::api::openapi()).unwrap();
    let operations = coffeechat_web::api::docs::operation_list(&built);
    let mut contract = CONTRACT.map(str::to_owned).to_vec();
    contract.sort();
    assert_eq!(operations, contract, "every operation is in the contract list, and nothing else");
}
