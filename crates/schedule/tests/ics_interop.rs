//! What `ics` writes must read back, unchanged, through an independent RFC 5545 parser (the `icalendar`
//! crate), including escaped text, folded lines and non-ASCII characters.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

use coffeechat_schedule::ics::{Attendee, CalendarEvent, EventStatus, Method, event_ics};
use icalendar::{Calendar, CalendarDateTime, Component, DatePerhapsTime};
use proptest::prelude::*;

fn event<'a>(summary: &'a str, description: &'a str, organizer_name: &'a str) -> CalendarEvent<'a> {
    CalendarEvent {
        uid: "interview-0193@coffeechat.example",
        sequence: 1,
        start: "2026-11-01T06:30:00Z".parse().unwrap(),
        end: "2026-11-01T07:00:00Z".parse().unwrap(),
        summary,
        description,
        organizer: Attendee { name: organizer_name, email: "host@example.org" },
        attendee: Attendee { name: "Seeker", email: "seeker@example.org" },
        status: EventStatus::Confirmed,
        stamp: "2026-10-20T08:15:00Z".parse().unwrap(),
        url: Some("https://coffeechat.example/interviews/0193"),
    }
}

fn parse(text: &str) -> Calendar {
    text.parse().unwrap()
}

#[test]
fn a_request_reads_back_through_another_parser() {
    let description = "Purpose: learn how you moved from support to SRE.\n\nQuestions:\n1. What surprised you?\n2. Tools; habits, and books\\papers you'd pick again?";
    let text = event_ics(&event("Coffeechat, 30 min — Grace & Ada", description, "Hopper, Grace"), Method::Request);
    let calendar = parse(&text);
    assert_eq!(calendar.property_value("METHOD"), Some("REQUEST"));
    assert_eq!(calendar.property_value("VERSION"), Some("2.0"));
    let parsed = calendar.events().next().unwrap();
    assert_eq!(parsed.get_summary(), Some("Coffeechat, 30 min — Grace & Ada"));
    assert_eq!(parsed.get_description(), Some(description));
    assert_eq!(parsed.get_uid(), Some("interview-0193@coffeechat.example"));
    assert_eq!(parsed.get_sequence(), Some(1));
    assert_eq!(parsed.get_url(), Some("https://coffeechat.example/interviews/0193"));
    assert_eq!(parsed.get_status(), Some(icalendar::EventStatus::Confirmed));
    assert!(matches!(parsed.get_start(), Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(_)))));
    assert!(matches!(parsed.get_end(), Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(_)))));
    assert_eq!(parsed.property_value("DTSTART"), Some("20261101T063000Z"));
    assert_eq!(parsed.property_value("DTEND"), Some("20261101T070000Z"));
    assert_eq!(parsed.property_value("DTSTAMP"), Some("20261020T081500Z"));

    let organizer = parsed.properties().get("ORGANIZER").unwrap();
    assert_eq!(organizer.value(), "mailto:host@example.org");
    let name = organizer.params().get("CN").unwrap().value();
    assert_eq!(name.trim_matches('"'), "Hopper, Grace");
}

#[test]
fn a_cancellation_reads_back_as_cancelled() {
    let text = event_ics(&event("Coffeechat", "Sorry: a family matter.", "Grace"), Method::Cancel);
    let calendar = parse(&text);
    assert_eq!(calendar.property_value("METHOD"), Some("CANCEL"));
    let parsed = calendar.events().next().unwrap();
    assert_eq!(parsed.get_status(), Some(icalendar::EventStatus::Cancelled));
    assert_eq!(parsed.get_uid(), Some("interview-0193@coffeechat.example"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Any printable text (with line breaks) survives escaping and folding, and no physical line is longer
    /// than 75 octets.
    #[test]
    fn any_text_round_trips(summary in "[^\\p{Cc}]{0,120}", description in "([^\\p{Cc}]|\n){0,400}") {
        let text = event_ics(&event(&summary, &description, "Grace"), Method::Publish);
        for line in text.split("\r\n") {
            prop_assert!(line.len() <= 75, "{} octets: {:?}", line.len(), line);
        }
        let calendar = parse(&text);
        let parsed = calendar.events().next().unwrap();
        prop_assert_eq!(parsed.get_summary().unwrap_or(""), summary.as_str());
        prop_assert_eq!(parsed.get_description().unwrap_or(""), description.as_str());
    }
}
