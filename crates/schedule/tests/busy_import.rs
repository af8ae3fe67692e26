//! Busy time read from real-world-looking calendar files (`tests/fixtures/`): a Google Calendar feed, an
//! Outlook export and an Apple (iCloud) calendar, plus files that must be refused.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

use coffeechat_domain::TimeZoneName;
use coffeechat_schedule::Busy;
use coffeechat_schedule::busy_import::{ImportError, busy_from_ics};
use jiff::Timestamp;

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// The busy intervals of a fixture for a host in `zone`, from 1 March to 1 June 2026, as RFC 3339 pairs.
fn busy(name: &str, zone: &str) -> Vec<(String, String)> {
    let zone = TimeZoneName::parse(zone).unwrap();
    let busy = busy_from_ics(&fixture(name), &zone, ts("2026-03-01T00:00:00Z"), ts("2026-06-01T00:00:00Z")).unwrap();
    pairs(&busy)
}

fn pairs(busy: &[Busy]) -> Vec<(String, String)> {
    busy.iter().map(|busy| (busy.start.to_string(), busy.end.to_string())).collect()
}

fn pair(start: &str, end: &str) -> (String, String) {
    (start.to_owned(), end.to_owned())
}

#[test]
fn google_weekly_series_with_an_exdate_a_moved_occurrence_and_a_dst_change() {
    let got = busy("google_work.ics", "Europe/London");
    let mut expected = vec![
        // Monday 08:00 London stand-up: GMT in March...
        pair("2026-03-02T08:00:00Z", "2026-03-02T08:30:00Z"),
        // Quarterly planning (UTC); the cancelled vendor demo at 14:00 blocks nothing.
        pair("2026-03-04T10:00:00Z", "2026-03-04T11:30:00Z"),
        pair("2026-03-09T08:00:00Z", "2026-03-09T08:30:00Z"),
        // 16 March is an EXDATE; 23 March moved to Tuesday 24 March 17:00.
        pair("2026-03-24T17:00:00Z", "2026-03-24T17:30:00Z"),
    ];
    // ...and 08:00 BST (07:00Z) from 30 March, every Monday to the end of the window.
    let mut monday = ts("2026-03-30T07:00:00Z");
    while monday < ts("2026-06-01T00:00:00Z") {
        expected.push((monday.to_string(), (monday + jiff::SignedDuration::from_mins(30)).to_string()));
        monday += jiff::SignedDuration::from_hours(24 * 7);
    }
    assert_eq!(got, expected);
    // The transparent all-day "Working from home" on 5 March blocks nothing.
    assert!(got.iter().all(|(start, _)| !start.starts_with("2026-03-05")), "{got:?}");
}

#[test]
fn outlook_windows_zones_custom_zones_set_positions_and_free_time() {
    let got = busy("outlook_export.ics", "Europe/Berlin");
    assert_eq!(
        got,
        [
            // "Customized Time Zone" (US Eastern rules): 09:00 EST on 5 March.
            pair("2026-03-05T14:00:00Z", "2026-03-05T15:00:00Z"),
            // Last weekday of the month, 15:00 Berlin (CEST from 29 March).
            pair("2026-03-31T13:00:00Z", "2026-03-31T14:00:00Z"),
            // Two days out of office, whole Berlin days.
            pair("2026-04-08T22:00:00Z", "2026-04-10T22:00:00Z"),
            pair("2026-04-30T13:00:00Z", "2026-04-30T14:00:00Z"),
            pair("2026-05-29T13:00:00Z", "2026-05-29T14:00:00Z"),
        ]
    );
}

#[test]
fn apple_all_day_events_block_host_days_across_a_dst_change() {
    let got = busy("apple_icloud.ics", "America/New_York");
    assert_eq!(
        got,
        [
            pair("2026-03-03T23:00:00Z", "2026-03-04T00:00:00Z"),
            // Skiing, 7–9 March in New York: midnight EST to midnight EDT, 71 hours (clocks change on the 8th).
            pair("2026-03-07T05:00:00Z", "2026-03-10T04:00:00Z"),
            // Floating dentist appointment, read in the host's zone.
            pair("2026-03-12T19:00:00Z", "2026-03-12T19:45:00Z"),
            // Fortnightly piano lessons, 18:00 New York, until 28 April inclusive.
            pair("2026-03-17T22:00:00Z", "2026-03-17T23:00:00Z"),
            pair("2026-03-31T22:00:00Z", "2026-03-31T23:00:00Z"),
            pair("2026-04-14T22:00:00Z", "2026-04-14T23:00:00Z"),
            pair("2026-04-28T22:00:00Z", "2026-04-28T23:00:00Z"),
        ]
    );
    let hours = |(start, end): &(String, String)| ts(start).duration_until(ts(end)).as_hours();
    assert_eq!(hours(&got[1]), 71);

    // The same file for a host in London: the all-day event blocks London days instead (GMT throughout).
    let london = busy("apple_icloud.ics", "Europe/London");
    assert!(london.contains(&pair("2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z")), "{london:?}");
    // Across London's own change (29 March): a day of 23 hours.
    let spring = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART;VALUE=DATE:20260329\r\n\
                  DTEND;VALUE=DATE:20260330\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let london_zone = TimeZoneName::parse("Europe/London").unwrap();
    let day = busy_from_ics(spring, &london_zone, ts("2026-03-01T00:00:00Z"), ts("2026-06-01T00:00:00Z")).unwrap();
    assert_eq!(pairs(&day), [pair("2026-03-29T00:00:00Z", "2026-03-29T23:00:00Z")]);
}

#[test]
fn only_the_window_is_imported() {
    let zone = TimeZoneName::parse("Europe/London").unwrap();
    let week =
        busy_from_ics(&fixture("google_work.ics"), &zone, ts("2026-03-09T00:00:00Z"), ts("2026-03-16T00:00:00Z"))
            .unwrap();
    assert_eq!(pairs(&week), [pair("2026-03-09T08:00:00Z", "2026-03-09T08:30:00Z")]);
}

#[test]
fn garbage_and_cut_off_files_are_refused_with_a_clear_message() {
    let zone = TimeZoneName::utc();
    let (from, to) = (ts("2026-03-01T00:00:00Z"), ts("2026-06-01T00:00:00Z"));

    let html = busy_from_ics(&fixture("login_page.html"), &zone, from, to).unwrap_err();
    assert!(matches!(html, ImportError::NotACalendar(_)), "{html:?}");
    assert!(html.to_string().contains("<!DOCTYPE html>"), "{html}");

    let cut = busy_from_ics(&fixture("truncated_download.ics"), &zone, from, to).unwrap_err();
    assert_eq!(
        cut.to_string(),
        "the calendar ends too early: BEGIN:VEVENT on line 63 has no END:VEVENT (was the file cut off?)"
    );

    for garbage in ["", "hello", "\u{0}\u{1}binary", "BEGIN:VCALENDAR\r\nDTSTART\r\nEND:VCALENDAR\r\n"] {
        assert!(busy_from_ics(garbage, &zone, from, to).is_err(), "{garbage:?}");
    }
}

#[test]
fn a_rule_that_would_expand_without_bound_is_an_import_error() {
    let zone = TimeZoneName::utc();
    let hours: Vec<String> = (0..24).map(|hour| hour.to_string()).collect();
    let minutes: Vec<String> = (0..60).map(|minute| minute.to_string()).collect();
    let text = format!(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:flood\r\nDTSTART:20260101T000000Z\r\nDURATION:PT1M\r\n\
         RRULE:FREQ=DAILY;BYHOUR={};BYMINUTE={}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        hours.join(","),
        minutes.join(",")
    );
    let error = busy_from_ics(&text, &zone, ts("2026-03-01T00:00:00Z"), ts("2027-03-01T00:00:00Z")).unwrap_err();
    assert_eq!(error, ImportError::TooManyOccurrences { line: 6, limit: 10_000 });
    assert!(error.to_string().starts_with("line 6: this repeating event occurs too often"), "{error}");

    // An unbounded but ordinary rule is fine: only the window is expanded.
    let daily = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:d\r\nDTSTART:19900101T090000Z\r\nDURATION:PT1H\r\n\
                 RRULE:FREQ=DAILY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let busy = busy_from_ics(daily, &zone, ts("2026-03-01T00:00:00Z"), ts("2026-03-08T00:00:00Z")).unwrap();
    assert_eq!(busy.len(), 7);
}
