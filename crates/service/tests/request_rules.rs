//! Issue 4's request rules through [`Services`], with two worker *processes* on one database file (two stores,
//! two `Services`): expiry, the half-time reminder and waitlist promotion each happen once; and the outcomes of
//! `send_request` for a host with room, a full host with a waitlist, and a full host in decline mode.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod support;

use std::sync::Arc;

use coffeechat_domain::{HostProfileInput, NewRequestInput, PolicyInput, RequestRulesInput, RequestStatus};
use coffeechat_service::{Account, RequestOutcome, Services};
use coffeechat_store::{SqliteStore, Store, WaitlistStatus};
use jiff::SignedDuration;
use support::{Fresh, db_path, invalid, sign_up_input, ts, window};

async fn host(services: &Services, email: &str, handle: &str, monthly_cap: i64) -> Account {
    let host = services.sign_up(sign_up_input(email, handle, &["host"], "UTC")).await.unwrap();
    let profile = HostProfileInput {
        handle: handle.into(),
        name: handle.into(),
        headline: "Analyst".into(),
        role: "Analyst".into(),
        employer: String::new(),
        industry: "Health".into(),
        skills: vec!["SQL".into()],
        topics: vec![],
        career_path: String::new(),
    };
    services.put_host_profile(&host, profile).await.unwrap();
    let policy = PolicyInput {
        time_zone: "UTC".into(),
        lengths_minutes: vec![30],
        windows: ["mon", "tue", "wed", "thu", "fri"].iter().map(|day| window(day, "09:00", "10:00")).collect(),
        monthly_cap,
        buffer_minutes: 0,
        min_notice_hours: 0,
        horizon_days: 20,
        accepting: true,
        ..PolicyInput::default()
    };
    services.put_policy(&host, policy).await.unwrap();
    host
}

fn input(handle: &str, starts: &[&str]) -> NewRequestInput {
    NewRequestInput {
        host: handle.into(),
        length_minutes: 30,
        proposed_starts: starts.iter().map(|start| (*start).to_owned()).collect(),
        purpose: "I teach maths and want to learn how you moved into analytics.".into(),
        topics: vec!["day_in_the_role".into()],
        questions: vec!["What does a normal week hold?".into(), "What surprised you?".into(), "What next?".into()],
    }
}

/// A second process on the same database file: its own store (connection pool) and services, same clock.
async fn second_worker(fresh: &Fresh) -> Services {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&db_path(&fresh.dir)).await.unwrap());
    Services::with_clock(store, fresh.clock.clone())
}

#[tokio::test]
async fn two_workers_expire_remind_and_promote_once_each() {
    let fresh = Fresh::new().await;
    let one = fresh.services();
    let two = second_worker(&fresh).await;
    let priya = host(&one, "priya@example.org", "priya", 1).await;
    let ada = one.sign_up(sign_up_input("ada@example.org", "Ada", &["seeker"], "UTC")).await.unwrap();
    let bob = one.sign_up(sign_up_input("bob@example.org", "Bob", &["seeker"], "UTC")).await.unwrap();
    let rules = RequestRulesInput { expiry_days: Some(4), ..RequestRulesInput::default() };
    one.put_policy_and_rules(&priya, PolicyInput::from(&one.policy(&priya).await.unwrap()), rules).await.unwrap();

    let sent = one.send_request(&ada, input("priya", &["2026-03-03T09:00:00Z"]), &ada.time_zone).await.unwrap();
    let RequestOutcome::Sent { request, .. } = sent else { panic!("sent: {sent:?}") };
    // Pending requests do not count towards the cap here, so the host still has room: Bob's request is sent too.
    assert!(matches!(
        one.send_request(&bob, input("priya", &["2026-03-04T09:00:00Z"]), &bob.time_zone).await.unwrap(),
        RequestOutcome::Sent { .. }
    ));

    fresh.clock.set(ts("2026-03-04T00:00:01Z"));
    let (a, b) = tokio::join!(one.remind_hosts(), two.remind_hosts());
    assert_eq!(a.unwrap() + b.unwrap(), 2, "one reminder for each of the two requests");
    let (a, b) = tokio::join!(one.remind_hosts(), two.remind_hosts());
    assert_eq!(a.unwrap() + b.unwrap(), 0);

    fresh.clock.set(ts("2026-03-06T00:00:01Z"));
    let (a, b) = tokio::join!(one.expire_requests(), two.expire_requests());
    assert_eq!(a.unwrap() + b.unwrap(), 2);
    assert_eq!(one.request(&ada, request.id).await.unwrap().status, RequestStatus::Expired);
    let reminders = one.store().outbox_messages(None, 100).await.unwrap();
    assert_eq!(reminders.iter().filter(|m| m.kind == "request_reminder").count(), 2);
    assert_eq!(reminders.iter().filter(|m| m.kind == "request_expired").count(), 2);

    // Fill the month, then two seekers wait; a cancellation frees the month and two workers promote at once.
    let cy = one.sign_up(sign_up_input("cy@example.org", "Cy", &["seeker"], "UTC")).await.unwrap();
    let booked = one.send_request(&cy, input("priya", &["2026-03-09T09:00:00Z"]), &cy.time_zone).await.unwrap();
    let RequestOutcome::Sent { request: booked, .. } = booked else { panic!("{booked:?}") };
    let interview = one.accept(&priya, booked.id, "2026-03-09T09:00:00Z").await.unwrap();
    let waiting = one.send_request(&ada, input("priya", &[]), &ada.time_zone).await.unwrap();
    assert!(matches!(&waiting, RequestOutcome::Waitlisted { entry, .. } if entry.position == Some(1)), "{waiting:?}");
    let waiting = one.send_request(&bob, input("priya", &[]), &bob.time_zone).await.unwrap();
    assert!(matches!(&waiting, RequestOutcome::Waitlisted { entry, .. } if entry.position == Some(2)), "{waiting:?}");
    one.cancel_interview(&priya, interview.id, "Travelling").await.unwrap();
    // The cancellation offered the opening at once; the workers running the task then offer nothing more.
    let (a, b) = tokio::join!(one.promote_waitlist(), two.promote_waitlist());
    assert_eq!(a.unwrap() + b.unwrap(), 0, "one offer only, already made");
    let entries = one.my_waitlist(&ada).await.unwrap();
    assert_eq!(entries[0].status, WaitlistStatus::Offered);
    assert_eq!(one.my_waitlist(&bob).await.unwrap()[0].status, WaitlistStatus::Waiting);
    fresh.clock.set(ts("2026-03-06T00:00:01Z") + SignedDuration::from_hours(49));
    let (a, b) = tokio::join!(one.promote_waitlist(), two.promote_waitlist());
    assert_eq!(a.unwrap() + b.unwrap(), 1, "the lapsed offer passes on once");
    assert_eq!(one.my_waitlist(&bob).await.unwrap()[0].status, WaitlistStatus::Offered);
}

#[tokio::test]
async fn the_legacy_create_request_refuses_a_full_host_without_writing() {
    let fresh = Fresh::new().await;
    let services = fresh.services();
    let priya = host(&services, "priya@example.org", "priya", 1).await;
    services
        .put_policy(
            &priya,
            PolicyInput { accepting: false, ..PolicyInput::from(&services.policy(&priya).await.unwrap()) },
        )
        .await
        .unwrap();
    let ada = services.sign_up(sign_up_input("ada@example.org", "Ada", &["seeker"], "UTC")).await.unwrap();
    let refused = services.create_request(&ada, input("priya", &["2026-03-03T09:00:00Z"])).await;
    assert!(matches!(refused, Err(coffeechat_service::ServiceError::Conflict(_))), "{refused:?}");
    assert!(services.my_waitlist(&ada).await.unwrap().is_empty(), "nothing written");
    // The gates still speak first.
    let message = invalid(
        services.create_request(&ada, NewRequestInput { questions: vec![], ..input("priya", &[]) }).await,
        "questions",
    );
    assert!(message.starts_with("min_questions"), "{message}");
}
