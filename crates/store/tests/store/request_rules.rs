//! Request rules, waitlists and notifications (issue 4): rules default and round-trip, findings and deadlines
//! kept with a request, open requests and past meetings for the gates, and the claims of the expiry,
//! reminder and promotion tasks, each made once even when two callers race.

use coffeechat_domain::etiquette::{Finding, Rule};
use coffeechat_domain::{EtiquetteMode, MeetingLength, Overflow, RequestRules, RequestStatus};
use coffeechat_store::{NewNotification, NewWaitlistEntry, StoreError, WaitlistStatus};

use crate::support::{at, backends, booking, host, request, seeker};

#[tokio::test]
async fn rules_default_until_saved_and_round_trip() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya").await;
        assert_eq!(store.request_rules(priya.id).await.unwrap(), RequestRules::default());
        let rules = RequestRules {
            etiquette_mode: EtiquetteMode::Block,
            min_questions: 5,
            overflow: Overflow::Decline,
            expiry_days: 10,
            max_open_requests: 2,
            response_days: 4,
        };
        store.put_request_rules(priya.id, &rules).await.unwrap();
        assert_eq!(store.request_rules(priya.id).await.unwrap(), rules);
        store.put_request_rules(priya.id, &RequestRules::default()).await.unwrap();
        assert_eq!(store.request_rules(priya.id).await.unwrap(), RequestRules::default());
        let missing = store.put_request_rules(coffeechat_domain::AccountId(4242), &rules).await;
        assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    }
}

#[tokio::test]
async fn findings_deadlines_and_open_requests_are_kept_per_request() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya").await;
        let leo = host(&*store, "leo").await;
        let ada = seeker(&*store, "ada@example.org").await;
        let sent = at("2030-02-20T09:00:00Z");
        let first = request(&*store, ada.id, priya.id, &[at("2030-03-04T12:30:00Z")], sent).await;
        assert!(store.request_findings(first.id).await.unwrap().is_empty());
        let findings = vec![Finding { text: "Hire me.".into(), rule: Rule::Pitching, suggestion: "Ask.".into() }];
        store.set_request_findings(first.id, &findings).await.unwrap();
        assert_eq!(store.request_findings(first.id).await.unwrap(), findings);
        let deadlines = store.request_deadlines(first.id).await.unwrap();
        assert_eq!(deadlines.expires_at, Some(at("2030-03-06T09:00:00Z")));
        assert_eq!(deadlines.reminded_at, None);

        request(&*store, ada.id, leo.id, &[at("2030-03-05T12:30:00Z")], sent).await;
        let open = store.open_requests(ada.id).await.unwrap();
        assert_eq!(open.count(), 2);
        assert!(open.pending_with.contains(&priya.id) && open.pending_with.contains(&leo.id));

        // An accepted request is no longer open, and once its time has passed it is a meeting held.
        let start = at("2030-03-04T12:30:00Z");
        store.accept_request(booking(first.id, start, 0, 4)).await.unwrap();
        assert_eq!(store.open_requests(ada.id).await.unwrap().count(), 1);
        assert!(store.past_meetings(ada.id, priya.id, at("2030-03-04T12:45:00Z")).await.unwrap().is_empty());
        let held = store.past_meetings(ada.id, priya.id, at("2030-03-04T13:00:00Z")).await.unwrap();
        assert_eq!(held.len(), 1);
        assert_eq!(held[0].end, at("2030-03-04T13:00:00Z"));
        // Accepted three hours after it was sent (the booking's `at`).
        let delays = store.answer_delays(priya.id, sent).await.unwrap();
        assert_eq!(delays, vec![jiff::SignedDuration::from_hours(3)]);
    }
}

#[tokio::test]
async fn reminders_and_expiries_are_claimed_once() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya").await;
        let sent = at("2030-02-20T09:00:00Z");
        let mut ids = Vec::new();
        for n in 0..3 {
            let ada = seeker(&*store, &format!("ada{n}@example.org")).await;
            ids.push(request(&*store, ada.id, priya.id, &[at("2030-03-04T12:30:00Z")], sent).await.id);
        }
        assert!(store.claim_due_reminders(at("2030-02-27T08:59:00Z"), 10).await.unwrap().is_empty());
        let half = at("2030-02-27T09:00:00Z");
        let (one, two) = tokio::join!(store.claim_due_reminders(half, 10), store.claim_due_reminders(half, 10));
        let mut claimed = [one.unwrap(), two.unwrap()].concat();
        claimed.sort();
        assert_eq!(claimed, ids, "each request reminded once");
        assert!(store.claim_due_reminders(at("2030-03-05T09:00:00Z"), 10).await.unwrap().is_empty());

        let due = at("2030-03-06T09:00:00Z");
        let (one, two) = tokio::join!(store.expire_due_requests(due, 2), store.expire_due_requests(due, 2));
        let mut expired = [one.unwrap(), two.unwrap()].concat();
        expired.extend(store.expire_due_requests(due, 2).await.unwrap());
        expired.sort();
        assert_eq!(expired, ids, "each request expired once");
        for id in ids {
            assert_eq!(store.request(id).await.unwrap().unwrap().status, RequestStatus::Expired);
        }
    }
}

fn entry(host: coffeechat_domain::AccountId, seeker: coffeechat_domain::AccountId, at_text: &str) -> NewWaitlistEntry {
    NewWaitlistEntry {
        host_id: host,
        seeker_id: seeker,
        status: WaitlistStatus::Waiting,
        length: MeetingLength::Min30,
        purpose: "Learn how you moved into data work".into(),
        topics: vec!["Career path".into()],
        questions: vec!["One?".into(), "Two?".into(), "Three?".into()],
        at: at(at_text),
    }
}

#[tokio::test]
async fn a_waitlist_keeps_order_offers_one_at_a_time_and_lapses_offers_once() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya").await;
        let ada = seeker(&*store, "ada@example.org").await;
        let bob = seeker(&*store, "bob@example.org").await;
        let cy = seeker(&*store, "cy@example.org").await;
        let first = store.add_to_waitlist(entry(priya.id, ada.id, "2030-02-20T09:00:00Z")).await.unwrap();
        let second = store.add_to_waitlist(entry(priya.id, bob.id, "2030-02-20T10:00:00Z")).await.unwrap();
        store.add_to_waitlist(entry(priya.id, cy.id, "2030-02-20T11:00:00Z")).await.unwrap();
        assert_eq!((first.position, second.position), (Some(1), Some(2)));
        assert_eq!(first.questions.len(), 3);
        assert_eq!(first.host_handle.as_str(), "priya");
        let twice = store.add_to_waitlist(entry(priya.id, ada.id, "2030-02-21T09:00:00Z")).await;
        assert!(matches!(twice, Err(StoreError::Conflict(_))), "one place per seeker and host: {twice:?}");
        assert_eq!(store.hosts_with_waitlist().await.unwrap(), vec![priya.id]);

        // Two promotions at once: one offer, to the first in line.
        let (now, until) = (at("2030-03-01T09:00:00Z"), at("2030-03-03T09:00:00Z"));
        let (one, two) = tokio::join!(store.offer_next(priya.id, now, until), store.offer_next(priya.id, now, until));
        let offers: Vec<_> = [one.unwrap(), two.unwrap()].into_iter().flatten().collect();
        assert_eq!(offers.len(), 1);
        assert_eq!((offers[0].id, offers[0].status), (first.id, WaitlistStatus::Offered));
        assert_eq!(store.open_offer(priya.id, now).await.unwrap().map(|offer| offer.id), Some(first.id));
        assert!(store.open_offer(priya.id, until).await.unwrap().is_none(), "over at its end");

        // The offer lapses once, and the next in line is offered.
        let (one, two) = tokio::join!(store.lapse_offers(until), store.lapse_offers(until));
        let lapsed = [one.unwrap(), two.unwrap()].concat();
        assert_eq!(lapsed.len(), 1);
        assert_eq!((lapsed[0].id, lapsed[0].status), (first.id, WaitlistStatus::Lapsed));
        let next = store.offer_next(priya.id, until, at("2030-03-05T09:00:00Z")).await.unwrap().unwrap();
        assert_eq!(next.id, second.id);
        assert_eq!(next.position, Some(1), "the line closed up");
        assert!(store.use_offer(priya.id, bob.id, at("2030-03-04T09:00:00Z")).await.unwrap());
        assert!(!store.use_offer(priya.id, bob.id, at("2030-03-04T09:00:00Z")).await.unwrap(), "used once");

        // Leaving: only one's own, only while in line.
        let cys = store.waitlist_of_seeker(cy.id).await.unwrap()[0].clone();
        assert!(matches!(store.leave_waitlist(cys.id, ada.id, now).await, Err(StoreError::NotFound)));
        assert_eq!(store.leave_waitlist(cys.id, cy.id, now).await.unwrap().status, WaitlistStatus::Left);
        assert!(matches!(store.leave_waitlist(cys.id, cy.id, now).await, Err(StoreError::Conflict(_))));
        assert!(store.waitlist_of_host(priya.id).await.unwrap().is_empty());
        assert!(store.hosts_with_waitlist().await.unwrap().is_empty());

        // A refusal of a host in decline mode is recorded, never in line.
        let refused = NewWaitlistEntry {
            status: WaitlistStatus::DeclinedFull,
            ..entry(priya.id, ada.id, "2030-03-01T10:00:00Z")
        };
        assert_eq!(store.add_to_waitlist(refused).await.unwrap().position, None);
        assert_eq!(store.declined_full_count(priya.id, at("2030-03-01T00:00:00Z")).await.unwrap(), 1);
        assert!(store.waitlist_of_host(priya.id).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn notifications_are_listed_newest_first_deduplicated_and_marked_read_by_their_owner() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let ada = seeker(&*store, "ada@example.org").await;
        let bob = seeker(&*store, "bob@example.org").await;
        let note = |text: &str, minute: &str, key: Option<&str>| NewNotification {
            account_id: ada.id,
            kind: "test".into(),
            text: text.into(),
            link: "/dashboard".into(),
            created_at: at(&format!("2030-03-01T09:{minute}:00Z")),
            dedupe_key: key.map(str::to_owned),
        };
        let first = store.add_notification(note("first", "00", Some("k1"))).await.unwrap().unwrap();
        assert!(store.add_notification(note("again", "01", Some("k1"))).await.unwrap().is_none(), "deduplicated");
        let second = store.add_notification(note("second", "02", None)).await.unwrap().unwrap();
        let listed = store.notifications(ada.id, 10).await.unwrap();
        assert_eq!(listed.iter().map(|n| n.id).collect::<Vec<_>>(), vec![second, first]);
        assert_eq!(store.unread_notifications(ada.id).await.unwrap(), 2);

        let read_at = at("2030-03-01T10:00:00Z");
        assert_eq!(store.mark_notifications_read(bob.id, &[first], read_at).await.unwrap(), 0, "not bob's");
        assert_eq!(store.mark_notifications_read(ada.id, &[first], read_at).await.unwrap(), 1);
        assert_eq!(store.mark_notifications_read(ada.id, &[], read_at).await.unwrap(), 1, "all the rest");
        assert_eq!(store.unread_notifications(ada.id).await.unwrap(), 0);
        assert_eq!(store.notifications(ada.id, 1).await.unwrap()[0].read_at, Some(read_at));
        let unknown = store
            .add_notification(NewNotification {
                account_id: coffeechat_domain::AccountId(999),
                ..note("x", "03", None)
            })
            .await;
        assert!(matches!(unknown, Err(StoreError::NotFound)), "{unknown:?}");
    }
}
