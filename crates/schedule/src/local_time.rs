//! Turning host-local wall-clock times into instants, and host-local calendar months into instant ranges.
//!
//! Wall-clock times are not always one instant: in a spring-forward gap a time never happens, and in an
//! autumn fold it happens twice. The two resolutions here name which answer each caller gets, so that the
//! slot engine, month bounds and day starts all agree.

use coffeechat_domain::TimeZoneName;
use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};

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

/// A host-local calendar month, used to count interviews against the monthly cap.
pub(crate) type MonthKey = (i16, i8);

pub(crate) fn month_key(date: Date) -> MonthKey {
    (date.year(), date.month())
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

/// Instants `[start of the month containing from, end of the month containing to)` in `zone`.
///
/// This is what a caller must fetch bookings for before calling [`free_slots`](crate::free_slots) for
/// `[from, to)`: every interview *starting* in these months, so caps are counted right. For buffers to be
/// exact at the edges, also include interviews that merely overlap the range widened by the buffer (an
/// interview ending just after midnight on the 1st starts in the previous month).
pub fn months_covering(zone: &TimeZoneName, from: Timestamp, to: Timestamp) -> (Timestamp, Timestamp) {
    let (start, _) = month_bounds(zone, from);
    let (_, end) = month_bounds(zone, to);
    (start, end)
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
}
