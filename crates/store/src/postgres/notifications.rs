//! [`NotificationStore`] on PostgreSQL (migration 0005).

use async_trait::async_trait;
use coffeechat_domain::AccountId;
use jiff::Timestamp;

use sqlx::PgConnection;

use super::{PostgresStore, instant};
use crate::rows::notifications::{NotificationRow, notification_ids, notification_limit};
use crate::rows::write_error;
use crate::{NewNotification, NotificationId, NotificationRecord, NotificationStore, Result};

/// Stores `notifications` on `conn` (inside the caller's transaction) in one statement; one whose dedupe key is
/// taken is skipped.
pub(super) async fn add_in(conn: &mut PgConnection, notifications: &[NewNotification]) -> Result<()> {
    if notifications.is_empty() {
        return Ok(());
    }
    let text = |field: fn(&NewNotification) -> Option<String>| notifications.iter().map(field).collect::<Vec<_>>();
    sqlx::query(
        "INSERT INTO notifications (account_id, kind, text, link, created_at, dedupe_key) \
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[]) \
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(notifications.iter().map(|notification| notification.account_id.0).collect::<Vec<_>>())
    .bind(text(|notification| Some(notification.kind.clone())))
    .bind(text(|notification| Some(notification.text.clone())))
    .bind(text(|notification| Some(notification.link.clone())))
    .bind(notifications.iter().map(|notification| instant(notification.created_at)).collect::<Vec<_>>())
    .bind(text(|notification| notification.dedupe_key.clone()))
    .execute(&mut *conn)
    .await
    .map_err(write_error)?;
    Ok(())
}

#[async_trait]
impl NotificationStore for PostgresStore {
    async fn add_notification(&self, notification: NewNotification) -> Result<Option<NotificationId>> {
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO notifications (account_id, kind, text, link, created_at, dedupe_key) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
        )
        .bind(notification.account_id.0)
        .bind(&notification.kind)
        .bind(&notification.text)
        .bind(&notification.link)
        .bind(instant(notification.created_at))
        .bind(&notification.dedupe_key)
        .fetch_optional(&self.pool)
        .await
        .map_err(write_error)?;
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
        let done = sqlx::query(
            "UPDATE notifications SET read_at = $2 WHERE account_id = $1 AND read_at IS NULL \
             AND (cardinality($3::bigint[]) = 0 OR id = ANY($3))",
        )
        .bind(account.0)
        .bind(instant(at))
        .bind(notification_ids(ids))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }
}
