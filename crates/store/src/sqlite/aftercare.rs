//! [`AftercareStore`] on SQLite (migration 0007).

use async_trait::async_trait;
use coffeechat_domain::{AccountId, InterviewId};
use jiff::Timestamp;

use super::{SqliteStore, seconds, write_error};
use crate::rows::Seconds;
use crate::rows::aftercare::{AftercareRow, TalentRow, aftercare_columns, count, interview_ids, talent_columns};
use crate::{Absentee, AftercareRecord, AftercareStore, Conflict, Debrief, Result, StoreError, TalentPoolEntry};

/// A conditional upsert that changed nothing means the fact was already recorded.
fn once(rows_affected: u64) -> Result<()> {
    if rows_affected == 0 { Err(StoreError::Conflict(Conflict::StateChanged)) } else { Ok(()) }
}

#[async_trait]
impl AftercareStore for SqliteStore {
    async fn aftercare(&self, interview: InterviewId) -> Result<AftercareRecord> {
        let row = sqlx::query_as::<_, AftercareRow>(concat!(
            "SELECT ",
            aftercare_columns!(),
            " FROM interview_aftercare WHERE interview_id = $1"
        ))
        .bind(interview.0)
        .fetch_optional(&self.pool)
        .await?;
        row.map_or_else(|| Ok(AftercareRecord::empty(interview)), AftercareRow::into_record)
    }

    async fn aftercare_of(&self, interviews: &[InterviewId]) -> Result<Vec<AftercareRecord>> {
        if interviews.is_empty() {
            return Ok(Vec::new());
        }
        let ids = serde_json::Value::from(interview_ids(interviews)).to_string();
        sqlx::query_as::<_, AftercareRow>(concat!(
            "SELECT ",
            aftercare_columns!(),
            " FROM interview_aftercare WHERE interview_id IN (SELECT value FROM json_each($1)) ORDER BY interview_id"
        ))
        .bind(ids)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(AftercareRow::into_record)
        .collect()
    }

    async fn record_thanks(&self, interview: InterviewId, message: &str, at: Timestamp) -> Result<()> {
        let done = sqlx::query(
            "INSERT INTO interview_aftercare (interview_id, thanks_message, thanks_sent_at) VALUES ($1, $2, $3) \
             ON CONFLICT (interview_id) DO UPDATE SET thanks_message = excluded.thanks_message, \
             thanks_sent_at = excluded.thanks_sent_at WHERE interview_aftercare.thanks_sent_at IS NULL",
        )
        .bind(interview.0)
        .bind(message)
        .bind(seconds(at))
        .execute(&self.pool)
        .await
        .map_err(write_error)?;
        once(done.rows_affected())
    }

    async fn mark_thanks_reminded(&self, interview: InterviewId, at: Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO interview_aftercare (interview_id, thanks_reminded_at) VALUES ($1, $2) \
             ON CONFLICT (interview_id) DO UPDATE SET thanks_reminded_at = excluded.thanks_reminded_at \
             WHERE interview_aftercare.thanks_reminded_at IS NULL",
        )
        .bind(interview.0)
        .bind(seconds(at))
        .execute(&self.pool)
        .await
        .map_err(write_error)?;
        Ok(done.rows_affected() > 0)
    }

    async fn thanks_reminders_due(&self, from: Timestamp, to: Timestamp) -> Result<Vec<InterviewId>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT i.id FROM interviews i LEFT JOIN interview_aftercare a ON a.interview_id = i.id \
             WHERE i.status = 'scheduled' AND i.end_at >= $1 AND i.end_at < $2 \
             AND a.thanks_sent_at IS NULL AND a.thanks_reminded_at IS NULL AND a.no_show_of IS NULL \
             ORDER BY i.end_at, i.id",
        )
        .bind(seconds(from))
        .bind(seconds(to))
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().map(InterviewId).collect())
    }

    async fn record_no_show(
        &self,
        interview: InterviewId,
        absent: Absentee,
        by: AccountId,
        at: Timestamp,
    ) -> Result<()> {
        let done = sqlx::query(
            "INSERT INTO interview_aftercare (interview_id, no_show_of, no_show_reported_by, no_show_reported_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (interview_id) DO UPDATE SET no_show_of = excluded.no_show_of, \
             no_show_reported_by = excluded.no_show_reported_by, no_show_reported_at = excluded.no_show_reported_at \
             WHERE interview_aftercare.no_show_of IS NULL",
        )
        .bind(interview.0)
        .bind(absent.as_str())
        .bind(by.0)
        .bind(seconds(at))
        .execute(&self.pool)
        .await
        .map_err(write_error)?;
        once(done.rows_affected())
    }

    async fn save_debrief(&self, interview: InterviewId, debrief: &Debrief, at: Timestamp) -> Result<AftercareRecord> {
        sqlx::query_as::<_, AftercareRow>(concat!(
            "INSERT INTO interview_aftercare (interview_id, prepared, used_time_well, meet_again, refer_to, \
             keep_in_mind, debriefed_at, debrief_updated_at, consent_asked_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, CASE WHEN $6 THEN $7 END) \
             ON CONFLICT (interview_id) DO UPDATE SET prepared = excluded.prepared, \
             used_time_well = excluded.used_time_well, meet_again = excluded.meet_again, \
             refer_to = excluded.refer_to, keep_in_mind = excluded.keep_in_mind, \
             debriefed_at = coalesce(interview_aftercare.debriefed_at, excluded.debriefed_at), \
             debrief_updated_at = excluded.debrief_updated_at, \
             consent_asked_at = coalesce(interview_aftercare.consent_asked_at, excluded.consent_asked_at) \
             RETURNING ",
            aftercare_columns!()
        ))
        .bind(interview.0)
        .bind(debrief.prepared)
        .bind(debrief.used_time_well)
        .bind(debrief.meet_again)
        .bind(debrief.refer_to.as_deref())
        .bind(debrief.keep_in_mind)
        .bind(seconds(at))
        .fetch_one(&self.pool)
        .await
        .map_err(write_error)?
        .into_record()
    }

    async fn set_talent_consent(&self, interview: InterviewId, given: bool, at: Timestamp) -> Result<()> {
        let done = sqlx::query(
            "UPDATE interview_aftercare SET consent = $2, consent_answered_at = $3 \
             WHERE interview_id = $1 AND consent_asked_at IS NOT NULL",
        )
        .bind(interview.0)
        .bind(given)
        .bind(seconds(at))
        .execute(&self.pool)
        .await?;
        once(done.rows_affected())
    }

    async fn record_follow_up_invite(&self, interview: InterviewId, at: Timestamp) -> Result<()> {
        let done = sqlx::query(
            "INSERT INTO interview_aftercare (interview_id, follow_up_invited_at) VALUES ($1, $2) \
             ON CONFLICT (interview_id) DO UPDATE SET follow_up_invited_at = excluded.follow_up_invited_at \
             WHERE interview_aftercare.follow_up_invited_at IS NULL",
        )
        .bind(interview.0)
        .bind(seconds(at))
        .execute(&self.pool)
        .await
        .map_err(write_error)?;
        once(done.rows_affected())
    }

    async fn talent_pool(&self, host: AccountId) -> Result<Vec<TalentPoolEntry>> {
        let rows = sqlx::query_as::<_, TalentRow>(concat!(
            "SELECT ",
            aftercare_columns!(),
            ", ",
            talent_columns!(),
            " FROM interview_aftercare a JOIN interviews i ON i.id = a.interview_id \
             JOIN accounts s ON s.id = i.seeker_id \
             WHERE i.host_id = $1 AND a.keep_in_mind = 1 AND a.consent = 1 ORDER BY i.start_at DESC, i.id DESC"
        ))
        .bind(host.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(TalentRow::into_entry).collect::<Result<Vec<_>>>()?.into_iter().flatten().collect())
    }

    async fn no_shows_of_seeker(&self, seeker: AccountId) -> Result<u32> {
        let no_shows: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM interview_aftercare a JOIN interviews i ON i.id = a.interview_id \
             WHERE i.seeker_id = $1 AND a.no_show_of = 'seeker'",
        )
        .bind(seeker.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(count(no_shows))
    }

    async fn follow_up_invited_at(&self, seeker: AccountId, host: AccountId) -> Result<Option<Timestamp>> {
        let last: Option<Seconds> = sqlx::query_scalar(
            "SELECT max(a.follow_up_invited_at) FROM interview_aftercare a JOIN interviews i ON i.id = a.interview_id \
             WHERE i.seeker_id = $1 AND i.host_id = $2",
        )
        .bind(seeker.0)
        .bind(host.0)
        .fetch_one(&self.pool)
        .await?;
        last.map(|at| at.timestamp("interview_aftercare.follow_up_invited_at")).transpose()
    }
}
