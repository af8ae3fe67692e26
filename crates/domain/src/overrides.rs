//! Date overrides: days when a host's usual weekly windows do not apply (other hours, a day off, a trip).

use jiff::civil::{Date, Time};

use crate::policy::parse_wall_clock;
use crate::validation::FieldErrors;

/// Wall-clock hours on a day, `start < end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeRange {
    pub start: Time,
    pub end: Time,
}

impl TimeRange {
    pub fn start_text(&self) -> String {
        self.start.strftime("%H:%M").to_string()
    }

    pub fn end_text(&self) -> String {
        self.end.strftime("%H:%M").to_string()
    }
}

impl serde::Serialize for TimeRange {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        TimeRangeInput { start: self.start_text(), end: self.end_text() }.serialize(serializer)
    }
}

/// For every date in `from..=to` (host-local), `windows` replace the weekly windows; no windows = unavailable.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DateOverride {
    pub from: Date,
    pub to: Date,
    /// Sorted, non-overlapping; empty means the host is off on these dates.
    pub windows: Vec<TimeRange>,
}

impl DateOverride {
    /// The longest range one override may cover: a year, so a typo cannot close a calendar for decades.
    pub const MAX_DAYS: i32 = 366;

    pub fn covers(&self, date: Date) -> bool {
        self.from <= date && date <= self.to
    }

    pub fn is_day_off(&self) -> bool {
        self.windows.is_empty()
    }

    /// The hours in words, `"07:00–07:45, 17:00–18:00"`; `None` on a day off.
    pub fn hours_text(&self) -> Option<String> {
        (!self.is_day_off()).then(|| {
            self.windows
                .iter()
                .map(|window| format!("{}–{}", window.start_text(), window.end_text()))
                .collect::<Vec<_>>()
                .join(", ")
        })
    }

    /// Whether two overrides share a date.
    pub fn overlaps(&self, other: &DateOverride) -> bool {
        self.from <= other.to && other.from <= self.to
    }
}

/// Hours as submitted (`"HH:MM"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TimeRangeInput {
    pub start: String,
    pub end: String,
}

/// An override as submitted by a form or the API (`from`/`to` as `YYYY-MM-DD`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OverrideInput {
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub windows: Vec<TimeRangeInput>,
}

fn parse_date(raw: &str) -> Result<Date, String> {
    raw.trim().parse::<Date>().map_err(|_| format!("'{}' is not a date; use YYYY-MM-DD", raw.trim()))
}

impl OverrideInput {
    /// An empty `to` means a single day (`from`).
    ///
    /// # Errors
    /// Every field that breaks a rule: dates that don't parse, `to` before `from`, a range over a year,
    /// windows that end before they start or overlap (named `windows[i].start`/`.end`).
    pub fn validate(&self) -> Result<DateOverride, FieldErrors> {
        let mut errors = FieldErrors::new();
        let from = errors.check("from", parse_date(&self.from));
        let to = if self.to.trim().is_empty() { from.map(Ok) } else { Some(parse_date(&self.to)) }
            .and_then(|result| errors.check("to", result));
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                errors.add("to", format!("must not be before the start date ({from})"));
            } else if from.until(to).map(|span| span.get_days()).unwrap_or(i32::MAX) >= DateOverride::MAX_DAYS {
                errors.add("to", format!("an override covers at most {} days", DateOverride::MAX_DAYS));
            }
        }
        let mut windows: Vec<(usize, TimeRange)> = Vec::new();
        for (index, window) in self.windows.iter().enumerate() {
            let start = errors.check(&format!("windows[{index}].start"), parse_wall_clock(&window.start));
            let end = errors.check(&format!("windows[{index}].end"), parse_wall_clock(&window.end));
            if let (Some(start), Some(end)) = (start, end) {
                if end <= start {
                    errors.add(
                        format!("windows[{index}].end"),
                        format!("must be after the start ({})", window.start.trim()),
                    );
                } else {
                    windows.push((index, TimeRange { start, end }));
                }
            }
        }
        windows.sort_by_key(|(_, range)| *range);
        for pair in windows.windows(2) {
            let (_, earlier) = pair[0];
            let (index, later) = pair[1];
            if later.start < earlier.end {
                errors.add(
                    format!("windows[{index}].start"),
                    format!("overlaps the window {}–{}", earlier.start_text(), earlier.end_text()),
                );
            }
        }
        match (from, to) {
            (Some(from), Some(to)) if errors.is_empty() => {
                Ok(DateOverride { from, to, windows: windows.into_iter().map(|(_, range)| range).collect() })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(start: &str, end: &str) -> TimeRangeInput {
        TimeRangeInput { start: start.into(), end: end.into() }
    }

    #[test]
    fn a_single_day_with_other_hours() {
        let input =
            OverrideInput { from: "2026-12-24".into(), to: String::new(), windows: vec![range("10:00", "11:00")] };
        let date_override = input.validate().unwrap();
        assert_eq!(date_override.from, date_override.to);
        assert!(date_override.covers(jiff::civil::date(2026, 12, 24)));
        assert!(!date_override.covers(jiff::civil::date(2026, 12, 25)));
        assert!(!date_override.is_day_off());
        assert_eq!(date_override.hours_text().as_deref(), Some("10:00–11:00"));
    }

    #[test]
    fn a_range_off() {
        let input = OverrideInput { from: "2026-12-24".into(), to: "2027-01-02".into(), windows: vec![] };
        let holiday = input.validate().unwrap();
        assert!(holiday.is_day_off());
        assert_eq!(holiday.hours_text(), None);
        assert!(holiday.covers(jiff::civil::date(2027, 1, 1)));
    }

    #[test]
    fn bad_overrides_name_their_fields() {
        let backwards = OverrideInput { from: "2026-12-24".into(), to: "2026-12-20".into(), windows: vec![] };
        assert!(backwards.validate().unwrap_err().get("to").unwrap().contains("before"));
        let garbled = OverrideInput { from: "Christmas".into(), to: String::new(), windows: vec![] };
        assert!(garbled.validate().unwrap_err().get("from").is_some());
        let too_long = OverrideInput { from: "2026-01-01".into(), to: "2027-06-01".into(), windows: vec![] };
        assert!(too_long.validate().unwrap_err().get("to").is_some());
        let inverted =
            OverrideInput { from: "2026-12-24".into(), to: String::new(), windows: vec![range("11:00", "10:00")] };
        assert!(inverted.validate().unwrap_err().get("windows[0].end").is_some());
        let overlapping = OverrideInput {
            from: "2026-12-24".into(),
            to: String::new(),
            windows: vec![range("10:00", "11:00"), range("10:30", "12:00")],
        };
        assert!(overlapping.validate().unwrap_err().get("windows[1].start").is_some());
    }

    #[test]
    fn overlapping_overrides_are_detected() {
        let a =
            OverrideInput { from: "2026-12-24".into(), to: "2026-12-26".into(), windows: vec![] }.validate().unwrap();
        let b = OverrideInput { from: "2026-12-26".into(), to: String::new(), windows: vec![] }.validate().unwrap();
        let c = OverrideInput { from: "2026-12-27".into(), to: String::new(), windows: vec![] }.validate().unwrap();
        assert!(a.overlaps(&b));
        assert!(!a.overlaps(&c));
    }
}
