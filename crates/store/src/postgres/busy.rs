//! [`BusyCalendarStore`] on PostgreSQL: tables `busy_calendars` and `busy_blocks` (migration 0003).
//!
//! A successful import replaces a calendar's blocks with one `DELETE` and one `INSERT … SELECT` over two
//! arrays (starts and ends), inside the transaction that records the attempt: readers see the old blocks or
//! the new ones, never a mix. Workers on any number of instances claim due calendars with
//! `FOR UPDATE SKIP LOCKED`, so each due calendar goes to exactly one of them.

use async_trait::async_trait;
use coffeechat_domain::AccountId;
use jiff::Timestamp;
use sqlx::PgConnection;

use super::{PostgresStore, ids, instant};
use crate::rows::busy::{BlockRow, CalendarRow};
use crate::rows::write_error;
use crate::{
    BusyBlock, BusyCalendarId, BusyCalendarRecord, BusyCalendarSource, BusyCalendarStore, ImportAttempt, ImportOutcome,
    NewBusyCalendar, Result, StoreError,
};

/// The start of every statement reading calendars; a macro so that `concat!` builds `&'static str` statements.
macro_rules! calendar_select {
    () => {
        "SELECT c.id, c.host_id, c.kind, c.name, c.url, c.etag, c.last_modified, c.last_fetched_at, \
         c.last_status, c.last_error, c.consecutive_failures, c.next_fetch_at, c.created_at, \
         (SELECT count(*) FROM busy_blocks b WHERE b.calendar_id = c.id) AS blocks \
         FROM busy_calendars c"
    };
}

async fn fetch_calendar(conn: &mut PgConnection, id: i64) -> Result<Option<BusyCalendarRecord>> {
    sqlx::query_as::<_, CalendarRow>(concat!(calendar_select!(), " WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(CalendarRow::into_record)
        .transpose()
}

#[async_trait]
impl BusyCalendarStore for PostgresStore {
    async fn add_busy_calendar(&self, calendar: NewBusyCalendar) -> Result<BusyCalendarRecord> {
        let (kind, url, text) = match &calendar.source {
            BusyCalendarSource::Upload { text } => ("upload", None, Some(text.as_str())),
            BusyCalendarSource::Feed { url } => ("feed", Some(url.as_str()), None),
        };
        self.transaction(async |conn| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO busy_calendars (host_id, kind, name, url, source, next_fetch_at, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(calendar.host_id.0)
            .bind(kind)
            .bind(&calendar.name)
            .bind(url)
            .bind(text)
            .bind(instant(calendar.next_fetch_at))
            .bind(instant(calendar.created_at))
            .fetch_one(&mut *conn)
            .await
            .map_err(write_error)?;
            fetch_calendar(conn, id).await?.ok_or(StoreError::NotFound)
        })
        .await
    }

    async fn busy_calendars(&self, host: AccountId) -> Result<Vec<BusyCalendarRecord>> {
        sqlx::query_as::<_, CalendarRow>(concat!(calendar_select!(), " WHERE c.host_id = $1 ORDER BY c.id"))
            .bind(host.0)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(CalendarRow::into_record)
            .collect()
    }

    async fn busy_calendar(&self, id: BusyCalendarId) -> Result<Option<BusyCalendarRecord>> {
        let mut conn = self.pool.acquire().await?;
        fetch_calendar(&mut conn, id.0).await
    }

    async fn busy_calendar_text(&self, id: BusyCalendarId) -> Result<Option<String>> {
        Ok(sqlx::query_scalar::<_, Option<String>>("SELECT source FROM busy_calendars WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .flatten())
    }

    async fn delete_busy_calendar(&self, host: AccountId, id: BusyCalendarId) -> Result<bool> {
        // The blocks go with it (ON DELETE CASCADE), in the same statement.
        let deleted = sqlx::query("DELETE FROM busy_calendars WHERE id = $1 AND host_id = $2")
            .bind(id.0)
            .bind(host.0)
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(deleted > 0)
    }

    async fn record_busy_import(&self, id: BusyCalendarId, attempt: ImportAttempt) -> Result<BusyCalendarRecord> {
        let at = instant(attempt.at);
        let next = instant(attempt.next_fetch_at);
        self.transaction(async |conn| {
            let updated = match &attempt.outcome {
                ImportOutcome::Imported { blocks, etag, last_modified } => {
                    let updated = sqlx::query(
                        "UPDATE busy_calendars SET last_fetched_at = $2, last_status = 'ok', last_error = NULL, \
                         consecutive_failures = 0, next_fetch_at = $3, etag = $4, last_modified = $5 WHERE id = $1",
                    )
                    .bind(id.0)
                    .bind(at)
                    .bind(next)
                    .bind(etag.as_deref())
                    .bind(last_modified.as_deref())
                    .execute(&mut *conn)
                    .await?
                    .rows_affected();
                    if updated > 0 {
                        sqlx::query("DELETE FROM busy_blocks WHERE calendar_id = $1")
                            .bind(id.0)
                            .execute(&mut *conn)
                            .await?;
                        let starts: Vec<_> = blocks.iter().map(|block| instant(block.start)).collect();
                        let ends: Vec<_> = blocks.iter().map(|block| instant(block.end)).collect();
                        sqlx::query(
                            "INSERT INTO busy_blocks (calendar_id, host_id, start_at, end_at) \
                             SELECT c.id, c.host_id, b.start_at, b.end_at \
                             FROM busy_calendars c, unnest($2::timestamptz[], $3::timestamptz[]) AS b (start_at, end_at) \
                             WHERE c.id = $1",
                        )
                        .bind(id.0)
                        .bind(starts)
                        .bind(ends)
                        .execute(&mut *conn)
                        .await
                        .map_err(write_error)?;
                    }
                    updated
                }
                ImportOutcome::NotModified => sqlx::query(
                    "UPDATE busy_calendars SET last_fetched_at = $2, last_status = 'ok', last_error = NULL, \
                     consecutive_failures = 0, next_fetch_at = $3 WHERE id = $1",
                )
                .bind(id.0)
                .bind(at)
                .bind(next)
                .execute(&mut *conn)
                .await?
                .rows_affected(),
                ImportOutcome::Failed { error } => sqlx::query(
                    "UPDATE busy_calendars SET last_fetched_at = $2, last_status = 'error', last_error = $4, \
                     consecutive_failures = consecutive_failures + 1, next_fetch_at = $3 WHERE id = $1",
                )
                .bind(id.0)
                .bind(at)
                .bind(next)
                .bind(error)
                .execute(&mut *conn)
                .await?
                .rows_affected(),
            };
            if updated == 0 {
                return Err(StoreError::NotFound);
            }
            fetch_calendar(conn, id.0).await?.ok_or(StoreError::NotFound)
        })
        .await
    }

    async fn claim_due_busy_calendars(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<BusyCalendarRecord>> {
        self.transaction(async |conn| {
            // SKIP LOCKED: a calendar another worker is claiming right now is left to it, and this worker takes
            // the next due ones instead of waiting. `= ANY(ARRAY(…))` runs the locking select exactly once.
            let claimed: Vec<i64> = sqlx::query_scalar(
                "UPDATE busy_calendars SET next_fetch_at = $2 WHERE id = ANY(ARRAY( \
                     SELECT id FROM busy_calendars WHERE next_fetch_at <= $1 ORDER BY next_fetch_at, id LIMIT $3 \
                     FOR UPDATE SKIP LOCKED)) \
                 RETURNING id",
            )
            .bind(instant(now))
            .bind(instant(lease_until))
            .bind(i64::from(limit))
            .fetch_all(&mut *conn)
            .await?;
            sqlx::query_as::<_, CalendarRow>(concat!(calendar_select!(), " WHERE c.id = ANY($1) ORDER BY c.id"))
                .bind(claimed)
                .fetch_all(&mut *conn)
                .await?
                .into_iter()
                .map(CalendarRow::into_record)
                .collect()
        })
        .await
    }

    async fn busy_blocks(&self, host: AccountId, from: Timestamp, to: Timestamp) -> Result<Vec<BusyBlock>> {
        sqlx::query_as::<_, BlockRow>(
            "SELECT host_id, start_at, end_at FROM busy_blocks \
             WHERE host_id = $1 AND start_at < $3 AND end_at > $2 ORDER BY start_at, end_at",
        )
        .bind(host.0)
        .bind(instant(from))
        .bind(instant(to))
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|row| row.into_block().map(|(_, block)| block))
        .collect()
    }

    async fn busy_blocks_for_hosts(
        &self,
        hosts: &[AccountId],
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(AccountId, BusyBlock)>> {
        if hosts.is_empty() {
            return Ok(Vec::new());
        }
        sqlx::query_as::<_, BlockRow>(
            "SELECT host_id, start_at, end_at FROM busy_blocks \
             WHERE host_id = ANY($1) AND start_at < $3 AND end_at > $2 ORDER BY host_id, start_at, end_at",
        )
        .bind(ids(hosts))
        .bind(instant(from))
        .bind(instant(to))
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(BlockRow::into_block)
        .collect()
    }
}
