//! Interview aftercare: what happens once a conversation is over. The seeker's thank-you note (and the one
//! reminder to write it), a no-show reported by the party who came, the host's two-minute debrief with the
//! seeker's separate consent to a talent pool, and the host's invitation to a follow-up.
//!
//! The store records facts and refuses a second one where only one is allowed; whether a party may act
//! (only the host debriefs, nothing before the end) is the service's rule.

use std::fmt;

use coffeechat_domain::{AccountId, Email, InterviewId};
use jiff::Timestamp;

use crate::Result;

/// Which party did not come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Absentee {
    Seeker,
    Host,
}

impl Absentee {
    pub fn as_str(self) -> &'static str {
        match self {
            Absentee::Seeker => "seeker",
            Absentee::Host => "host",
        }
    }

    /// Reads the stored or API spelling (`seeker`, `host`).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "seeker" => Some(Absentee::Seeker),
            "host" => Some(Absentee::Host),
            _ => None,
        }
    }
}

impl fmt::Display for Absentee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The host's answers after a conversation, already validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Debrief {
    pub prepared: bool,
    pub used_time_well: bool,
    pub meet_again: bool,
    /// A colleague the host would refer the seeker to, or none.
    pub refer_to: Option<String>,
    /// "Keep in mind for roles": only counts with the seeker's consent.
    pub keep_in_mind: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThanksNote {
    pub message: String,
    pub sent_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoShowRecord {
    pub absent: Absentee,
    pub reported_by: AccountId,
    pub reported_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebriefRecord {
    pub debrief: Debrief,
    pub written_at: Timestamp,
    pub updated_at: Timestamp,
}

/// The seeker's answer to "may this host keep you in mind for roles?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsentRecord {
    pub asked_at: Timestamp,
    /// `None` while unanswered; `Some(false)` when refused or withdrawn.
    pub given: Option<bool>,
    pub answered_at: Option<Timestamp>,
}

/// Everything recorded after one interview; all empty when nothing happened yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AftercareRecord {
    pub interview_id: InterviewId,
    pub thanks: Option<ThanksNote>,
    pub thanks_reminded_at: Option<Timestamp>,
    pub no_show: Option<NoShowRecord>,
    pub follow_up_invited_at: Option<Timestamp>,
    pub debrief: Option<DebriefRecord>,
    pub consent: Option<ConsentRecord>,
}

impl AftercareRecord {
    /// An interview after which nothing was recorded.
    pub fn empty(interview_id: InterviewId) -> Self {
        Self {
            interview_id,
            thanks: None,
            thanks_reminded_at: None,
            no_show: None,
            follow_up_invited_at: None,
            debrief: None,
            consent: None,
        }
    }

    /// Whether the host may keep the seeker in mind: they ticked it and the seeker consented.
    pub fn in_talent_pool(&self) -> bool {
        self.debrief.as_ref().is_some_and(|debrief| debrief.debrief.keep_in_mind)
            && self.consent.is_some_and(|consent| consent.given == Some(true))
    }
}

/// One consenting seeker in a host's talent pool, with the debrief of the interview it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TalentPoolEntry {
    pub interview_id: InterviewId,
    pub seeker_id: AccountId,
    pub seeker_name: String,
    pub seeker_email: Email,
    pub interview_start: Timestamp,
    pub debrief: DebriefRecord,
    pub consented_at: Timestamp,
}

/// Storage of interview aftercare.
#[async_trait::async_trait]
pub trait AftercareStore: Send + Sync {
    /// What was recorded after the interview ([`AftercareRecord::empty`] when nothing was).
    async fn aftercare(&self, interview: InterviewId) -> Result<AftercareRecord>;
    /// The same for many interviews (a dashboard); interviews without aftercare are left out.
    async fn aftercare_of(&self, interviews: &[InterviewId]) -> Result<Vec<AftercareRecord>>;
    /// Records the seeker's thank-you note.
    ///
    /// # Errors
    /// [`Conflict::StateChanged`](crate::Conflict::StateChanged) when a note was already sent;
    /// [`StoreError::NotFound`](crate::StoreError::NotFound) when the interview does not exist.
    async fn record_thanks(&self, interview: InterviewId, message: &str, at: Timestamp) -> Result<()>;
    /// Marks the seeker reminded to say thanks; `false` when they already were (another worker did it).
    ///
    /// # Errors
    /// [`StoreError::NotFound`](crate::StoreError::NotFound) when the interview does not exist.
    async fn mark_thanks_reminded(&self, interview: InterviewId, at: Timestamp) -> Result<bool>;
    /// Scheduled interviews that ended in `[from, to)` without a thank-you note, a reminder or a no-show, by end.
    async fn thanks_reminders_due(&self, from: Timestamp, to: Timestamp) -> Result<Vec<InterviewId>>;
    /// Records that `absent` did not come, as reported by `by`.
    ///
    /// # Errors
    /// [`Conflict::StateChanged`](crate::Conflict::StateChanged) when a no-show was already recorded;
    /// [`StoreError::NotFound`](crate::StoreError::NotFound) when the interview or account does not exist.
    async fn record_no_show(
        &self,
        interview: InterviewId,
        absent: Absentee,
        by: AccountId,
        at: Timestamp,
    ) -> Result<()>;
    /// Writes or replaces the host's debrief. Ticking "keep in mind" for the first time records that the
    /// seeker's consent was asked at `at`; the returned record says so.
    ///
    /// # Errors
    /// [`StoreError::NotFound`](crate::StoreError::NotFound) when the interview does not exist.
    async fn save_debrief(&self, interview: InterviewId, debrief: &Debrief, at: Timestamp) -> Result<AftercareRecord>;
    /// The seeker's answer to the talent-pool question (given, refused, or withdrawn later).
    ///
    /// # Errors
    /// [`Conflict::StateChanged`](crate::Conflict::StateChanged) when consent was never asked;
    /// [`StoreError::NotFound`](crate::StoreError::NotFound) when the interview does not exist.
    async fn set_talent_consent(&self, interview: InterviewId, given: bool, at: Timestamp) -> Result<()>;
    /// Records the host's invitation to a follow-up.
    ///
    /// # Errors
    /// [`Conflict::StateChanged`](crate::Conflict::StateChanged) when the host already invited after this
    /// interview; [`StoreError::NotFound`](crate::StoreError::NotFound) when the interview does not exist.
    async fn record_follow_up_invite(&self, interview: InterviewId, at: Timestamp) -> Result<()>;
    /// The host's talent pool: seekers the host keeps in mind who consented, newest interview first.
    async fn talent_pool(&self, host: AccountId) -> Result<Vec<TalentPoolEntry>>;
    /// Interviews at which the seeker was recorded as not coming.
    async fn no_shows_of_seeker(&self, seeker: AccountId) -> Result<u32>;
    /// When the host last invited this seeker to a follow-up, if ever.
    async fn follow_up_invited_at(&self, seeker: AccountId, host: AccountId) -> Result<Option<Timestamp>>;
}
