//! The demo's request rules: a full host with a waitlist (the featured seeker second in line, the next opening
//! named), a paused host in decline mode who suggests similar hosts, and worker tasks that leave the demo's
//! fresh history alone.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use std::sync::Arc;

use coffeechat::demo::{DEMO_HOST_LOGIN, DEMO_SEEKER_LOGIN};
use coffeechat::{load_demo, open_store};
use coffeechat_domain::{Email, EtiquetteMode, NewRequestInput};
use coffeechat_service::{FixedClock, RequestOutcome, Services};
use common::TempDir;
use jiff::Timestamp;

#[tokio::test]
async fn the_demo_has_a_waitlist_a_declining_host_and_nothing_due() {
    let dir = TempDir::new("demo-request-rules");
    let store = open_store(&dir.file("demo.db")).await.unwrap();
    let now: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
    load_demo(&store, now).await.unwrap();
    let services = Services::with_clock(store.clone(), Arc::new(FixedClock::new(now)));
    let (sam, _) = store.credentials(&Email::parse(DEMO_SEEKER_LOGIN).unwrap()).await.unwrap().unwrap();

    let outlook = services.host_outlook("sofia-rossi", Some(&sam)).await.unwrap();
    assert!(outlook.capacity.is_full() && outlook.capacity.next_opening.is_some(), "{:?}", outlook.capacity);
    assert_eq!(outlook.place.unwrap().position, Some(2));
    assert!(services.host_outlook("olivia-chen", Some(&sam)).await.unwrap().capacity.paused);

    let (maya, _) = store.credentials(&Email::parse(DEMO_HOST_LOGIN).unwrap()).await.unwrap().unwrap();
    assert_eq!(services.request_rules(&maya).await.unwrap().etiquette_mode, EtiquetteMode::Block);

    // Nothing in the fresh demo is due: no request expires and nobody is offered an opening at load time.
    assert_eq!(services.expire_requests().await.unwrap(), 0);
    assert_eq!(services.promote_waitlist().await.unwrap(), 0);

    // The featured seeker asking the declining host is refused kindly, with hosts who have time.
    let input = NewRequestInput {
        host: "olivia-chen".into(),
        length_minutes: 30,
        proposed_starts: vec![],
        purpose: "I'd like to understand how you work with risk models day to day.".into(),
        topics: vec!["day_in_the_role".into()],
        questions: vec!["What does a week hold?".into(), "What surprised you?".into(), "What next?".into()],
    };
    match services.send_request(&sam, input, &sam.time_zone).await.unwrap() {
        RequestOutcome::HostFull(full) => assert!(!full.suggestions.is_empty() && full.suggestions.len() <= 3),
        other => panic!("expected a refusal with suggestions, got {other:?}"),
    }
    assert!(!services.notifications(sam.id, 50).await.unwrap().items.is_empty(), "the featured seeker has notices");
}
