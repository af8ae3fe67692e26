//! Requests: a seeker asks a host for a conversation; the host accepts one proposed time or declines;
//! the seeker may withdraw while it is pending.
//!
//! Visibility: a request exists, as far as anyone can tell, only for its seeker and its host. Anyone
//! else gets "not found", never "forbidden", so ids cannot be probed for existence.

use coffeechat_domain::{DeclineReason, NewRequestInput, RequestId, Role, decline_message};
use coffeechat_store::{AcceptBooking, Conflict, NewRequestRecord, RequestChange};
use jiff::Timestamp;

use crate::availability::{is_free, month_full, shifted};
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
    /// `questions`; [`ServiceError::Conflict`] when the host is not accepting requests.
    pub async fn create_request(&self, me: &Account, input: NewRequestInput) -> Result<RequestRecord> {
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
        // Proposals far outside the horizon are refused by `is_free` itself; clamp the fetch so that a
        // start in the year 9999 does not ask the store for millennia of bookings.
        let fetch_from = earliest.max(now);
        let fetch_to =
            shifted(latest, length.span()).min(shifted(now, policy.horizon() + length.span())).max(fetch_from);
        let busy = self.busy_between(host.account_id, &policy, fetch_from, fetch_to, now).await?;
        let taken: Vec<String> = request
            .proposed_starts
            .iter()
            .filter(|&&start| !is_free(&policy, &busy, length, start, now))
            .map(|start| format!("{start} is not a free slot"))
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
    /// (taken, too soon, outside the windows) or the month is full.
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
        let busy = self.busy_between(request.host.id, &policy, start, end, now).await?;
        if month_full(&policy, &busy, start) {
            return Err(ServiceError::Conflict(Conflict::CapReached.to_string()));
        }
        if !is_free(&policy, &busy, request.length, start, now) {
            return Err(ServiceError::Conflict(
                "that time is no longer free: it is booked, too soon, or outside the host's windows".into(),
            ));
        }

        // The checks above give a precise message; this transaction is what guarantees no double booking
        // when accepts race.
        let (cap_from, cap_to) = coffeechat_schedule::month_bounds(&policy.time_zone, start);
        let interview = self
            .store
            .accept_request(AcceptBooking {
                request_id: request.id,
                start,
                end,
                conflict_from: shifted(start, -policy.buffer()),
                conflict_to: shifted(end, policy.buffer()),
                cap_from,
                cap_to,
                monthly_cap: policy.monthly_cap,
                at: now,
            })
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
        Ok(withdrawn)
    }

    async fn visible_request(&self, me: &Account, id: RequestId) -> Result<(RequestRecord, Side)> {
        let request = self.store.request(id).await?.ok_or(ServiceError::NotFound("request"))?;
        let side = side_of(me, &request).ok_or(ServiceError::NotFound("request"))?;
        Ok((request, side))
    }
}
