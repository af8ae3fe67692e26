//! How instants and dates are written for people, the same on pages and in emails.
//!
//! Every instant a reader sees names its zone: [`format_instant`] and [`format_span`] append it. The shorter
//! [`format_time`] and [`format_date`] are for places where a nearby heading or caption already names the zone
//! (a day's list of slots under "Times in Europe/London").
//!
//! ```
//! use coffeechat_domain::TimeZoneName;
//! use coffeechat_domain::time_text::{format_instant, format_span};
//!
//! let london = TimeZoneName::parse("Europe/London").unwrap();
//! let start: jiff::Timestamp = "2026-03-03T07:30:00Z".parse().unwrap();
//! let end: jiff::Timestamp = "2026-03-03T08:00:00Z".parse().unwrap();
//! assert_eq!(format_instant(start, &london), "Tue 3 Mar 2026, 07:30 (Europe/London)");
//! assert_eq!(format_span(start, end, &london), "Tue 3 Mar 2026, 07:30–08:00 (Europe/London)");
//! ```

use jiff::Timestamp;
use jiff::civil::Date;

use crate::TimeZoneName;

/// A day and a wall-clock time: `Tue 3 Mar 2026, 07:30`.
const DAY_AND_TIME: &str = "%a %-d %b %Y, %H:%M";

/// `"Tue 3 Mar 2026, 07:30 (Europe/London)"`: an instant as a reader in `zone` sees it, zone named.
pub fn format_instant(ts: Timestamp, zone: &TimeZoneName) -> String {
    let local = ts.to_zoned(zone.zone().clone());
    format!("{} ({})", local.strftime(DAY_AND_TIME), zone.as_str())
}

/// A meeting from `start` to `end` in `zone`, zone named once:
/// `"Tue 3 Mar 2026, 07:30–08:00 (Europe/London)"`, or with both dates when it crosses midnight.
pub fn format_span(start: Timestamp, end: Timestamp, zone: &TimeZoneName) -> String {
    let tz = zone.zone();
    let (local_start, local_end) = (start.to_zoned(tz.clone()), end.to_zoned(tz.clone()));
    if local_start.date() == local_end.date() {
        format!("{}–{} ({})", local_start.strftime(DAY_AND_TIME), local_end.strftime("%H:%M"), zone.as_str())
    } else {
        format!("{} – {} ({})", local_start.strftime(DAY_AND_TIME), local_end.strftime(DAY_AND_TIME), zone.as_str())
    }
}

/// `"07:30"`: wall-clock time only. Use it only under a heading or caption that names `zone`.
pub fn format_time(ts: Timestamp, zone: &TimeZoneName) -> String {
    ts.to_zoned(zone.zone().clone()).strftime("%H:%M").to_string()
}

/// `"Tue 3 Mar 2026"`: the calendar day `ts` falls on in `zone`.
pub fn format_date(ts: Timestamp, zone: &TimeZoneName) -> String {
    format_civil_date(ts.to_zoned(zone.zone().clone()).date())
}

/// `"Tue 3 Mar 2026"` for a calendar date.
pub fn format_civil_date(date: Date) -> String {
    date.strftime("%a %-d %b %Y").to_string()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    fn ts(raw: &str) -> Timestamp {
        raw.parse().unwrap()
    }

    #[test]
    fn instants_follow_daylight_saving_and_name_the_zone() {
        let london = TimeZoneName::parse("Europe/London").unwrap();
        assert_eq!(format_instant(ts("2026-07-14T07:30:00Z"), &london), "Tue 14 Jul 2026, 08:30 (Europe/London)");
        let kolkata = TimeZoneName::parse("Asia/Kolkata").unwrap();
        assert_eq!(format_time(ts("2026-03-03T20:00:00Z"), &kolkata), "01:30");
        assert_eq!(format_date(ts("2026-03-03T20:00:00Z"), &kolkata), "Wed 4 Mar 2026");
    }

    #[test]
    fn a_span_across_midnight_shows_both_days() {
        assert_eq!(
            format_span(ts("2026-03-03T23:45:00Z"), ts("2026-03-04T00:15:00Z"), &TimeZoneName::utc()),
            "Tue 3 Mar 2026, 23:45 – Wed 4 Mar 2026, 00:15 (UTC)"
        );
    }
}
