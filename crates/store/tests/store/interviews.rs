//! Accepting a request (with the overlap and monthly-cap rules), bookings for the slot engine, and
//! cancelling.

use coffeechat_domain::{InterviewId, InterviewStatus, MeetingLength, RequestId, RequestStatus};
use coffeechat_store::{Booking, CapKind, Conflict, InterviewRecord, StoreError};
use jiff::Timestamp;

use crate::support::{TestStore, at, backends, booking, host, minutes, request, seeker};

/// Books a 30-minute interview for a new seeker with `host` at `start`, with no buffer and a high cap.
async fn booked(
    store: &TestStore,
    host: coffeechat_domain::AccountId,
    email: &str,
    start: Timestamp,
) -> InterviewRecord {
    let who = seeker(&**store, email).await;
    let pending = request(&**store, who.id, host, &[start], at("2030-02-01T00:00:00Z")).await;
    store.accept_request(booking(pending.id, start, 0, 100)).await.unwrap()
}

#[tokio::test]
async fn accepting_books_the_slot_and_closes_the_request() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let ada = seeker(&*store, "ada@example.org").await;
        let priya = host(&*store, "priya-data").await;
        let start = at("2030-03-04T12:30:00Z");
        let pending =
            request(&*store, ada.id, priya.id, &[at("2030-03-04T11:00:00Z"), start], at("2030-02-01T09:00:00Z")).await;

        let interview = store.accept_request(booking(pending.id, start, 10, 4)).await.unwrap();
        assert_eq!(interview.request_id, pending.id);
        assert_eq!((interview.seeker.id, interview.host.id), (ada.id, priya.id));
        assert_eq!(interview.host_handle.as_str(), "priya-data");
        assert_eq!((interview.start, interview.end), (start, start + minutes(30)));
        assert_eq!(interview.length, MeetingLength::Min30);
        assert_eq!(interview.status, InterviewStatus::Scheduled);
        assert_eq!(interview.purpose, pending.purpose);
        assert_eq!(interview.topics, pending.topics);
        assert_eq!(interview.questions, pending.questions);
        assert_eq!((interview.cancel_reason.clone(), interview.cancelled_by), (None, None));
        assert_eq!(interview.ical_sequence, 0);
        assert!(interview.ical_uid.ends_with("@coffeechat"), "{}", interview.ical_uid);
        assert_eq!(interview.created_at, at("2030-02-20T12:00:00Z"));

        let accepted = store.request(pending.id).await.unwrap().unwrap();
        assert_eq!(accepted.status, RequestStatus::Accepted);
        assert_eq!(accepted.interview_id, Some(interview.id));
        assert_eq!(accepted.updated_at, at("2030-02-20T12:00:00Z"));

        let read = store.interview(interview.id).await.unwrap().unwrap();
        assert_eq!(read.ical_uid, interview.ical_uid);
        assert!(store.interview(InterviewId(999)).await.unwrap().is_none());

        let again = store.accept_request(booking(pending.id, start, 10, 4)).await;
        assert!(matches!(again, Err(StoreError::Conflict(Conflict::StateChanged))), "{again:?}");
        let missing = store.accept_request(booking(RequestId(999), start, 10, 4)).await;
        assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    }
}

#[tokio::test]
async fn a_closed_request_cannot_be_accepted() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let ada = seeker(&*store, "ada@example.org").await;
        let priya = host(&*store, "priya-data").await;
        let start = at("2030-03-04T12:30:00Z");
        let pending = request(&*store, ada.id, priya.id, &[start], at("2030-02-01T09:00:00Z")).await;
        store.change_request(pending.id, coffeechat_store::RequestChange::Withdraw, start).await.unwrap();

        let result = store.accept_request(booking(pending.id, start, 0, 4)).await;
        assert!(matches!(result, Err(StoreError::Conflict(Conflict::StateChanged))), "{result:?}");
        assert!(
            store.bookings(priya.id, at("2030-03-01T00:00:00Z"), at("2030-04-01T00:00:00Z")).await.unwrap().is_empty()
        );
    }
}

#[tokio::test]
async fn buffers_widen_the_overlap_check_on_both_sides() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya-data").await;
        // Existing interview 12:00–12:30.
        booked(&store, priya.id, "first@example.org", at("2030-03-04T12:00:00Z")).await;
        let ada = seeker(&*store, "ada@example.org").await;

        // 12:30–13:00 touches the existing one: fine without a buffer, refused with a 10-minute buffer.
        let touching = at("2030-03-04T12:30:00Z");
        // 11:20–11:50 ends 10 minutes before it starts: exactly the buffer, so it is allowed.
        let earlier = at("2030-03-04T11:20:00Z");
        // 11:25–11:55 leaves only 5 minutes.
        let too_close = at("2030-03-04T11:25:00Z");
        let request_at = async |start| request(&*store, ada.id, priya.id, &[start], at("2030-02-01T09:00:00Z")).await;

        let refused = request_at(touching).await;
        let result = store.accept_request(booking(refused.id, touching, 10, 100)).await;
        assert!(matches!(result, Err(StoreError::Conflict(Conflict::SlotTaken))), "{result:?}");
        // The refusal left the request pending and wrote no interview.
        assert_eq!(store.request(refused.id).await.unwrap().unwrap().status, RequestStatus::Pending);

        let result = store.accept_request(booking(request_at(too_close).await.id, too_close, 10, 100)).await;
        assert!(matches!(result, Err(StoreError::Conflict(Conflict::SlotTaken))), "{result:?}");

        store.accept_request(booking(request_at(earlier).await.id, earlier, 10, 100)).await.unwrap();
        store.accept_request(booking(refused.id, touching, 0, 100)).await.unwrap();

        let day = store.bookings(priya.id, at("2030-03-04T00:00:00Z"), at("2030-03-05T00:00:00Z")).await.unwrap();
        let starts: Vec<_> = day.iter().map(|b| b.start).collect();
        assert_eq!(starts, [earlier, at("2030-03-04T12:00:00Z"), touching]);
    }
}

#[tokio::test]
async fn another_hosts_interview_does_not_block_the_slot() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya-data").await;
        let omar = host(&*store, "omar-bank").await;
        let start = at("2030-03-04T12:00:00Z");
        booked(&store, priya.id, "first@example.org", start).await;
        booked(&store, omar.id, "second@example.org", start).await;
    }
}

#[tokio::test]
async fn the_monthly_cap_counts_active_interviews_starting_in_the_month() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya-data").await;
        let ada = seeker(&*store, "ada@example.org").await;
        // Two in March; one on the last evening of February that ends in March does not count.
        let first = booked(&store, priya.id, "one@example.org", at("2030-03-04T12:00:00Z")).await;
        booked(&store, priya.id, "two@example.org", at("2030-03-11T12:00:00Z")).await;
        booked(&store, priya.id, "feb@example.org", at("2030-02-28T23:45:00Z")).await;

        let third = at("2030-03-18T12:00:00Z");
        let pending = request(&*store, ada.id, priya.id, &[third], at("2030-02-01T09:00:00Z")).await;
        let result = store.accept_request(booking(pending.id, third, 0, 2)).await;
        assert!(matches!(result, Err(StoreError::Conflict(Conflict::CapReached(CapKind::Month)))), "{result:?}");

        // A cancelled interview gives its place back.
        store.cancel_interview(first.id, priya.id, "Unwell", at("2030-03-01T08:00:00Z")).await.unwrap();
        let interview = store.accept_request(booking(pending.id, third, 0, 2)).await.unwrap();
        assert_eq!(interview.start, third);
    }
}

#[tokio::test]
async fn a_cancelled_interview_frees_its_slot() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya-data").await;
        let start = at("2030-03-04T12:00:00Z");
        let first = booked(&store, priya.id, "one@example.org", start).await;
        store.cancel_interview(first.id, priya.id, "Conflict at work", at("2030-03-01T08:00:00Z")).await.unwrap();
        let second = booked(&store, priya.id, "two@example.org", start).await;
        assert_ne!(second.ical_uid, first.ical_uid);
    }
}

#[tokio::test]
async fn bookings_are_the_active_interviews_overlapping_the_range() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya-data").await;
        let omar = host(&*store, "omar-bank").await;
        let nina = host(&*store, "nina-nurse").await;
        booked(&store, priya.id, "a@example.org", at("2030-03-04T09:00:00Z")).await;
        booked(&store, priya.id, "b@example.org", at("2030-03-04T11:50:00Z")).await;
        booked(&store, priya.id, "c@example.org", at("2030-03-04T13:00:00Z")).await;
        let cancelled = booked(&store, priya.id, "d@example.org", at("2030-03-04T12:20:00Z")).await;
        store.cancel_interview(cancelled.id, priya.id, "Sorry", at("2030-03-01T08:00:00Z")).await.unwrap();
        booked(&store, omar.id, "e@example.org", at("2030-03-04T12:00:00Z")).await;

        // [12:00, 13:00): 11:50–12:20 overlaps; 13:00–13:30 only touches the end; the cancelled one is free.
        let range = (at("2030-03-04T12:00:00Z"), at("2030-03-04T13:00:00Z"));
        let priyas = store.bookings(priya.id, range.0, range.1).await.unwrap();
        assert_eq!(priyas, [Booking { start: at("2030-03-04T11:50:00Z"), end: at("2030-03-04T12:20:00Z") }]);

        let whole_day = store.bookings(priya.id, at("2030-03-04T00:00:00Z"), at("2030-03-05T00:00:00Z")).await.unwrap();
        assert_eq!(whole_day.len(), 3);
        assert!(whole_day.windows(2).all(|pair| pair[0].start < pair[1].start));

        let many = store.bookings_for_hosts(&[priya.id, omar.id, nina.id], range.0, range.1).await.unwrap();
        assert_eq!(
            many,
            [
                (priya.id, Booking { start: at("2030-03-04T11:50:00Z"), end: at("2030-03-04T12:20:00Z") }),
                (omar.id, Booking { start: at("2030-03-04T12:00:00Z"), end: at("2030-03-04T12:30:00Z") }),
            ]
        );
        assert!(store.bookings_for_hosts(&[], range.0, range.1).await.unwrap().is_empty());
        assert!(store.bookings_for_hosts(&[nina.id], range.0, range.1).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn cancelling_records_who_and_why_and_raises_the_sequence_once() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya-data").await;
        let interview = booked(&store, priya.id, "ada@example.org", at("2030-03-04T12:00:00Z")).await;

        let when = at("2030-03-02T08:00:00Z");
        let cancelled = store.cancel_interview(interview.id, interview.seeker.id, "Got the job!", when).await.unwrap();
        assert_eq!(cancelled.status, InterviewStatus::Cancelled);
        assert_eq!(cancelled.cancel_reason.as_deref(), Some("Got the job!"));
        assert_eq!(cancelled.cancelled_by, Some(interview.seeker.id));
        assert_eq!(cancelled.ical_sequence, 1);
        assert_eq!(cancelled.ical_uid, interview.ical_uid);

        let again = store.cancel_interview(interview.id, priya.id, "Me too", when).await;
        assert!(matches!(again, Err(StoreError::Conflict(Conflict::StateChanged))), "{again:?}");
        let unchanged = store.interview(interview.id).await.unwrap().unwrap();
        assert_eq!((unchanged.ical_sequence, unchanged.cancelled_by), (1, Some(interview.seeker.id)));

        let missing = store.cancel_interview(InterviewId(404), priya.id, "Why", when).await;
        assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    }
}

#[tokio::test]
async fn each_side_sees_its_interviews_by_start_time() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya-data").await;
        let omar = host(&*store, "omar-bank").await;
        let late = booked(&store, priya.id, "late@example.org", at("2030-03-20T12:00:00Z")).await;
        let early = booked(&store, priya.id, "early@example.org", at("2030-03-04T12:00:00Z")).await;
        let elsewhere = booked(&store, omar.id, "other@example.org", at("2030-03-10T12:00:00Z")).await;

        let ids = |records: Vec<InterviewRecord>| records.into_iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(ids(store.interviews_for(priya.id).await.unwrap()), [early.id, late.id]);
        assert_eq!(ids(store.interviews_for(early.seeker.id).await.unwrap()), [early.id]);
        assert_eq!(ids(store.interviews_for(omar.id).await.unwrap()), [elsewhere.id]);
    }
}
