//! Pending requests as holds, and the day, week and month caps of an acceptance, alone and under races.

use std::sync::Arc;

use coffeechat_domain::RequestId;
use coffeechat_store::{
    AcceptBooking, CapKind, CapPeriod, Conflict, InterviewRecord, RequestChange, Store, StoreError,
};
use jiff::{SignedDuration, Timestamp};

use crate::support::{at, backends, booking, host, minutes, request, seeker};

/// An acceptance of a 30-minute slot with the given caps and no buffer.
fn capped(request: RequestId, start: Timestamp, caps: &[CapPeriod], count_pending: bool) -> AcceptBooking {
    AcceptBooking { caps: caps.to_vec(), count_pending, ..booking(request, start, 0, 100) }
}

fn period(kind: CapKind, from: &str, to: &str, cap: u32) -> CapPeriod {
    CapPeriod { kind, from: at(from), to: at(to), cap }
}

#[tokio::test]
async fn pending_holds_are_the_pending_requests_overlapping_the_range() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya-data").await;
        let omar = host(&*store, "omar-bank").await;
        let ada = seeker(&*store, "ada@example.org").await;
        let sent = at("2030-03-01T09:00:00Z");
        // Proposals stored out of order come back ascending.
        let two =
            request(&*store, ada.id, priya.id, &[at("2030-03-05T12:00:00Z"), at("2030-03-04T12:00:00Z")], sent).await;
        let late = request(&*store, ada.id, priya.id, &[at("2030-03-20T12:00:00Z")], sent + minutes(1)).await;
        let withdrawn = request(&*store, ada.id, priya.id, &[at("2030-03-04T15:00:00Z")], sent).await;
        store.change_request(withdrawn.id, RequestChange::Withdraw, sent).await.unwrap();
        let other_host = request(&*store, ada.id, omar.id, &[at("2030-03-04T12:00:00Z")], sent).await;

        let holds =
            store.pending_holds(priya.id, at("2030-03-04T00:00:00Z"), at("2030-03-06T00:00:00Z")).await.unwrap();
        assert_eq!(holds.len(), 1, "{holds:?}");
        assert_eq!(holds[0].request_id, two.id);
        assert_eq!(holds[0].proposed_starts, [at("2030-03-04T12:00:00Z"), at("2030-03-05T12:00:00Z")]);
        assert_eq!(holds[0].earliest(), Some(at("2030-03-04T12:00:00Z")));
        assert_eq!((holds[0].created_at, holds[0].length), (sent, coffeechat_domain::MeetingLength::Min30));

        // A slot that started before the range but runs into it still overlaps it.
        let overlapping =
            store.pending_holds(priya.id, at("2030-03-20T12:29:00Z"), at("2030-03-21T00:00:00Z")).await.unwrap();
        assert_eq!(overlapping.iter().map(|hold| hold.request_id).collect::<Vec<_>>(), [late.id]);
        assert!(
            store
                .pending_holds(priya.id, at("2030-03-20T12:30:00Z"), at("2030-03-21T00:00:00Z"))
                .await
                .unwrap()
                .is_empty()
        );

        let many = store
            .pending_holds_for_hosts(&[priya.id, omar.id], at("2030-03-01T00:00:00Z"), at("2030-04-01T00:00:00Z"))
            .await
            .unwrap();
        let found: Vec<_> = many.iter().map(|(host, hold)| (*host, hold.request_id)).collect();
        assert_eq!(found, [(priya.id, two.id), (priya.id, late.id), (omar.id, other_host.id)]);

        // Once accepted, a request holds nothing any more: its interview blocks the time instead.
        store.accept_request(booking(two.id, at("2030-03-05T12:00:00Z"), 0, 100)).await.unwrap();
        assert!(
            store
                .pending_holds(priya.id, at("2030-03-04T00:00:00Z"), at("2030-03-06T00:00:00Z"))
                .await
                .unwrap()
                .is_empty()
        );
    }
}

#[tokio::test]
async fn the_day_and_week_caps_are_checked_with_the_month() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya-data").await;
        let caps = [
            period(CapKind::Day, "2030-03-04T00:00:00Z", "2030-03-05T00:00:00Z", 1),
            period(CapKind::Week, "2030-03-04T00:00:00Z", "2030-03-11T00:00:00Z", 2),
            period(CapKind::Month, "2030-03-01T00:00:00Z", "2030-04-01T00:00:00Z", 10),
        ];
        let accept = async |email: &str, start: &str, caps: &[CapPeriod]| -> Result<InterviewRecord, StoreError> {
            let who = seeker(&*store, email).await;
            let pending = request(&*store, who.id, priya.id, &[at(start)], at("2030-02-01T00:00:00Z")).await;
            store.accept_request(capped(pending.id, at(start), caps, false)).await
        };

        accept("one@example.org", "2030-03-04T09:00:00Z", &caps).await.unwrap();
        let second_that_day = accept("two@example.org", "2030-03-04T15:00:00Z", &caps).await;
        assert!(
            matches!(second_that_day, Err(StoreError::Conflict(Conflict::CapReached(CapKind::Day)))),
            "{second_that_day:?}"
        );

        let tuesday = [period(CapKind::Day, "2030-03-05T00:00:00Z", "2030-03-06T00:00:00Z", 1), caps[1], caps[2]];
        accept("three@example.org", "2030-03-05T09:00:00Z", &tuesday).await.unwrap();
        let wednesday = [period(CapKind::Day, "2030-03-06T00:00:00Z", "2030-03-07T00:00:00Z", 1), caps[1], caps[2]];
        let third_that_week = accept("four@example.org", "2030-03-06T09:00:00Z", &wednesday).await;
        assert!(
            matches!(third_that_week, Err(StoreError::Conflict(Conflict::CapReached(CapKind::Week)))),
            "{third_that_week:?}"
        );
        assert_eq!(
            Conflict::CapReached(CapKind::Week).to_string(),
            "the host's week is already full",
            "the message names the period"
        );
    }
}

#[tokio::test]
async fn pending_requests_count_towards_caps_only_when_asked_and_never_against_themselves() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya-data").await;
        let sent = at("2030-02-01T00:00:00Z");
        let day = [period(CapKind::Day, "2030-03-04T00:00:00Z", "2030-03-05T00:00:00Z", 1)];
        let ada = seeker(&*store, "ada@example.org").await;
        let sam = seeker(&*store, "sam@example.org").await;
        // Ada's request counts on 4 March (its earliest proposal) though it also proposes the 5th.
        request(&*store, ada.id, priya.id, &[at("2030-03-04T09:00:00Z"), at("2030-03-05T09:00:00Z")], sent).await;
        let sams = request(&*store, sam.id, priya.id, &[at("2030-03-04T15:00:00Z")], sent).await;

        let counted = store.accept_request(capped(sams.id, at("2030-03-04T15:00:00Z"), &day, true)).await;
        assert!(matches!(counted, Err(StoreError::Conflict(Conflict::CapReached(CapKind::Day)))), "{counted:?}");
        // Sam's own pending request never counted: only Ada's did. Not counting pending requests leaves room.
        store.accept_request(capped(sams.id, at("2030-03-04T15:00:00Z"), &day, false)).await.unwrap();
    }
}

#[tokio::test]
async fn a_request_never_counts_against_its_own_acceptance() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya-data").await;
        let day = [period(CapKind::Day, "2030-03-04T00:00:00Z", "2030-03-05T00:00:00Z", 1)];
        let ada = seeker(&*store, "ada@example.org").await;
        let adas = request(&*store, ada.id, priya.id, &[at("2030-03-04T09:00:00Z")], at("2030-02-01T00:00:00Z")).await;
        store.accept_request(capped(adas.id, at("2030-03-04T09:00:00Z"), &day, true)).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_racing_acceptances_fill_a_daily_cap_of_two_exactly() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya-data").await;
        let day = [
            period(CapKind::Day, "2030-03-04T00:00:00Z", "2030-03-05T00:00:00Z", 2),
            period(CapKind::Month, "2030-03-01T00:00:00Z", "2030-04-01T00:00:00Z", 100),
        ];
        let mut bookings = Vec::new();
        for n in 0..20 {
            let who = seeker(&*store, &format!("seeker{n}@example.org")).await;
            // Separate half hours of the same day, so only the daily cap can refuse.
            let start = at("2030-03-04T06:00:00Z") + SignedDuration::from_mins(30 * n);
            let pending = request(&*store, who.id, priya.id, &[start], at("2030-02-01T00:00:00Z")).await;
            bookings.push(capped(pending.id, start, &day, false));
        }
        let tasks: Vec<_> = bookings
            .into_iter()
            .map(|booking| {
                let store: Arc<dyn Store> = Arc::clone(&store.store);
                tokio::spawn(async move { store.accept_request(booking).await })
            })
            .collect();
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.unwrap());
        }
        assert_eq!(results.iter().filter(|result| result.is_ok()).count(), 2);
        assert!(
            results
                .iter()
                .all(|result| matches!(result, Ok(_) | Err(StoreError::Conflict(Conflict::CapReached(CapKind::Day))))),
            "{results:?}"
        );
        let booked = store.bookings(priya.id, at("2030-03-04T00:00:00Z"), at("2030-03-05T00:00:00Z")).await.unwrap();
        assert_eq!(booked.len(), 2);
    }
}
