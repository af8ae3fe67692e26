//! The demo's program: a career centre with its own admin, hosts and a cohort, and one proposed round that is
//! an exact optimum with every pair explained, ready for review at `/programs`.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use std::sync::Arc;

use coffeechat::demo::DEMO_SEEKER_LOGIN;
use coffeechat::{load_demo, open_store};
use coffeechat_domain::{Email, ProgramRole};
use coffeechat_service::{FixedClock, Services};
use coffeechat_store::RoundStatus;
use common::TempDir;
use jiff::Timestamp;

#[tokio::test]
async fn the_demo_program_has_a_cohort_and_a_proposed_round_to_review() {
    let dir = TempDir::new("demo-programs");
    let store = open_store(&dir.file("demo.db")).await.unwrap();
    let now: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
    load_demo(&store, now).await.unwrap();
    let services = Services::with_clock(store.clone(), Arc::new(FixedClock::new(now)));

    let (admin, _) = store.credentials(&Email::parse("admin@demo.coffeechat.test").unwrap()).await.unwrap().unwrap();
    let programs = services.my_programs(&admin).await.unwrap();
    assert_eq!(programs.len(), 1);
    assert_eq!(programs[0].roles, vec![ProgramRole::Admin]);
    let detail = services.program(&admin, programs[0].program.id).await.unwrap();
    assert_eq!(detail.members_in(ProgramRole::Host).count(), 16);
    assert_eq!(detail.members_in(ProgramRole::Seeker).count(), 12);
    assert_eq!(detail.rounds.len(), 1);

    let round = &detail.rounds[0];
    assert_eq!(round.status, RoundStatus::Proposed);
    assert!(!round.proposal.pairs.is_empty());
    assert!(round.proposal.pairs.iter().all(|pair| !pair.reasons.is_empty()), "{:?}", round.proposal.pairs);
    // ceil(0.25 × 24 wanted) = 6 per host at most.
    for host in &round.hosts {
        assert!(round.proposal.pairs.iter().filter(|pair| pair.host == host.id).count() <= 6);
    }
    // Most pairs share real ground (a target role or industry, skills, what the seeker wants to learn).
    let grounded =
        round.proposal.pairs.iter().filter(|pair| pair.reasons.iter().any(|r| !r.starts_with("fairness"))).count();
    assert!(grounded * 2 >= round.proposal.pairs.len(), "{:?}", round.proposal);
    // Whoever is left short is told why.
    assert!(round.proposal.unmatched.iter().all(|unmatched| !unmatched.why.is_empty()));
    let total: u64 = round.proposal.pairs.iter().map(|pair| u64::from(pair.score)).sum();
    assert_eq!(round.proposal.total_score, total);

    // The featured seeker is in the cohort and sees the program, not its rounds.
    let (sam, _) = store.credentials(&Email::parse(DEMO_SEEKER_LOGIN).unwrap()).await.unwrap().unwrap();
    let seen = services.program(&sam, programs[0].program.id).await.unwrap();
    assert_eq!(seen.my_roles, vec![ProgramRole::Seeker]);
    assert!(seen.rounds.is_empty());
}
