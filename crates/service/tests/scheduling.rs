//! Overrides, holds and caps as the services apply them, on a real SQLite store with a fixed clock: the
//! directory, the slot listing, request creation and acceptance must all agree.
//!
//! The host lives in Asia/Kolkata (UTC+05:30, no daylight saving) with weekday windows 09:00–10:00 local
//! (03:30–04:30 UTC), 30-minute slots, a 10-minute buffer and 24 hours' notice. "Now" is Monday
//! 2 March 2026, 00:00 UTC, so Tuesday 3 March is the first day with free slots.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod support;

use std::sync::Arc;

use coffeechat_domain::{HostProfileInput, NewRequestInput, OverrideInput, PolicyInput, TimeRangeInput};
use coffeechat_service::{Account, DirectoryQuery, FixedClock, ServiceError, Services, SlotQuery};
use jiff::civil::{Date, date};
use jiff::{SignedDuration, Timestamp};
use support::{Fresh, NOW, invalid, sign_up_input, ts, window};

const HANDLE: &str = "priya-data";
/// Tuesday 3 March, 09:00 and 09:30 in Kolkata.
const TUE_0900: &str = "2026-03-03T03:30:00Z";
const TUE_0930: &str = "2026-03-03T04:00:00Z";
const WED_0900: &str = "2026-03-04T03:30:00Z";

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

    async fn sign_up(&self, email: &str, roles: &[&str]) -> Account {
        self.services.sign_up(sign_up_input(email, "Someone", roles, "Europe/Berlin")).await.unwrap()
    }

    async fn host(&self, adjust: impl FnOnce(&mut PolicyInput)) -> Account {
        let host = self.sign_up("priya@example.org", &["host"]).await;
        let profile = HostProfileInput {
            handle: HANDLE.into(),
            name: "Priya Raman".into(),
            headline: "Data scientist".into(),
            role: "Data scientist".into(),
            employer: "Northwind".into(),
            industry: "Healthcare".into(),
            skills: vec![],
            topics: vec!["Data".into()],
            career_path: "Teacher, then analyst.".into(),
        };
        self.services.put_host_profile(&host, profile).await.unwrap();
        let mut policy = PolicyInput {
            time_zone: "Asia/Kolkata".into(),
            lengths_minutes: vec![30],
            windows: ["mon", "tue", "wed", "thu", "fri"].into_iter().map(|day| window(day, "09:00", "10:00")).collect(),
            monthly_cap: 10,
            buffer_minutes: 10,
            min_notice_hours: 24,
            horizon_days: 60,
            accepting: true,
            ..PolicyInput::default()
        };
        adjust(&mut policy);
        self.services.put_policy(&host, policy).await.unwrap();
        host
    }

    async fn slots(&self, from: Date, to: Date) -> Vec<Timestamp> {
        let query = SlotQuery { from: Some(from), to: Some(to), length_minutes: Some(30), zone: None };
        self.services.free_slots(HANDLE, query).await.unwrap().slots.iter().map(|slot| slot.start).collect()
    }

    async fn next_free(&self) -> Option<Timestamp> {
        let listings = self.services.directory(DirectoryQuery::default()).await.unwrap();
        assert_eq!(listings.len(), 1);
        listings[0].next_free
    }
}

fn request(starts: &[&str]) -> NewRequestInput {
    NewRequestInput {
        host: HANDLE.into(),
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

fn day_off(from: &str, to: &str) -> OverrideInput {
    OverrideInput { from: from.into(), to: to.into(), windows: vec![] }
}

#[tokio::test]
async fn the_directory_and_the_listing_follow_overrides() {
    let world = World::new().await;
    let host = world.host(|_| {}).await;
    assert_eq!(world.next_free().await, Some(ts(TUE_0900)));

    // Off for the whole fortnight the directory looks at: no next free slot, filtered out by "has free slots".
    world.services.add_override(&host, day_off("2026-03-02", "2026-03-16")).await.unwrap();
    assert_eq!(world.next_free().await, None);
    let free_only = DirectoryQuery { has_free_slots: true, ..DirectoryQuery::default() };
    assert!(world.services.directory(free_only).await.unwrap().is_empty());

    // A Saturday with hours, inside the holiday's dates, is refused: overrides never share a date.
    let saturday = OverrideInput {
        from: "2026-03-07".into(),
        to: String::new(),
        windows: vec![TimeRangeInput { start: "14:00".into(), end: "15:00".into() }],
    };
    let message = invalid(world.services.add_override(&host, saturday.clone()).await, "from");
    assert!(message.contains("2 Mar 2026 – 16 Mar 2026 (off)"), "{message}");

    // Shorten the holiday; the Saturday hours are then accepted and the directory's next opening is there.
    let holiday = world.services.overrides(&host).await.unwrap().remove(0);
    world.services.delete_override(&host, holiday.id).await.unwrap();
    world.services.add_override(&host, day_off("2026-03-02", "2026-03-06")).await.unwrap();
    world.services.add_override(&host, saturday).await.unwrap();
    // Saturday 7 March 14:00 in Kolkata.
    assert_eq!(world.next_free().await, Some(ts("2026-03-07T08:30:00Z")));
    let saturday_slots = [ts("2026-03-07T08:30:00Z"), ts("2026-03-07T09:00:00Z")];
    assert_eq!(world.slots(date(2026, 3, 3), date(2026, 3, 7)).await, saturday_slots);

    // Removing someone else's override, or one that is gone, is "not found".
    let other = world.sign_up("lee@example.org", &["host"]).await;
    let mine = world.services.overrides(&host).await.unwrap().remove(0);
    assert!(matches!(world.services.delete_override(&other, mine.id).await, Err(ServiceError::NotFound("override"))));
    let seeker = world.sign_up("sam@example.org", &["seeker"]).await;
    assert!(matches!(world.services.overrides(&seeker).await, Err(ServiceError::Forbidden(_))));
}

#[tokio::test]
async fn holds_hide_proposed_times_from_the_directory_until_they_lapse() {
    let world = World::new().await;
    world.host(|policy| policy.hold_hours = 2).await;
    let ada = world.sign_up("ada@example.org", &["seeker"]).await;
    let bob = world.sign_up("bob@example.org", &["seeker"]).await;

    world.services.create_request(&ada, request(&[TUE_0900])).await.unwrap();
    // 09:00 is held and 09:30 sits in its buffer: Tuesday has nothing left, Wednesday is next.
    assert_eq!(world.next_free().await, Some(ts(WED_0900)));
    assert!(world.slots(date(2026, 3, 3), date(2026, 3, 3)).await.is_empty());
    let held = invalid(world.services.create_request(&bob, request(&[TUE_0930])).await, "proposed_starts");
    assert_eq!(held, "Tue 3 Mar 2026, 05:00 (Europe/Berlin) is held for another request; please choose another time");

    world.clock.set(ts(NOW) + SignedDuration::from_hours(2));
    assert_eq!(world.next_free().await, Some(ts(TUE_0900)), "released after two hours");
    world.services.create_request(&bob, request(&[TUE_0930])).await.unwrap();
}

#[tokio::test]
async fn caps_count_interviews_and_when_asked_pending_requests() {
    let world = World::new().await;
    let host = world
        .host(|policy| {
            policy.daily_cap = Some(1);
            policy.count_pending = true;
            policy.hold_hours = 0;
            policy.buffer_minutes = 0;
        })
        .await;
    let ada = world.sign_up("ada@example.org", &["seeker"]).await;
    let bob = world.sign_up("bob@example.org", &["seeker"]).await;

    // Ada proposes Tuesday and Wednesday: her request counts on Tuesday, its earliest proposal.
    let adas = world.services.create_request(&ada, request(&[TUE_0900, WED_0900])).await.unwrap();
    assert_eq!(world.next_free().await, Some(ts(WED_0900)));
    let full = invalid(world.services.create_request(&bob, request(&[TUE_0930])).await, "proposed_starts");
    assert!(full.ends_with("is not a free slot: that day is full"), "{full}");
    let bobs = world.services.create_request(&bob, request(&[WED_0900])).await.unwrap();

    // The host accepts Ada on Wednesday: Bob's pending request there does not stand in the way.
    let interview = world.services.accept(&host, adas.id, WED_0900).await.unwrap();
    assert_eq!(interview.start, ts(WED_0900));
    // Wednesday now holds an interview; Bob's request there can no longer be accepted.
    match world.services.accept(&host, bobs.id, WED_0900).await {
        Err(ServiceError::Conflict(message)) => assert_eq!(message, "the host's day is already full"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    // Tuesday is open again: Ada's request no longer pends there.
    assert_eq!(world.slots(date(2026, 3, 3), date(2026, 3, 3)).await, [ts(TUE_0900), ts(TUE_0930)]);
}
