//! Turning host-local wall-clock times into instants, and host-local days, weeks and months (the periods
//! caps are counted in) into instant ranges.
//!
//! Wall-clock times are not always one instant: in a spring-forward gap a time never happens, and in an
//! autumn fold it happens twice. The two resolutions here name which answer each caller gets, so that the
//! slot engine and the period bounds all agree.

use coffeechat_domain::{TimeZoneName, Weekday};
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, Offset, TimeZone};
use jiff::{SignedDuration, Span, Timestamp};

use crate::moment::Moment;

/// The instant a slot starting at `civil` begins: `None` when the wall clock never shows `civil` (a gap),
/// the earlier instant when it shows it twice (a fold).
///
/// Gaps yield `None` rather than a shifted instant because a shifted start would collide with, or
/// duplicate, a start the host did offer after the gap.
pub(crate) fn slot_start_instant(zone: &TimeZone, civil: DateTime) -> Option<Timestamp> {
    let ambiguous = zone.to_ambiguous_timestamp(civil);
    match ambiguous.offset() {
        AmbiguousOffset::Unambiguous { offset } => offset.to_timestamp(civil).ok(),
        AmbiguousOffset::Fold { .. } => ambiguous.earlier().ok(),
        AmbiguousOffset::Gap { .. } => None,
    }
}

/// The first instant at which the wall clock shows `civil` or has already passed it: the instant itself
/// when it exists once, the earlier one in a fold, and the moment the clock jumps over a gap that
/// contains it.
///
/// This is where a window ending inside a gap ends (so the window is shortened, never shifted) and where
/// a day whose midnight is skipped begins. `None` only outside jiff's supported range.
pub(crate) fn first_instant_at_or_after(zone: &TimeZone, civil: DateTime) -> Option<Timestamp> {
    let ambiguous = zone.to_ambiguous_timestamp(civil);
    match ambiguous.offset() {
        AmbiguousOffset::Unambiguous { offset } => offset.to_timestamp(civil).ok(),
        AmbiguousOffset::Fold { .. } => ambiguous.earlier().ok(),
        AmbiguousOffset::Gap { after, .. } => {
            // Read with the offset in force after the gap, `civil` names an instant shortly before the
            // transition, so the next transition from there is the jump itself.
            let before_jump = after.to_timestamp(civil).ok()?;
            zone.following(before_jump).next().map(|transition| transition.timestamp())
        }
    }
}

/// A zone's offsets over a span of instants, read once per search.
///
/// Most host-local days are far from any daylight-saving change: on those, every wall-clock time is exactly
/// one instant, `civil - offset`, and the slot engine needs no zone lookup at all. The table tells which days
/// those are, and which offset applies; days near a change go through the zone's full rules. Everything is
/// in whole Unix seconds, as transitions are.
#[derive(Debug)]
pub(crate) struct Offsets<'a> {
    zone: &'a TimeZone,
    /// Instants whose whole second lies in `[covered_start, covered_end]` are answered from the table.
    covered_start: i64,
    covered_end: i64,
    /// The offset in force at `covered_start`.
    initial: Offset,
    /// Each change within the covered span: when (Unix second), and the offset from then on. Ascending.
    transitions: Vec<(i64, Offset)>,
}

impl<'a> Offsets<'a> {
    /// How far around a local date's civil span a change must be absent for the date to be steady: more than
    /// any real offset (jiff allows up to ±25:59:59), so that every instant the date's wall-clock times can
    /// name lies inside the checked span.
    const STEADY_MARGIN: i64 = 48 * 3_600;
    const DAY: i64 = 24 * 3_600;

    /// Covers at least `[first, last]` and every local date an instant in it can fall on.
    pub(crate) fn new(zone: &'a TimeZone, first: Timestamp, last: Timestamp) -> Self {
        // A local date's civil span lies within a day and an offset of its instants; add the steady margin.
        let reach = SignedDuration::from_secs(Self::DAY + 26 * 3_600 + Self::STEADY_MARGIN);
        let start = first.checked_sub(reach).unwrap_or(Timestamp::MIN);
        let end = last.checked_add(reach).unwrap_or(Timestamp::MAX);
        let transitions = zone
            .following(start)
            .take_while(|transition| transition.timestamp() <= end)
            .map(|transition| (transition.timestamp().as_second(), transition.offset()))
            .collect();
        Self {
            zone,
            // Whole seconds strictly inside [start, end], so no change can hide in a rounded-off fraction.
            covered_start: Moment::from_timestamp(start).floor_second().saturating_add(1),
            covered_end: Moment::from_timestamp(end).floor_second(),
            initial: zone.to_offset(start),
            transitions,
        }
    }

    fn covers(&self, second: i64) -> bool {
        self.covered_start <= second && second <= self.covered_end
    }

    /// The offset in force at whole second `second`, which the table covers.
    fn at_covered(&self, second: i64) -> Offset {
        let changes_so_far = self.transitions.partition_point(|&(transition, _)| transition <= second);
        match changes_so_far.checked_sub(1).and_then(|index| self.transitions.get(index)) {
            Some(&(_, offset)) => offset,
            None => self.initial,
        }
    }

    /// The offset in force at `at`.
    pub(crate) fn at(&self, at: Timestamp) -> Offset {
        // Changes happen on whole seconds, so the second an instant falls in has the instant's offset.
        let second = Moment::from_timestamp(at).floor_second();
        if self.covers(second) { self.at_covered(second) } else { self.zone.to_offset(at) }
    }

    /// The host-local date of `at`.
    pub(crate) fn local_date(&self, at: Timestamp) -> Date {
        self.at(at).to_datetime(at).date()
    }

    /// For a date on which every wall-clock time names exactly one instant under a single offset: the Unix
    /// second at which its wall clock shows 00:00 (so 07:30 is that plus 27,000 s). `None` when the zone's
    /// offset changes anywhere near the date: then gaps and folds must be resolved time by time.
    pub(crate) fn steady_midnight(&self, date: Date) -> Option<i64> {
        // The date's wall-clock times read as if UTC; real instants differ from these by the offset.
        let civil_midnight = Offset::UTC.to_timestamp(date.to_datetime(Time::midnight())).ok()?.as_second();
        let checked_start = civil_midnight - Self::STEADY_MARGIN;
        let checked_end = civil_midnight + Self::DAY + Self::STEADY_MARGIN;
        if !self.covers(checked_start) || !self.covers(checked_end) {
            return None;
        }
        let before = self.transitions.partition_point(|&(transition, _)| transition <= checked_start);
        if self.transitions.get(before).is_some_and(|&(transition, _)| transition <= checked_end) {
            return None;
        }
        Some(civil_midnight - i64::from(self.at_covered(checked_start).seconds()))
    }

    /// Whether the zone's offset changes in `(start, end]`.
    pub(crate) fn changes_within(&self, start: Timestamp, end: Timestamp) -> bool {
        let (first, last) = (Moment::from_timestamp(start).floor_second(), Moment::from_timestamp(end).floor_second());
        if !self.covers(first) || !self.covers(last) {
            return self.zone.following(start).next().is_some_and(|transition| transition.timestamp() <= end);
        }
        // A change on a whole second is after `start` exactly when it is after the second `start` falls in.
        let after_start = self.transitions.partition_point(|&(transition, _)| transition <= first);
        self.transitions.get(after_start).is_some_and(|&(transition, _)| transition <= last)
    }
}

/// The first day of the week containing `date`, for weeks starting on `week_start`.
pub(crate) fn week_start_date(date: Date, week_start: jiff::civil::Weekday) -> Date {
    let into_week = date.weekday().since(week_start);
    // Only the first days of jiff's calendar have no week start before them.
    date.checked_sub(Span::new().days(into_week)).unwrap_or(Date::MIN)
}

/// `date` moved by `days`, pinned to jiff's calendar instead of failing at its ends.
fn shifted_date(date: Date, days: i32) -> Date {
    date.checked_add(Span::new().days(days)).unwrap_or(if days < 0 { Date::MIN } else { Date::MAX })
}

/// Saturates to the ends of jiff's range when the day lies outside what a timestamp can represent, which
/// keeps the public functions total; no real calendar date comes near those ends.
fn day_start_or_saturate(zone: &TimeZone, date: Date) -> Timestamp {
    first_instant_at_or_after(zone, date.to_datetime(Time::midnight()))
        .unwrap_or_else(|| if date < Date::ZERO { Timestamp::MIN } else { Timestamp::MAX })
}

/// Start of local day `date` in `zone` as an instant: 00:00 local, the earlier 00:00 if midnight repeats,
/// or the first existing instant after the gap if midnight is skipped.
///
/// ```
/// use coffeechat_domain::TimeZoneName;
/// use coffeechat_schedule::start_of_day;
/// use jiff::civil::date;
///
/// let sao_paulo = TimeZoneName::parse("America/Sao_Paulo").unwrap();
/// // Clocks jumped from 00:00 to 01:00 on 4 November 2018, so that day began at 01:00 local (03:00 UTC).
/// assert_eq!(start_of_day(&sao_paulo, date(2018, 11, 4)).to_string(), "2018-11-04T03:00:00Z");
/// ```
pub fn start_of_day(zone: &TimeZoneName, date: Date) -> jiff::Timestamp {
    day_start_or_saturate(zone.zone(), date)
}

/// The host-local calendar month containing `at`, as instants `[start, end)`.
///
/// ```
/// use coffeechat_domain::TimeZoneName;
/// use coffeechat_schedule::month_bounds;
///
/// let new_york = TimeZoneName::parse("America/New_York").unwrap();
/// // 03:30 UTC on 1 April is still 31 March in New York.
/// let (start, end) = month_bounds(&new_york, "2026-04-01T03:30:00Z".parse().unwrap());
/// assert_eq!(start.to_string(), "2026-03-01T05:00:00Z"); // midnight EST
/// assert_eq!(end.to_string(), "2026-04-01T04:00:00Z"); // midnight EDT
/// ```
pub fn month_bounds(zone: &TimeZoneName, at: Timestamp) -> (Timestamp, Timestamp) {
    let tz = zone.zone();
    let first = tz.to_datetime(at).date().first_of_month();
    let start = day_start_or_saturate(tz, first);
    let end = match first.last_of_month().tomorrow() {
        Ok(next_month) => day_start_or_saturate(tz, next_month),
        Err(_) => Timestamp::MAX,
    };
    (start, end)
}

/// The host-local day containing `at`, as instants `[start, end)` (23, 24 or 25 hours around a change).
///
/// ```
/// use coffeechat_domain::TimeZoneName;
/// use coffeechat_schedule::day_bounds;
///
/// let london = TimeZoneName::parse("Europe/London").unwrap();
/// // 29 March 2026 in London lasts 23 hours: clocks go from 01:00 GMT to 02:00 BST.
/// let (start, end) = day_bounds(&london, "2026-03-29T12:00:00Z".parse().unwrap());
/// assert_eq!(start.to_string(), "2026-03-29T00:00:00Z");
/// assert_eq!(end.to_string(), "2026-03-29T23:00:00Z");
/// ```
pub fn day_bounds(zone: &TimeZoneName, at: Timestamp) -> (Timestamp, Timestamp) {
    let tz = zone.zone();
    let date = tz.to_datetime(at).date();
    let end = match date.tomorrow() {
        Ok(next) => day_start_or_saturate(tz, next),
        Err(_) => Timestamp::MAX,
    };
    (day_start_or_saturate(tz, date), end)
}

/// The host-local week containing `at`, weeks starting on `week_start`, as instants `[start, end)`.
///
/// ```
/// use coffeechat_domain::{TimeZoneName, Weekday};
/// use coffeechat_schedule::week_bounds;
///
/// let sydney = TimeZoneName::parse("Australia/Sydney").unwrap();
/// // Sunday 22:00Z on 8 March is Monday morning in Sydney (AEDT, +11).
/// let (start, end) = week_bounds(&sydney, Weekday::Mon, "2026-03-08T22:00:00Z".parse().unwrap());
/// assert_eq!(start.to_string(), "2026-03-08T13:00:00Z"); // Monday 9 March, 00:00 AEDT
/// assert_eq!(end.to_string(), "2026-03-15T13:00:00Z");
/// ```
pub fn week_bounds(zone: &TimeZoneName, week_start: Weekday, at: Timestamp) -> (Timestamp, Timestamp) {
    let tz = zone.zone();
    let first = week_start_date(tz.to_datetime(at).date(), week_start.to_jiff());
    let end = match first.checked_add(Span::new().days(7)) {
        Ok(next_week) => day_start_or_saturate(tz, next_week),
        Err(_) => Timestamp::MAX,
    };
    (day_start_or_saturate(tz, first), end)
}

/// Instants covering, in `zone`, the whole month and the whole week (whatever day weeks start on) of both
/// `from` and `to`, and everything between.
///
/// This is what a caller must fetch bookings (and pending requests) for before calling
/// [`free_slots`](crate::free_slots) for `[from, to)`: every interview *starting* in these periods, so daily,
/// weekly and monthly caps are counted right. For buffers to be exact at the edges, also include interviews
/// that merely overlap the range widened by the buffer (an interview ending just after midnight on the 1st
/// starts in the previous month).
///
/// ```
/// use coffeechat_domain::TimeZoneName;
/// use coffeechat_schedule::months_covering;
///
/// let utc = TimeZoneName::utc();
/// // Monday 2 March's week may start as early as Tuesday 24 February; 28 March's may end on 4 April.
/// let (start, end) = months_covering(&utc, "2026-03-02T09:00:00Z".parse().unwrap(), "2026-03-28T09:00:00Z".parse().unwrap());
/// assert_eq!(start.to_string(), "2026-02-24T00:00:00Z");
/// assert_eq!(end.to_string(), "2026-04-04T00:00:00Z");
/// ```
pub fn months_covering(zone: &TimeZoneName, from: Timestamp, to: Timestamp) -> (Timestamp, Timestamp) {
    let tz = zone.zone();
    let (month_start, _) = month_bounds(zone, from);
    let (_, month_end) = month_bounds(zone, to);
    // The week of a date starts at most six days before it and ends at most seven days after its start.
    let week_start = day_start_or_saturate(tz, shifted_date(tz.to_datetime(from).date(), -6));
    let week_end = day_start_or_saturate(tz, shifted_date(tz.to_datetime(to).date(), 7));
    (month_start.min(week_start), month_end.max(week_end))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn zone(name: &str) -> TimeZoneName {
        TimeZoneName::parse(name).unwrap()
    }

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn slot_starts_skip_gaps_and_take_the_earlier_instant_in_folds() {
        let new_york = zone("America/New_York");
        let tz = new_york.zone();
        assert_eq!(slot_start_instant(tz, date(2026, 3, 8).at(2, 30, 0, 0)), None);
        assert_eq!(slot_start_instant(tz, date(2026, 3, 8).at(3, 0, 0, 0)), Some(ts("2026-03-08T07:00:00Z")));
        // 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
        assert_eq!(slot_start_instant(tz, date(2026, 11, 1).at(1, 30, 0, 0)), Some(ts("2026-11-01T05:30:00Z")));
    }

    #[test]
    fn a_time_inside_a_gap_resolves_to_the_jump() {
        let tz = zone("America/New_York");
        // 02:00 EST → 03:00 EDT at 07:00Z.
        let jump = ts("2026-03-08T07:00:00Z");
        for minute in [0, 1, 30, 59] {
            let civil = date(2026, 3, 8).at(2, minute, 0, 0);
            assert_eq!(first_instant_at_or_after(tz.zone(), civil), Some(jump), "02:{minute:02}");
        }
    }

    #[test]
    fn a_gap_that_does_not_start_at_midnight_still_yields_the_first_instant() {
        // Samoa skipped 30 December 2011 entirely: 29 December 24:00 (-10) became 31 December 00:00 (+14).
        let apia = zone("Pacific/Apia");
        assert_eq!(start_of_day(&apia, date(2011, 12, 30)), ts("2011-12-30T10:00:00Z"));
        assert_eq!(start_of_day(&apia, date(2011, 12, 31)), ts("2011-12-30T10:00:00Z"));
        // A window ending at noon on the missing day ends when the clocks jumped.
        let noon = date(2011, 12, 30).at(12, 0, 0, 0);
        assert_eq!(first_instant_at_or_after(apia.zone(), noon), Some(ts("2011-12-30T10:00:00Z")));
    }

    #[test]
    fn ordinary_days_start_at_local_midnight() {
        assert_eq!(start_of_day(&zone("Asia/Kolkata"), date(2026, 1, 15)), ts("2026-01-14T18:30:00Z"));
        assert_eq!(start_of_day(&zone("Australia/Sydney"), date(2026, 1, 15)), ts("2026-01-14T13:00:00Z"));
        assert_eq!(start_of_day(&TimeZoneName::utc(), date(2026, 1, 15)), ts("2026-01-15T00:00:00Z"));
    }

    #[test]
    fn months_follow_the_host_zone() {
        let sydney = zone("Australia/Sydney");
        // 15:00Z on 30 April is 01:00 on 1 May in Sydney (AEST, +10).
        let (start, end) = month_bounds(&sydney, ts("2026-04-30T15:00:00Z"));
        assert_eq!(start, ts("2026-04-30T14:00:00Z"));
        assert_eq!(end, ts("2026-05-31T14:00:00Z"));
        // April in Sydney starts in daylight time (+11) and ends in standard time (+10).
        let (start, end) = month_bounds(&sydney, ts("2026-04-10T00:00:00Z"));
        assert_eq!(start, ts("2026-03-31T13:00:00Z"));
        assert_eq!(end, ts("2026-04-30T14:00:00Z"));
    }

    #[test]
    fn months_covering_spans_whole_months_of_both_ends() {
        let london = zone("Europe/London");
        let (start, end) = months_covering(&london, ts("2026-03-20T12:00:00Z"), ts("2026-04-02T12:00:00Z"));
        assert_eq!(start, ts("2026-03-01T00:00:00Z"));
        assert_eq!(end, ts("2026-04-30T23:00:00Z")); // midnight BST
    }

    #[test]
    fn extreme_instants_saturate_instead_of_failing() {
        let tz = zone("Asia/Kolkata");
        let (start, end) = month_bounds(&tz, Timestamp::MAX);
        assert!(start < end);
        assert_eq!(end, Timestamp::MAX);
        let (start, _) = month_bounds(&tz, Timestamp::MIN);
        assert_eq!(start, Timestamp::MIN);
    }

    #[test]
    fn days_and_weeks_follow_the_host_zone_and_week_start() {
        let new_york = zone("America/New_York");
        // 8 March 2026 in New York lasts 23 hours.
        let (start, end) = day_bounds(&new_york, ts("2026-03-08T12:00:00Z"));
        assert_eq!((start, end), (ts("2026-03-08T05:00:00Z"), ts("2026-03-09T04:00:00Z")));
        // 02:00Z on Monday 9 March is still Sunday evening in New York.
        let (start, end) = week_bounds(&new_york, Weekday::Mon, ts("2026-03-09T02:00:00Z"));
        assert_eq!((start, end), (ts("2026-03-02T05:00:00Z"), ts("2026-03-09T04:00:00Z")));
        let (start, end) = week_bounds(&new_york, Weekday::Sun, ts("2026-03-09T02:00:00Z"));
        assert_eq!((start, end), (ts("2026-03-08T05:00:00Z"), ts("2026-03-15T04:00:00Z")));
        let (start, _) = week_bounds(&new_york, Weekday::Sat, ts("2026-03-07T05:00:00Z"));
        assert_eq!(start, ts("2026-03-07T05:00:00Z"), "a week starts on its own first day");
    }

    #[test]
    fn months_covering_also_spans_whole_weeks_at_both_ends() {
        let utc = TimeZoneName::utc();
        // Sunday 1 March: its week may have begun on Monday 23 February.
        let (start, end) = months_covering(&utc, ts("2026-03-01T10:00:00Z"), ts("2026-03-15T00:00:00Z"));
        assert_eq!((start, end), (ts("2026-02-23T00:00:00Z"), ts("2026-04-01T00:00:00Z")));
        for week_start in Weekday::ALL {
            for (from, to) in
                [("2026-03-01T10:00:00Z", "2026-03-31T20:00:00Z"), ("2026-03-04T00:00:00Z", "2026-03-04T01:00:00Z")]
            {
                let (covered_from, covered_to) = months_covering(&utc, ts(from), ts(to));
                assert!(covered_from <= week_bounds(&utc, week_start, ts(from)).0);
                assert!(covered_to >= week_bounds(&utc, week_start, ts(to)).1);
                assert!(covered_from <= month_bounds(&utc, ts(from)).0);
                assert!(covered_to >= month_bounds(&utc, ts(to)).1);
            }
        }
    }

    #[test]
    fn the_offset_table_knows_which_days_are_steady() {
        let new_york = zone("America/New_York");
        let tz = new_york.zone();
        let offsets = Offsets::new(tz, ts("2026-02-20T00:00:00Z"), ts("2026-03-20T00:00:00Z"));
        let midnight = |text| Some(ts(text).as_second());
        assert_eq!(offsets.steady_midnight(date(2026, 2, 25)), midnight("2026-02-25T05:00:00Z"));
        assert_eq!(offsets.steady_midnight(date(2026, 3, 18)), midnight("2026-03-18T04:00:00Z"));
        for day in 6..=10 {
            assert_eq!(offsets.steady_midnight(date(2026, 3, day)), None, "8 March changes: 3 {day} is near it");
        }
        // Answers agree with the zone inside and outside the table's span.
        for at in ["2026-03-08T06:59:59Z", "2026-03-08T07:00:00Z", "2026-06-01T00:00:00Z", "2025-11-02T06:00:00Z"] {
            assert_eq!(offsets.at(ts(at)), tz.to_offset(ts(at)), "{at}");
            assert_eq!(offsets.local_date(ts(at)), tz.to_datetime(ts(at)).date(), "{at}");
        }
        assert!(offsets.changes_within(ts("2026-03-08T06:00:00Z"), ts("2026-03-08T07:00:00Z")));
        assert!(!offsets.changes_within(ts("2026-03-08T07:00:00Z"), ts("2026-03-08T09:00:00Z")));
        assert!(offsets.changes_within(ts("2026-10-31T06:00:00Z"), ts("2026-11-02T07:00:00Z")), "beyond the table");
        // A zone without changes is steady everywhere.
        let kolkata = zone("Asia/Kolkata");
        let offsets = Offsets::new(kolkata.zone(), ts("2026-03-01T00:00:00Z"), ts("2026-03-02T00:00:00Z"));
        assert_eq!(offsets.steady_midnight(date(2026, 3, 1)), Some(ts("2026-02-28T18:30:00Z").as_second()));
    }
}
