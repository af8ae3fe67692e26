//! Browser sessions: the cookie's attributes, its id rotated at login, the API accepting it, and its end.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use axum::routing::{get, post};
use coffeechat_web::auth::{ApiUser, start_session};
use coffeechat_web::session_store::session_layer;
use common::{PASSWORD, Reply, TestApp};
use serde_json::json;
use tower::ServiceExt;
use tower_sessions::Session;

/// `name=value` of the session cookie set by a response.
fn session_cookie(reply: &Reply) -> Option<String> {
    reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("coffeechat_session="))
        .map(str::to_owned)
}

fn pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_owned()
}

#[tokio::test]
async fn logging_in_sets_a_safe_cookie_the_api_accepts_until_logout() {
    let app = TestApp::new().await;
    app.sign_up("ada@example.org", "Ada", &["seeker"], "Europe/London").await;

    let login = Request::builder()
        .method(Method::POST)
        .uri("/login")
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::ORIGIN, "http://127.0.0.1:8080")
        .header("sec-fetch-site", "same-origin")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("email=ada%40example.org&password={}", PASSWORD.replace(' ', "+"))))
        .unwrap();
    let reply = app.send(login).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let set_cookie = session_cookie(&reply).expect("login sets the session cookie");
    let attributes = set_cookie.to_ascii_lowercase();
    assert!(attributes.contains("httponly"), "{set_cookie}");
    assert!(attributes.contains("samesite=lax"), "{set_cookie}");
    assert!(attributes.contains("path=/"), "{set_cookie}");
    assert!(!attributes.contains("secure"), "plain-http configuration must not mark the cookie Secure: {set_cookie}");
    let cookie = pair(&set_cookie);

    let with_cookie = |method: Method, path: &str, cross_site: bool| {
        let mut builder = Request::builder().method(method).uri(path).header(header::COOKIE, cookie.clone());
        if cross_site {
            builder = builder.header("sec-fetch-site", "cross-site").header(header::ORIGIN, "https://evil.example");
        }
        builder.header(header::CONTENT_TYPE, "application/json").body(Body::from("{}")).unwrap()
    };
    let me = app.send(with_cookie(Method::GET, "/api/v1/me", false)).await.expect(StatusCode::OK);
    assert_eq!(me.json()["email"], "ada@example.org");
    // Another site cannot ride on the cookie.
    app.send(with_cookie(Method::POST, "/api/v1/requests", true)).await.expect_error(
        StatusCode::FORBIDDEN,
        "forbidden",
        None,
    );

    let logout = Request::builder()
        .method(Method::POST)
        .uri("/logout")
        .header(header::COOKIE, cookie.clone())
        .header("sec-fetch-site", "same-origin")
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(logout).await.status, StatusCode::SEE_OTHER);
    app.send(with_cookie(Method::GET, "/api/v1/me", false)).await.expect_error(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        None,
    );
}

#[tokio::test]
async fn starting_a_session_rotates_its_id_and_forgets_the_old_one() {
    let app = TestApp::new().await;
    let (account, _) = app.sign_up("ada@example.org", "Ada", &["seeker"], "Europe/London").await;
    let account = app
        .state
        .services
        .account(coffeechat_domain::AccountId(account["id"].as_i64().unwrap()))
        .await
        .unwrap()
        .unwrap();

    let router = Router::new()
        .route(
            "/visit",
            get(|session: Session| async move { session.insert("viewer_zone", "Asia/Tokyo").await.unwrap() }),
        )
        .route("/login", post(move |session: Session| async move { start_session(&session, &account).await.unwrap() }))
        .route("/me", get(|ApiUser(me): ApiUser| async move { me.email.to_string() }))
        .layer(session_layer(app.state.services.store().clone(), &app.state.config))
        .with_state(app.state.clone());
    let send = |method: Method, path: &str, cookie: Option<&str>| {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        let request = builder.body(Body::empty()).unwrap();
        let router = router.clone();
        async move {
            let response = router.oneshot(request).await.unwrap();
            let status = response.status();
            let headers = response.headers().clone();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap().to_vec();
            Reply { status, headers, body }
        }
    };

    let visit = send(Method::GET, "/visit", None).await;
    let before = pair(&session_cookie(&visit).unwrap());
    send(Method::GET, "/me", Some(&before)).await.expect(StatusCode::UNAUTHORIZED);

    let login = send(Method::POST, "/login", Some(&before)).await.expect(StatusCode::OK);
    let after = pair(&session_cookie(&login).unwrap());
    assert_ne!(before, after, "the session id must change at login");
    let me = send(Method::GET, "/me", Some(&after)).await.expect(StatusCode::OK);
    assert_eq!(me.text(), "ada@example.org");
    // An id planted before login is worthless afterwards.
    send(Method::GET, "/me", Some(&before)).await.expect(StatusCode::UNAUTHORIZED);
    // What the visitor chose before logging in is kept.
    let stored =
        app.state.services.store().load_session(after.trim_start_matches("coffeechat_session=")).await.unwrap();
    let data: serde_json::Value = serde_json::from_slice(&stored.unwrap().data).unwrap();
    assert_eq!(data["viewer_zone"], json!("Asia/Tokyo"));
}

#[tokio::test]
async fn behind_https_the_cookie_is_secure_and_host_only() {
    let app = TestApp::new().await;
    app.sign_up("ada@example.org", "Ada", &["seeker"], "Europe/London").await;
    let config = coffeechat_web::WebConfig::for_public_url("https://coffeechat.example/");
    assert!(config.secure_cookies);
    assert_eq!(config.public_url, "https://coffeechat.example");
    let router = coffeechat_web::app(coffeechat_web::AppState::new(app.state.services.clone(), config));

    // A TLS-terminating proxy passes Host through; the browser's Origin carries https.
    let login = Request::builder()
        .method(Method::POST)
        .uri("/login")
        .header(header::HOST, "coffeechat.example")
        .header(header::ORIGIN, "https://coffeechat.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("email=ada%40example.org&password={}", PASSWORD.replace(' ', "+"))))
        .unwrap();
    let response = router.oneshot(login).await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let set_cookie = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("__Host-coffeechat_session="))
        .expect("the __Host- cookie is set")
        .to_ascii_lowercase();
    for attribute in ["secure", "httponly", "samesite=lax", "path=/"] {
        assert!(set_cookie.contains(attribute), "{attribute} missing: {set_cookie}");
    }
    assert!(!set_cookie.contains("domain="), "a __Host- cookie must be host-only: {set_cookie}");
}
