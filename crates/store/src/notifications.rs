//! In-app notifications: the short notices a user sees on `/notifications` (and counts in the navigation),
//! written beside every email Coffeechat sends and for events that have no email.

use std::fmt;

use coffeechat_domain::AccountId;
use jiff::Timestamp;

use crate::Result;

/// A notification's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NotificationId(pub i64);

impl fmt::Display for NotificationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What [`NotificationStore::add_notification`] writes.
#[derive(Debug, Clone)]
pub struct NewNotification {
    pub account_id: AccountId,
    /// What it is about, e.g. `request_expired`.
    pub kind: String,
    pub text: String,
    /// A path inside the site, or empty.
    pub link: String,
    pub created_at: Timestamp,
    /// A second notification with the same key is ignored (tasks that two workers may run).
    pub dedupe_key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationRecord {
    pub id: NotificationId,
    pub account_id: AccountId,
    pub kind: String,
    pub text: String,
    pub link: String,
    pub created_at: Timestamp,
    pub read_at: Option<Timestamp>,
}

/// Storage of in-app notifications.
#[async_trait::async_trait]
pub trait NotificationStore: Send + Sync {
    /// Adds a notification; `None` when its dedupe key was already used.
    ///
    /// # Errors
    /// [`StoreError::NotFound`](crate::StoreError::NotFound) when the account does not exist.
    async fn add_notification(&self, notification: NewNotification) -> Result<Option<NotificationId>>;
    /// The account's notifications, newest first, at most `limit` (capped at 200).
    async fn notifications(&self, account: AccountId, limit: u32) -> Result<Vec<NotificationRecord>>;
    /// How many of the account's notifications are unread.
    async fn unread_notifications(&self, account: AccountId) -> Result<u32>;
    /// Marks the account's notifications read: the ones listed, or all when `ids` is empty. Returns how many
    /// changed (others' notifications and already read ones are left alone).
    async fn mark_notifications_read(&self, account: AccountId, ids: &[NotificationId], at: Timestamp) -> Result<u64>;
}

/// The most notifications one listing returns.
pub const MAX_NOTIFICATIONS: u32 = 200;
