//! Recurrence rules (RFC 5545 §3.3.10): parsing `RRULE` values and expanding them in wall-clock time.
//!
//! The expansion follows the approach of python-dateutil and libical: walk the rule's periods (each year,
//! month, week or day, stepping by `INTERVAL`), take every day of the period that passes the `BY…` parts
//! and every time of day they name, apply `BYSETPOS`, and stop at `COUNT`, `UNTIL` or the end of the
//! import window. Expanding "as filters over the period's days" gives RFC 5545's expand/limit table for
//! free: `FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU` is every day of the year that is in March, a Sunday, and the
//! last Sunday of its month.
//!
//! Everything happens on civil (wall-clock) date-times; the caller turns them into instants in the
//! event's zone, so a weekly 09:00 meeting stays 09:00 across daylight-saving changes.
//!
//! Sub-daily frequencies (`HOURLY`, `MINUTELY`, `SECONDLY`) are refused: no calendar application creates
//! them for meetings, and they are the usual way to write a rule with millions of occurrences. Two limits
//! guard against the rest: at most [`MAX_OCCURRENCES`] occurrences inside the import window per rule, and
//! at most [`MAX_PERIODS`] periods walked (a rule whose `COUNT` starts its walk centuries ago, or whose
//! `BY…` parts never match).

use jiff::Timestamp;
use jiff::ToSpan as _;
use jiff::civil::{Date, DateTime, Time, Weekday};

use super::values::{days_between, parse_date, parse_date_time};

/// A rule with more occurrences than this inside the import window is an import error, not busy time.
pub(super) const MAX_OCCURRENCES: usize = 10_000;
/// Periods (days, weeks, months or years) a single rule may walk through.
pub(super) const MAX_PERIODS: usize = 1_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Frequency {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// `UNTIL` as written: a date, a UTC instant, or (not allowed by RFC 5545 with a `TZID` start, but common)
/// a wall-clock time in the event's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Until {
    Date(Date),
    Utc(Timestamp),
    Local(DateTime),
}

/// A parsed `RRULE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Rule {
    pub frequency: Frequency,
    pub interval: i64,
    pub count: Option<u64>,
    pub until: Option<Until>,
    by_month: Vec<i8>,
    by_week_no: Vec<i8>,
    by_year_day: Vec<i16>,
    by_month_day: Vec<i8>,
    by_day: Vec<(Option<i8>, Weekday)>,
    by_hour: Vec<i8>,
    by_minute: Vec<i8>,
    by_second: Vec<i8>,
    by_set_pos: Vec<i16>,
    week_start: Weekday,
}

/// Why an expansion stopped before its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Overflow {
    /// More than [`MAX_OCCURRENCES`] occurrences in the window.
    Occurrences,
    /// More than [`MAX_PERIODS`] periods walked.
    Periods,
}

/// `MO` … `SU`.
pub(super) fn weekday(code: &str) -> Option<Weekday> {
    Some(match code.trim().to_ascii_uppercase().as_str() {
        "MO" => Weekday::Monday,
        "TU" => Weekday::Tuesday,
        "WE" => Weekday::Wednesday,
        "TH" => Weekday::Thursday,
        "FR" => Weekday::Friday,
        "SA" => Weekday::Saturday,
        "SU" => Weekday::Sunday,
        _ => return None,
    })
}

/// Numbers of a `BY…` list, each within `range` and (when `allow_negative`) its negation; zero never.
fn numbers<T>(name: &str, value: &str, low: i16, high: i16, allow_negative: bool) -> Result<Vec<T>, String>
where
    T: TryFrom<i16>,
{
    value
        .split(',')
        .map(|item| {
            let number: i16 = item
                .trim()
                .trim_start_matches('+')
                .parse()
                .map_err(|_| format!("{name}={value} is not a list of numbers"))?;
            let magnitude = number.checked_abs().unwrap_or(i16::MAX);
            let in_range = if number < 0 {
                allow_negative && (low.max(1)..=high).contains(&magnitude)
            } else {
                (low..=high).contains(&number)
            };
            if !in_range {
                return Err(format!("{name}={item} is out of range"));
            }
            T::try_from(number).map_err(|_| format!("{name}={item} is out of range"))
        })
        .collect()
}

fn parse_until(value: &str) -> Option<Until> {
    if let Some(date) = parse_date(value) {
        return Some(Until::Date(date));
    }
    let (civil, utc) = parse_date_time(value)?;
    if utc {
        civil.to_zoned(jiff::tz::TimeZone::UTC).ok().map(|zoned| Until::Utc(zoned.timestamp()))
    } else {
        Some(Until::Local(civil))
    }
}

/// Parses an `RRULE` value; the message names the part that is wrong.
pub(super) fn parse_rule(text: &str) -> Result<Rule, String> {
    let mut frequency = None;
    let mut rule = Rule {
        frequency: Frequency::Daily,
        interval: 1,
        count: None,
        until: None,
        by_month: Vec::new(),
        by_week_no: Vec::new(),
        by_year_day: Vec::new(),
        by_month_day: Vec::new(),
        by_day: Vec::new(),
        by_hour: Vec::new(),
        by_minute: Vec::new(),
        by_second: Vec::new(),
        by_set_pos: Vec::new(),
        week_start: Weekday::Monday,
    };
    for part in text.trim().split(';').filter(|part| !part.trim().is_empty()) {
        let (name, value) = part.split_once('=').ok_or_else(|| format!("\"{part}\" is not NAME=value"))?;
        let value = value.trim();
        match name.trim().to_ascii_uppercase().as_str() {
            "FREQ" => {
                frequency = Some(match value.to_ascii_uppercase().as_str() {
                    "DAILY" => Frequency::Daily,
                    "WEEKLY" => Frequency::Weekly,
                    "MONTHLY" => Frequency::Monthly,
                    "YEARLY" => Frequency::Yearly,
                    "HOURLY" | "MINUTELY" | "SECONDLY" => {
                        return Err(format!(
                            "FREQ={value} repeats more often than daily, which Coffeechat does not import as busy time"
                        ));
                    }
                    _ => return Err(format!("FREQ={value} is not a frequency")),
                });
            }
            "INTERVAL" => {
                rule.interval = value
                    .parse::<i64>()
                    .ok()
                    .filter(|interval| (1..=1_000_000).contains(interval))
                    .ok_or_else(|| format!("INTERVAL={value} must be a whole number from 1"))?;
            }
            "COUNT" => {
                rule.count = Some(value.parse::<u64>().map_err(|_| format!("COUNT={value} must be a whole number"))?);
            }
            "UNTIL" => {
                rule.until =
                    Some(parse_until(value).ok_or_else(|| format!("UNTIL={value} is not a date or date-time"))?);
            }
            "BYMONTH" => rule.by_month = numbers("BYMONTH", value, 1, 12, false)?,
            "BYWEEKNO" => rule.by_week_no = numbers("BYWEEKNO", value, 1, 53, true)?,
            "BYYEARDAY" => rule.by_year_day = numbers("BYYEARDAY", value, 1, 366, true)?,
            "BYMONTHDAY" => rule.by_month_day = numbers("BYMONTHDAY", value, 1, 31, true)?,
            "BYHOUR" => rule.by_hour = numbers("BYHOUR", value, 0, 23, false)?,
            "BYMINUTE" => rule.by_minute = numbers("BYMINUTE", value, 0, 59, false)?,
            "BYSECOND" => rule.by_second = numbers("BYSECOND", value, 0, 60, false)?,
            "BYSETPOS" => rule.by_set_pos = numbers("BYSETPOS", value, 1, 366, true)?,
            "BYDAY" => {
                rule.by_day = value
                    .split(',')
                    .map(|item| {
                        let item = item.trim();
                        let split =
                            item.len().checked_sub(2).ok_or_else(|| format!("BYDAY={item} is not a weekday"))?;
                        let day = item
                            .get(split..)
                            .and_then(weekday)
                            .ok_or_else(|| format!("BYDAY={item} is not a weekday like MO or -1FR"))?;
                        let ordinal = match item.get(..split).unwrap_or_default() {
                            "" => None,
                            number => Some(
                                numbers::<i8>("BYDAY", number, 1, 53, true)?
                                    .first()
                                    .copied()
                                    .ok_or_else(|| format!("BYDAY={item} is not a weekday"))?,
                            ),
                        };
                        Ok((ordinal, day))
                    })
                    .collect::<Result<_, String>>()?;
            }
            "WKST" => {
                rule.week_start = weekday(value).ok_or_else(|| format!("WKST={value} is not a weekday"))?;
            }
            // RFC 7529 calendar scales other than the Gregorian one change every date: refuse, never misread.
            "RSCALE" if !value.eq_ignore_ascii_case("GREGORIAN") => {
                return Err(format!("RSCALE={value}: only the Gregorian calendar is supported"));
            }
            // Extensions (X-…) and parts that cannot change the dates (SKIP without RSCALE) are ignored.
            _ => {}
        }
    }
    rule.frequency = frequency.ok_or_else(|| "the rule has no FREQ".to_owned())?;
    Ok(rule)
}

/// The day/time parts in effect for one event: the rule's own, or those implied by its start
/// (`FREQ=MONTHLY` alone repeats on the start's day of the month).
struct Effective<'a> {
    rule: &'a Rule,
    by_month: Vec<i8>,
    by_month_day: Vec<i8>,
    by_day: Vec<(Option<i8>, Weekday)>,
    times: Vec<Time>,
}

impl<'a> Effective<'a> {
    fn new(rule: &'a Rule, start: DateTime, all_day: bool) -> Self {
        let mut by_month = rule.by_month.clone();
        let mut by_month_day = rule.by_month_day.clone();
        let mut by_day = rule.by_day.clone();
        let no_day_parts = rule.by_week_no.is_empty()
            && rule.by_year_day.is_empty()
            && rule.by_month_day.is_empty()
            && rule.by_day.is_empty();
        if no_day_parts {
            match rule.frequency {
                Frequency::Yearly => {
                    if by_month.is_empty() {
                        by_month.push(start.month());
                    }
                    by_month_day.push(start.day());
                }
                Frequency::Monthly => by_month_day.push(start.day()),
                Frequency::Weekly => by_day.push((None, start.weekday())),
                Frequency::Daily => {}
            }
        }
        let times = if all_day {
            vec![Time::midnight()]
        } else {
            let pick = |list: &[i8], default: i8| if list.is_empty() { vec![default] } else { list.to_vec() };
            let mut times = Vec::new();
            for hour in pick(&rule.by_hour, start.hour()) {
                for minute in pick(&rule.by_minute, start.minute()) {
                    for second in pick(&rule.by_second, start.second()) {
                        // BYSECOND=60 (a leap second) reads as :59, as jiff has no leap seconds.
                        if let Ok(time) = Time::new(hour, minute, second.min(59), 0) {
                            times.push(time);
                        }
                    }
                }
            }
            times.sort_unstable();
            times.dedup();
            times
        };
        Self { rule, by_month, by_month_day, by_day, times }
    }

    fn day_matches(&self, day: Date) -> bool {
        let rule = self.rule;
        if !self.by_month.is_empty() && !self.by_month.contains(&day.month()) {
            return false;
        }
        if !rule.by_week_no.is_empty() {
            let (week, weeks_in_year) = week_number(day, rule.week_start);
            if !rule.by_week_no.iter().any(|&n| i16::from(n) == week || i16::from(n) == week - weeks_in_year - 1) {
                return false;
            }
        }
        if !rule.by_year_day.is_empty() {
            let (ordinal, length) = (day.day_of_year(), day.days_in_year());
            if !rule.by_year_day.iter().any(|&n| n == ordinal || n == ordinal - length - 1) {
                return false;
            }
        }
        if !self.by_month_day.is_empty() {
            let (ordinal, length) = (day.day(), day.days_in_month());
            if !self.by_month_day.iter().any(|&n| n == ordinal || n == ordinal - length - 1) {
                return false;
            }
        }
        if !self.by_day.is_empty()
            && !self.by_day.iter().any(|&(ordinal, weekday)| self.weekday_matches(day, ordinal, weekday))
        {
            return false;
        }
        true
    }

    /// `BYDAY` entry `ordinal weekday` against `day`. An ordinal counts within the month (monthly rules, and
    /// yearly rules with BYMONTH) or the year (other yearly rules); elsewhere RFC 5545 gives it no meaning
    /// and it is read as the plain weekday.
    fn weekday_matches(&self, day: Date, ordinal: Option<i8>, weekday: Weekday) -> bool {
        if day.weekday() != weekday {
            return false;
        }
        let Some(ordinal) = ordinal else { return true };
        let (index, length) = match self.rule.frequency {
            Frequency::Monthly => (i16::from(day.day()) - 1, i16::from(day.days_in_month())),
            Frequency::Yearly if !self.rule.by_month.is_empty() => {
                (i16::from(day.day()) - 1, i16::from(day.days_in_month()))
            }
            Frequency::Yearly if self.rule.by_week_no.is_empty() => (day.day_of_year() - 1, day.days_in_year()),
            _ => return true,
        };
        let ordinal = i16::from(ordinal);
        if ordinal > 0 { index / 7 + 1 == ordinal } else { (length - 1 - index) / 7 + 1 == -ordinal }
    }

    /// The occurrences of one period, in order, after `BYSETPOS`.
    fn candidates(&self, period: Date) -> Vec<DateTime> {
        let length = match self.rule.frequency {
            Frequency::Daily => 1,
            Frequency::Weekly => 7,
            Frequency::Monthly => i64::from(period.days_in_month()),
            Frequency::Yearly => i64::from(period.days_in_year()),
        };
        let mut candidates = Vec::new();
        let mut day = period;
        for offset in 0..length {
            if offset > 0 {
                match day.tomorrow() {
                    Ok(next) => day = next,
                    Err(_) => break,
                }
            }
            if self.day_matches(day) {
                candidates.extend(self.times.iter().map(|&time| day.to_datetime(time)));
            }
        }
        if self.rule.by_set_pos.is_empty() {
            return candidates;
        }
        let count = i32::try_from(candidates.len()).unwrap_or(i32::MAX);
        let mut chosen: Vec<DateTime> = self
            .rule
            .by_set_pos
            .iter()
            .filter_map(|&position| {
                let position = i32::from(position);
                let index = if position > 0 { position - 1 } else { count + position };
                usize::try_from(index).ok().and_then(|index| candidates.get(index).copied())
            })
            .collect();
        chosen.sort_unstable();
        chosen.dedup();
        chosen
    }
}

/// The first day of the period containing `day`.
fn period_of(frequency: Frequency, day: Date, week_start: Weekday) -> Date {
    match frequency {
        Frequency::Daily => day,
        Frequency::Weekly => start_of_week(day, week_start),
        Frequency::Monthly => day.first_of_month(),
        Frequency::Yearly => day.first_of_year(),
    }
}

/// The period `steps` periods after the period starting at `period`; `None` beyond year 9999.
fn advance(frequency: Frequency, period: Date, steps: i64) -> Option<Date> {
    let span = match frequency {
        Frequency::Daily => steps.days(),
        Frequency::Weekly => steps.checked_mul(7)?.days(),
        Frequency::Monthly => jiff::Span::new().try_months(steps).ok()?,
        Frequency::Yearly => jiff::Span::new().try_years(steps).ok()?,
    };
    period.checked_add(span).ok()
}

/// Whole periods from the period starting at `from` to the one starting at `to` (`from <= to`).
fn periods_between(frequency: Frequency, from: Date, to: Date) -> i64 {
    match frequency {
        Frequency::Daily => days_between(from, to),
        Frequency::Weekly => days_between(from, to) / 7,
        Frequency::Monthly => {
            (i64::from(to.year()) * 12 + i64::from(to.month()))
                - (i64::from(from.year()) * 12 + i64::from(from.month()))
        }
        Frequency::Yearly => i64::from(to.year()) - i64::from(from.year()),
    }
}

fn start_of_week(day: Date, week_start: Weekday) -> Date {
    let back = i64::from((day.weekday().to_monday_zero_offset() - week_start.to_monday_zero_offset()).rem_euclid(7));
    day.checked_sub(back.days()).unwrap_or(day)
}

/// Week 1 of a year is the first week (starting on `week_start`) with at least four days in that year,
/// which is the week containing 4 January.
fn first_week(year: i16, week_start: Weekday) -> Option<Date> {
    Date::new(year, 1, 4).ok().map(|fourth| start_of_week(fourth, week_start))
}

/// The week number of `day` and the number of weeks of its week-year (RFC 5545 `BYWEEKNO`, ISO 8601
/// numbering generalised to any `WKST`).
fn week_number(day: Date, week_start: Weekday) -> (i16, i16) {
    let year = day.year();
    let this = first_week(year, week_start);
    let next = year.checked_add(1).and_then(|next| first_week(next, week_start));
    let previous = year.checked_sub(1).and_then(|previous| first_week(previous, week_start));
    let (start, end) = match (previous, this, next) {
        (Some(previous), Some(this), _) if day < this => (previous, this),
        (_, Some(_), Some(next)) if day >= next => {
            (next, year.checked_add(2).and_then(|after| first_week(after, week_start)).unwrap_or(next))
        }
        (_, Some(this), Some(next)) => (this, next),
        _ => return (0, 0),
    };
    let week = i16::try_from(days_between(start, day) / 7 + 1).unwrap_or(0);
    let weeks = i16::try_from(days_between(start, end) / 7).unwrap_or(0);
    (week, weeks)
}

/// One rule applied to one event.
pub(super) struct Expansion<'a> {
    pub rule: &'a Rule,
    /// The event's `DTSTART` in wall-clock time (midnight for an all-day event).
    pub start: DateTime,
    pub all_day: bool,
    /// `UNTIL` as a wall-clock bound (inclusive) in the event's zone, already converted by the caller.
    pub until: Option<DateTime>,
    /// Occurrences starting in `[window_start, window_end]` (wall-clock, inclusive) are returned.
    pub window_start: DateTime,
    pub window_end: DateTime,
}

impl Expansion<'_> {
    /// The occurrence starts inside the window, in order; the first occurrence is always `DTSTART` itself
    /// (RFC 5545 counts it even when the rule would not produce it).
    pub fn occurrences(&self) -> Result<Vec<DateTime>, Overflow> {
        let rule = self.rule;
        let effective = Effective::new(rule, self.start, self.all_day);
        let mut found = Vec::new();
        let mut emitted: u64 = 1;
        if self.start >= self.window_start && self.start <= self.window_end {
            found.push(self.start);
        }

        let mut period = period_of(rule.frequency, self.start.date(), rule.week_start);
        // Without COUNT, nothing before the window matters: jump to the window's period, staying on the
        // INTERVAL grid. With COUNT, every earlier occurrence counts and must be walked.
        if rule.count.is_none() {
            let target = period_of(rule.frequency, self.window_start.date(), rule.week_start);
            if target > period {
                let steps = periods_between(rule.frequency, period, target);
                if let Some(jumped) = advance(rule.frequency, period, steps - steps % rule.interval) {
                    period = jumped;
                }
            }
        }

        let last_day = self.until.map_or(self.window_end.date(), |until| until.date().min(self.window_end.date()));
        let mut walked = 0_usize;
        while period <= last_day {
            walked += 1;
            if walked > MAX_PERIODS {
                return Err(Overflow::Periods);
            }
            for candidate in effective.candidates(period) {
                if candidate <= self.start {
                    continue;
                }
                if self.until.is_some_and(|until| candidate > until) || candidate > self.window_end {
                    return Ok(found);
                }
                if rule.count.is_some_and(|count| emitted >= count) {
                    return Ok(found);
                }
                emitted += 1;
                if candidate >= self.window_start {
                    found.push(candidate);
                    if found.len() > MAX_OCCURRENCES {
                        return Err(Overflow::Occurrences);
                    }
                }
            }
            match advance(rule.frequency, period, rule.interval) {
                Some(next) => period = next,
                None => break,
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use jiff::civil::date;

    use super::*;

    /// Occurrence starts of `rule` for an event starting at `start`, within 2026–2027, as `YYYY-MM-DD HH:MM`.
    fn expand(rule: &str, start: DateTime) -> Vec<String> {
        expand_in(rule, start, date(2026, 1, 1).at(0, 0, 0, 0), date(2027, 12, 31).at(23, 59, 59, 0))
    }

    fn expand_in(rule: &str, start: DateTime, window_start: DateTime, window_end: DateTime) -> Vec<String> {
        let rule = parse_rule(rule).unwrap();
        let until = rule.until.map(|until| match until {
            Until::Date(day) => day.at(23, 59, 59, 0),
            Until::Local(civil) => civil,
            Until::Utc(instant) => instant.to_zoned(jiff::tz::TimeZone::UTC).datetime(),
        });
        Expansion { rule: &rule, start, all_day: false, until, window_start, window_end }
            .occurrences()
            .unwrap()
            .iter()
            .map(|civil| civil.strftime("%Y-%m-%d %H:%M").to_string())
            .collect()
    }

    #[test]
    fn weekly_on_several_days_with_count() {
        // Monday 2 March 2026, Monday/Wednesday, six times.
        let got = expand("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6", date(2026, 3, 2).at(9, 0, 0, 0));
        assert_eq!(
            got,
            [
                "2026-03-02 09:00",
                "2026-03-04 09:00",
                "2026-03-09 09:00",
                "2026-03-11 09:00",
                "2026-03-16 09:00",
                "2026-03-18 09:00"
            ]
        );
    }

    #[test]
    fn every_other_week_until_a_utc_instant_inclusive() {
        let got = expand("FREQ=WEEKLY;INTERVAL=2;UNTIL=20260330T090000Z", date(2026, 3, 2).at(9, 0, 0, 0));
        assert_eq!(got, ["2026-03-02 09:00", "2026-03-16 09:00", "2026-03-30 09:00"]);
    }

    #[test]
    fn monthly_by_ordinal_weekday_and_last_day() {
        let second_tuesday = expand("FREQ=MONTHLY;BYDAY=2TU;COUNT=3", date(2026, 1, 13).at(10, 0, 0, 0));
        assert_eq!(second_tuesday, ["2026-01-13 10:00", "2026-02-10 10:00", "2026-03-10 10:00"]);
        let last_friday = expand("FREQ=MONTHLY;BYDAY=-1FR;COUNT=3", date(2026, 1, 30).at(10, 0, 0, 0));
        assert_eq!(last_friday, ["2026-01-30 10:00", "2026-02-27 10:00", "2026-03-27 10:00"]);
        let last_day = expand("FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3", date(2026, 1, 31).at(8, 0, 0, 0));
        assert_eq!(last_day, ["2026-01-31 08:00", "2026-02-28 08:00", "2026-03-31 08:00"]);
        // Outlook's "last weekday of the month".
        let last_weekday =
            expand("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=3", date(2026, 1, 30).at(8, 0, 0, 0));
        assert_eq!(last_weekday, ["2026-01-30 08:00", "2026-02-27 08:00", "2026-03-31 08:00"]);
    }

    #[test]
    fn a_missing_day_of_the_month_is_skipped_not_moved() {
        let got = expand("FREQ=MONTHLY;COUNT=4", date(2026, 1, 31).at(9, 0, 0, 0));
        assert_eq!(got, ["2026-01-31 09:00", "2026-03-31 09:00", "2026-05-31 09:00", "2026-07-31 09:00"]);
    }

    #[test]
    fn yearly_rules_by_month_and_by_week_number() {
        let thanksgiving = expand("FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", date(2026, 11, 26).at(0, 0, 0, 0));
        assert_eq!(thanksgiving, ["2026-11-26 00:00", "2027-11-25 00:00"]);
        let birthday = expand("FREQ=YEARLY", date(2024, 2, 29).at(12, 0, 0, 0));
        assert!(birthday.is_empty(), "29 February does not exist in 2026 or 2027: {birthday:?}");
        let week_20_monday = expand("FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", date(2026, 5, 11).at(9, 0, 0, 0));
        assert_eq!(week_20_monday, ["2026-05-11 09:00", "2027-05-17 09:00"]);
        let hundredth_day = expand("FREQ=YEARLY;BYYEARDAY=100,-1", date(2026, 4, 10).at(9, 0, 0, 0));
        assert_eq!(hundredth_day, ["2026-04-10 09:00", "2026-12-31 09:00", "2027-04-10 09:00", "2027-12-31 09:00"]);
    }

    #[test]
    fn daily_with_times_of_day() {
        let got = expand("FREQ=DAILY;BYHOUR=9,14;BYMINUTE=30;COUNT=4", date(2026, 3, 2).at(9, 30, 0, 0));
        assert_eq!(got, ["2026-03-02 09:30", "2026-03-02 14:30", "2026-03-03 09:30", "2026-03-03 14:30"]);
    }

    #[test]
    fn an_unbounded_rule_is_expanded_only_inside_the_window() {
        // Weekly since 2001, no end: only the window's occurrences, found without walking 25 years.
        let got = expand_in(
            "FREQ=WEEKLY;INTERVAL=3",
            date(2001, 1, 1).at(9, 0, 0, 0),
            date(2026, 3, 1).at(0, 0, 0, 0),
            date(2026, 4, 30).at(0, 0, 0, 0),
        );
        // 2001-01-01 + 3-week steps: 1314 weeks to 2026-03-09 (a multiple of 3).
        assert_eq!(got, ["2026-03-09 09:00", "2026-03-30 09:00", "2026-04-20 09:00"]);
    }

    #[test]
    fn count_is_counted_from_the_start_even_before_the_window() {
        let got = expand_in(
            "FREQ=DAILY;COUNT=10",
            date(2026, 2, 25).at(9, 0, 0, 0),
            date(2026, 3, 1).at(0, 0, 0, 0),
            date(2026, 4, 30).at(0, 0, 0, 0),
        );
        assert_eq!(
            got,
            [
                "2026-03-01 09:00",
                "2026-03-02 09:00",
                "2026-03-03 09:00",
                "2026-03-04 09:00",
                "2026-03-05 09:00",
                "2026-03-06 09:00"
            ]
        );
    }

    #[test]
    fn pathological_rules_stop_at_a_limit() {
        let every_minute = parse_rule(&format!(
            "FREQ=DAILY;BYHOUR={};BYMINUTE={}",
            (0..24).map(|h| h.to_string()).collect::<Vec<_>>().join(","),
            (0..60).map(|m| m.to_string()).collect::<Vec<_>>().join(",")
        ))
        .unwrap();
        let expansion = Expansion {
            rule: &every_minute,
            start: date(2026, 1, 1).at(0, 0, 0, 0),
            all_day: false,
            until: None,
            window_start: date(2026, 1, 1).at(0, 0, 0, 0),
            window_end: date(2027, 1, 1).at(0, 0, 0, 0),
        };
        assert_eq!(expansion.occurrences(), Err(Overflow::Occurrences));

        // Never matches (30 February), walked day by day from year 1 because of COUNT.
        let never = parse_rule("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=5").unwrap();
        let expansion = Expansion {
            rule: &never,
            start: date(1, 1, 1).at(0, 0, 0, 0),
            all_day: false,
            until: None,
            window_start: date(2026, 1, 1).at(0, 0, 0, 0),
            window_end: date(9999, 1, 1).at(0, 0, 0, 0),
        };
        assert_eq!(expansion.occurrences(), Err(Overflow::Periods));
    }

    #[test]
    fn bad_rules_say_which_part_is_wrong() {
        let cases = [
            ("BYDAY=MO", "no FREQ"),
            ("FREQ=HOURLY", "more often than daily"),
            ("FREQ=SOMETIMES", "FREQ=SOMETIMES"),
            ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL=0"),
            ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY=32"),
            ("FREQ=MONTHLY;BYMONTH=0", "BYMONTH=0"),
            ("FREQ=WEEKLY;BYDAY=XX", "BYDAY=XX"),
            ("FREQ=WEEKLY;UNTIL=soon", "UNTIL=soon"),
            ("FREQ=WEEKLY;garbage", "garbage"),
            ("FREQ=YEARLY;RSCALE=CHINESE", "RSCALE=CHINESE"),
        ];
        for (rule, needle) in cases {
            let message = parse_rule(rule).unwrap_err();
            assert!(message.contains(needle), "{rule}: {message}");
        }
        assert!(parse_rule("FREQ=WEEKLY;X-NAME=1;WKST=SU").is_ok());
    }

    #[test]
    fn week_numbers_follow_iso_8601_with_monday_starts() {
        assert_eq!(week_number(date(2026, 1, 1), Weekday::Monday), (1, 53));
        assert_eq!(week_number(date(2027, 1, 3), Weekday::Monday), (53, 53));
        assert_eq!(week_number(date(2027, 1, 4), Weekday::Monday), (1, 52));
        assert_eq!(week_number(date(2024, 12, 30), Weekday::Monday), (1, 52));
    }
}
