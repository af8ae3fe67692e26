//! Requests for a conversation: what a seeker sends, and the states a request moves through.

use jiff::Timestamp;

use crate::Error;
use crate::host::Handle;
use crate::policy::MeetingLength;
use crate::validation::{FieldErrors, optional_text, required_text, text_list};

/// Where a request stands. Only a pending request can change, and only once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestStatus {
    /// Waiting for the host.
    Pending,
    /// The host chose one of the proposed slots; an interview exists.
    Accepted,
    /// The host said no, with a reason.
    Declined,
    /// The seeker took it back.
    Withdrawn,
    /// Nobody answered in time.
    Expired,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 5] = [
        RequestStatus::Pending,
        RequestStatus::Accepted,
        RequestStatus::Declined,
        RequestStatus::Withdrawn,
        RequestStatus::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Pending => "pending",
            RequestStatus::Accepted => "accepted",
            RequestStatus::Declined => "declined",
            RequestStatus::Withdrawn => "withdrawn",
            RequestStatus::Expired => "expired",
        }
    }

    /// # Errors
    /// A message when `raw` is not a known status (a corrupt row, or a bad filter).
    pub fn parse(raw: &str) -> Result<Self, String> {
        RequestStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| format!("'{raw}' is not a request status"))
    }

    fn transition(self, action: &'static str, to: RequestStatus) -> Result<RequestStatus, Error> {
        if self == RequestStatus::Pending {
            Ok(to)
        } else {
            Err(Error::Transition { entity: "request", from: self.as_str(), action })
        }
    }

    /// # Errors
    /// [`Error::Transition`] unless the request is pending.
    pub fn accept(self) -> Result<RequestStatus, Error> {
        self.transition("accept", RequestStatus::Accepted)
    }

    /// # Errors
    /// [`Error::Transition`] unless the request is pending.
    pub fn decline(self) -> Result<RequestStatus, Error> {
        self.transition("decline", RequestStatus::Declined)
    }

    /// # Errors
    /// [`Error::Transition`] unless the request is pending.
    pub fn withdraw(self) -> Result<RequestStatus, Error> {
        self.transition("withdraw", RequestStatus::Withdrawn)
    }

    /// # Errors
    /// [`Error::Transition`] unless the request is pending.
    pub fn expire(self) -> Result<RequestStatus, Error> {
        self.transition("expire", RequestStatus::Expired)
    }

    pub fn is_open(self) -> bool {
        self == RequestStatus::Pending
    }
}

/// Why a host declined, from a short list; each has a kind message the seeker sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclineReason {
    /// This month is already full.
    NoCapacity,
    /// None of the proposed times work.
    Timing,
    /// The questions are outside what the host can speak to.
    NotMyArea,
    /// Anything else; the host's message says more.
    Other,
}

impl DeclineReason {
    pub const ALL: [DeclineReason; 4] =
        [DeclineReason::NoCapacity, DeclineReason::Timing, DeclineReason::NotMyArea, DeclineReason::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            DeclineReason::NoCapacity => "no_capacity",
            DeclineReason::Timing => "timing",
            DeclineReason::NotMyArea => "not_my_area",
            DeclineReason::Other => "other",
        }
    }

    /// A short label for the host's choice list.
    pub fn label(self) -> &'static str {
        match self {
            DeclineReason::NoCapacity => "My calendar is full",
            DeclineReason::Timing => "None of the times work",
            DeclineReason::NotMyArea => "Outside what I can speak to",
            DeclineReason::Other => "Another reason",
        }
    }

    /// What the seeker reads: kind, and never about them as a person.
    pub fn kind_message(self) -> &'static str {
        match self {
            DeclineReason::NoCapacity => {
                "Thank you for asking. My conversations for this period are already booked, so I can't take this one. Please don't take it personally."
            }
            DeclineReason::Timing => {
                "Thank you for asking. None of the proposed times work for me; you're welcome to propose others when new slots open."
            }
            DeclineReason::NotMyArea => {
                "Thank you for asking. Your questions are outside what I can speak to well; someone closer to that area would help you more."
            }
            DeclineReason::Other => {
                "Thank you for asking. I can't take this conversation, but I wish you well with your search."
            }
        }
    }

    /// # Errors
    /// A message listing the accepted reasons.
    pub fn parse(raw: &str) -> Result<Self, String> {
        DeclineReason::ALL
            .into_iter()
            .find(|r| r.as_str() == raw.trim())
            .ok_or_else(|| format!("'{raw}' is not a reason; use no_capacity, timing, not_my_area or other"))
    }
}

/// A request as submitted (API names), before validation.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct NewRequestInput {
    /// The host's handle.
    pub host: String,
    pub length_minutes: i64,
    /// RFC 3339 instants, 1 to 3 of them.
    pub proposed_starts: Vec<String>,
    pub purpose: String,
    pub topics: Vec<String>,
    pub questions: Vec<String>,
}

/// A request whose fields are well-formed. Whether the host offers the length and the slots are free
/// depends on the host's policy and calendar, and is checked where those are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequest {
    pub host: Handle,
    pub length: MeetingLength,
    /// Distinct, in ascending order.
    pub proposed_starts: Vec<Timestamp>,
    pub purpose: String,
    pub topics: Vec<String>,
    pub questions: Vec<String>,
}

impl NewRequest {
    pub const MAX_PROPOSALS: usize = 3;
}

impl NewRequestInput {
    /// # Errors
    /// Every field that breaks a rule, with its message.
    pub fn validate(&self) -> Result<NewRequest, FieldErrors> {
        self.validate_fields(true)
    }

    /// [`validate`](Self::validate) that lets `proposed_starts` be empty: a request to a full host joins the
    /// waitlist without times, and only when the host has time are proposals required.
    ///
    /// # Errors
    /// Every field that breaks a rule, with its message.
    pub fn validate_without_starts(&self) -> Result<NewRequest, FieldErrors> {
        self.validate_fields(false)
    }

    fn validate_fields(&self, require_starts: bool) -> Result<NewRequest, FieldErrors> {
        let mut errors = FieldErrors::new();
        let host = errors.check("host", Handle::parse(&self.host).map_err(|e| format!("unknown host: {e}")));
        let length = errors.check("length_minutes", MeetingLength::from_minutes(self.length_minutes));
        let mut starts = Vec::new();
        for raw in &self.proposed_starts {
            match raw.trim().parse::<Timestamp>() {
                Ok(start) if !starts.contains(&start) => starts.push(start),
                Ok(_) => {}
                Err(_) => errors
                    .add("proposed_starts", format!("'{raw}' is not an RFC 3339 instant such as 2026-03-02T14:30:00Z")),
            }
        }
        starts.sort();
        if starts.is_empty() && require_starts {
            errors.add("proposed_starts", "propose at least one slot");
        } else if starts.len() > NewRequest::MAX_PROPOSALS {
            errors.add("proposed_starts", format!("propose at most {} slots", NewRequest::MAX_PROPOSALS));
        }
        let purpose = errors.check(
            "purpose",
            required_text(&self.purpose, 1500).map_err(|e| {
                if e == "is required" {
                    "purpose_required: say in a sentence or two what you hope to learn".to_owned()
                } else {
                    e
                }
            }),
        );
        let topics = errors.check("topics", text_list(&self.topics, 8, 60));
        let questions = errors.check("questions", text_list(&self.questions, 12, 400));
        match (host, length, purpose, topics, questions) {
            (Some(host), Some(length), Some(purpose), Some(topics), Some(questions)) if errors.is_empty() => {
                Ok(NewRequest { host, length, proposed_starts: starts, purpose, topics, questions })
            }
            _ => Err(errors),
        }
    }
}

/// Validates the free text a host adds to a decline.
///
/// # Errors
/// A message when it is longer than 1000 characters.
pub fn decline_message(raw: &str) -> Result<String, String> {
    optional_text(raw, 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> NewRequestInput {
        NewRequestInput {
            host: "priya-data".into(),
            length_minutes: 20,
            proposed_starts: vec![
                "2026-03-03T13:00:00Z".into(),
                "2026-03-02T13:00:00Z".into(),
                "2026-03-02T13:00:00Z".into(),
            ],
            purpose: "I teach maths and want to learn how you moved into data science.".into(),
            topics: vec!["Career path".into()],
            questions: vec!["What did your first year look like?".into(), " ".into()],
        }
    }

    #[test]
    fn a_good_request_is_normalised() {
        let request = input().validate().unwrap();
        assert_eq!(request.proposed_starts.len(), 2);
        assert!(request.proposed_starts[0] < request.proposed_starts[1]);
        assert_eq!(request.questions.len(), 1);
        assert_eq!(request.length, MeetingLength::Min20);
    }

    #[test]
    fn bad_fields_are_named() {
        let bad = NewRequestInput { purpose: "  ".into(), proposed_starts: vec![], length_minutes: 60, ..input() };
        let errors = bad.validate().unwrap_err();
        assert!(errors.get("purpose").unwrap().contains("required"));
        assert!(errors.get("proposed_starts").is_some());
        assert!(errors.get("length_minutes").is_some());
        let too_many = NewRequestInput {
            proposed_starts: (1..=4).map(|d| format!("2026-03-0{d}T13:00:00Z")).collect(),
            ..input()
        };
        assert!(too_many.validate().unwrap_err().get("proposed_starts").unwrap().contains("at most 3"));
        let garbled = NewRequestInput { proposed_starts: vec!["tomorrow".into()], ..input() };
        assert!(garbled.validate().unwrap_err().get("proposed_starts").unwrap().contains("tomorrow"));
    }

    #[test]
    fn only_pending_requests_move() {
        assert_eq!(RequestStatus::Pending.accept().unwrap(), RequestStatus::Accepted);
        assert_eq!(RequestStatus::Pending.withdraw().unwrap(), RequestStatus::Withdrawn);
        let err = RequestStatus::Declined.accept().unwrap_err();
        assert_eq!(err.to_string(), "cannot accept a declined request");
        for status in RequestStatus::ALL {
            assert_eq!(RequestStatus::parse(status.as_str()).unwrap(), status);
        }
    }

    #[test]
    fn decline_reasons_parse_and_are_kind() {
        for reason in DeclineReason::ALL {
            assert_eq!(DeclineReason::parse(reason.as_str()).unwrap(), reason);
            assert!(reason.kind_message().starts_with("Thank you"));
        }
        assert!(DeclineReason::parse("rude").is_err());
    }
}
