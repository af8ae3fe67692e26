//! IANA time zones, parsed once at the edge.

use std::fmt;

use jiff::tz::TimeZone;

/// A valid IANA time zone name (`"Europe/London"`) together with its rules.
#[derive(Clone, PartialEq, Eq)]
pub struct TimeZoneName {
    name: String,
    zone: TimeZone,
}

impl TimeZoneName {
    /// Looks the name up in the time zone database bundled into the binary.
    ///
    /// # Errors
    /// A message when the name is empty or not a known IANA zone.
    pub fn parse(name: &str) -> Result<Self, String> {
        let name = name.trim();
        if name.is_empty() {
            return Err("is required".into());
        }
        let zone = TimeZone::get(name).map_err(|_| format!("'{name}' is not a known IANA time zone"))?;
        // Keep the canonical spelling of the database where it has one.
        let name = zone.iana_name().unwrap_or(name).to_owned();
        Ok(Self { name, zone })
    }

    /// UTC, the zone of last resort.
    pub fn utc() -> Self {
        Self { name: "UTC".into(), zone: TimeZone::UTC }
    }

    pub fn as_str(&self) -> &str {
        &self.name
    }

    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }
}

impl fmt::Debug for TimeZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TimeZoneName({})", self.name)
    }
}

impl fmt::Display for TimeZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl serde::Serialize for TimeZoneName {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_zones_parse() {
        assert_eq!(TimeZoneName::parse("Europe/London").unwrap().as_str(), "Europe/London");
        assert_eq!(TimeZoneName::parse(" Asia/Kolkata ").unwrap().as_str(), "Asia/Kolkata");
    }

    #[test]
    fn unknown_zones_are_rejected() {
        assert!(TimeZoneName::parse("Mars/Olympus").unwrap_err().contains("Mars/Olympus"));
        assert!(TimeZoneName::parse("").is_err());
    }
}
