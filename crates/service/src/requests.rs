//! Requests: a seeker asks a host for a conversation; the host accepts one proposed time or declines;
//! the seeker may withdraw while it is pending.
//!
//! Visibility: a request exists, as far as anyone can tell, only for its seeker and its host. Anyone
//! else gets "not found", never "forbidden", so ids cannot be probed for existence.

use coffeechat_domain::etiquette::{Finding, check_request};
use coffeechat_domain::request_rules::{NO_SHOW_STEP, OpenAllowance, Preparation, check_preparation};
use coffeechat_domain::time_text::format_date;
use coffeechat_domain::{
    DeclineReason, EtiquetteMode, FieldErrors, NewRequest, NewRequestInput, Overflow, RequestId, RequestRules, Role,
    TimeZoneName, decline_message,
};
use coffeechat_store::{
    Absentee, AcceptBooking, NewRequestRecord, NewWaitlistEntry, RequestChange, WaitlistEntry, WaitlistStatus,
};
use jiff::Timestamp;

use crate::availability::{Capacity, acceptance_problem, cap_periods, proposal_problem, shifted};
use crate::hosts::offered_length;
use crate::waitlist::Room;
use crate::{Account, DirectoryQuery, Host, InterviewRecord, RequestRecord, Result, ServiceError, Services};

/// Which side of a request the caller is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Seeker,
    Host,
}

fn side_of(me: &Account, request: &RequestRecord) -> Option<Side> {
    if me.id == request.host.id {
        Some(Side::Host)
    } else if me.id == request.seeker.id {
        Some(Side::Seeker)
    } else {
        None
    }
}

/// What became of a request sent with [`Services::send_request`].
#[derive(Debug, Clone)]
pub enum RequestOutcome {
    /// The host has room: the request is pending. `findings` is what the etiquette check found (the host
    /// sees them too; in the host's "warn" mode they do not stop the request).
    Sent { request: RequestRecord, findings: Vec<Finding> },
    /// The host is full and keeps a waitlist: the seeker is in line.
    Waitlisted { entry: WaitlistEntry, next_opening: Option<Timestamp> },
    /// The host is full and declines at once (recorded, never silently dropped), with similar hosts who have
    /// time now.
    HostFull(HostFull),
}

/// A kind refusal from a full host in decline mode.
#[derive(Debug, Clone)]
pub struct HostFull {
    pub message: String,
    pub next_opening: Option<Timestamp>,
    /// Up to three similar hosts with a free slot now.
    pub suggestions: Vec<HostSuggestion>,
}

/// A host with time now, similar to the one who was full.
#[derive(Debug, Clone)]
pub struct HostSuggestion {
    pub handle: String,
    pub name: String,
    pub headline: String,
    pub next_free: Timestamp,
}

/// At most this many similar hosts are suggested.
pub const MAX_SUGGESTIONS: usize = 3;

/// The etiquette findings as field errors: each finding under the field its sentence came from, with its rule
/// and suggestion.
fn etiquette_errors(purpose: &str, findings: &[Finding]) -> FieldErrors {
    let purpose_text = purpose.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut by_field: Vec<(&str, Vec<String>)> = vec![("purpose", Vec::new()), ("questions", Vec::new())];
    for finding in findings {
        let field = usize::from(!purpose_text.contains(finding.text.as_str()));
        by_field[field].1.push(format!("{}: “{}” — {}", finding.rule.as_str(), finding.text, finding.suggestion));
    }
    let mut errors = FieldErrors::new();
    for (field, messages) in by_field {
        if !messages.is_empty() {
            errors.add(field, format!("this host asks you to revise before sending: {}", messages.join("; ")));
        }
    }
    errors
}

/// Where a full host's next opening is, said in a sentence for the 409 and the waitlist notice.
fn opening_text(host_name: &str, capacity: &Capacity, zone: &TimeZoneName) -> String {
    if capacity.paused {
        return format!("{host_name} is not taking requests for now.");
    }
    match capacity.next_opening {
        Some(at) => {
            format!("{host_name}'s calendar is full for now; the next opening is from {}.", format_date(at, zone))
        }
        None => format!("{host_name}'s calendar is full for now."),
    }
}

impl Services {
    /// Sends a request to a host.
    ///
    /// # Errors
    /// [`ServiceError::Forbidden`] unless the caller is a seeker; [`ServiceError::Invalid`] naming the
    /// field: `host` (malformed, unknown, or the caller themselves), `length_minutes` (not offered),
    /// `proposed_starts` (malformed, none, more than 3, or not a free slot), `purpose` (empty), `topics`,
    /// `questions`; [`ServiceError::Conflict`] when the host is not accepting requests. A proposal that is
    /// not free is named as the seeker reads it (their zone) with the reason: held for another request,
    /// already booked, a full day, week or month, too soon, too far ahead, or outside the host's hours.
    pub async fn create_request(&self, me: &Account, input: NewRequestInput) -> Result<RequestRecord> {
        self.create_request_shown_in(me, input, &me.time_zone).await
    }

    /// [`Services::create_request`], naming refused proposals in `zone` (the zone a form showed them in).
    /// A full host is a [`ServiceError::Conflict`] here and nothing is written; [`Services::send_request`]
    /// waitlists or declines instead, as the host chose.
    ///
    /// # Errors
    /// As [`Services::create_request`].
    pub async fn create_request_shown_in(
        &self,
        me: &Account,
        input: NewRequestInput,
        zone: &TimeZoneName,
    ) -> Result<RequestRecord> {
        match self.submit_request(me, input, zone, false).await? {
            RequestOutcome::Sent { request, .. } => Ok(request),
            RequestOutcome::HostFull(full) => Err(ServiceError::Conflict(full.message)),
            RequestOutcome::Waitlisted { .. } => {
                Err(ServiceError::internal("a request that may not overflow was waitlisted"))
            }
        }
    }

    /// Sends a request through every rule of the host: the preparation gate, the etiquette check (warn:
    /// findings returned and kept for the host; block: refused), once-is-enough, one pending request per host,
    /// the open-request allowance, then the host's room: sent, waitlisted, or declined at once with similar
    /// hosts (the host's overflow setting). Proposals may be empty when the host is full.
    ///
    /// # Errors
    /// As [`Services::create_request`], plus `host` for `once_is_enough`, `one_pending_per_host` and
    /// `open_request_limit`, `purpose`/`questions` for etiquette findings in block mode, `topics` for
    /// topics outside the question bank. Every message starts with the rule's name.
    pub async fn send_request(
        &self,
        me: &Account,
        input: NewRequestInput,
        zone: &TimeZoneName,
    ) -> Result<RequestOutcome> {
        self.submit_request(me, input, zone, true).await
    }

    async fn submit_request(
        &self,
        me: &Account,
        input: NewRequestInput,
        zone: &TimeZoneName,
        overflow_allowed: bool,
    ) -> Result<RequestOutcome> {
        if !me.roles.has(Role::Seeker) {
            return Err(ServiceError::Forbidden("only seekers can send requests".into()));
        }
        let mut request = input.validate_without_starts()?;
        let host = self
            .store
            .host_by_handle(&request.host)
            .await?
            .ok_or_else(|| ServiceError::invalid("host", "no host with this handle"))?;
        if host.account_id == me.id {
            return Err(ServiceError::invalid("host", "you cannot request a conversation with yourself"));
        }
        let policy = self.effective_policy(&host).await?;
        let rules = self.store.request_rules(host.account_id).await?;
        let preparation = Preparation {
            purpose: &request.purpose,
            topics: &request.topics,
            questions: &request.questions,
            length: request.length,
        };
        let topics = match check_preparation(&rules, &policy.lengths, preparation) {
            Ok(topics) => topics,
            Err(mut errors) => {
                // Every problem of the form at once: missing times too, unless the host is full (then none are
                // needed).
                if request.proposed_starts.is_empty()
                    && !self.room_for(host.account_id, &policy, me.id).await?.is_full()
                {
                    errors.add("proposed_starts", "propose at least one slot");
                }
                return Err(ServiceError::Invalid(errors));
            }
        };
        request.topics = topics.iter().map(|topic| topic.title().to_owned()).collect();
        let findings = check_request(&request.purpose, &request.questions, Some(request.length.minutes()));
        if rules.etiquette_mode == EtiquetteMode::Block && !findings.is_empty() {
            return Err(ServiceError::Invalid(etiquette_errors(&request.purpose, &findings)));
        }
        let now = self.now();
        self.check_once_is_enough(me, &host, now).await?;
        let room = self.room_for(host.account_id, &policy, me.id).await?;
        self.check_open_requests(me, &host, &rules, room.own_offer.as_ref()).await?;

        if room.is_full() {
            return self.overflow(me, &host, &rules, &room, request, zone, overflow_allowed).await;
        }
        if request.proposed_starts.is_empty() {
            return Err(ServiceError::invalid("proposed_starts", "propose at least one slot"));
        }
        let length = offered_length(&policy, i64::from(request.length.minutes()), "length_minutes")?;
        let (Some(&earliest), Some(&latest)) = (request.proposed_starts.first(), request.proposed_starts.last()) else {
            return Err(ServiceError::invalid("proposed_starts", "propose at least one slot"));
        };
        // Proposals far outside the horizon are refused before the engine sees them; clamp the fetch so that
        // a start in the year 9999 does not ask the store for millennia of bookings.
        let fetch_from = earliest.max(now);
        let fetch_to =
            shifted(latest, length.span()).min(shifted(now, policy.horizon() + length.span())).max(fetch_from);
        let time = self.host_time(host.account_id, &policy, fetch_from, fetch_to, now).await?;
        let taken: Vec<String> = request
            .proposed_starts
            .iter()
            .filter_map(|&start| {
                time.why_not_free(&policy, length, start, now).map(|why| proposal_problem(why, &policy, start, zone))
            })
            .collect();
        if !taken.is_empty() {
            return Err(ServiceError::invalid("proposed_starts", taken.join("; ")));
        }

        let record = self
            .store
            .create_request(NewRequestRecord {
                seeker_id: me.id,
                host_id: host.account_id,
                length,
                proposed_starts: request.proposed_starts,
                purpose: request.purpose,
                topics: request.topics,
                questions: request.questions,
                created_at: now,
                expires_at: shifted(now, rules.expiry()),
            })
            .await?;
        if !findings.is_empty() {
            self.store.set_request_findings(record.id, &findings).await?;
        }
        if room.own_offer.is_some() {
            self.store.use_offer(host.account_id, me.id, now).await?;
        }
        tracing::info!(request = %record.id, findings = findings.len(), "request sent");
        self.notify_request_sent(&record).await;
        Ok(RequestOutcome::Sent { request: record, findings })
    }

    /// Once is enough: after a meeting with the host took place (not missed by the host), only the host's
    /// follow-up invitation opens the door again.
    async fn check_once_is_enough(&self, me: &Account, host: &Host, now: Timestamp) -> Result<()> {
        let meetings = self.store.past_meetings(me.id, host.account_id, now).await?;
        let mut last_held = None;
        for meeting in meetings {
            let aftercare = self.store.aftercare(meeting.interview_id).await?;
            let host_missed = aftercare.no_show.is_some_and(|no_show| no_show.absent == Absentee::Host);
            if !host_missed {
                last_held = Some(meeting.end);
                break;
            }
        }
        let Some(last_held) = last_held else { return Ok(()) };
        let invited = self.store.follow_up_invited_at(me.id, host.account_id).await?;
        if invited.is_some_and(|at| at >= last_held) {
            return Ok(());
        }
        Err(ServiceError::invalid(
            "host",
            format!(
                "once_is_enough: you have already met {} — one conversation is what a host offers; they can invite \
                 you to a follow-up from the conversation's page, and then you can ask again",
                host.profile.name
            ),
        ))
    }

    /// One open request per host, and at most the allowance (the host's limit, reduced by missed meetings)
    /// in all. A seeker using an offer from the host's line is not counted twice for it.
    async fn check_open_requests(
        &self,
        me: &Account,
        host: &Host,
        rules: &RequestRules,
        own_offer: Option<&WaitlistEntry>,
    ) -> Result<()> {
        let open = self.store.open_requests(me.id).await?;
        if open.pending_with.contains(&host.account_id)
            || (own_offer.is_none() && open.waitlisted_with.contains(&host.account_id))
        {
            return Err(ServiceError::invalid(
                "host",
                format!(
                    "one_pending_per_host: you already have an open request to {} — wait for their answer, or \
                     withdraw it from your dashboard first",
                    host.profile.name
                ),
            ));
        }
        let no_shows = self.store.no_shows_of_seeker(me.id).await?;
        let allowance = OpenAllowance::new(rules.max_open_requests, no_shows, NO_SHOW_STEP);
        let counted = open.count().saturating_sub(u32::from(own_offer.is_some()));
        match allowance.refusal(counted) {
            Some(message) => Err(ServiceError::invalid("host", message)),
            None => Ok(()),
        }
    }

    /// A request to a full host: a place in line, or a kind refusal with similar hosts, as the host chose.
    #[allow(clippy::too_many_arguments, reason = "one call site, every argument a different fact")]
    async fn overflow(
        &self,
        me: &Account,
        host: &Host,
        rules: &RequestRules,
        room: &Room,
        request: NewRequest,
        zone: &TimeZoneName,
        overflow_allowed: bool,
    ) -> Result<RequestOutcome> {
        let message = opening_text(&host.profile.name, &room.capacity, zone);
        let waitlist = rules.overflow == Overflow::Waitlist;
        if !overflow_allowed {
            return Ok(RequestOutcome::HostFull(HostFull {
                message,
                next_opening: room.capacity.next_opening,
                suggestions: Vec::new(),
            }));
        }
        let entry = self
            .store
            .add_to_waitlist(NewWaitlistEntry {
                host_id: host.account_id,
                seeker_id: me.id,
                status: if waitlist { WaitlistStatus::Waiting } else { WaitlistStatus::DeclinedFull },
                length: request.length,
                purpose: request.purpose,
                topics: request.topics,
                questions: request.questions,
                at: self.now(),
            })
            .await
            .map_err(|error| match error {
                coffeechat_store::StoreError::Conflict(_) => ServiceError::invalid(
                    "host",
                    format!("one_pending_per_host: you are already on {}'s waitlist", host.profile.name),
                ),
                other => other.into(),
            })?;
        if waitlist {
            let position = entry.position.unwrap_or(1);
            tracing::info!(entry = %entry.id, position, "request waitlisted");
            let text = format!(
                "{message} You are number {position} on the waitlist; when an opening comes up and it is your turn, \
                 it is kept for you for 48 hours."
            );
            let link = format!("/h/{}", host.profile.handle);
            let key = Some(format!("waitlist:{}:joined", entry.id));
            self.notify_once(me.id, "waitlist_joined", &text, &link, key).await;
            let text = format!("{} joined your waitlist (number {position}).", me.name);
            self.notify(host.account_id, "waitlist_joined", &text, "/dashboard").await;
            return Ok(RequestOutcome::Waitlisted { entry, next_opening: room.capacity.next_opening });
        }
        tracing::info!(entry = %entry.id, "request declined: host full");
        let suggestions = self.similar_hosts_with_time(host, me).await?;
        let message = format!(
            "{message} Thank you for preparing so well — {} has chosen not to keep a waitlist, so this request was \
             not sent. {}",
            host.profile.name,
            if suggestions.is_empty() {
                "Please try again when they have an opening.".to_owned()
            } else {
                "These people with similar experience have time now.".to_owned()
            }
        );
        Ok(RequestOutcome::HostFull(HostFull { message, next_opening: room.capacity.next_opening, suggestions }))
    }

    /// Up to [`MAX_SUGGESTIONS`] hosts like `host` (same industry, then shared skills, then shared topics) with
    /// a free slot in the next two weeks, never `host` or the seeker.
    async fn similar_hosts_with_time(&self, host: &Host, me: &Account) -> Result<Vec<HostSuggestion>> {
        let profile = &host.profile;
        let mut queries = Vec::new();
        let query = |industry: Option<String>, skill: Option<String>, text: Option<String>| DirectoryQuery {
            text,
            industry,
            skill,
            has_free_slots: true,
            limit: 20,
        };
        if !profile.industry.trim().is_empty() {
            queries.push(query(Some(profile.industry.clone()), None, None));
        }
        queries.extend(profile.skills.iter().take(3).map(|skill| query(None, Some(skill.clone()), None)));
        queries.extend(profile.topics.iter().take(3).map(|topic| query(None, None, Some(topic.clone()))));
        let mut suggestions: Vec<HostSuggestion> = Vec::new();
        for query in queries {
            for listing in self.directory(query).await? {
                let id = listing.host.account_id;
                let seen = suggestions.iter().any(|s| s.handle == listing.host.profile.handle.as_str());
                if id == host.account_id || id == me.id || seen || !listing.policy.accepting {
                    continue;
                }
                let Some(next_free) = listing.next_free else { continue };
                suggestions.push(HostSuggestion {
                    handle: listing.host.profile.handle.as_str().to_owned(),
                    name: listing.host.profile.name.clone(),
                    headline: listing.host.profile.headline.clone(),
                    next_free,
                });
                if suggestions.len() == MAX_SUGGESTIONS {
                    return Ok(suggestions);
                }
            }
        }
        Ok(suggestions)
    }

    /// The etiquette findings kept with a request (the host's request page shows them, muted).
    ///
    /// # Errors
    /// [`ServiceError::NotFound`] for non-parties.
    pub async fn request_findings(&self, me: &Account, id: RequestId) -> Result<Vec<Finding>> {
        self.visible_request(me, id).await?;
        Ok(self.store.request_findings(id).await?)
    }

    /// When a request expires unanswered (`None` for requests older than expiry).
    ///
    /// # Errors
    /// [`ServiceError::NotFound`] for non-parties.
    pub async fn request_expires_at(&self, me: &Account, id: RequestId) -> Result<Option<Timestamp>> {
        self.visible_request(me, id).await?;
        Ok(self.store.request_deadlines(id).await?.expires_at)
    }

    /// The caller's requests, as seeker and as host, newest first.
    ///
    /// # Errors
    /// Only store failures.
    pub async fn requests(&self, me: &Account) -> Result<Vec<RequestRecord>> {
        Ok(self.store.requests_for(me.id).await?)
    }

    /// One request, if the caller is its seeker or host.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`]`("request")` when it does not exist or the caller is not a party to it.
    pub async fn request(&self, me: &Account, id: RequestId) -> Result<RequestRecord> {
        Ok(self.visible_request(me, id).await?.0)
    }

    /// The host accepts one of the proposed starts: the interview is booked atomically.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`] for non-parties; [`ServiceError::Forbidden`] for the seeker;
    /// [`ServiceError::Invalid`] with `start` when it is not one of the proposed starts;
    /// [`ServiceError::Conflict`] when the request is no longer pending, the time is no longer free
    /// (booked, too soon, outside the host's hours) or its day, week or month is full of interviews. Pending
    /// requests never stand in the way, their holds nor (even when the host counts them for seekers) their
    /// place in the caps: the first accepted wins. The other requests' proposals that conflict with the new
    /// interview then stop being free; they can still be accepted at their other proposed times.
    pub async fn accept(&self, me: &Account, id: RequestId, start: &str) -> Result<InterviewRecord> {
        let (request, side) = self.visible_request(me, id).await?;
        if side != Side::Host {
            return Err(ServiceError::Forbidden("only the host can accept a request".into()));
        }
        request.status.accept()?;
        let start: Timestamp = start
            .trim()
            .parse()
            .map_err(|_| ServiceError::invalid("start", "must be an RFC 3339 instant such as 2026-03-02T14:30:00Z"))?;
        if !request.proposed_starts.contains(&start) {
            return Err(ServiceError::invalid("start", "must be one of the proposed times"));
        }

        let mut policy = self.policy_of(request.host.id, &request.host.time_zone).await?;
        // Pausing new requests does not stop a host from answering the ones already in the inbox.
        policy.accepting = true;
        let now = self.now();
        let end = shifted(start, request.length.span());
        let time = self.host_time_for_acceptance(request.host.id, &policy, start, end, now).await?;
        if let Some(why) = time.why_not_free(&policy, request.length, start, now) {
            return Err(ServiceError::Conflict(acceptance_problem(why, &policy)));
        }

        // The check above gives a precise message; this transaction is what guarantees no double booking
        // and no period over its cap when accepts race.
        let follow_ups = |interview: &InterviewRecord| self.interview_booked_follow_ups(interview);
        let interview = self
            .store
            .accept_request_with(
                AcceptBooking {
                    request_id: request.id,
                    start,
                    end,
                    conflict_from: shifted(start, -policy.buffer()),
                    conflict_to: shifted(end, policy.buffer()),
                    caps: cap_periods(&policy, start),
                    // As in the check above: only interviews count when the host accepts (see `for_acceptance`).
                    count_pending: false,
                    at: now,
                },
                &follow_ups,
            )
            .await?;
        tracing::info!(request = %request.id, interview = %interview.id, "request accepted");
        Ok(interview)
    }

    /// The host declines with one of the listed reasons (`no_capacity`, `timing`, `not_my_area`, `other`)
    /// and an optional message.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`] for non-parties; [`ServiceError::Forbidden`] for the seeker;
    /// [`ServiceError::Invalid`] with `reason` or `message`; [`ServiceError::Conflict`] unless pending.
    pub async fn decline(&self, me: &Account, id: RequestId, reason: &str, message: &str) -> Result<RequestRecord> {
        let (request, side) = self.visible_request(me, id).await?;
        if side != Side::Host {
            return Err(ServiceError::Forbidden("only the host can decline a request".into()));
        }
        request.status.decline()?;
        let reason = DeclineReason::parse(reason).map_err(|message| ServiceError::invalid("reason", message))?;
        let message = decline_message(message).map_err(|message| ServiceError::invalid("message", message))?;
        let declined =
            self.store.change_request(request.id, RequestChange::Decline { reason, message }, self.now()).await?;
        tracing::info!(request = %request.id, "request declined");
        self.notify_request_declined(&declined).await;
        self.promote_waitlist_of(declined.host.id).await;
        Ok(declined)
    }

    /// The seeker takes back a pending request.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`] for non-parties; [`ServiceError::Forbidden`] for the host;
    /// [`ServiceError::Conflict`] unless pending.
    pub async fn withdraw(&self, me: &Account, id: RequestId) -> Result<RequestRecord> {
        let (request, side) = self.visible_request(me, id).await?;
        if side != Side::Seeker {
            return Err(ServiceError::Forbidden("only the seeker can withdraw a request".into()));
        }
        request.status.withdraw()?;
        let withdrawn = self.store.change_request(request.id, RequestChange::Withdraw, self.now()).await?;
        tracing::info!(request = %request.id, "request withdrawn");
        self.notify_request_withdrawn(&withdrawn).await;
        self.promote_waitlist_of(withdrawn.host.id).await;
        Ok(withdrawn)
    }

    async fn visible_request(&self, me: &Account, id: RequestId) -> Result<(RequestRecord, Side)> {
        let request = self.store.request(id).await?.ok_or(ServiceError::NotFound("request"))?;
        let side = side_of(me, &request).ok_or(ServiceError::NotFound("request"))?;
        Ok((request, side))
    }
}
