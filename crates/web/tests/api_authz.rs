//! Authorization: a request or interview is visible only to its seeker and its host (anyone else gets 404),
//! only the host accepts or declines, only the seeker withdraws, and every private route needs credentials.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::TestApp;
use serde_json::json;

#[tokio::test]
async fn strangers_see_nothing_and_each_side_does_only_its_own_part() {
    let app = TestApp::new().await;
    let host = app.host("priya-data").await;
    let seeker_a = app.seeker("a@example.org").await;
    let seeker_b = app.seeker("b@example.org").await;
    let other_host = app.host("omar-ops").await;
    let slots = app.slots("priya-data", 30).await;
    let request = app.request(&seeker_a, "priya-data", slots[0].0).await;
    let start = json!({"start": slots[0].0.to_string()});

    // Seeker B and another host get 404 on seeker A's request, whatever they try.
    for stranger in [&seeker_b, &other_host] {
        app.get(&format!("/api/v1/requests/{request}"), Some(stranger)).await.expect_error(
            StatusCode::NOT_FOUND,
            "not_found",
            None,
        );
        app.post(&format!("/api/v1/requests/{request}/accept"), Some(stranger), start.clone()).await.expect_error(
            StatusCode::NOT_FOUND,
            "not_found",
            None,
        );
        app.post(&format!("/api/v1/requests/{request}/decline"), Some(stranger), json!({"reason": "timing"}))
            .await
            .expect_error(StatusCode::NOT_FOUND, "not_found", None);
        app.post(&format!("/api/v1/requests/{request}/withdraw"), Some(stranger), json!({})).await.expect_error(
            StatusCode::NOT_FOUND,
            "not_found",
            None,
        );
        let listed = app.get("/api/v1/requests", Some(stranger)).await.expect(StatusCode::OK).json();
        assert_eq!(listed, json!([]));
    }
    // A request that does not exist looks the same as one that is not yours.
    app.get("/api/v1/requests/999999", Some(&seeker_b)).await.expect_error(StatusCode::NOT_FOUND, "not_found", None);
    app.get("/api/v1/requests/not-a-number", Some(&seeker_b)).await.expect_error(
        StatusCode::NOT_FOUND,
        "not_found",
        None,
    );

    // Only the host accepts or declines; only the seeker withdraws.
    app.post(&format!("/api/v1/requests/{request}/accept"), Some(&seeker_a), start.clone()).await.expect_error(
        StatusCode::FORBIDDEN,
        "forbidden",
        None,
    );
    app.post(&format!("/api/v1/requests/{request}/decline"), Some(&seeker_a), json!({"reason": "timing"}))
        .await
        .expect_error(StatusCode::FORBIDDEN, "forbidden", None);
    app.post(&format!("/api/v1/requests/{request}/withdraw"), Some(&host), json!({})).await.expect_error(
        StatusCode::FORBIDDEN,
        "forbidden",
        None,
    );
    let still = app.get(&format!("/api/v1/requests/{request}"), Some(&seeker_a)).await.expect(StatusCode::OK).json();
    assert_eq!(still["status"], "pending", "a refused action changed the request");

    // The interview is just as private.
    let interview = app
        .post(&format!("/api/v1/requests/{request}/accept"), Some(&host), start)
        .await
        .expect(StatusCode::CREATED)
        .json()["id"]
        .as_i64()
        .unwrap();
    for path in [format!("/api/v1/interviews/{interview}"), format!("/api/v1/interviews/{interview}/ics")] {
        app.get(&path, Some(&seeker_b)).await.expect_error(StatusCode::NOT_FOUND, "not_found", None);
        app.get(&path, Some(&seeker_a)).await.expect(StatusCode::OK);
    }
    app.post(&format!("/api/v1/interviews/{interview}/cancel"), Some(&seeker_b), json!({"reason": "mischief"}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found", None);
    assert_eq!(app.get("/api/v1/interviews", Some(&seeker_b)).await.json(), json!([]));
    let kept = app.get(&format!("/api/v1/interviews/{interview}"), Some(&host)).await.expect(StatusCode::OK).json();
    assert_eq!(kept["status"], "scheduled");
}

#[tokio::test]
async fn roles_limit_what_an_account_can_do() {
    let app = TestApp::new().await;
    app.host("priya-data").await;
    let seeker = app.seeker("sam@example.org").await;
    let host_only = app.host("omar-ops").await;
    let slots = app.slots("priya-data", 30).await;

    for path in ["/api/v1/me/host-profile", "/api/v1/me/policy"] {
        app.get(path, Some(&seeker)).await.expect_error(StatusCode::FORBIDDEN, "forbidden", None);
    }
    app.put("/api/v1/me/host-profile", Some(&seeker), common::host_profile("sam-wants-in")).await.expect_error(
        StatusCode::FORBIDDEN,
        "forbidden",
        None,
    );
    app.put("/api/v1/me/policy", Some(&seeker), common::policy()).await.expect_error(
        StatusCode::FORBIDDEN,
        "forbidden",
        None,
    );
    // A host who is not a seeker cannot send requests.
    app.post("/api/v1/requests", Some(&host_only), common::request_body("priya-data", &[slots[0].0]))
        .await
        .expect_error(StatusCode::FORBIDDEN, "forbidden", None);
}

#[tokio::test]
async fn private_routes_need_valid_credentials() {
    let app = TestApp::new().await;
    app.sign_up("sam@example.org", "Sam", &["seeker"], "Europe/Paris").await;

    let private = [
        (Method::GET, "/api/v1/me"),
        (Method::GET, "/api/v1/me/host-profile"),
        (Method::PUT, "/api/v1/me/host-profile"),
        (Method::GET, "/api/v1/me/policy"),
        (Method::PUT, "/api/v1/me/policy"),
        (Method::GET, "/api/v1/requests"),
        (Method::POST, "/api/v1/requests"),
        (Method::GET, "/api/v1/requests/1"),
        (Method::POST, "/api/v1/requests/1/accept"),
        (Method::POST, "/api/v1/requests/1/decline"),
        (Method::POST, "/api/v1/requests/1/withdraw"),
        (Method::GET, "/api/v1/interviews"),
        (Method::GET, "/api/v1/interviews/1"),
        (Method::POST, "/api/v1/interviews/1/cancel"),
        (Method::GET, "/api/v1/interviews/1/ics"),
    ];
    for (method, path) in private {
        let none = app.call(method.clone(), path, None, Some(json!({}))).await;
        assert_eq!(none.header("www-authenticate"), "Bearer");
        none.expect_error(StatusCode::UNAUTHORIZED, "unauthorized", None);
        app.call(method.clone(), path, Some("forged-token"), Some(json!({}))).await.expect_error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            None,
        );
        let basic = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, "Basic c2FtOnB3")
            .body(Body::empty())
            .unwrap();
        app.send(basic).await.expect_error(StatusCode::UNAUTHORIZED, "unauthorized", None);
    }

    // Wrong passwords and unknown emails get the same 401.
    for (email, password) in [("sam@example.org", "wrong password"), ("nobody@example.org", common::PASSWORD)] {
        app.post("/api/v1/tokens", None, json!({"email": email, "password": password})).await.expect_error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            None,
        );
    }
    // Public routes need nothing.
    for path in ["/api/v1/hosts", "/healthz", "/api/openapi.json"] {
        app.get(path, None).await.expect(StatusCode::OK);
    }
}
