//! Slots in real time zones around real daylight-saving changes: wall-clock windows keep their local times,
//! gaps are skipped rather than shifted, folds take the earlier instant, and caps count host-local months.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

use coffeechat_domain::{HostPolicy, LocalWindow, MeetingLength, TimeZoneName, Weekday};
use coffeechat_schedule::{Busy, Slot, SlotSearch, free_slots, is_free};
use jiff::civil::{Date, Time, date, time};
use jiff::{SignedDuration, Timestamp};

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// A policy in `zone` with the same windows every day, no notice, buffer or practical cap.
fn daily(zone: &str, windows: &[(Time, Time)]) -> HostPolicy {
    let mut policy = HostPolicy::starter(TimeZoneName::parse(zone).unwrap());
    policy.windows = Weekday::ALL
        .iter()
        .flat_map(|&weekday| windows.iter().map(move |&(start, end)| LocalWindow { weekday, start, end }))
        .collect();
    policy.lengths = MeetingLength::ALL.to_vec();
    policy.buffer_minutes = 0;
    policy.min_notice_hours = 0;
    policy.horizon_days = 365;
    policy.monthly_cap = HostPolicy::MAX_MONTHLY_CAP;
    policy
}

/// Free slots from the start of local day `first` to the start of local day `last + 1`.
fn slots_between(policy: &HostPolicy, length: MeetingLength, first: Date, last: Date) -> Vec<Slot> {
    slots_with(policy, &[], length, first, last)
}

fn slots_with(policy: &HostPolicy, bookings: &[Busy], length: MeetingLength, first: Date, last: Date) -> Vec<Slot> {
    let from = coffeechat_schedule::start_of_day(&policy.time_zone, first);
    let to = coffeechat_schedule::start_of_day(&policy.time_zone, last.tomorrow().unwrap());
    let search = SlotSearch { bookings, ..SlotSearch::new(policy, length, from, to, ts("2026-01-01T00:00:00Z")) };
    let slots = free_slots(&search);
    for slot in &slots {
        assert!(is_free(&search, slot.start), "free_slots and is_free disagree on {slot:?}");
        assert_eq!(slot.start.duration_until(slot.end), length.span(), "{slot:?} has the wrong length");
    }
    slots
}

/// `(local date, "HH:MM" local, UTC instant)` of each slot start.
fn described(policy: &HostPolicy, slots: &[Slot]) -> Vec<(Date, String, String)> {
    slots
        .iter()
        .map(|slot| {
            let local = policy.time_zone.zone().to_datetime(slot.start);
            (local.date(), local.strftime("%H:%M").to_string(), slot.start.to_string())
        })
        .collect()
}

fn local_times(policy: &HostPolicy, slots: &[Slot]) -> Vec<String> {
    described(policy, slots).into_iter().map(|(_, local, _)| local).collect()
}

fn utc_times(slots: &[Slot]) -> Vec<String> {
    slots.iter().map(|slot| slot.start.to_string()).collect()
}

fn morning_and_evening(zone: &str) -> HostPolicy {
    daily(zone, &[(time(7, 30, 0, 0), time(8, 0, 0, 0)), (time(17, 0, 0, 0), time(17, 30, 0, 0))])
}

#[test]
fn new_york_spring_forward_keeps_0730_and_1700_local() {
    let policy = morning_and_evening("America/New_York");
    let slots = slots_between(&policy, MeetingLength::Min30, date(2026, 3, 6), date(2026, 3, 10));
    let described = described(&policy, &slots);
    assert_eq!(described.len(), 10, "{described:#?}");
    for (day, pair) in described.chunks(2).enumerate() {
        assert_eq!(pair[0].1, "07:30", "day {day}");
        assert_eq!(pair[1].1, "17:00", "day {day}");
    }
    // Saturday 7 March is EST (UTC-5); Sunday 8 March, the day of the change, is already EDT at 07:30.
    assert_eq!(
        utc_times(&slots[2..6]),
        ["2026-03-07T12:30:00Z", "2026-03-07T22:00:00Z", "2026-03-08T11:30:00Z", "2026-03-08T21:00:00Z"]
    );
}

#[test]
fn new_york_fall_back_keeps_0730_and_1700_local() {
    let policy = morning_and_evening("America/New_York");
    let slots = slots_between(&policy, MeetingLength::Min30, date(2026, 10, 30), date(2026, 11, 3));
    assert_eq!(local_times(&policy, &slots), ["07:30", "17:00"].repeat(5));
    // Saturday 31 October is EDT (UTC-4); from Sunday 1 November 02:00 it is EST (UTC-5).
    assert_eq!(
        utc_times(&slots[2..6]),
        ["2026-10-31T11:30:00Z", "2026-10-31T21:00:00Z", "2026-11-01T12:30:00Z", "2026-11-01T22:00:00Z"]
    );
}

#[test]
fn new_york_gap_window_offers_only_times_that_exist() {
    let policy = daily("America/New_York", &[(time(1, 30, 0, 0), time(3, 30, 0, 0))]);
    let spring = date(2026, 3, 8);
    let cases = [
        // 02:00–02:59 does not exist; nothing is moved into 03:00–03:59 to make up for it.
        (MeetingLength::Min15, vec!["01:30", "01:45", "03:00", "03:15"]),
        (MeetingLength::Min30, vec!["01:30", "03:00"]),
        (MeetingLength::Min45, vec!["01:30"]),
    ];
    for (length, expected) in cases {
        let slots = slots_between(&policy, length, spring, spring);
        assert_eq!(local_times(&policy, &slots), expected, "{length}");
        for slot in &slots {
            // Each start reads back as the wall-clock time it was generated for.
            let local = policy.time_zone.zone().to_datetime(slot.start);
            let again = policy.time_zone.zone().to_ambiguous_timestamp(local).unambiguous().unwrap();
            assert_eq!(again, slot.start);
        }
    }
    // 01:30 EST is 06:30Z and 03:00 EDT is 07:00Z: half an hour apart in real time.
    let slots = slots_between(&policy, MeetingLength::Min30, spring, spring);
    assert_eq!(utc_times(&slots), ["2026-03-08T06:30:00Z", "2026-03-08T07:00:00Z"]);
    // The ordinary day before has the whole window.
    let before = slots_between(&policy, MeetingLength::Min30, date(2026, 3, 7), date(2026, 3, 7));
    assert_eq!(local_times(&policy, &before), ["01:30", "02:00", "02:30", "03:00"]);
}

#[test]
fn a_window_ending_inside_the_gap_is_shortened_not_shifted() {
    let policy = daily("America/New_York", &[(time(1, 0, 0, 0), time(2, 30, 0, 0))]);
    let spring = date(2026, 3, 8);
    let slots = slots_between(&policy, MeetingLength::Min30, spring, spring);
    // The window really runs 01:00 EST to the jump at 02:00 EST (07:00Z).
    assert_eq!(local_times(&policy, &slots), ["01:00", "01:30"]);
    assert_eq!(slots.last().unwrap().end, ts("2026-03-08T07:00:00Z"));
    let slots = slots_between(&policy, MeetingLength::Min45, spring, spring);
    assert_eq!(local_times(&policy, &slots), ["01:00"]);
}

#[test]
fn new_york_fold_takes_the_earlier_instant_once() {
    let policy = daily("America/New_York", &[(time(0, 30, 0, 0), time(2, 30, 0, 0))]);
    let autumn = date(2026, 11, 1);
    let slots = slots_between(&policy, MeetingLength::Min30, autumn, autumn);
    // 01:00 and 01:30 happen twice; only the first (EDT) occurrence is offered, and the repeated hour
    // (06:00Z–07:00Z) stays free of offers.
    assert_eq!(
        utc_times(&slots),
        ["2026-11-01T04:30:00Z", "2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z", "2026-11-01T07:00:00Z"]
    );
    assert_eq!(local_times(&policy, &slots), ["00:30", "01:00", "01:30", "02:00"]);
}

#[test]
fn a_window_ending_inside_the_fold_ends_at_its_first_occurrence() {
    let policy = daily("America/New_York", &[(time(0, 0, 0, 0), time(1, 30, 0, 0))]);
    let autumn = date(2026, 11, 1);
    let slots = slots_between(&policy, MeetingLength::Min30, autumn, autumn);
    assert_eq!(local_times(&policy, &slots), ["00:00", "00:30", "01:00"]);
    assert_eq!(slots.last().unwrap().end, ts("2026-11-01T05:30:00Z"), "01:30 EDT");
}

#[test]
fn london_keeps_local_times_across_both_changes() {
    let policy = daily("Europe/London", &[(time(9, 0, 0, 0), time(9, 30, 0, 0))]);
    let spring = slots_between(&policy, MeetingLength::Min30, date(2026, 3, 28), date(2026, 3, 30));
    assert_eq!(utc_times(&spring), ["2026-03-28T09:00:00Z", "2026-03-29T08:00:00Z", "2026-03-30T08:00:00Z"]);
    let autumn = slots_between(&policy, MeetingLength::Min30, date(2026, 10, 24), date(2026, 10, 26));
    assert_eq!(utc_times(&autumn), ["2026-10-24T08:00:00Z", "2026-10-25T09:00:00Z", "2026-10-26T09:00:00Z"]);

    // 01:00–01:59 GMT does not exist on 29 March.
    let night = daily("Europe/London", &[(time(0, 30, 0, 0), time(2, 30, 0, 0))]);
    let slots = slots_between(&night, MeetingLength::Min30, date(2026, 3, 29), date(2026, 3, 29));
    assert_eq!(local_times(&night, &slots), ["00:30", "02:00"]);
    assert_eq!(utc_times(&slots), ["2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z"]);
}

#[test]
fn sydney_keeps_local_times_in_the_southern_autumn_and_spring() {
    let policy = daily("Australia/Sydney", &[(time(8, 0, 0, 0), time(8, 20, 0, 0))]);
    // Daylight time (+11) ends at 03:00 on Sunday 5 April 2026; 08:00 local is the previous UTC day.
    let autumn = slots_between(&policy, MeetingLength::Min20, date(2026, 4, 4), date(2026, 4, 5));
    assert_eq!(utc_times(&autumn), ["2026-04-03T21:00:00Z", "2026-04-04T22:00:00Z"]);
    // Daylight time starts at 02:00 on Sunday 4 October 2026.
    let spring = slots_between(&policy, MeetingLength::Min20, date(2026, 10, 3), date(2026, 10, 4));
    assert_eq!(utc_times(&spring), ["2026-10-02T22:00:00Z", "2026-10-03T21:00:00Z"]);
    assert_eq!(local_times(&policy, &spring), ["08:00", "08:00"]);

    // 02:00–02:59 happens twice on 5 April: first in AEDT (+11).
    let fold = daily("Australia/Sydney", &[(time(2, 0, 0, 0), time(3, 0, 0, 0))]);
    let slots = slots_between(&fold, MeetingLength::Min30, date(2026, 4, 5), date(2026, 4, 5));
    assert_eq!(utc_times(&slots), ["2026-04-04T15:00:00Z", "2026-04-04T15:30:00Z"]);
}

#[test]
fn sydney_caps_count_sydney_months() {
    let mut policy = daily("Australia/Sydney", &[(time(9, 0, 0, 0), time(10, 0, 0, 0))]);
    policy.monthly_cap = 1;
    // 15:00Z on 30 April is 01:00 on 1 May in Sydney: May is full, April is not.
    let bookings = [Busy { start: ts("2026-04-30T15:00:00Z"), end: ts("2026-04-30T15:30:00Z") }];
    let slots = slots_with(&policy, &bookings, MeetingLength::Min30, date(2026, 4, 28), date(2026, 5, 3));
    let dates: Vec<Date> = described(&policy, &slots).into_iter().map(|(day, _, _)| day).collect();
    assert_eq!(
        dates,
        [
            date(2026, 4, 28),
            date(2026, 4, 28),
            date(2026, 4, 29),
            date(2026, 4, 29),
            date(2026, 4, 30),
            date(2026, 4, 30)
        ]
    );
}

#[test]
fn new_york_caps_count_new_york_months() {
    let mut policy = daily("America/New_York", &[(time(9, 0, 0, 0), time(9, 30, 0, 0))]);
    policy.monthly_cap = 2;
    // Both start on 31 March in New York, although the second is 1 April in UTC.
    let bookings = [
        Busy { start: ts("2026-03-10T14:00:00Z"), end: ts("2026-03-10T14:30:00Z") },
        Busy { start: ts("2026-04-01T03:30:00Z"), end: ts("2026-04-01T04:00:00Z") },
    ];
    let slots = slots_with(&policy, &bookings, MeetingLength::Min30, date(2026, 3, 29), date(2026, 4, 2));
    assert_eq!(utc_times(&slots), ["2026-04-01T13:00:00Z", "2026-04-02T13:00:00Z"]);
}

#[test]
fn kolkata_half_hour_offset_and_months() {
    let mut policy = daily("Asia/Kolkata", &[(time(9, 0, 0, 0), time(10, 0, 0, 0))]);
    policy.windows.retain(|window| window.weekday == Weekday::Mon);
    let slots = slots_between(&policy, MeetingLength::Min30, date(2026, 3, 30), date(2026, 4, 6));
    assert_eq!(
        utc_times(&slots),
        ["2026-03-30T03:30:00Z", "2026-03-30T04:00:00Z", "2026-04-06T03:30:00Z", "2026-04-06T04:00:00Z"]
    );

    // 19:00Z on 31 March is 00:30 on 1 April in Kolkata, so it fills April, not March.
    policy.monthly_cap = 1;
    let bookings = [Busy { start: ts("2026-03-31T19:00:00Z"), end: ts("2026-03-31T19:30:00Z") }];
    let slots = slots_with(&policy, &bookings, MeetingLength::Min30, date(2026, 3, 30), date(2026, 4, 6));
    assert_eq!(utc_times(&slots), ["2026-03-30T03:30:00Z", "2026-03-30T04:00:00Z"]);
}

#[test]
fn buffers_apply_in_real_time_across_a_change() {
    let mut policy = daily("America/New_York", &[(time(1, 0, 0, 0), time(4, 0, 0, 0))]);
    policy.buffer_minutes = 15;
    // An interview 01:00–01:30 EST on the spring-forward day; with the buffer it blocks until 01:45 EST,
    // so the next slot is 03:00 EDT (07:00Z), one real hour after its start.
    let bookings = [Busy { start: ts("2026-03-08T06:00:00Z"), end: ts("2026-03-08T06:30:00Z") }];
    let slots = slots_with(&policy, &bookings, MeetingLength::Min30, date(2026, 3, 8), date(2026, 3, 8));
    assert_eq!(local_times(&policy, &slots), ["03:00", "03:30"]);
    assert_eq!(slots[0].start.duration_since(bookings[0].start), SignedDuration::from_mins(60));
}

#[test]
fn lord_howe_half_hour_changes_keep_slots_on_the_grid() {
    let policy = daily("Australia/Lord_Howe", &[(time(1, 0, 0, 0), time(3, 20, 0, 0))]);
    // Clocks go from 02:00 (+10:30) to 02:30 (+11) on 4 October 2026: starts must stay on the 20-minute
    // grid from 01:00, never land at 02:30 or 02:50 because real time flowed through the gap.
    let spring = slots_between(&policy, MeetingLength::Min20, date(2026, 10, 4), date(2026, 10, 4));
    assert_eq!(local_times(&policy, &spring), ["01:00", "01:20", "01:40", "02:40", "03:00"]);

    // Clocks go back from 02:00 (+11) to 01:30 (+10:30) on 5 April 2026: 01:40 happens twice.
    let autumn = slots_between(&policy, MeetingLength::Min20, date(2026, 4, 5), date(2026, 4, 5));
    assert_eq!(
        utc_times(&autumn[..5]),
        [
            "2026-04-04T14:00:00Z",
            "2026-04-04T14:20:00Z",
            "2026-04-04T14:40:00Z",
            "2026-04-04T15:30:00Z",
            "2026-04-04T15:50:00Z"
        ]
    );
}
