//! [`HoldStore`] on SQLite: pending requests read straight from `requests`, through the partial index
//! `requests_pending_by_host` (migration 0003).

use async_trait::async_trait;
use coffeechat_domain::{AccountId, RequestId};
use jiff::Timestamp;
use sqlx::FromRow;

use super::{SqliteStore, json_list, length, seconds, timestamp};
use crate::{HoldStore, PendingHold, Result};

#[derive(Debug, FromRow)]
struct HoldRow {
    id: i64,
    host_id: i64,
    created_at: i64,
    length_minutes: i64,
    proposed_starts: String,
}

impl HoldRow {
    fn into_hold(self) -> Result<(AccountId, PendingHold)> {
        let mut proposed_starts = json_list::<i64>("requests.proposed_starts", &self.proposed_starts)?
            .into_iter()
            .map(|start| timestamp("requests.proposed_starts", start))
            .collect::<Result<Vec<_>>>()?;
        proposed_starts.sort_unstable();
        Ok((
            AccountId(self.host_id),
            PendingHold {
                request_id: RequestId(self.id),
                created_at: timestamp("requests.created_at", self.created_at)?,
                length: length(self.length_minutes)?,
                proposed_starts,
            },
        ))
    }
}

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
        if hosts.is_empty() {
            return Ok(Vec::new());
        }
        let ids = serde_json::Value::from(hosts.iter().map(|host| host.0).collect::<Vec<_>>()).to_string();
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
