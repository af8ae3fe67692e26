//! Interviews: accepted requests with a fixed time. Either side may cancel one that has not started,
//! and both can download it as an iCalendar file.

use std::fmt::Write as _;

use coffeechat_domain::{CancelReason, InterviewId, InterviewStatus};
use coffeechat_schedule::ics::{Attendee, CalendarEvent, EventStatus, Method, event_ics};

use crate::{Account, InterviewRecord, Result, ServiceError, Services};

fn is_party(me: &Account, interview: &InterviewRecord) -> bool {
    me.id == interview.host.id || me.id == interview.seeker.id
}

/// What the calendar entry says: why they meet and what the seeker prepared, so both arrive ready.
pub(crate) fn event_description(interview: &InterviewRecord) -> String {
    let mut text = format!("Purpose: {}\n", interview.purpose);
    if !interview.topics.is_empty() {
        let _ = write!(text, "\nTopics: {}\n", interview.topics.join(", "));
    }
    if !interview.questions.is_empty() {
        text.push_str("\nPrepared questions:\n");
        for (number, question) in interview.questions.iter().enumerate() {
            let _ = writeln!(text, "{}. {question}", number + 1);
        }
    }
    if interview.status == InterviewStatus::Cancelled
        && let Some(reason) = &interview.cancel_reason
    {
        let _ = write!(text, "\nCancelled: {reason}\n");
    }
    text.trim_end().to_owned()
}

impl Services {
    /// The caller's interviews, as seeker and as host, by start time.
    ///
    /// # Errors
    /// Only store failures.
    pub async fn interviews(&self, me: &Account) -> Result<Vec<InterviewRecord>> {
        Ok(self.store.interviews_for(me.id).await?)
    }

    /// One interview, if the caller is its seeker or host.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`]`("interview")` when it does not exist or the caller is not a party to it.
    pub async fn interview(&self, me: &Account, id: InterviewId) -> Result<InterviewRecord> {
        let interview = self.store.interview(id).await?.ok_or(ServiceError::NotFound("interview"))?;
        if is_party(me, &interview) { Ok(interview) } else { Err(ServiceError::NotFound("interview")) }
    }

    /// Either side cancels a scheduled interview that has not started yet, saying why.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`] for non-parties; [`ServiceError::Invalid`] with `reason` when it is
    /// blank or too long; [`ServiceError::Conflict`] when it is already cancelled or has started.
    pub async fn cancel_interview(&self, me: &Account, id: InterviewId, reason: &str) -> Result<InterviewRecord> {
        let interview = self.interview(me, id).await?;
        interview.status.cancel()?;
        let now = self.now();
        if interview.start <= now {
            return Err(ServiceError::Conflict(
                "this interview has already started, so it can no longer be cancelled".into(),
            ));
        }
        let reason = CancelReason::parse(reason).map_err(|message| ServiceError::invalid("reason", message))?;
        let cancelled = self.store.cancel_interview(interview.id, me.id, reason.as_str(), now).await?;
        tracing::info!(interview = %interview.id, "interview cancelled");
        self.notify_interview_cancelled(&cancelled).await;
        // The freed time goes to the first seeker waiting for this host at once, not a worker run later.
        self.promote_waitlist_of(cancelled.host.id).await;
        Ok(cancelled)
    }

    /// The interview as an RFC 5545 calendar: `METHOD:PUBLISH` while scheduled, `METHOD:CANCEL` with
    /// `STATUS:CANCELLED` once cancelled; the UID is stable and SEQUENCE rises with every change, so
    /// importing the newer file updates the entry.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`]`("interview")` for non-parties.
    pub async fn interview_ics(&self, me: &Account, id: InterviewId) -> Result<String> {
        let interview = self.interview(me, id).await?;
        let summary = format!("Informational interview: {} with {}", interview.seeker.name, interview.host.name);
        let description = event_description(&interview);
        let (status, method) = match interview.status {
            InterviewStatus::Scheduled => (EventStatus::Confirmed, Method::Publish),
            InterviewStatus::Cancelled => (EventStatus::Cancelled, Method::Cancel),
        };
        let event = CalendarEvent {
            uid: &interview.ical_uid,
            sequence: interview.ical_sequence,
            start: interview.start,
            end: interview.end,
            summary: &summary,
            description: &description,
            organizer: Attendee { name: &interview.host.name, email: interview.host.email.as_str() },
            attendee: Attendee { name: &interview.seeker.name, email: interview.seeker.email.as_str() },
            status,
            stamp: self.now(),
            url: None,
        };
        Ok(event_ics(&event, method))
    }
}
