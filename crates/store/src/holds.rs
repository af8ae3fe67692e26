//! Pending requests as the slot engine sees them: the times they hold and the caps they may count towards.
//!
//! The engine needs, per host, each pending request's creation time (a request holds its proposed slots
//! for the host's hold period after it was sent), its length and its proposed starts. These queries return
//! exactly that, for one host or for many at once, so no page ever loads whole request records (or asks
//! once per host) just to compute free slots.

use coffeechat_domain::{AccountId, MeetingLength, RequestId};
use jiff::Timestamp;

use crate::Result;

/// A pending request's claim on the host's time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingHold {
    pub request_id: RequestId,
    pub created_at: Timestamp,
    pub length: MeetingLength,
    /// Ascending, never empty.
    pub proposed_starts: Vec<Timestamp>,
}

impl PendingHold {
    /// The earliest proposed start: the instant the request counts at towards the caps.
    pub fn earliest(&self) -> Option<Timestamp> {
        self.proposed_starts.first().copied()
    }
}

/// Queries of pending requests for the slot engine.
#[async_trait::async_trait]
pub trait HoldStore: Send + Sync {
    /// Pending requests to `host` with at least one proposed start in `[from, to)`, oldest first.
    async fn pending_holds(&self, host: AccountId, from: Timestamp, to: Timestamp) -> Result<Vec<PendingHold>>;
    /// The same for many hosts at once (the directory), by host then age.
    async fn pending_holds_for_hosts(
        &self,
        hosts: &[AccountId],
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(AccountId, PendingHold)>>;
}
