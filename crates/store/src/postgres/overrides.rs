//! [`OverrideStore`] on PostgreSQL: table `host_overrides` (migration 0002).
//!
//! Dates are DATE columns; "overrides touching a date range" is a `daterange` overlap, the expression of the
//! exclusion constraint `host_overrides_no_shared_dates`, so its GiST index answers every lookup.

use async_trait::async_trait;
use coffeechat_domain::{AccountId, DateOverride};
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::PgConnection;
use sqlx::types::Json;

use super::{PostgresStore, ids, instant, lock_host};
use crate::rows::overrides::OverrideRow;
use crate::rows::write_error;
use crate::{AddedOverride, OverrideId, OverrideRecord, OverrideStore, Result, StoreError};

/// The start of every statement reading overrides; a macro so that `concat!` builds `&'static str` statements.
macro_rules! override_select {
    () => {
        "SELECT id, host_id, from_date, to_date, windows, created_at FROM host_overrides"
    };
}

fn day(date: Date) -> jiff_sqlx::Date {
    jiff_sqlx::Date::from(date)
}

/// The host's earliest override sharing a date with `from..=to`, on the given connection.
async fn first_overlapping(
    conn: &mut PgConnection,
    host: AccountId,
    from: Date,
    to: Date,
) -> Result<Option<OverrideRecord>> {
    sqlx::query_as::<_, OverrideRow>(concat!(
        override_select!(),
        " WHERE host_id = $1 AND daterange(from_date, to_date, '[]') && daterange($2, $3, '[]') \
         ORDER BY from_date, id LIMIT 1"
    ))
    .bind(host.0)
    .bind(day(from))
    .bind(day(to))
    .fetch_optional(conn)
    .await?
    .map(OverrideRow::into_record)
    .transpose()
}

#[async_trait]
impl OverrideStore for PostgresStore {
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
            " WHERE host_id = $1 AND daterange(from_date, to_date, '[]') && daterange($2, $3, '[]') \
             ORDER BY from_date, id"
        ))
        .bind(host.0)
        .bind(day(from))
        .bind(day(to))
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
        if hosts.is_empty() {
            return Ok(Vec::new());
        }
        sqlx::query_as::<_, OverrideRow>(concat!(
            override_select!(),
            " WHERE host_id = ANY($1) AND daterange(from_date, to_date, '[]') && daterange($2, $3, '[]') \
             ORDER BY host_id, from_date, id"
        ))
        .bind(ids(hosts))
        .bind(day(from))
        .bind(day(to))
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
        self.transaction(async |conn| {
            // With the host's row locked, two overlapping overrides sent at once are checked one after the
            // other, and the second is answered with the first instead of a constraint violation.
            if !lock_host(conn, host.0).await? {
                return Err(StoreError::NotFound);
            }
            if let Some(other) = first_overlapping(conn, host, date_override.from, date_override.to).await? {
                return Ok(AddedOverride::Overlaps(other));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO host_overrides (host_id, from_date, to_date, windows, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(host.0)
            .bind(day(date_override.from))
            .bind(day(date_override.to))
            .bind(Json(&date_override.windows))
            .bind(instant(at))
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
