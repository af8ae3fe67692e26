//! The slot engine: a host policy and the host's interviews in, the free slots a seeker may propose out.
//!
//! Windows are walked per host-local date, so wall-clock times are kept across daylight-saving changes.
//! Interviews are sorted and merged once per search into disjoint busy intervals (already widened by the
//! buffer), so each candidate costs one binary search; monthly caps are a small sorted count per host-local
//! month. No allocation happens per candidate.

use std::ops::ControlFlow;

use coffeechat_domain::{HostPolicy, LocalWindow, MeetingLength, Weekday};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::local_time::{MonthKey, first_instant_at_or_after, month_key, slot_start_instant};

/// A free slot, as instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slot {
    pub start: Timestamp,
    pub end: Timestamp,
}

/// Time the host is busy (an active interview); buffers are applied by the engine.
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
    /// Active interviews of the host, any order. Must include every interview in the months touched by
    /// [from, to) so monthly caps are counted right (callers fetch whole host-zone months; see
    /// [`months_covering`](crate::months_covering)).
    pub bookings: &'a [Busy],
    pub length: MeetingLength,
    /// Only slots starting in [from, to) are returned.
    pub from: Timestamp,
    pub to: Timestamp,
    pub now: Timestamp,
}

/// Free slots in start order.
///
/// Windows are host-local wall-clock times: generated per local date; slot starts step by the meeting length
/// from the window start (in civil time); a slot must end by the window end. DST: a local start that doesn't
/// exist (spring gap) is skipped; an ambiguous one (autumn fold) takes the earlier instant; a window whose end
/// falls in a gap ends when the clocks jump.
///
/// Excludes: starts before now + min_notice, starts after now + horizon_days, overlaps with any booking
/// widened by buffer on both sides, every slot in a host-local calendar month whose booking count
/// (interviews *starting* in that month) has reached monthly_cap. `policy.accepting == false` → no slots.
pub fn free_slots(search: &SlotSearch<'_>) -> Vec<Slot> {
    let mut slots = Vec::new();
    if let Some(engine) = Engine::new(search) {
        let _ = engine.scan(engine.first_date, engine.last_date, |slot| {
            slots.push(slot);
            ControlFlow::Continue(())
        });
    }
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
    let Some(engine) = Engine::new(search) else {
        return false;
    };
    if !engine.admits_start(start) {
        return false;
    }
    // A slot generated for a local date starts on that date (a fold's earlier instant still reads that
    // date), so the date of `start` is the only one that can produce it.
    let date = engine.zone.to_datetime(start).date();
    engine.scan(date, date, |slot| if slot.start == start { ControlFlow::Break(()) } else { ControlFlow::Continue(()) })
        == ControlFlow::Break(())
}

/// A half-open span of instants during which no slot may be placed.
#[derive(Debug, Clone, Copy)]
struct Blocked {
    start: Timestamp,
    end: Timestamp,
}

/// One search, prepared: bounds resolved, bookings indexed.
struct Engine<'a> {
    policy: &'a HostPolicy,
    zone: &'a TimeZone,
    length: SignedDuration,
    /// Slots start at or after this (from, and now + notice).
    earliest: Timestamp,
    /// Slots start strictly before this.
    to: Timestamp,
    /// Slots start at or before this (now + horizon).
    horizon_end: Timestamp,
    first_date: Date,
    last_date: Date,
    /// Widened bookings, sorted, merged, disjoint.
    blocked: Vec<Blocked>,
    /// Bookings per host-local month, sorted by month.
    monthly_counts: Vec<(MonthKey, u32)>,
    /// The zone's offset changes around the searched dates, ascending.
    transitions: Vec<Timestamp>,
}

fn add_saturating(at: Timestamp, span: SignedDuration) -> Timestamp {
    at.checked_add(span).unwrap_or(if span.is_negative() { Timestamp::MIN } else { Timestamp::MAX })
}

fn sub_saturating(at: Timestamp, span: SignedDuration) -> Timestamp {
    at.checked_sub(span).unwrap_or(if span.is_negative() { Timestamp::MAX } else { Timestamp::MIN })
}

impl<'a> Engine<'a> {
    /// `None` when no slot can exist: not accepting, or an empty range once notice and horizon apply.
    fn new(search: &SlotSearch<'a>) -> Option<Self> {
        let policy = search.policy;
        if !policy.accepting || policy.windows.is_empty() {
            return None;
        }
        let zone = policy.time_zone.zone();
        let earliest = search.from.max(add_saturating(search.now, policy.min_notice()));
        let horizon_end = add_saturating(search.now, policy.horizon());
        if earliest >= search.to || earliest > horizon_end {
            return None;
        }
        let last_start = search.to.min(horizon_end);
        let first_date = zone.to_datetime(earliest).date();
        let last_date = zone.to_datetime(last_start).date();
        // Windows lie within their local date, and a local date lies within a little over a day of any
        // instant on it, so two days' margin catches every transition a window can contain.
        let margin = SignedDuration::from_hours(48);
        let last_relevant = add_saturating(last_start, margin);
        let transitions = zone
            .following(sub_saturating(earliest, margin))
            .map(|transition| transition.timestamp())
            .take_while(|&transition| transition <= last_relevant)
            .collect();
        Some(Self {
            policy,
            zone,
            length: search.length.span(),
            earliest,
            to: search.to,
            horizon_end,
            first_date,
            last_date,
            blocked: blocked_intervals(search.bookings, policy.buffer()),
            monthly_counts: monthly_counts(zone, search.bookings),
            transitions,
        })
    }

    fn admits_start(&self, start: Timestamp) -> bool {
        start >= self.earliest && start < self.to && start <= self.horizon_end
    }

    fn month_is_full(&self, date: Date) -> bool {
        let key = month_key(date);
        let booked = match self.monthly_counts.binary_search_by_key(&key, |&(month, _)| month) {
            Ok(index) => self.monthly_counts.get(index).map_or(0, |&(_, count)| count),
            Err(_) => 0,
        };
        booked >= self.policy.monthly_cap
    }

    fn overlaps_booking(&self, start: Timestamp, end: Timestamp) -> bool {
        // Intervals are disjoint and sorted, so the last one starting before `end` reaches furthest.
        let starting_before_end = self.blocked.partition_point(|blocked| blocked.start < end);
        starting_before_end
            .checked_sub(1)
            .and_then(|index| self.blocked.get(index))
            .is_some_and(|blocked| blocked.end > start)
    }

    /// Visits the free slots of local dates `first..=last` in order until `visit` breaks.
    fn scan(&self, first: Date, last: Date, mut visit: impl FnMut(Slot) -> ControlFlow<()>) -> ControlFlow<()> {
        let mut date = first;
        while date <= last {
            if !self.month_is_full(date) {
                let weekday = Weekday::from_jiff(date.weekday());
                for window in self.policy.windows.iter().filter(|window| window.weekday == weekday) {
                    self.scan_window(date, window, &mut visit)?;
                }
            }
            match date.tomorrow() {
                Ok(next) => date = next,
                Err(_) => break,
            }
        }
        ControlFlow::Continue(())
    }

    fn scan_window(
        &self,
        date: Date,
        window: &LocalWindow,
        visit: &mut impl FnMut(Slot) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let Some(window_end) = first_instant_at_or_after(self.zone, date.to_datetime(window.end)) else {
            return ControlFlow::Continue(());
        };
        let window_start = slot_start_instant(self.zone, date.to_datetime(window.start));
        match window_start {
            Some(mut start) if !self.offset_changes_within(start, window_end) => {
                // One offset throughout the window: civil steps and instant steps coincide, so the zone is
                // consulted once per window rather than once per slot.
                let fitting = window.start.duration_until(window.end).as_secs() / self.length.as_secs().max(1);
                for _ in 0..fitting {
                    let Ok(end) = start.checked_add(self.length) else { break };
                    self.offer(start, end, window_end, visit)?;
                    start = end;
                }
            }
            _ => {
                // Stepping in civil time keeps starts on the host's grid (07:30, 08:00, ...) across the change.
                let mut civil_start = window.start;
                while let Ok(civil_end) = civil_start.checked_add(self.length)
                    && civil_end <= window.end
                {
                    if let Some(start) = slot_start_instant(self.zone, date.to_datetime(civil_start))
                        && let Ok(end) = start.checked_add(self.length)
                    {
                        self.offer(start, end, window_end, visit)?;
                    }
                    civil_start = civil_end;
                }
            }
        }
        ControlFlow::Continue(())
    }

    /// Passes the slot on when it ends by the window's end and every rule of the search admits it.
    fn offer(
        &self,
        start: Timestamp,
        end: Timestamp,
        window_end: Timestamp,
        visit: &mut impl FnMut(Slot) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        if end <= window_end && self.admits_start(start) && !self.overlaps_booking(start, end) {
            visit(Slot { start, end })
        } else {
            ControlFlow::Continue(())
        }
    }

    /// Whether the zone's offset changes in `(start, end]`.
    fn offset_changes_within(&self, start: Timestamp, end: Timestamp) -> bool {
        let after_start = self.transitions.partition_point(|&transition| transition <= start);
        self.transitions.get(after_start).is_some_and(|&transition| transition <= end)
    }
}

/// Bookings widened by `buffer` on both sides, sorted and merged into disjoint intervals.
fn blocked_intervals(bookings: &[Busy], buffer: SignedDuration) -> Vec<Blocked> {
    let mut widened: Vec<Blocked> = bookings
        .iter()
        .map(|busy| Blocked {
            start: sub_saturating(busy.start, buffer),
            end: add_saturating(busy.end.max(busy.start), buffer),
        })
        .collect();
    widened.sort_unstable_by_key(|blocked| blocked.start);
    // `dedup_by` hands us each interval with the last one kept: fold it in when they overlap or touch.
    widened.dedup_by(|next, kept| {
        let joins = next.start <= kept.end;
        if joins {
            kept.end = kept.end.max(next.end);
        }
        joins
    });
    widened
}

/// How many bookings start in each host-local month, sorted by month.
fn monthly_counts(zone: &TimeZone, bookings: &[Busy]) -> Vec<(MonthKey, u32)> {
    // Sorting keys rather than relying on booking order: an autumn fold at midnight can make local dates
    // run backwards for an hour.
    let mut counts: Vec<(MonthKey, u32)> =
        bookings.iter().map(|busy| (month_key(zone.to_datetime(busy.start).date()), 1)).collect();
    counts.sort_unstable();
    counts.dedup_by(|next, kept| {
        let same_month = next.0 == kept.0;
        if same_month {
            kept.1 = kept.1.saturating_add(next.1);
        }
        same_month
    });
    counts
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;
    use coffeechat_domain::TimeZoneName;
    use jiff::civil::time;

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
            policy,
            bookings,
            length,
            from: ts("2026-03-02T00:00:00Z"),
            to: ts("2026-03-03T00:00:00Z"),
            now: ts("2026-02-23T00:00:00Z"),
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
}
