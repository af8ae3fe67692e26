//! The demo's matching profiles: every demo seeker gets recommendations with reasons, and career changers find
//! the hosts who made their move (a hotel receptionist finds Kenji, who worked hotel reception before coding).

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use std::sync::Arc;

use coffeechat::demo::DEMO_SEEKER_LOGIN;
use coffeechat::{load_demo, open_store};
use coffeechat_domain::Email;
use coffeechat_service::{FixedClock, Services};
use common::TempDir;
use jiff::Timestamp;

#[tokio::test]
async fn demo_seekers_get_explained_recommendations() {
    let dir = TempDir::new("demo-matching");
    let store = open_store(&dir.file("demo.db")).await.unwrap();
    let now: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
    load_demo(&store, now).await.unwrap();
    let services = Services::with_clock(store.clone(), Arc::new(FixedClock::new(now)));

    // Every listed host has a background.
    let hosts = store.matching_hosts(None).await.unwrap();
    assert_eq!(hosts.len(), 30);
    assert!(hosts.iter().all(|host| !host.background.previous_roles.is_empty() && !host.background.region.is_empty()));

    // The featured seeker (a warehouse team lead) is pointed at supply-chain planning, with reasons.
    let (sam, _) = store.credentials(&Email::parse(DEMO_SEEKER_LOGIN).unwrap()).await.unwrap().unwrap();
    let found = services.recommendations(&sam, 10).await.unwrap();
    assert!(!found.available.is_empty());
    let lucia = found.available.iter().chain(&found.later).find(|r| r.host.profile.handle.as_str() == "lucia-morales");
    let lucia = lucia.expect("the supply chain planning lead is recommended");
    assert!(lucia.reasons.iter().any(|reason| reason.contains("supply chain planning lead")), "{:?}", lucia.reasons);
    // Hosts Sam has met, who declined Sam, or whom Sam is in touch with are not suggested.
    let suggested: Vec<&str> =
        found.available.iter().chain(&found.later).map(|r| r.host.profile.handle.as_str()).collect();
    for excluded in ["grace-mensah", "maya-okafor", "diego-fernandez"] {
        assert!(!suggested.contains(&excluded), "{excluded} in {suggested:?}");
    }

    // Every demo seeker with a profile gets at least one recommendation, each with a reason.
    let mut receptionists = 0;
    for (id, profile) in store.seeker_profiles(&all_accounts(&store).await).await.unwrap() {
        let account = store.account(id).await.unwrap().unwrap();
        let found = services.recommendations(&account, 5).await.unwrap();
        let all: Vec<_> = found.available.iter().chain(&found.later).collect();
        assert!(!all.is_empty(), "nothing for {}", account.email.as_str());
        assert!(all.iter().all(|r| (1..=100).contains(&r.score) && !r.reasons.is_empty()));
        if profile.current_role == "Hotel receptionist" {
            receptionists += 1;
            let kenji = all.iter().find(|r| r.host.profile.handle.as_str() == "kenji-watanabe").unwrap();
            assert!(kenji.reasons.iter().any(|reason| reason.starts_with("moved from hotel receptionist into")));
        }
    }
    assert!(receptionists > 0, "the demo has a hotel receptionist who wants to change careers");
}

/// Every account id the demo created (they are numbered from 1).
async fn all_accounts(store: &Arc<dyn coffeechat_store::Store>) -> Vec<coffeechat_domain::AccountId> {
    let mut ids = Vec::new();
    for id in 1.. {
        match store.account(coffeechat_domain::AccountId(id)).await.unwrap() {
            Some(account) => ids.push(account.id),
            None => break,
        }
    }
    ids
}
