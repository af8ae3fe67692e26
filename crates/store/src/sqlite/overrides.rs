//! [`OverrideStore`] on SQLite: table `host_overrides` (migration 0003).
//!
//! Dates are stored as `YYYY-MM-DD` text, which compares as the dates do, so range conditions are plain
//! string comparisons on the `(host_id, to_date, from_date)` index.

use async_trait::async_trait;
use coffeechat_domain::{AccountId, DateOverride};
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::SqliteConnection;

use super::{SqliteStore, corrupt, host_ids_json, seconds, write_error};
use crate::rows::overrides::OverrideRow;
use crate::{AddedOverride, OverrideId, OverrideRecord, OverrideStore, Result};

/// The start of every statement reading overrides; a macro so that `concat!` builds `&'static str` statements.
macro_rules! override_select {
    () => {
        "SELECT id, host_id, from_date, to_date, windows, created_at FROM host_overrides"
    };
}

fn date_text(date: Date) -> String {
    date.strftime("%Y-%m-%d").to_string()
}

/// The host's earliest override sharing a date with `from..=to`, on the given connection.
async fn first_overlapping(
    conn: &mut SqliteConnection,
    host: AccountId,
    from: Date,
    to: Date,
) -> Result<Option<OverrideRecord>> {
    sqlx::query_as::<_, OverrideRow>(concat!(
        override_select!(),
        " WHERE host_id = $1 AND to_date >= $2 AND from_date <= $3 ORDER BY from_date, id LIMIT 1"
    ))
    .bind(host.0)
    .bind(date_text(from))
    .bind(date_text(to))
    .fetch_optional(conn)
    .await?
    .map(OverrideRow::into_record)
    .transpose()
}

#[async_trait]
impl OverrideStore for SqliteStore {
    async fn overrides(&self, host: AccountId) -> Result<Vec<OverrideRecord>> {
        sqlx::query_as::<_, OverrideRow>(concat!(override_select!(), " WHERE host_id = $1 ORDER BY from_date, id"))
            .bind(host.0)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(OverrideRow::into_record)
            .collect()
    }

    async fn overrides_between(&self, host: AccountId, from: Date, to: Date) -> Result<Vec<DateOverride>> {
        sqlx::query_as::<_, OverrideRow>(concat!(
            override_select!(),
            " WHERE host_id = $1 AND to_date >= $2 AND from_date <= $3 ORDER BY from_date, id"
        ))
        .bind(host.0)
        .bind(date_text(from))
        .bind(date_text(to))
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(OverrideRow::into_override)
        .collect()
    }

    async fn overrides_for_hosts(
        &self,
        hosts: &[AccountId],
        from: Date,
        to: Date,
    ) -> Result<Vec<(AccountId, DateOverride)>> {
        let Some(ids) = host_ids_json(hosts) else {
            return Ok(Vec::new());
        };
        sqlx::query_as::<_, OverrideRow>(concat!(
            override_select!(),
            " WHERE host_id IN (SELECT value FROM json_each($1)) AND to_date >= $2 AND from_date <= $3 \
             ORDER BY host_id, from_date, id"
        ))
        .bind(ids)
        .bind(date_text(from))
        .bind(date_text(to))
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|row| {
            let host = AccountId(row.host_id);
            Ok((host, row.into_override()?))
        })
        .collect()
    }

    async fn add_override(
        &self,
        host: AccountId,
        date_override: &DateOverride,
        at: Timestamp,
    ) -> Result<AddedOverride> {
        let windows =
            serde_json::to_string(&date_override.windows).map_err(|error| corrupt("host_overrides.windows", error))?;
        // The check and the insert share the write lock, so two overlapping overrides sent at once cannot
        // both pass the check.
        self.write_transaction(async |conn| {
            if let Some(other) = first_overlapping(conn, host, date_override.from, date_override.to).await? {
                return Ok(AddedOverride::Overlaps(other));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO host_overrides (host_id, from_date, to_date, windows, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(host.0)
            .bind(date_text(date_override.from))
            .bind(date_text(date_override.to))
            .bind(&windows)
            .bind(seconds(at))
            .fetch_one(&mut *conn)
            .await
            .map_err(write_error)?;
            Ok(AddedOverride::Added(OverrideRecord {
                id: OverrideId(id),
                host_id: host,
                date_override: date_override.clone(),
                created_at: at,
            }))
        })
        .await
    }

    async fn delete_override(&self, host: AccountId, id: OverrideId) -> Result<bool> {
        let deleted = sqlx::query("DELETE FROM host_overrides WHERE id = $1 AND host_id = $2")
            .bind(id.0)
            .bind(host.0)
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(deleted > 0)
    }
}
