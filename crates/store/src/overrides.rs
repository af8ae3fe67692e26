//! Date overrides: the days on which a host's weekly windows give way to other hours or to a day off.
//!
//! Overrides of one host never share a date, so the slot engine never has to choose between two of them.
//! [`OverrideStore::add_override`] checks that inside the transaction that writes, so two overlapping
//! overrides sent at the same moment cannot both be stored.

use std::fmt;

use coffeechat_domain::{AccountId, DateOverride};
use jiff::Timestamp;
use jiff::civil::Date;

use crate::Result;

/// A stored date override.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct OverrideId(pub i64);

impl fmt::Display for OverrideId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// One of a host's overrides, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrideRecord {
    pub id: OverrideId,
    pub host_id: AccountId,
    /// The dates (host-local) and the hours that replace the weekly windows on them.
    pub date_override: DateOverride,
    pub created_at: Timestamp,
}

/// What [`OverrideStore::add_override`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddedOverride {
    /// Stored.
    Added(OverrideRecord),
    /// Not stored: it shares a date with this override of the same host (the earliest such one).
    Overlaps(OverrideRecord),
}

/// Storage of date overrides.
#[async_trait::async_trait]
pub trait OverrideStore: Send + Sync {
    /// Every override of `host`, by first date.
    async fn overrides(&self, host: AccountId) -> Result<Vec<OverrideRecord>>;
    /// The overrides of `host` covering at least one date in `from..=to`, by first date.
    async fn overrides_between(&self, host: AccountId, from: Date, to: Date) -> Result<Vec<DateOverride>>;
    /// The same for many hosts at once (the directory), by host then first date.
    async fn overrides_for_hosts(
        &self,
        hosts: &[AccountId],
        from: Date,
        to: Date,
    ) -> Result<Vec<(AccountId, DateOverride)>>;
    /// Stores the override unless it shares a date with another of the host's; both in one transaction.
    ///
    /// # Errors
    /// [`StoreError::NotFound`](crate::StoreError::NotFound) when the account does not exist.
    async fn add_override(&self, host: AccountId, date_override: &DateOverride, at: Timestamp)
    -> Result<AddedOverride>;
    /// Deletes the override if it is `host`'s; `false` when there is no such override of theirs.
    async fn delete_override(&self, host: AccountId, id: OverrideId) -> Result<bool>;
}
