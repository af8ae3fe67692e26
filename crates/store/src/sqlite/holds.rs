//! [`HoldStore`] on SQLite: pending requests read straight from `requests`, through the partial index
//! `requests_pending_by_host` (migration 0003).

use async_trait::async_trait;
use coffeechat_domain::AccountId;
use jiff::Timestamp;

use super::{SqliteStore, host_ids_json, seconds};
use crate::rows::holds::HoldRow;
use crate::{HoldStore, PendingHold, Result};

/// Pending requests of the hosts `$1` (a JSON array of ids) with a proposed slot overlapping `[$2, $3)`.
const PENDING_HOLDS: &str = "SELECT r.id, r.host_id, r.created_at, r.length_minutes, r.proposed_starts \
     FROM requests r WHERE r.host_id IN (SELECT value FROM json_each($1)) AND r.status = 'pending' \
     AND EXISTS (SELECT 1 FROM json_each(r.proposed_starts) p \
                 WHERE p.value < $3 AND p.value + r.length_minutes * 60 > $2) \
     ORDER BY r.host_id, r.created_at, r.id";

impl SqliteStore {
    async fn pending_holds_of(
        &self,
        hosts: &[AccountId],
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(AccountId, PendingHold)>> {
        let Some(ids) = host_ids_json(hosts) else {
            return Ok(Vec::new());
        };
        sqlx::query_as::<_, HoldRow>(PENDING_HOLDS)
            .bind(ids)
            .bind(seconds(from))
            .bind(seconds(to))
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(HoldRow::into_hold)
            .collect()
    }
}

#[async_trait]
impl HoldStore for SqliteStore {
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
