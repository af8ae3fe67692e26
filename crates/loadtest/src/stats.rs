//! What a run measured: per step, an HDR histogram of latencies (microseconds) and the count of each kind of
//! answer, merged over connections and printed as throughput and p50/p90/p99/max.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;

/// Latencies above this (one minute, in microseconds) are recorded as this.
const MAX_MICROS: u64 = 60_000_000;

/// How one HTTP exchange ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx.
    Ok,
    /// 409: someone else got there first (a slot taken, a cap reached): expected under contention.
    Conflict,
    /// Another 4xx: the server refused the input.
    Refused,
    /// 5xx, or no answer at all.
    Error,
}

impl Outcome {
    pub fn of(status: reqwest::StatusCode) -> Self {
        if status.is_success() {
            Outcome::Ok
        } else if status == reqwest::StatusCode::CONFLICT {
            Outcome::Conflict
        } else if status.is_client_error() {
            Outcome::Refused
        } else {
            Outcome::Error
        }
    }
}

/// One step of a scenario (`GET /h/{handle}`, `accept`, …).
#[derive(Debug, Clone)]
pub struct Step {
    pub name: &'static str,
    pub latencies: Histogram<u64>,
    pub ok: u64,
    pub conflicts: u64,
    pub refused: u64,
    pub errors: u64,
    /// The first few error descriptions, so a failing run says why.
    pub samples: Vec<String>,
}

impl Step {
    fn new(name: &'static str) -> anyhow::Result<Self> {
        Ok(Self {
            name,
            latencies: Histogram::new_with_bounds(1, MAX_MICROS, 3)?,
            ok: 0,
            conflicts: 0,
            refused: 0,
            errors: 0,
            samples: Vec::new(),
        })
    }

    pub fn count(&self) -> u64 {
        self.ok + self.conflicts + self.refused + self.errors
    }

    fn merge(&mut self, other: &Step) -> anyhow::Result<()> {
        self.latencies.add(&other.latencies)?;
        self.ok += other.ok;
        self.conflicts += other.conflicts;
        self.refused += other.refused;
        self.errors += other.errors;
        for sample in &other.samples {
            if self.samples.len() < 5 {
                self.samples.push(sample.clone());
            }
        }
        Ok(())
    }
}

/// The measuring window: nothing is recorded before `record_from` (the warm-up) and no exchange starts after
/// `end`.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub record_from: Instant,
    pub end: Instant,
}

impl Window {
    pub fn starting_now(warm_up: Duration, duration: Duration) -> Self {
        let record_from = Instant::now() + warm_up;
        Self { record_from, end: record_from + duration }
    }

    pub fn is_over(&self) -> bool {
        Instant::now() >= self.end
    }
}

/// What one connection recorded; merged into a [`Report`] at the end.
#[derive(Debug, Clone)]
pub struct Recorder {
    window: Window,
    steps: Vec<Step>,
}

impl Recorder {
    pub fn new(window: Window) -> Self {
        Self { window, steps: Vec::new() }
    }

    pub fn window(&self) -> Window {
        self.window
    }

    /// Records one exchange of `step` that started at `started`, if it started inside the measuring window.
    ///
    /// # Errors
    /// Only if a histogram cannot be created (never with the fixed bounds used here).
    pub fn record(
        &mut self,
        step: &'static str,
        started: Instant,
        outcome: Outcome,
        detail: impl FnOnce() -> String,
    ) -> anyhow::Result<()> {
        if started < self.window.record_from {
            return Ok(());
        }
        let index = match self.steps.iter().position(|known| known.name == step) {
            Some(index) => index,
            None => {
                self.steps.push(Step::new(step)?);
                self.steps.len() - 1
            }
        };
        let entry = &mut self.steps[index];
        let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(MAX_MICROS).clamp(1, MAX_MICROS);
        entry.latencies.saturating_record(micros);
        match outcome {
            Outcome::Ok => entry.ok += 1,
            Outcome::Conflict => entry.conflicts += 1,
            Outcome::Refused | Outcome::Error => {
                if outcome == Outcome::Refused {
                    entry.refused += 1;
                } else {
                    entry.errors += 1;
                }
                if entry.samples.len() < 5 {
                    entry.samples.push(detail());
                }
            }
        }
        Ok(())
    }
}

/// A scenario's merged figures.
#[derive(Debug, Clone)]
pub struct Report {
    pub scenario: &'static str,
    pub connections: usize,
    pub measured: Duration,
    /// The offered rate, when the run was paced.
    pub rate: Option<f64>,
    pub steps: Vec<Step>,
}

impl Report {
    /// Merges the connections' recorders, keeping the order in which steps first appeared.
    ///
    /// # Errors
    /// Only if histograms cannot be merged (never: they share their bounds).
    pub fn merge(
        scenario: &'static str,
        connections: usize,
        measured: Duration,
        recorders: Vec<Recorder>,
    ) -> anyhow::Result<Self> {
        let mut steps: Vec<Step> = Vec::new();
        for recorder in recorders {
            for step in recorder.steps {
                match steps.iter_mut().find(|known| known.name == step.name) {
                    Some(known) => known.merge(&step)?,
                    None => steps.push(step),
                }
            }
        }
        Ok(Self { scenario, connections, measured, rate: None, steps })
    }

    pub fn step(&self, name: &str) -> Option<&Step> {
        self.steps.iter().find(|step| step.name == name)
    }

    /// Answers of `step` per second of the measuring window (every answer, whatever its status).
    pub fn per_second(&self, step: &Step) -> f64 {
        let seconds = self.measured.as_secs_f64();
        if seconds > 0.0 { step.count() as f64 / seconds } else { 0.0 }
    }

    /// Successful answers of `step` per second.
    pub fn ok_per_second(&self, step: &Step) -> f64 {
        let seconds = self.measured.as_secs_f64();
        if seconds > 0.0 { step.ok as f64 / seconds } else { 0.0 }
    }

    /// Whether any exchange failed outright (a 5xx or no answer).
    pub fn has_errors(&self) -> bool {
        self.steps.iter().any(|step| step.errors > 0)
    }

    /// The table `coffeechat-load` prints.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let pace = match self.rate {
            Some(rate) => format!("{rate:.0}/s offered"),
            None => "closed loop".to_owned(),
        };
        let _ = writeln!(
            out,
            "scenario {}: {} connections, {pace}, {:.1} s measured",
            self.scenario,
            self.connections,
            self.measured.as_secs_f64()
        );
        let _ = writeln!(
            out,
            "  {:<22} {:>8} {:>9} {:>8} {:>8} {:>8} {:>8} {:>6} {:>6} {:>6}",
            "step", "count", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "409", "4xx", "err"
        );
        for step in &self.steps {
            let ms = |quantile: f64| step.latencies.value_at_quantile(quantile) as f64 / 1000.0;
            let _ = writeln!(
                out,
                "  {:<22} {:>8} {:>9.1} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>6} {:>6} {:>6}",
                step.name,
                step.count(),
                self.per_second(step),
                ms(0.5),
                ms(0.9),
                ms(0.99),
                step.latencies.max() as f64 / 1000.0,
                step.conflicts,
                step.refused,
                step.errors
            );
            for sample in &step.samples {
                let _ = writeln!(out, "      e.g. {sample}");
            }
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    #[test]
    fn recorders_merge_into_percentiles_and_counts() {
        let window = Window { record_from: Instant::now(), end: Instant::now() + Duration::from_secs(60) };
        let mut one = Recorder::new(window);
        let mut two = Recorder::new(window);
        let started = Instant::now();
        one.record("get", started, Outcome::Ok, String::new).unwrap();
        two.record("get", started, Outcome::Conflict, String::new).unwrap();
        two.record("post", started, Outcome::Error, || "500 boom".to_owned()).unwrap();
        let report = Report::merge("test", 2, Duration::from_secs(2), vec![one, two]).unwrap();
        let get = report.step("get").unwrap();
        assert_eq!((get.count(), get.ok, get.conflicts), (2, 1, 1));
        assert!((report.per_second(get) - 1.0).abs() < 1e-9);
        assert!(report.has_errors());
        let table = report.table();
        assert!(
            table.contains("scenario test: 2 connections, closed loop") && table.contains("e.g. 500 boom"),
            "{table}"
        );
    }

    #[test]
    fn the_warm_up_is_not_recorded() {
        let window = Window::starting_now(Duration::from_secs(60), Duration::from_secs(1));
        let mut recorder = Recorder::new(window);
        recorder.record("get", Instant::now(), Outcome::Ok, String::new).unwrap();
        let report = Report::merge("test", 1, Duration::from_secs(1), vec![recorder]).unwrap();
        assert!(report.steps.is_empty());
    }

    #[test]
    fn statuses_sort_into_outcomes() {
        assert_eq!(Outcome::of(reqwest::StatusCode::CREATED), Outcome::Ok);
        assert_eq!(Outcome::of(reqwest::StatusCode::CONFLICT), Outcome::Conflict);
        assert_eq!(Outcome::of(reqwest::StatusCode::UNPROCESSABLE_ENTITY), Outcome::Refused);
        assert_eq!(Outcome::of(reqwest::StatusCode::SERVICE_UNAVAILABLE), Outcome::Error);
    }
}
