//! A host's availability policy: when, how long and how often they are willing to meet.
//!
//! Windows are wall-clock times in the host's own time zone; the slot engine turns them into instants
//! day by day, so a 07:30 window stays 07:30 local on both sides of a daylight-saving change.

use std::fmt;

use jiff::civil::Time;

use crate::validation::FieldErrors;
use crate::zone::TimeZoneName;

/// A day of the week, written `"mon"` .. `"sun"` in the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub const ALL: [Weekday; 7] =
        [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];

    pub fn as_str(self) -> &'static str {
        match self {
            Weekday::Mon => "mon",
            Weekday::Tue => "tue",
            Weekday::Wed => "wed",
            Weekday::Thu => "thu",
            Weekday::Fri => "fri",
            Weekday::Sat => "sat",
            Weekday::Sun => "sun",
        }
    }

    /// The English name, for pages.
    pub fn label(self) -> &'static str {
        match self {
            Weekday::Mon => "Monday",
            Weekday::Tue => "Tuesday",
            Weekday::Wed => "Wednesday",
            Weekday::Thu => "Thursday",
            Weekday::Fri => "Friday",
            Weekday::Sat => "Saturday",
            Weekday::Sun => "Sunday",
        }
    }

    /// # Errors
    /// A message when `raw` is not one of `mon`..`sun`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let lower = raw.trim().to_ascii_lowercase();
        Weekday::ALL
            .into_iter()
            .find(|day| day.as_str() == lower)
            .ok_or_else(|| format!("'{raw}' is not a weekday; use mon, tue, wed, thu, fri, sat or sun"))
    }

    pub fn from_jiff(day: jiff::civil::Weekday) -> Self {
        Weekday::ALL[usize::from(day.to_monday_zero_offset().unsigned_abs())]
    }

    pub fn to_jiff(self) -> jiff::civil::Weekday {
        match self {
            Weekday::Mon => jiff::civil::Weekday::Monday,
            Weekday::Tue => jiff::civil::Weekday::Tuesday,
            Weekday::Wed => jiff::civil::Weekday::Wednesday,
            Weekday::Thu => jiff::civil::Weekday::Thursday,
            Weekday::Fri => jiff::civil::Weekday::Friday,
            Weekday::Sat => jiff::civil::Weekday::Saturday,
            Weekday::Sun => jiff::civil::Weekday::Sunday,
        }
    }
}

/// The meeting lengths Coffeechat offers: short, by design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MeetingLength {
    Min15,
    Min20,
    Min30,
    Min45,
}

impl MeetingLength {
    pub const ALL: [MeetingLength; 4] =
        [MeetingLength::Min15, MeetingLength::Min20, MeetingLength::Min30, MeetingLength::Min45];

    pub fn minutes(self) -> u16 {
        match self {
            MeetingLength::Min15 => 15,
            MeetingLength::Min20 => 20,
            MeetingLength::Min30 => 30,
            MeetingLength::Min45 => 45,
        }
    }

    /// # Errors
    /// A message when `minutes` is not 15, 20, 30 or 45.
    pub fn from_minutes(minutes: i64) -> Result<Self, String> {
        MeetingLength::ALL
            .into_iter()
            .find(|length| i64::from(length.minutes()) == minutes)
            .ok_or_else(|| format!("{minutes} minutes is not offered; use 15, 20, 30 or 45"))
    }

    pub fn span(self) -> jiff::SignedDuration {
        jiff::SignedDuration::from_mins(i64::from(self.minutes()))
    }
}

impl fmt::Display for MeetingLength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} min", self.minutes())
    }
}

impl serde::Serialize for MeetingLength {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u16(self.minutes())
    }
}

/// Parses `"HH:MM"` (24-hour wall-clock time).
///
/// # Errors
/// A message when the text is not a valid time of day.
pub fn parse_wall_clock(raw: &str) -> Result<Time, String> {
    let raw = raw.trim();
    let bad = || format!("'{raw}' is not a time; use HH:MM, e.g. 07:30");
    let (hours, minutes) = raw.split_once(':').ok_or_else(bad)?;
    if hours.is_empty() || hours.len() > 2 || minutes.len() != 2 {
        return Err(bad());
    }
    let hours: i8 = hours.parse().map_err(|_| bad())?;
    let minutes: i8 = minutes.parse().map_err(|_| bad())?;
    Time::new(hours, minutes, 0, 0).map_err(|_| bad())
}

/// A weekly window of availability in the host's wall-clock time, `start < end` on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalWindow {
    pub weekday: Weekday,
    pub start: Time,
    pub end: Time,
}

impl LocalWindow {
    /// `"HH:MM"` of the start.
    pub fn start_text(&self) -> String {
        self.start.strftime("%H:%M").to_string()
    }

    /// `"HH:MM"` of the end.
    pub fn end_text(&self) -> String {
        self.end.strftime("%H:%M").to_string()
    }
}

impl serde::Serialize for LocalWindow {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        WindowInput { weekday: self.weekday.as_str().into(), start: self.start_text(), end: self.end_text() }
            .serialize(serializer)
    }
}

/// A window as submitted, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WindowInput {
    pub weekday: String,
    pub start: String,
    pub end: String,
}

/// A validated host policy.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HostPolicy {
    pub time_zone: TimeZoneName,
    /// Offered lengths, ascending, without repeats, never empty.
    pub lengths: Vec<MeetingLength>,
    /// Sorted by weekday then start; windows of one day never overlap.
    pub windows: Vec<LocalWindow>,
    /// At most this many interviews start in one calendar month of the host's zone (1–100).
    pub monthly_cap: u32,
    /// Free time kept before and after every interview, in minutes (0–120).
    pub buffer_minutes: u32,
    /// No slot starts sooner than this many hours from now (0–720).
    pub min_notice_hours: u32,
    /// No slot starts later than this many days from now (1–365).
    pub horizon_days: u32,
    /// When false, the host's page shows no slots and takes no requests.
    pub accepting: bool,
    /// At most this many interviews start on one local day (1–20); `None`: no daily cap.
    pub daily_cap: Option<u32>,
    /// At most this many interviews start in one local week (1–100); `None`: no weekly cap.
    pub weekly_cap: Option<u32>,
    /// The day a week starts on, for the weekly cap.
    pub week_start: Weekday,
    /// Minutes between possible slot starts (5, 10, 15 or 30); `None`: the meeting length.
    pub slot_increment_minutes: Option<u32>,
    /// A pending request holds its proposed slots for this many hours after it was sent (0–168).
    pub hold_hours: u32,
    /// Whether pending requests count towards the caps, as accepted interviews do.
    pub count_pending: bool,
    /// Rescheduling an interview needs at least this many hours' notice (0–720).
    pub reschedule_notice_hours: u32,
}

impl HostPolicy {
    pub const MAX_MONTHLY_CAP: u32 = 100;

    /// A sensible starting policy for a new host: early mornings and end of day on weekdays.
    pub fn starter(time_zone: TimeZoneName) -> Self {
        let at = |h, m| Time::constant(h, m, 0, 0);
        let mut windows = Vec::new();
        for weekday in [Weekday::Tue, Weekday::Thu] {
            windows.push(LocalWindow { weekday, start: at(8, 0), end: at(9, 0) });
            windows.push(LocalWindow { weekday, start: at(17, 0), end: at(18, 0) });
        }
        Self {
            time_zone,
            lengths: vec![MeetingLength::Min20, MeetingLength::Min30],
            windows,
            monthly_cap: 4,
            buffer_minutes: 10,
            min_notice_hours: 48,
            horizon_days: 30,
            accepting: true,
            daily_cap: None,
            weekly_cap: None,
            week_start: Weekday::Mon,
            slot_increment_minutes: None,
            hold_hours: 24,
            count_pending: false,
            reschedule_notice_hours: 24,
        }
    }

    /// The step between possible slot starts for a meeting of `length`.
    pub fn slot_increment(&self, length: MeetingLength) -> jiff::SignedDuration {
        let minutes = self.slot_increment_minutes.unwrap_or(u32::from(length.minutes()));
        jiff::SignedDuration::from_mins(i64::from(minutes))
    }

    pub fn hold(&self) -> jiff::SignedDuration {
        jiff::SignedDuration::from_hours(i64::from(self.hold_hours))
    }

    pub fn reschedule_notice(&self) -> jiff::SignedDuration {
        jiff::SignedDuration::from_hours(i64::from(self.reschedule_notice_hours))
    }

    pub fn offers(&self, length: MeetingLength) -> bool {
        self.lengths.contains(&length)
    }

    /// The windows of one weekday, in order.
    pub fn windows_on(&self, weekday: Weekday) -> impl Iterator<Item = &LocalWindow> {
        self.windows.iter().filter(move |window| window.weekday == weekday)
    }

    pub fn buffer(&self) -> jiff::SignedDuration {
        jiff::SignedDuration::from_mins(i64::from(self.buffer_minutes))
    }

    pub fn min_notice(&self) -> jiff::SignedDuration {
        jiff::SignedDuration::from_hours(i64::from(self.min_notice_hours))
    }

    pub fn horizon(&self) -> jiff::SignedDuration {
        jiff::SignedDuration::from_hours(24 * i64::from(self.horizon_days))
    }
}

/// A policy as submitted by a form or the API, before validation. Field names are the API's.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PolicyInput {
    pub time_zone: String,
    pub lengths_minutes: Vec<i64>,
    pub windows: Vec<WindowInput>,
    pub monthly_cap: i64,
    pub buffer_minutes: i64,
    pub min_notice_hours: i64,
    pub horizon_days: i64,
    pub accepting: bool,
    /// Optional caps: absent or null means none.
    #[serde(default)]
    pub daily_cap: Option<i64>,
    #[serde(default)]
    pub weekly_cap: Option<i64>,
    /// `"mon"` .. `"sun"`; absent means Monday.
    #[serde(default = "default_week_start")]
    pub week_start: String,
    /// 5, 10, 15 or 30; absent or null means "the meeting length".
    #[serde(default)]
    pub slot_increment_minutes: Option<i64>,
    #[serde(default = "default_hold_hours")]
    pub hold_hours: i64,
    #[serde(default)]
    pub count_pending: bool,
    #[serde(default = "default_reschedule_notice_hours")]
    pub reschedule_notice_hours: i64,
}

fn default_week_start() -> String {
    Weekday::Mon.as_str().to_owned()
}

fn default_hold_hours() -> i64 {
    24
}

fn default_reschedule_notice_hours() -> i64 {
    24
}

/// The slot start steps a host may choose instead of "the meeting length".
pub const SLOT_INCREMENTS: [u32; 4] = [5, 10, 15, 30];

fn bounded(value: i64, min: i64, max: i64) -> Result<u32, String> {
    if (min..=max).contains(&value) {
        u32::try_from(value).map_err(|_| format!("must be between {min} and {max}"))
    } else {
        Err(format!("must be between {min} and {max}"))
    }
}

impl PolicyInput {
    /// # Errors
    /// Every field that breaks a rule, with its message; window errors are named `windows[i].start` etc.
    pub fn validate(&self) -> Result<HostPolicy, FieldErrors> {
        let mut errors = FieldErrors::new();
        let time_zone = errors.check("time_zone", TimeZoneName::parse(&self.time_zone));

        let mut lengths = Vec::new();
        for minutes in &self.lengths_minutes {
            match MeetingLength::from_minutes(*minutes) {
                Ok(length) if !lengths.contains(&length) => lengths.push(length),
                Ok(_) => {}
                Err(message) => errors.add("lengths_minutes", message),
            }
        }
        lengths.sort();
        if lengths.is_empty() {
            errors.add("lengths_minutes", "offer at least one length: 15, 20, 30 or 45 minutes");
        }

        let mut windows: Vec<(usize, LocalWindow)> = Vec::new();
        for (index, window) in self.windows.iter().enumerate() {
            let field = |name: &str| format!("windows[{index}].{name}");
            let weekday = errors.check(&field("weekday"), Weekday::parse(&window.weekday));
            let start = errors.check(&field("start"), parse_wall_clock(&window.start));
            let end = errors.check(&field("end"), parse_wall_clock(&window.end));
            if let (Some(weekday), Some(start), Some(end)) = (weekday, start, end) {
                if end <= start {
                    errors.add(field("end"), format!("must be after the start ({})", window.start.trim()));
                } else {
                    windows.push((index, LocalWindow { weekday, start, end }));
                }
            }
        }
        windows.sort_by_key(|(_, window)| *window);
        for pair in windows.windows(2) {
            let (_, earlier) = pair[0];
            let (index, later) = pair[1];
            if earlier.weekday == later.weekday && later.start < earlier.end {
                errors.add(
                    format!("windows[{index}].start"),
                    format!(
                        "overlaps the {} window {}–{}",
                        earlier.weekday.label(),
                        earlier.start_text(),
                        earlier.end_text()
                    ),
                );
            }
        }

        let monthly_cap =
            errors.check("monthly_cap", bounded(self.monthly_cap, 1, i64::from(HostPolicy::MAX_MONTHLY_CAP)));
        let buffer_minutes = errors.check("buffer_minutes", bounded(self.buffer_minutes, 0, 120));
        let min_notice_hours = errors.check("min_notice_hours", bounded(self.min_notice_hours, 0, 720));
        let horizon_days = errors.check("horizon_days", bounded(self.horizon_days, 1, 365));
        let daily_cap = self.daily_cap.and_then(|cap| errors.check("daily_cap", bounded(cap, 1, 20)));
        let weekly_cap = self.weekly_cap.and_then(|cap| errors.check("weekly_cap", bounded(cap, 1, 100)));
        let week_start = errors.check("week_start", Weekday::parse(&self.week_start));
        let slot_increment_minutes = self.slot_increment_minutes.and_then(|minutes| {
            let allowed = u32::try_from(minutes).ok().filter(|m| SLOT_INCREMENTS.contains(m));
            errors.check(
                "slot_increment_minutes",
                allowed.ok_or_else(|| {
                    format!("{minutes} is not offered; use 5, 10, 15 or 30 (or leave empty for the meeting length)")
                }),
            )
        });
        let hold_hours = errors.check("hold_hours", bounded(self.hold_hours, 0, 168));
        let reschedule_notice_hours =
            errors.check("reschedule_notice_hours", bounded(self.reschedule_notice_hours, 0, 720));

        match (
            time_zone,
            monthly_cap,
            buffer_minutes,
            min_notice_hours,
            horizon_days,
            week_start,
            hold_hours,
            reschedule_notice_hours,
        ) {
            (
                Some(time_zone),
                Some(monthly_cap),
                Some(buffer_minutes),
                Some(min_notice_hours),
                Some(horizon_days),
                Some(week_start),
                Some(hold_hours),
                Some(reschedule_notice_hours),
            ) if errors.is_empty() => Ok(HostPolicy {
                time_zone,
                lengths,
                windows: windows.into_iter().map(|(_, window)| window).collect(),
                monthly_cap,
                buffer_minutes,
                min_notice_hours,
                horizon_days,
                accepting: self.accepting,
                daily_cap,
                weekly_cap,
                week_start,
                slot_increment_minutes,
                hold_hours,
                count_pending: self.count_pending,
                reschedule_notice_hours,
            }),
            _ => Err(errors),
        }
    }
}

/// The starter policy in UTC, so callers can write `PolicyInput { monthly_cap: 6, ..PolicyInput::default() }`.
impl Default for PolicyInput {
    fn default() -> Self {
        PolicyInput::from(&HostPolicy::starter(TimeZoneName::utc()))
    }
}

impl From<&HostPolicy> for PolicyInput {
    fn from(policy: &HostPolicy) -> Self {
        Self {
            time_zone: policy.time_zone.as_str().to_owned(),
            lengths_minutes: policy.lengths.iter().map(|length| i64::from(length.minutes())).collect(),
            windows: policy
                .windows
                .iter()
                .map(|window| WindowInput {
                    weekday: window.weekday.as_str().into(),
                    start: window.start_text(),
                    end: window.end_text(),
                })
                .collect(),
            monthly_cap: i64::from(policy.monthly_cap),
            buffer_minutes: i64::from(policy.buffer_minutes),
            min_notice_hours: i64::from(policy.min_notice_hours),
            horizon_days: i64::from(policy.horizon_days),
            accepting: policy.accepting,
            daily_cap: policy.daily_cap.map(i64::from),
            weekly_cap: policy.weekly_cap.map(i64::from),
            week_start: policy.week_start.as_str().to_owned(),
            slot_increment_minutes: policy.slot_increment_minutes.map(i64::from),
            hold_hours: i64::from(policy.hold_hours),
            count_pending: policy.count_pending,
            reschedule_notice_hours: i64::from(policy.reschedule_notice_hours),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(weekday: &str, start: &str, end: &str) -> WindowInput {
        WindowInput { weekday: weekday.into(), start: start.into(), end: end.into() }
    }

    fn input() -> PolicyInput {
        PolicyInput {
            time_zone: "America/New_York".into(),
            lengths_minutes: vec![30, 20, 20],
            windows: vec![
                window("mon", "17:00", "18:00"),
                window("mon", "07:30", "08:30"),
                window("fri", "07:30", "08:30"),
            ],
            monthly_cap: 5,
            buffer_minutes: 10,
            min_notice_hours: 24,
            horizon_days: 28,
            accepting: true,
            daily_cap: Some(2),
            weekly_cap: None,
            week_start: "sun".into(),
            slot_increment_minutes: Some(15),
            hold_hours: 24,
            count_pending: true,
            reschedule_notice_hours: 12,
        }
    }

    #[test]
    fn a_valid_policy_is_normalised() {
        let policy = input().validate().unwrap();
        assert_eq!(policy.lengths, vec![MeetingLength::Min20, MeetingLength::Min30]);
        assert_eq!(policy.windows[0].start_text(), "07:30");
        assert_eq!(policy.windows[1].start_text(), "17:00");
        assert_eq!(policy.windows_on(Weekday::Mon).count(), 2);
        assert_eq!(PolicyInput::from(&policy).validate().unwrap(), policy);
    }

    #[test]
    fn each_bad_field_is_named() {
        type Mutation = Box<dyn Fn(&mut PolicyInput)>;
        let cases: Vec<(&str, Mutation)> = vec![
            ("time_zone", Box::new(|p| p.time_zone = "Nowhere/Special".into())),
            ("lengths_minutes", Box::new(|p| p.lengths_minutes = vec![25])),
            ("lengths_minutes", Box::new(|p| p.lengths_minutes = vec![])),
            ("windows[0].end", Box::new(|p| p.windows = vec![window("mon", "09:00", "08:00")])),
            ("windows[0].weekday", Box::new(|p| p.windows = vec![window("funday", "09:00", "10:00")])),
            ("windows[0].start", Box::new(|p| p.windows = vec![window("mon", "25:00", "26:00")])),
            (
                "windows[1].start",
                Box::new(|p| p.windows = vec![window("tue", "09:00", "10:00"), window("tue", "09:30", "11:00")]),
            ),
            ("monthly_cap", Box::new(|p| p.monthly_cap = 0)),
            ("monthly_cap", Box::new(|p| p.monthly_cap = 101)),
            ("buffer_minutes", Box::new(|p| p.buffer_minutes = -1)),
            ("horizon_days", Box::new(|p| p.horizon_days = 0)),
            ("daily_cap", Box::new(|p| p.daily_cap = Some(0))),
            ("weekly_cap", Box::new(|p| p.weekly_cap = Some(101))),
            ("week_start", Box::new(|p| p.week_start = "someday".into())),
            ("slot_increment_minutes", Box::new(|p| p.slot_increment_minutes = Some(7))),
            ("hold_hours", Box::new(|p| p.hold_hours = 169)),
            ("reschedule_notice_hours", Box::new(|p| p.reschedule_notice_hours = -1)),
        ];
        for (field, mutate) in cases {
            let mut bad = input();
            mutate(&mut bad);
            let errors = bad.validate().unwrap_err();
            assert!(errors.get(field).is_some(), "expected an error on {field}, got {errors}");
        }
    }

    #[test]
    fn scheduling_fields_default_when_absent() {
        let json = r#"{"time_zone": "Europe/London", "lengths_minutes": [20], "windows": [], "monthly_cap": 4,
            "buffer_minutes": 0, "min_notice_hours": 0, "horizon_days": 30, "accepting": true}"#;
        let input: PolicyInput = serde_json::from_str(json).unwrap();
        let policy = input.validate().unwrap();
        assert_eq!(policy.week_start, Weekday::Mon);
        assert_eq!((policy.daily_cap, policy.weekly_cap, policy.slot_increment_minutes), (None, None, None));
        assert_eq!(policy.slot_increment(MeetingLength::Min20), jiff::SignedDuration::from_mins(20));
        assert!(!policy.count_pending);
    }

    #[test]
    fn adjacent_windows_do_not_overlap() {
        let mut ok = input();
        ok.windows = vec![window("wed", "07:00", "08:00"), window("wed", "08:00", "09:00")];
        assert!(ok.validate().is_ok());
    }

    #[test]
    fn wall_clock_times_parse_strictly() {
        assert_eq!(parse_wall_clock("7:05").unwrap(), Time::constant(7, 5, 0, 0));
        for bad in ["", "7", "07:5", "24:00", "ab:cd", "07:60"] {
            assert!(parse_wall_clock(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn weekdays_round_trip_with_jiff() {
        for day in Weekday::ALL {
            assert_eq!(Weekday::from_jiff(day.to_jiff()), day);
        }
    }
}
