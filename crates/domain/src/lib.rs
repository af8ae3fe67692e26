//! Coffeechat's domain: the types and rules of informational interviews, with no I/O.
//!
//! Everything a user types crosses into the system through a constructor here, so that the rest of the
//! code holds values that are already known to be valid: an [`Email`], a [`Handle`], a [`TimeZoneName`],
//! a [`HostPolicy`] whose windows do not overlap. Each constructor returns a [`FieldErrors`] that names
//! the offending field, which the web layer shows beside the input or returns as JSON.
//!
//! ```
//! use coffeechat_domain::{Email, Handle};
//! let email = Email::parse(" Ada@Example.org ").unwrap();
//! assert_eq!(email.as_str(), "ada@example.org");
//! assert!(Handle::parse("ada lovelace").is_err());
//! ```

mod account;
pub mod aftercare;
pub mod agenda;
pub mod etiquette;
mod host;
mod ids;
mod interview;
mod overrides;
mod policy;
mod program;
pub mod question_bank;
mod request;
pub mod request_rules;
mod seeker_profile;
pub mod time_text;
mod validation;
mod zone;

pub use account::{AccountName, Email, Password, Role, Roles};
pub use host::{Handle, HostBackground, HostBackgroundInput, HostProfile, HostProfileInput, Seniority};
pub use ids::{AccountId, InterviewId, RequestId};
pub use interview::{CancelReason, InterviewStatus};
pub use overrides::{DateOverride, OverrideInput, TimeRange, TimeRangeInput};
pub use policy::{
    HostPolicy, LocalWindow, MeetingLength, PolicyInput, SLOT_INCREMENTS, Weekday, WindowInput, parse_wall_clock,
};
pub use program::{
    MAX_ROUND_CAPACITY, MAX_WANTED, NewProgram, NewProgramInput, ProgramId, ProgramKind, ProgramRole, RoundHostInput,
    RoundId, RoundInput, RoundOptions, RoundPlan, RoundSeekerInput, round_capacity,
};
pub use request::{DeclineReason, NewRequest, NewRequestInput, RequestStatus, decline_message};
pub use request_rules::{EtiquetteMode, Overflow, RequestRules, RequestRulesInput};
pub use seeker_profile::{SeekerProfile, SeekerProfileInput};
pub use validation::FieldErrors;
pub use zone::TimeZoneName;

/// The one error type of the domain crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Input that breaks a rule; each entry names the field and says what is wrong with it.
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    /// A state change that the request or interview state machine does not allow.
    #[error("cannot {action} a {from} {entity}")]
    Transition {
        /// `"request"` or `"interview"`.
        entity: &'static str,
        /// The state it is in now.
        from: &'static str,
        /// What was attempted (`"accept"`, `"withdraw"`, ...).
        action: &'static str,
    },
}

impl From<FieldErrors> for Error {
    fn from(errors: FieldErrors) -> Self {
        Error::Invalid(errors)
    }
}
