//! A demo program: a career centre run by its own admin account (`admin@demo.coffeechat.test`), with sixteen hosts,
//! a cohort of twelve seekers (the featured seeker among them) and one proposed round waiting for review, so
//! `/programs` shows the whole flow: members, the proposal with its reasons, the seekers left short and why.
//!
//! The round goes through the same service as the page and the API (exact solver, exclusions, capacities from
//! each host's remaining monthly cap); nothing is published, so the demo's requests stay as the history made them.

use std::sync::Arc;

use anyhow::Context as _;
use coffeechat_domain::{NewProgramInput, ProgramRole, RoundInput};
use coffeechat_service::{FixedClock, Services};

use super::{DEMO_EMAIL_DOMAIN, Loader};

/// The program admin's login (password: the demo password).
const DEMO_ADMIN_LOGIN: &str = "admin@demo.coffeechat.test";
/// Every other demo host joined the program (fifteen, across the industries), and the supply-chain planning lead,
/// whom the featured seeker (a warehouse team lead) and others in the cohort are looking for.
fn in_program(index: usize, handle: &str) -> bool {
    index.is_multiple_of(2) || handle == "lucia-morales"
}
/// Seekers in the cohort, the featured seeker first.
const PROGRAM_SEEKERS: usize = 12;

/// Writes the program, its members and one proposed round.
pub(super) async fn load(loader: &Loader) -> anyhow::Result<()> {
    debug_assert!(DEMO_ADMIN_LOGIN.ends_with(DEMO_EMAIL_DOMAIN));
    let admin = loader.create_account("Rosa Alvarez", DEMO_ADMIN_LOGIN, "Europe/London", &["seeker"]).await?;
    let services = Services::with_clock(loader.store.clone(), Arc::new(FixedClock::new(loader.now)));
    let program = services
        .create_program(
            &admin,
            NewProgramInput { name: "Riverside Career Centre: spring cohort".into(), kind: "career_centre".into() },
        )
        .await
        .context("creating the demo program")?;
    for (_, host) in loader.hosts.iter().enumerate().filter(|(index, host)| in_program(*index, host.spec.handle)) {
        loader.store.add_program_member(program.id, host.account.id, ProgramRole::Host, loader.now).await?;
    }
    for seeker in loader.seekers.iter().take(PROGRAM_SEEKERS) {
        loader.store.add_program_member(program.id, seeker.account.id, ProgramRole::Seeker, loader.now).await?;
    }
    let round = RoundInput {
        default_wanted: Some(2),
        fairness_weight: Some(30.0),
        max_host_share: Some(0.25),
        ..RoundInput::default()
    };
    let proposed = services.propose_round(&admin, program.id, round).await.context("proposing the demo round")?;
    tracing::info!(
        program = %program.id,
        pairs = proposed.round.proposal.pairs.len(),
        "demo program with a proposed round (admin {DEMO_ADMIN_LOGIN})"
    );
    Ok(())
}
