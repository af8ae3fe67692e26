//! Moving an interview atomically, single-purpose link tokens and calendar feed tokens.

use coffeechat_domain::{AccountId, Email, InterviewId, InterviewStatus};
use coffeechat_store::{
    CapKind, CapPeriod, Conflict, FeedTokenRecord, InterviewRecord, LinkAction, NewActionToken, NewOutboxMessage,
    OutboxStatus, RescheduleBooking, StoreError,
};
use jiff::Timestamp;

use crate::support::{TestStore, at, backends, booking, host, minutes, request, seeker};

async fn booked(store: &TestStore, host: AccountId, email: &str, start: Timestamp) -> InterviewRecord {
    let who = seeker(&**store, email).await;
    let pending = request(&**store, who.id, host, &[start], at("2030-02-01T00:00:00Z")).await;
    store.accept_request(booking(pending.id, start, 0, 100)).await.unwrap()
}

fn token(hash: &str, interview: &InterviewRecord, action: LinkAction, sequence: i32) -> NewActionToken {
    NewActionToken {
        token_hash: hash.into(),
        interview_id: interview.id,
        account_id: interview.seeker.id,
        action,
        sequence,
    }
}

fn notice(interview: &InterviewRecord, tokens: Vec<NewActionToken>) -> NewOutboxMessage {
    NewOutboxMessage {
        kind: "interview_rescheduled".into(),
        recipient_email: interview.seeker.email.clone(),
        recipient_name: interview.seeker.name.clone(),
        subject: "Moved".into(),
        body_text: "Your conversation moved".into(),
        body_html: None,
        calendar: None,
        dedupe_key: Some(format!("interview:{}:seq:{}:seeker", interview.id, interview.ical_sequence + 1)),
        tokens,
    }
}

/// A move of `interview` to a 30-minute slot at `start`, no buffer, a monthly cap of `cap` (March 2030).
fn moving(interview: &InterviewRecord, start: Timestamp, cap: u32) -> RescheduleBooking {
    RescheduleBooking {
        interview_id: interview.id,
        expected_sequence: interview.ical_sequence,
        start,
        end: start + minutes(30),
        conflict_from: start,
        conflict_to: start + minutes(30),
        caps: vec![CapPeriod {
            kind: CapKind::Month,
            from: at("2030-03-01T00:00:00Z"),
            to: at("2030-04-01T00:00:00Z"),
            cap,
        }],
        count_pending: false,
        used_token_hash: None,
        messages: Vec::new(),
        at: at("2030-02-25T08:00:00Z"),
    }
}

#[tokio::test]
async fn a_move_keeps_the_uid_raises_the_sequence_and_queues_its_notices_atomically() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya-data").await;
        let interview = booked(&store, priya.id, "ada@example.org", at("2030-03-04T12:30:00Z")).await;
        let new_start = at("2030-03-04T12:45:00Z");

        // Overlapping its own old time is fine; the notices and their links are written with the move.
        let mut change = moving(&interview, new_start, 1);
        change.messages = vec![notice(&interview, vec![token("new-cancel", &interview, LinkAction::Cancel, 1)])];
        let moved = store.reschedule_interview(change).await.unwrap();
        assert_eq!((moved.start, moved.end), (new_start, new_start + minutes(30)));
        assert_eq!((moved.ical_uid.as_str(), moved.ical_sequence), (interview.ical_uid.as_str(), 1));
        assert_eq!(moved.status, InterviewStatus::Scheduled);
        let queued = store.outbox_messages(Some(OutboxStatus::Queued), 10).await.unwrap();
        assert_eq!(queued.len(), 1);
        assert_eq!(store.action_token("new-cancel").await.unwrap().unwrap().sequence, 1);

        // A second move based on the old sequence is refused and writes nothing.
        let mut stale = moving(&interview, at("2030-03-11T12:30:00Z"), 5);
        stale.messages = vec![notice(&interview, vec![token("stale", &interview, LinkAction::Cancel, 1)])];
        let refused = store.reschedule_interview(stale).await;
        assert!(matches!(refused, Err(StoreError::Conflict(Conflict::StateChanged))), "{refused:?}");
        assert!(store.action_token("stale").await.unwrap().is_none());
        assert_eq!(store.interview(interview.id).await.unwrap().unwrap().start, new_start);

        let stale_again = store.reschedule_interview(moving(&interview, new_start, 5)).await;
        assert!(matches!(stale_again, Err(StoreError::Conflict(Conflict::StateChanged))), "{stale_again:?}");
        let mut unknown = moving(&interview, new_start, 5);
        unknown.interview_id = InterviewId(999);
        assert!(matches!(store.reschedule_interview(unknown).await, Err(StoreError::NotFound)));
    }
}

#[tokio::test]
async fn other_interviews_and_full_periods_refuse_a_move_and_nothing_is_queued() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya-data").await;
        let mine = booked(&store, priya.id, "ada@example.org", at("2030-03-04T12:30:00Z")).await;
        booked(&store, priya.id, "bo@example.org", at("2030-03-11T12:30:00Z")).await;

        let mut onto_other = moving(&mine, at("2030-03-11T12:45:00Z"), 10);
        onto_other.messages = vec![notice(&mine, Vec::new())];
        let taken = store.reschedule_interview(onto_other).await;
        assert!(matches!(taken, Err(StoreError::Conflict(Conflict::SlotTaken))), "{taken:?}");
        assert_eq!(store.outbox_counts().await.unwrap().queued, 0);

        // Two interviews in March under a cap of 2: moving within March is fine (it does not count itself)...
        store.reschedule_interview(moving(&mine, at("2030-03-18T12:30:00Z"), 2)).await.unwrap();
        let mine = store.interview(mine.id).await.unwrap().unwrap();
        // ...but a week capped at 1 that already holds the other interview is full.
        let mut into_full_week = moving(&mine, at("2030-03-12T12:30:00Z"), 10);
        into_full_week.caps.push(CapPeriod {
            kind: CapKind::Week,
            from: at("2030-03-11T00:00:00Z"),
            to: at("2030-03-18T00:00:00Z"),
            cap: 1,
        });
        let full = store.reschedule_interview(into_full_week).await;
        assert!(matches!(full, Err(StoreError::Conflict(Conflict::CapReached(CapKind::Week)))), "{full:?}");
    }
}

#[tokio::test]
async fn cancelled_interviews_cannot_move_and_a_used_link_cannot_move_twice() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya-data").await;
        let interview = booked(&store, priya.id, "ada@example.org", at("2030-03-04T12:30:00Z")).await;
        let message = notice(&interview, vec![token("link", &interview, LinkAction::Reschedule, 0)]);
        store.enqueue_messages(vec![message], at("2030-02-20T12:00:00Z")).await.unwrap();

        let mut change = moving(&interview, at("2030-03-11T12:30:00Z"), 5);
        change.used_token_hash = Some("link".into());
        let moved = store.reschedule_interview(change.clone()).await.unwrap();
        let link = store.action_token("link").await.unwrap().unwrap();
        assert_eq!(link.used_at, Some(at("2030-02-25T08:00:00Z")));
        change.expected_sequence = moved.ical_sequence;
        let reused = store.reschedule_interview(change).await;
        assert!(matches!(reused, Err(StoreError::Conflict(Conflict::StateChanged))), "{reused:?}");

        let cancelled =
            store.cancel_interview(interview.id, priya.id, "Ill", at("2030-02-26T00:00:00Z")).await.unwrap();
        let refused = store.reschedule_interview(moving(&cancelled, at("2030-03-18T12:30:00Z"), 5)).await;
        assert!(matches!(refused, Err(StoreError::Conflict(Conflict::StateChanged))), "{refused:?}");
    }
}

#[tokio::test]
async fn link_tokens_are_stored_with_their_message_and_used_once() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya-data").await;
        let interview = booked(&store, priya.id, "ada@example.org", at("2030-03-04T12:30:00Z")).await;
        let message = notice(&interview, vec![token("cancel-hash", &interview, LinkAction::Cancel, 0)]);
        store.enqueue_messages(vec![message.clone()], at("2030-02-20T12:00:00Z")).await.unwrap();
        // Queued again under the same key: skipped, and so is its new token.
        let mut again = message;
        again.tokens = vec![token("second-hash", &interview, LinkAction::Cancel, 0)];
        assert!(store.enqueue_messages(vec![again], at("2030-02-20T12:00:00Z")).await.unwrap().is_empty());
        assert!(store.action_token("second-hash").await.unwrap().is_none());

        let link = store.action_token("cancel-hash").await.unwrap().unwrap();
        assert_eq!((link.interview_id, link.account_id), (interview.id, interview.seeker.id));
        assert_eq!((link.action, link.sequence, link.used_at), (LinkAction::Cancel, 0, None));
        assert!(store.use_action_token("cancel-hash", at("2030-02-21T00:00:00Z")).await.unwrap());
        assert!(!store.use_action_token("cancel-hash", at("2030-02-22T00:00:00Z")).await.unwrap());
        assert!(!store.use_action_token("nope", at("2030-02-22T00:00:00Z")).await.unwrap());
        assert_eq!(store.action_token("cancel-hash").await.unwrap().unwrap().used_at, Some(at("2030-02-21T00:00:00Z")));

        // A token for an interview that does not exist is refused, and its message with it.
        let mut orphan = notice(&interview, Vec::new());
        orphan.dedupe_key = None;
        orphan.tokens =
            vec![NewActionToken { interview_id: InterviewId(999), ..token("x", &interview, LinkAction::Cancel, 0) }];
        let refused = store.enqueue_messages(vec![orphan], at("2030-02-20T12:00:00Z")).await;
        assert!(matches!(refused, Err(StoreError::NotFound)), "{refused:?}");
        assert_eq!(store.outbox_counts().await.unwrap().queued, 1);
    }
}

#[tokio::test]
async fn feed_tokens_are_replaced_and_revoked() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let ada = seeker(&*store, "ada@example.org").await;
        assert!(store.feed_token(ada.id).await.unwrap().is_none());
        let first =
            FeedTokenRecord { nonce: "n1".into(), token_hash: "h1".into(), created_at: at("2030-01-01T00:00:00Z") };
        store.put_feed_token(ada.id, &first).await.unwrap();
        assert_eq!(store.feed_token(ada.id).await.unwrap(), Some(first));
        assert_eq!(
            store.account_by_feed_token("h1").await.unwrap().map(|a| a.email),
            Some(Email::parse("ada@example.org").unwrap())
        );

        let second =
            FeedTokenRecord { nonce: "n2".into(), token_hash: "h2".into(), created_at: at("2030-01-02T00:00:00Z") };
        store.put_feed_token(ada.id, &second).await.unwrap();
        assert!(store.account_by_feed_token("h1").await.unwrap().is_none(), "the old URL stops working");
        assert_eq!(store.account_by_feed_token("h2").await.unwrap().map(|a| a.id), Some(ada.id));

        assert!(store.delete_feed_token(ada.id).await.unwrap());
        assert!(!store.delete_feed_token(ada.id).await.unwrap());
        assert!(store.account_by_feed_token("h2").await.unwrap().is_none());
        let nobody = store.put_feed_token(AccountId(999), &second).await;
        assert!(matches!(nobody, Err(StoreError::NotFound)), "{nobody:?}");
    }
}
