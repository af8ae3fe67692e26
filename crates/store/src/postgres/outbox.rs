//! [`OutboxStore`] on PostgreSQL (migration 0004).
//!
//! A claim is one `UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED) RETURNING …` statement: a message
//! another worker is claiming at that moment is skipped rather than waited for, so workers on any number of
//! instances each take a different message, and none ever takes one twice.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::PgConnection;

use super::{PostgresStore, instant};
use crate::StoreError;
use crate::rows::outbox::{MAX_LISTING, MessageRow, outbox_counts};
use crate::rows::write_error;
use crate::{
    Conflict, NewActionToken, NewOutboxMessage, OutboxCounts, OutboxId, OutboxMessage, OutboxStatus, OutboxStore,
    Result,
};

/// The columns [`MessageRow`] reads; a macro so that `concat!` builds whole `&'static str` statements.
macro_rules! message_columns {
    () => {
        "id, kind, recipient_email, recipient_name, subject, body_text, body_html, ics, ics_method, status, \
         attempts, next_attempt_at, last_error, created_at, sent_at, dedupe_key"
    };
}

/// Queues `messages` on `conn` (inside the caller's transaction), each with the tokens it carries; a message
/// whose dedupe key is taken is skipped together with its tokens. Returns the ids queued.
pub(super) async fn enqueue_in(
    conn: &mut PgConnection,
    messages: &[NewOutboxMessage],
    at: Timestamp,
) -> Result<Vec<OutboxId>> {
    if messages.is_empty() {
        return Ok(Vec::new());
    }
    // Two statements whatever the number of messages and tokens: the messages, then the tokens of those
    // that were queued (a message without a dedupe key always is).
    let text = |field: fn(&NewOutboxMessage) -> Option<String>| messages.iter().map(field).collect::<Vec<_>>();
    let queued: Vec<(i64, Option<String>)> = sqlx::query_as(
        "INSERT INTO outbox (kind, recipient_email, recipient_name, subject, body_text, body_html, ics, \
         ics_method, status, attempts, next_attempt_at, created_at, dedupe_key) \
         SELECT kind, email, name, subject, body_text, body_html, ics, ics_method, 'queued', 0, $9, $9, dedupe_key \
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], \
                     $8::text[], $10::text[]) \
              AS m(kind, email, name, subject, body_text, body_html, ics, ics_method, dedupe_key) \
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, dedupe_key",
    )
    .bind(text(|message| Some(message.kind.clone())))
    .bind(text(|message| Some(message.recipient_email.as_str().to_owned())))
    .bind(text(|message| Some(message.recipient_name.clone())))
    .bind(text(|message| Some(message.subject.clone())))
    .bind(text(|message| Some(message.body_text.clone())))
    .bind(text(|message| message.body_html.clone()))
    .bind(text(|message| message.calendar.as_ref().map(|calendar| calendar.ics.clone())))
    .bind(text(|message| message.calendar.as_ref().map(|calendar| calendar.method.as_str().to_owned())))
    .bind(instant(at))
    .bind(text(|message| message.dedupe_key.clone()))
    .fetch_all(&mut *conn)
    .await
    .map_err(write_error)?;
    let skipped = messages.len() - queued.len();
    if skipped > 0 {
        tracing::debug!(skipped, "messages already queued; skipped with their tokens");
    }

    // Each key queued once: a second message of the batch with the same key was skipped.
    let mut queued_keys: Vec<&String> = queued.iter().filter_map(|(_, key)| key.as_ref()).collect();
    let tokens: Vec<&NewActionToken> = messages
        .iter()
        .filter(|message| match &message.dedupe_key {
            None => true,
            Some(key) => {
                queued_keys.iter().position(|queued| *queued == key).map(|at| queued_keys.swap_remove(at)).is_some()
            }
        })
        .flat_map(|message| &message.tokens)
        .collect();
    if !tokens.is_empty() {
        sqlx::query(
            "INSERT INTO action_tokens (token_hash, interview_id, account_id, action, sequence, created_at) \
             SELECT token_hash, interview_id, account_id, action, sequence, $6 \
             FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::int[]) \
                  AS t(token_hash, interview_id, account_id, action, sequence)",
        )
        .bind(tokens.iter().map(|token| token.token_hash.clone()).collect::<Vec<_>>())
        .bind(tokens.iter().map(|token| token.interview_id.0).collect::<Vec<_>>())
        .bind(tokens.iter().map(|token| token.account_id.0).collect::<Vec<_>>())
        .bind(tokens.iter().map(|token| token.action.as_str().to_owned()).collect::<Vec<_>>())
        .bind(tokens.iter().map(|token| token.sequence).collect::<Vec<_>>())
        .bind(instant(at))
        .execute(&mut *conn)
        .await
        .map_err(write_error)?;
    }
    Ok(queued.into_iter().map(|(id, _)| OutboxId(id)).collect())
}

impl PostgresStore {
    /// Moves a message out of `sending`; tells "claim expired" from "no such message" when nothing changed.
    async fn finish_claim(&self, id: OutboxId, changed: u64) -> Result<()> {
        if changed > 0 {
            return Ok(());
        }
        let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM outbox WHERE id = $1)")
            .bind(id.0)
            .fetch_one(&self.pool)
            .await?;
        Err(if exists { StoreError::Conflict(Conflict::StateChanged) } else { StoreError::NotFound })
    }

    /// Claims the message that has been due longest for `worker` (none: an anonymous claim).
    async fn claim(
        &self,
        worker: Option<&str>,
        now: Timestamp,
        lease_until: Timestamp,
    ) -> Result<Option<OutboxMessage>> {
        sqlx::query_as::<_, MessageRow>(concat!(
            "UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = $2, claimed_by = $3 \
             WHERE id = (SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= $1 \
                         ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) \
             RETURNING ",
            message_columns!()
        ))
        .bind(instant(now))
        .bind(instant(lease_until))
        .bind(worker)
        .fetch_optional(&self.pool)
        .await?
        .map(MessageRow::into_message)
        .transpose()
    }
}

#[async_trait]
impl OutboxStore for PostgresStore {
    async fn enqueue_messages(&self, messages: Vec<NewOutboxMessage>, at: Timestamp) -> Result<Vec<OutboxId>> {
        if messages.is_empty() {
            return Ok(Vec::new());
        }
        self.transaction(async |conn| enqueue_in(conn, &messages, at).await).await
    }

    async fn claim_next_message(&self, now: Timestamp, lease_until: Timestamp) -> Result<Option<OutboxMessage>> {
        self.claim(None, now, lease_until).await
    }

    async fn claim_next_message_for(
        &self,
        worker: &str,
        now: Timestamp,
        lease_until: Timestamp,
    ) -> Result<Option<OutboxMessage>> {
        self.claim(Some(worker), now, lease_until).await
    }

    async fn release_claims_of(&self, worker: &str, now: Timestamp) -> Result<u64> {
        let released = sqlx::query(
            "UPDATE outbox SET status = 'queued', attempts = greatest(attempts - 1, 0), next_attempt_at = $2, \
                 claimed_by = NULL \
             WHERE status = 'sending' AND claimed_by = $1",
        )
        .bind(worker)
        .bind(instant(now))
        .execute(&self.pool)
        .await?
        .rows_affected();
        if released > 0 {
            tracing::info!(released, worker, "gave back the outbox messages this worker still held");
        }
        Ok(released)
    }

    async fn mark_message_sent(&self, id: OutboxId, at: Timestamp) -> Result<()> {
        let changed = sqlx::query(
            "UPDATE outbox SET status = 'sent', sent_at = $2, last_error = NULL, claimed_by = NULL \
             WHERE id = $1 AND status = 'sending'",
        )
        .bind(id.0)
        .bind(instant(at))
        .execute(&self.pool)
        .await?
        .rows_affected();
        self.finish_claim(id, changed).await
    }

    async fn mark_message_failed(&self, id: OutboxId, error: &str, retry_at: Option<Timestamp>) -> Result<()> {
        let changed = match retry_at {
            Some(retry_at) => sqlx::query(
                "UPDATE outbox SET status = 'queued', next_attempt_at = $3, last_error = $2, claimed_by = NULL \
                 WHERE id = $1 AND status = 'sending'",
            )
            .bind(id.0)
            .bind(error)
            .bind(instant(retry_at))
            .execute(&self.pool)
            .await?
            .rows_affected(),
            None => sqlx::query(
                "UPDATE outbox SET status = 'failed', last_error = $2, claimed_by = NULL \
                     WHERE id = $1 AND status = 'sending'",
            )
            .bind(id.0)
            .bind(error)
            .execute(&self.pool)
            .await?
            .rows_affected(),
        };
        self.finish_claim(id, changed).await
    }

    async fn release_stale_claims(&self, now: Timestamp, max_attempts: u32) -> Result<u64> {
        let released = sqlx::query(
            "UPDATE outbox SET \
                 status = CASE WHEN attempts >= $2 THEN 'failed' ELSE 'queued' END, \
                 last_error = coalesce(last_error || '; ', '') || 'the worker stopped while sending', \
                 next_attempt_at = $1, claimed_by = NULL \
             WHERE status = 'sending' AND next_attempt_at <= $1",
        )
        .bind(instant(now))
        .bind(i64::from(max_attempts))
        .execute(&self.pool)
        .await?
        .rows_affected();
        if released > 0 {
            tracing::warn!(released, "gave back outbox claims of a worker that stopped mid-send");
        }
        Ok(released)
    }

    async fn outbox_message(&self, id: OutboxId) -> Result<Option<OutboxMessage>> {
        sqlx::query_as::<_, MessageRow>(concat!("SELECT ", message_columns!(), " FROM outbox WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .map(MessageRow::into_message)
            .transpose()
    }

    async fn outbox_messages(&self, status: Option<OutboxStatus>, limit: u32) -> Result<Vec<OutboxMessage>> {
        let rows = sqlx::query_as::<_, MessageRow>(concat!(
            "SELECT ",
            message_columns!(),
            " FROM outbox WHERE ($1::text IS NULL OR status = $1) ORDER BY id DESC LIMIT $2"
        ))
        .bind(status.map(OutboxStatus::as_str))
        .bind(i64::from(limit.min(MAX_LISTING)))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(MessageRow::into_message).collect()
    }

    async fn outbox_counts(&self) -> Result<OutboxCounts> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, count(*) FROM outbox GROUP BY status").fetch_all(&self.pool).await?;
        outbox_counts(rows)
    }

    async fn delete_sent_messages(&self, before: Timestamp) -> Result<u64> {
        let deleted = sqlx::query("DELETE FROM outbox WHERE status = 'sent' AND sent_at < $1")
            .bind(instant(before))
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(deleted)
    }
}
