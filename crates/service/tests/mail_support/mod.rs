//! A small world for the mail, calendar and worker tests: a host in Asia/Kolkata (weekday windows 09:00–10:00,
//! i.e. 03:30–04:30 UTC), a seeker in America/New_York, a fixed clock at Monday 2026-03-02 00:00 UTC, and a
//! transport that records what it was given. The test files that use it declare `mod support;` too.

#![allow(dead_code, reason = "each test file uses a different part of the world")]

use std::sync::{Arc, Mutex, PoisonError};

use coffeechat_domain::{HostProfileInput, InterviewId, NewRequestInput, PolicyInput};
use coffeechat_service::{
    Account, FixedClock, InterviewRecord, MailError, MailTransport, SecretKey, Services, SiteSettings,
};
use coffeechat_store::{OutboxMessage, OutboxStatus, Store};

use crate::support::{Fresh, sign_up_input, window};

pub const HANDLE: &str = "priya-data";
pub const PUBLIC_URL: &str = "https://coffeechat.example";
/// Tuesday 3 March, 09:00 in Kolkata.
pub const TUE_0900: &str = "2026-03-03T03:30:00Z";
/// Wednesday 4 March, 09:00 and 09:30 in Kolkata.
pub const WED_0900: &str = "2026-03-04T03:30:00Z";
pub const WED_0930: &str = "2026-03-04T04:00:00Z";
/// Thursday 5 March, 09:00 in Kolkata.
pub const THU_0900: &str = "2026-03-05T03:30:00Z";

pub struct World {
    pub services: Services,
    pub clock: Arc<FixedClock>,
    pub store: Arc<dyn Store>,
    pub dir: tempfile::TempDir,
}

impl World {
    pub async fn new() -> Self {
        let Fresh { store, clock, dir } = Fresh::new().await;
        let services = Services::with_clock(store.clone(), clock.clone())
            .with_site(SiteSettings::new(PUBLIC_URL, SecretKey::random()));
        Self { services, clock, store, dir }
    }

    pub fn db_path(dir: &tempfile::TempDir) -> String {
        crate::support::db_path(dir)
    }

    pub async fn sign_up(&self, email: &str, name: &str, roles: &[&str], zone: &str) -> Account {
        self.services.sign_up(sign_up_input(email, name, roles, zone)).await.unwrap()
    }

    /// Priya, hosting from Kolkata, with the test policy adjusted by `adjust`.
    pub async fn host_with(&self, adjust: impl FnOnce(&mut PolicyInput)) -> Account {
        let host = self.sign_up("priya@example.org", "Priya Raman", &["host"], "Asia/Kolkata").await;
        self.services.put_host_profile(&host, profile()).await.unwrap();
        let mut input = policy();
        adjust(&mut input);
        self.services.put_policy(&host, input).await.unwrap();
        host
    }

    pub async fn host(&self) -> Account {
        self.host_with(|_| {}).await
    }

    /// Sam, seeking from New York.
    pub async fn seeker(&self) -> Account {
        self.sign_up("sam@example.org", "Sam Seeker", &["seeker"], "America/New_York").await
    }

    /// Host and seeker with an interview at `start` (accepted from a request proposing it).
    pub async fn booked(&self, start: &str) -> (Account, Account, InterviewRecord) {
        let host = self.host().await;
        let seeker = self.seeker().await;
        let request = self.services.create_request(&seeker, new_request(&[start])).await.unwrap();
        let interview = self.services.accept(&host, request.id, start).await.unwrap();
        (host, seeker, interview)
    }

    /// Every message in the outbox, oldest first.
    pub async fn outbox(&self) -> Vec<OutboxMessage> {
        let mut messages = self.store.outbox_messages(None, 500).await.unwrap();
        messages.reverse();
        messages
    }

    /// Queued messages to `email`, oldest first.
    pub async fn mail_to(&self, email: &str) -> Vec<OutboxMessage> {
        self.outbox().await.into_iter().filter(|message| message.recipient_email.as_str() == email).collect()
    }

    pub async fn queued(&self) -> usize {
        self.store.outbox_messages(Some(OutboxStatus::Queued), 500).await.unwrap().len()
    }

    pub async fn interview(&self, me: &Account, id: InterviewId) -> InterviewRecord {
        self.services.interview(me, id).await.unwrap()
    }
}

pub fn policy() -> PolicyInput {
    PolicyInput {
        time_zone: "Asia/Kolkata".into(),
        lengths_minutes: vec![30],
        windows: ["mon", "tue", "wed", "thu", "fri"].iter().map(|day| window(day, "09:00", "10:00")).collect(),
        monthly_cap: 10,
        buffer_minutes: 0,
        min_notice_hours: 24,
        horizon_days: 60,
        accepting: true,
        reschedule_notice_hours: 24,
        ..PolicyInput::default()
    }
}

pub fn profile() -> HostProfileInput {
    HostProfileInput {
        handle: HANDLE.into(),
        name: "Priya Raman".into(),
        headline: "Data scientist who used to teach maths".into(),
        role: "Senior data scientist".into(),
        employer: "Northwind Health".into(),
        industry: "Healthcare".into(),
        skills: vec!["SQL".into()],
        topics: vec!["Moving from teaching into data".into()],
        career_path: "Maths teacher, then analyst, then data scientist.".into(),
    }
}

pub fn new_request(starts: &[&str]) -> NewRequestInput {
    NewRequestInput {
        host: HANDLE.into(),
        length_minutes: 30,
        proposed_starts: starts.iter().map(|start| (*start).to_owned()).collect(),
        purpose: "I teach maths and want to learn how you moved into data science.".into(),
        topics: vec!["career_path".into()],
        questions: vec![
            "What did your first year look like?".into(),
            "Which skills mattered most?".into(),
            "How do you keep learning?".into(),
        ],
    }
}

/// The token at the end of the first `/links/…` URL after `label` in a message body.
pub fn link_after(body: &str, label: &str) -> String {
    let rest = &body[body.find(label).unwrap_or_else(|| panic!("no {label:?} in\n{body}"))..];
    let start = rest.find("/links/").unwrap_or_else(|| panic!("no link after {label:?} in\n{body}")) + "/links/".len();
    rest[start..].split_whitespace().next().unwrap().to_owned()
}

/// A transport that keeps what it is given, or fails every delivery when told to.
#[derive(Debug, Default)]
pub struct RecordingTransport {
    pub delivered: Mutex<Vec<OutboxMessage>>,
    pub failing: bool,
}

impl RecordingTransport {
    pub fn failing() -> Self {
        Self { failing: true, ..Self::default() }
    }

    pub fn delivered(&self) -> Vec<OutboxMessage> {
        self.delivered.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

#[async_trait::async_trait]
impl MailTransport for RecordingTransport {
    async fn deliver(&self, message: &OutboxMessage) -> Result<(), MailError> {
        if self.failing {
            return Err(MailError::new("connection refused by mail.example.org:587"));
        }
        self.delivered.lock().unwrap_or_else(PoisonError::into_inner).push(message.clone());
        Ok(())
    }

    fn describe(&self) -> String {
        "memory".to_owned()
    }
}
