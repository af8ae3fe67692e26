//! The embedded SQLite implementation of [`Store`](crate::Store).

/// SQLite store (being written).
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: sqlx::SqlitePool,
}
