//! What only the SQLite store does: the URLs it opens, its pragmas, and how it reports rows that were
//! edited behind its back.

use std::str::FromStr;

use coffeechat_domain::Email;
use coffeechat_store::{SqliteStore, Store, StoreError};
use sqlx::ConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;

use crate::support::{host, new_account, policy};

/// A second, raw connection to the same file, for looking behind the store's back.
async fn raw(path: &std::path::Path) -> sqlx::SqliteConnection {
    SqliteConnectOptions::new().filename(path).connect().await.unwrap()
}

#[tokio::test]
async fn plain_paths_and_sqlite_urls_create_and_reopen_the_file() {
    let dir = tempfile::tempdir().unwrap();
    for (n, form) in ["{}", "sqlite:{}", "sqlite://{}"].into_iter().enumerate() {
        let path = dir.path().join(format!("db{n}.sqlite"));
        let url = form.replace("{}", path.to_str().unwrap());
        let store = coffeechat_store::open(&url).await.unwrap();
        assert!(path.exists(), "{url} should create the file");
        store.migrate().await.unwrap();
        store.create_account(new_account("ada@example.org", "Ada", &["seeker"])).await.unwrap();
        drop(store);

        let reopened = SqliteStore::open(&url).await.unwrap();
        let email = Email::parse("ada@example.org").unwrap();
        assert!(reopened.credentials(&email).await.unwrap().is_some(), "{url} should keep its data");
        reopened.close().await;
    }
}

#[tokio::test]
async fn in_memory_and_foreign_urls_are_refused() {
    for url in ["sqlite::memory:", "sqlite://:memory:", ":memory:", "sqlite:", "", "mysql://x/y"] {
        let result = coffeechat_store::open(url).await;
        assert!(matches!(result, Err(StoreError::UnsupportedUrl(_))), "{url:?} gave {result:?}");
    }
}

#[tokio::test]
async fn the_database_runs_in_wal_mode_with_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wal.db");
    let store = SqliteStore::open(path.to_str().unwrap()).await.unwrap();
    store.migrate().await.unwrap();
    let mut conn = raw(&path).await;
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut conn).await.unwrap();
    assert_eq!(mode, "wal");
    // The schema itself refuses what the domain refuses, even for hand-written SQL.
    let bad_cap = sqlx::query("INSERT INTO host_policies VALUES (1, 'UTC', '[20]', '[]', 0, 0, 0, 1, 1)")
        .execute(&mut conn)
        .await;
    assert!(bad_cap.is_err());
}

#[tokio::test]
async fn hand_edited_rows_are_reported_as_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corrupt.db");
    let store = SqliteStore::open(path.to_str().unwrap()).await.unwrap();
    store.migrate().await.unwrap();
    let priya = host(&store, "priya-data").await;
    store.put_host_policy(priya.id, &policy(4, 10)).await.unwrap();

    let mut conn = raw(&path).await;
    sqlx::query("UPDATE accounts SET time_zone = 'Mars/Olympus_Mons' WHERE id = $1")
        .bind(priya.id.0)
        .execute(&mut conn)
        .await
        .unwrap();
    let result = store.account(priya.id).await;
    assert!(matches!(&result, Err(StoreError::Corrupt(message)) if message.contains("time_zone")), "{result:?}");

    // Two overlapping Monday windows: valid JSON, but not a policy the domain accepts.
    sqlx::query(
        "UPDATE host_policies SET windows = \
         '[{\"weekday\":\"mon\",\"start\":\"07:00\",\"end\":\"09:00\"},{\"weekday\":\"mon\",\"start\":\"08:00\",\"end\":\"10:00\"}]'",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let result = store.host_policy(priya.id).await;
    assert!(matches!(result, Err(StoreError::Corrupt(_))), "{result:?}");
}

#[test]
fn sqlx_parses_the_url_forms_we_document() {
    // Guards the assumption `open` relies on: both URL forms name the same file.
    let a = SqliteConnectOptions::from_str("sqlite:data/coffeechat.db").unwrap();
    let b = SqliteConnectOptions::from_str("sqlite://data/coffeechat.db").unwrap();
    assert_eq!(a.get_filename(), b.get_filename());
}
