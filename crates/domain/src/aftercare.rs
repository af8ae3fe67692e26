//! What either side writes after an interview: the seeker's thank-you note and the host's debrief, checked
//! here so the page and the API refuse the same input with the same words.

use crate::FieldErrors;
use crate::validation::{optional_text, required_text};

/// The longest thank-you note: a few warm paragraphs, not a cover letter.
pub const MAX_THANKS_CHARS: usize = 2000;
/// The longest "refer to" entry: a colleague's name and address.
pub const MAX_REFER_TO_CHARS: usize = 200;

/// A thank-you note, trimmed.
///
/// # Errors
/// A message naming `message` when it is blank or too long.
pub fn thanks_message(raw: &str) -> Result<String, FieldErrors> {
    required_text(raw, MAX_THANKS_CHARS).map_err(|message| FieldErrors::single("message", message))
}

/// The host's answers as typed: four yes/no questions and an optional colleague.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct DebriefInput {
    pub prepared: bool,
    pub used_time_well: bool,
    pub meet_again: bool,
    pub refer_to: Option<String>,
    pub keep_in_mind: bool,
}

/// A checked debrief: `refer_to` trimmed, blank meaning nobody.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDebrief {
    pub prepared: bool,
    pub used_time_well: bool,
    pub meet_again: bool,
    pub refer_to: Option<String>,
    pub keep_in_mind: bool,
}

impl DebriefInput {
    /// # Errors
    /// `refer_to` when it is longer than [`MAX_REFER_TO_CHARS`].
    pub fn validate(&self) -> Result<ValidDebrief, FieldErrors> {
        let refer_to = optional_text(self.refer_to.as_deref().unwrap_or_default(), MAX_REFER_TO_CHARS)
            .map_err(|message| FieldErrors::single("refer_to", message))?;
        Ok(ValidDebrief {
            prepared: self.prepared,
            used_time_well: self.used_time_well,
            meet_again: self.meet_again,
            refer_to: Some(refer_to).filter(|text| !text.is_empty()),
            keep_in_mind: self.keep_in_mind,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    #[test]
    fn thanks_must_say_something_briefly() {
        assert_eq!(thanks_message("  Thank you!  ").unwrap(), "Thank you!");
        assert_eq!(thanks_message(" ").unwrap_err().get("message"), Some("is required"));
        let long = "a".repeat(MAX_THANKS_CHARS + 1);
        assert!(thanks_message(&long).unwrap_err().get("message").unwrap().contains("at most 2000"));
    }

    #[test]
    fn a_blank_referral_means_nobody() {
        let input = DebriefInput { refer_to: Some("  ".into()), keep_in_mind: true, ..DebriefInput::default() };
        assert_eq!(input.validate().unwrap().refer_to, None);
        let input = DebriefInput { refer_to: Some(" Lena Fischer ".into()), ..DebriefInput::default() };
        assert_eq!(input.validate().unwrap().refer_to.as_deref(), Some("Lena Fischer"));
        let input = DebriefInput { refer_to: Some("x".repeat(201)), ..DebriefInput::default() };
        assert!(input.validate().unwrap_err().get("refer_to").is_some());
    }
}
