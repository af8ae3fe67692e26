//! Operability over HTTP: liveness without the database, readiness that checks the database and its migrations,
//! and Prometheus metrics (requests by route template, the pool, the outbox, mail sent).

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use coffeechat_domain::Email;
use coffeechat_service::{MailDestination, Services, mail_transport};
use coffeechat_store::NewOutboxMessage;
use coffeechat_web::{AppState, WebConfig};
use common::TestApp;
use common::broken_store::BrokenStore;
use serde_json::{Value, json};
use tower::ServiceExt;

async fn fetch(router: axum::Router, path: &str) -> (StatusCode, String) {
    let response = router.oneshot(Request::builder().uri(path).body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn ready_when_the_database_answers_and_is_migrated() {
    let app = TestApp::new().await;
    let ready = app.get("/readyz", None).await.expect(StatusCode::OK).json();
    assert_eq!(ready, json!({"status": "ready"}));
    assert_eq!(app.get("/healthz", None).await.expect(StatusCode::OK).json(), json!({"status": "ok"}));
}

#[tokio::test]
async fn not_ready_while_migrations_are_pending() {
    let dir = tempfile::tempdir().unwrap();
    // Opened but never migrated: every migration of this binary is pending.
    let store = coffeechat_store::open(dir.path().join("unmigrated.db").to_str().unwrap()).await.unwrap();
    let app = coffeechat_web::app(AppState::new(Services::new(store.clone()), WebConfig::default()));
    let (status, body) = fetch(app.clone(), "/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["status"], "unavailable");
    let reason = body["reason"].as_str().unwrap();
    assert!(reason.contains("lacks migration(s) 1, 2") && reason.contains("coffeechat migrate"), "{reason}");
    // Alive all the same: a load balancer must not restart it for that.
    assert_eq!(fetch(app.clone(), "/healthz").await.0, StatusCode::OK);

    store.migrate().await.unwrap();
    assert_eq!(fetch(app, "/readyz").await.0, StatusCode::OK);
}

#[tokio::test]
async fn not_ready_on_a_database_a_newer_coffeechat_migrated() {
    use sqlx::Connection as _;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    let store = coffeechat_store::open(path.to_str().unwrap()).await.unwrap();
    store.migrate().await.unwrap();
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite:{}", path.display())).await.unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (9999, 'from a newer coffeechat', TRUE, x'00', 0)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();

    let app = coffeechat_web::app(AppState::new(Services::new(store), WebConfig::default()));
    let (status, body) = fetch(app, "/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let reason = serde_json::from_str::<Value>(&body).unwrap()["reason"].as_str().unwrap().to_owned();
    assert!(reason.starts_with("the database is at migration 9999, newer than this coffeechat"), "{reason}");
}

#[tokio::test]
async fn a_database_that_is_down_makes_the_instance_unready_but_not_dead() {
    let app = common::broken_app(BrokenStore::Failing);
    assert_eq!(fetch(app.clone(), "/healthz").await, (StatusCode::OK, json!({"status": "ok"}).to_string()));
    let (status, body) = fetch(app, "/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"status": "unavailable", "reason": "the database cannot be reached"})
    );
    assert!(!body.contains(common::broken_store::SECRET_DETAIL), "{body}");
}

/// The value of the series whose line starts with `name{` and contains every one of `labels`.
fn value(metrics: &str, name: &str, labels: &[&str]) -> Option<f64> {
    metrics
        .lines()
        .filter(|line| line.starts_with(&format!("{name}{{")) || line.starts_with(&format!("{name} ")))
        .find(|line| labels.iter().all(|label| line.contains(label)))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|number| number.parse().ok())
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_and_report_pool_queue_and_mail() {
    let app = TestApp::new().await;
    app.get("/api/v1/hosts/no-such-host-4711", None).await.expect(StatusCode::NOT_FOUND);
    app.get("/api/v1/hosts/no-such-host-4712", None).await.expect(StatusCode::NOT_FOUND);
    app.get("/readyz", None).await.expect(StatusCode::OK);

    // Three messages sent through the worker's path, then one more queued.
    let (services, now) = (&app.state.services, app.state.services.now());
    services.store().enqueue_messages(vec![message(); 3], now).await.unwrap();
    let mail_dir = tempfile::tempdir().unwrap();
    let transport =
        mail_transport(&MailDestination::Directory(mail_dir.path().to_owned()), "Coffeechat <noreply@localhost>")
            .unwrap();
    assert_eq!(services.send_due_mail(transport.as_ref()).await.unwrap().sent, 3);
    services.store().enqueue_messages(vec![message()], now).await.unwrap();

    let reply = app.get("/metrics", None).await.expect(StatusCode::OK);
    assert!(reply.header("content-type").starts_with("text/plain; version=0.0.4"), "{:?}", reply.headers);
    let metrics = reply.text();

    let route = r#"route="/api/v1/hosts/{handle}""#;
    let not_found = value(&metrics, "coffeechat_http_requests_total", &[route, r#"status="4xx""#, r#"method="GET""#]);
    assert!(not_found.is_some_and(|count| count >= 2.0), "no 404 counter under the route template:\n{metrics}");
    assert!(!metrics.contains("no-such-host-4711"), "raw paths must not become labels");
    assert!(value(&metrics, "coffeechat_http_requests_total", &[r#"route="/readyz""#, r#"status="2xx""#]).is_some());
    let buckets = value(&metrics, "coffeechat_http_request_duration_seconds_bucket", &[route, r#"le="+Inf""#]);
    assert!(buckets.is_some_and(|count| count >= 2.0), "no latency histogram:\n{metrics}");

    assert!(value(&metrics, "coffeechat_db_pool_connections", &[r#"state="max""#]).is_some_and(|max| max >= 1.0));
    assert!(value(&metrics, "coffeechat_db_pool_connections", &[r#"state="open""#]).is_some());
    assert_eq!(value(&metrics, "coffeechat_outbox_messages", &[r#"status="queued""#]), Some(1.0), "{metrics}");
    assert_eq!(value(&metrics, "coffeechat_outbox_messages", &[r#"status="sent""#]), Some(3.0), "{metrics}");
    assert_eq!(value(&metrics, "coffeechat_outbox_messages", &[r#"status="sending""#]), Some(0.0), "{metrics}");
    // Counters are per process, and other tests in this binary may send too: at least this test's three.
    assert!(value(&metrics, "coffeechat_emails_sent_total", &[]).is_some_and(|sent| sent >= 3.0), "{metrics}");
}

fn message() -> NewOutboxMessage {
    NewOutboxMessage {
        kind: "request_sent".into(),
        recipient_email: Email::parse("sam@example.org").unwrap(),
        recipient_name: "Sam Seeker".into(),
        subject: "Your request".into(),
        body_text: "Hello Sam".into(),
        body_html: None,
        calendar: None,
        dedupe_key: None,
        tokens: Vec::new(),
    }
}
