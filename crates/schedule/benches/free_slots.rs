//! How long a month of free slots takes: for one host, and for a directory page of 200 hosts, each in its own
//! zone with weekly windows, date overrides, caps, interviews, held proposals, pending requests and a work
//! calendar's worth of busy blocks (about 80 events a month, all-day events included).
//!
//! `cargo bench -p coffeechat-schedule` (optimised; the target is ≤ 2 ms for 200 hosts × 30 days on one
//! core). `cargo test -p coffeechat-schedule --benches` runs each benchmark once, unoptimised, as a smoke test.
//!
//! Every benchmark runs twice: timed by the wall clock (criterion's default), and by the thread's own CPU
//! clock. On a shared machine the wall clock also counts the time the benchmark waits for a core; the CPU
//! clock counts only the time it runs, which is what "on one core" means.

#![allow(clippy::unwrap_used, reason = "fixed inputs; a benchmark that cannot build them has failed")]

use std::hint::black_box;
use std::time::Duration;

use coffeechat_domain::{DateOverride, HostPolicy, LocalWindow, MeetingLength, TimeRange, TimeZoneName, Weekday};
use coffeechat_schedule::{Busy, SlotSearch, free_slots, months_covering};
use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jiff::civil::{Date, Time};
use jiff::{SignedDuration, Span, Timestamp};
use rustix::time::{ClockId, clock_gettime};

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

/// Everything the service would load for one host before asking for a month of slots.
#[derive(Debug)]
struct Host {
    policy: HostPolicy,
    overrides: Vec<DateOverride>,
    bookings: Vec<Busy>,
    holds: Vec<Busy>,
    pending: Vec<Timestamp>,
    busy: Vec<Busy>,
}

impl Host {
    fn search(&self, length: MeetingLength, from: Timestamp, to: Timestamp) -> SlotSearch<'_> {
        SlotSearch {
            overrides: &self.overrides,
            bookings: &self.bookings,
            holds: &self.holds,
            pending: &self.pending,
            busy: &self.busy,
            ..SlotSearch::new(&self.policy, length, from, to, from)
        }
    }
}

fn at(zone: &TimeZoneName, date: Date, hour: i8, minute: i8) -> Timestamp {
    date.at(hour, minute, 0, 0).to_zoned(zone.zone().clone()).unwrap().timestamp()
}

fn span(zone: &TimeZoneName, date: Date, (from_h, from_m): (i8, i8), (to_h, to_m): (i8, i8)) -> Busy {
    Busy { start: at(zone, date, from_h, from_m), end: at(zone, date, to_h, to_m) }
}

fn add_days(date: Date, days: i64) -> Date {
    date.checked_add(Span::new().days(days)).unwrap()
}

/// Deterministic, varied hosts. Data covers the weeks around the month, as `months_covering` would fetch.
fn host(index: usize, now: Timestamp) -> Host {
    let zone = TimeZoneName::parse(ZONES[index % ZONES.len()]).unwrap();
    let mut policy = HostPolicy::starter(zone.clone());
    policy.lengths = MeetingLength::ALL.to_vec();
    policy.monthly_cap = 12;
    policy.weekly_cap = Some(4);
    policy.daily_cap = index.is_multiple_of(2).then_some(2);
    policy.count_pending = index.is_multiple_of(3);
    policy.min_notice_hours = 24;
    policy.horizon_days = 60;
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
    if index.is_multiple_of(4) {
        policy.windows.push(LocalWindow {
            weekday: Weekday::Sat,
            start: Time::constant(10, 0, 0, 0),
            end: Time::constant(12, 0, 0, 0),
        });
    }

    let (covered_from, covered_to) = months_covering(&zone, now, now + SignedDuration::from_hours(24 * DAYS));
    let first = zone.zone().to_datetime(covered_from).date();
    let last = zone.zone().to_datetime(covered_to).date();
    let today = zone.zone().to_datetime(now).date();
    let shift = i64::try_from(index % 7).unwrap();

    let mut overrides = vec![
        // A public holiday off, and a day with other hours.
        DateOverride { from: add_days(today, 9 + shift), to: add_days(today, 9 + shift), windows: Vec::new() },
        DateOverride {
            from: add_days(today, 16 + shift),
            to: add_days(today, 16 + shift),
            windows: vec![TimeRange { start: Time::constant(12, 0, 0, 0), end: Time::constant(14, 0, 0, 0) }],
        },
    ];
    if index % 4 == 1 {
        overrides.push(DateOverride { from: add_days(today, 20), to: add_days(today, 26), windows: Vec::new() });
    }

    let mut busy = Vec::new();
    let mut bookings = Vec::new();
    let mut holds = Vec::new();
    let mut pending = Vec::new();
    let mut date = first;
    let mut day_number = 0usize;
    while date < last {
        let weekday = Weekday::from_jiff(date.weekday());
        let workday = !matches!(weekday, Weekday::Sat | Weekday::Sun);
        if workday {
            // A work calendar: stand-up, lunch, an afternoon meeting, some evening commitments.
            busy.push(span(&zone, date, (first_hour + 1, 0), (first_hour + 1, 15)));
            busy.push(span(&zone, date, (12, 0), (13, 0)));
            busy.push(span(&zone, date, (14, 30), (15, 30)));
            if day_number % 3 == index % 3 {
                busy.push(span(&zone, date, (17, 15), (18, 15)));
            }
            // Interviews on about every other workday, alternating morning and evening.
            if day_number % 2 == index % 2 {
                let hour = if day_number % 4 < 2 { first_hour } else { 16 };
                bookings.push(span(&zone, date, (hour, 30), (hour + 1, 0)));
            }
        }
        if day_number % 13 == index % 13 {
            // An all-day event blocks the whole local day.
            busy.push(Busy { start: at(&zone, date, 0, 0), end: at(&zone, add_days(date, 1), 0, 0) });
        }
        date = add_days(date, 1);
        day_number += 1;
    }
    // Three pending requests with three proposed slots each, held.
    for request in 0..3 {
        let day = add_days(today, 3 + 5 * request + shift);
        let proposals =
            [span(&zone, day, (first_hour, 30), (first_hour + 1, 0)), span(&zone, day, (16, 0), (16, 30)), {
                let next = add_days(day, 1);
                span(&zone, next, (17, 0), (17, 30))
            }];
        pending.push(proposals[0].start);
        holds.extend(proposals);
    }
    // Ordered by start, as the store's queries return them (all-day events were pushed after their day's
    // meetings); `scrambled` measures the cost when a source is not.
    busy.sort();
    Host { policy, overrides, bookings, holds, pending, busy }
}

/// The same hosts with each calendar's busy blocks in a scrambled order.
fn scrambled(mut hosts: Vec<Host>) -> Vec<Host> {
    for host in &mut hosts {
        host.busy.sort_by_key(|busy| (busy.start.as_second() / 60).wrapping_mul(7_919) % 1_009);
    }
    hosts
}

fn page(hosts: &[Host], length: MeetingLength, from: Timestamp) -> usize {
    let to = from + SignedDuration::from_hours(24 * DAYS);
    hosts.iter().map(|host| black_box(free_slots(black_box(&host.search(length, from, to)))).len()).sum()
}

fn month_of_slots<M: Measurement>(criterion: &mut Criterion<M>, clock: &str) {
    let now: Timestamp = "2026-02-20T14:00:00Z".parse().unwrap();
    let hosts: Vec<Host> = (0..HOSTS).map(|index| host(index, now)).collect();
    let blocks: usize = hosts.iter().map(|host| host.bookings.len() + host.holds.len() + host.busy.len()).sum();
    println!(
        "{HOSTS} hosts: {blocks} interviews, holds and busy blocks; {} slots of 30 min in {DAYS} days",
        page(&hosts, MeetingLength::Min30, now)
    );

    let mut group = criterion.benchmark_group(format!("free_slots over {DAYS} days, {clock}"));
    group.bench_function("1 host, 30 min", |bench| bench.iter(|| page(&hosts[..1], MeetingLength::Min30, now)));
    group.bench_function("200 hosts, 30 min", |bench| bench.iter(|| page(&hosts, MeetingLength::Min30, now)));
    let unordered = scrambled((0..HOSTS).map(|index| host(index, now)).collect());
    group.bench_function("200 hosts, 30 min, calendars unordered", |bench| {
        bench.iter(|| page(&unordered, MeetingLength::Min30, now))
    });
    // A finer grid: 20-minute meetings starting every 5 minutes, several times the candidates.
    let fine: Vec<Host> = (0..HOSTS)
        .map(|index| {
            let mut host = host(index, now);
            host.policy.slot_increment_minutes = Some(5);
            host
        })
        .collect();
    group
        .bench_function("200 hosts, 20 min every 5 min", |bench| bench.iter(|| page(&fine, MeetingLength::Min20, now)));
    group.finish();
}

fn wall_clock(criterion: &mut Criterion<WallTime>) {
    month_of_slots(criterion, "wall clock");
}

fn on_cpu(criterion: &mut Criterion<OnCpu>) {
    month_of_slots(criterion, "on-CPU time");
}

/// The calling thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`): time spent running, not waiting for a core.
struct OnCpu;

fn thread_cpu_time() -> Duration {
    let now = clock_gettime(ClockId::ThreadCPUTime);
    Duration::new(u64::try_from(now.tv_sec).unwrap_or(0), u32::try_from(now.tv_nsec).unwrap_or(0))
}

impl Measurement for OnCpu {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        thread_cpu_time()
    }

    fn end(&self, started: Duration) -> Duration {
        thread_cpu_time().saturating_sub(started)
    }

    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        &Nanoseconds
    }
}

/// Shows nanosecond values in the largest fitting unit, like criterion's own wall-clock formatter.
struct Nanoseconds;

impl ValueFormatter for Nanoseconds {
    fn scale_values(&self, typical: f64, values: &mut [f64]) -> &'static str {
        let (factor, unit) = match typical {
            ns if ns < 1e3 => (1.0, "ns"),
            ns if ns < 1e6 => (1e-3, "µs"),
            ns if ns < 1e9 => (1e-6, "ms"),
            _ => (1e-9, "s"),
        };
        for value in values {
            *value *= factor;
        }
        unit
    }

    fn scale_throughputs(&self, _typical: f64, throughput: &Throughput, values: &mut [f64]) -> &'static str {
        // Only element counts are ever set here (none are today); report them per second.
        let elements = match *throughput {
            Throughput::Elements(count) | Throughput::ElementsAndBytes { elements: count, .. } => count as f64,
            Throughput::Bytes(count) | Throughput::BytesDecimal(count) | Throughput::Bits(count) => count as f64,
        };
        for value in values.iter_mut() {
            *value = elements * 1e9 / *value;
        }
        "elem/s"
    }

    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

criterion_group!(wall_clock_benches, wall_clock);
criterion_group! {
    name = on_cpu_benches;
    config = Criterion::default().with_measurement(OnCpu);
    targets = on_cpu
}
criterion_main!(wall_clock_benches, on_cpu_benches);
