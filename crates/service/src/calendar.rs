//! Moving an interview to another time, the single-purpose reschedule/cancel links sent by email, and each
//! user's private calendar feed.
//!
//! * **Reschedule**: either side may move a scheduled interview to another free slot of the host (its own
//!   current time never blocks it) until `reschedule_notice_hours` before its current start. The store checks
//!   overlaps and caps again and writes the move, the used link and both notices in one transaction; the UID
//!   stays and SEQUENCE rises, so calendars move the event.
//! * **Links**: every invitation and update gives each side a reschedule link and a cancel link. A link is a
//!   random 256-bit token of which only the SHA-256 is stored, bound to one interview, one party, one action
//!   and the interview's SEQUENCE when it was sent: it stops working once used or once the interview changes.
//!   Opening a link changes nothing; only submitting its form does.
//! * **Feed**: `/feeds/{token}.ics` lists all of a user's interviews (cancelled ones as `STATUS:CANCELLED`) as
//!   one `METHOD:PUBLISH` calendar. The token is derived from the server's secret key (see [`crate::site`]),
//!   stored hashed, and can be regenerated (the old URL stops working) or revoked.

use coffeechat_domain::{AccountId, HostPolicy, InterviewId, InterviewStatus};
use coffeechat_schedule::Slot;
use coffeechat_schedule::ics::{Method, calendar_ics};
use coffeechat_store::{
    ActionTokenRecord, FeedTokenRecord, LinkAction, NewActionToken, NewOutboxMessage, RescheduleBooking,
};
use jiff::{SignedDuration, Timestamp};

use crate::availability::{acceptance_problem, cap_periods, shifted};
use crate::interviews::event_description;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;

use crate::link_token::{digest, new_token};
use crate::mail::{InterviewMail, Recipient, calendar_event, interview_rescheduled};
use crate::{Account, InterviewRecord, Party, Result, ServiceError, Services};

/// How far ahead the reschedule form lists free slots (further ones can still be chosen through the API).
const RESCHEDULE_LISTING: SignedDuration = SignedDuration::from_hours(28 * 24);
/// At most this many slots are listed, so a host with 5-minute increments does not produce a wall of times.
const MAX_LISTED_SLOTS: usize = 120;

/// The last instant `interview` may still be moved at: its current start less the host's reschedule notice.
fn move_deadline(interview: &InterviewRecord, policy: &HostPolicy) -> Timestamp {
    shifted(interview.start, -policy.reschedule_notice())
}

/// The absolute reschedule and cancel links of one party for one version of an interview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PartyLinks {
    pub reschedule: String,
    pub cancel: String,
}

/// What every calendar copy of one version of an interview shares: its texts, stamp and page link.
#[derive(Debug, Clone)]
pub(crate) struct CalendarCopy {
    summary: String,
    description: String,
    stamp: Timestamp,
    pub url: String,
}

impl CalendarCopy {
    pub(crate) fn new(interview: &InterviewRecord, stamp: Timestamp, url: String) -> Self {
        Self {
            summary: format!("Informational interview: {} with {}", interview.seeker.name, interview.host.name),
            description: event_description(interview),
            stamp,
            url,
        }
    }

    /// The RFC 5545 text of `interview` (whose UID and SEQUENCE it carries) under `method`.
    pub(crate) fn ics(&self, interview: &InterviewRecord, method: Method) -> String {
        calendar_ics(&[calendar_event(interview, &self.summary, &self.description, self.stamp, &self.url)], method)
    }
}

/// The reschedule form's content: where the interview stands and which times it may move to.
#[derive(Debug, Clone)]
pub struct RescheduleChoice {
    pub interview: InterviewRecord,
    /// Free starts of the interview's length in the next four weeks (at most 120), in start order.
    pub slots: Vec<Slot>,
    /// Why it cannot be moved now (cancelled, too close to its start); `None` when it can.
    pub blocked: Option<String>,
    /// The last instant at which it may still be moved: its current start less the host's notice.
    pub deadline: Timestamp,
}

/// A reschedule or cancel link as its holder sees it before using it.
#[derive(Debug, Clone)]
pub struct ActionLink {
    pub action: LinkAction,
    pub interview: InterviewRecord,
    /// The side the link acts for.
    pub actor: Party,
    /// Why the link cannot be used (used, outdated, too late); `None` when it can.
    pub problem: Option<String>,
    /// For a usable reschedule link: the times it may move to.
    pub slots: Vec<Slot>,
}

impl Services {
    /// A fresh pair of links for `party` on the current version of `interview`, and the tokens to store with
    /// the message that carries them.
    pub(crate) fn party_links(
        &self,
        interview: &InterviewRecord,
        party: AccountId,
    ) -> (PartyLinks, Vec<NewActionToken>) {
        let mut tokens = Vec::with_capacity(2);
        let mut link = |action: LinkAction| {
            let (token, token_hash) = new_token();
            tokens.push(NewActionToken {
                token_hash,
                interview_id: interview.id,
                account_id: party,
                action,
                sequence: interview.ical_sequence,
            });
            self.site.link(&format!("/links/{token}"))
        };
        let links = PartyLinks { reschedule: link(LinkAction::Reschedule), cancel: link(LinkAction::Cancel) };
        (links, tokens)
    }

    // -----------------------------------------------------------------------------------------------------
    // Reschedule.

    /// Whether and where the caller may move an interview: the free slots of the host (the interview's own time
    /// not blocking) and, when it cannot be moved, why.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`]`("interview")` for non-parties.
    pub async fn reschedule_choice(&self, me: &Account, id: InterviewId) -> Result<RescheduleChoice> {
        let interview = self.interview(me, id).await?;
        self.choice_for(interview).await
    }

    /// Either side moves a scheduled interview to `start` (RFC 3339), a free slot of the host's at least
    /// `reschedule_notice_hours` before the interview's current start. Both sides get the update by email.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`] for non-parties; [`ServiceError::Invalid`] with `start` when it is not an
    /// instant or is the current time; [`ServiceError::Conflict`] when the interview is cancelled, too close to
    /// its start, or the new time is not free (booked, held, outside the host's hours, a full day, week or
    /// month, too soon), or it changed meanwhile.
    pub async fn reschedule_interview(&self, me: &Account, id: InterviewId, start: &str) -> Result<InterviewRecord> {
        let interview = self.interview(me, id).await?;
        self.move_interview(interview, me.id, start, None).await
    }

    async fn choice_for(&self, interview: InterviewRecord) -> Result<RescheduleChoice> {
        let now = self.now();
        let policy = self.policy_of(interview.host.id, &interview.host.time_zone).await?;
        let deadline = move_deadline(&interview, &policy);
        let blocked = self.why_not_movable(&interview, &policy, now);
        let slots = if blocked.is_some() {
            Vec::new()
        } else {
            let mut policy = policy;
            policy.accepting = true;
            let to = shifted(now, RESCHEDULE_LISTING.min(policy.horizon()));
            let time = self
                .host_time(interview.host.id, &policy, now, to, now)
                .await?
                .without_booking(interview.start, interview.end);
            let mut slots = time.free_slots(&policy, interview.length, now, to, now);
            slots.retain(|slot| slot.start != interview.start);
            slots.truncate(MAX_LISTED_SLOTS);
            slots
        };
        Ok(RescheduleChoice { interview, slots, blocked, deadline })
    }

    /// Why `interview` cannot be moved at `now` under the host's `policy`; `None` when it can.
    fn why_not_movable(&self, interview: &InterviewRecord, policy: &HostPolicy, now: Timestamp) -> Option<String> {
        if interview.status != InterviewStatus::Scheduled {
            return Some("this conversation was cancelled, so it cannot be moved".to_owned());
        }
        if now > move_deadline(interview, policy) {
            return Some(format!(
                "this conversation can only be moved up to {} hours before it starts; cancel it instead if you \
                 cannot make it",
                policy.reschedule_notice_hours
            ));
        }
        None
    }

    /// Moves `interview` for `actor`: checks the rules, then lets the store book it atomically with its notices.
    async fn move_interview(
        &self,
        interview: InterviewRecord,
        actor: AccountId,
        start: &str,
        used_token_hash: Option<String>,
    ) -> Result<InterviewRecord> {
        let start: Timestamp = start
            .trim()
            .parse()
            .map_err(|_| ServiceError::invalid("start", "must be an RFC 3339 instant such as 2026-03-02T14:30:00Z"))?;
        if start == interview.start {
            return Err(ServiceError::invalid("start", "is the conversation's current time; choose another one"));
        }
        let now = self.now();
        let mut policy = self.policy_of(interview.host.id, &interview.host.time_zone).await?;
        if let Some(problem) = self.why_not_movable(&interview, &policy, now) {
            return Err(ServiceError::Conflict(problem));
        }
        // Pausing new requests does not stop a host from moving the conversations already booked.
        policy.accepting = true;
        let end = shifted(start, interview.length.span());
        let time = self
            .host_time(interview.host.id, &policy, start, end, now)
            .await?
            .without_booking(interview.start, interview.end);
        if let Some(why) = time.why_not_free(&policy, interview.length, start, now) {
            return Err(ServiceError::Conflict(acceptance_problem(why, &policy)));
        }

        let previous = (interview.start, interview.end);
        let mut moved = interview.clone();
        moved.start = start;
        moved.end = end;
        moved.ical_sequence = interview.ical_sequence.saturating_add(1);
        let messages = self.reschedule_notices(&moved, previous, actor);
        let booked = self
            .store
            .reschedule_interview(RescheduleBooking {
                interview_id: interview.id,
                expected_sequence: interview.ical_sequence,
                start,
                end,
                conflict_from: shifted(start, -policy.buffer()),
                conflict_to: shifted(end, policy.buffer()),
                caps: cap_periods(&policy, start),
                count_pending: policy.count_pending,
                used_token_hash,
                messages,
                at: now,
            })
            .await?;
        tracing::info!(interview = %booked.id, sequence = booked.ical_sequence, "interview rescheduled");
        Ok(booked)
    }

    /// Both sides' notices of a move, composed for the interview as it will be after the move.
    fn reschedule_notices(
        &self,
        moved: &InterviewRecord,
        previous: (Timestamp, Timestamp),
        actor: AccountId,
    ) -> Vec<NewOutboxMessage> {
        let calendar = CalendarCopy::new(moved, self.now(), self.site.link(&format!("/interviews/{}", moved.id)));
        Recipient::both(&moved.host, &moved.seeker)
            .into_iter()
            .map(|to| {
                let mail = InterviewMail {
                    interview: moved,
                    to,
                    calendar: &calendar,
                    links: Some(self.party_links(moved, to.party.id)),
                    interview_url: calendar.url.clone(),
                };
                interview_rescheduled(mail, previous, actor)
            })
            .collect()
    }

    // -----------------------------------------------------------------------------------------------------
    // Links.

    /// What a reschedule or cancel link would do, and whether it still can. Changes nothing.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`]`("link")` when no link has this token.
    pub async fn action_link(&self, token: &str) -> Result<ActionLink> {
        let (record, interview, actor) = self.resolve_link(token).await?;
        let problem = self.link_problem(&record, &interview).await?;
        let slots = match (record.action, &problem) {
            (LinkAction::Reschedule, None) => self.choice_for(interview.clone()).await?.slots,
            _ => Vec::new(),
        };
        Ok(ActionLink { action: record.action, interview, actor, problem, slots })
    }

    /// Cancels the interview a cancel link names, as the party it was sent to, with their reason.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`]`("link")` for an unknown token or one of another action;
    /// [`ServiceError::Invalid`] with `reason`; [`ServiceError::Conflict`] when the link was used, the interview
    /// changed since it was sent, or it has started.
    pub async fn cancel_with_link(&self, token: &str, reason: &str) -> Result<InterviewRecord> {
        let (record, interview, _) = self.resolve_link(token).await?;
        if record.action != LinkAction::Cancel {
            return Err(ServiceError::NotFound("link"));
        }
        if let Some(problem) = self.link_problem(&record, &interview).await? {
            return Err(ServiceError::Conflict(problem));
        }
        let account = self.store.account(record.account_id).await?.ok_or(ServiceError::NotFound("link"))?;
        let cancelled = self.cancel_interview(&account, interview.id, reason).await?;
        // The cancellation raised the sequence, which already retires the link; recording the use only keeps the
        // answer to a second click precise ("used" rather than "changed"), so a failure here is not the user's.
        if let Err(error) = self.store.use_action_token(&digest(token), self.now()).await {
            tracing::warn!(%error, interview = %cancelled.id, "could not mark a used cancel link");
        }
        Ok(cancelled)
    }

    /// Moves the interview a reschedule link names to `start`, as the party it was sent to.
    ///
    /// # Errors
    /// As [`Services::reschedule_interview`], and [`ServiceError::NotFound`]`("link")` for an unknown token or one
    /// of another action, [`ServiceError::Conflict`] when the link was used or is outdated.
    pub async fn reschedule_with_link(&self, token: &str, start: &str) -> Result<InterviewRecord> {
        let (record, interview, _) = self.resolve_link(token).await?;
        if record.action != LinkAction::Reschedule {
            return Err(ServiceError::NotFound("link"));
        }
        if let Some(problem) = self.link_problem(&record, &interview).await? {
            return Err(ServiceError::Conflict(problem));
        }
        self.move_interview(interview, record.account_id, start, Some(digest(token))).await
    }

    async fn resolve_link(&self, token: &str) -> Result<(ActionTokenRecord, InterviewRecord, Party)> {
        let record = self.store.action_token(&digest(token)).await?.ok_or(ServiceError::NotFound("link"))?;
        let interview = self.store.interview(record.interview_id).await?.ok_or(ServiceError::NotFound("link"))?;
        let actor = if record.account_id == interview.host.id {
            interview.host.clone()
        } else if record.account_id == interview.seeker.id {
            interview.seeker.clone()
        } else {
            return Err(ServiceError::NotFound("link"));
        };
        Ok((record, interview, actor))
    }

    /// Why a link cannot be used now; `None` when it can.
    async fn link_problem(&self, record: &ActionTokenRecord, interview: &InterviewRecord) -> Result<Option<String>> {
        if record.used_at.is_some() {
            return Ok(Some("this link has already been used".to_owned()));
        }
        if interview.status != InterviewStatus::Scheduled {
            return Ok(Some("this conversation was cancelled, so the link no longer works".to_owned()));
        }
        if record.sequence != interview.ical_sequence {
            return Ok(Some(
                "this conversation has changed since the link was sent; use the link in the newest email, or log in"
                    .to_owned(),
            ));
        }
        let now = self.now();
        Ok(match record.action {
            LinkAction::Cancel if interview.start <= now => {
                Some("this conversation has already started, so it can no longer be cancelled".to_owned())
            }
            LinkAction::Cancel => None,
            LinkAction::Reschedule => {
                let policy = self.policy_of(interview.host.id, &interview.host.time_zone).await?;
                self.why_not_movable(interview, &policy, now)
            }
        })
    }

    // -----------------------------------------------------------------------------------------------------
    // Calendar feed.

    /// The caller's private feed URL, created on first use. If the server's key changed since it was made (so
    /// the URL cannot be shown again), a new one replaces it.
    ///
    /// # Errors
    /// Only store failures.
    pub async fn feed_url(&self, me: &Account) -> Result<String> {
        if let Some(url) = self.existing_feed_url(me).await? {
            return Ok(url);
        }
        self.regenerate_feed(me).await
    }

    /// The caller's feed URL if they have one; never creates one.
    ///
    /// # Errors
    /// Only store failures.
    pub async fn existing_feed_url(&self, me: &Account) -> Result<Option<String>> {
        let Some(stored) = self.store.feed_token(me.id).await? else {
            return Ok(None);
        };
        let token = self.feed_token(me.id, &stored.nonce);
        if digest(&token) == stored.token_hash {
            Ok(Some(self.feed_link(&token)))
        } else {
            tracing::info!(account = %me.id, "a feed token was made with another server key; it cannot be shown");
            Ok(None)
        }
    }

    /// Replaces the caller's feed URL with a new one; the old one stops working at once.
    ///
    /// # Errors
    /// Only store failures.
    pub async fn regenerate_feed(&self, me: &Account) -> Result<String> {
        let mut nonce = [0u8; 16];
        rand::rng().fill_bytes(&mut nonce);
        let nonce = URL_SAFE_NO_PAD.encode(nonce);
        let token = self.feed_token(me.id, &nonce);
        let record = FeedTokenRecord { nonce, token_hash: digest(&token), created_at: self.now() };
        self.store.put_feed_token(me.id, &record).await?;
        tracing::info!(account = %me.id, "calendar feed URL issued");
        Ok(self.feed_link(&token))
    }

    /// Revokes the caller's feed URL; `false` when they had none.
    ///
    /// # Errors
    /// Only store failures.
    pub async fn revoke_feed(&self, me: &Account) -> Result<bool> {
        Ok(self.store.delete_feed_token(me.id).await?)
    }

    /// The calendar behind a feed token: every interview of its owner, one `METHOD:PUBLISH` VCALENDAR with UTC
    /// times; cancelled interviews stay in it as `STATUS:CANCELLED` so subscribed calendars drop them.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`]`("feed")` when no feed has this token (never existed, regenerated, revoked).
    pub async fn feed_calendar(&self, token: &str) -> Result<String> {
        let owner = self.store.account_by_feed_token(&digest(token)).await?.ok_or(ServiceError::NotFound("feed"))?;
        let interviews = self.store.interviews_for(owner.id).await?;
        let now = self.now();
        let copies: Vec<CalendarCopy> = interviews
            .iter()
            .map(|interview| {
                CalendarCopy::new(interview, now, self.site.link(&format!("/interviews/{}", interview.id)))
            })
            .collect();
        let events: Vec<_> = interviews
            .iter()
            .zip(&copies)
            .map(|(interview, copy)| calendar_event(interview, &copy.summary, &copy.description, copy.stamp, &copy.url))
            .collect();
        Ok(calendar_ics(&events, Method::Publish))
    }

    fn feed_token(&self, account: AccountId, nonce: &str) -> String {
        self.site.secret_key.sign(&format!("coffeechat-feed:{account}:{nonce}"))
    }

    fn feed_link(&self, token: &str) -> String {
        self.site.link(&format!("/feeds/{token}.ics"))
    }
}
