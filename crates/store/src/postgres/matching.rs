//! [`MatchingStore`] on PostgreSQL (migration 0007).

use async_trait::async_trait;
use coffeechat_domain::{AccountId, HostBackground, SeekerProfile};
use jiff::Timestamp;
use sqlx::types::Json;

use super::{LISTED_HOSTS_BY_ID, PostgresStore, ids, instant};
use crate::rows::HostRow;
use crate::rows::matching::{BackgroundRow, PairRow, SeekerProfileRow, join_backgrounds, seeker_profile_columns};
use crate::rows::write_error;
use crate::{MatchingHost, MatchingStore, PairFact, Result, StoreError};

#[async_trait]
impl MatchingStore for PostgresStore {
    async fn seeker_profile(&self, seeker: AccountId) -> Result<Option<SeekerProfile>> {
        Ok(self.seeker_profiles(&[seeker]).await?.into_iter().next().map(|(_, profile)| profile))
    }

    async fn seeker_profiles(&self, seekers: &[AccountId]) -> Result<Vec<(AccountId, SeekerProfile)>> {
        if seekers.is_empty() {
            return Ok(Vec::new());
        }
        sqlx::query_as::<_, SeekerProfileRow>(concat!(
            "SELECT ",
            seeker_profile_columns!(),
            " FROM seeker_profiles WHERE account_id = ANY($1) ORDER BY account_id"
        ))
        .bind(ids(seekers))
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(SeekerProfileRow::into_profile)
        .collect()
    }

    async fn put_seeker_profile(&self, seeker: AccountId, profile: &SeekerProfile, at: Timestamp) -> Result<()> {
        sqlx::query(
            "INSERT INTO seeker_profiles (account_id, target_roles, target_industries, role, previous_roles, \
             employer, skills, languages, region, remote_ok, learn_topics, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (account_id) DO UPDATE SET target_roles = excluded.target_roles, \
             target_industries = excluded.target_industries, role = excluded.role, \
             previous_roles = excluded.previous_roles, employer = excluded.employer, skills = excluded.skills, \
             languages = excluded.languages, region = excluded.region, remote_ok = excluded.remote_ok, \
             learn_topics = excluded.learn_topics, updated_at = excluded.updated_at",
        )
        .bind(seeker.0)
        .bind(Json(&profile.target_roles))
        .bind(Json(&profile.target_industries))
        .bind(&profile.current_role)
        .bind(Json(&profile.previous_roles))
        .bind(&profile.current_employer)
        .bind(Json(&profile.skills))
        .bind(Json(&profile.languages))
        .bind(&profile.region)
        .bind(profile.remote_ok)
        .bind(Json(&profile.learn_topics))
        .bind(instant(at))
        .execute(&self.pool)
        .await
        .map_err(write_error)?;
        Ok(())
    }

    async fn host_background(&self, host: AccountId) -> Result<Option<HostBackground>> {
        sqlx::query_as::<_, BackgroundRow>(
            "SELECT account_id, previous_roles, languages, region, seniority FROM host_profiles WHERE account_id = $1",
        )
        .bind(host.0)
        .fetch_optional(&self.pool)
        .await?
        .map(|row| row.into_background().map(|(_, background)| background))
        .transpose()
    }

    async fn put_host_background(&self, host: AccountId, background: &HostBackground) -> Result<()> {
        // The search document is a generated column: the update rewrites it in the same statement.
        let done = sqlx::query(
            "UPDATE host_profiles SET previous_roles = $2, languages = $3, region = $4, seniority = $5 \
             WHERE account_id = $1",
        )
        .bind(host.0)
        .bind(Json(&background.previous_roles))
        .bind(Json(&background.languages))
        .bind(&background.region)
        .bind(background.seniority.as_str())
        .execute(&self.pool)
        .await
        .map_err(write_error)?;
        if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    async fn matching_hosts(&self, only: Option<&[AccountId]>) -> Result<Vec<MatchingHost>> {
        let only = only.map(ids);
        // One snapshot for both reads, so hosts and backgrounds agree.
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await?;
        let hosts = sqlx::query_as::<_, HostRow>(LISTED_HOSTS_BY_ID).bind(&only).fetch_all(&mut *tx).await?;
        let backgrounds = sqlx::query_as::<_, BackgroundRow>(
            "SELECT account_id, previous_roles, languages, region, seniority FROM host_profiles \
             WHERE $1::bigint[] IS NULL OR account_id = ANY($1)",
        )
        .bind(&only)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        join_backgrounds(hosts, backgrounds)
    }

    async fn met_pairs(&self, seekers: &[AccountId], before: Timestamp) -> Result<Vec<PairFact>> {
        pairs(
            self,
            "SELECT seeker_id, host_id, max(start_at) AS at FROM interviews \
             WHERE seeker_id = ANY($1) AND status = 'scheduled' AND start_at < $2 \
             GROUP BY seeker_id, host_id ORDER BY seeker_id, host_id",
            seekers,
            Some(before),
        )
        .await
    }

    async fn declined_pairs(&self, seekers: &[AccountId]) -> Result<Vec<PairFact>> {
        pairs(
            self,
            "SELECT seeker_id, host_id, max(updated_at) AS at FROM requests \
             WHERE seeker_id = ANY($1) AND status = 'declined' \
             GROUP BY seeker_id, host_id ORDER BY seeker_id, host_id",
            seekers,
            None,
        )
        .await
    }

    async fn open_pairs(&self, seekers: &[AccountId], now: Timestamp) -> Result<Vec<PairFact>> {
        pairs(
            self,
            "SELECT r.seeker_id, r.host_id, max(r.created_at) AS at FROM requests r \
             LEFT JOIN interviews i ON i.request_id = r.id \
             WHERE r.seeker_id = ANY($1) AND (r.status = 'pending' OR (i.status = 'scheduled' AND i.start_at >= $2)) \
             GROUP BY r.seeker_id, r.host_id ORDER BY r.seeker_id, r.host_id",
            seekers,
            Some(now),
        )
        .await
    }
}

async fn pairs(
    store: &PostgresStore,
    sql: &'static str,
    seekers: &[AccountId],
    at: Option<Timestamp>,
) -> Result<Vec<PairFact>> {
    if seekers.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = sqlx::query_as::<_, PairRow>(sql).bind(ids(seekers));
    if let Some(at) = at {
        query = query.bind(instant(at));
    }
    query.fetch_all(&store.pool).await?.into_iter().map(PairRow::into_fact).collect()
}
