//! Hosts: their own profile and policy, the public directory, and their free slots.

use std::collections::HashMap;

use coffeechat_domain::request_rules::UsualResponse;
use coffeechat_domain::{
    AccountId, FieldErrors, Handle, HostPolicy, HostProfile, HostProfileInput, MeetingLength, PolicyInput,
    RequestRules, RequestRulesInput, Role, TimeZoneName,
};
use coffeechat_store::HostSearch;
use coffeechat_store::WaitlistEntry;
use jiff::{SignedDuration, Timestamp, ToSpan as _, civil::Date};

use crate::availability::{Capacity, HostTime, fetch_window, override_dates, shifted};
use crate::{Account, DirectoryQuery, Host, HostListing, Result, ServiceError, Services, SlotList, SlotQuery};

/// A host as a seeker considers asking them (see [`Services::host_outlook`]).
#[derive(Debug, Clone)]
pub struct HostOutlook {
    pub host: Host,
    pub policy: HostPolicy,
    pub rules: RequestRules,
    pub usual_response: UsualResponse,
    pub capacity: Capacity,
    /// A request from the viewer now would overflow (the host is full, or others are in line first).
    pub full_for_viewer: bool,
    /// The viewer's place in the host's line.
    pub place: Option<WaitlistEntry>,
}

/// How far ahead the directory looks for a host's next free slot.
const DIRECTORY_LOOKAHEAD: SignedDuration = SignedDuration::from_hours(14 * 24);
/// Default number of days after `from` that a slot listing covers (inclusive dates).
const DEFAULT_SLOT_DAYS: i64 = 14;
/// The longest date range one slot listing may cover, so one call stays cheap.
const MAX_SLOT_DAYS: i64 = 92;
/// Dates further than this from today are certainly slot-less (the horizon is at most 365 days) and
/// are refused rather than fed to the engine.
const MAX_DATE_DISTANCE_DAYS: i64 = 2 * 366;
const DEFAULT_DIRECTORY_LIMIT: u32 = 100;
const MAX_DIRECTORY_LIMIT: u32 = 500;

pub(crate) fn require_host(me: &Account) -> Result<()> {
    if me.roles.has(Role::Host) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden("only hosts have a host profile".into()))
    }
}

/// Blank filter text means "any".
fn filter(text: Option<String>) -> Option<String> {
    text.map(|text| text.trim().to_owned()).filter(|text| !text.is_empty())
}

/// The inclusive date range a slot query asks for, with its defaults applied and its limits checked.
fn slot_dates(today: Date, from: Option<Date>, to: Option<Date>) -> Result<(Date, Date)> {
    let too_far = || format!("must be within {MAX_DATE_DISTANCE_DAYS} days of today");
    let earliest =
        today.checked_sub(MAX_DATE_DISTANCE_DAYS.days()).map_err(|_| ServiceError::invalid("from", too_far()))?;
    let latest =
        today.checked_add(MAX_DATE_DISTANCE_DAYS.days()).map_err(|_| ServiceError::invalid("to", too_far()))?;
    let from = from.unwrap_or(today);
    if from < earliest || from > latest {
        return Err(ServiceError::invalid("from", too_far()));
    }
    let to = match to {
        Some(to) => to,
        None => from.checked_add(DEFAULT_SLOT_DAYS.days()).map_err(|_| ServiceError::invalid("from", too_far()))?,
    };
    if to < from {
        return Err(ServiceError::invalid("to", "must not be before from"));
    }
    if to > latest {
        return Err(ServiceError::invalid("to", too_far()));
    }
    let longest = from.checked_add(MAX_SLOT_DAYS.days()).map_err(|_| ServiceError::invalid("to", too_far()))?;
    if to > longest {
        return Err(ServiceError::invalid("to", format!("the range may cover at most {MAX_SLOT_DAYS} days")));
    }
    Ok((from, to))
}

impl Services {
    /// The caller's host profile, if they have written one.
    ///
    /// # Errors
    /// [`ServiceError::Forbidden`] unless the caller is a host.
    pub async fn host_profile(&self, me: &Account) -> Result<Option<HostProfile>> {
        require_host(me)?;
        Ok(self.store.host_profile(me.id).await?)
    }

    /// Writes the caller's host profile.
    ///
    /// # Errors
    /// [`ServiceError::Forbidden`] unless the caller is a host; [`ServiceError::Invalid`] naming each bad
    /// field, including `handle: "is already taken"`.
    pub async fn put_host_profile(&self, me: &Account, input: HostProfileInput) -> Result<HostProfile> {
        require_host(me)?;
        let profile = input.validate()?;
        self.store.put_host_profile(me.id, &profile).await?;
        Ok(profile)
    }

    /// The caller's policy: the stored one, else the starter policy in their own zone.
    ///
    /// # Errors
    /// [`ServiceError::Forbidden`] unless the caller is a host.
    pub async fn policy(&self, me: &Account) -> Result<HostPolicy> {
        require_host(me)?;
        Ok(self.store.host_policy(me.id).await?.unwrap_or_else(|| HostPolicy::starter(me.time_zone.clone())))
    }

    /// Writes the caller's policy.
    ///
    /// # Errors
    /// [`ServiceError::Forbidden`] unless the caller is a host; [`ServiceError::Invalid`] naming each bad
    /// field (`time_zone`, `lengths_minutes`, `windows[i].end`, `monthly_cap`, ...).
    pub async fn put_policy(&self, me: &Account, input: PolicyInput) -> Result<HostPolicy> {
        require_host(me)?;
        let policy = input.validate()?;
        self.store.put_host_policy(me.id, &policy).await?;
        Ok(policy)
    }

    /// The caller's request rules (the defaults until they save some).
    ///
    /// # Errors
    /// [`ServiceError::Forbidden`] unless the caller is a host.
    pub async fn request_rules(&self, me: &Account) -> Result<RequestRules> {
        require_host(me)?;
        Ok(self.store.request_rules(me.id).await?)
    }

    /// Writes the caller's availability policy and request rules together (`/api/v1/me/policy` and the policy
    /// settings page): both are validated first, so a bad field in either changes nothing. Rules fields left
    /// out keep their values. A host who resumes, or widens their calendar, offers the freed room to their
    /// waitlist at once.
    ///
    /// # Errors
    /// [`ServiceError::Forbidden`] unless the caller is a host; [`ServiceError::Invalid`] naming every bad
    /// field of either.
    pub async fn put_policy_and_rules(
        &self,
        me: &Account,
        input: PolicyInput,
        rules: RequestRulesInput,
    ) -> Result<(HostPolicy, RequestRules)> {
        require_host(me)?;
        let current = self.store.request_rules(me.id).await?;
        let (policy, rules) = match (input.validate(), rules.apply(&current)) {
            (Ok(policy), Ok(rules)) => (policy, rules),
            (policy, rules) => {
                let mut errors = FieldErrors::new();
                for failed in [policy.err(), rules.err()].into_iter().flatten() {
                    errors.extend_prefixed("", failed);
                }
                return Err(ServiceError::Invalid(errors));
            }
        };
        self.store.put_host_policy(me.id, &policy).await?;
        self.store.put_request_rules(me.id, &rules).await?;
        self.promote_waitlist_of(me.id).await;
        Ok((policy, rules))
    }

    /// What a seeker needs to know before asking a host: whether they have room (else the next opening), how
    /// quickly they usually answer, what they commit to, what a request must bring, and the viewer's own place
    /// in their line.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`]`("host")`; store failures.
    pub async fn host_outlook(&self, handle: &str, viewer: Option<&Account>) -> Result<HostOutlook> {
        let host = self.host(handle).await?;
        self.host_outlook_of(host, viewer).await
    }

    /// [`Services::host_outlook`] of a host already loaded (a page that has it saves the lookup).
    ///
    /// # Errors
    /// Store failures.
    pub async fn host_outlook_of(&self, host: Host, viewer: Option<&Account>) -> Result<HostOutlook> {
        let policy = self.effective_policy(&host).await?;
        let rules = self.read_to_show("request rules", host.account_id.to_string(), async {
            Ok::<_, ServiceError>(self.store.request_rules(host.account_id).await?)
        });
        let usual_response =
            self.read_to_show("usual response", host.account_id.to_string(), self.usual_response(host.account_id));
        let (rules, usual_response) = tokio::try_join!(rules, usual_response)?;
        let (capacity, full_for_viewer, place) = match viewer {
            Some(me) if me.id != host.account_id => {
                let room = self.room_for(host.account_id, &policy, me.id).await?;
                (room.capacity, room.is_full(), self.waitlist_place(me, host.account_id).await?)
            }
            _ => {
                let capacity = self.capacity_to_show(host.account_id, &policy).await?;
                (capacity, capacity.is_full(), None)
            }
        };
        Ok(HostOutlook { host, policy, rules, usual_response, capacity, full_for_viewer, place })
    }

    /// Hosts matching the query, each with its policy, its next free slot and whether its month is full.
    ///
    /// # Errors
    /// Only store failures.
    pub async fn directory(&self, query: DirectoryQuery) -> Result<Vec<HostListing>> {
        let limit = match query.limit {
            0 => DEFAULT_DIRECTORY_LIMIT,
            limit => limit.min(MAX_DIRECTORY_LIMIT),
        };
        let search = HostSearch {
            text: filter(query.text),
            industry: filter(query.industry),
            skill: filter(query.skill),
            limit,
        };
        let hosts = self.store.search_hosts(&search).await?;
        if hosts.is_empty() {
            return Ok(Vec::new());
        }

        let now = self.now();
        let until = shifted(now, DIRECTORY_LOOKAHEAD);
        let mut listed = Vec::with_capacity(hosts.len());
        for host in hosts {
            let policy = self.effective_policy(&host).await?;
            listed.push((host, policy));
        }

        // One query each for bookings, pending requests and overrides of every listed host, over the union of
        // the ranges each of them needs: never one query per host.
        let mut fetch_from = Timestamp::MAX;
        let mut fetch_to = Timestamp::MIN;
        let mut first_date = Date::MAX;
        let mut last_date = Date::MIN;
        for (_, policy) in &listed {
            let (from, to) = fetch_window(policy, now, until, now);
            fetch_from = fetch_from.min(from);
            fetch_to = fetch_to.max(to);
            let (first, last) = override_dates(&policy.time_zone, now, until);
            first_date = first_date.min(first);
            last_date = last_date.max(last);
        }
        let ids: Vec<AccountId> = listed.iter().map(|(host, _)| host.account_id).collect();
        let (bookings, pending, overrides, busy) = tokio::try_join!(
            self.store.bookings_for_hosts(&ids, fetch_from, fetch_to),
            self.store.pending_holds_for_hosts(&ids, fetch_from, fetch_to),
            self.store.overrides_for_hosts(&ids, first_date, last_date),
            self.store.busy_blocks_for_hosts(&ids, fetch_from, fetch_to),
        )?;
        let mut busy_by_host: HashMap<AccountId, Vec<coffeechat_store::BusyBlock>> = HashMap::new();
        for (host, block) in busy {
            busy_by_host.entry(host).or_default().push(block);
        }
        let mut bookings_by_host: HashMap<AccountId, Vec<coffeechat_store::Booking>> = HashMap::new();
        for (host, booking) in bookings {
            bookings_by_host.entry(host).or_default().push(booking);
        }
        let mut pending_by_host: HashMap<AccountId, Vec<coffeechat_store::PendingHold>> = HashMap::new();
        for (host, request) in pending {
            pending_by_host.entry(host).or_default().push(request);
        }
        let mut overrides_by_host: HashMap<AccountId, Vec<coffeechat_domain::DateOverride>> = HashMap::new();
        for (host, date_override) in overrides {
            overrides_by_host.entry(host).or_default().push(date_override);
        }

        let mut listings = Vec::with_capacity(listed.len());
        for (host, policy) in listed {
            let id = host.account_id;
            let time = HostTime::new(
                &policy,
                now,
                overrides_by_host.remove(&id).unwrap_or_default(),
                bookings_by_host.remove(&id).unwrap_or_default(),
                pending_by_host.remove(&id).unwrap_or_default(),
            )
            .with_busy(busy_by_host.remove(&id).unwrap_or_default());
            let next_free = policy.lengths.first().and_then(|&shortest| {
                time.free_slots(&policy, shortest, now, until, now).first().map(|slot| slot.start)
            });
            if query.has_free_slots && next_free.is_none() {
                continue;
            }
            let month_full = time.month_full(&policy, now);
            listings.push(HostListing { host, policy, next_free, month_full });
        }
        Ok(listings)
    }

    /// Distinct industries of listed hosts, sorted, for the directory filter.
    ///
    /// # Errors
    /// Only store failures.
    pub async fn industries(&self) -> Result<Vec<String>> {
        Ok(self.store.industries().await?)
    }

    /// A host's public record by handle.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`]`("host")` when no host has the handle (also for a malformed one).
    pub async fn host(&self, handle: &str) -> Result<Host> {
        let handle = Handle::parse(handle).map_err(|_| ServiceError::NotFound("host"))?;
        self.store.host_by_handle(&handle).await?.ok_or(ServiceError::NotFound("host"))
    }

    /// [`Services::host`] for a page that only shows the host: may be the record read less than a second ago
    /// with nothing written since (see [`Services::host_time_to_show`]).
    ///
    /// # Errors
    /// As [`Services::host`].
    pub async fn host_to_show(&self, handle: &str) -> Result<Host> {
        self.read_to_show("host", handle.to_owned(), self.host(handle)).await
    }

    /// Free slots of a host. `from`/`to` are inclusive calendar dates read in `query.zone` (default: the
    /// host's zone), defaulting to today and `from` + 14 days; `length` defaults to the host's shortest.
    /// A host who is not accepting requests has no slots.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`]`("host")`; [`ServiceError::Invalid`] with `length` when the length is not
    /// offered, `to` when it is before `from` or the range is over 92 days, `from`/`to` for dates more
    /// than two years from today.
    pub async fn free_slots(&self, handle: &str, query: SlotQuery) -> Result<SlotList> {
        let host = self.host(handle).await?;
        self.free_slots_of(host, query).await
    }

    /// [`Services::free_slots`] of a host already loaded (a page that has it saves the lookup).
    ///
    /// # Errors
    /// As [`Services::free_slots`], except `NotFound`.
    pub async fn free_slots_of(&self, host: Host, query: SlotQuery) -> Result<SlotList> {
        let policy = self.effective_policy(&host).await?;
        let length = match query.length_minutes {
            Some(minutes) => offered_length(&policy, minutes, "length")?,
            None => shortest_length(&policy)?,
        };
        let zone = query.zone.unwrap_or_else(|| policy.time_zone.clone());
        let now = self.now();
        let today = now.to_zoned(zone.zone().clone()).date();
        let (first_day, last_day) = slot_dates(today, query.from, query.to)?;
        let from = coffeechat_schedule::start_of_day(&zone, first_day);
        let day_after = last_day.tomorrow().map_err(|_| ServiceError::invalid("to", "is too far in the future"))?;
        let to = coffeechat_schedule::start_of_day(&zone, day_after);

        let time = self.host_time_to_show(host.account_id, &policy, from, to, now).await?;
        let slots = time.free_slots(&policy, length, from, to, now);
        let month_full = time.month_full(&policy, now);
        Ok(SlotList { host, policy, length, zone, slots, month_full })
    }

    /// A host's policy, or the starter policy (in their account's zone) when they have not set one.
    pub(crate) async fn effective_policy(&self, host: &Host) -> Result<HostPolicy> {
        if let Some(policy) = &host.policy {
            return Ok(policy.clone());
        }
        let zone =
            self.store.account(host.account_id).await?.map_or_else(TimeZoneName::utc, |account| account.time_zone);
        Ok(HostPolicy::starter(zone))
    }

    /// The policy stored for `host`, else the starter policy in `zone` (the host's own zone).
    pub(crate) async fn policy_of(&self, host: AccountId, zone: &TimeZoneName) -> Result<HostPolicy> {
        Ok(self.store.host_policy(host).await?.unwrap_or_else(|| HostPolicy::starter(zone.clone())))
    }
}

fn shortest_length(policy: &HostPolicy) -> Result<MeetingLength> {
    policy.lengths.first().copied().ok_or_else(|| ServiceError::internal("a stored policy offers no meeting length"))
}

/// `minutes` as a length the host offers; errors are reported under `field`.
pub(crate) fn offered_length(policy: &HostPolicy, minutes: i64, field: &str) -> Result<MeetingLength> {
    let length = MeetingLength::from_minutes(minutes).map_err(|message| ServiceError::invalid(field, message))?;
    if policy.offers(length) {
        return Ok(length);
    }
    let offered: Vec<String> = policy.lengths.iter().map(|length| length.minutes().to_string()).collect();
    Err(ServiceError::invalid(
        field,
        format!("{minutes} minutes is not offered by this host; choose {} minutes", offered.join(", ")),
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn field_of(error: ServiceError) -> String {
        match error {
            ServiceError::Invalid(fields) => fields.iter().map(|(field, _)| field.to_owned()).collect(),
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn slot_dates_default_to_two_weeks_from_today() {
        let today = date(2026, 3, 2);
        assert_eq!(slot_dates(today, None, None).unwrap(), (today, date(2026, 3, 16)));
        assert_eq!(slot_dates(today, Some(date(2026, 4, 1)), None).unwrap(), (date(2026, 4, 1), date(2026, 4, 15)));
        assert_eq!(slot_dates(today, None, Some(date(2026, 3, 2))).unwrap(), (today, today));
    }

    #[test]
    fn slot_dates_refuse_backward_long_and_far_ranges() {
        let today = date(2026, 3, 2);
        assert_eq!(field_of(slot_dates(today, Some(date(2026, 3, 5)), Some(date(2026, 3, 4))).unwrap_err()), "to");
        assert_eq!(field_of(slot_dates(today, Some(today), Some(date(2026, 6, 30))).unwrap_err()), "to");
        assert!(slot_dates(today, Some(today), Some(date(2026, 6, 2))).is_ok());
        assert_eq!(field_of(slot_dates(today, Some(date(9999, 1, 1)), None).unwrap_err()), "from");
        assert_eq!(field_of(slot_dates(today, Some(date(2020, 1, 1)), None).unwrap_err()), "from");
    }

    #[test]
    fn lengths_must_be_offered() {
        let policy = HostPolicy::starter(TimeZoneName::utc());
        assert_eq!(offered_length(&policy, 30, "length").unwrap(), MeetingLength::Min30);
        let message = match offered_length(&policy, 45, "length").unwrap_err() {
            ServiceError::Invalid(fields) => fields.get("length").unwrap().to_owned(),
            other => panic!("expected Invalid, got {other:?}"),
        };
        assert!(message.contains("20, 30"), "{message}");
        assert_eq!(field_of(offered_length(&policy, 25, "length_minutes").unwrap_err()), "length_minutes");
    }
}
