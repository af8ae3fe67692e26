//! The waitlist of a full host: seekers who asked while the host had no capacity, first come first served.
//!
//! An entry keeps what the seeker prepared (length, purpose, topics, questions), so when capacity frees and
//! the first in line is *offered* the opening, the composer opens pre-filled. An offer lasts a window (its
//! `offer_expires_at`); while it lasts the opening is kept for them, and when it lapses the next in line is
//! offered. A host in decline mode never builds a line, but each refusal is kept here too (`declined_full`)
//! so no request is silently dropped and the host can count demand.
//!
//! [`WaitlistStore::offer_next`] is the one place an offer is made: under the host's lock (PostgreSQL) or
//! SQLite's single writer it checks that no offer of the host is open and offers the first waiting entry,
//! so two workers running the promotion at once never offer twice.

use std::fmt;

use coffeechat_domain::{AccountId, Handle, MeetingLength};
use jiff::Timestamp;

use crate::{Party, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WaitlistId(pub i64);

impl fmt::Display for WaitlistId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Where an entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WaitlistStatus {
    /// In line.
    Waiting,
    /// First in line and offered the opening until `offer_expires_at`.
    Offered,
    /// They sent a request with the offer.
    Used,
    /// The offer ran out unused.
    Lapsed,
    /// The seeker left the line.
    Left,
    /// The host (in decline mode) was full; recorded, never in line.
    DeclinedFull,
}

impl WaitlistStatus {
    pub const ALL: [WaitlistStatus; 6] = [
        WaitlistStatus::Waiting,
        WaitlistStatus::Offered,
        WaitlistStatus::Used,
        WaitlistStatus::Lapsed,
        WaitlistStatus::Left,
        WaitlistStatus::DeclinedFull,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WaitlistStatus::Waiting => "waiting",
            WaitlistStatus::Offered => "offered",
            WaitlistStatus::Used => "used",
            WaitlistStatus::Lapsed => "lapsed",
            WaitlistStatus::Left => "left",
            WaitlistStatus::DeclinedFull => "declined_full",
        }
    }

    /// # Errors
    /// A message when `raw` is not a known status.
    pub fn parse(raw: &str) -> std::result::Result<Self, String> {
        WaitlistStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == raw)
            .ok_or_else(|| format!("'{raw}' is not a waitlist status"))
    }

    /// Waiting or offered: a place in line, counted as an open request of the seeker.
    pub fn is_active(self) -> bool {
        matches!(self, WaitlistStatus::Waiting | WaitlistStatus::Offered)
    }
}

/// What [`WaitlistStore::add_to_waitlist`] writes.
#[derive(Debug, Clone)]
pub struct NewWaitlistEntry {
    pub host_id: AccountId,
    pub seeker_id: AccountId,
    /// [`WaitlistStatus::Waiting`] or [`WaitlistStatus::DeclinedFull`].
    pub status: WaitlistStatus,
    pub length: MeetingLength,
    pub purpose: String,
    pub topics: Vec<String>,
    pub questions: Vec<String>,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitlistEntry {
    pub id: WaitlistId,
    pub host: Party,
    pub host_handle: Handle,
    pub seeker: Party,
    pub status: WaitlistStatus,
    pub length: MeetingLength,
    pub purpose: String,
    pub topics: Vec<String>,
    pub questions: Vec<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub offered_at: Option<Timestamp>,
    pub offer_expires_at: Option<Timestamp>,
    /// 1-based place in the host's line, for active entries.
    pub position: Option<u32>,
}

/// Storage of waitlists.
#[async_trait::async_trait]
pub trait WaitlistStore: Send + Sync {
    /// Adds an entry.
    ///
    /// # Errors
    /// [`Conflict::StateChanged`](crate::Conflict::StateChanged) when the seeker already has a place in the
    /// host's line; [`StoreError::NotFound`](crate::StoreError::NotFound) when an account does not exist.
    async fn add_to_waitlist(&self, entry: NewWaitlistEntry) -> Result<WaitlistEntry>;
    async fn waitlist_entry(&self, id: WaitlistId) -> Result<Option<WaitlistEntry>>;
    /// The seeker's entries, newest first (every status).
    async fn waitlist_of_seeker(&self, seeker: AccountId) -> Result<Vec<WaitlistEntry>>;
    /// The host's line (waiting and offered), first in line first.
    async fn waitlist_of_host(&self, host: AccountId) -> Result<Vec<WaitlistEntry>>;
    /// Takes the seeker's active entry out of line.
    ///
    /// # Errors
    /// [`StoreError::NotFound`](crate::StoreError::NotFound) when it is not the seeker's;
    /// [`Conflict::StateChanged`](crate::Conflict::StateChanged) when it is no longer in line.
    async fn leave_waitlist(&self, id: WaitlistId, seeker: AccountId, at: Timestamp) -> Result<WaitlistEntry>;
    /// The host's open offer (offered and not yet lapsed at `now`), if any.
    async fn open_offer(&self, host: AccountId, now: Timestamp) -> Result<Option<WaitlistEntry>>;
    /// Marks the seeker's open offer for the host used; `false` when they had none.
    async fn use_offer(&self, host: AccountId, seeker: AccountId, at: Timestamp) -> Result<bool>;
    /// Lapses every offer whose window ended by `now`; returns the lapsed entries (each once, ever).
    async fn lapse_offers(&self, now: Timestamp) -> Result<Vec<WaitlistEntry>>;
    /// When the host has no offered entry, offers the first waiting one until `until`; returns it.
    async fn offer_next(&self, host: AccountId, now: Timestamp, until: Timestamp) -> Result<Option<WaitlistEntry>>;
    /// Hosts with someone waiting in line.
    async fn hosts_with_waitlist(&self) -> Result<Vec<AccountId>>;
    /// How many requests the host (in decline mode) refused as full since `since`.
    async fn declined_full_count(&self, host: AccountId, since: Timestamp) -> Result<u32>;
}
