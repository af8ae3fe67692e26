//! Property values: DATE, DATE-TIME and DURATION (RFC 5545 §3.3), and the time zones `TZID` names.
//!
//! A `TZID` is resolved, in order, as an IANA name (jiff's bundled database), as an IANA name behind a
//! vendor prefix (`/mozilla.org/20050126_1/America/New_York`), as a Windows zone name (Outlook and
//! Exchange write `W. Europe Standard Time`), and finally from the calendar's own `VTIMEZONE`, turned into
//! a POSIX rule. Only a zone none of these explain is an error.

use std::collections::HashMap;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, Timestamp, ToSpan as _};

use super::content::{Component, Property};

/// When an event (or one of its exceptions) starts: a whole day, or a wall-clock time in a zone.
#[derive(Debug, Clone)]
pub(super) enum Moment {
    /// `VALUE=DATE`: a day in the host's zone.
    Date(Date),
    /// A date-time: UTC (`…Z`), in a `TZID` zone, or floating (the host's zone).
    Time { civil: DateTime, zone: TimeZone },
}

impl Moment {
    pub fn date(&self) -> Date {
        match self {
            Moment::Date(date) => *date,
            Moment::Time { civil, .. } => civil.date(),
        }
    }
}

/// The instant a wall-clock time names in `zone`, the way RFC 5545 §3.3.5 asks: a time in a spring-forward
/// gap is read with the offset before the gap (so it moves forward), a time in an autumn fold is the first
/// of the two. `None` only outside jiff's range.
pub(super) fn instant(civil: DateTime, zone: &TimeZone) -> Option<Timestamp> {
    zone.to_ambiguous_timestamp(civil).compatible().ok()
}

/// `YYYYMMDD`.
pub(super) fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    if text.len() != 8 || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let year = text.get(0..4)?.parse().ok()?;
    let month = text.get(4..6)?.parse().ok()?;
    let day = text.get(6..8)?.parse().ok()?;
    Date::new(year, month, day).ok()
}

/// `YYYYMMDDTHHMMSS` with an optional trailing `Z`; the flag says whether it is UTC.
pub(super) fn parse_date_time(text: &str) -> Option<(DateTime, bool)> {
    let text = text.trim();
    let (text, utc) = match text.strip_suffix(['Z', 'z']) {
        Some(rest) => (rest, true),
        None => (text, false),
    };
    let (date, time) = text.split_once(['T', 't'])?;
    let date = parse_date(date)?;
    if time.len() != 6 || !time.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let hour = time.get(0..2)?.parse().ok()?;
    let minute = time.get(2..4)?.parse().ok()?;
    // A leap second (60) is read as the last second of its minute, as jiff has no leap seconds.
    let second = time.get(4..6)?.parse::<i8>().ok()?.min(59);
    Some((date.to_datetime(Time::new(hour, minute, second, 0).ok()?), utc))
}

/// A DURATION (`P1W`, `PT1H30M`, `-P1DT2H`): calendar days and weeks are kept apart from hours, minutes
/// and seconds, since a day is 23 or 25 hours on a daylight-saving change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Duration {
    pub days: i64,
    pub exact: SignedDuration,
}

impl Duration {
    pub fn span(self) -> Option<Span> {
        Span::new().try_days(self.days).ok()?.try_seconds(self.exact.as_secs()).ok()
    }
}

pub(super) fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (negative, text) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let mut rest = text.strip_prefix(['P', 'p'])?;
    let (mut days, mut seconds) = (0_i64, 0_i64);
    let mut in_time = false;
    let mut any = false;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix(['T', 't']) {
            in_time = true;
            rest = after;
            continue;
        }
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 9 {
            return None;
        }
        let number: i64 = rest.get(..digits)?.parse().ok()?;
        let unit = rest.as_bytes().get(digits)?.to_ascii_uppercase();
        rest = rest.get(digits + 1..)?;
        any = true;
        match (unit, in_time) {
            (b'W', false) => days += number * 7,
            (b'D', false) => days += number,
            (b'H', true) => seconds += number * 3600,
            (b'M', true) => seconds += number * 60,
            (b'S', true) => seconds += number,
            _ => return None,
        }
    }
    if !any {
        return None;
    }
    let sign = if negative { -1 } else { 1 };
    Some(Duration { days: sign * days, exact: SignedDuration::from_secs(sign * seconds) })
}

/// Resolves `TZID`s for one calendar, remembering each answer.
pub(super) struct Zones<'a> {
    /// Where floating times and all-day events are read.
    pub host: TimeZone,
    definitions: HashMap<String, &'a Component>,
    resolved: HashMap<String, TimeZone>,
}

impl<'a> Zones<'a> {
    pub fn new(host: TimeZone, calendars: &'a [Component]) -> Self {
        let definitions = calendars
            .iter()
            .flat_map(|calendar| calendar.children.iter())
            .filter(|component| component.name == "VTIMEZONE")
            .filter_map(|component| Some((component.property("TZID")?.value.trim().to_owned(), component)))
            .collect();
        Self { host, definitions, resolved: HashMap::new() }
    }

    /// The zone `tzid` names; the message says why it cannot be used.
    pub fn get(&mut self, tzid: &str) -> Result<TimeZone, String> {
        let tzid = tzid.trim();
        if let Some(zone) = self.resolved.get(tzid) {
            return Ok(zone.clone());
        }
        let zone = known_zone(tzid)
            .or_else(|| self.definitions.get(tzid).and_then(|definition| zone_from_definition(definition)))
            .ok_or_else(|| match self.definitions.contains_key(tzid) {
                true => format!("the time zone \"{tzid}\" is defined in a way Coffeechat cannot read"),
                false => format!("unknown time zone \"{tzid}\" (and the file does not define it in a VTIMEZONE)"),
            })?;
        self.resolved.insert(tzid.to_owned(), zone.clone());
        Ok(zone)
    }

    /// A DATE or DATE-TIME property value (`DTSTART`, `RECURRENCE-ID`, one value of `EXDATE`); a floating
    /// date-time (no `Z`, no `TZID`) is read in `floating`.
    pub fn moment(&mut self, property: &Property, value: &str, floating: &TimeZone) -> Result<Moment, String> {
        let value = value.trim();
        let is_date = property.param("VALUE").is_some_and(|kind| kind.eq_ignore_ascii_case("DATE"))
            || (value.len() == 8 && !value.contains(['T', 't']));
        if is_date {
            return parse_date(value)
                .map(Moment::Date)
                .ok_or_else(|| format!("{} has \"{value}\", which is not a date like 20260302", property.name));
        }
        let (civil, utc) = parse_date_time(value).ok_or_else(|| {
            format!("{} has \"{value}\", which is not a date-time like 20260302T093000Z", property.name)
        })?;
        let zone = match (utc, property.param("TZID")) {
            (true, _) => TimeZone::UTC,
            (false, Some(tzid)) => self.get(tzid)?,
            (false, None) => floating.clone(),
        };
        Ok(Moment::Time { civil, zone })
    }
}

/// An IANA name, possibly behind a vendor prefix, or a Windows name.
fn known_zone(tzid: &str) -> Option<TimeZone> {
    if let Ok(zone) = TimeZone::get(tzid) {
        return Some(zone);
    }
    // `/mozilla.org/20050126_1/America/New_York`, `/citadel.org/20190914_1/Europe/Paris`: try each suffix.
    let mut rest = tzid;
    while let Some((_, suffix)) = rest.split_once('/') {
        if suffix.contains('/')
            && let Ok(zone) = TimeZone::get(suffix)
        {
            return Some(zone);
        }
        rest = suffix;
    }
    windows_zone(tzid).and_then(|iana| TimeZone::get(iana).ok())
}

/// The IANA zone of a Windows time zone name (CLDR `windowsZones.xml`, territory "001"), for the names
/// Outlook and Exchange write in `TZID`.
pub(super) fn windows_zone(name: &str) -> Option<&'static str> {
    WINDOWS_ZONES.iter().find(|(windows, _)| windows.eq_ignore_ascii_case(name.trim())).map(|(_, iana)| *iana)
}

pub(super) const WINDOWS_ZONES: &[(&str, &str)] = &[
    ("Dateline Standard Time", "Etc/GMT+12"),
    ("UTC-11", "Etc/GMT+11"),
    ("Aleutian Standard Time", "America/Adak"),
    ("Hawaiian Standard Time", "Pacific/Honolulu"),
    ("Marquesas Standard Time", "Pacific/Marquesas"),
    ("Alaskan Standard Time", "America/Anchorage"),
    ("UTC-09", "Etc/GMT+9"),
    ("Pacific Standard Time (Mexico)", "America/Tijuana"),
    ("UTC-08", "Etc/GMT+8"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("US Mountain Standard Time", "America/Phoenix"),
    ("Mountain Standard Time (Mexico)", "America/Mazatlan"),
    ("Mountain Standard Time", "America/Denver"),
    ("Yukon Standard Time", "America/Whitehorse"),
    ("Central America Standard Time", "America/Guatemala"),
    ("Central Standard Time", "America/Chicago"),
    ("Easter Island Standard Time", "Pacific/Easter"),
    ("Central Standard Time (Mexico)", "America/Mexico_City"),
    ("Canada Central Standard Time", "America/Regina"),
    ("SA Pacific Standard Time", "America/Bogota"),
    ("Eastern Standard Time (Mexico)", "America/Cancun"),
    ("Eastern Standard Time", "America/New_York"),
    ("Haiti Standard Time", "America/Port-au-Prince"),
    ("Cuba Standard Time", "America/Havana"),
    ("US Eastern Standard Time", "America/Indiana/Indianapolis"),
    ("Turks And Caicos Standard Time", "America/Grand_Turk"),
    ("Paraguay Standard Time", "America/Asuncion"),
    ("Atlantic Standard Time", "America/Halifax"),
    ("Venezuela Standard Time", "America/Caracas"),
    ("Central Brazilian Standard Time", "America/Cuiaba"),
    ("SA Western Standard Time", "America/La_Paz"),
    ("Pacific SA Standard Time", "America/Santiago"),
    ("Newfoundland Standard Time", "America/St_Johns"),
    ("Tocantins Standard Time", "America/Araguaina"),
    ("E. South America Standard Time", "America/Sao_Paulo"),
    ("SA Eastern Standard Time", "America/Cayenne"),
    ("Argentina Standard Time", "America/Argentina/Buenos_Aires"),
    ("Greenland Standard Time", "America/Nuuk"),
    ("Montevideo Standard Time", "America/Montevideo"),
    ("Magallanes Standard Time", "America/Punta_Arenas"),
    ("Saint Pierre Standard Time", "America/Miquelon"),
    ("Bahia Standard Time", "America/Bahia"),
    ("UTC-02", "Etc/GMT+2"),
    ("Mid-Atlantic Standard Time", "Etc/GMT+2"),
    ("Azores Standard Time", "Atlantic/Azores"),
    ("Cape Verde Standard Time", "Atlantic/Cape_Verde"),
    ("UTC", "Etc/UTC"),
    ("Coordinated Universal Time", "Etc/UTC"),
    ("GMT Standard Time", "Europe/London"),
    ("Greenwich Standard Time", "Atlantic/Reykjavik"),
    ("Sao Tome Standard Time", "Africa/Sao_Tome"),
    ("Morocco Standard Time", "Africa/Casablanca"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Central Europe Standard Time", "Europe/Budapest"),
    ("Romance Standard Time", "Europe/Paris"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("W. Central Africa Standard Time", "Africa/Lagos"),
    ("Jordan Standard Time", "Asia/Amman"),
    ("GTB Standard Time", "Europe/Bucharest"),
    ("Middle East Standard Time", "Asia/Beirut"),
    ("Egypt Standard Time", "Africa/Cairo"),
    ("E. Europe Standard Time", "Europe/Chisinau"),
    ("Syria Standard Time", "Asia/Damascus"),
    ("West Bank Standard Time", "Asia/Hebron"),
    ("South Africa Standard Time", "Africa/Johannesburg"),
    ("FLE Standard Time", "Europe/Kyiv"),
    ("Israel Standard Time", "Asia/Jerusalem"),
    ("South Sudan Standard Time", "Africa/Juba"),
    ("Kaliningrad Standard Time", "Europe/Kaliningrad"),
    ("Sudan Standard Time", "Africa/Khartoum"),
    ("Libya Standard Time", "Africa/Tripoli"),
    ("Namibia Standard Time", "Africa/Windhoek"),
    ("Arabic Standard Time", "Asia/Baghdad"),
    ("Turkey Standard Time", "Europe/Istanbul"),
    ("Arab Standard Time", "Asia/Riyadh"),
    ("Belarus Standard Time", "Europe/Minsk"),
    ("Russian Standard Time", "Europe/Moscow"),
    ("E. Africa Standard Time", "Africa/Nairobi"),
    ("Volgograd Standard Time", "Europe/Volgograd"),
    ("Iran Standard Time", "Asia/Tehran"),
    ("Arabian Standard Time", "Asia/Dubai"),
    ("Astrakhan Standard Time", "Europe/Astrakhan"),
    ("Azerbaijan Standard Time", "Asia/Baku"),
    ("Russia Time Zone 3", "Europe/Samara"),
    ("Mauritius Standard Time", "Indian/Mauritius"),
    ("Saratov Standard Time", "Europe/Saratov"),
    ("Georgian Standard Time", "Asia/Tbilisi"),
    ("Caucasus Standard Time", "Asia/Yerevan"),
    ("Afghanistan Standard Time", "Asia/Kabul"),
    ("West Asia Standard Time", "Asia/Tashkent"),
    ("Ekaterinburg Standard Time", "Asia/Yekaterinburg"),
    ("Pakistan Standard Time", "Asia/Karachi"),
    ("Qyzylorda Standard Time", "Asia/Qyzylorda"),
    ("India Standard Time", "Asia/Kolkata"),
    ("Sri Lanka Standard Time", "Asia/Colombo"),
    ("Nepal Standard Time", "Asia/Kathmandu"),
    ("Central Asia Standard Time", "Asia/Bishkek"),
    ("Bangladesh Standard Time", "Asia/Dhaka"),
    ("Omsk Standard Time", "Asia/Omsk"),
    ("Myanmar Standard Time", "Asia/Yangon"),
    ("SE Asia Standard Time", "Asia/Bangkok"),
    ("Altai Standard Time", "Asia/Barnaul"),
    ("W. Mongolia Standard Time", "Asia/Hovd"),
    ("North Asia Standard Time", "Asia/Krasnoyarsk"),
    ("N. Central Asia Standard Time", "Asia/Novosibirsk"),
    ("Tomsk Standard Time", "Asia/Tomsk"),
    ("China Standard Time", "Asia/Shanghai"),
    ("North Asia East Standard Time", "Asia/Irkutsk"),
    ("Singapore Standard Time", "Asia/Singapore"),
    ("W. Australia Standard Time", "Australia/Perth"),
    ("Taipei Standard Time", "Asia/Taipei"),
    ("Ulaanbaatar Standard Time", "Asia/Ulaanbaatar"),
    ("Aus Central W. Standard Time", "Australia/Eucla"),
    ("Transbaikal Standard Time", "Asia/Chita"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("North Korea Standard Time", "Asia/Pyongyang"),
    ("Korea Standard Time", "Asia/Seoul"),
    ("Yakutsk Standard Time", "Asia/Yakutsk"),
    ("Cen. Australia Standard Time", "Australia/Adelaide"),
    ("AUS Central Standard Time", "Australia/Darwin"),
    ("E. Australia Standard Time", "Australia/Brisbane"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("West Pacific Standard Time", "Pacific/Port_Moresby"),
    ("Tasmania Standard Time", "Australia/Hobart"),
    ("Vladivostok Standard Time", "Asia/Vladivostok"),
    ("Lord Howe Standard Time", "Australia/Lord_Howe"),
    ("Bougainville Standard Time", "Pacific/Bougainville"),
    ("Russia Time Zone 10", "Asia/Srednekolymsk"),
    ("Magadan Standard Time", "Asia/Magadan"),
    ("Norfolk Standard Time", "Pacific/Norfolk"),
    ("Sakhalin Standard Time", "Asia/Sakhalin"),
    ("Central Pacific Standard Time", "Pacific/Guadalcanal"),
    ("Russia Time Zone 11", "Asia/Kamchatka"),
    ("New Zealand Standard Time", "Pacific/Auckland"),
    ("UTC+12", "Etc/GMT-12"),
    ("Fiji Standard Time", "Pacific/Fiji"),
    ("Chatham Islands Standard Time", "Pacific/Chatham"),
    ("UTC+13", "Etc/GMT-13"),
    ("Tonga Standard Time", "Pacific/Tongatapu"),
    ("Samoa Standard Time", "Pacific/Apia"),
    ("Line Islands Standard Time", "Pacific/Kiritimati"),
];

/// A zone from a `VTIMEZONE`: the most recent `STANDARD` and `DAYLIGHT` observances (by `DTSTART`) as a
/// POSIX rule (`STD5DST,M3.2.0/2,M11.1.0/2`), or a fixed offset when there is no daylight saving.
///
/// This is how Outlook's custom names ("Customized Time Zone", "(UTC+01:00) Amsterdam, Berlin, …") are
/// read. History before the latest rule is ignored, which only matters for events years in the past.
fn zone_from_definition(definition: &Component) -> Option<TimeZone> {
    let latest = |kind: &str| {
        definition
            .children
            .iter()
            .filter(|observance| observance.name == kind)
            .filter_map(|observance| {
                let start = parse_date_time(&observance.property("DTSTART")?.value)?.0;
                Some((start, observance))
            })
            .max_by_key(|(start, _)| *start)
    };
    let (standard_start, standard) = latest("STANDARD")?;
    let standard_offset = parse_offset(&standard.property("TZOFFSETTO")?.value)?;
    let daylight = latest("DAYLIGHT");
    let (Some((daylight_start, daylight)), Some(standard_rule)) = (daylight, standard.property("RRULE")) else {
        return TimeZone::posix(&format!("STD{}", posix_offset(standard_offset))).ok();
    };
    // A daylight observance that ended before the current standard rule began (a country that dropped
    // daylight saving) leaves only the standard offset.
    let daylight_rule = daylight.property("RRULE")?;
    if daylight_rule.value.to_ascii_uppercase().contains("UNTIL") && daylight_start < standard_start {
        return TimeZone::posix(&format!("STD{}", posix_offset(standard_offset))).ok();
    }
    let daylight_offset = parse_offset(&daylight.property("TZOFFSETTO")?.value)?;
    let posix = format!(
        "STD{}DST{},{}/{},{}/{}",
        posix_offset(standard_offset),
        posix_offset(daylight_offset),
        posix_month_rule(&daylight_rule.value)?,
        posix_time(daylight_start),
        posix_month_rule(&standard_rule.value)?,
        posix_time(standard_start),
    );
    TimeZone::posix(&posix).ok()
}

/// `+0530`, `-0800`, `+013045` as seconds east of UTC.
fn parse_offset(text: &str) -> Option<i32> {
    let text = text.trim();
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits = &text[1..];
    if !(digits.len() == 4 || digits.len() == 6) || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits.get(0..2)?.parse().ok()?;
    let minutes: i32 = digits.get(2..4)?.parse().ok()?;
    let seconds: i32 = digits.get(4..6).map_or(Some(0), |s| s.parse().ok())?;
    Some(sign * (hours * 3600 + minutes * 60 + seconds))
}

/// POSIX offsets count hours *west* of UTC: UTC-5 is `5`, UTC+5:30 is `-5:30`.
fn posix_offset(seconds_east: i32) -> String {
    let west = -seconds_east;
    let sign = if west < 0 { "-" } else { "" };
    let west = west.unsigned_abs();
    let (hours, minutes, seconds) = (west / 3600, west / 60 % 60, west % 60);
    match (minutes, seconds) {
        (0, 0) => format!("{sign}{hours}"),
        (_, 0) => format!("{sign}{hours}:{minutes:02}"),
        _ => format!("{sign}{hours}:{minutes:02}:{seconds:02}"),
    }
}

fn posix_time(start: DateTime) -> String {
    format!("{}:{:02}:{:02}", start.hour(), start.minute(), start.second())
}

/// `FREQ=YEARLY;BYMONTH=3;BYDAY=2SU` (or the older `BYDAY=SU;BYMONTHDAY=8,…,14`) as POSIX `M3.2.0`.
fn posix_month_rule(rule: &str) -> Option<String> {
    let mut month = None;
    let mut by_day = None;
    let mut first_month_day = None;
    for part in rule.split(';') {
        let (name, value) = part.split_once('=')?;
        match name.trim().to_ascii_uppercase().as_str() {
            "BYMONTH" => month = value.trim().parse::<u8>().ok(),
            "BYDAY" => by_day = Some(value.trim().to_ascii_uppercase()),
            "BYMONTHDAY" => first_month_day = value.split(',').filter_map(|day| day.trim().parse::<i8>().ok()).min(),
            _ => {}
        }
    }
    let month = month.filter(|month| (1..=12).contains(month))?;
    let by_day = by_day?;
    let weekday_code = by_day.get(by_day.len().checked_sub(2)?..)?;
    let weekday = super::recur::weekday(weekday_code)?;
    let ordinal = &by_day[..by_day.len() - 2];
    let week = match (ordinal.trim_start_matches('+'), first_month_day) {
        ("", Some(day)) if day > 0 => (day - 1) / 7 + 1,
        ("-1", _) => 5,
        (number, _) => number.parse::<i8>().ok().filter(|week| (1..=5).contains(week))?,
    };
    Some(format!("M{month}.{week}.{}", weekday.to_sunday_zero_offset()))
}

/// Days from `start` to `end` in the calendar (`end` exclusive), never negative.
pub(super) fn days_between(start: Date, end: Date) -> i64 {
    start.until(end).map_or(0, |span| i64::from(span.get_days())).max(0)
}

/// `date` plus `days`, or `None` beyond year 9999.
pub(super) fn add_days(date: Date, days: i64) -> Option<Date> {
    date.checked_add(days.days()).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::busy_import::content;

    #[test]
    fn dates_and_date_times_parse_strictly() {
        assert_eq!(parse_date("20260302"), Some(date(2026, 3, 2)));
        assert_eq!(parse_date("20260230"), None);
        assert_eq!(parse_date("2026-03-02"), None);
        assert_eq!(parse_date_time("20260302T093000Z"), Some((date(2026, 3, 2).at(9, 30, 0, 0), true)));
        assert_eq!(parse_date_time("20260302T093000"), Some((date(2026, 3, 2).at(9, 30, 0, 0), false)));
        assert_eq!(parse_date_time("20261231T235960Z").unwrap().0.second(), 59);
        for bad in ["20260302", "20260302T0930", "20260302T253000", "2026030T093000", "x"] {
            assert_eq!(parse_date_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn durations_keep_days_apart_from_hours() {
        assert_eq!(parse_duration("PT1H30M"), Some(Duration { days: 0, exact: SignedDuration::from_mins(90) }));
        assert_eq!(parse_duration("P1W"), Some(Duration { days: 7, exact: SignedDuration::ZERO }));
        assert_eq!(parse_duration("-P1DT2H"), Some(Duration { days: -1, exact: SignedDuration::from_hours(-2) }));
        assert_eq!(parse_duration("P0D"), Some(Duration { days: 0, exact: SignedDuration::ZERO }));
        for bad in ["", "P", "PT", "1H", "PT1D", "P1H", "PTXH", "P9999999999D"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_windows_name_maps_to_a_zone_jiff_knows() {
        for (windows, iana) in WINDOWS_ZONES {
            assert!(TimeZone::get(iana).is_ok(), "{windows} → {iana}");
        }
        assert_eq!(windows_zone("w. europe standard time"), Some("Europe/Berlin"));
    }

    #[test]
    fn vendor_prefixed_and_windows_names_resolve() {
        let ny = TimeZone::get("America/New_York").unwrap();
        let at = date(2026, 7, 1).at(12, 0, 0, 0);
        for name in ["America/New_York", "/mozilla.org/20050126_1/America/New_York", "Eastern Standard Time"] {
            let zone = known_zone(name).unwrap();
            assert_eq!(instant(at, &zone), instant(at, &ny), "{name}");
        }
        assert!(known_zone("Mars/Olympus_Mons").is_none());
    }

    fn zones_of(text: &str) -> Vec<Component> {
        content::parse(text).unwrap()
    }

    #[test]
    fn a_custom_outlook_zone_is_read_from_its_vtimezone() {
        let calendars = zones_of(
            "BEGIN:VCALENDAR\r\n\
             BEGIN:VTIMEZONE\r\n\
             TZID:Customized Time Zone\r\n\
             BEGIN:STANDARD\r\n\
             DTSTART:16010101T030000\r\n\
             TZOFFSETFROM:+0200\r\n\
             TZOFFSETTO:+0100\r\n\
             RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r\n\
             END:STANDARD\r\n\
             BEGIN:DAYLIGHT\r\n\
             DTSTART:16010101T020000\r\n\
             TZOFFSETFROM:+0100\r\n\
             TZOFFSETTO:+0200\r\n\
             RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r\n\
             END:DAYLIGHT\r\n\
             END:VTIMEZONE\r\n\
             END:VCALENDAR\r\n",
        );
        let mut zones = Zones::new(TimeZone::UTC, &calendars);
        let custom = zones.get("Customized Time Zone").unwrap();
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        // Either side of both 2026 changes (29 March, 25 October), and inside the autumn fold.
        for civil in [
            date(2026, 3, 29).at(1, 59, 0, 0),
            date(2026, 3, 29).at(3, 0, 0, 0),
            date(2026, 10, 25).at(2, 30, 0, 0),
            date(2026, 10, 25).at(3, 0, 0, 0),
            date(2026, 12, 1).at(9, 0, 0, 0),
        ] {
            assert_eq!(instant(civil, &custom), instant(civil, &berlin), "{civil}");
        }
        let unknown = zones.get("Somewhere Else").unwrap_err();
        assert!(unknown.contains("unknown time zone \"Somewhere Else\""), "{unknown}");
    }

    #[test]
    fn a_zone_without_daylight_saving_and_the_old_us_style_rules_are_read() {
        let calendars = zones_of(
            "BEGIN:VCALENDAR\n\
             BEGIN:VTIMEZONE\nTZID:India\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0530\n\
             TZOFFSETTO:+0530\nEND:STANDARD\nEND:VTIMEZONE\n\
             BEGIN:VTIMEZONE\nTZID:US-Eastern\n\
             BEGIN:STANDARD\nDTSTART:19671029T020000\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTHDAY=1,2,3,4,5,6,7;BYMONTH=11\n\
             TZOFFSETFROM:-0400\nTZOFFSETTO:-0500\nEND:STANDARD\n\
             BEGIN:DAYLIGHT\nDTSTART:19870405T020000\nRRULE:FREQ=YEARLY;BYDAY=SU;BYMONTHDAY=8,9,10,11,12,13,14;BYMONTH=3\n\
             TZOFFSETFROM:-0500\nTZOFFSETTO:-0400\nEND:DAYLIGHT\nEND:VTIMEZONE\n\
             END:VCALENDAR\n",
        );
        let mut zones = Zones::new(TimeZone::UTC, &calendars);
        let india = zones.get("India").unwrap();
        assert_eq!(instant(date(2026, 6, 1).at(9, 0, 0, 0), &india).unwrap().to_string(), "2026-06-01T03:30:00Z");
        let eastern = zones.get("US-Eastern").unwrap();
        let ny = TimeZone::get("America/New_York").unwrap();
        for civil in
            [date(2026, 3, 8).at(1, 0, 0, 0), date(2026, 3, 8).at(3, 0, 0, 0), date(2026, 11, 1).at(3, 0, 0, 0)]
        {
            assert_eq!(instant(civil, &eastern), instant(civil, &ny), "{civil}");
        }
    }

    #[test]
    fn offsets_in_posix_count_west() {
        assert_eq!(posix_offset(-5 * 3600), "5");
        assert_eq!(posix_offset(5 * 3600 + 30 * 60), "-5:30");
        assert_eq!(posix_offset(0), "0");
        assert_eq!(parse_offset("+0545"), Some(5 * 3600 + 45 * 60));
        assert_eq!(parse_offset("0100"), None);
    }
}
