//! [`CalendarStore`] on SQLite (migration 0005): moving an interview atomically, link tokens, feed tokens.

use async_trait::async_trait;
use coffeechat_domain::{AccountId, InterviewStatus};
use jiff::Timestamp;
use sqlx::{FromRow, SqliteConnection, SqliteExecutor};

use super::outbox::enqueue_in;
use super::{CapCount, SqliteStore, earliest_overlapping_start, fetch_interview, full_cap, seconds, write_error};
use crate::rows::calendar::{ActionTokenRow, FeedTokenRow};
use crate::{
    Account, ActionTokenRecord, CalendarStore, Conflict, FeedTokenRecord, InterviewRecord, RescheduleBooking, Result,
    Store, StoreError,
};

impl SqliteStore {
    async fn reschedule_in(conn: &mut SqliteConnection, booking: &RescheduleBooking) -> Result<InterviewRecord> {
        #[derive(FromRow)]
        struct Current {
            host_id: i64,
            status: String,
            ical_sequence: i64,
        }
        let id = booking.interview_id.0;
        let current =
            sqlx::query_as::<_, Current>("SELECT host_id, status, ical_sequence FROM interviews WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?
                .ok_or(StoreError::NotFound)?;
        if current.status != InterviewStatus::Scheduled.as_str()
            || current.ical_sequence != i64::from(booking.expected_sequence)
        {
            return Err(StoreError::Conflict(Conflict::StateChanged));
        }
        if let Some(token_hash) = &booking.used_token_hash
            && !use_token(&mut *conn, token_hash, booking.at).await?
        {
            return Err(StoreError::Conflict(Conflict::StateChanged));
        }

        // The interview's own current time never blocks its new one.
        let overlapping: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM interviews \
             WHERE host_id = $1 AND id <> $2 AND status = 'scheduled' AND start_at < $3 AND end_at > $4 \
             AND start_at > $5)",
        )
        .bind(current.host_id)
        .bind(id)
        .bind(seconds(booking.conflict_to))
        .bind(seconds(booking.conflict_from))
        .bind(earliest_overlapping_start(booking.conflict_from))
        .fetch_one(&mut *conn)
        .await?;
        if overlapping {
            return Err(StoreError::Conflict(Conflict::SlotTaken));
        }

        // The same count as an accept makes, this interview excepted.
        let counting = CapCount {
            host_id: current.host_id,
            count_pending: booking.count_pending,
            except_request: None,
            except_interview: Some(id),
        };
        if let Some(kind) = full_cap(conn, &counting, &booking.caps).await? {
            return Err(StoreError::Conflict(Conflict::CapReached(kind)));
        }

        sqlx::query(
            "UPDATE interviews SET start_at = $2, end_at = $3, ical_sequence = ical_sequence + 1, updated_at = $4 \
             WHERE id = $1 AND status = 'scheduled' AND ical_sequence = $5",
        )
        .bind(id)
        .bind(seconds(booking.start))
        .bind(seconds(booking.end))
        .bind(seconds(booking.at))
        .bind(booking.expected_sequence)
        .execute(&mut *conn)
        .await
        .map_err(write_error)?;

        enqueue_in(conn, &booking.messages, booking.at).await?;
        fetch_interview(conn, id).await?.ok_or(StoreError::NotFound)
    }
}

/// Marks a link token used at `at`; `false` when it was used already (or never existed), so each link acts once.
async fn use_token<'c>(executor: impl SqliteExecutor<'c>, token_hash: &str, at: Timestamp) -> Result<bool> {
    let used = sqlx::query("UPDATE action_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL")
        .bind(token_hash)
        .bind(seconds(at))
        .execute(executor)
        .await?
        .rows_affected();
    Ok(used > 0)
}

#[async_trait]
impl CalendarStore for SqliteStore {
    async fn reschedule_interview(&self, booking: RescheduleBooking) -> Result<InterviewRecord> {
        self.write_transaction(async |conn| Self::reschedule_in(conn, &booking).await).await
    }

    async fn action_token(&self, token_hash: &str) -> Result<Option<ActionTokenRecord>> {
        sqlx::query_as::<_, ActionTokenRow>(
            "SELECT interview_id, account_id, action, sequence, created_at, used_at FROM action_tokens \
             WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?
        .map(ActionTokenRow::into_record)
        .transpose()
    }

    async fn use_action_token(&self, token_hash: &str, at: Timestamp) -> Result<bool> {
        use_token(&self.pool, token_hash, at).await
    }

    async fn feed_token(&self, account: AccountId) -> Result<Option<FeedTokenRecord>> {
        sqlx::query_as::<_, FeedTokenRow>("SELECT nonce, token_hash, created_at FROM feed_tokens WHERE account_id = $1")
            .bind(account.0)
            .fetch_optional(&self.pool)
            .await?
            .map(FeedTokenRow::into_record)
            .transpose()
    }

    async fn put_feed_token(&self, account: AccountId, token: &FeedTokenRecord) -> Result<()> {
        sqlx::query(
            "INSERT INTO feed_tokens (account_id, nonce, token_hash, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (account_id) DO UPDATE SET nonce = excluded.nonce, token_hash = excluded.token_hash, \
             created_at = excluded.created_at",
        )
        .bind(account.0)
        .bind(&token.nonce)
        .bind(&token.token_hash)
        .bind(seconds(token.created_at))
        .execute(&self.pool)
        .await
        .map_err(write_error)?;
        Ok(())
    }

    async fn delete_feed_token(&self, account: AccountId) -> Result<bool> {
        let deleted = sqlx::query("DELETE FROM feed_tokens WHERE account_id = $1")
            .bind(account.0)
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(deleted > 0)
    }

    async fn account_by_feed_token(&self, token_hash: &str) -> Result<Option<Account>> {
        let owner: Option<i64> = sqlx::query_scalar("SELECT account_id FROM feed_tokens WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        match owner {
            Some(id) => self.account(AccountId(id)).await,
            None => Ok(None),
        }
    }
}
