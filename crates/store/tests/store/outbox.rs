//! The outbox: queueing with deduplication, atomic claims with a lease, retries, failure and stale claims.

use std::collections::HashSet;

use coffeechat_domain::Email;
use coffeechat_store::{CalendarMethod, CalendarPart, Conflict, NewOutboxMessage, OutboxId, OutboxStatus, StoreError};
use jiff::Timestamp;

use crate::support::{at, backends, minutes};

fn message(to: &str, dedupe_key: Option<&str>) -> NewOutboxMessage {
    NewOutboxMessage {
        kind: "request_sent".into(),
        recipient_email: Email::parse(to).unwrap(),
        recipient_name: "Priya Raman".into(),
        subject: "A new request".into(),
        body_text: "Hello Priya".into(),
        body_html: None,
        calendar: None,
        dedupe_key: dedupe_key.map(str::to_owned),
        tokens: Vec::new(),
    }
}

const NOW: &str = "2030-03-01T09:00:00Z";

#[tokio::test]
async fn queued_messages_keep_every_part_and_duplicates_are_skipped() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let mut invitation = message("Ada@Example.org", Some("interview:1:seq:0:seeker"));
        invitation.body_html = Some("<p>Hello</p>".into());
        invitation.calendar = Some(CalendarPart { method: CalendarMethod::Request, ics: "BEGIN:VCALENDAR\r\n".into() });
        let queued =
            store.enqueue_messages(vec![invitation.clone(), message("b@example.org", None)], at(NOW)).await.unwrap();
        assert_eq!(queued.len(), 2);

        let read = store.outbox_message(queued[0]).await.unwrap().unwrap();
        assert_eq!(read.recipient_email.as_str(), "ada@example.org");
        assert_eq!(read.body_html.as_deref(), Some("<p>Hello</p>"));
        assert_eq!(read.calendar, invitation.calendar);
        assert_eq!(read.status, OutboxStatus::Queued);
        assert_eq!((read.attempts, read.next_attempt_at, read.sent_at), (0, at(NOW), None));
        assert_eq!(read.dedupe_key.as_deref(), Some("interview:1:seq:0:seeker"));

        // The same key again (a retried request) queues nothing; messages without a key never collide.
        let again = store.enqueue_messages(vec![invitation, message("b@example.org", None)], at(NOW)).await.unwrap();
        assert_eq!(again.len(), 1);
        assert_eq!(store.outbox_counts().await.unwrap().queued, 3);
        assert!(store.outbox_message(OutboxId(999)).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn claims_take_the_longest_due_message_once_and_only_when_due() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let first = store.enqueue_messages(vec![message("a@example.org", None)], at(NOW)).await.unwrap()[0];
        let later =
            store.enqueue_messages(vec![message("b@example.org", None)], at(NOW) + minutes(10)).await.unwrap()[0];

        let lease = at(NOW) + minutes(5);
        let claimed = store.claim_next_message(at(NOW), lease).await.unwrap().unwrap();
        assert_eq!(claimed.id, first);
        assert_eq!((claimed.status, claimed.attempts, claimed.next_attempt_at), (OutboxStatus::Sending, 1, lease));
        // The other one is not due yet, and the first is taken.
        assert!(store.claim_next_message(at(NOW), lease).await.unwrap().is_none());
        let second = store.claim_next_message(at(NOW) + minutes(10), lease).await.unwrap().unwrap();
        assert_eq!(second.id, later);

        store.mark_message_sent(first, at(NOW) + minutes(1)).await.unwrap();
        let sent = store.outbox_message(first).await.unwrap().unwrap();
        assert_eq!((sent.status, sent.sent_at), (OutboxStatus::Sent, Some(at(NOW) + minutes(1))));
        // A finished message cannot be finished again.
        let twice = store.mark_message_sent(first, at(NOW)).await;
        assert!(matches!(twice, Err(StoreError::Conflict(Conflict::StateChanged))), "{twice:?}");
        let missing = store.mark_message_failed(OutboxId(999), "x", None).await;
        assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    }
}

#[tokio::test]
async fn failures_are_retried_later_then_left_failed_and_visible() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let id = store.enqueue_messages(vec![message("a@example.org", None)], at(NOW)).await.unwrap()[0];
        store.claim_next_message(at(NOW), at(NOW) + minutes(5)).await.unwrap().unwrap();
        let retry_at = at(NOW) + minutes(1);
        store.mark_message_failed(id, "connection refused", Some(retry_at)).await.unwrap();
        let queued = store.outbox_message(id).await.unwrap().unwrap();
        assert_eq!((queued.status, queued.next_attempt_at), (OutboxStatus::Queued, retry_at));
        assert_eq!(queued.last_error.as_deref(), Some("connection refused"));
        assert!(store.claim_next_message(at(NOW), at(NOW) + minutes(5)).await.unwrap().is_none(), "not due yet");

        let again = store.claim_next_message(retry_at, retry_at + minutes(5)).await.unwrap().unwrap();
        assert_eq!(again.attempts, 2);
        store.mark_message_failed(id, "mailbox unavailable", None).await.unwrap();
        let failed = store.outbox_messages(Some(OutboxStatus::Failed), 10).await.unwrap();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].last_error.as_deref(), Some("mailbox unavailable"));
        assert_eq!(store.outbox_counts().await.unwrap().failed, 1);
        // A failed message is never claimed again by itself.
        assert!(store.claim_next_message(at(NOW) + minutes(100_000), at(NOW)).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn stale_claims_are_given_back_or_failed_when_out_of_attempts() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let ids = store
            .enqueue_messages(vec![message("a@example.org", None), message("b@example.org", None)], at(NOW))
            .await
            .unwrap();
        let lease = at(NOW) + minutes(10);
        store.claim_next_message(at(NOW), lease).await.unwrap().unwrap();
        store.claim_next_message(at(NOW), lease).await.unwrap().unwrap();

        assert_eq!(store.release_stale_claims(at(NOW) + minutes(5), 6).await.unwrap(), 0, "leases still running");
        // With one attempt allowed, both claims (one attempt each) have used theirs up.
        assert_eq!(store.release_stale_claims(lease, 1).await.unwrap(), 2);
        let failed = store.outbox_message(ids[0]).await.unwrap().unwrap();
        assert_eq!(failed.status, OutboxStatus::Failed);
        assert!(failed.last_error.unwrap().contains("stopped while sending"));

        let other = store.enqueue_messages(vec![message("c@example.org", None)], at(NOW)).await.unwrap()[0];
        store.claim_next_message(at(NOW), lease).await.unwrap().unwrap();
        assert_eq!(store.release_stale_claims(lease, 6).await.unwrap(), 1);
        let queued = store.outbox_message(other).await.unwrap().unwrap();
        assert_eq!((queued.status, queued.next_attempt_at), (OutboxStatus::Queued, lease));
        // The late worker's report no longer counts.
        let late = store.mark_message_sent(other, lease).await;
        assert!(matches!(late, Err(StoreError::Conflict(Conflict::StateChanged))), "{late:?}");
    }
}

#[tokio::test]
async fn concurrent_claims_never_hand_out_a_message_twice() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let messages = (0..40).map(|n| message(&format!("m{n}@example.org"), None)).collect();
        let queued: HashSet<OutboxId> = store.enqueue_messages(messages, at(NOW)).await.unwrap().into_iter().collect();

        let mut claimers = Vec::new();
        for _ in 0..4 {
            let store = store.store.clone();
            claimers.push(tokio::spawn(async move {
                let mut mine = Vec::new();
                while let Some(claimed) = store.claim_next_message(at(NOW), at(NOW) + minutes(5)).await.unwrap() {
                    mine.push(claimed.id);
                }
                mine
            }));
        }
        let mut claimed = Vec::new();
        for claimer in claimers {
            claimed.extend(claimer.await.unwrap());
        }
        let distinct: HashSet<OutboxId> = claimed.iter().copied().collect();
        assert_eq!(claimed.len(), 40, "every message claimed once");
        assert_eq!(distinct, queued);
    }
}

#[tokio::test]
async fn old_sent_messages_are_pruned_and_the_rest_kept() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let ids = store
            .enqueue_messages(vec![message("a@example.org", None), message("b@example.org", None)], at(NOW))
            .await
            .unwrap();
        let claimed = store.claim_next_message(at(NOW), at(NOW) + minutes(5)).await.unwrap().unwrap();
        store.mark_message_sent(claimed.id, at(NOW)).await.unwrap();
        let later: Timestamp = at(NOW) + minutes(60);
        assert_eq!(store.delete_sent_messages(later).await.unwrap(), 1);
        assert!(store.outbox_message(ids[0]).await.unwrap().is_none());
        assert!(store.outbox_message(ids[1]).await.unwrap().is_some(), "queued messages are never pruned");
    }
}
