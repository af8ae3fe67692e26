//! Interview aftercare through `Services`: the thank-you rules and reminder task, the debrief and talent-pool
//! consent, no-shows, and follow-up invitations, on a real SQLite store with a fixed clock.
//!
//! The host lives in Europe/London and takes 30-minute conversations on weekdays 09:00–12:00; now is Monday
//! 2 March 2026 00:00 UTC with a day's notice, so the first conversation is Tuesday 09:00–09:30 (UTC = London).

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod support;

use std::sync::Arc;

use coffeechat_domain::aftercare::DebriefInput;
use coffeechat_domain::{HostProfileInput, InterviewId, NewRequestInput, PolicyInput};
use coffeechat_service::{Account, FixedClock, InterviewPhase, ServiceError, Services};
use coffeechat_store::Absentee;
use support::{Fresh, invalid, sign_up_input, ts, window};

const HANDLE: &str = "priya-data";
const TUE_0900: &str = "2026-03-03T09:00:00Z";
const TUE_1000: &str = "2026-03-03T10:00:00Z";

struct World {
    services: Services,
    clock: Arc<FixedClock>,
    host: Account,
    seeker: Account,
    _dir: tempfile::TempDir,
}

impl World {
    async fn new() -> Self {
        let fresh = Fresh::new().await;
        let services = fresh.services();
        let host = services.sign_up(sign_up_input("priya@example.org", "Priya Raman", &["host"], "Europe/London"));
        let host = host.await.unwrap();
        services.put_host_profile(&host, profile()).await.unwrap();
        services.put_policy(&host, policy()).await.unwrap();
        let seeker = services.sign_up(sign_up_input("sam@example.org", "Sam Lee", &["seeker"], "America/New_York"));
        let seeker = seeker.await.unwrap();
        Self { services, clock: fresh.clock, host, seeker, _dir: fresh.dir }
    }

    /// An accepted conversation at `start` (30 minutes).
    async fn interview(&self, start: &str) -> InterviewId {
        let request = self.services.create_request(&self.seeker, request(start)).await.unwrap();
        self.services.accept(&self.host, request.id, start).await.unwrap().id
    }

    async fn outbox(&self, kind: &str) -> Vec<coffeechat_store::OutboxMessage> {
        let all = self.services.store().outbox_messages(None, 500).await.unwrap();
        all.into_iter().filter(|message| message.kind == kind).collect()
    }

    async fn notices(&self, account: &Account, kind: &str) -> usize {
        let list = self.services.notifications(account.id, 200).await.unwrap();
        list.items.iter().filter(|notice| notice.kind == kind).count()
    }
}

fn policy() -> PolicyInput {
    PolicyInput {
        time_zone: "Europe/London".into(),
        lengths_minutes: vec![30],
        windows: ["mon", "tue", "wed", "thu", "fri"].iter().map(|day| window(day, "09:00", "12:00")).collect(),
        monthly_cap: 10,
        buffer_minutes: 0,
        min_notice_hours: 24,
        horizon_days: 60,
        accepting: true,
        ..PolicyInput::default()
    }
}

fn profile() -> HostProfileInput {
    HostProfileInput {
        handle: HANDLE.into(),
        name: "Priya Raman".into(),
        headline: "Data scientist who used to teach maths".into(),
        role: "Senior data scientist".into(),
        employer: "Northwind Health".into(),
        industry: "Healthcare".into(),
        skills: vec!["SQL".into()],
        topics: vec!["Moving from teaching into data".into()],
        career_path: "Maths teacher, then analyst, then data scientist.".into(),
    }
}

fn request(start: &str) -> NewRequestInput {
    NewRequestInput {
        host: HANDLE.into(),
        length_minutes: 30,
        proposed_starts: vec![start.to_owned()],
        purpose: "I teach maths and want to learn how you moved into data science.".into(),
        topics: vec!["career_path".into()],
        questions: vec![
            "What did your first year in data science look like?".into(),
            "Which skills from teaching mattered most?".into(),
            "How did you find your first analyst role?".into(),
        ],
    }
}

fn debrief(keep_in_mind: bool) -> DebriefInput {
    DebriefInput {
        prepared: true,
        used_time_well: true,
        meet_again: true,
        refer_to: Some("Lena Fischer".into()),
        keep_in_mind,
    }
}

#[tokio::test]
async fn the_interview_detail_has_the_agenda_and_the_clock() {
    let world = World::new().await;
    let id = world.interview(TUE_0900).await;
    let detail = world.services.interview_detail(&world.seeker, id).await.unwrap();
    assert_eq!(detail.phase, InterviewPhase::Upcoming);
    let minutes: Vec<u16> = detail.agenda.items.iter().map(|item| item.minutes).collect();
    assert_eq!(minutes, [3, 8, 7, 7, 5]);
    assert_eq!(detail.agenda.wrap_up_at, ts("2026-03-03T09:25:00Z"));
    assert_eq!(detail.agenda.items[1].label, "What did your first year in data science look like?");

    world.clock.set(ts("2026-03-03T09:10:00Z"));
    assert_eq!(world.services.interview_detail(&world.host, id).await.unwrap().phase, InterviewPhase::InProgress);
    world.clock.set(ts("2026-03-03T09:30:00Z"));
    assert_eq!(world.services.interview_detail(&world.host, id).await.unwrap().phase, InterviewPhase::Ended);
}

#[tokio::test]
async fn thanks_only_after_a_conversation_that_took_place_and_only_once() {
    let world = World::new().await;
    let id = world.interview(TUE_0900).await;
    let note = "Thank you, Priya: the advice on portfolios was exactly what I needed.";

    // Before the end: the rule is named, with when to come back.
    world.clock.set(ts("2026-03-03T09:20:00Z"));
    let early = invalid(world.services.send_thanks(&world.seeker, id, note).await, "interview");
    assert!(early.starts_with("interview_not_held:"), "{early}");
    assert!(early.contains("04:30 (America/New_York)"), "{early}");

    world.clock.set(ts("2026-03-03T10:00:00Z"));
    let host_tries = world.services.send_thanks(&world.host, id, note).await;
    assert!(matches!(host_tries, Err(ServiceError::Forbidden(_))), "{host_tries:?}");
    assert!(invalid(world.services.send_thanks(&world.seeker, id, "  ").await, "message").contains("required"));

    let detail = world.services.send_thanks(&world.seeker, id, note).await.unwrap();
    assert_eq!(detail.aftercare.thanks.as_ref().unwrap().message, note);
    assert!(!detail.can_thank());
    let again = world.services.send_thanks(&world.seeker, id, "Thanks again!").await;
    assert!(matches!(again, Err(ServiceError::Conflict(_))), "{again:?}");

    // The host sees it, by email and on the page.
    let mails = world.outbox("thanks_sent").await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].recipient_email.as_str(), "priya@example.org");
    assert!(mails[0].body_text.contains("exactly what I needed"), "{}", mails[0].body_text);
    let seen = world.services.interview_detail(&world.host, id).await.unwrap();
    assert_eq!(seen.aftercare.thanks.unwrap().message, note);
    assert_eq!(world.notices(&world.host, "thanks_sent").await, 1);
}

#[tokio::test]
async fn no_thanks_after_a_cancelled_or_missed_conversation() {
    let world = World::new().await;
    let cancelled = world.interview(TUE_0900).await;
    let missed = world.interview(TUE_1000).await;
    world.services.cancel_interview(&world.seeker, cancelled, "I have to travel that day, sorry.").await.unwrap();
    world.clock.set(ts("2026-03-03T10:10:00Z"));
    world.services.report_no_show(&world.host, missed, "seeker").await.unwrap();
    world.clock.set(ts("2026-03-03T12:00:00Z"));

    for id in [cancelled, missed] {
        let refused = invalid(world.services.send_thanks(&world.seeker, id, "Thank you!").await, "interview");
        assert!(refused.starts_with("interview_not_held:"), "{refused}");
    }
}

#[tokio::test]
async fn the_reminder_task_reminds_once_and_not_after_thanks() {
    let world = World::new().await;
    let reminded = world.interview(TUE_0900).await;
    let thanked = world.interview(TUE_1000).await;
    let late = world.interview("2026-03-04T09:00:00Z").await;

    // Not right after the end: the seeker gets an hour to thank on their own.
    world.clock.set(ts("2026-03-03T10:30:00Z"));
    world.services.send_thanks(&world.seeker, thanked, "Thank you for the time!").await.unwrap();
    assert_eq!(world.services.remind_thanks().await.unwrap(), 0);

    world.clock.set(ts("2026-03-03T11:00:00Z"));
    assert_eq!(world.services.remind_thanks().await.unwrap(), 1);
    assert_eq!(world.services.remind_thanks().await.unwrap(), 0, "a second run reminds nobody");
    world.clock.set(ts("2026-03-03T12:00:00Z"));
    assert_eq!(world.services.remind_thanks().await.unwrap(), 0, "the thanked conversation needs no reminder");

    let mails = world.outbox("thanks_reminder").await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].recipient_email.as_str(), "sam@example.org");
    assert!(mails[0].body_text.contains(&format!("/interviews/{reminded}")), "{}", mails[0].body_text);
    assert_eq!(world.notices(&world.seeker, "thanks_reminder").await, 1);

    // More than a day after the end a reminder would come too late, and is not sent.
    world.clock.set(ts("2026-03-05T10:00:00Z"));
    assert_eq!(world.services.remind_thanks().await.unwrap(), 0);
    let detail = world.services.interview_detail(&world.seeker, late).await.unwrap();
    assert!(detail.aftercare.thanks_reminded_at.is_none());
}

#[tokio::test]
async fn the_debrief_is_the_hosts_after_the_end_and_consent_gates_the_talent_pool() {
    let world = World::new().await;
    let id = world.interview(TUE_0900).await;

    world.clock.set(ts("2026-03-03T09:15:00Z"));
    let early = invalid(world.services.save_debrief(&world.host, id, &debrief(true)).await, "interview");
    assert!(early.starts_with("interview_not_held:"), "{early}");

    world.clock.set(ts("2026-03-03T09:45:00Z"));
    let seeker_tries = world.services.save_debrief(&world.seeker, id, &debrief(true)).await;
    assert!(matches!(seeker_tries, Err(ServiceError::Forbidden(_))), "{seeker_tries:?}");
    let too_long = DebriefInput { refer_to: Some("x".repeat(201)), ..debrief(false) };
    invalid(world.services.save_debrief(&world.host, id, &too_long).await, "refer_to");
    let not_asked = world.services.answer_talent_consent(&world.seeker, id, true).await;
    invalid(not_asked, "consent");

    let saved = world.services.save_debrief(&world.host, id, &debrief(true)).await.unwrap();
    assert!(saved.aftercare.consent.is_some_and(|consent| consent.given.is_none()));
    // Editing keeps one consent request.
    world.services.save_debrief(&world.host, id, &debrief(true)).await.unwrap();
    assert_eq!(world.outbox("talent_consent_request").await.len(), 1);
    assert_eq!(world.notices(&world.seeker, "talent_consent_request").await, 1);
    assert!(world.services.talent_pool(&world.host).await.unwrap().is_empty(), "no consent yet");

    let host_answers = world.services.answer_talent_consent(&world.host, id, true).await;
    assert!(matches!(host_answers, Err(ServiceError::Forbidden(_))), "{host_answers:?}");
    world.services.answer_talent_consent(&world.seeker, id, true).await.unwrap();
    let pool = world.services.talent_pool(&world.host).await.unwrap();
    assert_eq!(pool.len(), 1);
    assert_eq!(pool[0].seeker_id, world.seeker.id);
    assert_eq!(pool[0].debrief.debrief.refer_to.as_deref(), Some("Lena Fischer"));
    assert_eq!(world.notices(&world.host, "talent_consent_given").await, 1);
    assert_eq!(world.outbox("talent_consent_given").await.len(), 1);

    world.services.answer_talent_consent(&world.seeker, id, false).await.unwrap();
    assert!(world.services.talent_pool(&world.host).await.unwrap().is_empty(), "withdrawn");
    let not_host = world.services.talent_pool(&world.seeker).await;
    assert!(matches!(not_host, Err(ServiceError::Forbidden(_))), "{not_host:?}");
}

#[tokio::test]
async fn no_shows_are_reported_by_the_other_side_after_the_start_and_counted() {
    let world = World::new().await;
    let id = world.interview(TUE_0900).await;
    let other = world.interview(TUE_1000).await;

    let early = invalid(world.services.report_no_show(&world.host, id, "seeker").await, "interview");
    assert!(early.starts_with("interview_not_started:"), "{early}");

    world.clock.set(ts("2026-03-03T09:10:00Z"));
    invalid(world.services.report_no_show(&world.host, id, "host").await, "who");
    invalid(world.services.report_no_show(&world.seeker, id, "seeker").await, "who");
    invalid(world.services.report_no_show(&world.host, id, "nobody").await, "who");
    assert_eq!(world.services.no_shows_of(&world.seeker).await.unwrap(), 0);

    let detail = world.services.report_no_show(&world.host, id, "seeker").await.unwrap();
    assert_eq!(detail.aftercare.no_show.as_ref().unwrap().absent, Absentee::Seeker);
    let twice = world.services.report_no_show(&world.seeker, id, "host").await;
    assert!(matches!(twice, Err(ServiceError::Conflict(_))), "{twice:?}");
    assert_eq!(world.services.no_shows_of(&world.seeker).await.unwrap(), 1);
    assert_eq!(world.services.store().no_shows_of_seeker(world.seeker.id).await.unwrap(), 1);

    // The seeker is told why it matters.
    let mails = world.outbox("no_show_recorded").await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].body_text.contains("open requests"), "{}", mails[0].body_text);
    assert_eq!(world.notices(&world.seeker, "no_show_recorded").await, 1);

    // A host who did not come does not count against the seeker.
    world.clock.set(ts("2026-03-03T10:20:00Z"));
    world.services.report_no_show(&world.seeker, other, "host").await.unwrap();
    assert_eq!(world.services.no_shows_of(&world.seeker).await.unwrap(), 1);
    assert_eq!(world.notices(&world.host, "no_show_recorded").await, 1);
}

#[tokio::test]
async fn a_follow_up_invitation_is_the_hosts_once_and_readable_by_the_request_rules() {
    let world = World::new().await;
    let id = world.interview(TUE_0900).await;
    let store = world.services.store().clone();

    let early = invalid(world.services.invite_follow_up(&world.host, id).await, "interview");
    assert!(early.starts_with("interview_not_held:"), "{early}");
    world.clock.set(ts("2026-03-03T09:40:00Z"));
    let seeker_tries = world.services.invite_follow_up(&world.seeker, id).await;
    assert!(matches!(seeker_tries, Err(ServiceError::Forbidden(_))), "{seeker_tries:?}");
    assert_eq!(store.follow_up_invited_at(world.seeker.id, world.host.id).await.unwrap(), None);

    world.services.invite_follow_up(&world.host, id).await.unwrap();
    assert_eq!(
        store.follow_up_invited_at(world.seeker.id, world.host.id).await.unwrap(),
        Some(ts("2026-03-03T09:40:00Z"))
    );
    let twice = world.services.invite_follow_up(&world.host, id).await;
    assert!(matches!(twice, Err(ServiceError::Conflict(_))), "{twice:?}");
    assert_eq!(world.outbox("follow_up_invited").await.len(), 1);
    assert_eq!(world.notices(&world.seeker, "follow_up_invited").await, 1);
}
