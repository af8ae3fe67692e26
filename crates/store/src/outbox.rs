//! The outbox: every email is written here first and sent later by a worker, so a change and the mail that
//! reports it are never lost separately, and a failed delivery is retried and finally shown as failed.
//!
//! The store only keeps and hands out messages; the retry schedule and the transports belong to the service's
//! worker. A worker [claims](OutboxStore::claim_next_message) one due message at a time: the claim moves it to
//! `sending` with a lease (its `next_attempt_at`), so a second worker never takes it while the first is busy,
//! and a worker that died mid-send gives it back once the lease runs out
//! ([`release_stale_claims`](OutboxStore::release_stale_claims)). A worker that is asked to stop gives back
//! what it still holds at once: its claims carry its id ([`claim_next_message_for`](OutboxStore::claim_next_message_for),
//! [`release_claims_of`](OutboxStore::release_claims_of)).

use std::fmt;

use coffeechat_domain::Email;
use jiff::Timestamp;

use crate::Result;
use crate::calendar::NewActionToken;

/// An outbox row's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OutboxId(pub i64);

impl fmt::Display for OutboxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutboxStatus {
    /// Waiting for its `next_attempt_at`.
    Queued,
    /// Claimed by a worker until its `next_attempt_at`.
    Sending,
    /// Handed to the mail transport.
    Sent,
    /// Every attempt failed; kept for operators to see and never retried by itself.
    Failed,
}

impl OutboxStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Queued => "queued",
            OutboxStatus::Sending => "sending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
        }
    }

    /// # Errors
    /// A message when `raw` is not a known status.
    pub fn parse(raw: &str) -> std::result::Result<Self, String> {
        match raw {
            "queued" => Ok(OutboxStatus::Queued),
            "sending" => Ok(OutboxStatus::Sending),
            "sent" => Ok(OutboxStatus::Sent),
            "failed" => Ok(OutboxStatus::Failed),
            other => Err(format!("'{other}' is not an outbox status")),
        }
    }
}

/// The iTIP method of a calendar carried by a message (RFC 5546 §1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CalendarMethod {
    Publish,
    Request,
    Cancel,
}

impl CalendarMethod {
    /// As written in `METHOD:` and in the `method=` parameter of `text/calendar`.
    pub fn as_str(self) -> &'static str {
        match self {
            CalendarMethod::Publish => "PUBLISH",
            CalendarMethod::Request => "REQUEST",
            CalendarMethod::Cancel => "CANCEL",
        }
    }

    /// # Errors
    /// A message when `raw` is not one of the three methods Coffeechat writes.
    pub fn parse(raw: &str) -> std::result::Result<Self, String> {
        match raw {
            "PUBLISH" => Ok(CalendarMethod::Publish),
            "REQUEST" => Ok(CalendarMethod::Request),
            "CANCEL" => Ok(CalendarMethod::Cancel),
            other => Err(format!("'{other}' is not a calendar method")),
        }
    }
}

/// An `.ics` calendar sent with a message, inline and as an attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarPart {
    pub method: CalendarMethod,
    /// RFC 5545 text whose `METHOD:` is `method`.
    pub ics: String,
}

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewOutboxMessage {
    /// What it is about, e.g. `"interview_invitation"` (for logs and operators).
    pub kind: String,
    pub recipient_email: Email,
    pub recipient_name: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub calendar: Option<CalendarPart>,
    /// A second message with the same key is not queued (nor are its tokens stored).
    pub dedupe_key: Option<String>,
    /// The single-purpose links this message carries: stored exactly when the message is queued, so no
    /// link exists that nobody was sent, and no message carries a link that does not exist.
    pub tokens: Vec<NewActionToken>,
}

/// A queued (or sent, or failed) message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    pub id: OutboxId,
    pub kind: String,
    pub recipient_email: Email,
    pub recipient_name: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub calendar: Option<CalendarPart>,
    pub status: OutboxStatus,
    /// Delivery attempts started so far; a claim counts as one.
    pub attempts: u32,
    /// Queued: when it may be tried next. Sending: when the claim expires.
    pub next_attempt_at: Timestamp,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
    pub dedupe_key: Option<String>,
}

/// How many messages are in each state, for health output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub queued: u64,
    pub sending: u64,
    pub sent: u64,
    pub failed: u64,
}

/// Storage of the outbox. Every method is one unit of work.
#[async_trait::async_trait]
pub trait OutboxStore: Send + Sync {
    /// Queues the messages (and the tokens they carry) in one transaction, due at `at`. A message whose
    /// `dedupe_key` is already in the outbox is skipped. Returns the ids of the messages queued now.
    ///
    /// # Errors
    /// [`StoreError::NotFound`](crate::StoreError::NotFound) when a token names an interview or account that
    /// does not exist (nothing is queued then).
    async fn enqueue_messages(&self, messages: Vec<NewOutboxMessage>, at: Timestamp) -> Result<Vec<OutboxId>>;

    /// Atomically claims the queued message that has been due longest (`next_attempt_at <= now`): it becomes
    /// `sending` until `lease_until`, and its attempts go up by one. `None` when nothing is due.
    async fn claim_next_message(&self, now: Timestamp, lease_until: Timestamp) -> Result<Option<OutboxMessage>>;

    /// [`claim_next_message`](OutboxStore::claim_next_message) on behalf of `worker` (an id unique to one
    /// worker process), so that the worker can give its claims back when it stops.
    async fn claim_next_message_for(
        &self,
        worker: &str,
        now: Timestamp,
        lease_until: Timestamp,
    ) -> Result<Option<OutboxMessage>>;

    /// Gives back every message `worker` still holds (it is stopping): queued again, due at `now`, with the
    /// interrupted attempt not counted. Returns how many.
    async fn release_claims_of(&self, worker: &str, now: Timestamp) -> Result<u64>;

    /// Records a delivery. Only a message in `sending` changes.
    ///
    /// # Errors
    /// [`Conflict::StateChanged`](crate::Conflict::StateChanged) when it is not being sent (its claim ran out
    /// and another worker took it); [`StoreError::NotFound`](crate::StoreError::NotFound).
    async fn mark_message_sent(&self, id: OutboxId, at: Timestamp) -> Result<()>;

    /// Records a failed attempt: queued again for `retry_at`, or `failed` for good when `retry_at` is `None`.
    ///
    /// # Errors
    /// As [`mark_message_sent`](OutboxStore::mark_message_sent).
    async fn mark_message_failed(&self, id: OutboxId, error: &str, retry_at: Option<Timestamp>) -> Result<()>;

    /// Gives back the claims whose lease ran out before `now` (their worker stopped mid-send): they are queued
    /// again, due at once, or failed when they already had `max_attempts`. Returns how many were released.
    async fn release_stale_claims(&self, now: Timestamp, max_attempts: u32) -> Result<u64>;

    async fn outbox_message(&self, id: OutboxId) -> Result<Option<OutboxMessage>>;

    /// The newest messages first, optionally of one status; at most `limit` (capped at 500).
    async fn outbox_messages(&self, status: Option<OutboxStatus>, limit: u32) -> Result<Vec<OutboxMessage>>;

    async fn outbox_counts(&self) -> Result<OutboxCounts>;

    /// Deletes messages sent before `before` (they carry links and personal text nobody needs any longer).
    /// Returns how many.
    async fn delete_sent_messages(&self, before: Timestamp) -> Result<u64>;
}
