//! Daily, weekly and monthly caps: which host-local periods already hold as many interviews as the host
//! allows, and so offer no slots.
//!
//! Counting happens once per search, from the host-local dates of the counted instants (interview starts,
//! plus one instant per pending request when the host counts those). What remains per scanned date is a
//! lookup in three short sorted lists of *full* periods, which are empty for most hosts most of the time.

use coffeechat_domain::HostPolicy;
use jiff::civil::{Date, Weekday};

use crate::local_time::week_start_date;
use crate::slots::Unavailable;

/// A host-local calendar month.
type MonthKey = (i16, i8);

fn month_key(date: Date) -> MonthKey {
    (date.year(), date.month())
}

/// The periods at their cap, as sorted keys.
#[derive(Debug)]
pub(crate) struct FullPeriods {
    days: Vec<Date>,
    /// The first day of each full week.
    weeks: Vec<Date>,
    months: Vec<MonthKey>,
    week_start: Weekday,
    /// A cap of zero (only possible in policies built by hand) closes every period of its kind.
    every_day: bool,
    every_week: bool,
    every_month: bool,
}

impl FullPeriods {
    /// `dates` holds the host-local date of every counted instant, in any order.
    pub(crate) fn new(policy: &HostPolicy, mut dates: Vec<Date>) -> Self {
        dates.sort_unstable();
        let week_start = policy.week_start.to_jiff();
        let weeks = match policy.weekly_cap {
            // Week starts of ascending dates ascend too, so the keys need no sorting of their own.
            Some(cap) => full_keys(dates.iter().map(|&date| week_start_date(date, week_start)), cap),
            None => Vec::new(),
        };
        Self {
            days: policy.daily_cap.map_or_else(Vec::new, |cap| full_keys(dates.iter().copied(), cap)),
            weeks,
            months: full_keys(dates.iter().copied().map(month_key), policy.monthly_cap),
            week_start,
            every_day: policy.daily_cap == Some(0),
            every_week: policy.weekly_cap == Some(0),
            every_month: policy.monthly_cap == 0,
        }
    }

    /// Why slots on host-local `date` are closed by a cap, naming the widest full period (a full month tells
    /// a seeker more than a full day), or `None` when every period containing it is below its cap.
    pub(crate) fn closing(&self, date: Date) -> Option<Unavailable> {
        if self.every_month || (!self.months.is_empty() && self.months.binary_search(&month_key(date)).is_ok()) {
            return Some(Unavailable::MonthFull);
        }
        if self.every_week
            || (!self.weeks.is_empty() && self.weeks.binary_search(&week_start_date(date, self.week_start)).is_ok())
        {
            return Some(Unavailable::WeekFull);
        }
        if self.every_day || (!self.days.is_empty() && self.days.binary_search(&date).is_ok()) {
            return Some(Unavailable::DayFull);
        }
        None
    }
}

/// The keys (given sorted) that occur at least `cap` times.
fn full_keys<K: PartialEq + Copy>(sorted: impl Iterator<Item = K>, cap: u32) -> Vec<K> {
    let mut full = Vec::new();
    let mut run: Option<(K, u32)> = None;
    for key in sorted {
        let count = match run {
            Some((current, count)) if current == key => count + 1,
            _ => 1,
        };
        run = Some((key, count));
        // Pushed once, when the run reaches the cap.
        if count == cap {
            full.push(key);
        }
    }
    full
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;
    use coffeechat_domain::TimeZoneName;
    use jiff::civil::date;

    fn policy(daily: Option<u32>, weekly: Option<u32>, monthly: u32) -> HostPolicy {
        let mut policy = HostPolicy::starter(TimeZoneName::utc());
        policy.daily_cap = daily;
        policy.weekly_cap = weekly;
        policy.monthly_cap = monthly;
        policy.week_start = coffeechat_domain::Weekday::Sun;
        policy
    }

    #[test]
    fn full_keys_lists_each_key_at_its_cap_once() {
        assert_eq!(full_keys([1, 1, 1, 2, 3, 3].into_iter(), 2), [1, 3]);
        assert_eq!(full_keys([1, 2].into_iter(), 1), [1, 2]);
        assert!(full_keys(std::iter::empty::<i32>(), 1).is_empty());
    }

    #[test]
    fn each_period_closes_at_its_cap() {
        // Sunday 1 March 2026 starts a week; the 4th and 5th are in it, the 9th is not.
        let dates = vec![date(2026, 3, 4), date(2026, 3, 5), date(2026, 3, 5), date(2026, 3, 9)];
        let full = FullPeriods::new(&policy(Some(2), Some(3), 5), dates.clone());
        assert_eq!(full.closing(date(2026, 3, 5)), Some(Unavailable::WeekFull));
        assert_eq!(full.closing(date(2026, 3, 7)), Some(Unavailable::WeekFull), "Saturday ends the week");
        assert_eq!(full.closing(date(2026, 3, 8)), None, "Sunday starts the next");

        let full = FullPeriods::new(&policy(Some(2), None, 5), dates.clone());
        assert_eq!(full.closing(date(2026, 3, 5)), Some(Unavailable::DayFull));
        assert_eq!(full.closing(date(2026, 3, 4)), None);

        let full = FullPeriods::new(&policy(Some(2), Some(3), 4), dates);
        assert_eq!(full.closing(date(2026, 3, 5)), Some(Unavailable::MonthFull), "the widest period is named");
        assert_eq!(full.closing(date(2026, 3, 31)), Some(Unavailable::MonthFull));
        assert_eq!(full.closing(date(2026, 4, 1)), None);
    }

    #[test]
    fn a_cap_of_zero_closes_everything() {
        let full = FullPeriods::new(&policy(Some(0), None, 5), Vec::new());
        assert_eq!(full.closing(date(2026, 3, 5)), Some(Unavailable::DayFull));
        let full = FullPeriods::new(&policy(None, None, 0), Vec::new());
        assert_eq!(full.closing(date(2026, 3, 5)), Some(Unavailable::MonthFull));
    }
}
