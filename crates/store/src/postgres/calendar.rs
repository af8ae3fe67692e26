//! [`CalendarStore`] on PostgreSQL (migration 0004): moving an interview atomically, link tokens, feed tokens.

use async_trait::async_trait;
use coffeechat_domain::{AccountId, InterviewStatus};
use jiff::Timestamp;
use sqlx::{FromRow, PgConnection, PgExecutor};

use super::outbox::enqueue_in;
use super::{PostgresStore, fetch_interview, full_cap, instant, lock_host, overlaps_interview};
use crate::rows::calendar::{ActionTokenRow, FeedTokenRow};
use crate::rows::{AccountRow, CapCount, write_error};
use crate::{
    Account, ActionTokenRecord, CalendarStore, Conflict, FeedTokenRecord, InterviewRecord, RescheduleBooking, Result,
    StoreError,
};

impl PostgresStore {
    async fn reschedule_in(conn: &mut PgConnection, booking: &RescheduleBooking) -> Result<InterviewRecord> {
        #[derive(FromRow)]
        struct Current {
            host_id: i64,
            status: String,
            ical_sequence: i32,
        }
        let id = booking.interview_id.0;
        // Locked, so a cancellation or another move of this interview waits for this one and then finds its
        // sequence raised.
        let current = sqlx::query_as::<_, Current>(
            "SELECT host_id, status, ical_sequence FROM interviews WHERE id = $1 FOR UPDATE",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
        if current.status != InterviewStatus::Scheduled.as_str() || current.ical_sequence != booking.expected_sequence {
            return Err(StoreError::Conflict(Conflict::StateChanged));
        }
        if let Some(token_hash) = &booking.used_token_hash
            && !use_token(&mut *conn, token_hash, booking.at).await?
        {
            return Err(StoreError::Conflict(Conflict::StateChanged));
        }
        // The same host lock as an acceptance: a move and an acceptance for one host never check at once.
        if !lock_host(conn, current.host_id).await? {
            return Err(StoreError::NotFound);
        }

        // The interview's own current time never blocks its new one.
        if overlaps_interview(conn, current.host_id, Some(id), booking.conflict_from, booking.conflict_to).await? {
            return Err(StoreError::Conflict(Conflict::SlotTaken));
        }
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
        .bind(instant(booking.start))
        .bind(instant(booking.end))
        .bind(instant(booking.at))
        .bind(booking.expected_sequence)
        .execute(&mut *conn)
        .await
        .map_err(write_error)?;

        enqueue_in(conn, &booking.messages, booking.at).await?;
        fetch_interview(conn, id).await?.ok_or(StoreError::NotFound)
    }
}

/// Marks a link token used at `at`; `false` when it was used already (or never existed), so each link acts once.
async fn use_token<'c>(executor: impl PgExecutor<'c>, token_hash: &str, at: Timestamp) -> Result<bool> {
    let used = sqlx::query("UPDATE action_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL")
        .bind(token_hash)
        .bind(instant(at))
        .execute(executor)
        .await?
        .rows_affected();
    Ok(used > 0)
}

#[async_trait]
impl CalendarStore for PostgresStore {
    async fn reschedule_interview(&self, booking: RescheduleBooking) -> Result<InterviewRecord> {
        self.transaction(async |conn| Self::reschedule_in(conn, &booking).await).await
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
        .bind(instant(token.created_at))
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
        sqlx::query_as::<_, AccountRow>(
            "SELECT a.id, a.email, a.name, a.is_host, a.is_seeker, a.time_zone, a.created_at \
             FROM feed_tokens f JOIN accounts a ON a.id = f.account_id WHERE f.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?
        .map(AccountRow::into_account)
        .transpose()
    }
}
