//! Requests: a seeker asks a host for a conversation; the host accepts one proposed time or declines;
//! the seeker may withdraw while it is pending.
//!
//! Visibility: a request exists, as far as anyone can tell, only for its seeker and its host. Anyone
//! else gets "not found", never "forbidden", so ids cannot be probed for existence.

use coffeechat_domain::{DeclineReason, NewRequestInput, RequestId, Role, TimeZoneName, decline_message};
use coffeechat_store::{AcceptBooking, NewRequestRecord, RequestChange};
use jiff::Timestamp;

use crate::availability::{acceptance_problem, cap_periods, proposal_problem, shifted};
use crate::hosts::offered_length;
use crate::{Account, InterviewRecord, RequestRecord, Result, ServiceError, Services};

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
    ///
    /// # Errors
    /// As [`Services::create_request`].
    pub async fn create_request_shown_in(
        &self,
        me: &Account,
        input: NewRequestInput,
        zone: &TimeZoneName,
    ) -> Result<RequestRecord> {
        if !me.roles.has(Role::Seeker) {
            return Err(ServiceError::Forbidden("only seekers can send requests".into()));
        }
        let request = input.validate()?;
        let host = self
            .store
            .host_by_handle(&request.host)
            .await?
            .ok_or_else(|| ServiceError::invalid("host", "no host with this handle"))?;
        if host.account_id == me.id {
            return Err(ServiceError::invalid("host", "you cannot request a conversation with yourself"));
        }
        let policy = self.effective_policy(&host).await?;
        if !policy.accepting {
            return Err(ServiceError::Conflict("this host is not accepting requests right now".into()));
        }
        let length = offered_length(&policy, i64::from(request.length.minutes()), "length_minutes")?;

        let now = self.now();
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
            })
            .await?;
        tracing::info!(request = %record.id, "request sent");
        self.notify_request_sent(&record).await;
        Ok(record)
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
        let time = self.host_time(request.host.id, &policy, start, end, now).await?.for_acceptance();
        if let Some(why) = time.why_not_free(&policy, request.length, start, now) {
            return Err(ServiceError::Conflict(acceptance_problem(why, &policy)));
        }

        // The check above gives a precise message; this transaction is what guarantees no double booking
        // and no period over its cap when accepts race.
        let interview = self
            .store
            .accept_request(AcceptBooking {
                request_id: request.id,
                start,
                end,
                conflict_from: shifted(start, -policy.buffer()),
                conflict_to: shifted(end, policy.buffer()),
                caps: cap_periods(&policy, start),
                // As in the check above: only interviews count when the host accepts (see `for_acceptance`).
                count_pending: false,
                at: now,
            })
            .await?;
        tracing::info!(request = %request.id, interview = %interview.id, "request accepted");
        self.notify_interview_booked(&interview).await;
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
        Ok(withdrawn)
    }

    async fn visible_request(&self, me: &Account, id: RequestId) -> Result<(RequestRecord, Side)> {
        let request = self.store.request(id).await?.ok_or(ServiceError::NotFound("request"))?;
        let side = side_of(me, &request).ok_or(ServiceError::NotFound("request"))?;
        Ok((request, side))
    }
}
