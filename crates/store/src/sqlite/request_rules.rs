//! [`RequestRulesStore`] on SQLite (migration 0006).

use async_trait::async_trait;
use coffeechat_domain::etiquette::Finding;
use coffeechat_domain::{AccountId, InterviewId, RequestId, RequestRules};
use jiff::{SignedDuration, Timestamp};

use super::{SqliteStore, seconds, write_error};
use crate::rows::request_rules::{DeadlinesRow, RulesRow, batch, findings, findings_json, rules_columns};
use crate::rows::{JsonText, timestamp};
use crate::{OpenRequests, PastMeeting, RequestDeadlines, RequestRulesStore, Result, StoreError};

#[async_trait]
impl RequestRulesStore for SqliteStore {
    async fn request_rules(&self, host: AccountId) -> Result<RequestRules> {
        let row = sqlx::query_as::<_, RulesRow>(
            "SELECT etiquette_mode, min_questions, overflow, expiry_days, max_open_requests, response_days \
             FROM host_request_rules WHERE account_id = $1",
        )
        .bind(host.0)
        .fetch_optional(&self.pool)
        .await?;
        row.map_or_else(|| Ok(RequestRules::default()), RulesRow::into_rules)
    }

    async fn put_request_rules(&self, host: AccountId, rules: &RequestRules) -> Result<()> {
        let (mode, min_questions, overflow, expiry, max_open, response) = rules_columns(rules);
        sqlx::query(
            "INSERT INTO host_request_rules \
             (account_id, etiquette_mode, min_questions, overflow, expiry_days, max_open_requests, response_days) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (account_id) DO UPDATE SET \
             etiquette_mode = excluded.etiquette_mode, min_questions = excluded.min_questions, \
             overflow = excluded.overflow, expiry_days = excluded.expiry_days, \
             max_open_requests = excluded.max_open_requests, response_days = excluded.response_days",
        )
        .bind(host.0)
        .bind(mode)
        .bind(min_questions)
        .bind(overflow)
        .bind(expiry)
        .bind(max_open)
        .bind(response)
        .execute(&self.pool)
        .await
        .map_err(write_error)?;
        Ok(())
    }

    async fn set_request_findings(&self, request: RequestId, found: &[Finding]) -> Result<()> {
        let changed = sqlx::query("UPDATE requests SET findings = $2 WHERE id = $1")
            .bind(request.0)
            .bind(findings_json(found)?)
            .execute(&self.pool)
            .await?;
        if changed.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn request_findings(&self, request: RequestId) -> Result<Vec<Finding>> {
        let raw: Option<JsonText> = sqlx::query_scalar("SELECT findings FROM requests WHERE id = $1")
            .bind(request.0)
            .fetch_optional(&self.pool)
            .await?;
        findings(raw)
    }

    async fn request_deadlines(&self, request: RequestId) -> Result<RequestDeadlines> {
        let row = sqlx::query_as::<_, DeadlinesRow>("SELECT expires_at, reminded_at FROM requests WHERE id = $1")
            .bind(request.0)
            .fetch_optional(&self.pool)
            .await?;
        row.map_or_else(|| Ok(RequestDeadlines::default()), DeadlinesRow::into_deadlines)
    }

    async fn open_requests(&self, seeker: AccountId) -> Result<OpenRequests> {
        let rows: Vec<(i64, bool)> = sqlx::query_as(
            "SELECT host_id, 1 FROM requests WHERE seeker_id = $1 AND status = 'pending' \
             UNION ALL SELECT host_id, 0 FROM waitlist WHERE seeker_id = $1 AND status IN ('waiting', 'offered')",
        )
        .bind(seeker.0)
        .fetch_all(&self.pool)
        .await?;
        let mut open = OpenRequests::default();
        for (host, pending) in rows {
            if pending { open.pending_with.push(AccountId(host)) } else { open.waitlisted_with.push(AccountId(host)) }
        }
        Ok(open)
    }

    async fn past_meetings(&self, seeker: AccountId, host: AccountId, now: Timestamp) -> Result<Vec<PastMeeting>> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT id, end_at FROM interviews WHERE seeker_id = $1 AND host_id = $2 AND status = 'scheduled' \
             AND end_at <= $3 ORDER BY end_at DESC",
        )
        .bind(seeker.0)
        .bind(host.0)
        .bind(seconds(now))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, end)| {
                Ok(PastMeeting { interview_id: InterviewId(id), end: timestamp("interviews.end_at", end)? })
            })
            .collect()
    }

    async fn answer_delays(&self, host: AccountId, since: Timestamp) -> Result<Vec<SignedDuration>> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT updated_at - created_at FROM requests WHERE host_id = $1 \
             AND status IN ('accepted', 'declined') AND updated_at >= $2",
        )
        .bind(host.0)
        .bind(seconds(since))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(secs,)| SignedDuration::from_secs(secs.max(0))).collect())
    }

    async fn claim_due_reminders(&self, now: Timestamp, limit: u32) -> Result<Vec<RequestId>> {
        let claimed: Vec<(i64,)> = sqlx::query_as(
            "UPDATE requests SET reminded_at = $1 WHERE id IN ( \
                 SELECT id FROM requests WHERE status = 'pending' AND reminded_at IS NULL \
                 AND expires_at IS NOT NULL AND created_at + (expires_at - created_at) / 2 <= $1 \
                 ORDER BY expires_at, id LIMIT $2) \
             AND status = 'pending' AND reminded_at IS NULL RETURNING id",
        )
        .bind(seconds(now))
        .bind(batch(limit))
        .fetch_all(&self.pool)
        .await?;
        Ok(claimed.into_iter().map(|(id,)| RequestId(id)).collect())
    }

    async fn expire_due_requests(&self, now: Timestamp, limit: u32) -> Result<Vec<RequestId>> {
        let claimed: Vec<(i64,)> = sqlx::query_as(
            "UPDATE requests SET status = 'expired', updated_at = $1 WHERE id IN ( \
                 SELECT id FROM requests WHERE status = 'pending' AND expires_at <= $1 \
                 ORDER BY expires_at, id LIMIT $2) \
             AND status = 'pending' RETURNING id",
        )
        .bind(seconds(now))
        .bind(batch(limit))
        .fetch_all(&self.pool)
        .await?;
        Ok(claimed.into_iter().map(|(id,)| RequestId(id)).collect())
    }
}
