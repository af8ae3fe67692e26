//! Rows of in-app notifications (`notifications`).

use coffeechat_domain::AccountId;
use sqlx::FromRow;

use super::Seconds;
use crate::notifications::MAX_NOTIFICATIONS;
use crate::{NotificationId, NotificationRecord, Result};

#[derive(Debug, FromRow)]
pub(crate) struct NotificationRow {
    id: i64,
    account_id: i64,
    kind: String,
    text: String,
    link: String,
    created_at: Seconds,
    read_at: Option<Seconds>,
}

impl NotificationRow {
    pub(crate) fn into_record(self) -> Result<NotificationRecord> {
        Ok(NotificationRecord {
            id: NotificationId(self.id),
            account_id: AccountId(self.account_id),
            kind: self.kind,
            text: self.text,
            link: self.link,
            created_at: self.created_at.timestamp("notifications.created_at")?,
            read_at: self.read_at.map(|at| at.timestamp("notifications.read_at")).transpose()?,
        })
    }
}

/// A listing's page size: 1 to [`MAX_NOTIFICATIONS`].
pub(crate) fn notification_limit(limit: u32) -> i64 {
    i64::from(limit.clamp(1, MAX_NOTIFICATIONS))
}

/// The ids as plain integers for binding.
pub(crate) fn notification_ids(ids: &[NotificationId]) -> Vec<i64> {
    ids.iter().map(|id| id.0).collect()
}
