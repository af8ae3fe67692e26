//! Property tests of the slot engine over random policies, zones, bookings and ranges throughout 2026, so
//! that daylight-saving changes in every listed zone are crossed many times.
//!
//! Each property checks the engine against a rule stated independently of how the engine computes it.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

use std::collections::BTreeMap;

use coffeechat_domain::{HostPolicy, LocalWindow, MeetingLength, TimeZoneName, Weekday};
use coffeechat_schedule::{Busy, Slot, SlotSearch, free_slots, is_free, month_bounds, start_of_day};
use jiff::civil::{Date, Time};
use jiff::tz::AmbiguousOffset;
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

const ZONES: [&str; 9] = [
    "UTC",
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Asia/Kathmandu",
    "Pacific/Chatham",
];

fn year_start() -> Timestamp {
    "2026-01-01T00:00:00Z".parse().unwrap()
}

fn minutes(count: i64) -> SignedDuration {
    SignedDuration::from_mins(count)
}

#[derive(Debug, Clone)]
struct Case {
    policy: HostPolicy,
    bookings: Vec<Busy>,
    length: MeetingLength,
    from: Timestamp,
    to: Timestamp,
    now: Timestamp,
}

impl Case {
    fn search(&self) -> SlotSearch<'_> {
        SlotSearch {
            policy: &self.policy,
            bookings: &self.bookings,
            length: self.length,
            from: self.from,
            to: self.to,
            now: self.now,
        }
    }

    fn month_of(&self, at: Timestamp) -> (i16, i8) {
        let date = self.policy.time_zone.zone().to_datetime(at).date();
        (date.year(), date.month())
    }

    fn bookings_per_month(&self, bookings: &[Busy]) -> BTreeMap<(i16, i8), u32> {
        let mut counts = BTreeMap::new();
        for busy in bookings {
            *counts.entry(self.month_of(busy.start)).or_insert(0) += 1;
        }
        counts
    }

    fn overlaps_widened_booking(&self, slot: &Slot) -> bool {
        let buffer = self.policy.buffer();
        self.bookings.iter().any(|busy| {
            let blocked_start = busy.start - buffer;
            let blocked_end = busy.end.max(busy.start) + buffer;
            slot.start < blocked_end && blocked_start < slot.end
        })
    }
}

/// The instants in 2026 at which the zone's offset changes.
fn transitions_in_2026(zone: &TimeZoneName) -> Vec<Timestamp> {
    let year_end: Timestamp = "2027-01-01T00:00:00Z".parse().unwrap();
    zone.zone()
        .following(year_start())
        .map(|transition| transition.timestamp())
        .take_while(|&transition| transition < year_end)
        .collect()
}

/// Windows on random weekdays, 15 min to 5 h long, with overlapping ones on the same day dropped (as the
/// domain's validation would refuse them).
fn windows() -> impl Strategy<Value = Vec<LocalWindow>> {
    prop::collection::vec((0..7usize, 0..(24 * 12 - 3) as i64, 3..=60i64), 1..6).prop_map(|raw| {
        raw.into_iter()
            .map(|(day, start_fives, length_fives)| {
                let start = start_fives * 5;
                let end = (start + length_fives * 5).min(23 * 60 + 59);
                let at = |total: i64| Time::new((total / 60) as i8, (total % 60) as i8, 0, 0).unwrap();
                LocalWindow { weekday: Weekday::ALL[day], start: at(start), end: at(end) }
            })
            .collect()
    })
}

/// Drops every window that overlaps an earlier one on the same day, as the domain's validation would
/// refuse them.
fn without_overlaps(mut windows: Vec<LocalWindow>) -> Vec<LocalWindow> {
    windows.sort();
    let mut kept: Vec<LocalWindow> = Vec::new();
    for window in windows {
        let overlaps = kept.last().is_some_and(|last| last.weekday == window.weekday && window.start < last.end);
        if !overlaps {
            kept.push(window);
        }
    }
    kept
}

/// A window of up to four hours around the wall-clock time at which `transition` happens, on its weekday.
fn window_around(zone: &TimeZoneName, transition: Timestamp, before_minutes: i64, after_minutes: i64) -> LocalWindow {
    let local = zone.zone().to_datetime(transition);
    let midnight = local.date().to_datetime(Time::midnight());
    let clamp = |minutes: i64| minutes.clamp(0, 23 * 60 + 59);
    let at_minute = midnight.duration_until(local).as_mins();
    let at = |total: i64| Time::new((total / 60) as i8, (total % 60) as i8, 0, 0).unwrap();
    let start = clamp(at_minute - before_minutes);
    let end = clamp(at_minute + after_minutes).max(start + 1);
    LocalWindow {
        weekday: Weekday::from_jiff(local.weekday()),
        start: at(start.min(23 * 60 + 58)),
        end: at(end.min(23 * 60 + 59)),
    }
}

fn cases(max_cap: u32) -> impl Strategy<Value = Case> {
    (
        0..ZONES.len(),
        windows(),
        0..4usize,
        (0..=120u32, 0..=72u32, 1..=60u32, 1..=max_cap),
        (any::<Option<prop::sample::Index>>(), 0..(365 * 24 * 60i64), 0..=120i64, 0..=120i64),
        (-3 * 24 * 60..20 * 24 * 60i64, 0..25 * 24 * 60i64),
        prop::collection::vec((-35 * 24 * 12..70 * 24 * 12i64, 3..=12i64), 0..14),
    )
        .prop_map(|(zone, mut windows, length, (buffer, notice, horizon, cap), near, (from, span), bookings)| {
            let zone = TimeZoneName::parse(ZONES[zone]).unwrap();
            let transitions = transitions_in_2026(&zone);
            let (pick, now, before, after) = near;
            // Half the cases search across one of the zone's offset changes, with a window around the moment
            // of change; uniform choices would almost never put a slot near one.
            let (now, from, to) = match pick {
                Some(pick) if !transitions.is_empty() => {
                    let transition = transitions[pick.index(transitions.len())];
                    windows.insert(0, window_around(&zone, transition, before, after));
                    let from = transition - minutes(from.rem_euclid(2 * 24 * 60));
                    let now = from - minutes(now % (4 * 24 * 60));
                    (now, from, from + minutes(3 * 24 * 60 + span % (10 * 24 * 60)))
                }
                _ => {
                    let now = year_start() + minutes(now);
                    (now, now + minutes(from), now + minutes(from + span))
                }
            };
            let mut policy = HostPolicy::starter(zone);
            policy.windows = without_overlaps(windows);
            policy.lengths = MeetingLength::ALL.to_vec();
            policy.buffer_minutes = buffer;
            policy.min_notice_hours = notice;
            policy.horizon_days = horizon;
            policy.monthly_cap = cap;
            let bookings = bookings
                .into_iter()
                .map(|(start_fives, length_fives)| {
                    let start = now + minutes(start_fives * 5);
                    Busy { start, end: start + minutes(length_fives * 5) }
                })
                .collect();
            Case { policy, bookings, length: MeetingLength::ALL[length], from, to, now }
        })
}

/// Whether `slot` is one the policy's windows produce: it starts on the window's civil grid on some
/// window's weekday, the start is the earlier reading of an ambiguous time, and it ends by the window end
/// (checked in civil time whenever the offset is the same at both ends).
fn inside_a_window(case: &Case, slot: &Slot) -> bool {
    let zone = case.policy.time_zone.zone();
    let local_start = zone.to_datetime(slot.start);
    let ambiguous = zone.to_ambiguous_timestamp(local_start);
    let is_first_reading = match ambiguous.offset() {
        AmbiguousOffset::Unambiguous { .. } => true,
        AmbiguousOffset::Fold { .. } => ambiguous.earlier().unwrap() == slot.start,
        AmbiguousOffset::Gap { .. } => false,
    };
    let weekday = Weekday::from_jiff(local_start.weekday());
    let step = i64::from(case.length.minutes());
    let same_offset = zone.to_offset(slot.start) == zone.to_offset(slot.end);
    let local_end = zone.to_datetime(slot.end);
    is_first_reading
        && case.policy.windows_on(weekday).any(|window| {
            let from_window_start = window.start.duration_until(local_start.time()).as_mins();
            let window_end = local_start.date().to_datetime(window.end).to_zoned(zone.clone()).unwrap().timestamp();
            from_window_start >= 0
                && from_window_start % step == 0
                && slot.end <= window_end
                && (!same_offset || (local_end.date() == local_start.date() && local_end.time() <= window.end))
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_slot_obeys_every_rule(case in cases(6)) {
        let search = case.search();
        let slots = free_slots(&search);
        let earliest = case.now + case.policy.min_notice();
        let latest = case.now + case.policy.horizon();
        let per_month = case.bookings_per_month(&case.bookings);
        for pair in slots.windows(2) {
            prop_assert!(pair[0].start < pair[1].start, "not in start order: {pair:?}");
        }
        for slot in &slots {
            prop_assert_eq!(slot.start.duration_until(slot.end), case.length.span());
            prop_assert!(slot.start >= case.from && slot.start < case.to, "outside [from, to): {slot:?}");
            prop_assert!(slot.start >= earliest, "too soon: {slot:?}");
            prop_assert!(slot.start <= latest, "beyond the horizon: {slot:?}");
            prop_assert!(!case.overlaps_widened_booking(slot), "overlaps a booking: {slot:?}");
            prop_assert!(inside_a_window(&case, slot), "outside every window: {slot:?}");
            let booked = per_month.get(&case.month_of(slot.start)).copied().unwrap_or(0);
            prop_assert!(booked < case.policy.monthly_cap, "month already full: {slot:?}");
            prop_assert!(is_free(&search, slot.start));
        }
    }

    #[test]
    fn every_slot_missing_because_of_bookings_is_explained(case in cases(6)) {
        let with_bookings = free_slots(&case.search());
        let without = free_slots(&SlotSearch { bookings: &[], ..case.search() });
        let per_month = case.bookings_per_month(&case.bookings);
        for slot in &with_bookings {
            prop_assert!(without.binary_search(slot).is_ok(), "bookings created a slot: {slot:?}");
        }
        for slot in without.iter().filter(|slot| with_bookings.binary_search(slot).is_err()) {
            let month_full = per_month.get(&case.month_of(slot.start)).copied().unwrap_or(0) >= case.policy.monthly_cap;
            prop_assert!(month_full || case.overlaps_widened_booking(slot), "dropped without reason: {slot:?}");
        }
    }

    #[test]
    fn a_range_equals_the_union_of_its_days(case in cases(6)) {
        let whole = free_slots(&case.search());
        let zone = &case.policy.time_zone;
        let mut pieces: Vec<Slot> = Vec::new();
        let mut piece_from = case.from;
        let mut date: Date = zone.zone().to_datetime(case.from).date();
        while piece_from < case.to {
            date = date.tomorrow().unwrap();
            let piece_to = start_of_day(zone, date).min(case.to);
            if piece_to > piece_from {
                pieces.extend(free_slots(&SlotSearch { from: piece_from, to: piece_to, ..case.search() }));
                piece_from = piece_to;
            }
        }
        prop_assert_eq!(&pieces, &whole);
        // Cutting at arbitrary instants instead of midnights changes nothing either.
        let cut = case.from + (case.from.duration_until(case.to) / 3);
        let mut halves = free_slots(&SlotSearch { to: cut, ..case.search() });
        halves.extend(free_slots(&SlotSearch { from: cut, ..case.search() }));
        prop_assert_eq!(halves, whole);
    }

    #[test]
    fn is_free_agrees_with_free_slots_nearby(case in cases(6), probes in prop::collection::vec(-12..12i64, 1..6)) {
        let search = case.search();
        let slots = free_slots(&search);
        for slot in slots.iter().take(20) {
            for &offset in &probes {
                let probe = slot.start + minutes(offset * 5);
                prop_assert_eq!(is_free(&search, probe), slots.binary_search_by_key(&probe, |s| s.start).is_ok(), "at {}", probe);
            }
        }
    }

    #[test]
    fn booking_order_does_not_matter(case in cases(6)) {
        let mut reversed = case.clone();
        reversed.bookings.reverse();
        prop_assert_eq!(free_slots(&case.search()), free_slots(&reversed.search()));
    }

    #[test]
    fn month_bounds_contain_their_instant(zone in 0..ZONES.len(), offset in 0..(3 * 365 * 24 * 60i64)) {
        let zone = TimeZoneName::parse(ZONES[zone]).unwrap();
        let at = year_start() - minutes(365 * 24 * 60) + minutes(offset);
        let (start, end) = month_bounds(&zone, at);
        prop_assert!(start <= at && at < end);
        let first = zone.zone().to_datetime(start);
        prop_assert_eq!(first.day(), 1);
        prop_assert_eq!(month_bounds(&zone, end).0, end, "months tile the time line");
    }
}

proptest! {
    // Each case books repeatedly, so fewer cases keep the suite quick.
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn booking_offered_slots_one_at_a_time_never_exceeds_the_cap(case in cases(4), picks in prop::collection::vec(any::<prop::sample::Index>(), 14)) {
        let mut case = case;
        case.bookings.clear();
        for pick in picks {
            let slots = free_slots(&case.search());
            if slots.is_empty() {
                break;
            }
            let chosen = slots[pick.index(slots.len())];
            case.bookings.push(Busy { start: chosen.start, end: chosen.end });
            prop_assert!(!is_free(&case.search(), chosen.start), "a booked slot is still offered: {chosen:?}");
            for (month, count) in case.bookings_per_month(&case.bookings) {
                prop_assert!(count <= case.policy.monthly_cap, "{month:?} has {count} bookings, cap {}", case.policy.monthly_cap);
            }
        }
    }
}
