//! How instants, dates, lengths and weekly windows are written on pages.
//!
//! Every instant a user reads names its zone: [`format_instant`] and [`format_span`] append it, and the
//! shorter [`format_time`] / [`format_date`] are for places where a nearby heading or caption already
//! names the zone (a day's list of slots under "Times in Europe/London"). Those five are the domain's
//! [`coffeechat_domain::time_text`], so pages and emails write times the same way. All functions are pure.
//!
//! ```
//! use coffeechat_domain::TimeZoneName;
//! use coffeechat_web::display::format_instant;
//!
//! let london = TimeZoneName::parse("Europe/London").unwrap();
//! let ts: jiff::Timestamp = "2026-03-03T07:30:00Z".parse().unwrap();
//! assert_eq!(format_instant(ts, &london), "Tue 3 Mar 2026, 07:30 (Europe/London)");
//! ```

use std::sync::LazyLock;

pub use coffeechat_domain::time_text::{format_civil_date, format_date, format_instant, format_span, format_time};
use coffeechat_domain::{LocalWindow, TimeZoneName, Weekday};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::Offset;

/// Time zones offered by zone pickers, west to east, one or two per populated offset band.
///
/// A picker should also offer the zone currently selected when it is not in this list (see [`zone_options`]).
pub const COMMON_ZONES: &[&str] = &[
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Phoenix",
    "America/Chicago",
    "America/Mexico_City",
    "America/New_York",
    "America/Toronto",
    "America/Bogota",
    "America/Halifax",
    "America/Santiago",
    "America/St_Johns",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "Atlantic/Azores",
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Africa/Lagos",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Africa/Cairo",
    "Africa/Johannesburg",
    "Europe/Athens",
    "Europe/Helsinki",
    "Europe/Istanbul",
    "Africa/Nairobi",
    "Europe/Moscow",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Jakarta",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Australia/Perth",
    "Australia/Brisbane",
    "Australia/Sydney",
    "Pacific/Auckland",
];

/// `"30 minutes"`, `"1 minute"`, `"1 h 15 min"`: a duration given in minutes.
pub fn format_minutes(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, 1) => "1 minute".to_owned(),
        (0, m) => format!("{m} minutes"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// The zone's offset from UTC at `at`, as `"UTC+05:30"` (`"UTC+00:00"` for London in winter), for zone pickers.
pub fn format_offset(zone: &TimeZoneName, at: Timestamp) -> String {
    offset_label(zone.zone().to_offset(at))
}

fn offset_label(offset: Offset) -> String {
    let seconds = offset.seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// One entry of a zone `<select>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneOption {
    /// The IANA name, the form value.
    pub name: String,
    /// What the option shows: `"Europe/London (UTC+01:00)"`, with the offset at the time of rendering.
    pub label: String,
    pub selected: bool,
}

/// Options for a zone picker, west to east by their offset at `now`: [`COMMON_ZONES`] plus `selected` when it
/// is a valid zone outside that list (so a user's own zone is never silently replaced), with `selected` marked.
pub fn zone_options(selected: &str, now: Timestamp) -> Vec<ZoneOption> {
    // Parsed once: the picker is on every host page, and looking 40-odd zones up by name each time showed in
    // the host page's profile.
    static COMMON: LazyLock<Vec<TimeZoneName>> =
        LazyLock::new(|| COMMON_ZONES.iter().filter_map(|name| TimeZoneName::parse(name).ok()).collect());
    let selected_zone = TimeZoneName::parse(selected).ok();
    let uncommon = selected_zone.clone().filter(|zone| !COMMON.iter().any(|common| common == zone));
    let mut zones: Vec<(i32, ZoneOption)> = uncommon
        .iter()
        .chain(COMMON.iter())
        .map(|zone| {
            let is_selected = selected_zone.as_ref().is_some_and(|chosen| chosen.as_str() == zone.as_str());
            let option = ZoneOption {
                label: format!("{} ({})", zone.as_str(), format_offset(zone, now)),
                name: zone.as_str().to_owned(),
                selected: is_selected,
            };
            (zone.zone().to_offset(now).seconds(), option)
        })
        .collect();
    // West to east as the offsets stand today (daylight saving moves some zones past others); stable, so an
    // uncommon selected zone comes first among the zones of its offset.
    zones.sort_by_key(|(offset, _)| *offset);
    zones.into_iter().map(|(_, option)| option).collect()
}

/// Items that fall on one calendar day of the reader's zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayGroup<T> {
    pub date: Date,
    /// `"Tue 3 Mar 2026"`.
    pub label: String,
    pub items: Vec<T>,
}

/// Groups items by the calendar day their instant (`instant_of`) falls on in `zone`, keeping the input
/// order within a day and ordering days by date. Use it for slot lists and dashboards alike.
pub fn group_by_day<T>(
    items: impl IntoIterator<Item = T>,
    zone: &TimeZoneName,
    instant_of: impl Fn(&T) -> Timestamp,
) -> Vec<DayGroup<T>> {
    let mut groups: Vec<DayGroup<T>> = Vec::new();
    for item in items {
        let date = instant_of(&item).to_zoned(zone.zone().clone()).date();
        match groups.iter_mut().find(|group| group.date == date) {
            Some(group) => group.items.push(item),
            None => groups.push(DayGroup { date, label: format_civil_date(date), items: vec![item] }),
        }
    }
    groups.sort_by_key(|group| group.date);
    groups
}

/// A host's weekly windows in words, one line per run of weekdays that share the same windows:
/// `["Mon–Fri 07:30–08:30, 17:00–18:00", "Sat 10:00–12:00"]`. Times are the host's wall clock; the
/// caller names the host's zone next to them.
pub fn summarise_windows(windows: &[LocalWindow]) -> Vec<String> {
    let day_text = |day: Weekday| -> Option<String> {
        let mut on_day: Vec<&LocalWindow> = windows.iter().filter(|w| w.weekday == day).collect();
        on_day.sort();
        if on_day.is_empty() {
            return None;
        }
        Some(on_day.iter().map(|w| format!("{}–{}", w.start_text(), w.end_text())).collect::<Vec<_>>().join(", "))
    };
    let mut lines = Vec::new();
    let mut run: Option<(Weekday, Weekday, String)> = None;
    for day in Weekday::ALL {
        let text = day_text(day);
        run = match (run, text) {
            (Some((first, _, current)), Some(text)) if current == text => Some((first, day, current)),
            (previous, text) => {
                if let Some(done) = previous {
                    lines.push(run_line(done));
                }
                text.map(|text| (day, day, text))
            }
        };
    }
    if let Some(done) = run {
        lines.push(run_line(done));
    }
    lines
}

fn run_line((first, last, text): (Weekday, Weekday, String)) -> String {
    let days = if first == last {
        short_weekday(first).to_owned()
    } else if weekday_index(last) == weekday_index(first) + 1 {
        format!("{}, {}", short_weekday(first), short_weekday(last))
    } else {
        format!("{}–{}", short_weekday(first), short_weekday(last))
    };
    format!("{days} {text}")
}

fn weekday_index(day: Weekday) -> usize {
    Weekday::ALL.iter().position(|d| *d == day).unwrap_or_default()
}

/// `"Mon"` .. `"Sun"`.
pub fn short_weekday(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Mon",
        Weekday::Tue => "Tue",
        Weekday::Wed => "Wed",
        Weekday::Thu => "Thu",
        Weekday::Fri => "Fri",
        Weekday::Sat => "Sat",
        Weekday::Sun => "Sun",
    }
}

#[cfg(test)]
mod tests {
    use coffeechat_domain::parse_wall_clock;

    use super::*;

    fn zone(name: &str) -> TimeZoneName {
        TimeZoneName::parse(name).unwrap()
    }

    fn ts(raw: &str) -> Timestamp {
        raw.parse().unwrap()
    }

    #[test]
    fn instants_name_their_zone_and_follow_daylight_saving() {
        let london = zone("Europe/London");
        assert_eq!(format_instant(ts("2026-03-03T07:30:00Z"), &london), "Tue 3 Mar 2026, 07:30 (Europe/London)");
        // British Summer Time: the same UTC hour reads an hour later.
        assert_eq!(format_instant(ts("2026-07-14T07:30:00Z"), &london), "Tue 14 Jul 2026, 08:30 (Europe/London)");
        let kolkata = zone("Asia/Kolkata");
        assert_eq!(format_instant(ts("2026-03-03T20:00:00Z"), &kolkata), "Wed 4 Mar 2026, 01:30 (Asia/Kolkata)");
        assert_eq!(format_time(ts("2026-03-03T20:00:00Z"), &kolkata), "01:30");
        assert_eq!(format_date(ts("2026-03-03T20:00:00Z"), &kolkata), "Wed 4 Mar 2026");
    }

    #[test]
    fn spans_show_both_dates_only_when_crossing_midnight() {
        let utc = TimeZoneName::utc();
        assert_eq!(
            format_span(ts("2026-03-03T07:30:00Z"), ts("2026-03-03T08:00:00Z"), &utc),
            "Tue 3 Mar 2026, 07:30–08:00 (UTC)"
        );
        assert_eq!(
            format_span(ts("2026-03-03T23:45:00Z"), ts("2026-03-04T00:15:00Z"), &utc),
            "Tue 3 Mar 2026, 23:45 – Wed 4 Mar 2026, 00:15 (UTC)"
        );
    }

    #[test]
    fn minutes_and_offsets_read_naturally() {
        assert_eq!(format_minutes(1), "1 minute");
        assert_eq!(format_minutes(45), "45 minutes");
        assert_eq!(format_minutes(60), "1 h");
        assert_eq!(format_minutes(75), "1 h 15 min");
        assert_eq!(format_offset(&zone("Asia/Kolkata"), ts("2026-01-01T00:00:00Z")), "UTC+05:30");
        assert_eq!(format_offset(&zone("America/St_Johns"), ts("2026-01-01T00:00:00Z")), "UTC-03:30");
        assert_eq!(format_offset(&TimeZoneName::utc(), ts("2026-01-01T00:00:00Z")), "UTC+00:00");
    }

    #[test]
    fn every_common_zone_is_known_and_listed_once() {
        for name in COMMON_ZONES {
            assert!(TimeZoneName::parse(name).is_ok(), "{name} is not in the bundled database");
            assert_eq!(COMMON_ZONES.iter().filter(|other| *other == name).count(), 1, "{name} twice");
        }
        assert!(COMMON_ZONES.len() >= 40);
    }

    #[test]
    fn zone_options_keep_an_uncommon_selected_zone() {
        let now = ts("2026-01-01T00:00:00Z");
        let options = zone_options("Asia/Tashkent", now);
        let tashkent = options.iter().position(|o| o.name == "Asia/Tashkent").unwrap();
        assert!(options[tashkent].selected);
        assert_eq!(options[tashkent + 1].name, "Asia/Karachi", "sorted in among zones of its offset");
        assert_eq!(options.first().unwrap().name, "Pacific/Honolulu");
        assert_eq!(options.last().unwrap().name, "Pacific/Auckland");
        assert_eq!(options.iter().filter(|o| o.selected).count(), 1);
        let options = zone_options("Europe/Paris", now);
        assert_eq!(options.len(), COMMON_ZONES.len());
        let paris = options.iter().find(|o| o.selected).unwrap();
        assert_eq!(paris.label, "Europe/Paris (UTC+01:00)");
        assert!(zone_options("Not/AZone", now).iter().all(|o| !o.selected));
    }

    #[test]
    fn grouping_uses_the_readers_calendar_day() {
        let starts = [ts("2026-03-03T22:00:00Z"), ts("2026-03-03T09:00:00Z"), ts("2026-03-04T09:00:00Z")];
        let tokyo = zone("Asia/Tokyo");
        let groups = group_by_day(starts, &tokyo, |t| *t);
        // In Tokyo (UTC+9) 22:00Z on the 3rd is already the 4th.
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].label, "Tue 3 Mar 2026");
        assert_eq!(groups[0].items, vec![ts("2026-03-03T09:00:00Z")]);
        assert_eq!(groups[1].label, "Wed 4 Mar 2026");
        assert_eq!(groups[1].items, vec![ts("2026-03-03T22:00:00Z"), ts("2026-03-04T09:00:00Z")]);
    }

    #[test]
    fn windows_are_summarised_by_runs_of_days() {
        let window = |day: Weekday, start: &str, end: &str| LocalWindow {
            weekday: day,
            start: parse_wall_clock(start).unwrap(),
            end: parse_wall_clock(end).unwrap(),
        };
        let mut windows = Vec::new();
        for day in [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri] {
            windows.push(window(day, "17:00", "18:00"));
            windows.push(window(day, "07:30", "08:30"));
        }
        windows.push(window(Weekday::Sat, "10:00", "12:00"));
        let lines = summarise_windows(&windows);
        assert_eq!(lines, vec!["Mon–Fri 07:30–08:30, 17:00–18:00", "Sat 10:00–12:00"]);
        let pair = summarise_windows(&[window(Weekday::Mon, "09:00", "10:00"), window(Weekday::Tue, "09:00", "10:00")]);
        assert_eq!(pair, vec!["Mon, Tue 09:00–10:00"]);
        let split =
            summarise_windows(&[window(Weekday::Mon, "09:00", "10:00"), window(Weekday::Wed, "09:00", "10:00")]);
        assert_eq!(split, vec!["Mon 09:00–10:00", "Wed 09:00–10:00"]);
        assert!(summarise_windows(&[]).is_empty());
    }
}
