//! After the conversation: the interview page's agenda and clock, the seeker's thank-you note (with one
//! reminder), the host's debrief and the seeker's separate consent to the host's talent pool, no-shows, and
//! the host's invitation to a follow-up.
//!
//! Who may do what, and when, is decided here: only the seeker thanks, only the host debriefs and invites,
//! nothing happens after a conversation that did not take place (cancelled, not yet over, or missed), and a
//! no-show is reported by the party who came, once the meeting has started.

use coffeechat_domain::aftercare::{DebriefInput, thanks_message};
use coffeechat_domain::agenda::{Agenda, agenda};
use coffeechat_domain::time_text::format_instant;
use coffeechat_domain::{FieldErrors, InterviewId, InterviewStatus, Role};
use coffeechat_store::{Absentee, AftercareRecord, Conflict, Debrief, StoreError, TalentPoolEntry};
use jiff::{SignedDuration, Timestamp};

use crate::aftercare_mail;
use crate::availability::shifted;
use crate::{Account, InterviewRecord, Result, ServiceError, Services};

/// How long after the end the seeker is reminded to say thanks (if they have not yet).
pub const THANKS_REMINDER_DELAY: SignedDuration = SignedDuration::from_hours(1);
/// After this long past the end, a reminder would come too late to be useful and is not sent.
pub const THANKS_WINDOW: SignedDuration = SignedDuration::from_hours(24);

/// How often the worker looks for seekers to remind.
pub const THANKS_REMINDER_INTERVAL: std::time::Duration = std::time::Duration::from_secs(600);

/// Where a conversation stands on the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InterviewPhase {
    Upcoming,
    InProgress,
    Ended,
    Cancelled,
}

impl InterviewPhase {
    pub fn of(interview: &InterviewRecord, now: Timestamp) -> Self {
        if interview.status == InterviewStatus::Cancelled {
            InterviewPhase::Cancelled
        } else if now < interview.start {
            InterviewPhase::Upcoming
        } else if now < interview.end {
            InterviewPhase::InProgress
        } else {
            InterviewPhase::Ended
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            InterviewPhase::Upcoming => "upcoming",
            InterviewPhase::InProgress => "in_progress",
            InterviewPhase::Ended => "ended",
            InterviewPhase::Cancelled => "cancelled",
        }
    }
}

/// One interview as its page and the API show it to one of its parties.
#[derive(Debug, Clone)]
pub struct InterviewDetail {
    pub interview: InterviewRecord,
    pub aftercare: AftercareRecord,
    pub agenda: Agenda,
    pub phase: InterviewPhase,
    /// The viewer's side.
    pub role: Role,
    pub now: Timestamp,
}

impl InterviewDetail {
    pub fn is_host(&self) -> bool {
        self.role == Role::Host
    }

    /// Whether the conversation took place: over, not cancelled, nobody missed it.
    pub fn was_held(&self) -> bool {
        self.phase == InterviewPhase::Ended && self.aftercare.no_show.is_none()
    }

    /// The seeker may send a note now.
    pub fn can_thank(&self) -> bool {
        !self.is_host() && self.was_held() && self.aftercare.thanks.is_none()
    }

    /// The host may write (or edit) the debrief now.
    pub fn can_debrief(&self) -> bool {
        self.is_host() && self.was_held()
    }

    /// The host may invite the seeker to a follow-up now.
    pub fn can_invite_follow_up(&self) -> bool {
        self.is_host() && self.was_held() && self.aftercare.follow_up_invited_at.is_none()
    }

    /// The seeker has been asked for talent-pool consent and may answer (or change the answer).
    pub fn can_answer_consent(&self) -> bool {
        !self.is_host() && self.aftercare.consent.is_some()
    }

    /// The viewer may report the other party missing now.
    pub fn can_report_no_show(&self) -> bool {
        matches!(self.phase, InterviewPhase::InProgress | InterviewPhase::Ended)
            && self.aftercare.no_show.is_none()
            && self.aftercare.thanks.is_none()
    }

    /// The party the viewer may report missing.
    pub fn other_side(&self) -> Absentee {
        if self.is_host() { Absentee::Seeker } else { Absentee::Host }
    }
}

/// A 422 naming the rule that refused, with how to fix it.
fn rule(name: &str, how: impl std::fmt::Display) -> ServiceError {
    ServiceError::Invalid(FieldErrors::single("interview", format!("{name}: {how}")))
}

/// Refuses aftercare for a conversation that did not take place, saying why and what to do instead.
fn require_held(interview: &InterviewRecord, aftercare: &AftercareRecord, now: Timestamp, me: &Account) -> Result<()> {
    match InterviewPhase::of(interview, now) {
        InterviewPhase::Cancelled => Err(rule(
            "interview_not_held",
            "this conversation was cancelled, so it never took place; request a new one from the host's page",
        )),
        InterviewPhase::Upcoming | InterviewPhase::InProgress => Err(rule(
            "interview_not_held",
            format!(
                "this conversation has not ended yet; come back after it ends at {}",
                format_instant(interview.end, &me.time_zone)
            ),
        )),
        InterviewPhase::Ended if aftercare.no_show.is_some() => Err(rule(
            "interview_not_held",
            "a missed meeting was recorded for this conversation; if that is wrong, write to the other side directly",
        )),
        InterviewPhase::Ended => Ok(()),
    }
}

fn role_of(me: &Account, interview: &InterviewRecord) -> Role {
    if me.id == interview.host.id { Role::Host } else { Role::Seeker }
}

/// A store refusal of a second, racing write, in the words of the rule it enforces.
fn once(error: StoreError, what: &str) -> ServiceError {
    match error {
        StoreError::Conflict(Conflict::StateChanged) => ServiceError::Conflict(what.to_owned()),
        StoreError::NotFound => ServiceError::NotFound("interview"),
        other => ServiceError::from(other),
    }
}

impl Services {
    /// The interview with its agenda, clock phase and aftercare, for one of its parties.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`]`("interview")` when it does not exist or the caller is not a party to it.
    pub async fn interview_detail(&self, me: &Account, id: InterviewId) -> Result<InterviewDetail> {
        let interview = self.interview(me, id).await?;
        let aftercare = self.store.aftercare(interview.id).await?;
        let now = self.now();
        Ok(InterviewDetail {
            agenda: agenda(interview.length, &interview.questions, interview.start),
            phase: InterviewPhase::of(&interview, now),
            role: role_of(me, &interview),
            aftercare,
            interview,
            now,
        })
    }

    /// The seeker thanks the host through Coffeechat, once, after a conversation that took place. The host
    /// gets the note by email and sees it on the interview page.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`] for non-parties; [`ServiceError::Forbidden`] for the host;
    /// [`ServiceError::Invalid`] naming `interview_not_held`, or `message` when it is blank or too long;
    /// [`ServiceError::Conflict`] when a note was already sent.
    pub async fn send_thanks(&self, me: &Account, id: InterviewId, message: &str) -> Result<InterviewDetail> {
        let detail = self.interview_detail(me, id).await?;
        if detail.is_host() {
            return Err(ServiceError::Forbidden("only the seeker sends a thank-you note".into()));
        }
        require_held(&detail.interview, &detail.aftercare, detail.now, me)?;
        if detail.aftercare.thanks.is_some() {
            return Err(ServiceError::Conflict("you already thanked the host for this conversation".into()));
        }
        let note = thanks_message(message)?;
        self.store
            .record_thanks(id, &note, detail.now)
            .await
            .map_err(|error| once(error, "you already thanked the host for this conversation"))?;
        tracing::info!(interview = %id, "thank-you note sent");
        let interview = &detail.interview;
        self.queue_mail(vec![aftercare_mail::thanks_sent(&self.site, interview, &note)]).await;
        let text = format!("{} thanked you for your conversation.", interview.seeker.name);
        let link = format!("/interviews/{id}");
        self.notify_once(interview.host.id, "thanks_sent", &text, &link, Some(format!("interview:{id}:thanks"))).await;
        self.interview_detail(me, id).await
    }

    /// The host's two-minute debrief, after a conversation that took place; editable. Ticking "keep in mind for
    /// roles" the first time asks the seeker for consent (email and in-app).
    ///
    /// # Errors
    /// [`ServiceError::NotFound`] for non-parties; [`ServiceError::Forbidden`] for the seeker;
    /// [`ServiceError::Invalid`] naming `interview_not_held`, or `refer_to` when it is too long.
    pub async fn save_debrief(&self, me: &Account, id: InterviewId, input: &DebriefInput) -> Result<InterviewDetail> {
        let detail = self.interview_detail(me, id).await?;
        if !detail.is_host() {
            return Err(ServiceError::Forbidden("only the host writes the debrief".into()));
        }
        require_held(&detail.interview, &detail.aftercare, detail.now, me)?;
        let valid = input.validate()?;
        let debrief = Debrief {
            prepared: valid.prepared,
            used_time_well: valid.used_time_well,
            meet_again: valid.meet_again,
            refer_to: valid.refer_to,
            keep_in_mind: valid.keep_in_mind,
        };
        let saved = self.store.save_debrief(id, &debrief, detail.now).await?;
        tracing::info!(interview = %id, "debrief saved");
        if detail.aftercare.consent.is_none() && saved.consent.is_some() {
            let interview = &detail.interview;
            self.queue_mail(vec![aftercare_mail::consent_request(&self.site, interview)]).await;
            let text = format!(
                "{} would like to keep you in mind for roles. They only see you in their talent pool if you agree.",
                interview.host.name
            );
            let key = Some(format!("interview:{id}:consent_request"));
            self.notify_once(interview.seeker.id, "talent_consent_request", &text, &format!("/interviews/{id}"), key)
                .await;
        }
        self.interview_detail(me, id).await
    }

    /// The seeker answers the host's talent-pool question: consent, or refuse or withdraw it later.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`] for non-parties; [`ServiceError::Forbidden`] for the host;
    /// [`ServiceError::Invalid`] naming `consent` when the host never asked.
    pub async fn answer_talent_consent(&self, me: &Account, id: InterviewId, consent: bool) -> Result<InterviewDetail> {
        let detail = self.interview_detail(me, id).await?;
        if detail.is_host() {
            return Err(ServiceError::Forbidden("only the seeker answers whether they may be kept in mind".into()));
        }
        if detail.aftercare.consent.is_none() {
            return Err(ServiceError::invalid(
                "consent",
                "the host has not asked to keep you in mind after this conversation, so there is nothing to answer",
            ));
        }
        self.store
            .set_talent_consent(id, consent, detail.now)
            .await
            .map_err(|error| once(error, "the host has not asked to keep you in mind after this conversation"))?;
        tracing::info!(interview = %id, consent, "talent-pool consent answered");
        let interview = &detail.interview;
        let previous = detail.aftercare.consent.and_then(|answer| answer.given);
        if consent && previous != Some(true) {
            self.queue_mail(vec![aftercare_mail::consent_given(&self.site, interview)]).await;
            let text = format!("{} agreed to be in your talent pool.", interview.seeker.name);
            self.notify(interview.host.id, "talent_consent_given", &text, "/talent-pool").await;
        }
        self.interview_detail(me, id).await
    }

    /// One party records that the other did not come, once the meeting has started. A seeker's missed meetings
    /// reduce their open-request allowance; they are told so.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`] for non-parties; [`ServiceError::Invalid`] naming `who` (not `seeker` or
    /// `host`, or oneself), `interview_not_held` (cancelled) or `interview_not_started`;
    /// [`ServiceError::Conflict`] when a no-show or a thank-you note was already recorded.
    pub async fn report_no_show(&self, me: &Account, id: InterviewId, who: &str) -> Result<InterviewDetail> {
        let detail = self.interview_detail(me, id).await?;
        let absent = Absentee::parse(who).ok_or_else(|| {
            ServiceError::invalid("who", "must be \"seeker\" or \"host\": the side that did not come")
        })?;
        if absent != detail.other_side() {
            return Err(ServiceError::invalid(
                "who",
                format!("you can only report the other side; you are the {} here", detail.role.as_str()),
            ));
        }
        match detail.phase {
            InterviewPhase::Cancelled => {
                return Err(rule("interview_not_held", "this conversation was cancelled, so nobody missed it"));
            }
            InterviewPhase::Upcoming => {
                return Err(rule(
                    "interview_not_started",
                    format!(
                        "a missed meeting can be reported once it has started, at {}",
                        format_instant(detail.interview.start, &me.time_zone)
                    ),
                ));
            }
            InterviewPhase::InProgress | InterviewPhase::Ended => {}
        }
        let already = "a missed meeting was already recorded for this conversation";
        if detail.aftercare.no_show.is_some() {
            return Err(ServiceError::Conflict(already.into()));
        }
        if detail.aftercare.thanks.is_some() {
            return Err(ServiceError::Conflict(
                "the seeker already thanked the host for this conversation, so it took place".into(),
            ));
        }
        self.store.record_no_show(id, absent, me.id, detail.now).await.map_err(|error| once(error, already))?;
        tracing::info!(interview = %id, absent = %absent, "no-show recorded");
        let interview = &detail.interview;
        let link = format!("/interviews/{id}");
        let key = Some(format!("interview:{id}:no_show"));
        match absent {
            Absentee::Seeker => {
                let count = self.store.no_shows_of_seeker(interview.seeker.id).await?;
                self.queue_mail(vec![aftercare_mail::seeker_no_show(&self.site, interview, count)]).await;
                let text = format!(
                    "{} recorded that you missed your conversation. Missed meetings lower how many open requests you \
                     may have at a time ({count} recorded so far).",
                    interview.host.name
                );
                self.notify_once(interview.seeker.id, "no_show_recorded", &text, &link, key).await;
            }
            Absentee::Host => {
                self.queue_mail(vec![aftercare_mail::host_no_show(&self.site, interview)]).await;
                let text = format!("{} recorded that you missed your conversation.", interview.seeker.name);
                self.notify_once(interview.host.id, "no_show_recorded", &text, &link, key).await;
            }
        }
        self.interview_detail(me, id).await
    }

    /// The host invites the seeker to a follow-up conversation (once per conversation). The seeker is told by
    /// email and in-app; a later request of theirs to this host counts as invited.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`] for non-parties; [`ServiceError::Forbidden`] for the seeker;
    /// [`ServiceError::Invalid`] naming `interview_not_held`; [`ServiceError::Conflict`] when already invited.
    pub async fn invite_follow_up(&self, me: &Account, id: InterviewId) -> Result<InterviewDetail> {
        let detail = self.interview_detail(me, id).await?;
        if !detail.is_host() {
            return Err(ServiceError::Forbidden("only the host invites to a follow-up".into()));
        }
        require_held(&detail.interview, &detail.aftercare, detail.now, me)?;
        let already = "you already invited them to a follow-up after this conversation";
        if detail.aftercare.follow_up_invited_at.is_some() {
            return Err(ServiceError::Conflict(already.into()));
        }
        self.store.record_follow_up_invite(id, detail.now).await.map_err(|error| once(error, already))?;
        tracing::info!(interview = %id, "follow-up invited");
        let interview = &detail.interview;
        self.queue_mail(vec![aftercare_mail::follow_up_invited(&self.site, interview)]).await;
        let text = format!("{} would be glad to talk again: send them a new request.", interview.host.name);
        let link = format!("/h/{}", interview.host_handle.as_str());
        let key = Some(format!("interview:{id}:follow_up"));
        self.notify_once(interview.seeker.id, "follow_up_invited", &text, &link, key).await;
        self.interview_detail(me, id).await
    }

    /// The host's talent pool: each consenting seeker once, with the debrief of their latest conversation.
    ///
    /// # Errors
    /// [`ServiceError::Forbidden`] for accounts without the host role.
    pub async fn talent_pool(&self, me: &Account) -> Result<Vec<TalentPoolEntry>> {
        if !me.roles.has(Role::Host) {
            return Err(ServiceError::Forbidden("only hosts have a talent pool".into()));
        }
        let mut entries = self.store.talent_pool(me.id).await?;
        // Newest first, so the first entry of each seeker is their latest conversation.
        let mut seen = std::collections::HashSet::new();
        entries.retain(|entry| seen.insert(entry.seeker_id));
        Ok(entries)
    }

    /// How many missed meetings are recorded against the seeker (the dashboard's notice; the request rules
    /// lower the open-request allowance by them).
    ///
    /// # Errors
    /// Store failures.
    pub async fn no_shows_of(&self, me: &Account) -> Result<u32> {
        Ok(self.store.no_shows_of_seeker(me.id).await?)
    }

    /// The worker's `remind-thanks` task: seekers whose conversation ended between [`THANKS_WINDOW`] and
    /// [`THANKS_REMINDER_DELAY`] ago without a note are reminded once (email and in-app). Safe to run on several
    /// workers: the mail and the notice carry dedupe keys, and the reminder is marked. Returns how many it
    /// reminded.
    ///
    /// # Errors
    /// Store failures while listing; a failure for one interview is logged and the others go on.
    pub async fn remind_thanks(&self) -> Result<u32> {
        let now = self.now();
        let (from, to) = (shifted(now, -THANKS_WINDOW), shifted(now, -THANKS_REMINDER_DELAY));
        let due = self.store.thanks_reminders_due(from, to).await?;
        let mut reminded = 0;
        for id in due {
            match self.remind_thanks_for(id, now).await {
                Ok(true) => reminded += 1,
                Ok(false) => {}
                Err(error) => tracing::error!(%error, interview = %id, "could not remind the seeker to say thanks"),
            }
        }
        Ok(reminded)
    }

    async fn remind_thanks_for(&self, id: InterviewId, now: Timestamp) -> Result<bool> {
        let Some(interview) = self.store.interview(id).await? else {
            return Ok(false);
        };
        if !self.store.mark_thanks_reminded(id, now).await? {
            return Ok(false);
        }
        self.queue_mail(vec![aftercare_mail::thanks_reminder(&self.site, &interview)]).await;
        let text = format!(
            "Your conversation with {} is over: a short thank-you within a day means a lot.",
            interview.host.name
        );
        let key = Some(format!("interview:{id}:thanks_reminder"));
        self.notify_once(interview.seeker.id, "thanks_reminder", &text, &format!("/interviews/{id}"), key).await;
        Ok(true)
    }
}
