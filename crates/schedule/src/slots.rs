//! The slot engine: a host policy, date overrides and the host's interviews, held proposals, pending
//! requests and calendar busy time in; the free slots a seeker may propose out.
//!
//! Windows are walked per host-local date, so wall-clock times are kept across daylight-saving changes.
//! Everything that blocks time is widened by the buffer and merged once per search into disjoint intervals
//! (`blocked`), and the caps are reduced once per search to the few periods that are full (`caps`), so the
//! walk itself costs a few comparisons per candidate and allocates nothing but the output.

use std::fmt;
use std::ops::ControlFlow;

use coffeechat_domain::{DateOverride, HostPolicy, MeetingLength, TimeRange, Weekday};
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::blocked::{self, Blocked, Cursor};
use crate::caps::FullPeriods;
use crate::local_time::{Offsets, first_instant_at_or_after, slot_start_instant};
use crate::moment::Moment;

/// A free slot, as instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slot {
    pub start: Timestamp,
    pub end: Timestamp,
}

/// Time the host is busy (an interview, a held proposal, an event in the host's own calendar); buffers are
/// applied by the engine.
///
/// An interval whose `end` precedes its `start` is treated as the single instant `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Busy {
    pub start: Timestamp,
    pub end: Timestamp,
}

/// Everything one search for free slots depends on.
#[derive(Debug, Clone, Copy)]
pub struct SlotSearch<'a> {
    pub policy: &'a HostPolicy,
    /// Date overrides in the host's zone: for a covered local date, its windows replace the weekly windows
    /// (empty = day off). Callers guarantee overrides don't overlap; if they do, the first wins.
    pub overrides: &'a [DateOverride],
    /// Active interviews, any order: block time (widened by the buffer) and count towards every cap. Must
    /// include every interview in [`months_covering`](crate::months_covering)`(from, to)` so caps are right.
    pub bookings: &'a [Busy],
    /// Proposed slots of pending requests still inside their hold: block time (widened by the buffer) but
    /// never count towards caps by themselves.
    pub holds: &'a [Busy],
    /// One instant per pending request (its earliest proposed start): counted towards the caps of the
    /// periods it falls in, but only when `policy.count_pending`.
    pub pending: &'a [Timestamp],
    /// Busy time from the host's own calendars: blocks time (widened by the buffer), never counted.
    pub busy: &'a [Busy],
    pub length: MeetingLength,
    /// Only slots starting in [from, to) are returned.
    pub from: Timestamp,
    pub to: Timestamp,
    pub now: Timestamp,
}

impl<'a> SlotSearch<'a> {
    /// A search with no overrides, bookings, holds, pending requests or busy time; callers then set the
    /// fields they have: `SlotSearch { bookings: &b, ..SlotSearch::new(..) }`.
    pub fn new(policy: &'a HostPolicy, length: MeetingLength, from: Timestamp, to: Timestamp, now: Timestamp) -> Self {
        Self { policy, overrides: &[], bookings: &[], holds: &[], pending: &[], busy: &[], length, from, to, now }
    }
}

/// Why a start is not free. When several reasons apply, the first in this order is given (a slot outside
/// every window is "not in window" even if its month is also full).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unavailable {
    /// The host is not taking requests at all.
    NotAccepting,
    /// Before `now + min_notice` (or before the search's `from`).
    TooSoon,
    /// After `now + horizon` (or at or after the search's `to`).
    BeyondHorizon,
    /// Not a start the host's windows produce on that local date (off the grid, ending after the window,
    /// inside a daylight-saving gap, a day off).
    NotInWindow,
    /// The host-local month holds as many interviews as the host allows.
    MonthFull,
    /// The host-local week holds as many interviews as the host allows.
    WeekFull,
    /// The host-local day holds as many interviews as the host allows.
    DayFull,
    /// Overlaps an interview, a held proposal or a busy event (buffers included).
    Taken,
}

impl Unavailable {
    /// A stable snake_case code, for API error bodies.
    pub fn code(self) -> &'static str {
        match self {
            Self::NotAccepting => "not_accepting",
            Self::TooSoon => "too_soon",
            Self::BeyondHorizon => "beyond_horizon",
            Self::NotInWindow => "not_in_window",
            Self::MonthFull => "month_full",
            Self::WeekFull => "week_full",
            Self::DayFull => "day_full",
            Self::Taken => "taken",
        }
    }
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotAccepting => "the host is not taking requests",
            Self::TooSoon => "that is sooner than the host's minimum notice",
            Self::BeyondHorizon => "that is further ahead than the host takes bookings",
            Self::NotInWindow => "that is not one of the host's slot times",
            Self::MonthFull => "the host's month is already full",
            Self::WeekFull => "the host's week is already full",
            Self::DayFull => "the host's day is already full",
            Self::Taken => "that time is already taken",
        })
    }
}

/// Free slots in start order.
///
/// Windows are host-local wall-clock times, generated per local date: a date covered by an override uses the
/// override's windows (none = day off), any other date its weekday's windows. Slot starts step by
/// `policy.slot_increment(length)` from the window start (in civil time); a slot must end by the window end.
/// DST: a local start that doesn't exist (spring gap) is skipped; an ambiguous one (autumn fold) takes the
/// earlier instant; a window whose end falls in a gap ends when the clocks jump.
///
/// Excludes: starts before now + min_notice, starts after now + horizon_days, overlaps with any booking,
/// hold or busy block widened by the buffer on both sides, and every slot in a host-local day, week
/// (starting on `policy.week_start`) or month whose count of interviews (plus pending requests when
/// `policy.count_pending`) *starting* in it has reached its cap. `policy.accepting == false` → no slots.
pub fn free_slots(search: &SlotSearch<'_>) -> Vec<Slot> {
    let mut slots = Vec::new();
    let Some((engine, first_date, last_date)) = Engine::for_range(search, Bounds::of(search)) else {
        return slots;
    };
    let _ = engine.scan(first_date, last_date, &mut |slot| {
        slots.push(slot);
        ControlFlow::Continue(())
    });
    // Validated policies already yield strictly increasing starts; this only guards policies built by hand
    // with unsorted or overlapping windows, and costs a linear pass on sorted input.
    slots.sort_unstable();
    slots.dedup();
    slots
}

/// True when `start` is exactly the start of one of [`free_slots`] (same rules) — used to validate proposals.
///
/// Only the host-local date of `start` is examined, so this stays cheap however wide `[from, to)` is.
pub fn is_free(search: &SlotSearch<'_>, start: Timestamp) -> bool {
    why_not_free(search, start).is_none()
}

/// Why `start` is not the start of one of [`free_slots`], or `None` when it is (exactly when [`is_free`]).
///
/// The search's `[from, to)` narrows the same bounds as notice and horizon: a start before `from` is
/// [`Unavailable::TooSoon`], one at or after `to` is [`Unavailable::BeyondHorizon`].
pub fn why_not_free(search: &SlotSearch<'_>, start: Timestamp) -> Option<Unavailable> {
    if !search.policy.accepting {
        return Some(Unavailable::NotAccepting);
    }
    let bounds = Bounds::of(search);
    let moment = Moment::from_timestamp(start);
    if let Some(reason) = bounds.refuses(moment) {
        return Some(reason);
    }
    let engine = Engine::new(search, bounds, start, start);
    // A slot generated for a local date starts on that date (a fold's earlier instant still reads that
    // date), so the date of `start` is the only one that can produce it.
    let date = engine.offsets.local_date(start);
    let mut end = None;
    let _ = engine.candidates(date, &mut |candidate_start, candidate_end| {
        if candidate_start == moment {
            end = Some(candidate_end);
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    let Some(end) = end else {
        return Some(Unavailable::NotInWindow);
    };
    if let Some(reason) = engine.full.closing(date) {
        return Some(reason);
    }
    if Cursor::new(&engine.blocked).overlaps(moment, end) {
        return Some(Unavailable::Taken);
    }
    None
}

/// The first free slot starting at or after `from` (and after the notice), searching up to the horizon
/// whatever `to` is: the "next opening" to show when the range on screen has none.
///
/// For caps to be right, callers pass the bookings for `months_covering(from, now + horizon)`.
pub fn next_free_slot(search: &SlotSearch<'_>) -> Option<Slot> {
    let (engine, mut date, last_date) =
        Engine::for_range(search, Bounds::of(&SlotSearch { to: Timestamp::MAX, ..*search }))?;
    while date <= last_date {
        // Within a date slots ascend per window; hand-built windows may come in any order, so take the least.
        let mut first: Option<Slot> = None;
        let _ = engine.scan(date, date, &mut |slot| {
            first = Some(first.map_or(slot, |earlier| earlier.min(slot)));
            ControlFlow::Continue(())
        });
        if first.is_some() {
            return first;
        }
        date = date.tomorrow().ok()?;
    }
    None
}

/// Whole seconds in `duration`: every duration of a policy is a whole number of minutes.
fn seconds(duration: SignedDuration) -> i64 {
    duration.as_secs()
}

/// Which starts the search admits at all: `[from, to)`, notice and horizon together.
#[derive(Debug, Clone, Copy)]
struct Bounds {
    /// Starts at or after this (from, and now + notice).
    earliest: Moment,
    /// Starts strictly before this.
    to: Moment,
    /// Starts at or before this (now + horizon).
    horizon_end: Moment,
}

impl Bounds {
    fn of(search: &SlotSearch<'_>) -> Self {
        let now = Moment::from_timestamp(search.now);
        Self {
            earliest: Moment::from_timestamp(search.from).max(now.plus_seconds(seconds(search.policy.min_notice()))),
            to: Moment::from_timestamp(search.to),
            horizon_end: now.plus_seconds(seconds(search.policy.horizon())),
        }
    }

    fn refuses(&self, start: Moment) -> Option<Unavailable> {
        if start < self.earliest {
            Some(Unavailable::TooSoon)
        } else if start >= self.to || start > self.horizon_end {
            Some(Unavailable::BeyondHorizon)
        } else {
            None
        }
    }

    /// The earliest start admitted and an upper bound of those admitted (`to` itself is not), or `None` when
    /// none is admitted.
    fn admitted(&self) -> Option<(Timestamp, Timestamp)> {
        if self.earliest >= self.to || self.earliest > self.horizon_end {
            return None;
        }
        // Both lie within [from, to], so they are timestamps.
        Some((self.earliest.to_timestamp()?, self.to.min(self.horizon_end).to_timestamp()?))
    }
}

/// One search, prepared: offsets read, windows grouped by weekday, blocked time merged, caps counted.
struct Engine<'a> {
    zone: &'a TimeZone,
    /// The policy's windows grouped by weekday (Monday first), each group in the policy's order.
    weekly: Vec<(Time, Time)>,
    /// `weekly[weekday_ranges[d].0..weekday_ranges[d].1]` are the windows of weekday `d` (Monday = 0).
    weekday_ranges: [(usize, usize); 7],
    /// The overrides touching the searched dates, in the caller's order (the first covering a date wins).
    overrides: Vec<&'a DateOverride>,
    /// In whole seconds, like every step below.
    length: i64,
    increment: i64,
    /// The same two as spans, for civil arithmetic near daylight-saving changes.
    length_span: SignedDuration,
    increment_span: SignedDuration,
    bounds: Bounds,
    offsets: Offsets<'a>,
    /// Bookings, holds and busy blocks, widened, sorted, merged, disjoint.
    blocked: Vec<Blocked>,
    full: FullPeriods,
}

impl<'a> Engine<'a> {
    /// The engine for a whole search with the local dates to walk, or `None` when no slot can exist.
    fn for_range(search: &SlotSearch<'a>, bounds: Bounds) -> Option<(Self, Date, Date)> {
        let no_windows = search.policy.windows.is_empty() && search.overrides.iter().all(DateOverride::is_day_off);
        if !search.policy.accepting || no_windows {
            return None;
        }
        let (first, last) = bounds.admitted()?;
        let engine = Self::new(search, bounds, first, last);
        let dates = (engine.offsets.local_date(first), engine.offsets.local_date(last));
        Some((engine, dates.0, dates.1))
    }

    /// Prepared for slots starting in `[first, last]`.
    fn new(search: &SlotSearch<'a>, bounds: Bounds, first: Timestamp, last: Timestamp) -> Self {
        let policy = search.policy;
        let zone = policy.time_zone.zone();
        let offsets = Offsets::new(zone, first, last);
        let first_date = offsets.local_date(first);
        let last_date = offsets.local_date(last);
        let length_span = search.length.span();
        // Validated policies have a positive increment; a hand-built zero would never advance.
        let increment_span =
            Some(policy.slot_increment(search.length)).filter(|step| step.is_positive()).unwrap_or(length_span);
        let length = seconds(length_span);
        let mut weekly = Vec::with_capacity(policy.windows.len());
        let weekday_ranges = Weekday::ALL.map(|weekday| {
            let start = weekly.len();
            weekly.extend(
                policy
                    .windows
                    .iter()
                    .filter(|window| window.weekday == weekday)
                    .map(|window| (window.start, window.end)),
            );
            (start, weekly.len())
        });
        let blocked = blocked::merged(
            [search.bookings, search.holds, search.busy],
            seconds(policy.buffer()),
            Moment::from_timestamp(first),
            Moment::from_timestamp(last).plus_seconds(length),
        );
        let pending: &[Timestamp] = if policy.count_pending { search.pending } else { &[] };
        let counted = search.bookings.iter().map(|busy| busy.start).chain(pending.iter().copied());
        let full = FullPeriods::new(policy, counted.map(|at| offsets.local_date(at)).collect());
        Self {
            zone,
            weekly,
            weekday_ranges,
            overrides: search
                .overrides
                .iter()
                .filter(|date_override| date_override.from <= last_date && first_date <= date_override.to)
                .collect(),
            length,
            increment: seconds(increment_span),
            length_span,
            increment_span,
            bounds,
            offsets,
            blocked,
            full,
        }
    }

    /// Visits the free slots of local dates `first..=last` until `visit` breaks: in order within each window,
    /// and windows in the policy's order.
    fn scan(&self, first: Date, last: Date, visit: &mut impl FnMut(Slot) -> ControlFlow<()>) -> ControlFlow<()> {
        let mut cursor = Cursor::new(&self.blocked);
        let mut date = first;
        while date <= last {
            if self.full.closing(date).is_none() {
                self.candidates(date, &mut |start, end| {
                    if self.bounds.refuses(start).is_some() || cursor.overlaps(start, end) {
                        return ControlFlow::Continue(());
                    }
                    match (start.to_timestamp(), end.to_timestamp()) {
                        (Some(start), Some(end)) => visit(Slot { start, end }),
                        _ => ControlFlow::Continue(()),
                    }
                })?;
            }
            match date.tomorrow() {
                Ok(next) => date = next,
                Err(_) => break,
            }
        }
        ControlFlow::Continue(())
    }

    /// The windows of host-local `date`: those of the first override covering it, else its weekday's.
    fn windows_on(&self, date: Date) -> impl Iterator<Item = (Time, Time)> + use<'_> {
        let (weekly, special): (&[(Time, Time)], &[TimeRange]) =
            match self.overrides.iter().find(|date_override| date_override.covers(date)) {
                Some(date_override) => (&[], &date_override.windows),
                None => {
                    let weekday = usize::from(date.weekday().to_monday_zero_offset().unsigned_abs());
                    let (start, end) = self.weekday_ranges.get(weekday).copied().unwrap_or_default();
                    (self.weekly.get(start..end).unwrap_or_default(), &[])
                }
            };
        weekly.iter().copied().chain(special.iter().map(|range| (range.start, range.end)))
    }

    /// Visits every slot the windows of `date` produce — on the grid, ending by the window's end — whatever
    /// the notice, bookings or caps say, as `(start, end)`; ascending within each window.
    fn candidates(&self, date: Date, visit: &mut impl FnMut(Moment, Moment) -> ControlFlow<()>) -> ControlFlow<()> {
        let steady_midnight = self.offsets.steady_midnight(date);
        for (start, end) in self.windows_on(date) {
            match steady_midnight {
                Some(midnight) => {
                    // One offset all day: wall-clock times are plain seconds from the date's 00:00.
                    let at = |time: Time| Moment::new(midnight + seconds_into_day(time), time.subsec_nanosecond());
                    self.step_in_real_time(at(start), at(end), visit)?;
                }
                None => self.changing_window(date, start, end, visit)?,
            }
        }
        ControlFlow::Continue(())
    }

    /// Slots every increment from `window_start`, while they end by `window_end`; right only where civil steps
    /// and real steps coincide (one offset throughout).
    fn step_in_real_time(
        &self,
        window_start: Moment,
        window_end: Moment,
        visit: &mut impl FnMut(Moment, Moment) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let mut start = window_start;
        loop {
            let end = start.plus_seconds(self.length);
            if end > window_end {
                return ControlFlow::Continue(());
            }
            visit(start, end)?;
            start = start.plus_seconds(self.increment);
        }
    }

    /// A window on a date near a change of offset: resolved with the zone's rules for gaps and folds.
    fn changing_window(
        &self,
        date: Date,
        start: Time,
        end: Time,
        visit: &mut impl FnMut(Moment, Moment) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let Some(window_end) = first_instant_at_or_after(self.zone, date.to_datetime(end)) else {
            return ControlFlow::Continue(());
        };
        match slot_start_instant(self.zone, date.to_datetime(start)) {
            // The change is near but not inside this window.
            Some(window_start) if !self.offsets.changes_within(window_start, window_end) => {
                self.step_in_real_time(Moment::from_timestamp(window_start), Moment::from_timestamp(window_end), visit)
            }
            _ => {
                // Stepping in civil time keeps starts on the host's grid (07:30, 07:45, ...) across the change.
                let window_end = Moment::from_timestamp(window_end);
                let mut civil_start = start;
                while let Ok(civil_end) = civil_start.checked_add(self.length_span)
                    && civil_end <= end
                {
                    if let Some(slot_start) = slot_start_instant(self.zone, date.to_datetime(civil_start)) {
                        let slot_start = Moment::from_timestamp(slot_start);
                        let slot_end = slot_start.plus_seconds(self.length);
                        if slot_end <= window_end {
                            visit(slot_start, slot_end)?;
                        }
                    }
                    match civil_start.checked_add(self.increment_span) {
                        Ok(next) => civil_start = next,
                        Err(_) => break,
                    }
                }
                ControlFlow::Continue(())
            }
        }
    }
}

/// Whole seconds from 00:00 to `time` on a day without a change of offset.
fn seconds_into_day(time: Time) -> i64 {
    i64::from(time.hour()) * 3_600 + i64::from(time.minute()) * 60 + i64::from(time.second())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;
    use coffeechat_domain::{LocalWindow, TimeZoneName};
    use jiff::civil::{date, time};

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    /// A UTC host with one Monday window 09:00–11:00, no notice, a long horizon and a generous cap.
    fn policy() -> HostPolicy {
        let mut policy = HostPolicy::starter(TimeZoneName::utc());
        policy.windows = vec![LocalWindow { weekday: Weekday::Mon, start: time(9, 0, 0, 0), end: time(11, 0, 0, 0) }];
        policy.buffer_minutes = 0;
        policy.min_notice_hours = 0;
        policy.horizon_days = 365;
        policy.monthly_cap = 100;
        policy
    }

    /// Monday 2 March 2026 to Tuesday 3 March 2026, now a week earlier.
    fn search<'a>(policy: &'a HostPolicy, bookings: &'a [Busy], length: MeetingLength) -> SlotSearch<'a> {
        SlotSearch {
            bookings,
            ..SlotSearch::new(
                policy,
                length,
                ts("2026-03-02T00:00:00Z"),
                ts("2026-03-03T00:00:00Z"),
                ts("2026-02-23T00:00:00Z"),
            )
        }
    }

    fn starts(slots: &[Slot]) -> Vec<String> {
        slots.iter().map(|slot| slot.start.strftime("%H:%M").to_string()).collect()
    }

    fn busy(start: &str, end: &str) -> Busy {
        Busy { start: ts(start), end: ts(end) }
    }

    #[test]
    fn starts_step_by_the_length_and_end_inside_the_window() {
        let policy = policy();
        let slots = free_slots(&search(&policy, &[], MeetingLength::Min45));
        assert_eq!(starts(&slots), ["09:00", "09:45"]);
        assert!(slots.iter().all(|slot| slot.start.duration_until(slot.end) == SignedDuration::from_mins(45)));
        let slots = free_slots(&search(&policy, &[], MeetingLength::Min20));
        assert_eq!(slots.len(), 6);
        assert_eq!(slots.last().unwrap().end, ts("2026-03-02T11:00:00Z"));
    }

    #[test]
    fn a_booking_blocks_the_slots_it_touches_after_the_buffer() {
        let mut policy = policy();
        let bookings = [busy("2026-03-02T09:30:00Z", "2026-03-02T10:00:00Z")];
        let slots = free_slots(&search(&policy, &bookings, MeetingLength::Min30));
        assert_eq!(starts(&slots), ["09:00", "10:00", "10:30"], "back to back is fine without a buffer");

        policy.buffer_minutes = 1;
        let slots = free_slots(&search(&policy, &bookings, MeetingLength::Min30));
        assert_eq!(starts(&slots), ["10:30"]);

        policy.buffer_minutes = 30;
        let slots = free_slots(&search(&policy, &bookings, MeetingLength::Min30));
        assert_eq!(starts(&slots), ["10:30"], "a buffer of exactly the gap still allows touching");
    }

    #[test]
    fn bookings_in_any_order_and_overlapping_each_other_are_merged() {
        let policy = policy();
        let bookings = [
            busy("2026-03-02T10:00:00Z", "2026-03-02T10:15:00Z"),
            busy("2026-03-02T09:00:00Z", "2026-03-02T09:50:00Z"),
            busy("2026-03-02T09:10:00Z", "2026-03-02T09:20:00Z"),
        ];
        let slots = free_slots(&search(&policy, &bookings, MeetingLength::Min15));
        assert_eq!(starts(&slots), ["10:15", "10:30", "10:45"]);
    }

    #[test]
    fn a_full_month_offers_nothing_and_the_next_month_is_open() {
        let mut policy = policy();
        policy.monthly_cap = 2;
        let mut search = search(&policy, &[], MeetingLength::Min30);
        search.to = ts("2026-04-07T00:00:00Z");
        let march = [
            busy("2026-03-20T09:00:00Z", "2026-03-20T09:30:00Z"),
            busy("2026-03-27T09:00:00Z", "2026-03-27T09:30:00Z"),
        ];
        search.bookings = &march;
        let slots = free_slots(&search);
        assert!(!slots.is_empty());
        assert!(slots.iter().all(|slot| slot.start >= ts("2026-04-01T00:00:00Z")), "{slots:?}");

        // One booking fewer and March is open again.
        search.bookings = &march[..1];
        assert!(free_slots(&search).iter().any(|slot| slot.start < ts("2026-04-01T00:00:00Z")));
    }

    #[test]
    fn notice_and_horizon_bound_the_starts() {
        let mut policy = policy();
        policy.min_notice_hours = 1;
        policy.horizon_days = 1;
        let mut search = search(&policy, &[], MeetingLength::Min30);
        search.now = ts("2026-03-01T09:00:00Z");
        search.from = ts("2026-03-01T00:00:00Z");
        search.to = ts("2026-03-10T00:00:00Z");
        // Horizon ends at 09:00 on Monday 2 March: that start is allowed, 09:30 is not.
        assert_eq!(starts(&free_slots(&search)), ["09:00"]);

        search.now = ts("2026-03-02T08:30:00Z");
        // Notice: nothing before 09:30.
        assert_eq!(starts(&free_slots(&search)), ["09:30", "10:00", "10:30"]);
    }

    #[test]
    fn the_range_is_half_open() {
        let policy = policy();
        let mut search = search(&policy, &[], MeetingLength::Min30);
        search.from = ts("2026-03-02T09:30:00Z");
        search.to = ts("2026-03-02T10:30:00Z");
        assert_eq!(starts(&free_slots(&search)), ["09:30", "10:00"]);
        search.to = search.from;
        assert!(free_slots(&search).is_empty());
    }

    #[test]
    fn a_host_not_accepting_has_no_slots() {
        let mut policy = policy();
        policy.accepting = false;
        let search = search(&policy, &[], MeetingLength::Min30);
        assert!(free_slots(&search).is_empty());
        assert!(!is_free(&search, ts("2026-03-02T09:00:00Z")));
    }

    #[test]
    fn is_free_accepts_exactly_the_listed_starts() {
        let policy = policy();
        let bookings = [busy("2026-03-02T10:00:00Z", "2026-03-02T10:30:00Z")];
        let search = search(&policy, &bookings, MeetingLength::Min30);
        assert!(is_free(&search, ts("2026-03-02T09:00:00Z")));
        assert!(is_free(&search, ts("2026-03-02T10:30:00Z")));
        assert!(!is_free(&search, ts("2026-03-02T10:00:00Z")), "booked");
        assert!(!is_free(&search, ts("2026-03-02T09:15:00Z")), "off the grid");
        assert!(!is_free(&search, ts("2026-03-02T11:00:00Z")), "would end after the window");
        assert!(!is_free(&search, ts("2026-03-03T09:00:00Z")), "outside [from, to)");
    }

    #[test]
    fn windows_built_by_hand_out_of_order_still_give_ordered_distinct_slots() {
        let mut policy = policy();
        policy.windows = vec![
            LocalWindow { weekday: Weekday::Mon, start: time(14, 0, 0, 0), end: time(15, 0, 0, 0) },
            LocalWindow { weekday: Weekday::Mon, start: time(9, 0, 0, 0), end: time(10, 0, 0, 0) },
            LocalWindow { weekday: Weekday::Mon, start: time(9, 0, 0, 0), end: time(10, 0, 0, 0) },
        ];
        let slots = free_slots(&search(&policy, &[], MeetingLength::Min30));
        assert_eq!(starts(&slots), ["09:00", "09:30", "14:00", "14:30"]);
    }

    #[test]
    fn extreme_now_and_ranges_do_not_panic() {
        let policy = policy();
        let mut search = search(&policy, &[], MeetingLength::Min30);
        search.now = Timestamp::MAX;
        search.to = Timestamp::MAX;
        assert!(free_slots(&search).is_empty());
        search.now = Timestamp::MIN;
        search.from = Timestamp::MIN;
        let horizon_end = Timestamp::MIN.checked_add(policy.horizon()).unwrap();
        let ancient = free_slots(&search);
        assert!(!ancient.is_empty(), "Mondays exist in year -9999 too");
        assert!(ancient.iter().all(|slot| slot.start <= horizon_end));
        let bookings = [Busy { start: Timestamp::MIN, end: Timestamp::MAX }];
        search.bookings = &bookings;
        search.now = ts("2026-03-01T00:00:00Z");
        assert!(free_slots(&search).is_empty());
    }

    #[test]
    fn a_booking_ending_before_it_starts_blocks_only_its_start() {
        let policy = policy();
        let bookings = [busy("2026-03-02T09:40:00Z", "2026-03-02T08:00:00Z")];
        let slots = free_slots(&search(&policy, &bookings, MeetingLength::Min30));
        assert_eq!(starts(&slots), ["09:00", "10:00", "10:30"]);
    }

    fn day_override(day: Date, windows: &[(Time, Time)]) -> DateOverride {
        DateOverride {
            from: day,
            to: day,
            windows: windows.iter().map(|&(start, end)| TimeRange { start, end }).collect(),
        }
    }

    /// Monday 2 March to Monday 9 March 2026 (two Mondays).
    fn two_mondays<'a>(policy: &'a HostPolicy, length: MeetingLength) -> SlotSearch<'a> {
        SlotSearch { to: ts("2026-03-10T00:00:00Z"), ..search(policy, &[], length) }
    }

    #[test]
    fn an_override_replaces_the_weekly_windows_of_its_dates_only() {
        let policy = policy();
        let overrides = [day_override(date(2026, 3, 2), &[(time(14, 0, 0, 0), time(15, 0, 0, 0))])];
        let search = SlotSearch { overrides: &overrides, ..two_mondays(&policy, MeetingLength::Min30) };
        let slots = free_slots(&search);
        let all: Vec<String> = slots.iter().map(|slot| slot.start.to_string()).collect();
        assert_eq!(
            all,
            [
                "2026-03-02T14:00:00Z",
                "2026-03-02T14:30:00Z",
                "2026-03-09T09:00:00Z",
                "2026-03-09T09:30:00Z",
                "2026-03-09T10:00:00Z",
                "2026-03-09T10:30:00Z"
            ]
        );
        assert_eq!(why_not_free(&search, ts("2026-03-02T09:00:00Z")), Some(Unavailable::NotInWindow));
    }

    #[test]
    fn an_override_can_open_a_day_without_weekly_windows() {
        let policy = policy();
        // Wednesday 4 March has no weekly window.
        let overrides = [day_override(date(2026, 3, 4), &[(time(7, 30, 0, 0), time(8, 0, 0, 0))])];
        let search = SlotSearch { overrides: &overrides, ..two_mondays(&policy, MeetingLength::Min30) };
        assert!(
            free_slots(&search).contains(&Slot { start: ts("2026-03-04T07:30:00Z"), end: ts("2026-03-04T08:00:00Z") })
        );
    }

    #[test]
    fn days_off_and_ranges_off_have_no_slots() {
        let policy = policy();
        let trip = [DateOverride { from: date(2026, 2, 27), to: date(2026, 3, 8), windows: Vec::new() }];
        let away = SlotSearch { overrides: &trip, ..two_mondays(&policy, MeetingLength::Min30) };
        assert!(free_slots(&away).iter().all(|slot| slot.start >= ts("2026-03-09T00:00:00Z")));
        assert_eq!(next_free_slot(&away).map(|slot| slot.start), Some(ts("2026-03-09T09:00:00Z")));

        // Overlapping overrides: the first covering a date wins.
        let overlapping = [
            day_override(date(2026, 3, 2), &[]),
            day_override(date(2026, 3, 2), &[(time(14, 0, 0, 0), time(15, 0, 0, 0))]),
        ];
        let first_wins = SlotSearch { overrides: &overlapping, ..search(&policy, &[], MeetingLength::Min30) };
        assert!(free_slots(&first_wins).is_empty());
        // A policy with no weekly windows still offers what overrides open.
        let mut bare = policy.clone();
        bare.windows.clear();
        let opened = SlotSearch { overrides: &overlapping[1..], ..search(&bare, &[], MeetingLength::Min30) };
        assert_eq!(starts(&free_slots(&opened)), ["14:00", "14:30"]);
    }

    #[test]
    fn starts_step_by_the_increment_from_the_window_start() {
        let mut policy = policy();
        policy.windows[0].start = time(9, 10, 0, 0);
        policy.slot_increment_minutes = Some(15);
        let slots = free_slots(&search(&policy, &[], MeetingLength::Min30));
        assert_eq!(starts(&slots), ["09:10", "09:25", "09:40", "09:55", "10:10", "10:25"]);
        // With a booking the grid stays put: no start moves to just after it.
        let bookings = [busy("2026-03-02T09:40:00Z", "2026-03-02T10:00:00Z")];
        let slots = free_slots(&search(&policy, &bookings, MeetingLength::Min30));
        assert_eq!(starts(&slots), ["09:10", "10:10", "10:25"]);
        // Without a setting, the step is the length.
        policy.slot_increment_minutes = None;
        assert_eq!(starts(&free_slots(&search(&policy, &[], MeetingLength::Min45))), ["09:10", "09:55"]);
    }

    #[test]
    fn holds_and_busy_blocks_block_time_but_only_bookings_count() {
        let mut policy = policy();
        policy.monthly_cap = 1;
        policy.buffer_minutes = 10;
        let holds = [busy("2026-03-02T09:00:00Z", "2026-03-02T09:30:00Z")];
        let calendar = [busy("2026-03-02T10:30:00Z", "2026-03-02T10:45:00Z")];
        let blocked = SlotSearch { holds: &holds, busy: &calendar, ..search(&policy, &[], MeetingLength::Min30) };
        // 09:30 overlaps the widened hold (until 09:40); 10:00 ends at 10:30, inside the widened event
        // (from 10:20); 10:30 is the event itself.
        assert!(free_slots(&blocked).is_empty());
        let longer = SlotSearch { to: ts("2026-03-10T00:00:00Z"), ..blocked };
        assert_eq!(free_slots(&longer).len(), 4, "the next Monday is open: holds never fill a month");
        assert_eq!(why_not_free(&longer, ts("2026-03-02T09:00:00Z")), Some(Unavailable::Taken));
        assert_eq!(why_not_free(&longer, ts("2026-03-02T10:00:00Z")), Some(Unavailable::Taken));
    }

    #[test]
    fn pending_requests_count_only_when_the_host_says_so() {
        let mut policy = policy();
        policy.daily_cap = Some(1);
        let pending = [ts("2026-03-02T20:00:00Z")];
        let uncounted = SlotSearch { pending: &pending, ..search(&policy, &[], MeetingLength::Min30) };
        assert_eq!(free_slots(&uncounted).len(), 4);
        policy.count_pending = true;
        let counted = SlotSearch { pending: &pending, ..search(&policy, &[], MeetingLength::Min30) };
        assert!(free_slots(&counted).is_empty());
        assert_eq!(why_not_free(&counted, ts("2026-03-02T09:00:00Z")), Some(Unavailable::DayFull));
    }

    #[test]
    fn weekly_caps_follow_the_week_start() {
        let mut policy = policy();
        policy.windows.push(LocalWindow { weekday: Weekday::Sun, start: time(9, 0, 0, 0), end: time(10, 0, 0, 0) });
        policy.weekly_cap = Some(1);
        // One interview on Saturday 7 March.
        let bookings = [busy("2026-03-07T12:00:00Z", "2026-03-07T12:30:00Z")];
        fn window<'a>(policy: &'a HostPolicy, bookings: &'a [Busy]) -> SlotSearch<'a> {
            SlotSearch { to: ts("2026-03-10T00:00:00Z"), ..search(policy, bookings, MeetingLength::Min30) }
        }
        let days = |slots: Vec<Slot>| -> Vec<i8> {
            let mut days: Vec<i8> = slots.iter().map(|slot| slot.start.to_zoned(TimeZone::UTC).day()).collect();
            days.dedup();
            days
        };
        // Weeks from Monday: 2–8 March is full (Sunday 8th included); Monday 9th opens a new week.
        policy.week_start = Weekday::Mon;
        assert_eq!(days(free_slots(&window(&policy, &bookings))), [9]);
        // Weeks from Sunday: 1–7 March is full; Sunday 8th and Monday 9th are the next week.
        policy.week_start = Weekday::Sun;
        assert_eq!(days(free_slots(&window(&policy, &bookings))), [8, 9]);
        assert_eq!(why_not_free(&window(&policy, &bookings), ts("2026-03-02T09:00:00Z")), Some(Unavailable::WeekFull));
    }

    #[test]
    fn why_not_free_names_each_rule() {
        let mut policy = policy();
        policy.min_notice_hours = 24;
        policy.horizon_days = 14;
        policy.monthly_cap = 1;
        let now = ts("2026-02-28T10:00:00Z");
        let wide = |bookings| SlotSearch {
            bookings,
            from: ts("2026-01-01T00:00:00Z"),
            to: ts("2027-01-01T00:00:00Z"),
            now,
            ..search(&policy, &[], MeetingLength::Min30)
        };
        let open = wide(&[]);
        assert_eq!(why_not_free(&open, ts("2026-03-02T09:00:00Z")), None);
        assert_eq!(why_not_free(&open, ts("2026-03-02T09:15:00Z")), Some(Unavailable::NotInWindow));
        assert_eq!(why_not_free(&open, ts("2026-03-02T10:45:00Z")), Some(Unavailable::NotInWindow));
        assert_eq!(why_not_free(&open, ts("2026-03-01T09:00:00Z")), Some(Unavailable::TooSoon));
        assert_eq!(why_not_free(&open, ts("2026-03-16T09:00:00Z")), Some(Unavailable::BeyondHorizon));
        let narrow = SlotSearch { from: ts("2026-03-03T00:00:00Z"), ..open };
        assert_eq!(why_not_free(&narrow, ts("2026-03-02T09:00:00Z")), Some(Unavailable::TooSoon));
        let booked = [busy("2026-03-09T09:00:00Z", "2026-03-09T09:30:00Z")];
        assert_eq!(why_not_free(&wide(&booked), ts("2026-03-02T09:00:00Z")), Some(Unavailable::MonthFull));
        let mut closed = policy.clone();
        closed.accepting = false;
        let not_accepting = SlotSearch { policy: &closed, ..open };
        assert_eq!(why_not_free(&not_accepting, ts("2026-03-02T09:00:00Z")), Some(Unavailable::NotAccepting));
        assert_eq!(Unavailable::MonthFull.code(), "month_full");
        assert_eq!(Unavailable::Taken.to_string(), "that time is already taken");
    }

    #[test]
    fn next_free_slot_looks_past_the_range_up_to_the_horizon() {
        let mut policy = policy();
        policy.monthly_cap = 1;
        policy.horizon_days = 60;
        let march = [busy("2026-03-02T09:00:00Z", "2026-03-02T09:30:00Z")];
        let full = search(&policy, &march, MeetingLength::Min30);
        assert!(free_slots(&full).is_empty());
        // March is full; Monday 6 April is the first Monday of April.
        assert_eq!(next_free_slot(&full).map(|slot| slot.start), Some(ts("2026-04-06T09:00:00Z")));
        policy.horizon_days = 30;
        let short = search(&policy, &march, MeetingLength::Min30);
        assert_eq!(next_free_slot(&short), None, "April is beyond the horizon");
    }
}
