//! [`OpsStore`] on PostgreSQL: the migrations sqlx recorded in `_sqlx_migrations`, and the pool's counters.

use async_trait::async_trait;

use super::{MIGRATOR, PostgresStore};
use crate::{MigrationStatus, OpsStore, PoolStats, Result};

#[async_trait]
impl OpsStore for PostgresStore {
    async fn migration_status(&self) -> Result<MigrationStatus> {
        // Read-only on purpose: a readiness probe must not create sqlx's table in a database never migrated.
        let recorded: bool = sqlx::query_scalar(
            // `to_regclass` looks the table up on the search path, where sqlx created it, and is NULL when absent.
            "SELECT to_regclass('_sqlx_migrations') IS NOT NULL",
        )
        .fetch_one(&self.pool)
        .await?;
        let applied: Vec<i64> = if recorded {
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
                .fetch_all(&self.pool)
                .await?
        } else {
            Vec::new()
        };
        let known = MIGRATOR.iter().filter(|migration| !migration.migration_type.is_down_migration());
        Ok(MigrationStatus::compare(applied, known.map(|migration| migration.version).collect()))
    }

    fn pool_stats(&self) -> PoolStats {
        PoolStats {
            size: self.pool.size(),
            idle: u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX),
            max: self.pool.options().get_max_connections(),
        }
    }
}
