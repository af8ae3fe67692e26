//! A fresh store per test, and small builders for the rows stories need.

use std::sync::Arc;

use coffeechat_domain::{
    AccountId, Email, Handle, HostPolicy, HostProfile, HostProfileInput, MeetingLength, PolicyInput, RequestId, Roles,
    TimeZoneName, WindowInput,
};
use coffeechat_store::{
    AcceptBooking, Account, CapKind, CapPeriod, NewAccount, NewRequestRecord, RequestRecord, Store,
};
use jiff::{SignedDuration, Timestamp};

/// A migrated store on its own database, and what keeps that database alive.
pub struct TestStore {
    pub store: Arc<dyn Store>,
    /// Deleted (with the database file) when the test ends.
    _dir: tempfile::TempDir,
}

impl std::ops::Deref for TestStore {
    type Target = dyn Store;

    fn deref(&self) -> &Self::Target {
        self.store.as_ref()
    }
}

/// The implementation under test, on a new, migrated database file.
pub async fn fresh_store() -> TestStore {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coffeechat.db");
    let store = coffeechat_store::open(path.to_str().unwrap()).await.unwrap();
    store.migrate().await.unwrap();
    TestStore { store, _dir: dir }
}

pub fn at(rfc3339: &str) -> Timestamp {
    rfc3339.parse().unwrap()
}

pub fn minutes(n: i64) -> SignedDuration {
    SignedDuration::from_mins(n)
}

pub fn new_account(email: &str, name: &str, roles: &[&str]) -> NewAccount {
    NewAccount {
        email: Email::parse(email).unwrap(),
        name: name.into(),
        roles: Roles::parse(roles).unwrap(),
        time_zone: TimeZoneName::parse("Europe/Berlin").unwrap(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
    }
}

pub async fn seeker(store: &dyn Store, email: &str) -> Account {
    store.create_account(new_account(email, &format!("Seeker {email}"), &["seeker"])).await.unwrap()
}

pub fn profile(handle: &str, name: &str, industry: &str, skills: &[&str]) -> HostProfile {
    HostProfileInput {
        handle: handle.into(),
        name: name.into(),
        headline: format!("{name} talks about {industry}"),
        role: "Engineer".into(),
        employer: "Acme".into(),
        industry: industry.into(),
        skills: skills.iter().map(|s| (*s).to_owned()).collect(),
        topics: vec!["Career changes".into()],
        career_path: "School, then work.".into(),
    }
    .validate()
    .unwrap()
}

pub fn policy(monthly_cap: i64, buffer_minutes: i64) -> HostPolicy {
    PolicyInput {
        time_zone: "America/New_York".into(),
        lengths_minutes: vec![20, 30],
        windows: vec![WindowInput { weekday: "mon".into(), start: "07:30".into(), end: "08:30".into() }],
        monthly_cap,
        buffer_minutes,
        min_notice_hours: 24,
        horizon_days: 30,
        accepting: true,
        ..PolicyInput::default()
    }
    .validate()
    .unwrap()
}

/// A host account with a profile (and no policy).
pub async fn host_with_profile(store: &dyn Store, handle: &str, profile: HostProfile) -> Account {
    let account =
        store.create_account(new_account(&format!("{handle}@example.org"), &profile.name, &["host"])).await.unwrap();
    assert_eq!(profile.handle, Handle::parse(handle).unwrap());
    store.put_host_profile(account.id, &profile).await.unwrap();
    account
}

pub async fn host(store: &dyn Store, handle: &str) -> Account {
    host_with_profile(store, handle, profile(handle, &format!("Host {handle}"), "Software", &["Rust"])).await
}

pub async fn request(
    store: &dyn Store,
    seeker: AccountId,
    host: AccountId,
    starts: &[Timestamp],
    created_at: Timestamp,
) -> RequestRecord {
    store
        .create_request(NewRequestRecord {
            seeker_id: seeker,
            host_id: host,
            length: MeetingLength::Min30,
            proposed_starts: starts.to_vec(),
            purpose: "Learn how you moved into data work".into(),
            topics: vec!["Data".into(), "Career change".into()],
            questions: vec!["What surprised you?".into()],
            created_at,
        })
        .await
        .unwrap()
}

/// An acceptance of a 30-minute slot at `start` with the given buffer and cap; the month is March 2030 (UTC).
pub fn booking(request: RequestId, start: Timestamp, buffer: i64, monthly_cap: u32) -> AcceptBooking {
    let end = start + minutes(30);
    AcceptBooking {
        request_id: request,
        start,
        end,
        conflict_from: start - minutes(buffer),
        conflict_to: end + minutes(buffer),
        caps: vec![CapPeriod {
            kind: CapKind::Month,
            from: at("2030-03-01T00:00:00Z"),
            to: at("2030-04-01T00:00:00Z"),
            cap: monthly_cap,
        }],
        count_pending: false,
        at: at("2030-02-20T12:00:00Z"),
    }
}
