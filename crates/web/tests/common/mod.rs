//! Test helpers: the whole application on a fresh SQLite database in a temporary directory, with a fixed
//! clock, driven in-process (`tower::ServiceExt::oneshot`) or over a real socket on 127.0.0.1:0.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]
#![allow(clippy::unwrap_used, reason = "a test helper that cannot unwrap has failed its test")]

pub mod broken_store;
pub mod browser;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use coffeechat_service::{FixedClock, Services};
use coffeechat_web::{AppState, WebConfig};
use jiff::Timestamp;
use serde_json::{Value, json};
use tower::ServiceExt;

/// "Now" in every test: Monday 2 March 2026, 09:00 UTC (London is on GMT until 29 March).
pub const NOW: &str = "2026-03-02T09:00:00Z";

/// Every test account's password.
pub const PASSWORD: &str = "correct horse battery";

/// The application on its own database.
pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    pub clock: Arc<FixedClock>,
    // Dropped last: deletes the database file.
    _dir: tempfile::TempDir,
}

/// What came back.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|value| value.to_str().ok()).unwrap_or_default()
    }

    /// Asserts the status, showing the body when it differs.
    #[track_caller]
    pub fn expect(self, status: StatusCode) -> Self {
        assert_eq!(self.status, status, "unexpected status; body: {}", self.text());
        self
    }

    /// Asserts a contract error: the status, the code, and (if given) that `field` is named in `error.fields`.
    #[track_caller]
    pub fn expect_error(self, status: StatusCode, code: &str, field: Option<&str>) -> Self {
        let body = self.json();
        assert_eq!(self.status, status, "unexpected status; body: {body}");
        assert_eq!(body["error"]["code"], code, "unexpected code; body: {body}");
        assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "no message: {body}");
        assert!(body["error"]["fields"].is_object(), "fields must be an object: {body}");
        if let Some(field) = field {
            assert!(
                body["error"]["fields"][field].as_str().is_some_and(|m| !m.is_empty()),
                "field {field} not named: {body}"
            );
        }
        self
    }
}

impl TestApp {
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("coffeechat.db");
        let store = coffeechat_store::open(path.to_str().unwrap()).await.unwrap();
        store.migrate().await.unwrap();
        let clock = Arc::new(FixedClock::new(NOW.parse().unwrap()));
        let services = Services::with_clock(store, clock.clone());
        let state = AppState::new(services, WebConfig::for_public_url("http://127.0.0.1:8080"));
        let router = coffeechat_web::app(state.clone());
        TestApp { state, router, clock, _dir: dir }
    }

    /// Sends one request through the whole middleware stack.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap().to_vec();
        Reply { status, headers, body }
    }

    /// A JSON API call; `token` becomes `Authorization: Bearer <token>`.
    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let request = match body {
            Some(body) => builder.header(header::CONTENT_TYPE, "application/json").body(Body::from(body.to_string())),
            None => builder.body(Body::empty()),
        };
        self.send(request.unwrap()).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::PUT, path, token, Some(body)).await
    }

    /// Signs up through the API and returns the account and a fresh token.
    pub async fn sign_up(&self, email: &str, name: &str, roles: &[&str], time_zone: &str) -> (Value, String) {
        let account = self
            .post(
                "/api/v1/accounts",
                None,
                json!({"email": email, "password": PASSWORD, "name": name, "roles": roles, "time_zone": time_zone}),
            )
            .await
            .expect(StatusCode::CREATED)
            .json();
        let token = self
            .post("/api/v1/tokens", None, json!({"email": email, "password": PASSWORD}))
            .await
            .expect(StatusCode::CREATED)
            .json()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        (account, token)
    }

    /// A host with a profile under `handle` and [`policy`]; returns the token.
    pub async fn host(&self, handle: &str) -> String {
        let (_, token) =
            self.sign_up(&format!("{handle}@example.org"), "Priya Raman", &["host"], "Europe/London").await;
        self.put("/api/v1/me/host-profile", Some(&token), host_profile(handle)).await.expect(StatusCode::OK);
        self.put("/api/v1/me/policy", Some(&token), policy()).await.expect(StatusCode::OK);
        token
    }

    /// A seeker; returns the token.
    pub async fn seeker(&self, email: &str) -> String {
        self.sign_up(email, "Sam Seeker", &["seeker"], "America/New_York").await.1
    }

    /// The host's free slots of `length` minutes over the default range.
    pub async fn slots(&self, handle: &str, length: u32) -> Vec<(Timestamp, Timestamp)> {
        let reply =
            self.get(&format!("/api/v1/hosts/{handle}/slots?length={length}"), None).await.expect(StatusCode::OK);
        reply
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|slot| {
                (slot["start"].as_str().unwrap().parse().unwrap(), slot["end"].as_str().unwrap().parse().unwrap())
            })
            .collect()
    }

    /// A pending request from `seeker` to `handle` for the slot starting at `start`; returns its id.
    pub async fn request(&self, seeker: &str, handle: &str, start: Timestamp) -> i64 {
        let body = request_body(handle, &[start]);
        self.post("/api/v1/requests", Some(seeker), body).await.expect(StatusCode::CREATED).json()["id"]
            .as_i64()
            .unwrap()
    }

    /// Serves the application on 127.0.0.1 with an OS-chosen port until the test's runtime ends.
    pub async fn spawn_server(&self) -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let state = self.state.clone();
        tokio::spawn(coffeechat_web::serve_until(listener, state, std::future::pending()));
        address
    }
}

/// A complete, valid host profile.
pub fn host_profile(handle: &str) -> Value {
    json!({
        "handle": handle,
        "name": "Priya Raman",
        "headline": "Data scientist who used to teach maths",
        "role": "Senior data scientist",
        "employer": "Northwind Health",
        "industry": "Healthcare",
        "skills": ["SQL", "statistics"],
        "topics": ["Moving from teaching to data"],
        "career_path": "Teacher, then analyst, then data scientist."
    })
}

/// Weekday mornings and evenings in London, 20 or 30 minutes, 10 minutes of buffer, 24 hours' notice.
pub fn policy() -> Value {
    json!({
        "time_zone": "Europe/London",
        "lengths_minutes": [20, 30],
        "windows": [
            {"weekday": "mon", "start": "07:30", "end": "08:30"},
            {"weekday": "tue", "start": "07:30", "end": "08:30"},
            {"weekday": "tue", "start": "17:00", "end": "18:00"},
            {"weekday": "wed", "start": "07:30", "end": "08:30"},
            {"weekday": "thu", "start": "17:00", "end": "18:00"},
            {"weekday": "fri", "start": "07:30", "end": "08:30"}
        ],
        "monthly_cap": 10,
        "buffer_minutes": 10,
        "min_notice_hours": 24,
        "horizon_days": 30,
        "accepting": true
    })
}

/// A valid 30-minute request body.
pub fn request_body(handle: &str, starts: &[Timestamp]) -> Value {
    json!({
        "host": handle,
        "length_minutes": 30,
        "proposed_starts": starts.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "purpose": "I teach maths and want to know how you moved into data science.",
        "topics": ["career_path"],
        "questions": [
            "Which skills mattered most in your first year?",
            "What surprised you most when you moved from teaching into data work?",
            "How do you keep learning now that you are established in the field?"
        ]
    })
}

/// The application over a [`broken_store::BrokenStore`], for failure tests.
pub fn broken_app(store: broken_store::BrokenStore) -> Router {
    let services = Services::new(Arc::new(store));
    coffeechat_web::app(AppState::new(services, WebConfig::default()))
}
