//! Requests: creation, who sees them, and the changes a pending request can go through.

use coffeechat_domain::{AccountId, DeclineReason, MeetingLength, RequestId, RequestStatus};
use coffeechat_store::{Conflict, NewRequestRecord, RequestChange, StoreError};

use crate::support::{at, backends, host, request, seeker};

#[tokio::test]
async fn a_request_is_stored_with_both_parties_and_the_hosts_handle() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let ada = seeker(&*store, "ada@example.org").await;
        let priya = host(&*store, "priya-data").await;
        let starts = [at("2030-03-04T12:30:00Z"), at("2030-03-05T12:30:00Z")];
        let created = request(&*store, ada.id, priya.id, &starts, at("2030-02-20T09:00:00Z")).await;

        assert_eq!(created.seeker.id, ada.id);
        assert_eq!(created.seeker.email, ada.email);
        assert_eq!(created.host.id, priya.id);
        assert_eq!(created.host.name, "Host priya-data");
        assert_eq!(created.host.time_zone.as_str(), "Europe/Berlin");
        assert_eq!(created.host_handle.as_str(), "priya-data");
        assert_eq!(created.length, MeetingLength::Min30);
        assert_eq!(created.proposed_starts, starts);
        assert_eq!(created.topics, ["Data", "Career change"]);
        assert_eq!(created.questions, ["What surprised you?"]);
        assert_eq!(created.status, RequestStatus::Pending);
        assert_eq!((created.decline_reason, created.decline_message.clone(), created.interview_id), (None, None, None));
        assert_eq!(created.created_at, at("2030-02-20T09:00:00Z"));
        assert_eq!(created.updated_at, created.created_at);

        let read = store.request(created.id).await.unwrap().unwrap();
        assert_eq!(read.id, created.id);
        assert_eq!(read.purpose, created.purpose);
        assert!(store.request(RequestId(9999)).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn a_request_to_a_missing_account_or_one_without_a_profile_is_refused() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let ada = seeker(&*store, "ada@example.org").await;
        let bob = seeker(&*store, "bob@example.org").await;
        for host_id in [AccountId(4242), bob.id] {
            let result = store
                .create_request(NewRequestRecord {
                    seeker_id: ada.id,
                    host_id,
                    length: MeetingLength::Min20,
                    proposed_starts: vec![at("2030-03-04T12:30:00Z")],
                    purpose: "Hello".into(),
                    topics: vec![],
                    questions: vec![],
                    created_at: at("2030-02-20T09:00:00Z"),
                    expires_at: at("2030-03-06T09:00:00Z"),
                })
                .await;
            assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
        }
        assert!(store.requests_for(ada.id).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn each_side_sees_its_own_requests_newest_first() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let ada = seeker(&*store, "ada@example.org").await;
        let bob = seeker(&*store, "bob@example.org").await;
        let outsider = seeker(&*store, "eve@example.org").await;
        let priya = host(&*store, "priya-data").await;
        let omar = host(&*store, "omar-bank").await;
        let slot = [at("2030-03-04T12:30:00Z")];
        let first = request(&*store, ada.id, priya.id, &slot, at("2030-02-01T09:00:00Z")).await;
        let second = request(&*store, bob.id, priya.id, &slot, at("2030-02-02T09:00:00Z")).await;
        let third = request(&*store, ada.id, omar.id, &slot, at("2030-02-03T09:00:00Z")).await;

        let ids = |records: Vec<coffeechat_store::RequestRecord>| records.into_iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(ids(store.requests_for(ada.id).await.unwrap()), [third.id, first.id]);
        assert_eq!(ids(store.requests_for(priya.id).await.unwrap()), [second.id, first.id]);
        assert_eq!(ids(store.requests_for(omar.id).await.unwrap()), [third.id]);
        assert!(store.requests_for(outsider.id).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_host_declines_with_a_reason_and_an_optional_message() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let ada = seeker(&*store, "ada@example.org").await;
        let priya = host(&*store, "priya-data").await;
        let slot = [at("2030-03-04T12:30:00Z")];
        let with_message = request(&*store, ada.id, priya.id, &slot, at("2030-02-01T09:00:00Z")).await;
        let without_message = request(&*store, ada.id, priya.id, &slot, at("2030-02-01T09:00:00Z")).await;

        let declined = store
            .change_request(
                with_message.id,
                RequestChange::Decline { reason: DeclineReason::NotMyArea, message: " Try Omar. ".into() },
                at("2030-02-02T10:00:00Z"),
            )
            .await
            .unwrap();
        assert_eq!(declined.status, RequestStatus::Declined);
        assert_eq!(declined.decline_reason, Some(DeclineReason::NotMyArea));
        assert_eq!(declined.decline_message.as_deref(), Some("Try Omar."));
        assert_eq!(declined.updated_at, at("2030-02-02T10:00:00Z"));
        assert_eq!(declined.created_at, at("2030-02-01T09:00:00Z"));

        let declined = store
            .change_request(
                without_message.id,
                RequestChange::Decline { reason: DeclineReason::NoCapacity, message: "  ".into() },
                at("2030-02-02T10:00:00Z"),
            )
            .await
            .unwrap();
        assert_eq!(declined.decline_reason, Some(DeclineReason::NoCapacity));
        assert_eq!(declined.decline_message, None);
        assert_eq!(store.request(declined.id).await.unwrap().unwrap().status, RequestStatus::Declined);
    }
}

#[tokio::test]
async fn withdraw_and_expire_close_a_pending_request_once() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let ada = seeker(&*store, "ada@example.org").await;
        let priya = host(&*store, "priya-data").await;
        let slot = [at("2030-03-04T12:30:00Z")];
        let withdrawn = request(&*store, ada.id, priya.id, &slot, at("2030-02-01T09:00:00Z")).await;
        let expired = request(&*store, ada.id, priya.id, &slot, at("2030-02-01T09:00:00Z")).await;
        let when = at("2030-02-03T00:00:00Z");

        let changed = store.change_request(withdrawn.id, RequestChange::Withdraw, when).await.unwrap();
        assert_eq!(changed.status, RequestStatus::Withdrawn);
        assert_eq!(changed.decline_reason, None);
        let changed = store.change_request(expired.id, RequestChange::Expire, when).await.unwrap();
        assert_eq!(changed.status, RequestStatus::Expired);

        // Whoever comes second finds the request already closed, and nothing changes.
        for change in [
            RequestChange::Withdraw,
            RequestChange::Expire,
            RequestChange::Decline { reason: DeclineReason::Timing, message: String::new() },
        ] {
            let again = store.change_request(withdrawn.id, change, when).await;
            assert!(matches!(again, Err(StoreError::Conflict(Conflict::StateChanged))), "{again:?}");
        }
        assert_eq!(store.request(withdrawn.id).await.unwrap().unwrap().status, RequestStatus::Withdrawn);

        let missing = store.change_request(RequestId(31337), RequestChange::Withdraw, when).await;
        assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    }
}
