//! The worker as a user runs it: `coffeechat worker` as its own process (writing `.eml` files, stopping cleanly
//! on SIGTERM), the worker inside `coffeechat serve`, and the mail settings in `coffeechat config`.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clap::Parser as _;
use coffeechat::{Cli, Server, Settings};
use coffeechat_domain::Email;
use coffeechat_store::NewOutboxMessage;
use common::TempDir;

/// Every setting the binary reads from the environment, removed so the test's own environment cannot leak in.
const VARIABLES: &[&str] = &[
    "COFFEECHAT_DB",
    "COFFEECHAT_CONFIG",
    "COFFEECHAT_SMTP_URL",
    "COFFEECHAT_MAIL_FROM",
    "COFFEECHAT_MAIL_DIR",
    "COFFEECHAT_NO_WORKER",
    "COFFEECHAT_SECRET_KEY_FILE",
    "COFFEECHAT_PUBLIC_URL",
    "COFFEECHAT_LOG_FORMAT",
    "RUST_LOG",
];

fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_coffeechat"));
    for variable in VARIABLES {
        command.env_remove(variable);
    }
    command
}

fn message(to: &str) -> NewOutboxMessage {
    NewOutboxMessage {
        kind: "request_sent".into(),
        recipient_email: Email::parse(to).unwrap(),
        recipient_name: "Priya Raman".into(),
        subject: "Sam asks you for a conversation".into(),
        body_text: "Hello Priya".into(),
        body_html: None,
        calendar: None,
        dedupe_key: None,
        tokens: Vec::new(),
    }
}

/// The `.eml` files in `dir` (none when it does not exist yet).
fn eml_files(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".eml"))
        .collect()
}

/// Waits (at most 20 s) until `dir` holds `count` `.eml` files.
async fn wait_for_files(dir: &Path, count: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let files = eml_files(dir);
        if files.len() >= count {
            return files;
        }
        assert!(Instant::now() < deadline, "only {} of {count} .eml files appeared in {}", files.len(), dir.display());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_worker_process_writes_queued_mail_as_files_and_stops_on_sigterm() {
    let dir = TempDir::new("worker");
    let db = dir.file("worker.db");
    let mail_dir = dir.file("mail");
    let store = coffeechat::open_store(&db).await.unwrap();
    store
        .enqueue_messages(vec![message("priya@example.org"), message("ada@example.org")], jiff::Timestamp::now())
        .await
        .unwrap();

    let mut child = binary()
        .args(["worker", "--db", &db, "--mail-dir", &mail_dir])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let files = wait_for_files(Path::new(&mail_dir), 2).await;
    assert!(files.iter().all(|name| name.ends_with("-request_sent.eml")), "{files:?}");
    let first = std::fs::read_to_string(Path::new(&mail_dir).join(&files[0])).unwrap();
    assert!(first.contains("From: Coffeechat <coffeechat@localhost>"), "{first}");

    // A graceful stop: SIGTERM, then a zero exit status.
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let output = tokio::task::spawn_blocking(move || {
        let status = child.wait().unwrap();
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        (status, stderr)
    })
    .await
    .unwrap();
    assert!(output.0.success(), "{:?}: {}", output.0, output.1);
    assert!(output.1.contains("worker stopped"), "{}", output.1);
    let counts = store.outbox_counts().await.unwrap();
    assert_eq!((counts.queued, counts.sent), (0, 2));
}

#[tokio::test]
async fn serve_runs_the_worker_unless_told_not_to() {
    let dir = TempDir::new("serve-worker");
    let db = dir.file("serve.db");
    let mail_dir = dir.file("mail");
    let key = dir.file("secret.key");
    let args = [
        "coffeechat",
        "serve",
        "--db",
        &db,
        "--bind",
        "127.0.0.1:0",
        "--mail-dir",
        &mail_dir,
        "--secret-key-file",
        &key,
    ];
    let cli = Cli::try_parse_from(args).unwrap();
    let coffeechat::Command::Serve(serve) = &cli.command else { panic!("expected serve") };
    let settings = Settings::load(&cli.global, serve).unwrap();
    assert!(settings.run_worker.value);
    let server = Server::build(&settings).await.unwrap();
    assert!(Path::new(&key).exists(), "the key file is created on first start");
    let store = server.state().services.store().clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.run_until(async {
        let _ = stopped.await;
    }));

    store.enqueue_messages(vec![message("priya@example.org")], jiff::Timestamp::now()).await.unwrap();
    wait_for_files(Path::new(&mail_dir), 1).await;
    stop.send(()).unwrap();
    running.await.unwrap().unwrap();

    let cli =
        Cli::try_parse_from(["coffeechat", "serve", "--db", &db, "--no-worker", "--secret-key-file", &key]).unwrap();
    let coffeechat::Command::Serve(serve) = &cli.command else { panic!("expected serve") };
    assert!(!Settings::load(&cli.global, serve).unwrap().run_worker.value);
}

#[test]
fn config_shows_the_mail_settings_without_the_smtp_password() {
    let output = binary()
        .args([
            "config",
            "--smtp-url",
            "smtps://app:s3cret@mail.example.org:465",
            "--mail-from",
            "Coffeechat <cc@example.org>",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("smtps://mail.example.org:465") && !text.contains("s3cret"), "{text}");
    assert!(text.contains("mail_from = \"Coffeechat <cc@example.org>\"  # flag or environment"), "{text}");
    assert!(text.contains("no_worker = false  # default"), "{text}");

    let refused = binary().args(["config", "--mail-from", "not an address"]).output().unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("invalid mail_from"));
}
