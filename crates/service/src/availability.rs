//! Glue between the store's bookings and the slot engine: which bookings to fetch for a range, and
//! what the engine says about them.
//!
//! The engine counts monthly caps from the bookings it is given, so a caller must hand it every
//! booking of each host-zone month the range touches, plus those within one buffer of the range
//! edges (a booking just outside the range can still hide a slot just inside it).

use coffeechat_domain::{HostPolicy, MeetingLength};
use coffeechat_schedule::{Busy, Slot, SlotSearch};
use coffeechat_store::Booking;
use jiff::{SignedDuration, Timestamp};

/// `at + by`, pinned to the representable range instead of overflowing.
pub(crate) fn shifted(at: Timestamp, by: SignedDuration) -> Timestamp {
    at.checked_add(by).unwrap_or(if by.is_negative() { Timestamp::MIN } else { Timestamp::MAX })
}

/// The instants to fetch bookings for so that the engine sees everything that matters for slots in
/// `[from, to)` and for the cap of the month containing `now`.
pub(crate) fn bookings_window(
    policy: &HostPolicy,
    from: Timestamp,
    to: Timestamp,
    now: Timestamp,
) -> (Timestamp, Timestamp) {
    let zone = &policy.time_zone;
    let (months_from, months_to) = coffeechat_schedule::months_covering(zone, from, to);
    let (this_month_from, this_month_to) = coffeechat_schedule::month_bounds(zone, now);
    let buffer = policy.buffer();
    (shifted(months_from.min(this_month_from), -buffer), shifted(months_to.max(this_month_to), buffer))
}

pub(crate) fn busy_times(bookings: impl IntoIterator<Item = Booking>) -> Vec<Busy> {
    bookings.into_iter().map(|booking| Busy { start: booking.start, end: booking.end }).collect()
}

/// Whether the host-zone month containing `at` already holds `monthly_cap` interviews.
pub(crate) fn month_full(policy: &HostPolicy, bookings: &[Busy], at: Timestamp) -> bool {
    let (month_from, month_to) = coffeechat_schedule::month_bounds(&policy.time_zone, at);
    let starting = bookings.iter().filter(|busy| busy.start >= month_from && busy.start < month_to).count();
    u32::try_from(starting).unwrap_or(u32::MAX) >= policy.monthly_cap
}

/// The engine's free slots of `length` starting in `[from, to)`.
pub(crate) fn free_slots(
    policy: &HostPolicy,
    bookings: &[Busy],
    length: MeetingLength,
    from: Timestamp,
    to: Timestamp,
    now: Timestamp,
) -> Vec<Slot> {
    coffeechat_schedule::free_slots(&SlotSearch { policy, bookings, length, from, to, now })
}

/// Whether `start` begins a free slot of `length`. Starts outside notice and horizon are refused here
/// already, so the engine only ever sees plausible instants (user input can name the year 9999).
pub(crate) fn is_free(
    policy: &HostPolicy,
    bookings: &[Busy],
    length: MeetingLength,
    start: Timestamp,
    now: Timestamp,
) -> bool {
    if start < shifted(now, policy.min_notice()) || start > shifted(now, policy.horizon()) {
        return false;
    }
    let day = start.to_zoned(policy.time_zone.zone().clone()).date();
    let from = coffeechat_schedule::start_of_day(&policy.time_zone, day);
    let to = match day.tomorrow() {
        Ok(next) => coffeechat_schedule::start_of_day(&policy.time_zone, next),
        Err(_) => return false,
    };
    coffeechat_schedule::is_free(&SlotSearch { policy, bookings, length, from, to, now }, start)
}
