//! What operators and load balancers ask of the database: whether its schema is the one this binary was built
//! for ([`OpsStore::migration_status`], behind `/readyz` and the startup check) and how busy the connection
//! pool is ([`OpsStore::pool_stats`], for `/metrics`).

use std::fmt;

use crate::Result;

/// The database's migrations against the binary's. Versions are the migration files' numbers (`0009_…` → 9).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrationStatus {
    /// Applied successfully to the database, ascending.
    pub applied: Vec<i64>,
    /// Embedded in this binary, ascending.
    pub known: Vec<i64>,
    /// Known but not applied yet: `coffeechat migrate` (or starting `serve`) applies them.
    pub pending: Vec<i64>,
    /// Applied but unknown to this binary: a newer Coffeechat migrated the database, and this one must not
    /// touch it.
    pub newer: Vec<i64>,
}

impl MigrationStatus {
    /// Compares what the database has applied with what the binary knows.
    pub fn compare(mut applied: Vec<i64>, mut known: Vec<i64>) -> Self {
        applied.sort_unstable();
        applied.dedup();
        known.sort_unstable();
        known.dedup();
        let pending = known.iter().filter(|version| applied.binary_search(version).is_err()).copied().collect();
        let newer = applied.iter().filter(|version| known.binary_search(version).is_err()).copied().collect();
        Self { applied, known, pending, newer }
    }

    /// The schema is exactly the binary's: nothing pending, nothing newer.
    pub fn is_current(&self) -> bool {
        self.pending.is_empty() && self.newer.is_empty()
    }

    /// Fails when the database has migrations this binary does not know.
    ///
    /// # Errors
    /// [`NewerDatabase`] naming the database's newest migration and the binary's.
    pub fn refuse_newer(&self) -> std::result::Result<(), NewerDatabase> {
        match self.newer.last() {
            Some(&database) => Err(NewerDatabase { database, binary: self.known.last().copied().unwrap_or_default() }),
            None => Ok(()),
        }
    }
}

/// A database a newer Coffeechat has migrated: this binary would misread it, so it refuses to start on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "the database is at migration {database}, newer than this coffeechat (knows up to {binary}): upgrade coffeechat"
)]
pub struct NewerDatabase {
    /// The database's newest migration.
    pub database: i64,
    /// The newest migration this binary knows.
    pub binary: i64,
}

/// The connection pool at one instant.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolStats {
    /// Open connections, busy or idle.
    pub size: u32,
    /// Open connections waiting for work.
    pub idle: u32,
    /// The most connections the pool opens.
    pub max: u32,
}

impl fmt::Display for PoolStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} open ({} idle) of at most {}", self.size, self.idle, self.max)
    }
}

/// Questions about the database itself rather than the application's data.
#[async_trait::async_trait]
pub trait OpsStore: Send + Sync {
    /// The database's applied migrations against the binary's. A database never migrated has none applied.
    async fn migration_status(&self) -> Result<MigrationStatus>;

    /// The connection pool's size now; no database work.
    fn pool_stats(&self) -> PoolStats;
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    #[test]
    fn pending_and_newer_are_the_two_differences() {
        let status = MigrationStatus::compare(vec![3, 1, 2, 12], vec![1, 2, 3, 4, 5]);
        assert_eq!((status.pending, status.newer), (vec![4, 5], vec![12]));
        assert!(!MigrationStatus::compare(vec![1], vec![1, 2]).is_current());
        assert!(MigrationStatus::compare(vec![2, 1], vec![1, 2]).is_current());

        let newer = MigrationStatus::compare(vec![1, 12], vec![1, 9]).refuse_newer().unwrap_err();
        assert_eq!(
            newer.to_string(),
            "the database is at migration 12, newer than this coffeechat (knows up to 9): upgrade coffeechat"
        );
        assert_eq!(MigrationStatus::compare(vec![1], vec![1, 9]).refuse_newer(), Ok(()));
    }
}
