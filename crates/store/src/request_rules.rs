//! What the request rules of issue 4 read and write beyond the core request table: a host's
//! [`RequestRules`], the etiquette findings kept with a request, the facts the gates check (a seeker's open
//! requests, their past meetings with a host, a host's answer delays), and the expiry and half-time reminder
//! claims the worker tasks make.
//!
//! The claims are single conditional `UPDATE … RETURNING` statements that re-check their condition on the row
//! they change, so two workers running the same task at once split the due requests between them and each
//! request is expired, or reminded about, exactly once.

use coffeechat_domain::etiquette::Finding;
use coffeechat_domain::{AccountId, InterviewId, RequestId, RequestRules};
use jiff::{SignedDuration, Timestamp};

use crate::Result;

/// A pending request's deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RequestDeadlines {
    /// When it expires unanswered; `None` only for rows older than the column.
    pub expires_at: Option<Timestamp>,
    /// When the host was reminded at half-time.
    pub reminded_at: Option<Timestamp>,
}

/// A seeker's open requests: pending requests and active waitlist places, by host.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenRequests {
    /// Hosts of the seeker's pending requests (one entry per request).
    pub pending_with: Vec<AccountId>,
    /// Hosts whose waitlist the seeker is on (waiting or offered).
    pub waitlisted_with: Vec<AccountId>,
}

impl OpenRequests {
    pub fn count(&self) -> u32 {
        u32::try_from(self.pending_with.len() + self.waitlisted_with.len()).unwrap_or(u32::MAX)
    }
}

/// A meeting that took place (as far as the calendar knows): a scheduled interview that has ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PastMeeting {
    pub interview_id: InterviewId,
    pub end: Timestamp,
}

/// Storage of request rules and the facts the request gates and tasks need.
#[async_trait::async_trait]
pub trait RequestRulesStore: Send + Sync {
    /// The host's rules, or the defaults when they never saved any.
    async fn request_rules(&self, host: AccountId) -> Result<RequestRules>;
    /// # Errors
    /// [`StoreError::NotFound`](crate::StoreError::NotFound) when the account does not exist.
    async fn put_request_rules(&self, host: AccountId, rules: &RequestRules) -> Result<()>;
    /// Keeps what the etiquette check found when the request was sent, for the host to see.
    async fn set_request_findings(&self, request: RequestId, findings: &[Finding]) -> Result<()>;
    /// The findings kept with a request (empty when none, or no such request).
    async fn request_findings(&self, request: RequestId) -> Result<Vec<Finding>>;
    /// The request's expiry and reminder instants (defaults when no such request).
    async fn request_deadlines(&self, request: RequestId) -> Result<RequestDeadlines>;
    /// The seeker's pending requests and waitlist places.
    async fn open_requests(&self, seeker: AccountId) -> Result<OpenRequests>;
    /// Scheduled interviews of the seeker with the host that ended at or before `now`, latest first.
    async fn past_meetings(&self, seeker: AccountId, host: AccountId, now: Timestamp) -> Result<Vec<PastMeeting>>;
    /// How long the host took to accept or decline requests answered at or after `since`.
    async fn answer_delays(&self, host: AccountId, since: Timestamp) -> Result<Vec<SignedDuration>>;
    /// Marks pending requests past half their time to expiry (and not reminded yet) as reminded at `now`,
    /// at most `limit`; returns them. Each request is returned by one call only, ever.
    async fn claim_due_reminders(&self, now: Timestamp, limit: u32) -> Result<Vec<RequestId>>;
    /// Expires pending requests whose deadline passed, at most `limit`; returns them. Each request is
    /// returned by one call only.
    async fn expire_due_requests(&self, now: Timestamp, limit: u32) -> Result<Vec<RequestId>>;
}
