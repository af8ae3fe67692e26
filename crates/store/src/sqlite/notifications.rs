//! [`NotificationStore`] on SQLite (migration 0006).

use async_trait::async_trait;
use coffeechat_domain::AccountId;
use jiff::Timestamp;

use sqlx::SqliteConnection;

use super::{SqliteStore, seconds, write_error};
use crate::rows::notifications::{NotificationRow, notification_ids, notification_limit};
use crate::{NewNotification, NotificationId, NotificationRecord, NotificationStore, Result};

const INSERT_NOTIFICATION: &str = "INSERT INTO notifications (account_id, kind, text, link, created_at, dedupe_key) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id";

fn insert_notification(
    notification: &NewNotification,
) -> sqlx::query::QueryScalar<'_, sqlx::Sqlite, i64, sqlx::sqlite::SqliteArguments> {
    sqlx::query_scalar(INSERT_NOTIFICATION)
        .bind(notification.account_id.0)
        .bind(&notification.kind)
        .bind(&notification.text)
        .bind(&notification.link)
        .bind(seconds(notification.created_at))
        .bind(&notification.dedupe_key)
}

/// Stores `notifications` on `conn` (inside the caller's transaction); one whose dedupe key is taken is skipped.
pub(super) async fn add_in(conn: &mut SqliteConnection, notifications: &[NewNotification]) -> Result<()> {
    for notification in notifications {
        insert_notification(notification).fetch_optional(&mut *conn).await.map_err(write_error)?;
    }
    Ok(())
}

#[async_trait]
impl NotificationStore for SqliteStore {
    async fn add_notification(&self, notification: NewNotification) -> Result<Option<NotificationId>> {
        let id = insert_notification(&notification).fetch_optional(&self.pool).await.map_err(write_error)?;
        Ok(id.map(NotificationId))
    }

    async fn notifications(&self, account: AccountId, limit: u32) -> Result<Vec<NotificationRecord>> {
        sqlx::query_as::<_, NotificationRow>(
            "SELECT id, account_id, kind, text, link, created_at, read_at FROM notifications \
             WHERE account_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
        )
        .bind(account.0)
        .bind(notification_limit(limit))
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(NotificationRow::into_record)
        .collect()
    }

    async fn unread_notifications(&self, account: AccountId) -> Result<u32> {
        let count: i64 =
            sqlx::query_scalar("SELECT count(*) FROM notifications WHERE account_id = $1 AND read_at IS NULL")
                .bind(account.0)
                .fetch_one(&self.pool)
                .await?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }

    async fn mark_notifications_read(&self, account: AccountId, ids: &[NotificationId], at: Timestamp) -> Result<u64> {
        let ids = serde_json::Value::from(notification_ids(ids)).to_string();
        let done = sqlx::query(
            "UPDATE notifications SET read_at = $2 WHERE account_id = $1 AND read_at IS NULL \
             AND (json_array_length($3) = 0 OR id IN (SELECT value FROM json_each($3)))",
        )
        .bind(account.0)
        .bind(seconds(at))
        .bind(ids)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }
}
