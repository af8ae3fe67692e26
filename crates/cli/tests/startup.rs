//! Starting on a database that cannot be used is a clear message and a non-zero exit, never a half-started
//! server: a malformed URL, a server nobody answers on, and a database a newer Coffeechat has migrated (SQLite,
//! and PostgreSQL when `COFFEECHAT_TEST_POSTGRES_URL` names a server). The database is checked before the port
//! is bound, so a load balancer never sees a port open on an instance that cannot serve.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use std::process::{Output, Stdio};
use std::str::FromStr;
use std::time::Duration;

use common::TempDir;
use sqlx::postgres::PgConnectOptions;
use sqlx::{AssertSqlSafe, ConnectOptions, Connection};

/// Runs the binary with the given arguments and no Coffeechat variables from the test's environment; a command
/// that is still running after a minute (a server that started after all) fails the test.
async fn coffeechat(args: &[&str]) -> Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_coffeechat"));
    command.args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).kill_on_drop(true);
    for (name, _) in std::env::vars() {
        if name.starts_with("COFFEECHAT_") || name == "RUST_LOG" {
            command.env_remove(name);
        }
    }
    let child = command.spawn().unwrap();
    match tokio::time::timeout(Duration::from_secs(60), child.wait_with_output()).await {
        Ok(output) => output.unwrap(),
        Err(_) => panic!("coffeechat {args:?} was still running after a minute"),
    }
}

/// Asserts a refused start: non-zero exit, `message` on stderr, no panic, and no server ever listening.
#[track_caller]
fn refused(output: &Output, message: &str) {
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "expected a failure; stderr:\n{err}");
    assert!(err.contains(message), "expected {message:?} in stderr:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("listening"), "a server started:\n{err}");
}

/// A port on 127.0.0.1 that nothing listens on (bound by the OS, then let go).
async fn closed_port() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

const NEWER: &str = "the database is at migration 9999, newer than this coffeechat (knows up to";
const FUTURE_MIGRATION: &str = "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
     VALUES (9999, 'from a newer coffeechat', TRUE, $1, 0)";

#[tokio::test]
async fn a_malformed_database_url_is_refused_before_the_port_is_bound() {
    // The port is busy: had `serve` bound it first, the error would be about the port.
    let busy = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let bind = busy.local_addr().unwrap().to_string();
    for url in ["postgres://coffee@127.0.0.1:notaport/coffeechat", "postgres://", "mysql://db.example.org/coffeechat"] {
        let output = coffeechat(&["serve", "--db", url, "--bind", &bind]).await;
        refused(&output, "cannot open database");
        assert!(!String::from_utf8_lossy(&output.stderr).contains("cannot listen"), "{url}");
    }
    refused(&coffeechat(&["worker", "--db", "postgres://"]).await, "cannot open database");
}

#[tokio::test]
async fn an_unreachable_server_is_refused_with_the_password_hidden() {
    let port = closed_port().await;
    let url = format!("postgres://coffee:s3cret@127.0.0.1:{port}/coffeechat");
    for command in ["serve", "worker", "migrate"] {
        let mut args = vec![command, "--db", &url];
        if command == "serve" {
            args.extend(["--bind", "127.0.0.1:0"]);
        }
        let output = coffeechat(&args).await;
        refused(&output, &format!("cannot open database postgres://coffee:***@127.0.0.1:{port}/coffeechat"));
        assert!(!String::from_utf8_lossy(&output.stderr).contains("s3cret"), "{command}: the password leaked");
    }
}

/// `serve`, `worker` and `migrate` on `db` (already migrated by a newer Coffeechat) all refuse, and leave the
/// database as it was.
async fn every_command_refuses_the_newer_database(db: &str) {
    for command in ["serve", "worker", "migrate"] {
        let mut args = vec![command, "--db", db];
        if command == "serve" {
            args.extend(["--bind", "127.0.0.1:0", "--demo"]);
        }
        let output = coffeechat(&args).await;
        refused(&output, NEWER);
        refused(&output, "upgrade coffeechat");
    }
}

#[tokio::test]
async fn a_sqlite_database_from_a_newer_coffeechat_is_refused() {
    let dir = TempDir::new("startup-newer");
    let db = dir.file("newer.db");
    let migrated = coffeechat(&["migrate", "--db", &db]).await;
    assert!(migrated.status.success(), "{}", String::from_utf8_lossy(&migrated.stderr));

    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite:{db}")).await.unwrap();
    sqlx::query(AssertSqlSafe(FUTURE_MIGRATION)).bind(vec![0u8]).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();

    every_command_refuses_the_newer_database(&db).await;
    // Nothing was loaded or changed: the demo data never went in.
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite:{db}")).await.unwrap();
    let accounts: i64 = sqlx::query_scalar("SELECT count(*) FROM accounts").fetch_one(&mut conn).await.unwrap();
    assert_eq!(accounts, 0);
}

#[tokio::test]
async fn a_postgres_database_from_a_newer_coffeechat_is_refused() {
    let Some(admin_url) = std::env::var("COFFEECHAT_TEST_POSTGRES_URL").ok().filter(|url| !url.trim().is_empty())
    else {
        eprintln!("skipped: COFFEECHAT_TEST_POSTGRES_URL is not set");
        return;
    };
    let admin = PgConnectOptions::from_str(admin_url.trim()).unwrap();
    let name = format!("coffeechat_test_{}_{:016x}", jiff::Timestamp::now().as_second(), rand::random::<u64>());
    let mut conn = admin.connect().await.unwrap();
    sqlx::query(AssertSqlSafe(format!("CREATE DATABASE \"{name}\""))).execute(&mut conn).await.unwrap();
    let url = admin.clone().database(&name).to_url_lossy().to_string();

    let outcome = {
        let url = url.clone();
        async move {
            let migrated = coffeechat(&["migrate", "--db", &url]).await;
            assert!(migrated.status.success(), "{}", String::from_utf8_lossy(&migrated.stderr));
            let mut db = sqlx::PgConnection::connect(&url).await.unwrap();
            sqlx::query(AssertSqlSafe(FUTURE_MIGRATION)).bind(vec![0u8]).execute(&mut db).await.unwrap();
            db.close().await.unwrap();
            every_command_refuses_the_newer_database(&url).await;
        }
    };
    // The database is dropped whether the checks passed or not.
    let result = tokio::spawn(outcome).await;
    sqlx::query(AssertSqlSafe(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")))
        .execute(&mut conn)
        .await
        .unwrap();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic.into_panic());
    }
}

/// The other side of a clean start: `serve` answers `/readyz` and `/metrics`, and on SIGTERM stops its server
/// and its worker and exits 0.
#[cfg(unix)]
#[tokio::test]
async fn serve_is_ready_then_stops_cleanly_on_sigterm() {
    use tokio::io::{AsyncBufReadExt, BufReader};

    let dir = TempDir::new("startup-sigterm");
    let db = dir.file("served.db");
    let mail_dir = dir.file("mail");
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_coffeechat"));
    command
        .args(["serve", "--db", &db, "--bind", "127.0.0.1:0", "--mail-dir", &mail_dir])
        .env("RUST_LOG", "info")
        .env_remove("COFFEECHAT_NO_WORKER")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = command.spawn().unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut log = Vec::new();
    // The log line that says where it listens is the readiness signal: no polling, no sleeping.
    let address = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            log.push(line.clone());
            if let Some(rest) = line.split("Coffeechat listening on http://").nth(1) {
                return rest.split_whitespace().next().unwrap().to_owned();
            }
        }
        panic!("serve ended before listening:\n{}", log.join("\n"));
    })
    .await
    .expect("serve did not start listening within a minute");

    // reqwest is built without a TLS provider of its own (the workspace's is rustls with ring).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::new();
    let ready = client.get(format!("http://{address}/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.json::<serde_json::Value>().await.unwrap(), serde_json::json!({"status": "ready"}));
    let metrics = client.get(format!("http://{address}/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains(r#"route="/readyz""#), "{metrics}");

    let pid = child.id().unwrap().to_string();
    let killed = tokio::process::Command::new("kill").args(["-TERM", &pid]).status().await.unwrap();
    assert!(killed.success());
    let rest = tokio::time::timeout(Duration::from_secs(60), async {
        let mut rest = Vec::new();
        while let Some(line) = lines.next_line().await.unwrap() {
            rest.push(line);
        }
        rest
    })
    .await
    .expect("serve did not stop within a minute of SIGTERM");
    let status = child.wait().await.unwrap();
    let rest = rest.join("\n");
    assert!(status.success(), "exit {status:?}:\n{rest}");
    assert!(rest.contains("shutting down") && rest.contains("worker stopped"), "{rest}");
}
