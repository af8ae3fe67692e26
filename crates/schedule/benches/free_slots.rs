//! Times `free_slots` for a directory page: 200 hosts × 30 days, each host in its own zone with its own
//! windows and a month of bookings.
//!
//! Run with `cargo bench -p coffeechat-schedule` (optimised; the target is ≤ 2 ms per page). Under
//! `cargo test -p coffeechat-schedule --benches` it runs a few unoptimised rounds as a smoke test.

#![allow(clippy::unwrap_used, reason = "fixed inputs; a benchmark that cannot build them has failed")]

use std::hint::black_box;
use std::time::{Duration, Instant};

use coffeechat_domain::{HostPolicy, LocalWindow, MeetingLength, TimeZoneName, Weekday};
use coffeechat_schedule::{Busy, SlotSearch, free_slots};
use jiff::civil::Time;
use jiff::{SignedDuration, Timestamp};

const HOSTS: usize = 200;
const DAYS: i64 = 30;
const ZONES: [&str; 8] = [
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Asia/Kolkata",
    "America/Los_Angeles",
    "Europe/Berlin",
    "America/Sao_Paulo",
    "UTC",
];

struct Host {
    policy: HostPolicy,
    bookings: Vec<Busy>,
}

/// Deterministic, varied hosts: 2–4 windows on weekdays, some long, some short, with ~1 booking per
/// weekday window so the overlap search has work to do.
fn hosts(now: Timestamp) -> Vec<Host> {
    (0..HOSTS)
        .map(|index| {
            let zone = TimeZoneName::parse(ZONES[index % ZONES.len()]).unwrap();
            let mut policy = HostPolicy::starter(zone);
            policy.monthly_cap = 40;
            policy.min_notice_hours = 24;
            policy.horizon_days = 60;
            policy.lengths = MeetingLength::ALL.to_vec();
            let first_hour = 7 + i8::try_from(index % 3).unwrap();
            policy.windows = Weekday::ALL[..5]
                .iter()
                .flat_map(|&weekday| {
                    [
                        LocalWindow {
                            weekday,
                            start: Time::constant(first_hour, 30, 0, 0),
                            end: Time::constant(first_hour + 2, 0, 0, 0),
                        },
                        LocalWindow { weekday, start: Time::constant(16, 0, 0, 0), end: Time::constant(18, 0, 0, 0) },
                    ]
                })
                .collect();
            let bookings = (0..40)
                .map(|booking| {
                    let start = now + SignedDuration::from_mins(i64::from(booking) * 1_090 + (index as i64 % 7) * 15);
                    Busy { start, end: start + SignedDuration::from_mins(30) }
                })
                .collect();
            Host { policy, bookings }
        })
        .collect()
}

fn page(hosts: &[Host], now: Timestamp, length: MeetingLength) -> usize {
    let to = now + SignedDuration::from_hours(24 * DAYS);
    hosts
        .iter()
        .map(|host| {
            let search = SlotSearch { policy: &host.policy, bookings: &host.bookings, length, from: now, to, now };
            black_box(free_slots(black_box(&search))).len()
        })
        .sum()
}

fn main() {
    let optimised = std::env::args().any(|arg| arg == "--bench");
    let rounds = if optimised { 200 } else { 3 };
    let now: Timestamp = "2026-02-20T14:00:00Z".parse().unwrap();
    let hosts = hosts(now);
    for length in [MeetingLength::Min15, MeetingLength::Min30] {
        let slots = page(&hosts, now, length);
        let mut times: Vec<Duration> = (0..rounds)
            .map(|_| {
                let started = Instant::now();
                black_box(page(&hosts, now, length));
                started.elapsed()
            })
            .collect();
        times.sort();
        println!(
            "free_slots, {HOSTS} hosts × {DAYS} days, {length}: {slots} slots; median {:?}, best {:?} over {rounds} rounds{}",
            times[times.len() / 2],
            times[0],
            if optimised { "" } else { " (unoptimised build)" },
        );
    }
}
