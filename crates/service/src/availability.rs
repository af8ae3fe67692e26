//! Glue between the store and the slot engine: everything one host's slot search depends on, fetched in a
//! few queries, and the engine's answers turned into what users read.
//!
//! The engine counts caps from the bookings and pending requests it is given, so a search must see every
//! one of them in each host-zone day, week and month its range touches, plus those within one buffer of
//! the range edges (a booking just outside the range can still hide a slot just inside it). [`fetch_window`]
//! says which instants that is; [`HostTime`] holds what was fetched, owned, and lends it to
//! [`SlotSearch`]es.

use coffeechat_domain::time_text::format_instant;
use coffeechat_domain::{AccountId, DateOverride, HostPolicy, MeetingLength, TimeZoneName};
use coffeechat_schedule::{Busy, Slot, SlotSearch, Unavailable};
use coffeechat_store::{Booking, BusyBlock, CapKind, CapPeriod, PendingHold};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};

use crate::read_cache::TimeRows;
use crate::{Result, Services};

/// `at + by`, pinned to the representable range instead of overflowing.
pub(crate) fn shifted(at: Timestamp, by: SignedDuration) -> Timestamp {
    at.checked_add(by).unwrap_or(if by.is_negative() { Timestamp::MIN } else { Timestamp::MAX })
}

/// The instants to fetch bookings and pending requests for, so that the engine sees everything that matters
/// for slots in `[from, to)` and for the caps of the periods containing `now`.
pub(crate) fn fetch_window(
    policy: &HostPolicy,
    from: Timestamp,
    to: Timestamp,
    now: Timestamp,
) -> (Timestamp, Timestamp) {
    let zone = &policy.time_zone;
    // Whole months, and the weeks overlapping their edges (the engine's contract for `months_covering`), so
    // every day, week and month a slot can fall in is counted in full; plus the month of `now`, for the
    // "this month is full" notice.
    let (months_from, months_to) = coffeechat_schedule::months_covering(zone, from, to);
    let (this_month_from, this_month_to) = coffeechat_schedule::month_bounds(zone, now);
    let buffer = policy.buffer();
    (shifted(months_from.min(this_month_from), -buffer), shifted(months_to.max(this_month_to), buffer))
}

/// The host-local dates whose overrides can matter for slots starting in `[from, to)`.
pub(crate) fn override_dates(zone: &TimeZoneName, from: Timestamp, to: Timestamp) -> (Date, Date) {
    let date = |at: Timestamp| at.to_zoned(zone.zone().clone()).date();
    (date(from), date(to))
}

/// The capped periods (host zone) that an interview starting at `start` falls in: its month always, its
/// day and week when the policy caps them. What [`Store::accept_request`](coffeechat_store::Store) checks.
pub fn cap_periods(policy: &HostPolicy, start: Timestamp) -> Vec<CapPeriod> {
    let zone = &policy.time_zone;
    let mut caps = Vec::with_capacity(3);
    if let Some(cap) = policy.daily_cap {
        let (from, to) = coffeechat_schedule::day_bounds(zone, start);
        caps.push(CapPeriod { kind: CapKind::Day, from, to, cap });
    }
    if let Some(cap) = policy.weekly_cap {
        let (from, to) = coffeechat_schedule::week_bounds(zone, policy.week_start, start);
        caps.push(CapPeriod { kind: CapKind::Week, from, to, cap });
    }
    let (from, to) = coffeechat_schedule::month_bounds(zone, start);
    caps.push(CapPeriod { kind: CapKind::Month, from, to, cap: policy.monthly_cap });
    caps
}

/// What the engine needs to know about one host's time, owned, for searches over the fetched range.
#[derive(Debug, Clone, Default)]
pub(crate) struct HostTime {
    overrides: Vec<DateOverride>,
    /// Active interviews.
    bookings: Vec<Busy>,
    /// Proposed slots of pending requests still inside the host's hold period.
    holds: Vec<Busy>,
    /// The earliest proposed start of each pending request, for caps that count them.
    pending: Vec<Timestamp>,
    /// Busy time from the host's own calendars (imported files and feeds): blocks time, never counts.
    busy: Vec<Busy>,
}

impl HostTime {
    pub(crate) fn new(
        policy: &HostPolicy,
        now: Timestamp,
        overrides: Vec<DateOverride>,
        bookings: impl IntoIterator<Item = Booking>,
        pending: impl IntoIterator<Item = PendingHold>,
    ) -> Self {
        let mut time = HostTime {
            overrides,
            bookings: bookings.into_iter().map(|booking| Busy { start: booking.start, end: booking.end }).collect(),
            holds: Vec::new(),
            pending: Vec::new(),
            busy: Vec::new(),
        };
        for request in pending {
            if let Some(earliest) = request.earliest() {
                time.pending.push(earliest);
            }
            // Held while `created_at + hold_hours` is still ahead; a hold of 0 hours holds nothing.
            if shifted(request.created_at, policy.hold()) > now {
                let span = request.length.span();
                time.holds
                    .extend(request.proposed_starts.iter().map(|&start| Busy { start, end: shifted(start, span) }));
            }
        }
        time
    }

    /// The host's time as an acceptance sees it: interviews (and busy time) only. The first accepted wins:
    /// other requests' holds and pending counts are what the host is choosing among, so they never stop the
    /// host from accepting one (and the request being accepted never stands in its own way). Once accepted,
    /// its interview blocks the time and counts, and the other requests' conflicting proposals stop being free.
    pub(crate) fn for_acceptance(mut self) -> Self {
        self.holds.clear();
        self.pending.clear();
        self
    }

    /// Leaves out the interview at `[start, end)`: an interview being moved never blocks (or counts against)
    /// its own new time.
    pub(crate) fn without_booking(mut self, start: Timestamp, end: Timestamp) -> Self {
        if let Some(own) = self.bookings.iter().position(|busy| busy.start == start && busy.end == end) {
            self.bookings.remove(own);
        }
        self
    }

    /// Adds busy time from the host's own calendars.
    pub(crate) fn with_busy(mut self, blocks: impl IntoIterator<Item = BusyBlock>) -> Self {
        self.busy.extend(blocks.into_iter().map(|block| Busy { start: block.start, end: block.end }));
        self
    }

    pub(crate) fn search<'a>(
        &'a self,
        policy: &'a HostPolicy,
        length: MeetingLength,
        from: Timestamp,
        to: Timestamp,
        now: Timestamp,
    ) -> SlotSearch<'a> {
        SlotSearch {
            overrides: &self.overrides,
            bookings: &self.bookings,
            holds: &self.holds,
            pending: &self.pending,
            busy: &self.busy,
            ..SlotSearch::new(policy, length, from, to, now)
        }
    }

    /// The engine's free slots of `length` starting in `[from, to)`.
    pub(crate) fn free_slots(
        &self,
        policy: &HostPolicy,
        length: MeetingLength,
        from: Timestamp,
        to: Timestamp,
        now: Timestamp,
    ) -> Vec<Slot> {
        coffeechat_schedule::free_slots(&self.search(policy, length, from, to, now))
    }

    /// Why `start` does not begin a free slot of `length` (`None` when it does). Starts outside notice and
    /// horizon are answered here already, so the engine only ever sees plausible instants (user input can
    /// name the year 9999), and only the host-local day of `start` is searched.
    pub(crate) fn why_not_free(
        &self,
        policy: &HostPolicy,
        length: MeetingLength,
        start: Timestamp,
        now: Timestamp,
    ) -> Option<Why> {
        if !policy.accepting {
            return Some(Why::Engine(Unavailable::NotAccepting));
        }
        if start < shifted(now, policy.min_notice()) {
            return Some(Why::Engine(Unavailable::TooSoon));
        }
        if start > shifted(now, policy.horizon()) {
            return Some(Why::Engine(Unavailable::BeyondHorizon));
        }
        let zone = &policy.time_zone;
        let day = start.to_zoned(zone.zone().clone()).date();
        let from = coffeechat_schedule::start_of_day(zone, day);
        let to = day.tomorrow().map_or(Timestamp::MAX, |next| coffeechat_schedule::start_of_day(zone, next));
        let search = self.search(policy, length, from, to, now);
        match coffeechat_schedule::why_not_free(&search, start)? {
            // The engine does not say what took the time; without the holds, the reason left (if any) is the
            // one that also applies once they are released.
            Unavailable::Taken => {
                match coffeechat_schedule::why_not_free(&SlotSearch { holds: &[], ..search }, start) {
                    None => Some(Why::Held),
                    Some(reason) => Some(Why::Engine(reason)),
                }
            }
            reason => Some(Why::Engine(reason)),
        }
    }

    /// Whether the host-zone month containing `at` is at its cap (counting pending requests when the host
    /// says so), for the "this month is full" notice.
    pub(crate) fn month_full(&self, policy: &HostPolicy, at: Timestamp) -> bool {
        let (month_from, month_to) = coffeechat_schedule::month_bounds(&policy.time_zone, at);
        let within = |start: &Timestamp| *start >= month_from && *start < month_to;
        let booked = self.bookings.iter().filter(|busy| within(&busy.start)).count();
        let pending = if policy.count_pending { self.pending.iter().filter(|start| within(start)).count() } else { 0 };
        u32::try_from(booked + pending).unwrap_or(u32::MAX) >= policy.monthly_cap
    }
}

/// Why a start is not free: the engine's reason, or a hold (which the engine reports as taken).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Why {
    Engine(Unavailable),
    /// Free but for another pending request's hold.
    Held,
}

/// A seeker's proposal that cannot be sent, said plainly: the time in the seeker's zone, then why.
pub(crate) fn proposal_problem(why: Why, policy: &HostPolicy, start: Timestamp, zone: &TimeZoneName) -> String {
    let time = format_instant(start, zone);
    match why {
        Why::Held => format!("{time} is held for another request; please choose another time"),
        Why::Engine(reason) => match reason {
            Unavailable::Taken => format!("{time} is not a free slot: it is already booked"),
            Unavailable::TooSoon => {
                format!("{time} is not a free slot: the host needs {} hours' notice", policy.min_notice_hours)
            }
            Unavailable::BeyondHorizon => {
                format!("{time} is not a free slot: the host takes requests up to {} days ahead", policy.horizon_days)
            }
            Unavailable::DayFull => format!("{time} is not a free slot: that day is full"),
            Unavailable::WeekFull => format!("{time} is not a free slot: that week is full"),
            Unavailable::MonthFull => format!("{time} is not a free slot: that month is full"),
            Unavailable::NotAccepting => format!("{time} is not a free slot: the host is not accepting requests"),
            // Outside the windows, off the slot grid, on a day off: all simply "not one of the host's times".
            Unavailable::NotInWindow => format!("{time} is not a free slot"),
        },
    }
}

/// Why a host cannot accept a request at a time, said plainly (a 409's message).
pub(crate) fn acceptance_problem(why: Why, policy: &HostPolicy) -> String {
    match why {
        // Holds are dropped before an acceptance is checked (see `HostTime::for_acceptance`).
        Why::Held => "that time is held for another request".to_owned(),
        Why::Engine(reason) => match reason {
            Unavailable::Taken => "that time is no longer free: another interview or busy time is there".to_owned(),
            Unavailable::TooSoon => {
                format!("that time is no longer free: it is less than {} hours away", policy.min_notice_hours)
            }
            Unavailable::BeyondHorizon => {
                format!("that time is beyond your {}-day booking horizon", policy.horizon_days)
            }
            Unavailable::DayFull => coffeechat_store::Conflict::CapReached(CapKind::Day).to_string(),
            Unavailable::WeekFull => coffeechat_store::Conflict::CapReached(CapKind::Week).to_string(),
            Unavailable::MonthFull => coffeechat_store::Conflict::CapReached(CapKind::Month).to_string(),
            Unavailable::NotAccepting => "the host is not accepting requests".to_owned(),
            Unavailable::NotInWindow => {
                "that time is no longer free: it is outside the host's hours for that day".to_owned()
            }
        },
    }
}

/// How far past the horizon the search for a full host's next opening looks: a quarter covers the next
/// month or two whose caps have room.
const NEXT_OPENING_LOOKAHEAD_DAYS: u32 = 93;

/// How much room a host has for new requests right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    /// The host is not taking requests.
    pub paused: bool,
    /// The first free slot (at the host's shortest length) within the host's horizon.
    pub next_free: Option<Timestamp>,
    /// When there is no free slot: where the first period with room begins (the start of its host-local
    /// month when that is a later month, else the day of its first free slot); `None` when paused or when
    /// nothing opens within the look-ahead.
    pub next_opening: Option<Timestamp>,
}

impl Capacity {
    /// Paused, or no free slot within the horizon (every slot booked or held, or every period at its cap).
    pub fn is_full(&self) -> bool {
        self.paused || self.next_free.is_none()
    }
}

impl Services {
    /// The host's room for new requests: their first free slot, or when full, their next opening.
    pub(crate) async fn capacity_of(&self, host: AccountId, policy: &HostPolicy) -> Result<Capacity> {
        self.capacity(host, policy, false).await
    }

    /// [`Services::capacity_of`] for a page that only shows it (see [`Services::host_time_to_show`]).
    pub(crate) async fn capacity_to_show(&self, host: AccountId, policy: &HostPolicy) -> Result<Capacity> {
        self.capacity(host, policy, true).await
    }

    async fn capacity(&self, host: AccountId, policy: &HostPolicy, to_show: bool) -> Result<Capacity> {
        if !policy.accepting {
            return Ok(Capacity { paused: true, next_free: None, next_opening: None });
        }
        let Some(&shortest) = policy.lengths.first() else {
            return Ok(Capacity { paused: true, next_free: None, next_opening: None });
        };
        let now = self.now();
        // One fetch covering the horizon and the look-ahead beyond it answers both questions.
        let wide = HostPolicy { horizon_days: policy.horizon_days + NEXT_OPENING_LOOKAHEAD_DAYS, ..policy.clone() };
        let horizon_end = shifted(now, policy.horizon() + shortest.span());
        let wide_end = shifted(now, wide.horizon() + shortest.span());
        let time = if to_show {
            self.host_time_to_show(host, &wide, now, wide_end, now).await?
        } else {
            self.host_time(host, &wide, now, wide_end, now).await?
        };
        let next_free = coffeechat_schedule::next_free_slot(&time.search(policy, shortest, now, horizon_end, now))
            .map(|slot| slot.start);
        if next_free.is_some() {
            return Ok(Capacity { paused: false, next_free, next_opening: None });
        }
        let next_opening =
            coffeechat_schedule::next_free_slot(&time.search(&wide, shortest, now, wide_end, now)).map(|slot| {
                let zone = &policy.time_zone;
                let (this_month, _) = coffeechat_schedule::month_bounds(zone, now);
                let (slot_month, _) = coffeechat_schedule::month_bounds(zone, slot.start);
                if slot_month > this_month {
                    slot_month
                } else {
                    coffeechat_schedule::start_of_day(zone, slot.start.to_zoned(zone.zone().clone()).date())
                }
            });
        Ok(Capacity { paused: false, next_free: None, next_opening })
    }

    /// Everything the engine needs about `host`'s time to judge slots starting in `[from, to)`: four
    /// queries, run at once.
    pub(crate) async fn host_time(
        &self,
        host: AccountId,
        policy: &HostPolicy,
        from: Timestamp,
        to: Timestamp,
        now: Timestamp,
    ) -> Result<HostTime> {
        let (fetch_from, fetch_to) = fetch_window(policy, from, to, now);
        let (first_date, last_date) = override_dates(&policy.time_zone, from, to);
        let (bookings, pending, overrides, busy) = tokio::try_join!(
            self.store.bookings(host, fetch_from, fetch_to),
            self.store.pending_holds(host, fetch_from, fetch_to),
            self.store.overrides_between(host, first_date, last_date),
            self.store.busy_blocks(host, fetch_from, fetch_to),
        )?;
        Ok(HostTime::new(policy, now, overrides, bookings, pending).with_busy(busy))
    }

    /// [`Services::host_time`]`.`[`for_acceptance`](HostTime::for_acceptance)`()` without reading the pending
    /// requests it would drop: one query fewer per accept.
    pub(crate) async fn host_time_for_acceptance(
        &self,
        host: AccountId,
        policy: &HostPolicy,
        from: Timestamp,
        to: Timestamp,
        now: Timestamp,
    ) -> Result<HostTime> {
        let (fetch_from, fetch_to) = fetch_window(policy, from, to, now);
        let (first_date, last_date) = override_dates(&policy.time_zone, from, to);
        let (bookings, overrides, busy) = tokio::try_join!(
            self.store.bookings(host, fetch_from, fetch_to),
            self.store.overrides_between(host, first_date, last_date),
            self.store.busy_blocks(host, fetch_from, fetch_to),
        )?;
        Ok(HostTime::new(policy, now, overrides, bookings, Vec::new()).with_busy(busy).for_acceptance())
    }

    /// `read`'s value for answers that only show it (see [`Services::host_time_to_show`]): reused while the
    /// store has seen no write and for under a second.
    pub(crate) async fn read_to_show<T, F>(&self, what: &'static str, argument: String, read: F) -> Result<T>
    where
        T: Clone + Send + Sync + 'static,
        F: std::future::Future<Output = Result<T>>,
    {
        let Some(version) = self.store.data_version() else {
            return read.await;
        };
        if let Some(value) = self.read_cache.value::<T>(version, what, &argument) {
            return Ok(value);
        }
        let read_at = std::time::Instant::now();
        let value = read.await?;
        self.read_cache.keep_value(version, what, argument, value.clone(), read_at);
        Ok(value)
    }

    /// [`Services::host_time`] for answers that only show slots (pages, the API's slot lists), never for a
    /// decision that writes: the rows may come from [`ReadCache`](crate::read_cache::ReadCache), read less than
    /// a second ago with nothing written since in this process.
    pub(crate) async fn host_time_to_show(
        &self,
        host: AccountId,
        policy: &HostPolicy,
        from: Timestamp,
        to: Timestamp,
        now: Timestamp,
    ) -> Result<HostTime> {
        let Some(version) = self.store.data_version() else {
            return self.host_time(host, policy, from, to, now).await;
        };
        let (fetch_from, fetch_to) = fetch_window(policy, from, to, now);
        let (first_date, last_date) = override_dates(&policy.time_zone, from, to);
        let key = (host, fetch_from, fetch_to, first_date, last_date);
        let rows = match self.read_cache.times(version, &key) {
            Some(rows) => rows,
            None => {
                let read_at = std::time::Instant::now();
                let (bookings, pending, overrides, busy) = tokio::try_join!(
                    self.store.bookings(host, fetch_from, fetch_to),
                    self.store.pending_holds(host, fetch_from, fetch_to),
                    self.store.overrides_between(host, first_date, last_date),
                    self.store.busy_blocks(host, fetch_from, fetch_to),
                )?;
                let rows = std::sync::Arc::new(TimeRows { bookings, pending, overrides, busy });
                self.read_cache.keep_times(version, key, std::sync::Arc::clone(&rows), read_at);
                rows
            }
        };
        Ok(HostTime::new(
            policy,
            now,
            rows.overrides.clone(),
            rows.bookings.iter().cloned(),
            rows.pending.iter().cloned(),
        )
        .with_busy(rows.busy.clone()))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use coffeechat_domain::{PolicyInput, RequestId, Weekday, WindowInput};

    use super::*;

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn sydney(daily_cap: Option<i64>, weekly_cap: Option<i64>) -> HostPolicy {
        PolicyInput {
            time_zone: "Australia/Sydney".into(),
            windows: vec![WindowInput { weekday: "sun".into(), start: "09:00".into(), end: "10:00".into() }],
            daily_cap,
            weekly_cap,
            week_start: "sun".into(),
            hold_hours: 24,
            ..PolicyInput::default()
        }
        .validate()
        .unwrap()
    }

    #[test]
    fn cap_periods_are_the_hosts_local_day_week_and_month() {
        let policy = sydney(Some(2), Some(5));
        assert_eq!(policy.week_start, Weekday::Sun);
        // Sunday 8 March 2026, 09:00 in Sydney (UTC+11) is still Saturday 22:00 in UTC.
        let start = ts("2026-03-07T22:00:00Z");
        let caps = cap_periods(&policy, start);
        let kinds: Vec<_> = caps.iter().map(|cap| (cap.kind, cap.cap)).collect();
        assert_eq!(kinds, [(CapKind::Day, 2), (CapKind::Week, 5), (CapKind::Month, 4)]);
        assert_eq!((caps[0].from, caps[0].to), (ts("2026-03-07T13:00:00Z"), ts("2026-03-08T13:00:00Z")));
        // The week starts on the local Sunday, not on the UTC Saturday.
        assert_eq!((caps[1].from, caps[1].to), (ts("2026-03-07T13:00:00Z"), ts("2026-03-14T13:00:00Z")));
        assert_eq!(caps[2].from, ts("2026-02-28T13:00:00Z"));

        let uncapped = sydney(None, None);
        assert_eq!(cap_periods(&uncapped, start).iter().map(|cap| cap.kind).collect::<Vec<_>>(), [CapKind::Month]);
    }

    #[test]
    fn pending_requests_hold_their_slots_only_within_the_hold_period_and_never_against_themselves() {
        let policy = sydney(None, None);
        let sent = ts("2026-03-01T00:00:00Z");
        let request = |id, starts: &[&str]| PendingHold {
            request_id: RequestId(id),
            created_at: sent,
            length: MeetingLength::Min30,
            proposed_starts: starts.iter().map(|start| ts(start)).collect(),
        };
        let pending =
            vec![request(1, &["2026-03-07T22:00:00Z", "2026-03-14T22:00:00Z"]), request(2, &["2026-03-07T23:00:00Z"])];

        let within = HostTime::new(&policy, sent + SignedDuration::from_hours(23), vec![], vec![], pending.clone());
        assert_eq!(within.holds.len(), 3);
        assert_eq!(within.holds[0], Busy { start: ts("2026-03-07T22:00:00Z"), end: ts("2026-03-07T22:30:00Z") });
        assert_eq!(within.pending, [ts("2026-03-07T22:00:00Z"), ts("2026-03-07T23:00:00Z")]);

        let after = HostTime::new(&policy, sent + SignedDuration::from_hours(24), vec![], vec![], pending.clone());
        assert!(after.holds.is_empty(), "released once the hold period is over");
        assert_eq!(after.pending.len(), 2, "still pending, so still counted when the host counts pending");

        let accepting = HostTime::new(&policy, sent, vec![], vec![], pending).for_acceptance();
        assert!(accepting.holds.is_empty() && accepting.pending.is_empty(), "the first accepted wins");
    }

    #[test]
    fn problems_name_the_time_in_the_readers_zone() {
        let policy = sydney(Some(1), None);
        let london = TimeZoneName::parse("Europe/London").unwrap();
        let start = ts("2026-03-03T07:30:00Z");
        assert_eq!(format_instant(start, &london), "Tue 3 Mar 2026, 07:30 (Europe/London)");
        assert_eq!(
            proposal_problem(Why::Held, &policy, start, &london),
            "Tue 3 Mar 2026, 07:30 (Europe/London) is held for another request; please choose another time"
        );
        assert_eq!(
            proposal_problem(Why::Engine(Unavailable::DayFull), &policy, start, &london),
            "Tue 3 Mar 2026, 07:30 (Europe/London) is not a free slot: that day is full"
        );
        assert_eq!(acceptance_problem(Why::Engine(Unavailable::DayFull), &policy), "the host's day is already full");
    }
}
