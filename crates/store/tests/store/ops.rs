//! What operators ask of the database: whether its migrations are the binary's (`/readyz`, the startup check),
//! how its pool is doing (`/metrics`), and a stopping worker giving back the outbox messages it holds.

use coffeechat_domain::Email;
use coffeechat_store::{NewOutboxMessage, OutboxStatus, Store};
use sqlx::{AssertSqlSafe, Connection};

use crate::support::{Backend, at, backends, minutes};

const NOW: &str = "2030-03-01T09:00:00Z";

const FUTURE_MIGRATION: &str = "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
     VALUES (9999, 'from a newer coffeechat', TRUE, $1, 0)";

/// Asserts the store is current, then records a migration this binary does not have (as a newer Coffeechat
/// would) with `record_future`, and asserts it is refused.
async fn current_then_refused(backend: &Backend, store: &dyn Store, record_future: impl AsyncFnOnce()) {
    let status = store.migration_status().await.unwrap();
    assert!(status.is_current(), "{backend}: {status:?}");
    assert!(!status.known.is_empty());
    assert_eq!(status.applied, status.known);
    assert_eq!(status.refuse_newer(), Ok(()));

    record_future().await;
    let status = store.migration_status().await.unwrap();
    assert_eq!(status.newer, [9999], "{backend}");
    assert!(!status.is_current());
    let refused = status.refuse_newer().unwrap_err();
    assert_eq!(refused.database, 9999);
    assert_eq!(Some(&refused.binary), status.known.last());
    assert!(refused.to_string().contains("newer than this coffeechat"), "{refused}");
}

#[tokio::test]
async fn a_migrated_database_is_current_and_a_newer_one_is_refused() {
    for backend in backends() {
        match &backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("ops.db");
                let store = coffeechat_store::open(path.to_str().unwrap()).await.unwrap();
                store.migrate().await.unwrap();
                current_then_refused(&backend, store.as_ref(), async || {
                    let mut conn =
                        sqlx::SqliteConnection::connect(&format!("sqlite:{}", path.display())).await.unwrap();
                    sqlx::query(AssertSqlSafe(FUTURE_MIGRATION)).bind(vec![0u8]).execute(&mut conn).await.unwrap();
                })
                .await;
            }
            Backend::Postgres { .. } => {
                let store = backend.fresh_store().await;
                let url = store.postgres_url().unwrap().to_owned();
                current_then_refused(&backend, &*store, async || {
                    let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
                    sqlx::query(AssertSqlSafe(FUTURE_MIGRATION)).bind(vec![0u8]).execute(&mut conn).await.unwrap();
                })
                .await;
            }
        }
    }
}

#[tokio::test]
async fn a_database_never_migrated_has_every_migration_pending() {
    let dir = tempfile::tempdir().unwrap();
    let store = coffeechat_store::open(dir.path().join("empty.db").to_str().unwrap()).await.unwrap();
    let status = store.migration_status().await.unwrap();
    assert!(status.applied.is_empty());
    assert_eq!(status.pending, status.known);
    store.migrate().await.unwrap();
    assert!(store.migration_status().await.unwrap().is_current());
}

#[tokio::test]
async fn pool_stats_count_open_connections() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        store.ping().await.unwrap();
        let stats = store.pool_stats();
        assert!(stats.max >= 1, "{backend}: {stats}");
        assert!(stats.size >= 1 && stats.size <= stats.max, "{backend}: {stats}");
        assert!(stats.idle <= stats.size, "{backend}: {stats}");
    }
}

fn message(to: &str) -> NewOutboxMessage {
    NewOutboxMessage {
        kind: "request_sent".into(),
        recipient_email: Email::parse(to).unwrap(),
        recipient_name: "Priya Raman".into(),
        subject: "A new request".into(),
        body_text: "Hello Priya".into(),
        body_html: None,
        calendar: None,
        dedupe_key: None,
        tokens: Vec::new(),
    }
}

#[tokio::test]
async fn a_stopping_worker_gives_back_only_its_own_claims_at_once() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let ids =
            store.enqueue_messages(vec![message("a@example.org"), message("b@example.org")], at(NOW)).await.unwrap();
        let lease = at(NOW) + minutes(10);
        let mine = store.claim_next_message_for("worker-a", at(NOW), lease).await.unwrap().unwrap();
        let theirs = store.claim_next_message_for("worker-b", at(NOW), lease).await.unwrap().unwrap();
        assert_eq!((mine.id, theirs.id), (ids[0], ids[1]));
        assert_eq!(mine.attempts, 1);

        let stopping = at(NOW) + minutes(1);
        assert_eq!(store.release_claims_of("worker-a", stopping).await.unwrap(), 1, "{backend}");
        let given_back = store.outbox_message(mine.id).await.unwrap().unwrap();
        assert_eq!(given_back.status, OutboxStatus::Queued);
        // Due at once, not when the lease would have run out, and the interrupted attempt is not counted.
        assert_eq!((given_back.next_attempt_at, given_back.attempts), (stopping, 0));
        assert_eq!(store.outbox_message(theirs.id).await.unwrap().unwrap().status, OutboxStatus::Sending);
        assert_eq!(store.release_claims_of("worker-a", stopping).await.unwrap(), 0, "nothing left to give back");

        // Another worker picks it up straight away.
        let again = store.claim_next_message_for("worker-c", stopping, lease).await.unwrap().unwrap();
        assert_eq!(again.id, mine.id);
        store.mark_message_sent(again.id, stopping).await.unwrap();
        assert_eq!(store.release_claims_of("worker-c", stopping).await.unwrap(), 0, "a sent message stays sent");
    }
}

/// The store trait object is what callers hold; the ops methods are on it.
#[allow(dead_code, reason = "compiles only if OpsStore is part of Store")]
fn ops_is_part_of_the_store(store: &dyn Store) -> coffeechat_store::PoolStats {
    store.pool_stats()
}
