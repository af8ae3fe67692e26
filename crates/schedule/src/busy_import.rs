//! Busy time from a host's own calendars: reading an iCalendar (RFC 5545) file into the [`Busy`] intervals
//! that fall in an import window.
//!
//! [`busy_from_ics`] reads the events (`VEVENT`) and published free/busy periods (`VFREEBUSY`) of a calendar
//! export or feed — Google, Outlook/Exchange, Apple and others — and answers the instants the host is busy:
//!
//! * times in UTC, in a `TZID` zone (IANA names, vendor-prefixed IANA names, Windows names, or the file's own
//!   `VTIMEZONE`), or floating (read in the host's zone);
//! * all-day events (`VALUE=DATE`) block whole days *in the host's zone*, from local midnight to local
//!   midnight, so a day with a daylight-saving change blocks 23 or 25 hours;
//! * `TRANSP:TRANSPARENT` ("show as free"), `STATUS:CANCELLED` and Outlook's `X-MICROSOFT-CDO-BUSYSTATUS:FREE`
//!   events block nothing;
//! * `RRULE`s (and `RDATE`s) are expanded inside the window only, minus `EXDATE`s, and an exception
//!   (`RECURRENCE-ID`) replaces the occurrence it names — moved, shortened, or cancelled.
//!
//! Anything that would make us misread the file is an [`ImportError`] naming the line, never a silent
//! guess: a truncated download, a date that is not a date, an unknown zone, an unreadable rule, or a rule
//! with more than [`MAX_OCCURRENCES_PER_RULE`] occurrences in the window. The caller keeps the previous
//! import when this one fails.
//!
//! ```
//! use coffeechat_domain::TimeZoneName;
//! use coffeechat_schedule::busy_import::busy_from_ics;
//!
//! let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:standup@example.org\r\n\
//!            DTSTART;TZID=Europe/Berlin:20260302T093000\r\nDURATION:PT15M\r\n\
//!            RRULE:FREQ=WEEKLY;COUNT=2\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
//! let zone = TimeZoneName::parse("Europe/Berlin").unwrap();
//! let busy = busy_from_ics(ics, &zone, "2026-03-01T00:00:00Z".parse().unwrap(), "2026-04-01T00:00:00Z".parse().unwrap())
//!     .unwrap();
//! let starts: Vec<String> = busy.iter().map(|busy| busy.start.to_string()).collect();
//! assert_eq!(starts, ["2026-03-02T08:30:00Z", "2026-03-09T08:30:00Z"]);
//! ```

mod content;
mod recur;
mod values;

use std::collections::{HashMap, HashSet};

use coffeechat_domain::TimeZoneName;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::Busy;
use content::{Component, Property};
use recur::{Expansion, Overflow, Rule, Until};
use values::{Duration, Moment, Zones, add_days, days_between, instant, parse_duration};

/// A repeating event with more occurrences than this inside the import window is refused.
pub const MAX_OCCURRENCES_PER_RULE: usize = recur::MAX_OCCURRENCES;

/// A calendar with more busy intervals than this inside the import window is refused.
pub const MAX_BUSY_BLOCKS: usize = 20_000;

/// Why a calendar could not be imported. The `Display` text is written for the host to read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The text is not an iCalendar file at all (an HTML login page, an empty answer, a CSV file).
    #[error("this is not an iCalendar file: {0}")]
    NotACalendar(String),
    /// A line that cannot be read, or a value that makes no sense.
    #[error("line {line}: {message}")]
    Invalid { line: usize, message: String },
    /// A component is never closed: usually a download that was cut short.
    #[error(
        "the calendar ends too early: BEGIN:{component} on line {line} has no END:{component} (was the file cut off?)"
    )]
    Truncated { component: String, line: usize },
    /// A repeating event with more than [`MAX_OCCURRENCES_PER_RULE`] occurrences in the window, or one whose
    /// rule cannot be followed to the window in reasonable time.
    #[error(
        "line {line}: this repeating event occurs too often (more than {limit} times in the next months, or a rule \
         that never ends); Coffeechat did not import it"
    )]
    TooManyOccurrences { line: usize, limit: usize },
    /// More than [`MAX_BUSY_BLOCKS`] busy intervals in the window.
    #[error("the calendar has more than {limit} busy times in the next months; Coffeechat imports at most {limit}")]
    TooManyBlocks { limit: usize },
}

impl ImportError {
    pub(crate) fn invalid(line: usize, message: impl Into<String>) -> Self {
        ImportError::Invalid { line, message: message.into() }
    }

    /// The line the problem was found on, when there is one.
    pub fn line(&self) -> Option<usize> {
        match self {
            ImportError::Invalid { line, .. }
            | ImportError::Truncated { line, .. }
            | ImportError::TooManyOccurrences { line, .. } => Some(*line),
            ImportError::NotACalendar(_) | ImportError::TooManyBlocks { .. } => None,
        }
    }
}

/// The calendar's own name (`X-WR-CALNAME`, written by Google, Apple and Outlook), if it has one.
pub fn calendar_name(text: &str) -> Option<String> {
    let calendars = content::parse(text).ok()?;
    let property = calendars.first()?.property("X-WR-CALNAME")?;
    let mut name = String::new();
    let mut chars = property.value.trim().chars();
    // TEXT escapes (RFC 5545 §3.3.11); a name is one line, so an escaped newline becomes a space.
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => name.push(' '),
                Some(escaped) => name.push(escaped),
                None => {}
            }
        } else if !c.is_control() {
            name.push(c);
        }
    }
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_owned())
}

/// The busy intervals of the calendar `text` that overlap `[from, to)`, sorted and merged (overlapping or
/// touching intervals become one).
///
/// `zone` is the host's zone: floating times and all-day events are read in it.
///
/// # Errors
/// An [`ImportError`] naming the first problem found (with its line when there is one); nothing is
/// returned then, so a caller can keep its previous import.
pub fn busy_from_ics(
    text: &str,
    zone: &TimeZoneName,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<Busy>, ImportError> {
    let calendars = content::parse(text)?;
    let mut zones = Zones::new(zone.zone().clone(), &calendars);
    let window = Window { host: zone, from, to };
    let mut collected = Collected::default();

    let mut events = Vec::new();
    for component in calendars.iter().flat_map(|calendar| calendar.children.iter()) {
        match component.name.as_str() {
            "VEVENT" => {
                if let Some(event) = Event::read(component, &mut zones)? {
                    events.push(event);
                }
            }
            "VFREEBUSY" => free_busy_periods(component, &window, &mut collected)?,
            _ => {}
        }
    }

    // Exceptions are matched to their series by UID: each replaces the occurrence its RECURRENCE-ID names.
    let mut replaced: HashMap<&str, Vec<&Moment>> = HashMap::new();
    for event in &events {
        if let (Some(uid), Some(recurrence_id)) = (event.uid.as_deref(), event.recurrence_id.as_ref()) {
            replaced.entry(uid).or_default().push(recurrence_id);
        }
    }
    for event in &events {
        if !event.blocks_time {
            continue;
        }
        if event.recurrence_id.is_some() {
            event.block(&event.start, &window, &mut collected)?;
            continue;
        }
        let exceptions = event.uid.as_deref().and_then(|uid| replaced.get(uid)).map_or(&[][..], Vec::as_slice);
        event.expand(exceptions, &window, &mut collected)?;
    }
    Ok(merged(collected.blocks))
}

/// The import window and the host's zone.
struct Window<'a> {
    host: &'a TimeZoneName,
    from: Timestamp,
    to: Timestamp,
}

impl Window<'_> {
    fn overlaps(&self, start: Timestamp, end: Timestamp) -> bool {
        start < self.to && end > self.from
    }

    /// Where a host-local day begins.
    fn day_start(&self, date: Date) -> Timestamp {
        crate::start_of_day(self.host, date)
    }
}

#[derive(Default)]
struct Collected {
    blocks: Vec<Busy>,
}

impl Collected {
    fn push(&mut self, window: &Window<'_>, start: Timestamp, end: Timestamp) -> Result<(), ImportError> {
        if end > start && window.overlaps(start, end) {
            if self.blocks.len() >= MAX_BUSY_BLOCKS {
                return Err(ImportError::TooManyBlocks { limit: MAX_BUSY_BLOCKS });
            }
            self.blocks.push(Busy { start, end });
        }
        Ok(())
    }
}

/// Sorted, with overlapping and touching intervals joined.
fn merged(mut blocks: Vec<Busy>) -> Vec<Busy> {
    blocks.sort_unstable();
    blocks.dedup_by(|next, kept| {
        let joins = next.start <= kept.end;
        if joins {
            kept.end = kept.end.max(next.end);
        }
        joins
    });
    blocks
}

/// How long each occurrence lasts.
#[derive(Debug, Clone, Copy)]
enum Length {
    /// All-day events: whole host-local days.
    Days(i64),
    /// Elapsed time (DTEND − DTSTART, or a DURATION without days).
    Exact(SignedDuration),
    /// A DURATION with days or weeks: calendar days in the event's zone, then the rest.
    Nominal(Duration),
}

/// One VEVENT, read.
struct Event {
    uid: Option<String>,
    start: Moment,
    length: Length,
    rules: Vec<(usize, Rule)>,
    extra_dates: Vec<Moment>,
    excluded: Vec<Moment>,
    recurrence_id: Option<Moment>,
    /// Opaque and not cancelled.
    blocks_time: bool,
}

fn property_error(property: &Property, message: impl Into<String>) -> ImportError {
    ImportError::invalid(property.line, message)
}

impl Event {
    /// `None` for an event without a start (it names no time, so it blocks none).
    fn read(component: &Component, zones: &mut Zones<'_>) -> Result<Option<Self>, ImportError> {
        let Some(dtstart) = component.property("DTSTART") else { return Ok(None) };
        let host = zones.host.clone();
        let start = zones.moment(dtstart, &dtstart.value, &host).map_err(|message| property_error(dtstart, message))?;
        // Exceptions and exclusions written without a zone are read in the event's own zone (some producers
        // omit the TZID there), else in the host's.
        let event_zone = match &start {
            Moment::Time { zone, .. } => zone.clone(),
            Moment::Date(_) => host,
        };
        let length = Self::length(component, &start, zones)?;

        let mut rules = Vec::new();
        for property in component.properties_named("RRULE") {
            let rule = recur::parse_rule(&property.value)
                .map_err(|message| property_error(property, format!("RRULE cannot be read: {message}")))?;
            rules.push((property.line, rule));
        }
        let mut extra_dates = Vec::new();
        for property in component.properties_named("RDATE") {
            for value in property.value.split(',').filter(|value| !value.trim().is_empty()) {
                // A PERIOD value (`start/end`) contributes its start; the event's own length applies.
                let value = value.split('/').next().unwrap_or(value);
                let moment =
                    zones.moment(property, value, &event_zone).map_err(|message| property_error(property, message))?;
                extra_dates.push(moment);
            }
        }
        let mut excluded = Vec::new();
        for property in component.properties_named("EXDATE") {
            for value in property.value.split(',').filter(|value| !value.trim().is_empty()) {
                let moment =
                    zones.moment(property, value, &event_zone).map_err(|message| property_error(property, message))?;
                excluded.push(moment);
            }
        }
        let recurrence_id = match component.property("RECURRENCE-ID") {
            Some(property) => Some(
                zones
                    .moment(property, &property.value, &event_zone)
                    .map_err(|message| property_error(property, message))?,
            ),
            None => None,
        };

        let is = |name: &str, value: &str| {
            component.property(name).is_some_and(|property| property.value.trim().eq_ignore_ascii_case(value))
        };
        let blocks_time =
            !is("TRANSP", "TRANSPARENT") && !is("STATUS", "CANCELLED") && !is("X-MICROSOFT-CDO-BUSYSTATUS", "FREE");
        let uid =
            component.property("UID").map(|property| property.value.trim().to_owned()).filter(|uid| !uid.is_empty());
        Ok(Some(Self { uid, start, length, rules, extra_dates, excluded, recurrence_id, blocks_time }))
    }

    fn length(component: &Component, start: &Moment, zones: &mut Zones<'_>) -> Result<Length, ImportError> {
        let duration = match component.property("DURATION") {
            Some(property) => Some(parse_duration(&property.value).ok_or_else(|| {
                property_error(
                    property,
                    format!("DURATION has \"{}\", which is not a duration like PT1H30M", property.value.trim()),
                )
            })?),
            None => None,
        };
        let end = match component.property("DTEND") {
            Some(property) => {
                let floating = match start {
                    Moment::Time { zone, .. } => zone.clone(),
                    Moment::Date(_) => zones.host.clone(),
                };
                Some(
                    zones
                        .moment(property, &property.value, &floating)
                        .map_err(|message| property_error(property, message))?,
                )
            }
            None => None,
        };
        Ok(match (start, end, duration) {
            // All-day: whole days; an end on or before the start (a common export slip) still means that day.
            (Moment::Date(first), Some(end), _) => Length::Days(days_between(*first, end.date()).max(1)),
            (Moment::Date(_), None, Some(duration)) => {
                let extra_day = i64::from(duration.exact.is_positive());
                Length::Days((duration.days + extra_day).max(1))
            }
            (Moment::Date(_), None, None) => Length::Days(1),
            (Moment::Time { civil, zone }, Some(end), _) => {
                let start_instant = instant(*civil, zone);
                let end_instant = match &end {
                    Moment::Time { civil, zone } => instant(*civil, zone),
                    Moment::Date(date) => instant(date.to_datetime(jiff::civil::Time::midnight()), zone),
                };
                match (start_instant, end_instant) {
                    (Some(start), Some(end)) => Length::Exact(start.duration_until(end)),
                    _ => Length::Exact(SignedDuration::ZERO),
                }
            }
            (Moment::Time { .. }, None, Some(duration)) if duration.days != 0 => Length::Nominal(duration),
            (Moment::Time { .. }, None, Some(duration)) => Length::Exact(duration.exact),
            // RFC 5545 §3.6.1: a date-time start without end or duration takes no time.
            (Moment::Time { .. }, None, None) => Length::Exact(SignedDuration::ZERO),
        })
    }

    /// The span one occurrence starting at `start` covers, or `None` when it takes no time.
    fn occurrence(&self, start: &Moment, window: &Window<'_>) -> Option<(Timestamp, Timestamp)> {
        match (start, self.length) {
            (Moment::Date(date), Length::Days(days)) => {
                let end = add_days(*date, days)?;
                Some((window.day_start(*date), window.day_start(end)))
            }
            (Moment::Date(date), _) => {
                // An exception moved an all-day series to a date: it keeps the series' one day.
                let end = add_days(*date, 1)?;
                Some((window.day_start(*date), window.day_start(end)))
            }
            (Moment::Time { civil, zone }, length) => {
                let begin = instant(*civil, zone)?;
                let end = match length {
                    Length::Exact(elapsed) => begin.checked_add(elapsed).ok()?,
                    Length::Nominal(duration) => {
                        begin.to_zoned(zone.clone()).checked_add(duration.span()?).ok()?.timestamp()
                    }
                    Length::Days(days) => begin.checked_add(SignedDuration::from_hours(24 * days)).ok()?,
                };
                Some((begin, end))
            }
        }
    }

    fn block(&self, start: &Moment, window: &Window<'_>, collected: &mut Collected) -> Result<(), ImportError> {
        match self.occurrence(start, window) {
            Some((begin, end)) => collected.push(window, begin, end),
            None => Ok(()),
        }
    }

    /// Every occurrence of the series (its start, its rules, its RDATEs) in the window, minus EXDATEs and
    /// the occurrences its exceptions replace.
    fn expand(
        &self,
        exceptions: &[&Moment],
        window: &Window<'_>,
        collected: &mut Collected,
    ) -> Result<(), ImportError> {
        let skipped = Skipped::new(self.excluded.iter().chain(exceptions.iter().copied()));
        if self.rules.is_empty() {
            for start in std::iter::once(&self.start).chain(&self.extra_dates) {
                if !skipped.contains(start) {
                    self.block(start, window, collected)?;
                }
            }
            return Ok(());
        }

        let (zone, civil_start, all_day) = match &self.start {
            Moment::Date(date) => (window.host.zone().clone(), date.to_datetime(jiff::civil::Time::midnight()), true),
            Moment::Time { civil, zone } => (zone.clone(), *civil, false),
        };
        // Occurrences that start before the window but last into it count too: widen by the event's length.
        let reach = match self.length {
            Length::Days(days) => SignedDuration::from_hours(24 * days.saturating_add(1)),
            Length::Exact(elapsed) => elapsed.abs(),
            Length::Nominal(duration) => {
                SignedDuration::from_hours(24 * (duration.days.abs() + 1)) + duration.exact.abs()
            }
        }
        .saturating_add(SignedDuration::from_hours(48));
        let civil = |at: Timestamp| at.to_zoned(zone.clone()).datetime();
        let window_start = civil(window.from.checked_sub(reach).unwrap_or(Timestamp::MIN));
        let window_end = civil(window.to.checked_add(SignedDuration::from_hours(48)).unwrap_or(Timestamp::MAX));

        let mut starts: Vec<DateTime> = Vec::new();
        for (line, rule) in &self.rules {
            let until = rule.until.map(|until| match until {
                Until::Date(date) => date.to_datetime(jiff::civil::Time::MAX),
                Until::Local(civil) => civil,
                Until::Utc(at) => civil(at),
            });
            let expansion = Expansion { rule, start: civil_start, all_day, until, window_start, window_end };
            let found = expansion.occurrences().map_err(|overflow| match overflow {
                Overflow::Occurrences | Overflow::Periods => {
                    ImportError::TooManyOccurrences { line: *line, limit: MAX_OCCURRENCES_PER_RULE }
                }
            })?;
            starts.extend(found);
        }
        starts.sort_unstable();
        starts.dedup();
        let from_rules = starts.into_iter().map(|civil| match all_day {
            true => Moment::Date(civil.date()),
            false => Moment::Time { civil, zone: zone.clone() },
        });
        let mut seen = HashSet::new();
        for start in from_rules.chain(self.extra_dates.iter().cloned()) {
            if skipped.contains(&start) || !seen.insert(moment_key(&start)) {
                continue;
            }
            self.block(&start, window, collected)?;
        }
        Ok(())
    }
}

/// Identifies an occurrence: its instant, or its date for all-day events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Date(Date),
    At(Timestamp),
}

fn moment_key(moment: &Moment) -> Key {
    match moment {
        Moment::Date(date) => Key::Date(*date),
        Moment::Time { civil, zone } => instant(*civil, zone).map_or(Key::Date(civil.date()), Key::At),
    }
}

/// Occurrences a series must leave out: by instant, or — for a date-only EXDATE on a timed series, which
/// some producers write — every occurrence on that date.
struct Skipped {
    keys: HashSet<Key>,
    dates: HashSet<Date>,
}

impl Skipped {
    fn new<'a>(moments: impl Iterator<Item = &'a Moment>) -> Self {
        let mut keys = HashSet::new();
        let mut dates = HashSet::new();
        for moment in moments {
            if let Moment::Date(date) = moment {
                dates.insert(*date);
            }
            keys.insert(moment_key(moment));
        }
        Self { keys, dates }
    }

    fn contains(&self, start: &Moment) -> bool {
        self.keys.contains(&moment_key(start)) || self.dates.contains(&start.date())
    }
}

/// `VFREEBUSY` periods (`FREEBUSY;FBTYPE=BUSY:20260302T090000Z/PT1H,…`); `FBTYPE=FREE` blocks nothing.
fn free_busy_periods(component: &Component, window: &Window<'_>, collected: &mut Collected) -> Result<(), ImportError> {
    for property in component.properties_named("FREEBUSY") {
        if property.param("FBTYPE").is_some_and(|kind| kind.eq_ignore_ascii_case("FREE")) {
            continue;
        }
        for period in property.value.split(',').filter(|period| !period.trim().is_empty()) {
            let unreadable = || {
                property_error(
                    property,
                    format!("FREEBUSY has \"{}\", which is not a period like 20260302T090000Z/PT1H", period.trim()),
                )
            };
            let (start, end) = period.split_once('/').ok_or_else(unreadable)?;
            let start = utc_instant(start).ok_or_else(unreadable)?;
            let end = match utc_instant(end) {
                Some(end) => end,
                None => {
                    let duration = parse_duration(end).ok_or_else(unreadable)?;
                    start
                        .checked_add(SignedDuration::from_hours(24 * duration.days))
                        .and_then(|at| at.checked_add(duration.exact))
                        .map_err(|_| unreadable())?
                }
            };
            collected.push(window, start, end)?;
        }
    }
    Ok(())
}

/// FREEBUSY periods are UTC by definition (RFC 5545 §3.8.2.6).
fn utc_instant(text: &str) -> Option<Timestamp> {
    let (civil, _) = values::parse_date_time(text)?;
    instant(civil, &TimeZone::UTC)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn import(body: &str, zone: &str) -> Result<Vec<(String, String)>, ImportError> {
        let text = format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{body}END:VCALENDAR\r\n");
        let zone = TimeZoneName::parse(zone).unwrap();
        let busy = busy_from_ics(&text, &zone, ts("2026-03-01T00:00:00Z"), ts("2026-06-01T00:00:00Z"))?;
        Ok(busy.iter().map(|busy| (busy.start.to_string(), busy.end.to_string())).collect())
    }

    fn event(lines: &str) -> String {
        format!("BEGIN:VEVENT\r\n{lines}END:VEVENT\r\n")
    }

    #[test]
    fn floating_times_are_read_in_the_host_zone_and_utc_times_as_utc() {
        let body = event("UID:a\r\nDTSTART:20260302T090000\r\nDTEND:20260302T100000\r\n")
            + &event("UID:b\r\nDTSTART:20260303T090000Z\r\nDURATION:PT30M\r\n");
        let busy = import(&body, "America/New_York").unwrap();
        assert_eq!(
            busy,
            [
                ("2026-03-02T14:00:00Z".into(), "2026-03-02T15:00:00Z".into()),
                ("2026-03-03T09:00:00Z".into(), "2026-03-03T09:30:00Z".into())
            ]
        );
    }

    #[test]
    fn events_without_time_or_outside_the_window_block_nothing() {
        let body = event("UID:a\r\nSUMMARY:no start\r\n")
            + &event("UID:b\r\nDTSTART:20260302T090000Z\r\n")
            + &event("UID:c\r\nDTSTART:20250302T090000Z\r\nDTEND:20250302T100000Z\r\n")
            + &event("UID:d\r\nDTSTART:20260302T100000Z\r\nDTEND:20260302T090000Z\r\n");
        assert_eq!(import(&body, "UTC").unwrap(), []);
    }

    #[test]
    fn free_and_cancelled_events_block_nothing() {
        let body = event("UID:a\r\nDTSTART:20260302T090000Z\r\nDTEND:20260302T100000Z\r\nTRANSP:TRANSPARENT\r\n")
            + &event("UID:b\r\nDTSTART:20260302T090000Z\r\nDTEND:20260302T100000Z\r\nSTATUS:CANCELLED\r\n")
            + &event(
                "UID:c\r\nDTSTART:20260302T090000Z\r\nDTEND:20260302T100000Z\r\nX-MICROSOFT-CDO-BUSYSTATUS:FREE\r\n",
            )
            + &event(
                "UID:d\r\nDTSTART:20260302T110000Z\r\nDTEND:20260302T120000Z\r\nTRANSP:OPAQUE\r\nSTATUS:TENTATIVE\r\n",
            );
        assert_eq!(import(&body, "UTC").unwrap(), [("2026-03-02T11:00:00Z".into(), "2026-03-02T12:00:00Z".into())]);
    }

    #[test]
    fn overlapping_and_touching_blocks_are_merged() {
        let body = event("UID:a\r\nDTSTART:20260302T090000Z\r\nDTEND:20260302T100000Z\r\n")
            + &event("UID:b\r\nDTSTART:20260302T093000Z\r\nDTEND:20260302T103000Z\r\n")
            + &event("UID:c\r\nDTSTART:20260302T103000Z\r\nDTEND:20260302T110000Z\r\n");
        assert_eq!(import(&body, "UTC").unwrap(), [("2026-03-02T09:00:00Z".into(), "2026-03-02T11:00:00Z".into())]);
    }

    #[test]
    fn a_nominal_day_duration_keeps_the_wall_clock_across_a_change() {
        // 1 day from 12:00 on Saturday 28 March in Berlin ends 12:00 on Sunday: 23 hours.
        let body = event("UID:a\r\nDTSTART;TZID=Europe/Berlin:20260328T120000\r\nDURATION:P1D\r\n");
        assert_eq!(import(&body, "UTC").unwrap(), [("2026-03-28T11:00:00Z".into(), "2026-03-29T10:00:00Z".into())]);
    }

    #[test]
    fn an_all_day_event_with_a_duration_or_a_careless_end_blocks_whole_days() {
        let body = event("UID:a\r\nDTSTART;VALUE=DATE:20260302\r\nDURATION:P2D\r\n")
            + &event("UID:b\r\nDTSTART;VALUE=DATE:20260310\r\nDTEND;VALUE=DATE:20260310\r\n");
        assert_eq!(
            import(&body, "UTC").unwrap(),
            [
                ("2026-03-02T00:00:00Z".into(), "2026-03-04T00:00:00Z".into()),
                ("2026-03-10T00:00:00Z".into(), "2026-03-11T00:00:00Z".into())
            ]
        );
    }

    #[test]
    fn rdates_add_occurrences_and_exdates_on_a_date_remove_that_days_occurrence() {
        let body = event(
            "UID:a\r\nDTSTART:20260302T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY;COUNT=3\r\n\
             EXDATE;VALUE=DATE:20260303\r\nRDATE:20260310T150000Z,20260311T150000Z/20260311T160000Z\r\n",
        );
        let starts: Vec<String> = import(&body, "UTC").unwrap().into_iter().map(|(start, _)| start).collect();
        assert_eq!(
            starts,
            ["2026-03-02T09:00:00Z", "2026-03-04T09:00:00Z", "2026-03-10T15:00:00Z", "2026-03-11T15:00:00Z"]
        );
    }

    #[test]
    fn free_busy_periods_block_unless_free() {
        let body = "BEGIN:VFREEBUSY\r\nFREEBUSY:20260302T090000Z/20260302T100000Z,20260303T090000Z/PT30M\r\n\
                    FREEBUSY;FBTYPE=FREE:20260304T090000Z/PT1H\r\nEND:VFREEBUSY\r\n";
        assert_eq!(
            import(body, "UTC").unwrap(),
            [
                ("2026-03-02T09:00:00Z".into(), "2026-03-02T10:00:00Z".into()),
                ("2026-03-03T09:00:00Z".into(), "2026-03-03T09:30:00Z".into())
            ]
        );
        let broken = import("BEGIN:VFREEBUSY\r\nFREEBUSY:tomorrow\r\nEND:VFREEBUSY\r\n", "UTC").unwrap_err();
        assert_eq!(broken.line(), Some(4));
    }

    #[test]
    fn bad_values_name_their_line() {
        let cases = [
            (event("UID:a\r\nDTSTART:2026-03-02\r\n"), 5, "not a date-time"),
            (event("UID:a\r\nDTSTART:20260302T090000Z\r\nDURATION:an hour\r\n"), 6, "not a duration"),
            (event("UID:a\r\nDTSTART;TZID=Mars/Base:20260302T090000\r\n"), 5, "unknown time zone \"Mars/Base\""),
            (event("UID:a\r\nDTSTART:20260302T090000Z\r\nRRULE:FREQ=MINUTELY\r\n"), 6, "more often than daily"),
            (event("UID:a\r\nDTSTART:20260302T090000Z\r\nEXDATE:someday\r\n"), 6, "EXDATE"),
        ];
        for (body, line, needle) in cases {
            let error = import(&body, "UTC").unwrap_err();
            assert_eq!(error.line(), Some(line), "{error}");
            assert!(error.to_string().contains(needle), "{error}");
        }
    }

    #[test]
    fn the_calendar_name_is_read_and_unescaped() {
        let text = "BEGIN:VCALENDAR\r\nX-WR-CALNAME:Work\\, team\\nA\r\nEND:VCALENDAR\r\n";
        assert_eq!(calendar_name(text).as_deref(), Some("Work, team A"));
        assert_eq!(calendar_name("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"), None);
        assert_eq!(calendar_name("not a calendar"), None);
    }

    #[test]
    fn too_many_blocks_are_refused() {
        let mut body = String::new();
        for index in 0..=MAX_BUSY_BLOCKS {
            let start = ts("2026-03-02T00:00:00Z") + SignedDuration::from_mins(2 * i64::try_from(index).unwrap());
            body.push_str(&event(&format!(
                "UID:{index}\r\nDTSTART:{}\r\nDURATION:PT1M\r\n",
                start.strftime("%Y%m%dT%H%M%SZ")
            )));
        }
        assert_eq!(import(&body, "UTC").unwrap_err(), ImportError::TooManyBlocks { limit: MAX_BUSY_BLOCKS });
    }
}
