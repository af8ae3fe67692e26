//! Interviews: an accepted request with a fixed time, and the states it can be in.

use crate::Error;
use crate::validation::required_text;

/// Where an interview stands. Whether it is upcoming or past follows from its times and the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InterviewStatus {
    Scheduled,
    Cancelled,
}

impl InterviewStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            InterviewStatus::Scheduled => "scheduled",
            InterviewStatus::Cancelled => "cancelled",
        }
    }

    /// # Errors
    /// A message when `raw` is not a known status.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "scheduled" => Ok(InterviewStatus::Scheduled),
            "cancelled" => Ok(InterviewStatus::Cancelled),
            other => Err(format!("'{other}' is not an interview status")),
        }
    }

    /// # Errors
    /// [`Error::Transition`] when it is already cancelled.
    pub fn cancel(self) -> Result<InterviewStatus, Error> {
        match self {
            InterviewStatus::Scheduled => Ok(InterviewStatus::Cancelled),
            InterviewStatus::Cancelled => {
                Err(Error::Transition { entity: "interview", from: "cancelled", action: "cancel" })
            }
        }
    }

    /// Whether it still holds the host's time.
    pub fn is_active(self) -> bool {
        self == InterviewStatus::Scheduled
    }
}

/// The reason given when either side cancels: required, so the other side is never left guessing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct CancelReason(String);

impl CancelReason {
    /// # Errors
    /// A message when it is blank or over 500 characters.
    pub fn parse(raw: &str) -> Result<Self, String> {
        required_text(raw, 500).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancelling_twice_is_refused() {
        let cancelled = InterviewStatus::Scheduled.cancel().unwrap();
        assert!(!cancelled.is_active());
        assert_eq!(cancelled.cancel().unwrap_err().to_string(), "cannot cancel a cancelled interview");
    }

    #[test]
    fn reasons_are_required() {
        assert!(CancelReason::parse("  ").is_err());
        assert_eq!(CancelReason::parse(" Sick today ").unwrap().as_str(), "Sick today");
    }
}
