//! What every service test starts from: a fresh, migrated SQLite database of its own (a file in a temporary
//! folder, so tests never share state), a clock stopped at [`NOW`], and the small helpers the test files share.
//! Each file keeps its own host, policy and request fixtures, since its assertions are written against them.

#![allow(dead_code, reason = "each test file uses a different part of the support")]

use std::sync::Arc;

use coffeechat_domain::WindowInput;
use coffeechat_service::{FixedClock, ServiceError, Services, SignUpInput};
use coffeechat_store::{SqliteStore, Store};
use jiff::Timestamp;

/// Monday 2 March 2026, 00:00 UTC: where every test's clock starts.
pub const NOW: &str = "2026-03-02T00:00:00Z";
/// The password of every account the tests sign up.
pub const PASSWORD: &str = "correct horse battery";

pub fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// A fresh database and a clock at [`NOW`]; the database lives as long as `dir`.
pub struct Fresh {
    pub store: Arc<dyn Store>,
    pub clock: Arc<FixedClock>,
    pub dir: tempfile::TempDir,
}

impl Fresh {
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&db_path(&dir)).await.unwrap());
        store.migrate().await.unwrap();
        Self { store, clock: Arc::new(FixedClock::new(ts(NOW))), dir }
    }

    /// The services over this database, on this clock.
    pub fn services(&self) -> Services {
        Services::with_clock(self.store.clone(), self.clock.clone())
    }
}

/// Where the database of a test's temporary folder is, to open it a second time (a second process).
pub fn db_path(dir: &tempfile::TempDir) -> String {
    dir.path().join("coffeechat.db").to_str().unwrap().to_owned()
}

/// A sign-up with the tests' password.
pub fn sign_up_input(email: &str, name: &str, roles: &[&str], zone: &str) -> SignUpInput {
    SignUpInput {
        email: email.into(),
        password: PASSWORD.into(),
        name: name.into(),
        roles: roles.iter().map(|role| (*role).to_owned()).collect(),
        time_zone: zone.into(),
    }
}

pub fn window(weekday: &str, start: &str, end: &str) -> WindowInput {
    WindowInput { weekday: weekday.into(), start: start.into(), end: end.into() }
}

/// The message of an `Invalid` error for `field`; fails the test for any other outcome.
#[track_caller]
pub fn invalid<T: std::fmt::Debug>(result: Result<T, ServiceError>, field: &str) -> String {
    match result {
        Err(ServiceError::Invalid(fields)) => match fields.get(field) {
            Some(message) => message.to_owned(),
            None => panic!("expected an error on {field}, got {fields}"),
        },
        other => panic!("expected Invalid on {field}, got {other:?}"),
    }
}
