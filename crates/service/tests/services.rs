//! The services end to end on a real SQLite store (a fresh temp file per test) with a fixed clock.
//!
//! The host in these tests lives in Asia/Kolkata (UTC+05:30, no daylight saving) and offers weekday
//! windows 09:00–10:00 local, i.e. 03:30–04:30 UTC. "Now" starts at Monday 2026-03-02 00:00 UTC and the
//! minimum notice is 24 hours, so Tuesday 2026-03-03 is the first day with free slots.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod support;

use std::sync::Arc;

use coffeechat_domain::{
    HostProfileInput, InterviewStatus, MeetingLength, NewRequestInput, PolicyInput, RequestId, RequestStatus,
    TimeZoneName,
};
use coffeechat_service::{
    Account, DirectoryQuery, FixedClock, ServiceError, Services, SignUpInput, SlotQuery, hash_password,
};
use jiff::Timestamp;
use jiff::civil::{Date, date};
use support::{Fresh, PASSWORD, invalid, sign_up_input, ts, window};

const HANDLE: &str = "priya-data";
/// Tuesday 09:00 and 09:30 in Kolkata.
const TUE_0900: &str = "2026-03-03T03:30:00Z";
const TUE_0930: &str = "2026-03-03T04:00:00Z";
/// Wednesday and Thursday 09:00 in Kolkata.
const WED_0900: &str = "2026-03-04T03:30:00Z";
const THU_0900: &str = "2026-03-05T03:30:00Z";

struct World {
    services: Services,
    clock: Arc<FixedClock>,
    _dir: tempfile::TempDir,
}

impl World {
    async fn new() -> Self {
        let fresh = Fresh::new().await;
        Self { services: fresh.services(), clock: fresh.clock, _dir: fresh.dir }
    }

    async fn sign_up(&self, email: &str, name: &str, roles: &[&str]) -> Account {
        self.services.sign_up(sign_up_input(email, name, roles, "Europe/Berlin")).await.unwrap()
    }

    /// A host with a profile under `handle` and the test policy (adjusted by `adjust`).
    async fn host_with(&self, email: &str, handle: &str, adjust: impl FnOnce(&mut PolicyInput)) -> Account {
        let host = self.sign_up(email, "Priya Raman", &["host"]).await;
        self.services.put_host_profile(&host, profile(handle)).await.unwrap();
        let mut input = policy();
        adjust(&mut input);
        self.services.put_policy(&host, input).await.unwrap();
        host
    }

    async fn host(&self) -> Account {
        self.host_with("priya@example.org", HANDLE, |_| {}).await
    }

    async fn seeker(&self, email: &str) -> Account {
        self.sign_up(email, "Sam Seeker", &["seeker"]).await
    }

    async fn slots(&self, from: Date, to: Date, length: i64) -> Vec<Timestamp> {
        let query = SlotQuery { from: Some(from), to: Some(to), length_minutes: Some(length), zone: None };
        self.services.free_slots(HANDLE, query).await.unwrap().slots.iter().map(|slot| slot.start).collect()
    }

    async fn request(&self, seeker: &Account, starts: &[&str]) -> RequestId {
        self.services.create_request(seeker, request(HANDLE, starts)).await.unwrap().id
    }
}

fn policy() -> PolicyInput {
    PolicyInput {
        time_zone: "Asia/Kolkata".into(),
        lengths_minutes: vec![20, 30],
        windows: ["mon", "tue", "wed", "thu", "fri"].iter().map(|day| window(day, "09:00", "10:00")).collect(),
        monthly_cap: 4,
        buffer_minutes: 10,
        min_notice_hours: 24,
        horizon_days: 60,
        accepting: true,
        ..PolicyInput::default()
    }
}

fn profile(handle: &str) -> HostProfileInput {
    HostProfileInput {
        handle: handle.into(),
        name: "Priya Raman".into(),
        headline: "Data scientist who used to teach maths".into(),
        role: "Senior data scientist".into(),
        employer: "Northwind Health".into(),
        industry: "Healthcare".into(),
        skills: vec!["SQL".into(), "Statistics".into()],
        topics: vec!["Moving from teaching into data".into()],
        career_path: "Maths teacher, then analyst, then data scientist.".into(),
    }
}

fn request(host: &str, starts: &[&str]) -> NewRequestInput {
    NewRequestInput {
        host: host.into(),
        length_minutes: 30,
        proposed_starts: starts.iter().map(|start| (*start).to_owned()).collect(),
        purpose: "I teach maths and want to learn how you moved into data science.".into(),
        topics: vec!["career_path".into()],
        questions: vec![
            "What did your first year look like?".into(),
            "Which skills mattered most?".into(),
            "How do you keep learning?".into(),
        ],
    }
}

#[tokio::test]
async fn the_whole_flow_from_sign_up_to_calendar_file() {
    let world = World::new().await;
    let services = &world.services;

    let host = world.sign_up("Priya@Example.org", "Priya Raman", &["host", "seeker"]).await;
    assert_eq!(host.email.as_str(), "priya@example.org");
    assert_eq!(services.log_in("priya@example.org", PASSWORD).await.unwrap().id, host.id);
    assert_eq!(services.account(host.id).await.unwrap().unwrap().name, "Priya Raman");

    assert!(services.host_profile(&host).await.unwrap().is_none());
    let saved = services.put_host_profile(&host, profile("Priya-Data")).await.unwrap();
    assert_eq!(saved.handle.as_str(), HANDLE);
    assert_eq!(services.host_profile(&host).await.unwrap(), Some(saved));

    // Before a policy is saved, the host sees the starter policy in their own zone.
    assert_eq!(services.policy(&host).await.unwrap().time_zone.as_str(), "Europe/Berlin");
    let policy = services.put_policy(&host, policy()).await.unwrap();
    assert_eq!(services.policy(&host).await.unwrap(), policy);
    assert_eq!(policy.lengths, vec![MeetingLength::Min20, MeetingLength::Min30]);

    // Tuesday's window holds two 30-minute slots; Monday's is inside the 24 hours of notice.
    let slots = world.slots(date(2026, 3, 2), date(2026, 3, 3), 30).await;
    assert_eq!(slots, vec![ts(TUE_0900), ts(TUE_0930)]);
    let listing = services.free_slots(HANDLE, SlotQuery::default()).await.unwrap();
    assert_eq!(listing.length, MeetingLength::Min20, "the shortest length is the default");
    assert_eq!(listing.zone.as_str(), "Asia/Kolkata", "dates are read in the host's zone by default");
    assert_eq!(listing.slots.first().map(|slot| slot.start), Some(ts(TUE_0900)));
    assert!(!listing.month_full);

    let seeker = world.seeker("sam@example.org").await;
    let sent = services.create_request(&seeker, request(HANDLE, &[WED_0900, TUE_0900])).await.unwrap();
    assert_eq!(sent.status, RequestStatus::Pending);
    assert_eq!(sent.proposed_starts, vec![ts(TUE_0900), ts(WED_0900)]);
    assert_eq!(sent.host.id, host.id);
    assert_eq!(sent.seeker.id, seeker.id);

    // The host's inbox and the seeker's list both hold it.
    assert_eq!(services.requests(&host).await.unwrap().iter().map(|r| r.id).collect::<Vec<_>>(), vec![sent.id]);
    assert_eq!(services.requests(&seeker).await.unwrap().len(), 1);

    let interview = services.accept(&host, sent.id, TUE_0900).await.unwrap();
    assert_eq!(interview.start, ts(TUE_0900));
    assert_eq!(interview.end, ts(TUE_0930));
    assert_eq!(interview.status, InterviewStatus::Scheduled);
    assert_eq!(interview.purpose, sent.purpose);
    let accepted = services.request(&seeker, sent.id).await.unwrap();
    assert_eq!(accepted.status, RequestStatus::Accepted);
    assert_eq!(accepted.interview_id, Some(interview.id));

    // The booked slot and, with the 10-minute buffer, the one right after it are gone.
    assert_eq!(world.slots(date(2026, 3, 3), date(2026, 3, 3), 30).await, Vec::<Timestamp>::new());
    assert_eq!(services.interviews(&seeker).await.unwrap().len(), 1);
    assert_eq!(services.interview(&host, interview.id).await.unwrap().id, interview.id);

    let ics = services.interview_ics(&seeker, interview.id).await.unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
    for line in [
        "METHOD:PUBLISH",
        "DTSTART:20260303T033000Z",
        "DTEND:20260303T040000Z",
        "STATUS:CONFIRMED",
        "SUMMARY:Informational interview: Sam Seeker with Priya Raman",
    ] {
        assert!(ics.contains(&format!("{line}\r\n")), "missing {line} in {ics}");
    }
    // Long lines are folded at 75 octets; read the logical lines.
    let unfolded = ics.replace("\r\n ", "");
    assert!(unfolded.contains(&format!("UID:{}\r\n", interview.ical_uid)), "{ics}");
    assert!(unfolded.contains(&format!("SEQUENCE:{}\r\n", interview.ical_sequence)), "{ics}");
    assert!(unfolded.contains("ORGANIZER;CN=\"Priya Raman\":mailto:priya@example.org\r\n"), "{ics}");
    assert!(
        unfolded.contains("ATTENDEE;CN=\"Sam Seeker\";") && unfolded.contains(":mailto:sam@example.org\r\n"),
        "{ics}"
    );
    assert!(unfolded.contains("Purpose: I teach maths and want to learn how you moved into data science."), "{ics}");
    assert!(unfolded.contains("1. What did your first year look like?"), "{ics}");
}

#[tokio::test]
async fn decline_withdraw_and_cancel() {
    let world = World::new().await;
    let services = &world.services;
    let host = world.host().await;
    let seeker = world.seeker("sam@example.org").await;

    let declined = world.request(&seeker, &[TUE_0900]).await;
    invalid(services.decline(&host, declined, "rude", "").await, "reason");
    let record = services.decline(&host, declined, "timing", "Next month works better.").await.unwrap();
    assert_eq!(record.status, RequestStatus::Declined);
    assert_eq!(record.decline_message.as_deref(), Some("Next month works better."));
    assert!(
        matches!(services.accept(&host, declined, TUE_0900).await, Err(ServiceError::Conflict(m)) if m == "cannot accept a declined request")
    );

    let withdrawn = world.request(&seeker, &[TUE_0900]).await;
    assert_eq!(services.withdraw(&seeker, withdrawn).await.unwrap().status, RequestStatus::Withdrawn);
    assert!(matches!(services.withdraw(&seeker, withdrawn).await, Err(ServiceError::Conflict(_))));
    assert!(matches!(services.decline(&host, withdrawn, "other", "").await, Err(ServiceError::Conflict(_))));

    // Either side cancels, with a reason; a cancelled interview frees its time and its calendar file says so.
    let first = world.request(&seeker, &[TUE_0900]).await;
    let interview = services.accept(&host, first, TUE_0900).await.unwrap();
    invalid(services.cancel_interview(&seeker, interview.id, "   ").await, "reason");
    let cancelled = services.cancel_interview(&seeker, interview.id, "I got sick").await.unwrap();
    assert_eq!(cancelled.status, InterviewStatus::Cancelled);
    assert_eq!(cancelled.cancel_reason.as_deref(), Some("I got sick"));
    assert_eq!(cancelled.cancelled_by, Some(seeker.id));
    assert!(cancelled.ical_sequence > interview.ical_sequence);
    assert!(matches!(services.cancel_interview(&host, interview.id, "again").await, Err(ServiceError::Conflict(_))));
    let ics = services.interview_ics(&host, interview.id).await.unwrap();
    assert!(ics.contains("METHOD:CANCEL\r\n") && ics.contains("STATUS:CANCELLED\r\n"), "{ics}");
    assert!(ics.contains(&format!("SEQUENCE:{}\r\n", cancelled.ical_sequence)), "{ics}");
    assert_eq!(world.slots(date(2026, 3, 3), date(2026, 3, 3), 30).await, vec![ts(TUE_0900), ts(TUE_0930)]);

    let second = world.request(&seeker, &[WED_0900]).await;
    let interview = services.accept(&host, second, WED_0900).await.unwrap();
    let cancelled = services.cancel_interview(&host, interview.id, "Travelling that week").await.unwrap();
    assert_eq!(cancelled.cancelled_by, Some(host.id));

    // Once an interview has started it can no longer be cancelled.
    let third = world.request(&seeker, &[THU_0900]).await;
    let interview = services.accept(&host, third, THU_0900).await.unwrap();
    world.clock.set(ts(THU_0900));
    assert!(matches!(services.cancel_interview(&host, interview.id, "late").await, Err(ServiceError::Conflict(_))));
}

#[tokio::test]
async fn bad_account_and_profile_input_names_the_field() {
    let world = World::new().await;
    let services = &world.services;
    let good = || SignUpInput {
        email: "ada@example.org".into(),
        password: PASSWORD.into(),
        name: "Ada".into(),
        roles: vec!["host".into()],
        time_zone: "Europe/London".into(),
    };
    invalid(services.sign_up(SignUpInput { email: "ada@example".into(), ..good() }).await, "email");
    invalid(services.sign_up(SignUpInput { email: "not an email".into(), ..good() }).await, "email");
    let zone = invalid(services.sign_up(SignUpInput { time_zone: "Mars/Olympus".into(), ..good() }).await, "time_zone");
    assert!(zone.contains("Mars/Olympus"));
    invalid(services.sign_up(SignUpInput { password: "short".into(), ..good() }).await, "password");
    invalid(services.sign_up(SignUpInput { roles: vec![], ..good() }).await, "roles");

    let ada = services.sign_up(good()).await.unwrap();
    let taken = invalid(services.sign_up(SignUpInput { name: "Other Ada".into(), ..good() }).await, "email");
    assert_eq!(taken, "is already taken");
    // The failed sign-up changed nothing: the first password still works.
    assert_eq!(services.log_in("ada@example.org", PASSWORD).await.unwrap().id, ada.id);

    services.put_host_profile(&ada, profile(HANDLE)).await.unwrap();
    let other = world.sign_up("other@example.org", "Other Host", &["host"]).await;
    let taken = invalid(services.put_host_profile(&other, profile("Priya-Data")).await, "handle");
    assert_eq!(taken, "is already taken");
    assert!(services.host_profile(&other).await.unwrap().is_none());
    invalid(services.put_host_profile(&other, profile("x")).await, "handle");
}

#[tokio::test]
async fn bad_policy_input_names_the_field() {
    let world = World::new().await;
    let services = &world.services;
    let host = world.sign_up("priya@example.org", "Priya Raman", &["host"]).await;
    let with = |adjust: fn(&mut PolicyInput)| {
        let mut input = policy();
        adjust(&mut input);
        input
    };

    invalid(services.put_policy(&host, with(|p| p.time_zone = "Nowhere/Special".into())).await, "time_zone");
    invalid(
        services.put_policy(&host, with(|p| p.windows = vec![window("mon", "10:00", "09:00")])).await,
        "windows[0].end",
    );
    let overlap = invalid(
        services
            .put_policy(
                &host,
                with(|p| p.windows = vec![window("mon", "09:00", "10:00"), window("mon", "09:30", "11:00")]),
            )
            .await,
        "windows[1].start",
    );
    assert!(overlap.contains("overlaps"), "{overlap}");
    invalid(services.put_policy(&host, with(|p| p.monthly_cap = 0)).await, "monthly_cap");
    invalid(services.put_policy(&host, with(|p| p.monthly_cap = 101)).await, "monthly_cap");
    invalid(services.put_policy(&host, with(|p| p.lengths_minutes = vec![60])).await, "lengths_minutes");
    // Nothing was written by any of those.
    assert_eq!(services.policy(&host).await.unwrap().time_zone.as_str(), "Europe/Berlin");
}

#[tokio::test]
async fn bad_request_input_names_the_field_and_writes_nothing() {
    let world = World::new().await;
    let services = &world.services;
    world.host().await;
    let seeker = world.seeker("sam@example.org").await;
    let send = |input: NewRequestInput| services.create_request(&seeker, input);

    invalid(send(NewRequestInput { length_minutes: 45, ..request(HANDLE, &[TUE_0900]) }).await, "length_minutes");
    invalid(send(NewRequestInput { length_minutes: 25, ..request(HANDLE, &[TUE_0900]) }).await, "length_minutes");
    let purpose =
        invalid(send(NewRequestInput { purpose: "  ".into(), ..request(HANDLE, &[TUE_0900]) }).await, "purpose");
    assert!(purpose.contains("required"));
    assert_eq!(invalid(send(request("nobody-here", &[TUE_0900])).await, "host"), "no host with this handle");
    invalid(send(request("x", &[TUE_0900])).await, "host");
    invalid(send(request(HANDLE, &[])).await, "proposed_starts");
    invalid(send(request(HANDLE, &["next tuesday"])).await, "proposed_starts");

    // Saturday, inside the notice period, off the slot grid, beyond the horizon, in the past, the year 9999.
    for start in [
        "2026-03-07T03:30:00Z",
        "2026-03-02T03:30:00Z",
        "2026-03-03T03:45:00Z",
        "2026-06-02T03:30:00Z",
        "2025-03-03T03:30:00Z",
        "9999-03-03T03:30:00Z",
    ] {
        let message = invalid(send(request(HANDLE, &[TUE_0900, start])).await, "proposed_starts");
        assert!(message.contains("is not a free slot"), "{message}");
        assert!(!message.contains(&ts(TUE_0900).to_string()), "only the bad start is named: {message}");
    }
    assert!(services.requests(&seeker).await.unwrap().is_empty(), "no bad request was stored");

    // Slot listings name their fields too.
    let query =
        |from: Date, to: Date, length| SlotQuery { from: Some(from), to: Some(to), length_minutes: length, zone: None };
    invalid(services.free_slots(HANDLE, query(date(2026, 3, 3), date(2026, 3, 4), Some(45))).await, "length");
    invalid(services.free_slots(HANDLE, query(date(2026, 3, 4), date(2026, 3, 3), None)).await, "to");
    invalid(services.free_slots(HANDLE, query(date(2026, 3, 3), date(2026, 9, 3), None)).await, "to");
    assert!(matches!(
        services.free_slots("nobody-here", SlotQuery::default()).await,
        Err(ServiceError::NotFound("host"))
    ));
    assert!(matches!(
        services.free_slots("Not a handle!", SlotQuery::default()).await,
        Err(ServiceError::NotFound("host"))
    ));
}

#[tokio::test]
async fn requests_and_interviews_are_visible_only_to_their_parties() {
    let world = World::new().await;
    let services = &world.services;
    let host = world.host().await;
    let alice = world.seeker("alice@example.org").await;
    let bob = world.seeker("bob@example.org").await;

    let pending = world.request(&alice, &[TUE_0900, WED_0900]).await;
    assert!(matches!(services.request(&bob, pending).await, Err(ServiceError::NotFound("request"))));
    assert!(matches!(services.withdraw(&bob, pending).await, Err(ServiceError::NotFound("request"))));
    assert!(matches!(services.accept(&bob, pending, TUE_0900).await, Err(ServiceError::NotFound("request"))));
    assert!(matches!(services.decline(&bob, pending, "other", "").await, Err(ServiceError::NotFound("request"))));
    assert!(matches!(services.request(&bob, RequestId(9_999)).await, Err(ServiceError::NotFound("request"))));
    assert!(services.requests(&bob).await.unwrap().is_empty());

    assert!(matches!(services.accept(&alice, pending, TUE_0900).await, Err(ServiceError::Forbidden(_))));
    assert!(matches!(services.decline(&alice, pending, "other", "").await, Err(ServiceError::Forbidden(_))));
    assert!(matches!(services.withdraw(&host, pending).await, Err(ServiceError::Forbidden(_))));
    invalid(services.accept(&host, pending, THU_0900).await, "start");
    invalid(services.accept(&host, pending, "soon").await, "start");

    let interview = services.accept(&host, pending, WED_0900).await.unwrap();
    assert!(matches!(services.interview(&bob, interview.id).await, Err(ServiceError::NotFound("interview"))));
    assert!(matches!(services.interview_ics(&bob, interview.id).await, Err(ServiceError::NotFound("interview"))));
    assert!(matches!(
        services.cancel_interview(&bob, interview.id, "mischief").await,
        Err(ServiceError::NotFound("interview"))
    ));
    assert!(services.interviews(&bob).await.unwrap().is_empty());
    assert_eq!(services.interviews(&host).await.unwrap().len(), 1);

    // Roles gate the host-only and seeker-only operations.
    assert!(matches!(services.put_policy(&alice, policy()).await, Err(ServiceError::Forbidden(_))));
    assert!(matches!(services.host_profile(&alice).await, Err(ServiceError::Forbidden(_))));
    assert!(matches!(
        services.create_request(&host, request(HANDLE, &[THU_0900])).await,
        Err(ServiceError::Forbidden(_))
    ));
}

#[tokio::test]
async fn a_host_cannot_request_themselves_or_be_requested_while_paused() {
    let world = World::new().await;
    let services = &world.services;
    let both = world.sign_up("priya@example.org", "Priya Raman", &["host", "seeker"]).await;
    services.put_host_profile(&both, profile(HANDLE)).await.unwrap();
    services.put_policy(&both, policy()).await.unwrap();
    invalid(services.create_request(&both, request(HANDLE, &[TUE_0900])).await, "host");

    let seeker = world.seeker("sam@example.org").await;
    let pending = world.request(&seeker, &[TUE_0900]).await;
    services.put_policy(&both, PolicyInput { accepting: false, ..policy() }).await.unwrap();
    // Another seeker (one open request per host): a paused host is full, and nothing is written.
    let other = world.seeker("kim@example.org").await;
    assert!(matches!(
        services.create_request(&other, request(HANDLE, &[WED_0900])).await,
        Err(ServiceError::Conflict(_))
    ));
    assert!(world.slots(date(2026, 3, 3), date(2026, 3, 6), 30).await.is_empty());
    // Pausing stops new requests, not answers to the ones already waiting.
    services.accept(&both, pending, TUE_0900).await.unwrap();
}

#[tokio::test]
async fn a_full_month_hides_all_its_slots() {
    let world = World::new().await;
    let services = &world.services;
    let host = world.host_with("priya@example.org", HANDLE, |p| p.monthly_cap = 1).await;
    let alice = world.seeker("alice@example.org").await;
    let bob = world.seeker("bob@example.org").await;

    let waiting = world.request(&bob, &[THU_0900]).await;
    let first = world.request(&alice, &[TUE_0900]).await;
    services.accept(&host, first, TUE_0900).await.unwrap();

    let march = services
        .free_slots(
            HANDLE,
            SlotQuery { from: Some(date(2026, 3, 3)), to: Some(date(2026, 3, 31)), ..SlotQuery::default() },
        )
        .await
        .unwrap();
    assert!(march.slots.is_empty(), "{:?}", march.slots);
    assert!(march.month_full);
    // April (Kolkata) is a new month with room again.
    let april = world.slots(date(2026, 4, 1), date(2026, 4, 1), 30).await;
    assert_eq!(april, vec![ts("2026-04-01T03:30:00Z"), ts("2026-04-01T04:00:00Z")]);

    invalid(services.create_request(&alice, request(HANDLE, &[WED_0900])).await, "proposed_starts");
    match services.accept(&host, waiting, THU_0900).await {
        Err(ServiceError::Conflict(message)) => assert!(message.contains("full"), "{message}"),
        other => panic!("expected a full month to refuse, got {other:?}"),
    }

    let listing = services.directory(DirectoryQuery::default()).await.unwrap();
    assert_eq!(listing.len(), 1);
    assert!(listing[0].month_full);
    assert_eq!(listing[0].next_free, None, "nothing is free until April, more than 14 days away");
    assert!(
        services
            .directory(DirectoryQuery { has_free_slots: true, ..DirectoryQuery::default() })
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn buffers_hide_adjacent_slots() {
    let world = World::new().await;
    let services = &world.services;
    let host = world.host().await;
    let seeker = world.seeker("sam@example.org").await;
    let booked = world.request(&seeker, &[TUE_0900]).await;
    services.accept(&host, booked, TUE_0900).await.unwrap();

    // 09:00–09:30 is booked; with 10 minutes of buffer 09:30 is too close, and so is 09:20 at 20 minutes,
    // while 09:40 (20 minutes, ending 10:00) keeps its distance.
    assert!(world.slots(date(2026, 3, 3), date(2026, 3, 3), 30).await.is_empty());
    assert_eq!(world.slots(date(2026, 3, 3), date(2026, 3, 3), 20).await, vec![ts("2026-03-03T04:10:00Z")]);

    services.put_policy(&host, PolicyInput { buffer_minutes: 0, ..policy() }).await.unwrap();
    assert_eq!(world.slots(date(2026, 3, 3), date(2026, 3, 3), 30).await, vec![ts(TUE_0930)]);
}

#[tokio::test]
async fn accepting_rechecks_the_time_and_never_double_books() {
    let world = World::new().await;
    let services = &world.services;
    // No holds, so that Bob may propose a time overlapping Alice's (holds have their own tests).
    let host = world.host_with("priya@example.org", HANDLE, |policy| policy.hold_hours = 0).await;
    let alice = world.seeker("alice@example.org").await;
    let bob = world.seeker("bob@example.org").await;

    let from_alice = world.request(&alice, &[TUE_0900]).await;
    let from_bob = world.request(&bob, &[TUE_0930, WED_0900]).await;
    services.accept(&host, from_alice, TUE_0900).await.unwrap();
    // 09:30 now sits inside the buffer of Alice's interview.
    assert!(matches!(services.accept(&host, from_bob, TUE_0930).await, Err(ServiceError::Conflict(_))));
    assert_eq!(services.request(&bob, from_bob).await.unwrap().status, RequestStatus::Pending);

    // Time passes: Wednesday 09:00 Kolkata is now less than the 24 hours of notice away.
    world.clock.set(ts("2026-03-03T12:00:00Z"));
    assert!(matches!(services.accept(&host, from_bob, WED_0900).await, Err(ServiceError::Conflict(_))));
    assert_eq!(services.interviews(&host).await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_accepts_of_one_time_book_it_once() {
    let world = World::new().await;
    // No holds, so that all eight requests may propose the same time.
    let host = world.host_with("priya@example.org", HANDLE, |policy| policy.hold_hours = 0).await;
    let mut requests = Vec::new();
    for n in 0..8 {
        // Eight seekers: one open request per host each.
        let seeker = world.seeker(&format!("seeker-{n}@example.org")).await;
        requests.push(world.request(&seeker, &[TUE_0900]).await);
    }

    let accepts: Vec<_> = requests
        .iter()
        .map(|&id| {
            let services = world.services.clone();
            let host = host.clone();
            tokio::spawn(async move { services.accept(&host, id, TUE_0900).await })
        })
        .collect();
    let mut booked = 0;
    for accept in accepts {
        match accept.await.unwrap() {
            Ok(_) => booked += 1,
            Err(ServiceError::Conflict(_)) => {}
            Err(other) => panic!("expected a conflict, got {other:?}"),
        }
    }
    assert_eq!(booked, 1);
    assert_eq!(world.services.interviews(&host).await.unwrap().len(), 1);
    let still_pending = world.services.requests(&host).await.unwrap();
    assert_eq!(still_pending.iter().filter(|r| r.status == RequestStatus::Pending).count(), 7);
}

#[tokio::test]
async fn the_directory_lists_hosts_with_their_next_free_slot() {
    let world = World::new().await;
    let services = &world.services;
    world.host().await;
    let paused = world
        .host_with("lee@example.org", "lee-builds", |p| {
            p.accepting = false;
            p.time_zone = "America/New_York".into();
        })
        .await;

    let all = services.directory(DirectoryQuery::default()).await.unwrap();
    assert_eq!(all.len(), 2);
    let priya = all.iter().find(|listing| listing.host.profile.handle.as_str() == HANDLE).unwrap();
    assert_eq!(priya.next_free, Some(ts(TUE_0900)));
    assert!(!priya.month_full);
    let lee = all.iter().find(|listing| listing.host.account_id == paused.id).unwrap();
    assert_eq!(lee.next_free, None);
    assert_eq!(lee.policy.time_zone, TimeZoneName::parse("America/New_York").unwrap());

    let free = services.directory(DirectoryQuery { has_free_slots: true, ..DirectoryQuery::default() }).await.unwrap();
    assert_eq!(free.iter().map(|l| l.host.profile.handle.as_str()).collect::<Vec<_>>(), vec![HANDLE]);
    let healthcare = services
        .directory(DirectoryQuery { industry: Some("Healthcare".into()), ..DirectoryQuery::default() })
        .await
        .unwrap();
    assert_eq!(healthcare.len(), 2);
    assert_eq!(services.industries().await.unwrap(), vec!["Healthcare".to_owned()]);
    assert_eq!(services.host(HANDLE).await.unwrap().profile.name, "Priya Raman");
    assert!(matches!(services.host("nobody-here").await, Err(ServiceError::NotFound("host"))));
}

#[tokio::test]
async fn slots_are_listed_for_dates_in_the_viewers_zone() {
    let world = World::new().await;
    let services = &world.services;
    world.host().await;
    // Tuesday 09:00 Kolkata is still Monday 19:30 in Los Angeles (UTC-8 in early March).
    let query = SlotQuery {
        from: Some(date(2026, 3, 2)),
        to: Some(date(2026, 3, 2)),
        length_minutes: Some(30),
        zone: Some(TimeZoneName::parse("America/Los_Angeles").unwrap()),
    };
    let listing = services.free_slots(HANDLE, query).await.unwrap();
    assert_eq!(listing.zone.as_str(), "America/Los_Angeles");
    assert_eq!(listing.slots.iter().map(|slot| slot.start).collect::<Vec<_>>(), vec![ts(TUE_0900), ts(TUE_0930)]);
}

#[tokio::test]
async fn passwords_and_tokens() {
    let world = World::new().await;
    let services = &world.services;
    let ada = world.seeker("ada@example.org").await;

    assert!(matches!(services.log_in("ada@example.org", "wrong password").await, Err(ServiceError::Unauthorized)));
    assert!(matches!(services.log_in("nobody@example.org", PASSWORD).await, Err(ServiceError::Unauthorized)));
    assert!(matches!(services.log_in("not an email", PASSWORD).await, Err(ServiceError::Unauthorized)));
    assert_eq!(services.log_in(" ADA@example.org ", PASSWORD).await.unwrap().id, ada.id);

    assert!(matches!(
        services.issue_api_token("ada@example.org", "wrong password").await,
        Err(ServiceError::Unauthorized)
    ));
    let token = services.issue_api_token("ada@example.org", PASSWORD).await.unwrap();
    assert_eq!(token.len(), 43, "32 bytes in unpadded base64url");
    assert!(token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'), "{token}");
    assert_eq!(services.account_for_token(&token).await.unwrap().map(|a| a.id), Some(ada.id));
    let second = services.issue_api_token("ada@example.org", PASSWORD).await.unwrap();
    assert_ne!(token, second);
    assert_eq!(services.account_for_token(&second).await.unwrap().map(|a| a.id), Some(ada.id));
    assert!(services.account_for_token("not-a-token").await.unwrap().is_none());
    assert!(services.account_for_token("").await.unwrap().is_none());

    // The demo loader's shared hash logs in like any other.
    let hash = hash_password("demo password").unwrap();
    assert!(hash.starts_with("$argon2id$"));
}
