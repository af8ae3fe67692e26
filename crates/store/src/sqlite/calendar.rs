//! [`CalendarStore`] on SQLite (migration 0005): moving an interview atomically, link tokens, feed tokens.

use async_trait::async_trait;
use coffeechat_domain::{AccountId, InterviewId, InterviewStatus};
use jiff::Timestamp;
use sqlx::{FromRow, SqliteConnection};

use super::outbox::enqueue_in;
use super::{SqliteStore, corrupt, fetch_interview, seconds, timestamp, write_error};
use crate::{
    Account, ActionTokenRecord, CalendarStore, Conflict, FeedTokenRecord, InterviewRecord, LinkAction,
    RescheduleBooking, Result, Store, StoreError,
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
        if let Some(token_hash) = &booking.used_token_hash {
            let used = sqlx::query("UPDATE action_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL")
                .bind(token_hash)
                .bind(seconds(booking.at))
                .execute(&mut *conn)
                .await?
                .rows_affected();
            if used == 0 {
                return Err(StoreError::Conflict(Conflict::StateChanged));
            }
        }

        // The interview's own current time never blocks its new one.
        let overlapping: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM interviews \
             WHERE host_id = $1 AND id <> $2 AND status = 'scheduled' AND start_at < $3 AND end_at > $4)",
        )
        .bind(current.host_id)
        .bind(id)
        .bind(seconds(booking.conflict_to))
        .bind(seconds(booking.conflict_from))
        .fetch_one(&mut *conn)
        .await?;
        if overlapping {
            return Err(StoreError::Conflict(Conflict::SlotTaken));
        }

        for period in &booking.caps {
            // The same count as an accept makes: active interviews (this one excepted) plus, when the host
            // counts them, pending requests at their earliest proposed start.
            let taken: i64 = sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM interviews \
                         WHERE host_id = $1 AND id <> $4 AND status = 'scheduled' AND start_at >= $2 AND start_at < $3) \
                      + (SELECT COUNT(*) FROM ( \
                           SELECT (SELECT min(p.value) FROM json_each(r.proposed_starts) p) AS earliest \
                           FROM requests r WHERE $5 AND r.host_id = $1 AND r.status = 'pending') \
                         WHERE earliest >= $2 AND earliest < $3)",
            )
            .bind(current.host_id)
            .bind(seconds(period.from))
            .bind(seconds(period.to))
            .bind(id)
            .bind(booking.count_pending)
            .fetch_one(&mut *conn)
            .await?;
            if taken >= i64::from(period.cap) {
                return Err(StoreError::Conflict(Conflict::CapReached(period.kind)));
            }
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

#[derive(Debug, FromRow)]
struct ActionTokenRow {
    interview_id: i64,
    account_id: i64,
    action: String,
    sequence: i64,
    created_at: i64,
    used_at: Option<i64>,
}

impl ActionTokenRow {
    fn into_record(self) -> Result<ActionTokenRecord> {
        Ok(ActionTokenRecord {
            interview_id: InterviewId(self.interview_id),
            account_id: AccountId(self.account_id),
            action: LinkAction::parse(&self.action).map_err(|error| corrupt("action_tokens.action", error))?,
            sequence: i32::try_from(self.sequence).map_err(|error| corrupt("action_tokens.sequence", error))?,
            created_at: timestamp("action_tokens.created_at", self.created_at)?,
            used_at: self.used_at.map(|at| timestamp("action_tokens.used_at", at)).transpose()?,
        })
    }
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
        let used = sqlx::query("UPDATE action_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL")
            .bind(token_hash)
            .bind(seconds(at))
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(used > 0)
    }

    async fn feed_token(&self, account: AccountId) -> Result<Option<FeedTokenRecord>> {
        let row: Option<(String, String, i64)> =
            sqlx::query_as("SELECT nonce, token_hash, created_at FROM feed_tokens WHERE account_id = $1")
                .bind(account.0)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|(nonce, token_hash, created_at)| {
            Ok(FeedTokenRecord { nonce, token_hash, created_at: timestamp("feed_tokens.created_at", created_at)? })
        })
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
