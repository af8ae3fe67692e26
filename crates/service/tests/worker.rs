//! The outbox worker: retries with backoff until a visible failed state, `.eml` files when no SMTP server is
//! configured, and two workers on one SQLite file never sending a message twice.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod mail_support;
mod support;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use coffeechat_service::{FixedClock, MAX_ATTEMPTS, MailDestination, Services, Worker, mail_transport};
use coffeechat_store::{OutboxStatus, SqliteStore, Store};
use jiff::SignedDuration;
use mail_support::{RecordingTransport, THU_0900, World};
use support::{NOW, ts};

#[tokio::test]
async fn failed_sends_are_retried_with_widening_gaps_and_then_stay_failed() {
    let world = World::new().await;
    world.booked(THU_0900).await;
    let failing = RecordingTransport::failing();
    let start = world.services.now();

    let mut gaps = Vec::new();
    for attempt in 1..=MAX_ATTEMPTS {
        let run = world.services.send_due_mail(&failing).await.unwrap();
        let expected = if attempt < MAX_ATTEMPTS { (0, 3, 0) } else { (0, 0, 3) };
        assert_eq!((run.sent, run.retrying, run.failed), expected, "attempt {attempt}");
        let messages = world.outbox().await;
        assert!(messages.iter().all(|message| message.attempts == attempt), "attempt {attempt}");
        if attempt < MAX_ATTEMPTS {
            let next = messages[0].next_attempt_at;
            gaps.push(world.services.now().duration_until(next).as_mins());
            // Not a moment early: just before the retry is due nothing is claimed.
            world.clock.set(next - SignedDuration::from_secs(1));
            let early = world.services.send_due_mail(&failing).await.unwrap();
            assert_eq!((early.sent, early.retrying, early.failed), (0, 0, 0));
            world.clock.set(next);
        }
    }
    assert_eq!(gaps, [1, 5, 30, 120, 720]);

    // Failed for good: visible with its error, never picked up again.
    let failed = world.services.outbox_messages(Some(OutboxStatus::Failed), 10).await.unwrap();
    assert_eq!(failed.len(), 3);
    assert!(
        failed
            .iter()
            .all(|message| message.last_error.as_deref() == Some("connection refused by mail.example.org:587"))
    );
    assert_eq!(world.services.outbox_counts().await.unwrap().failed, 3);
    world.clock.set(start + SignedDuration::from_hours(24 * 30));
    let later = world.services.send_due_mail(&failing).await.unwrap();
    assert_eq!((later.sent, later.retrying, later.failed), (0, 0, 0));
}

#[tokio::test]
async fn without_smtp_every_message_becomes_an_eml_file() {
    let world = World::new().await;
    world.booked(THU_0900).await;
    let folder = world.dir.path().join("outbox");
    let transport =
        mail_transport(&MailDestination::Directory(folder.clone()), "Coffeechat <noreply@localhost>").unwrap();
    assert_eq!(transport.describe(), format!(".eml files in {}", folder.display()));

    let run = world.services.send_due_mail(transport.as_ref()).await.unwrap();
    assert_eq!(run.sent, 3);
    let mut names: Vec<String> =
        std::fs::read_dir(&folder).unwrap().map(|entry| entry.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names.iter().all(|name| name.starts_with("20260302T000000Z-") && name.ends_with(".eml")), "{names:?}");
    assert!(names[0].ends_with("-request_sent.eml") && names[1].ends_with("-interview_booked.eml"), "{names:?}");

    let invitation = std::fs::read_to_string(folder.join(&names[2])).unwrap();
    assert!(
        invitation.contains("To: \"Sam Seeker\" <sam@example.org>")
            || invitation.contains("To: Sam Seeker <sam@example.org>"),
        "{invitation}"
    );
    assert!(invitation.contains("method=REQUEST"), "{invitation}");
    assert!(invitation.contains("filename=\"invite.ics\""), "{invitation}");
    assert!(world.outbox().await.iter().all(|message| message.status == OutboxStatus::Sent));
}

#[tokio::test]
async fn two_workers_on_one_database_file_send_each_message_once() {
    let world = World::new().await;
    let (host, _seeker, _) = world.booked(THU_0900).await;
    // More mail: a batch of requests to the host from other seekers, each for a slot of its own (a pending
    // request holds its slots).
    let days = ["06", "09", "10", "11", "12", "13"];
    let starts: Vec<String> =
        days.iter().flat_map(|day| [format!("2026-03-{day}T03:30:00Z"), format!("2026-03-{day}T04:00:00Z")]).collect();
    for (n, start) in starts.iter().enumerate() {
        let seeker = world.sign_up(&format!("s{n}@example.org"), "Another Seeker", &["seeker"], "UTC").await;
        world.services.create_request(&seeker, mail_support::new_request(&[start])).await.unwrap();
    }
    let queued = world.queued().await;
    assert_eq!(queued, 3 + 12);
    let _ = host;

    // A second process's view: its own connection pool on the same file, its own services and worker.
    let other_store: Arc<dyn Store> = Arc::new(SqliteStore::open(&World::db_path(&world.dir)).await.unwrap());
    let other = Services::with_clock(other_store, Arc::new(FixedClock::new(ts(NOW))));
    let first = Arc::new(RecordingTransport::default());
    let second = Arc::new(RecordingTransport::default());
    let workers = [Worker::standard(world.services.clone(), first.clone()), Worker::standard(other, second.clone())];
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let handles: Vec<_> = workers
        .into_iter()
        .map(|worker| {
            let mut stopped = stopped.clone();
            tokio::spawn(worker.run(async move {
                let _ = stopped.wait_for(|stop| *stop).await;
            }))
        })
        .collect();
    // Both workers start by draining the outbox; wait (bounded) until everything is sent.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while world.services.outbox_counts().await.unwrap().sent < 15 {
        assert!(tokio::time::Instant::now() < deadline, "the workers did not send everything in time");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.send(true).unwrap();
    for handle in handles {
        handle.await.unwrap();
    }

    let mut times_sent: HashMap<i64, u32> = HashMap::new();
    for message in first.delivered().into_iter().chain(second.delivered()) {
        *times_sent.entry(message.id.0).or_default() += 1;
    }
    assert_eq!(times_sent.len(), 15, "every message was sent");
    assert!(times_sent.values().all(|count| *count == 1), "no message was sent twice: {times_sent:?}");
    let counts = world.services.outbox_counts().await.unwrap();
    assert_eq!((counts.queued, counts.sending, counts.sent, counts.failed), (0, 0, 15, 0));
}

/// A mail server that accepts the connection and then never answers.
#[derive(Debug, Default)]
struct SilentTransport {
    started: tokio::sync::Notify,
}

#[async_trait::async_trait]
impl coffeechat_service::MailTransport for SilentTransport {
    async fn deliver(&self, _: &coffeechat_store::OutboxMessage) -> Result<(), coffeechat_service::MailError> {
        self.started.notify_one();
        std::future::pending().await
    }

    fn describe(&self) -> String {
        "a mail server that never answers".to_owned()
    }
}

#[tokio::test]
async fn a_stopped_worker_gives_back_the_message_it_holds_at_once() {
    let world = World::new().await;
    let message = |to: &str| coffeechat_store::NewOutboxMessage {
        kind: "request_sent".into(),
        recipient_email: coffeechat_domain::Email::parse(to).unwrap(),
        recipient_name: "Priya Raman".into(),
        subject: "A new request".into(),
        body_text: "Hello Priya".into(),
        body_html: None,
        calendar: None,
        dedupe_key: None,
        tokens: Vec::new(),
    };
    let queue = vec![message("a@example.org"), message("b@example.org"), message("c@example.org")];
    world.store.enqueue_messages(queue, world.services.now()).await.unwrap();
    let transport = Arc::new(SilentTransport::default());
    let worker =
        Worker::standard(world.services.clone(), transport.clone()).with_shutdown_grace(Duration::from_millis(50));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(worker.run(async move {
        let _ = stopped.await;
    }));
    tokio::time::timeout(Duration::from_secs(10), transport.started.notified()).await.expect("no delivery started");
    let held: Vec<_> =
        world.outbox().await.into_iter().filter(|message| message.status == OutboxStatus::Sending).collect();
    assert_eq!(held.len(), 1, "one message is being sent");
    let lease_end = held[0].next_attempt_at;
    assert!(lease_end > world.services.now(), "the claim is a lease into the future");

    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), running).await.expect("the worker did not stop").unwrap();

    // Queued again, due now (not when the lease runs out), and the cut-off attempt is not counted.
    let given_back = world.services.outbox_messages(None, 10).await.unwrap();
    let message = given_back.iter().find(|message| message.id == held[0].id).unwrap();
    assert_eq!(message.status, OutboxStatus::Queued);
    assert_eq!((message.next_attempt_at, message.attempts), (world.services.now(), 0));
    let counts = world.services.outbox_counts().await.unwrap();
    assert_eq!((counts.queued, counts.sending), (3, 0), "the stopping worker claimed nothing more");

    // Another instance sends it right away.
    let other = Arc::new(RecordingTransport::default());
    let run = world.services.send_due_mail(other.as_ref()).await.unwrap();
    assert_eq!(run.sent, 3);
    assert!(other.delivered().iter().any(|delivered| delivered.id == held[0].id));
}
