//! Writes the RFC 5545 `.ics` text for one interview: the invitation, its updates and its cancellation.
//!
//! The handful of properties Coffeechat needs are written by hand rather than through a general iCalendar
//! builder, so that every byte is ours to test: TEXT values are escaped (RFC 5545 §3.3.11), the `CN`
//! parameter is always quoted with RFC 6868 caret escapes, URI values cannot smuggle in line breaks,
//! times are UTC (`YYYYMMDDTHHMMSSZ`), lines end in CRLF and are folded at 75 octets without splitting a
//! UTF-8 character. DESIGN.md explains the choice.
//!
//! ```
//! use coffeechat_schedule::ics::{Attendee, CalendarEvent, EventStatus, Method, event_ics};
//!
//! let event = CalendarEvent {
//!     uid: "interview-42@coffeechat.example",
//!     sequence: 0,
//!     start: "2026-03-10T12:30:00Z".parse().unwrap(),
//!     end: "2026-03-10T13:00:00Z".parse().unwrap(),
//!     summary: "Coffeechat: Ada & Grace",
//!     description: "Topics: compilers, careers",
//!     organizer: Attendee { name: "Grace Hopper", email: "grace@example.org" },
//!     attendee: Attendee { name: "Ada Lovelace", email: "ada@example.org" },
//!     status: EventStatus::Confirmed,
//!     stamp: "2026-03-01T09:00:00Z".parse().unwrap(),
//!     url: None,
//! };
//! let text = event_ics(&event, Method::Request);
//! assert!(text.contains("\r\nDTSTART:20260310T123000Z\r\n"));
//! assert!(text.contains("\r\nDESCRIPTION:Topics: compilers\\, careers\r\n"));
//! ```

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// Octets a content line may hold, excluding its CRLF (RFC 5545 §3.1).
const MAX_LINE_OCTETS: usize = 75;

/// Identifies the software that wrote the calendar (RFC 5545 §3.7.3).
const PRODUCT_ID: &str = "-//Coffeechat//coffeechat-schedule//EN";

/// One interview as a calendar event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarEvent<'a> {
    /// Stable for the life of the interview, so updates and cancellations replace the same event.
    pub uid: &'a str,
    /// Raised on every change the attendee should see; negative values are written as 0.
    pub sequence: i32,
    pub start: Timestamp,
    pub end: Timestamp,
    pub summary: &'a str,
    pub description: &'a str,
    pub organizer: Attendee<'a>,
    pub attendee: Attendee<'a>,
    pub status: EventStatus,
    /// When this version of the event was written (`DTSTAMP`).
    pub stamp: Timestamp,
    pub url: Option<&'a str>,
}

/// A person on the invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attendee<'a> {
    pub name: &'a str,
    pub email: &'a str,
}

/// Whether the interview still takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStatus {
    Confirmed,
    Cancelled,
}

impl EventStatus {
    fn as_ics(self) -> &'static str {
        match self {
            EventStatus::Confirmed => "CONFIRMED",
            EventStatus::Cancelled => "CANCELLED",
        }
    }
}

/// What the calendar object asks of its reader (RFC 5546 §1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// A copy to file away, as in a download or a feed.
    Publish,
    /// An invitation or an update to one.
    Request,
    /// The interview is off.
    Cancel,
}

impl Method {
    fn as_ics(self) -> &'static str {
        match self {
            Method::Publish => "PUBLISH",
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

/// RFC 5545 VCALENDAR with one VEVENT: PRODID, VERSION:2.0, METHOD, UID, SEQUENCE, DTSTAMP, DTSTART/DTEND in
/// UTC (`…Z`), SUMMARY, DESCRIPTION, ORGANIZER;CN=…:mailto:…, ATTENDEE;CN=…;ROLE=REQ-PARTICIPANT…:mailto:…,
/// STATUS and, when given, URL. CRLF line endings, lines folded at 75 octets, text escaped.
///
/// [`Method::Cancel`] always writes `STATUS:CANCELLED`, as RFC 5546 §3.2.5 requires, whatever
/// `event.status` says.
pub fn event_ics(event: &CalendarEvent<'_>, method: Method) -> String {
    calendar_ics(std::slice::from_ref(event), method)
}

/// One VCALENDAR holding every event, each written as [`event_ics`] writes its one: what a calendar feed
/// serves (with [`Method::Publish`]). No events gives a valid, empty calendar.
pub fn calendar_ics(events: &[CalendarEvent<'_>], method: Method) -> String {
    let capacity = 256 + events.iter().map(|event| 768 + 2 * event.description.len()).sum::<usize>();
    let mut writer = Writer { out: String::with_capacity(capacity), line: String::with_capacity(256) };
    writer.emit(|l| l.push_str("BEGIN:VCALENDAR"));
    writer.emit(|l| l.push_str("VERSION:2.0"));
    writer.emit(|l| {
        l.push_str("PRODID:");
        l.push_str(PRODUCT_ID);
    });
    writer.emit(|l| l.push_str("CALSCALE:GREGORIAN"));
    writer.emit(|l| {
        l.push_str("METHOD:");
        l.push_str(method.as_ics());
    });
    for event in events {
        writer.event(event, method);
    }
    writer.emit(|l| l.push_str("END:VCALENDAR"));
    writer.out
}

/// The text written so far, and one reusable buffer for the content line being built.
struct Writer {
    out: String,
    line: String,
}

impl Writer {
    /// Builds one content line with `build`, then appends it folded and CRLF-terminated.
    fn emit(&mut self, build: impl FnOnce(&mut String)) {
        self.line.clear();
        build(&mut self.line);
        push_folded(&mut self.out, &self.line);
    }

    fn event(&mut self, event: &CalendarEvent<'_>, method: Method) {
        let status = match method {
            Method::Cancel => EventStatus::Cancelled,
            Method::Publish | Method::Request => event.status,
        };
        self.emit(|l| l.push_str("BEGIN:VEVENT"));
        self.emit(|l| {
            l.push_str("UID:");
            push_text(l, event.uid);
        });
        self.emit(|l| {
            l.push_str("SEQUENCE:");
            l.push_str(&event.sequence.max(0).to_string());
        });
        self.emit(|l| {
            l.push_str("DTSTAMP:");
            push_utc(l, event.stamp);
        });
        self.emit(|l| {
            l.push_str("DTSTART:");
            push_utc(l, event.start);
        });
        self.emit(|l| {
            l.push_str("DTEND:");
            push_utc(l, event.end);
        });
        self.emit(|l| {
            l.push_str("SUMMARY:");
            push_text(l, event.summary);
        });
        self.emit(|l| {
            l.push_str("DESCRIPTION:");
            push_text(l, event.description);
        });
        self.emit(|l| {
            l.push_str("ORGANIZER;CN=");
            push_quoted_parameter(l, event.organizer.name);
            l.push_str(":mailto:");
            push_uri(l, event.organizer.email);
        });
        self.emit(|l| {
            l.push_str("ATTENDEE;CN=");
            push_quoted_parameter(l, event.attendee.name);
            l.push_str(";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:");
            push_uri(l, event.attendee.email);
        });
        self.emit(|l| {
            l.push_str("STATUS:");
            l.push_str(status.as_ics());
        });
        if let Some(url) = event.url {
            self.emit(|l| {
                l.push_str("URL:");
                push_uri(l, url);
            });
        }
        self.emit(|l| l.push_str("END:VEVENT"));
    }
}

/// `YYYYMMDDTHHMMSSZ`; sub-second precision is dropped, as iCalendar has none.
fn push_utc(line: &mut String, at: Timestamp) {
    let utc = TimeZone::UTC.to_datetime(at);
    line.push_str(&format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        utc.year(),
        utc.month(),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second()
    ));
}

/// Calls `each` for every character of `value`, with every line break (`\r\n`, `\r` or `\n`) as one `'\n'`.
fn for_each_normalised_char(value: &str, mut each: impl FnMut(char)) {
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            each('\n');
        } else {
            each(c);
        }
    }
}

/// RFC 5545's CONTROL: every C0 control except horizontal tab, and DEL. None may appear in a value.
fn is_forbidden_control(c: char) -> bool {
    c != '\t' && c.is_ascii_control()
}

/// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newline escaped; other controls dropped.
fn push_text(line: &mut String, value: &str) {
    for_each_normalised_char(value, |c| match c {
        '\\' => line.push_str("\\\\"),
        ';' => line.push_str("\\;"),
        ',' => line.push_str("\\,"),
        '\n' => line.push_str("\\n"),
        c if is_forbidden_control(c) => {}
        c => line.push(c),
    });
}

/// A parameter value, always quoted. A quoted value cannot hold `"` or line breaks, so those (and `^`
/// itself) use RFC 6868's caret escapes; other controls are dropped.
fn push_quoted_parameter(line: &mut String, value: &str) {
    line.push('"');
    for_each_normalised_char(value, |c| match c {
        '^' => line.push_str("^^"),
        '"' => line.push_str("^'"),
        '\n' => line.push_str("^n"),
        c if is_forbidden_control(c) => {}
        c => line.push(c),
    });
    line.push('"');
}

/// A URI value (`mailto:` address, link). URIs have no escaping in iCalendar, so anything that could end
/// the line is dropped and spaces are percent-encoded; the value never breaks out of its property.
fn push_uri(line: &mut String, value: &str) {
    for c in value.trim().chars() {
        match c {
            ' ' => line.push_str("%20"),
            c if c.is_control() => {}
            c => line.push(c),
        }
    }
}

/// Appends `line` with CRLF, folded so that no physical line exceeds 75 octets: each continuation starts
/// with one space (which counts toward its 75), and a fold never splits a UTF-8 sequence.
fn push_folded(out: &mut String, line: &str) {
    let mut rest = line;
    let mut room = MAX_LINE_OCTETS;
    while rest.len() > room {
        let mut cut = room;
        // `room` is at least 74 and a character at most 4 octets, so this stops well above zero.
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let (head, tail) = rest.split_at(cut);
        out.push_str(head);
        out.push_str("\r\n ");
        rest = tail;
        room = MAX_LINE_OCTETS - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    fn event<'a>(description: &'a str) -> CalendarEvent<'a> {
        CalendarEvent {
            uid: "interview-7f3a@coffeechat.example",
            sequence: 2,
            start: "2026-03-10T12:30:00Z".parse().unwrap(),
            end: "2026-03-10T13:00:00.5Z".parse().unwrap(),
            summary: "Coffeechat: 30 min with Grace",
            description,
            organizer: Attendee { name: "Grace Hopper", email: "grace@example.org" },
            attendee: Attendee { name: "Ada Lovelace", email: "ada@example.org" },
            status: EventStatus::Confirmed,
            stamp: "2026-03-01T09:00:00Z".parse().unwrap(),
            url: Some("https://coffeechat.example/interviews/7f3a"),
        }
    }

    fn unfold(text: &str) -> String {
        text.replace("\r\n ", "")
    }

    fn unescape_text(value: &str) -> String {
        let mut out = String::new();
        let mut chars = value.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n' | 'N') => out.push('\n'),
                    Some(other) => out.push(other),
                    None => out.push('\\'),
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    /// The unfolded value of the first property named `name`.
    fn property(text: &str, name: &str) -> Option<String> {
        unfold(text).split("\r\n").find_map(|line| {
            let rest = line.strip_prefix(name)?;
            rest.strip_prefix(':').or_else(|| rest.strip_prefix(';')).map(str::to_owned)
        })
    }

    #[test]
    fn writes_every_required_property_in_utc() {
        let text = event_ics(&event("Bring questions"), Method::Request);
        let unfolded = unfold(&text);
        let lines: Vec<&str> = unfolded.split("\r\n").collect();
        assert_eq!(lines[0], "BEGIN:VCALENDAR");
        assert_eq!(lines.last(), Some(&""), "the last line ends with CRLF too");
        for expected in [
            "VERSION:2.0",
            "METHOD:REQUEST",
            "UID:interview-7f3a@coffeechat.example",
            "SEQUENCE:2",
            "DTSTAMP:20260301T090000Z",
            "DTSTART:20260310T123000Z",
            "DTEND:20260310T130000Z",
            "SUMMARY:Coffeechat: 30 min with Grace",
            "DESCRIPTION:Bring questions",
            "ORGANIZER;CN=\"Grace Hopper\":mailto:grace@example.org",
            "ATTENDEE;CN=\"Ada Lovelace\";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:ada@example.org",
            "STATUS:CONFIRMED",
            "URL:https://coffeechat.example/interviews/7f3a",
            "END:VEVENT",
            "END:VCALENDAR",
        ] {
            assert!(lines.contains(&expected), "missing {expected:?} in\n{text}");
        }
        assert!(!text.replace("\r\n", "").contains('\n'), "only CRLF line endings");
        assert!(property(&text, "PRODID").is_some());
    }

    #[test]
    fn text_values_are_escaped() {
        let text = event_ics(&event("a,b;c\\d\r\ne\nf\rg\u{7}h\tend"), Method::Publish);
        assert_eq!(property(&text, "DESCRIPTION").unwrap(), "a\\,b\\;c\\\\d\\ne\\nf\\ng".to_owned() + "h\tend");
    }

    #[test]
    fn line_breaks_in_values_cannot_inject_properties() {
        let mut hostile = event("x\r\nATTENDEE:mailto:mallory@example.org");
        hostile.summary = "y\nMETHOD:CANCEL";
        hostile.organizer.name = "Grace\r\nORGANIZER:mailto:mallory@example.org";
        hostile.attendee.email = "ada@example.org\r\nSTATUS:CANCELLED";
        hostile.url = Some("https://a.example/\r\nURL:https://evil.example");
        let text = event_ics(&hostile, Method::Request);
        let unfolded = unfold(&text);
        let names: Vec<&str> = unfolded.split("\r\n").map(|line| line.split([':', ';']).next().unwrap_or("")).collect();
        assert_eq!(names.iter().filter(|name| **name == "ATTENDEE").count(), 1);
        assert_eq!(names.iter().filter(|name| **name == "ORGANIZER").count(), 1);
        assert_eq!(names.iter().filter(|name| **name == "METHOD").count(), 1);
        assert_eq!(names.iter().filter(|name| **name == "STATUS").count(), 1);
        assert_eq!(names.iter().filter(|name| **name == "URL").count(), 1);
        assert!(unfolded.contains("STATUS:CONFIRMED"));
    }

    #[test]
    fn common_names_are_quoted_with_caret_escapes() {
        let mut tricky = event("");
        tricky.organizer.name = "Hopper, Grace \"Amazing\" ^ Q:R;S";
        tricky.attendee.name = "Ada\nLovelace";
        let text = unfold(&event_ics(&tricky, Method::Request));
        assert!(
            text.contains("ORGANIZER;CN=\"Hopper, Grace ^'Amazing^' ^^ Q:R;S\":mailto:grace@example.org\r\n"),
            "{text}"
        );
        assert!(text.contains("ATTENDEE;CN=\"Ada^nLovelace\";ROLE="), "{text}");
    }

    #[test]
    fn a_long_description_folds_to_75_octets_and_unfolds_intact() {
        let description: String = "Careers in compilers; tips, tricks \\ and ☕ coffee — naïve questions welcome. "
            .chars()
            .cycle()
            .take(200)
            .collect();
        assert_eq!(description.chars().count(), 200);
        let text = event_ics(&event(&description), Method::Publish);
        for physical in text.split("\r\n") {
            assert!(physical.len() <= MAX_LINE_OCTETS, "{} octets: {physical:?}", physical.len());
        }
        assert!(text.contains("\r\n "), "a 200-character description must fold");
        assert_eq!(unescape_text(&property(&text, "DESCRIPTION").unwrap()), description);
    }

    #[test]
    fn folding_never_splits_a_multibyte_character() {
        for prefix_len in 0..8 {
            let line = format!("{}{}", "x".repeat(prefix_len), "☕é𝄞".repeat(40));
            let mut out = String::new();
            push_folded(&mut out, &line);
            // Building `out` as a String already proves each piece is valid UTF-8; check the limits and
            // that unfolding restores the line exactly.
            for physical in out.trim_end_matches("\r\n").split("\r\n") {
                assert!(physical.len() <= MAX_LINE_OCTETS);
                assert!(!physical.is_empty());
            }
            assert_eq!(unfold(&out), format!("{line}\r\n"));
        }
    }

    #[test]
    fn short_lines_are_not_folded_and_exact_fits_stay_whole() {
        let mut out = String::new();
        push_folded(&mut out, &"a".repeat(75));
        assert_eq!(out, format!("{}\r\n", "a".repeat(75)));
        out.clear();
        push_folded(&mut out, &"a".repeat(76));
        assert_eq!(out, format!("{}\r\n a\r\n", "a".repeat(75)));
        out.clear();
        push_folded(&mut out, &"a".repeat(75 + 74 + 1));
        assert_eq!(out, format!("{}\r\n {}\r\n a\r\n", "a".repeat(75), "a".repeat(74)));
    }

    #[test]
    fn cancel_says_cancelled_whatever_the_status() {
        let mut cancelled = event("Sorry, something came up");
        cancelled.sequence = 3;
        let text = event_ics(&cancelled, Method::Cancel);
        assert_eq!(property(&text, "METHOD").as_deref(), Some("CANCEL"));
        assert_eq!(property(&text, "STATUS").as_deref(), Some("CANCELLED"));
        assert_eq!(property(&text, "SEQUENCE").as_deref(), Some("3"));
        assert_eq!(property(&text, "UID").as_deref(), Some("interview-7f3a@coffeechat.example"));
    }

    #[test]
    fn a_calendar_holds_every_event_once_under_one_method() {
        let first = event("First");
        let mut second = event("Second");
        second.uid = "interview-8b2c@coffeechat.example";
        second.status = EventStatus::Cancelled;
        let text = calendar_ics(&[first, second], Method::Publish);
        let unfolded = unfold(&text);
        let lines: Vec<&str> = unfolded.split("\r\n").collect();
        let count = |wanted: &str| lines.iter().filter(|line| **line == wanted).count();
        assert_eq!((count("BEGIN:VCALENDAR"), count("METHOD:PUBLISH"), count("END:VCALENDAR")), (1, 1, 1));
        assert_eq!((count("BEGIN:VEVENT"), count("END:VEVENT")), (2, 2));
        assert_eq!((count("STATUS:CONFIRMED"), count("STATUS:CANCELLED")), (1, 1));
        assert!(lines.contains(&"UID:interview-8b2c@coffeechat.example"));
        // One event through either function gives the same bytes.
        assert_eq!(calendar_ics(&[first], Method::Request), event_ics(&first, Method::Request));

        let empty = calendar_ics(&[], Method::Publish);
        assert!(empty.starts_with("BEGIN:VCALENDAR\r\n") && empty.ends_with("END:VCALENDAR\r\n"));
        assert!(!empty.contains("VEVENT"));
    }

    #[test]
    fn published_events_keep_their_status_and_url_is_optional() {
        let mut copy = event("");
        copy.status = EventStatus::Cancelled;
        copy.url = None;
        copy.sequence = -4;
        let text = event_ics(&copy, Method::Publish);
        assert_eq!(property(&text, "METHOD").as_deref(), Some("PUBLISH"));
        assert_eq!(property(&text, "STATUS").as_deref(), Some("CANCELLED"));
        assert_eq!(property(&text, "SEQUENCE").as_deref(), Some("0"));
        assert_eq!(property(&text, "DESCRIPTION").as_deref(), Some(""));
        assert_eq!(property(&text, "URL"), None);
    }
}
