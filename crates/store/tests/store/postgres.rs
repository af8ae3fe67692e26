//! What only the PostgreSQL store does: the database itself refuses overlapping interviews, and several
//! instances (each its own connection pool, as separate `coffeechat serve` processes have) writing to one
//! database at once still book each slot once, never exceed a cap, and never hand one job to two workers.
//!
//! Skipped (with the notice `support::backends` prints) when `COFFEECHAT_TEST_POSTGRES_URL` is not set.

use std::collections::HashSet;
use std::sync::Arc;

use coffeechat_domain::Email;
use coffeechat_store::{
    AcceptBooking, BusyCalendarSource, CapKind, Conflict, InterviewRecord, NewBusyCalendar, NewOutboxMessage, OutboxId,
    PostgresStore, Store, StoreError,
};
use jiff::{SignedDuration, Timestamp};
use sqlx::{Connection, PgConnection};

use crate::support::{Backend, TestStore, at, backends, booking, host, minutes, request, seeker};

/// A store on a fresh PostgreSQL database, or `None` when PostgreSQL stories are skipped.
async fn postgres() -> Option<TestStore> {
    let backend = backends().into_iter().find(|backend| matches!(backend, Backend::Postgres { .. }))?;
    Some(backend.fresh_store().await)
}

/// A second instance on the same database: its own pool, as another server process would have.
async fn second_instance(store: &TestStore) -> Arc<dyn Store> {
    coffeechat_store::open(store.postgres_url().unwrap()).await.unwrap()
}

/// Runs every acceptance at once, alternating between the two instances.
async fn race(
    instances: [&Arc<dyn Store>; 2],
    bookings: Vec<AcceptBooking>,
) -> Vec<Result<InterviewRecord, StoreError>> {
    let tasks: Vec<_> = bookings
        .into_iter()
        .enumerate()
        .map(|(n, booking)| {
            let store = Arc::clone(instances[n % 2]);
            tokio::spawn(async move { store.accept_request(booking).await })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    results
}

#[tokio::test]
async fn the_database_itself_refuses_overlapping_scheduled_interviews() {
    let Some(store) = postgres().await else { return };
    let priya = host(&*store, "priya-data").await;
    let ada = seeker(&*store, "ada@example.org").await;
    let bo = seeker(&*store, "bo@example.org").await;
    let start = at("2030-03-04T12:00:00Z");
    let first = request(&*store, ada.id, priya.id, &[start], at("2030-02-01T00:00:00Z")).await;
    let second = request(&*store, bo.id, priya.id, &[start], at("2030-02-01T00:00:00Z")).await;
    let booked = store.accept_request(booking(first.id, start, 0, 100)).await.unwrap();

    // Behind the store's back, as buggy code or a hand-written statement would: the constraint still holds.
    let mut raw = PgConnection::connect(store.postgres_url().unwrap()).await.unwrap();
    let insert = |status: &'static str, from: &'static str, to: &'static str| {
        sqlx::query(
            "INSERT INTO interviews (request_id, host_id, seeker_id, start_at, end_at, status, cancel_reason, \
             cancelled_by, ical_uid, created_at, updated_at) \
             VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz, $6, \
                     CASE WHEN $6 = 'cancelled' THEN 'test' END, CASE WHEN $6 = 'cancelled' THEN $2 END, \
                     md5(random()::text), now(), now())",
        )
        .bind(second.id.0)
        .bind(priya.id.0)
        .bind(bo.id.0)
        .bind(from)
        .bind(to)
        .bind(status)
    };
    let overlapping = insert("scheduled", "2030-03-04T12:29:00Z", "2030-03-04T12:59:00Z").execute(&mut raw).await;
    let error = overlapping.unwrap_err();
    let database = error.as_database_error().unwrap();
    assert_eq!(database.code().as_deref(), Some("23P01"), "{error}");
    assert_eq!(database.constraint(), Some("interviews_no_overlap"));

    // Back to back is not an overlap, and cancelled interviews hold no time.
    insert("cancelled", "2030-03-04T12:10:00Z", "2030-03-04T12:40:00Z").execute(&mut raw).await.unwrap();
    sqlx::query("DELETE FROM interviews WHERE request_id = $1").bind(second.id.0).execute(&mut raw).await.unwrap();
    insert("scheduled", "2030-03-04T12:30:00Z", "2030-03-04T13:00:00Z").execute(&mut raw).await.unwrap();
    // Nor can an update move a scheduled interview onto another.
    let moved = sqlx::query("UPDATE interviews SET start_at = start_at - interval '1 minute' WHERE request_id = $1")
        .bind(second.id.0)
        .execute(&mut raw)
        .await;
    assert!(moved.is_err(), "{moved:?}");
    raw.close().await.unwrap();
    assert_eq!(store.interview(booked.id).await.unwrap().unwrap().start, start);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_overlapping_acceptances_on_two_instances_book_exactly_one() {
    let Some(store) = postgres().await else { return };
    let other = second_instance(&store).await;
    let priya = host(&*store, "priya-data").await;
    let base = at("2030-03-04T12:00:00Z");
    let mut bookings = Vec::new();
    for n in 0..50 {
        let who = seeker(&*store, &format!("seeker{n}@example.org")).await;
        // Starts a minute apart: every 30-minute slot overlaps the others' (with the 10-minute buffer).
        let start: Timestamp = base + minutes(n % 20);
        let pending = request(&*store, who.id, priya.id, &[start], at("2030-02-01T00:00:00Z")).await;
        bookings.push(booking(pending.id, start, 10, 100));
    }

    let results = race([&store.store, &other], bookings).await;
    assert_eq!(results.iter().filter(|result| result.is_ok()).count(), 1, "{results:?}");
    assert!(
        results.iter().all(|result| matches!(result, Ok(_) | Err(StoreError::Conflict(Conflict::SlotTaken)))),
        "every loser is refused as SlotTaken: {results:?}"
    );
    let all = other.bookings(priya.id, at("2030-03-01T00:00:00Z"), at("2030-04-01T00:00:00Z")).await.unwrap();
    assert_eq!(all.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_acceptances_on_two_instances_never_exceed_the_cap() {
    let Some(store) = postgres().await else { return };
    let other = second_instance(&store).await;
    let priya = host(&*store, "priya-data").await;
    let mut bookings = Vec::new();
    for n in 0..30 {
        let who = seeker(&*store, &format!("seeker{n}@example.org")).await;
        // Separate hours, so only the cap can refuse.
        let start = at("2030-03-02T00:00:00Z") + SignedDuration::from_hours(n);
        let pending = request(&*store, who.id, priya.id, &[start], at("2030-02-01T00:00:00Z")).await;
        bookings.push(booking(pending.id, start, 0, 3));
    }

    let results = race([&store.store, &other], bookings).await;
    assert_eq!(results.iter().filter(|result| result.is_ok()).count(), 3, "{results:?}");
    assert!(
        results
            .iter()
            .all(|result| matches!(result, Ok(_) | Err(StoreError::Conflict(Conflict::CapReached(CapKind::Month))))),
        "{results:?}"
    );
    let march = store.bookings(priya.id, at("2030-03-01T00:00:00Z"), at("2030-04-01T00:00:00Z")).await.unwrap();
    assert_eq!(march.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_claiming_the_outbox_never_get_the_same_message() {
    let Some(store) = postgres().await else { return };
    let other = second_instance(&store).await;
    let now = at("2030-03-01T09:00:00Z");
    let messages = (0..60)
        .map(|n| NewOutboxMessage {
            kind: "request_sent".into(),
            recipient_email: Email::parse(&format!("m{n}@example.org")).unwrap(),
            recipient_name: "Someone".into(),
            subject: "Hello".into(),
            body_text: "Hello".into(),
            body_html: None,
            calendar: None,
            dedupe_key: None,
            tokens: Vec::new(),
        })
        .collect();
    let queued: HashSet<OutboxId> = store.enqueue_messages(messages, now).await.unwrap().into_iter().collect();

    // Two workers per instance, each claiming until nothing is left.
    let mut workers = Vec::new();
    for instance in [&store.store, &other, &store.store, &other] {
        let instance = Arc::clone(instance);
        workers.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            while let Some(claimed) = instance.claim_next_message(now, now + minutes(5)).await.unwrap() {
                mine.push(claimed.id);
            }
            mine
        }));
    }
    let mut claimed = Vec::new();
    for worker in workers {
        claimed.extend(worker.await.unwrap());
    }
    let distinct: HashSet<OutboxId> = claimed.iter().copied().collect();
    assert_eq!(claimed.len(), queued.len(), "no message was handed out twice");
    assert_eq!(distinct, queued, "every message was handed out");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_claiming_due_calendars_share_them_without_overlap() {
    let Some(store) = postgres().await else { return };
    let other = second_instance(&store).await;
    let ada = host(&*store, "ada").await;
    for n in 0..20 {
        store
            .add_busy_calendar(NewBusyCalendar {
                host_id: ada.id,
                name: format!("feed {n}"),
                source: BusyCalendarSource::Feed { url: format!("https://calendar.example.org/{n}.ics") },
                next_fetch_at: at("2030-03-01T08:00:00Z"),
                created_at: at("2030-03-01T08:00:00Z"),
            })
            .await
            .unwrap();
    }
    let now = at("2030-03-01T09:00:00Z");
    let claims: Vec<_> = [&store.store, &other, &store.store, &other]
        .into_iter()
        .map(|instance| {
            let instance = Arc::clone(instance);
            tokio::spawn(async move { instance.claim_due_busy_calendars(now, now + minutes(10), 7).await.unwrap() })
        })
        .collect();
    let mut claimed = Vec::new();
    for claim in claims {
        let batch = claim.await.unwrap();
        assert!(batch.len() <= 7);
        claimed.extend(batch.into_iter().map(|calendar| calendar.id));
    }
    let distinct: HashSet<_> = claimed.iter().copied().collect();
    assert_eq!((claimed.len(), distinct.len()), (20, 20), "each due calendar claimed once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn instances_starting_together_migrate_once() {
    let Some(store) = postgres().await else { return };
    let mut starting = Vec::new();
    for _ in 0..3 {
        let instance = second_instance(&store).await;
        starting.push(tokio::spawn(async move { instance.migrate().await }));
    }
    for migrated in starting {
        migrated.await.unwrap().unwrap();
    }
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&mut PgConnection::connect(store.postgres_url().unwrap()).await.unwrap())
        .await
        .unwrap();
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres"))
        .unwrap()
        .filter(|entry| entry.as_ref().unwrap().path().extension().is_some_and(|extension| extension == "sql"))
        .count();
    assert_eq!(usize::try_from(applied).unwrap(), files, "each migration is recorded once");
    store.ping().await.unwrap();
}

/// Needs no server: nothing listens on port 1 of the loopback, so the connection is refused at once.
#[tokio::test]
async fn an_unreachable_server_or_a_malformed_url_is_an_error_at_open() {
    for url in ["postgres://coffeechat@127.0.0.1:1/coffeechat", "postgresql://coffeechat@127.0.0.1:1/coffeechat"] {
        let result = coffeechat_store::open(url).await;
        let Err(StoreError::Database(error)) = result else { panic!("{url}: {result:?}") };
        // The refusal itself, not a pool that gave up waiting.
        assert!(error.to_string().contains("refused"), "{url}: {error}");
    }
    let malformed = PostgresStore::open("postgres://coffeechat@127.0.0.1:notaport/db").await;
    assert!(matches!(malformed, Err(StoreError::Database(_))), "{malformed:?}");
}
