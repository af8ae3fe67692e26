//! [`HoldStore`] on PostgreSQL: pending requests read straight from `requests`, through the partial index
//! `requests_pending_by_host`.

use async_trait::async_trait;
use coffeechat_domain::AccountId;
use jiff::Timestamp;

use super::{PostgresStore, ids, instant};
use crate::rows::holds::HoldRow;
use crate::{HoldStore, PendingHold, Result};

/// Pending requests of the hosts `$1` with a proposed slot overlapping `[$2, $3)`.
const PENDING_HOLDS: &str = "SELECT r.id, r.host_id, r.created_at, r.length_minutes, r.proposed_starts \
     FROM requests r WHERE r.host_id = ANY($1) AND r.status = 'pending' \
     AND EXISTS (SELECT 1 FROM unnest(r.proposed_starts) AS start \
                 WHERE start < $3 AND start + make_interval(mins => r.length_minutes) > $2) \
     ORDER BY r.host_id, r.created_at, r.id";

impl PostgresStore {
    async fn pending_holds_of(
        &self,
        hosts: &[AccountId],
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(AccountId, PendingHold)>> {
        if hosts.is_empty() {
            return Ok(Vec::new());
        }
        sqlx::query_as::<_, HoldRow>(PENDING_HOLDS)
            .bind(ids(hosts))
            .bind(instant(from))
            .bind(instant(to))
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(HoldRow::into_hold)
            .collect()
    }
}

#[async_trait]
impl HoldStore for PostgresStore {
    async fn pending_holds(&self, host: AccountId, from: Timestamp, to: Timestamp) -> Result<Vec<PendingHold>> {
        Ok(self.pending_holds_of(&[host], from, to).await?.into_iter().map(|(_, hold)| hold).collect())
    }

    async fn pending_holds_for_hosts(
        &self,
        hosts: &[AccountId],
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(AccountId, PendingHold)>> {
        self.pending_holds_of(hosts, from, to).await
    }
}
