//! The rules that must hold when many acceptances race: exactly one interview per slot, never more
//! than the cap, and a refusal (not a database error) for everyone else.

use std::sync::Arc;

use coffeechat_store::{CapKind, Conflict, Store, StoreError};
use jiff::Timestamp;

use crate::support::{at, backends, booking, host, minutes, request, seeker};

const RACERS: i64 = 50;

/// Accepts all `bookings` at once, each on its own task.
async fn race(
    store: &Arc<dyn Store>,
    bookings: Vec<coffeechat_store::AcceptBooking>,
) -> Vec<Result<coffeechat_store::InterviewRecord, StoreError>> {
    let tasks: Vec<_> = bookings
        .into_iter()
        .map(|booking| {
            let store = Arc::clone(store);
            tokio::spawn(async move { store.accept_request(booking).await })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    results
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_overlapping_acceptances_book_exactly_one_interview() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya-data").await;
        let base = at("2030-03-04T12:00:00Z");
        let mut bookings = Vec::new();
        for n in 0..RACERS {
            let who = seeker(&*store, &format!("seeker{n}@example.org")).await;
            // Starts a minute apart: every 30-minute slot overlaps the others' (with the 10-minute buffer).
            let start: Timestamp = base + minutes(n % 20);
            let pending = request(&*store, who.id, priya.id, &[start], at("2030-02-01T00:00:00Z")).await;
            bookings.push(booking(pending.id, start, 10, 100));
        }

        let results = race(&store.store, bookings).await;
        let booked: Vec<_> = results.iter().filter_map(|result| result.as_ref().ok()).collect();
        assert_eq!(booked.len(), 1, "exactly one acceptance wins");
        for result in &results {
            match result {
                Ok(_) | Err(StoreError::Conflict(Conflict::SlotTaken)) => {}
                Err(other) => panic!("a losing acceptance must be refused as SlotTaken, got {other:?}"),
            }
        }
        let all = store.bookings(priya.id, at("2030-03-01T00:00:00Z"), at("2030-04-01T00:00:00Z")).await.unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].start, booked[0].start);
        let pending = store.requests_for(priya.id).await.unwrap();
        assert_eq!(pending.iter().filter(|r| r.interview_id.is_some()).count(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_acceptances_of_one_request_book_it_once() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya-data").await;
        let ada = seeker(&*store, "ada@example.org").await;
        let starts = [at("2030-03-04T12:00:00Z"), at("2030-03-05T12:00:00Z"), at("2030-03-06T12:00:00Z")];
        let pending = request(&*store, ada.id, priya.id, &starts, at("2030-02-01T00:00:00Z")).await;
        // The host double-clicks, on every proposed slot.
        let bookings = (0..RACERS).map(|n| booking(pending.id, starts[(n % 3) as usize], 10, 100)).collect();

        let results = race(&store.store, bookings).await;
        assert_eq!(results.iter().filter(|result| result.is_ok()).count(), 1);
        assert!(
            results.iter().all(|result| matches!(result, Ok(_) | Err(StoreError::Conflict(Conflict::StateChanged)))),
            "{results:?}"
        );
        assert_eq!(store.interviews_for(ada.id).await.unwrap().len(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_acceptances_never_exceed_the_cap() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya-data").await;
        let mut bookings = Vec::new();
        for n in 0..30 {
            let who = seeker(&*store, &format!("seeker{n}@example.org")).await;
            // Separate hours, so only the cap can refuse.
            let start = at("2030-03-02T00:00:00Z") + jiff::SignedDuration::from_hours(n);
            let pending = request(&*store, who.id, priya.id, &[start], at("2030-02-01T00:00:00Z")).await;
            bookings.push(booking(pending.id, start, 0, 3));
        }

        let results = race(&store.store, bookings).await;
        assert_eq!(results.iter().filter(|result| result.is_ok()).count(), 3);
        assert!(
            results.iter().all(|result| matches!(
                result,
                Ok(_) | Err(StoreError::Conflict(Conflict::CapReached(CapKind::Month)))
            )),
            "{results:?}"
        );
    }
}
