//! Property tests of the slot engine over random policies, overrides, zones, bookings, holds, busy blocks,
//! pending requests and ranges throughout 2026, so that daylight-saving changes in every listed zone are
//! crossed many times.
//!
//! Each property checks the engine against a rule stated independently of how the engine computes it: the
//! periods, windows and overlaps below are recomputed here in the plainest way, never with the engine's
//! helpers.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

use std::collections::BTreeMap;

use coffeechat_domain::{DateOverride, HostPolicy, LocalWindow, MeetingLength, TimeRange, TimeZoneName, Weekday};
use coffeechat_schedule::{
    Busy, Slot, SlotSearch, Unavailable, day_bounds, free_slots, is_free, month_bounds, months_covering,
    next_free_slot, start_of_day, week_bounds, why_not_free,
};
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

const INCREMENTS: [Option<u32>; 5] = [None, Some(5), Some(10), Some(15), Some(30)];

fn year_start() -> Timestamp {
    "2026-01-01T00:00:00Z".parse().unwrap()
}

fn minutes(count: i64) -> SignedDuration {
    SignedDuration::from_mins(count)
}

fn at_minute(total: i64) -> Time {
    Time::new((total / 60) as i8, (total % 60) as i8, 0, 0).unwrap()
}

/// The periods caps are counted in, keyed plainly: a local date, the local date a week starts on, a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Period {
    Day(Date),
    Week(Date),
    Month(i16, i8),
}

#[derive(Debug, Clone)]
struct Case {
    policy: HostPolicy,
    overrides: Vec<DateOverride>,
    bookings: Vec<Busy>,
    holds: Vec<Busy>,
    busy: Vec<Busy>,
    pending: Vec<Timestamp>,
    length: MeetingLength,
    from: Timestamp,
    to: Timestamp,
    now: Timestamp,
}

impl Case {
    fn search(&self) -> SlotSearch<'_> {
        SlotSearch {
            overrides: &self.overrides,
            bookings: &self.bookings,
            holds: &self.holds,
            pending: &self.pending,
            busy: &self.busy,
            ..SlotSearch::new(&self.policy, self.length, self.from, self.to, self.now)
        }
    }

    fn local_date(&self, at: Timestamp) -> Date {
        self.policy.time_zone.zone().to_datetime(at).date()
    }

    /// Day, week and month of `at` in the host's zone; the week found by walking back to its first day.
    fn periods_of(&self, at: Timestamp) -> [Period; 3] {
        let date = self.local_date(at);
        let mut week = date;
        while Weekday::from_jiff(week.weekday()) != self.policy.week_start {
            week = week.yesterday().unwrap();
        }
        [Period::Day(date), Period::Week(week), Period::Month(date.year(), date.month())]
    }

    fn cap_of(&self, period: Period) -> Option<u32> {
        match period {
            Period::Day(_) => self.policy.daily_cap,
            Period::Week(_) => self.policy.weekly_cap,
            Period::Month(..) => Some(self.policy.monthly_cap),
        }
    }

    /// How many counted instants (interview starts, and pending requests when the host counts them) fall
    /// in each period.
    fn counts(&self) -> BTreeMap<Period, u32> {
        let pending = if self.policy.count_pending { self.pending.as_slice() } else { &[] };
        let mut counts = BTreeMap::new();
        for at in self.bookings.iter().map(|busy| busy.start).chain(pending.iter().copied()) {
            for period in self.periods_of(at) {
                *counts.entry(period).or_insert(0) += 1;
            }
        }
        counts
    }

    /// The full periods containing `at`, if any.
    fn full_periods_of(&self, at: Timestamp, counts: &BTreeMap<Period, u32>) -> Vec<Period> {
        self.periods_of(at)
            .into_iter()
            .filter(|&period| self.cap_of(period).is_some_and(|cap| counts.get(&period).copied().unwrap_or(0) >= cap))
            .collect()
    }

    fn overlaps_blocked_time(&self, slot: &Slot) -> bool {
        let buffer = self.policy.buffer();
        self.bookings.iter().chain(&self.holds).chain(&self.busy).any(|busy| {
            let blocked_start = busy.start - buffer;
            let blocked_end = busy.end.max(busy.start) + buffer;
            slot.start < blocked_end && blocked_start < slot.end
        })
    }

    /// The host's windows on local `date`: the first override covering it, else the weekly ones.
    fn windows_on(&self, date: Date) -> Vec<(Time, Time)> {
        match self.overrides.iter().find(|date_override| date_override.from <= date && date <= date_override.to) {
            Some(date_override) => date_override.windows.iter().map(|range| (range.start, range.end)).collect(),
            None => self
                .policy
                .windows
                .iter()
                .filter(|window| window.weekday == Weekday::from_jiff(date.weekday()))
                .map(|window| (window.start, window.end))
                .collect(),
        }
    }

    fn step_minutes(&self) -> i64 {
        i64::from(self.policy.slot_increment_minutes.unwrap_or(u32::from(self.length.minutes())))
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
                LocalWindow { weekday: Weekday::ALL[day], start: at_minute(start), end: at_minute(end) }
            })
            .collect()
    })
}

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

/// An override as drawn: days after the search's first date, extra days, windows as (start, length) in
/// five-minute units.
type RawOverride = (i64, i64, Vec<(i64, i64)>);

/// Up to three overrides near the search: each covers 1–3 days with up to two windows (none = off). They
/// may overlap one another, to check that the first wins.
fn overrides() -> impl Strategy<Value = Vec<RawOverride>> {
    prop::collection::vec((-2..16i64, 0..3i64, prop::collection::vec((0..(24 * 12 - 3) as i64, 3..=36i64), 0..3)), 0..4)
}

fn make_overrides(first_date: Date, raw: Vec<RawOverride>) -> Vec<DateOverride> {
    raw.into_iter()
        .map(|(offset, extra_days, windows)| {
            let from = first_date.checked_add(jiff::Span::new().days(offset)).unwrap();
            let to = from.checked_add(jiff::Span::new().days(extra_days)).unwrap();
            let mut ranges: Vec<TimeRange> = windows
                .into_iter()
                .map(|(start_fives, length_fives)| {
                    let start = start_fives * 5;
                    TimeRange { start: at_minute(start), end: at_minute((start + length_fives * 5).min(23 * 60 + 59)) }
                })
                .collect();
            ranges.sort();
            let mut kept: Vec<TimeRange> = Vec::new();
            for range in ranges {
                if kept.last().is_none_or(|last| last.end <= range.start) {
                    kept.push(range);
                }
            }
            DateOverride { from, to, windows: kept }
        })
        .collect()
}

/// A window of up to four hours around the wall-clock time at which `transition` happens, on its weekday.
fn window_around(zone: &TimeZoneName, transition: Timestamp, before_minutes: i64, after_minutes: i64) -> LocalWindow {
    let local = zone.zone().to_datetime(transition);
    let midnight = local.date().to_datetime(Time::midnight());
    let clamp = |minutes: i64| minutes.clamp(0, 23 * 60 + 59);
    let minute_of_day = midnight.duration_until(local).as_mins();
    let start = clamp(minute_of_day - before_minutes);
    let end = clamp(minute_of_day + after_minutes).max(start + 1);
    LocalWindow {
        weekday: Weekday::from_jiff(local.weekday()),
        start: at_minute(start.min(23 * 60 + 58)),
        end: at_minute(end.min(23 * 60 + 59)),
    }
}

/// Intervals of 15–60 min starting within [-35, 70) days of `now`, on a five-minute grid.
fn intervals(count: usize) -> impl Strategy<Value = Vec<(i64, i64)>> {
    prop::collection::vec((-35 * 24 * 12..70 * 24 * 12i64, 3..=12i64), 0..count)
}

fn to_busy(now: Timestamp, raw: Vec<(i64, i64)>) -> Vec<Busy> {
    raw.into_iter()
        .map(|(start_fives, length_fives)| {
            let start = now + minutes(start_fives * 5);
            Busy { start, end: start + minutes(length_fives * 5) }
        })
        .collect()
}

fn cases(max_monthly_cap: u32) -> impl Strategy<Value = Case> {
    (
        (0..ZONES.len(), windows(), 0..4usize, overrides()),
        (0..=60u32, 0..=72u32, 1..=60u32, 1..=max_monthly_cap),
        (prop::option::of(1..=3u32), prop::option::of(1..=5u32), 0..7usize, 0..INCREMENTS.len(), any::<bool>()),
        (any::<Option<prop::sample::Index>>(), 0..(365 * 24 * 60i64), 0..=120i64, 0..=120i64),
        (-3 * 24 * 60..20 * 24 * 60i64, 0..25 * 24 * 60i64),
        (intervals(10), intervals(5), intervals(10), prop::collection::vec(-35 * 24 * 12..70 * 24 * 12i64, 0..4)),
    )
        .prop_map(
            |(
                (zone, mut windows, length, raw_overrides),
                (buffer, notice, horizon, monthly_cap),
                (daily_cap, weekly_cap, week_start, increment, count_pending),
                (pick, now, before, after),
                (from, span),
                (bookings, holds, busy, pending),
            )| {
                let zone = TimeZoneName::parse(ZONES[zone]).unwrap();
                let transitions = transitions_in_2026(&zone);
                // Half the cases search across one of the zone's offset changes, with a window around the
                // moment of change; uniform choices would almost never put a slot near one.
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
                let overrides = make_overrides(zone.zone().to_datetime(from).date(), raw_overrides);
                let mut policy = HostPolicy::starter(zone);
                policy.windows = without_overlaps(windows);
                policy.lengths = MeetingLength::ALL.to_vec();
                policy.buffer_minutes = buffer;
                policy.min_notice_hours = notice;
                policy.horizon_days = horizon;
                policy.monthly_cap = monthly_cap;
                policy.daily_cap = daily_cap;
                policy.weekly_cap = weekly_cap;
                policy.week_start = Weekday::ALL[week_start];
                policy.slot_increment_minutes = INCREMENTS[increment];
                policy.count_pending = count_pending;
                Case {
                    policy,
                    overrides,
                    bookings: to_busy(now, bookings),
                    holds: to_busy(now, holds),
                    busy: to_busy(now, busy),
                    pending: pending.into_iter().map(|fives| now + minutes(fives * 5)).collect(),
                    length: MeetingLength::ALL[length],
                    from,
                    to,
                    now,
                }
            },
        )
}

/// Whether `slot` is one the date's windows produce: it starts on a window's civil grid (a whole number of
/// increments from the window's start), the start is the earlier reading of an ambiguous time, and it ends
/// by the window end (checked in civil time whenever the offset is the same at both ends).
fn inside_a_window(case: &Case, slot: &Slot) -> bool {
    let zone = case.policy.time_zone.zone();
    let local_start = zone.to_datetime(slot.start);
    let ambiguous = zone.to_ambiguous_timestamp(local_start);
    let is_first_reading = match ambiguous.offset() {
        AmbiguousOffset::Unambiguous { .. } => true,
        AmbiguousOffset::Fold { .. } => ambiguous.earlier().unwrap() == slot.start,
        AmbiguousOffset::Gap { .. } => false,
    };
    let step = case.step_minutes();
    let same_offset = zone.to_offset(slot.start) == zone.to_offset(slot.end);
    let local_end = zone.to_datetime(slot.end);
    is_first_reading
        && case.windows_on(local_start.date()).into_iter().any(|(start, end)| {
            let from_window_start = start.duration_until(local_start.time()).as_mins();
            let window_end = local_start.date().to_datetime(end).to_zoned(zone.clone()).unwrap().timestamp();
            from_window_start >= 0
                && from_window_start % step == 0
                && slot.end <= window_end
                && (!same_offset || (local_end.date() == local_start.date() && local_end.time() <= end))
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
        let counts = case.counts();
        for pair in slots.windows(2) {
            prop_assert!(pair[0].start < pair[1].start, "not in start order: {pair:?}");
        }
        for slot in &slots {
            prop_assert_eq!(slot.start.duration_until(slot.end), case.length.span());
            prop_assert!(slot.start >= case.from && slot.start < case.to, "outside [from, to): {slot:?}");
            prop_assert!(slot.start >= earliest, "too soon: {slot:?}");
            prop_assert!(slot.start <= latest, "beyond the horizon: {slot:?}");
            prop_assert!(!case.overlaps_blocked_time(slot), "overlaps blocked time: {slot:?}");
            prop_assert!(inside_a_window(&case, slot), "outside every window of its date: {slot:?}");
            let full = case.full_periods_of(slot.start, &counts);
            prop_assert!(full.is_empty(), "{full:?} already full: {slot:?}");
            prop_assert_eq!(why_not_free(&search, slot.start), None);
        }
        // A date whose first covering override is a day off has no slots at all.
        for slot in &slots {
            let date = case.local_date(slot.start);
            let day_off = case.overrides.iter().find(|o| o.from <= date && date <= o.to).is_some_and(|o| o.windows.is_empty());
            prop_assert!(!day_off, "slot on a day off: {slot:?}");
        }
    }

    #[test]
    fn every_slot_missing_because_of_busy_time_or_caps_is_explained(case in cases(6)) {
        let search = case.search();
        let with_everything = free_slots(&search);
        let bare = SlotSearch { bookings: &[], holds: &[], busy: &[], pending: &[], ..search };
        let without = free_slots(&bare);
        let counts = case.counts();
        for slot in &with_everything {
            prop_assert!(without.binary_search(slot).is_ok(), "busy time created a slot: {slot:?}");
        }
        for slot in without.iter().filter(|slot| with_everything.binary_search(slot).is_err()) {
            let full = case.full_periods_of(slot.start, &counts);
            let reason = why_not_free(&search, slot.start);
            match reason {
                Some(Unavailable::Taken) => prop_assert!(full.is_empty() && case.overlaps_blocked_time(slot)),
                Some(Unavailable::DayFull) => prop_assert!(full.iter().any(|p| matches!(p, Period::Day(_)))),
                Some(Unavailable::WeekFull) => prop_assert!(full.iter().any(|p| matches!(p, Period::Week(_)))),
                Some(Unavailable::MonthFull) => prop_assert!(full.iter().any(|p| matches!(p, Period::Month(..)))),
                other => prop_assert!(false, "{slot:?} dropped for {other:?}"),
            }
        }
    }

    #[test]
    fn a_range_equals_the_union_of_its_days(case in cases(6)) {
        let whole = free_slots(&case.search());
        let zone = &case.policy.time_zone;
        let mut pieces: Vec<Slot> = Vec::new();
        let mut piece_from = case.from;
        let mut date: Date = case.local_date(case.from);
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
    fn is_free_and_why_not_free_agree_with_free_slots_nearby(case in cases(6), probes in prop::collection::vec(-12..12i64, 1..6)) {
        let search = case.search();
        let slots = free_slots(&search);
        for slot in slots.iter().take(20) {
            for &offset in &probes {
                let probe = slot.start + minutes(offset * 5);
                let listed = slots.binary_search_by_key(&probe, |s| s.start).is_ok();
                prop_assert_eq!(is_free(&search, probe), listed, "at {}", probe);
                prop_assert_eq!(why_not_free(&search, probe).is_none(), listed, "at {}", probe);
            }
        }
    }

    #[test]
    fn input_order_does_not_matter(case in cases(6)) {
        let mut reversed = case.clone();
        reversed.bookings.reverse();
        reversed.holds.reverse();
        reversed.busy.reverse();
        reversed.pending.reverse();
        prop_assert_eq!(free_slots(&case.search()), free_slots(&reversed.search()));
    }

    #[test]
    fn next_free_slot_is_the_first_slot_up_to_the_horizon(case in cases(6)) {
        let until_horizon = free_slots(&SlotSearch { to: Timestamp::MAX, ..case.search() });
        prop_assert_eq!(next_free_slot(&case.search()), until_horizon.first().copied());
    }

    #[test]
    fn period_bounds_contain_their_instant_and_tile_the_time_line(zone in 0..ZONES.len(), week_start in 0..7usize, offset in 0..(3 * 365 * 24 * 60i64)) {
        let zone = TimeZoneName::parse(ZONES[zone]).unwrap();
        let week_start = Weekday::ALL[week_start];
        let at = year_start() - minutes(365 * 24 * 60) + minutes(offset);
        let (month_start, month_end) = month_bounds(&zone, at);
        prop_assert!(month_start <= at && at < month_end);
        prop_assert_eq!(zone.zone().to_datetime(month_start).day(), 1);
        prop_assert_eq!(month_bounds(&zone, month_end).0, month_end, "months tile the time line");
        let (day_start, day_end) = day_bounds(&zone, at);
        prop_assert!(day_start <= at && at < day_end);
        prop_assert_eq!(day_bounds(&zone, day_end).0, day_end, "days tile the time line");
        let (week_start_at, week_end) = week_bounds(&zone, week_start, at);
        prop_assert!(week_start_at <= at && at < week_end);
        prop_assert_eq!(Weekday::from_jiff(zone.zone().to_datetime(week_start_at).weekday()), week_start);
        prop_assert_eq!(week_bounds(&zone, week_start, week_end).0, week_end, "weeks tile the time line");
        let later = at + minutes(offset % (40 * 24 * 60));
        let (covered_from, covered_to) = months_covering(&zone, at, later);
        prop_assert!(covered_from <= month_start.min(week_start_at));
        prop_assert!(covered_to >= month_bounds(&zone, later).1.max(week_bounds(&zone, week_start, later).1));
    }
}

proptest! {
    // Each case books repeatedly, so fewer cases keep the suite quick.
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn booking_offered_slots_one_at_a_time_never_exceeds_a_cap(case in cases(4), picks in prop::collection::vec(any::<prop::sample::Index>(), 14)) {
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
            let counts = case.counts();
            // Pending requests may fill a period by themselves; a booking never takes one past its cap.
            for period in case.periods_of(chosen.start) {
                let count = counts.get(&period).copied().unwrap_or(0);
                if let Some(cap) = case.cap_of(period) {
                    prop_assert!(count <= cap, "{period:?} has {count}, cap {cap}, after booking {chosen:?}");
                }
            }
            if !case.policy.count_pending || case.pending.is_empty() {
                for (period, count) in &counts {
                    let cap = case.cap_of(*period).unwrap_or(u32::MAX);
                    prop_assert!(*count <= cap, "{period:?} has {count}, cap {cap}");
                }
            }
        }
    }
}
