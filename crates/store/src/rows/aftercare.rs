//! Rows of interview aftercare (`interview_aftercare`) and of a host's talent pool.

use coffeechat_domain::{AccountId, Email, InterviewId};
use sqlx::FromRow;

use super::{Seconds, corrupt};
use crate::{
    Absentee, AftercareRecord, ConsentRecord, Debrief, DebriefRecord, NoShowRecord, Result, TalentPoolEntry, ThanksNote,
};

/// The columns every aftercare query selects. No other table has columns of these names, so joins need no
/// prefix (and `RETURNING` can use the same list).
macro_rules! aftercare_columns {
    () => {
        "interview_id, thanks_message, thanks_sent_at, thanks_reminded_at, \
     no_show_of, no_show_reported_by, no_show_reported_at, follow_up_invited_at, prepared, used_time_well, \
     meet_again, refer_to, keep_in_mind, debriefed_at, debrief_updated_at, consent_asked_at, consent, \
     consent_answered_at"
    };
}
pub(crate) use aftercare_columns;

#[derive(Debug, FromRow)]
pub(crate) struct AftercareRow {
    interview_id: i64,
    thanks_message: Option<String>,
    thanks_sent_at: Option<Seconds>,
    thanks_reminded_at: Option<Seconds>,
    no_show_of: Option<String>,
    no_show_reported_by: Option<i64>,
    no_show_reported_at: Option<Seconds>,
    follow_up_invited_at: Option<Seconds>,
    #[sqlx(flatten)]
    debrief: DebriefColumns,
    consent_asked_at: Option<Seconds>,
    consent: Option<bool>,
    consent_answered_at: Option<Seconds>,
}

#[derive(Debug, FromRow)]
pub(crate) struct DebriefColumns {
    prepared: Option<bool>,
    used_time_well: Option<bool>,
    meet_again: Option<bool>,
    refer_to: Option<String>,
    keep_in_mind: Option<bool>,
    debriefed_at: Option<Seconds>,
    debrief_updated_at: Option<Seconds>,
}

fn instant(column: &str, value: Option<Seconds>) -> Result<Option<jiff::Timestamp>> {
    value.map(|at| at.timestamp(column)).transpose()
}

impl DebriefColumns {
    fn into_record(self) -> Result<Option<DebriefRecord>> {
        let Some(written_at) = instant("interview_aftercare.debriefed_at", self.debriefed_at)? else {
            return Ok(None);
        };
        let (Some(prepared), Some(used_time_well), Some(meet_again), Some(keep_in_mind)) =
            (self.prepared, self.used_time_well, self.meet_again, self.keep_in_mind)
        else {
            return Err(corrupt("interview_aftercare", "a debrief without all its answers"));
        };
        Ok(Some(DebriefRecord {
            debrief: Debrief { prepared, used_time_well, meet_again, refer_to: self.refer_to, keep_in_mind },
            written_at,
            updated_at: instant("interview_aftercare.debrief_updated_at", self.debrief_updated_at)?
                .unwrap_or(written_at),
        }))
    }
}

impl AftercareRow {
    pub(crate) fn into_record(self) -> Result<AftercareRecord> {
        let thanks = match (self.thanks_message, instant("interview_aftercare.thanks_sent_at", self.thanks_sent_at)?) {
            (Some(message), Some(sent_at)) => Some(ThanksNote { message, sent_at }),
            _ => None,
        };
        let no_show = match (self.no_show_of, self.no_show_reported_by, self.no_show_reported_at) {
            (Some(of), Some(by), Some(at)) => Some(NoShowRecord {
                absent: Absentee::parse(&of).ok_or_else(|| corrupt("interview_aftercare.no_show_of", of))?,
                reported_by: AccountId(by),
                reported_at: at.timestamp("interview_aftercare.no_show_reported_at")?,
            }),
            _ => None,
        };
        let consent = instant("interview_aftercare.consent_asked_at", self.consent_asked_at)?
            .map(|asked_at| -> Result<ConsentRecord> {
                Ok(ConsentRecord {
                    asked_at,
                    given: self.consent,
                    answered_at: instant("interview_aftercare.consent_answered_at", self.consent_answered_at)?,
                })
            })
            .transpose()?;
        Ok(AftercareRecord {
            interview_id: InterviewId(self.interview_id),
            thanks,
            thanks_reminded_at: instant("interview_aftercare.thanks_reminded_at", self.thanks_reminded_at)?,
            no_show,
            follow_up_invited_at: instant("interview_aftercare.follow_up_invited_at", self.follow_up_invited_at)?,
            debrief: self.debrief.into_record()?,
            consent,
        })
    }
}

/// A talent-pool query selects [`aftercare_columns`] plus these (interviews `i`, the seeker's account `s`).
macro_rules! talent_columns {
    () => {
        "i.seeker_id, s.name AS seeker_name, s.email AS seeker_email, i.start_at AS interview_start"
    };
}
pub(crate) use talent_columns;

#[derive(Debug, FromRow)]
pub(crate) struct TalentRow {
    seeker_id: i64,
    seeker_name: String,
    seeker_email: String,
    interview_start: Seconds,
    #[sqlx(flatten)]
    aftercare: AftercareRow,
}

impl TalentRow {
    pub(crate) fn into_entry(self) -> Result<Option<TalentPoolEntry>> {
        let record = self.aftercare.into_record()?;
        let (Some(debrief), Some(consented_at)) = (record.debrief, record.consent.and_then(|c| c.answered_at)) else {
            return Ok(None);
        };
        Ok(Some(TalentPoolEntry {
            interview_id: record.interview_id,
            seeker_id: AccountId(self.seeker_id),
            seeker_name: self.seeker_name,
            seeker_email: Email::parse(&self.seeker_email).map_err(|error| corrupt("accounts.email", error))?,
            interview_start: self.interview_start.timestamp("interviews.start_at")?,
            debrief,
            consented_at,
        }))
    }
}

/// The ids as plain integers for binding.
pub(crate) fn interview_ids(ids: &[InterviewId]) -> Vec<i64> {
    ids.iter().map(|id| id.0).collect()
}

/// A count as `u32`, saturating.
pub(crate) fn count(value: i64) -> u32 {
    u32::try_from(value.max(0)).unwrap_or(u32::MAX)
}
