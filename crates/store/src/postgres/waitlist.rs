//! [`WaitlistStore`] on PostgreSQL (migration 0005). Offers are made under the host account's row lock
//! (`lock_host`), so a check-then-offer never races with another worker's, on any instance.

use async_trait::async_trait;
use coffeechat_domain::AccountId;
use jiff::Timestamp;
use sqlx::PgConnection;
use sqlx::types::Json;

use super::{PostgresStore, instant, lock_host};
use crate::rows::waitlist::{WaitlistRow, check_new_status, entry_length, waitlist_select};
use crate::rows::write_error;
use crate::{Conflict, NewWaitlistEntry, Result, StoreError, WaitlistEntry, WaitlistId, WaitlistStatus, WaitlistStore};

async fn fetch_entry(conn: &mut PgConnection, id: i64) -> Result<Option<WaitlistEntry>> {
    sqlx::query_as::<_, WaitlistRow>(concat!(waitlist_select!(), " WHERE w.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(WaitlistRow::into_entry)
        .transpose()
}

#[async_trait]
impl WaitlistStore for PostgresStore {
    async fn add_to_waitlist(&self, entry: NewWaitlistEntry) -> Result<WaitlistEntry> {
        check_new_status(&entry)?;
        self.transaction(async |conn| {
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO waitlist (host_id, seeker_id, status, length_minutes, purpose, topics, questions, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
                 ON CONFLICT (host_id, seeker_id) WHERE status IN ('waiting', 'offered') DO NOTHING RETURNING id",
            )
            .bind(entry.host_id.0)
            .bind(entry.seeker_id.0)
            .bind(entry.status.as_str())
            .bind(entry_length(&entry))
            .bind(&entry.purpose)
            .bind(Json(&entry.topics))
            .bind(Json(&entry.questions))
            .bind(instant(entry.at))
            .fetch_optional(&mut *conn)
            .await
            .map_err(write_error)?;
            let id = id.ok_or(StoreError::Conflict(Conflict::StateChanged))?;
            fetch_entry(conn, id).await?.ok_or(StoreError::NotFound)
        })
        .await
    }

    async fn waitlist_entry(&self, id: WaitlistId) -> Result<Option<WaitlistEntry>> {
        let mut conn = self.pool.acquire().await?;
        fetch_entry(&mut conn, id.0).await
    }

    async fn waitlist_of_seeker(&self, seeker: AccountId) -> Result<Vec<WaitlistEntry>> {
        sqlx::query_as::<_, WaitlistRow>(concat!(
            waitlist_select!(),
            " WHERE w.seeker_id = $1 ORDER BY w.created_at DESC, w.id DESC"
        ))
        .bind(seeker.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(WaitlistRow::into_entry)
        .collect()
    }

    async fn waitlist_of_host(&self, host: AccountId) -> Result<Vec<WaitlistEntry>> {
        sqlx::query_as::<_, WaitlistRow>(concat!(
            waitlist_select!(),
            " WHERE w.host_id = $1 AND w.status IN ('waiting', 'offered') ORDER BY w.created_at, w.id"
        ))
        .bind(host.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(WaitlistRow::into_entry)
        .collect()
    }

    async fn leave_waitlist(&self, id: WaitlistId, seeker: AccountId, at: Timestamp) -> Result<WaitlistEntry> {
        self.transaction(async |conn| {
            let status: Option<String> =
                sqlx::query_scalar("SELECT status FROM waitlist WHERE id = $1 AND seeker_id = $2 FOR UPDATE")
                    .bind(id.0)
                    .bind(seeker.0)
                    .fetch_optional(&mut *conn)
                    .await?;
            let status = status.ok_or(StoreError::NotFound)?;
            if !WaitlistStatus::parse(&status).is_ok_and(WaitlistStatus::is_active) {
                return Err(StoreError::Conflict(Conflict::StateChanged));
            }
            sqlx::query("UPDATE waitlist SET status = 'left', updated_at = $2 WHERE id = $1")
                .bind(id.0)
                .bind(instant(at))
                .execute(&mut *conn)
                .await?;
            fetch_entry(conn, id.0).await?.ok_or(StoreError::NotFound)
        })
        .await
    }

    async fn open_offer(&self, host: AccountId, now: Timestamp) -> Result<Option<WaitlistEntry>> {
        sqlx::query_as::<_, WaitlistRow>(concat!(
            waitlist_select!(),
            " WHERE w.host_id = $1 AND w.status = 'offered' AND w.offer_expires_at > $2 \
             ORDER BY w.created_at, w.id LIMIT 1"
        ))
        .bind(host.0)
        .bind(instant(now))
        .fetch_optional(&self.pool)
        .await?
        .map(WaitlistRow::into_entry)
        .transpose()
    }

    async fn use_offer(&self, host: AccountId, seeker: AccountId, at: Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE waitlist SET status = 'used', updated_at = $3 \
             WHERE host_id = $1 AND seeker_id = $2 AND status = 'offered' AND offer_expires_at > $3",
        )
        .bind(host.0)
        .bind(seeker.0)
        .bind(instant(at))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn lapse_offers(&self, now: Timestamp) -> Result<Vec<WaitlistEntry>> {
        self.transaction(async |conn| {
            let ids: Vec<(i64,)> = sqlx::query_as(
                "UPDATE waitlist SET status = 'lapsed', updated_at = $1 \
                 WHERE status = 'offered' AND offer_expires_at <= $1 RETURNING id",
            )
            .bind(instant(now))
            .fetch_all(&mut *conn)
            .await?;
            let mut lapsed = Vec::with_capacity(ids.len());
            for (id,) in ids {
                lapsed.extend(fetch_entry(conn, id).await?);
            }
            Ok(lapsed)
        })
        .await
    }

    async fn offer_next(&self, host: AccountId, now: Timestamp, until: Timestamp) -> Result<Option<WaitlistEntry>> {
        self.transaction(async |conn| {
            if !lock_host(conn, host.0).await? {
                return Ok(None);
            }
            let offered: Option<i64> =
                sqlx::query_scalar("SELECT id FROM waitlist WHERE host_id = $1 AND status = 'offered' LIMIT 1")
                    .bind(host.0)
                    .fetch_optional(&mut *conn)
                    .await?;
            if offered.is_some() {
                return Ok(None);
            }
            let id: Option<i64> = sqlx::query_scalar(
                "UPDATE waitlist SET status = 'offered', offered_at = $2, offer_expires_at = $3, updated_at = $2 \
                 WHERE id = (SELECT id FROM waitlist WHERE host_id = $1 AND status = 'waiting' \
                             ORDER BY created_at, id LIMIT 1) RETURNING id",
            )
            .bind(host.0)
            .bind(instant(now))
            .bind(instant(until))
            .fetch_optional(&mut *conn)
            .await?;
            match id {
                Some(id) => fetch_entry(conn, id).await,
                None => Ok(None),
            }
        })
        .await
    }

    async fn hosts_with_waitlist(&self) -> Result<Vec<AccountId>> {
        let hosts: Vec<(i64,)> =
            sqlx::query_as("SELECT DISTINCT host_id FROM waitlist WHERE status = 'waiting' ORDER BY host_id")
                .fetch_all(&self.pool)
                .await?;
        Ok(hosts.into_iter().map(|(id,)| AccountId(id)).collect())
    }

    async fn declined_full_count(&self, host: AccountId, since: Timestamp) -> Result<u32> {
        let count: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM waitlist WHERE host_id = $1 AND status = 'declined_full' AND created_at >= $2",
        )
        .bind(host.0)
        .bind(instant(since))
        .fetch_one(&self.pool)
        .await?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }
}
