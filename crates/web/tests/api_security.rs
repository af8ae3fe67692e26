//! The middleware every response passes: CSRF refusal of cross-origin writes, security headers, JSON
//! errors for the API, and no details in a 500.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{PASSWORD, TestApp};
use serde_json::json;

fn sign_up_request(email: &str, extra_headers: &[(&str, &str)]) -> Request<Body> {
    let body = json!({"email": email, "password": PASSWORD, "name": "Ada", "roles": ["seeker"], "time_zone": "UTC"});
    let mut builder = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/accounts")
        .header(header::HOST, "coffeechat.example")
        .header(header::CONTENT_TYPE, "application/json");
    for (name, value) in extra_headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Body::from(body.to_string())).unwrap()
}

#[tokio::test]
async fn writes_from_another_origin_are_refused_and_same_origin_or_non_browser_writes_pass() {
    let app = TestApp::new().await;

    // A browser on another site: refused, whether it says so with Sec-Fetch-Site or only with Origin.
    for headers in [
        &[("sec-fetch-site", "cross-site"), ("origin", "https://evil.example")][..],
        &[("sec-fetch-site", "same-site"), ("origin", "https://sub.coffeechat.example")],
        &[("origin", "https://evil.example")],
    ] {
        app.send(sign_up_request("mallory@example.org", headers)).await.expect_error(
            StatusCode::FORBIDDEN,
            "forbidden",
            None,
        );
    }
    // A cross-origin form post to a page route is refused the same way, before any handler runs.
    let form = Request::builder()
        .method(Method::POST)
        .uri("/logout")
        .header(header::HOST, "coffeechat.example")
        .header("sec-fetch-site", "cross-site")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(form).await.status, StatusCode::FORBIDDEN);

    // The same site (by Sec-Fetch-Site or by Origin matching Host) and clients that send neither header pass.
    for (email, headers) in [
        ("one@example.org", &[("sec-fetch-site", "same-origin"), ("origin", "http://coffeechat.example")][..]),
        ("two@example.org", &[("origin", "http://coffeechat.example")]),
        ("three@example.org", &[]),
    ] {
        app.send(sign_up_request(email, headers)).await.expect(StatusCode::CREATED);
    }
    // Reading is always allowed.
    let read = Request::builder()
        .uri("/api/v1/hosts")
        .header("sec-fetch-site", "cross-site")
        .header("origin", "https://elsewhere.example")
        .body(Body::empty())
        .unwrap();
    app.send(read).await.expect(StatusCode::OK);
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_a_request_id() {
    let app = TestApp::new().await;
    for path in ["/healthz", "/api/v1/hosts", "/api/v1/unknown", "/api/docs", "/no-such-page"] {
        let reply = app.get(path, None).await;
        assert_eq!(reply.header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(reply.header("referrer-policy"), "strict-origin-when-cross-origin", "{path}");
        assert_eq!(reply.header("x-frame-options"), "DENY", "{path}");
        let csp = reply.header("content-security-policy");
        assert!(csp.contains("script-src 'self'") && csp.contains("style-src 'self'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{path}: {csp}");
        assert!(!reply.header("x-request-id").is_empty(), "{path}");
    }
    // A request id sent by a proxy is kept.
    let traced = Request::builder().uri("/healthz").header("x-request-id", "abc-123").body(Body::empty()).unwrap();
    assert_eq!(app.send(traced).await.header("x-request-id"), "abc-123");
}

#[tokio::test]
async fn unknown_pages_are_html_and_unknown_api_routes_are_json() {
    let app = TestApp::new().await;
    let page = app.get("/no-such-page", None).await.expect(StatusCode::NOT_FOUND);
    assert!(page.header("content-type").starts_with("text/html"), "{:?}", page.headers);
    let api = app.get("/api/v1/no-such-thing", None).await;
    assert!(api.header("content-type").starts_with("application/json"));
    api.expect_error(StatusCode::NOT_FOUND, "not_found", None);
}

#[tokio::test]
async fn responses_are_compressed_for_clients_that_ask() {
    let app = TestApp::new().await;
    let request = Request::builder()
        .uri("/api/openapi.json")
        .header(header::ACCEPT_ENCODING, "gzip")
        .body(Body::empty())
        .unwrap();
    let reply = app.send(request).await.expect(StatusCode::OK);
    assert_eq!(reply.header("content-encoding"), "gzip");
}

#[tokio::test]
async fn internal_failures_are_500s_without_details_and_health_says_503() {
    use common::broken_store::{BrokenStore, SECRET_DETAIL};
    use tower::ServiceExt;

    async fn fetch(router: axum::Router, path: &str) -> (StatusCode, String, String) {
        let response = router.oneshot(Request::builder().uri(path).body(Body::empty()).unwrap()).await.unwrap();
        let status = response.status();
        let content_type = response.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_owned());
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        (status, content_type.unwrap_or_default(), String::from_utf8_lossy(&body).into_owned())
    }

    let failing = common::broken_app(BrokenStore::Failing);
    let (status, _, body) = fetch(failing.clone(), "/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap(),
        json!({"status": "unavailable", "reason": "the database cannot be reached"})
    );
    let (status, content_type, body) = fetch(failing, "/api/v1/hosts").await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(content_type.starts_with("application/json"));
    assert!(!body.contains(SECRET_DETAIL), "{body}");
    assert_eq!(serde_json::from_str::<serde_json::Value>(&body).unwrap()["error"]["code"], "internal");

    // A panicking handler: JSON for the API, an HTML page elsewhere; never the panic message.
    let panicking = common::broken_app(BrokenStore::Panicking);
    let (status, content_type, body) = fetch(panicking.clone(), "/readyz").await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(content_type.starts_with("application/json"), "{content_type}");
    assert!(!body.contains(SECRET_DETAIL), "{body}");
    let (status, content_type, body) = fetch(panicking, "/hosts").await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(!body.contains(SECRET_DETAIL), "{body}");
}
