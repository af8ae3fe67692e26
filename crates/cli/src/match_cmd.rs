//! `coffeechat match INSTANCE [-o ASSIGNMENT]`: solves a cohort-matching instance file exactly.
//!
//! The file format is the matching benchmark's (`shared/bench/matching/README.md`); the output is the same
//! `key=value` lines its OR-Tools reference prints, so `bench.py` can time both side by side:
//! `total_score`, `matched_pairs`, `parse_s` (reading and parsing the file), `solve_s` (the solver only),
//! `check_s` (checking the dual certificate), and `total_s` (from the start of the command to the end of the
//! check; writing the assignment is not included, as in the reference). `optimal=certified` says the
//! certificate proved the total optimal. On a terminal a spinner shows what is running; when stderr is not a
//! terminal nothing is drawn.

use std::fs::File;
use std::io::{BufWriter, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::Args;
use coffeechat_matching::{Instance, Solution, text};
use indicatif::{ProgressBar, ProgressStyle};

/// Options of `coffeechat match`.
#[derive(Debug, Clone, Args)]
pub struct MatchArgs {
    /// Instance file: `N M E`, N demands, M capacities, E lines `seeker host score`
    #[arg(value_name = "INSTANCE")]
    pub instance: PathBuf,
    /// Write the assignment here: one `seeker host` line per interview
    #[arg(short = 'o', long = "output", value_name = "ASSIGNMENT")]
    pub output: Option<PathBuf>,
}

/// What one run measured, in the order it is printed.
#[derive(Debug, Clone)]
pub struct MatchReport {
    pub seekers: usize,
    pub hosts: usize,
    pub pairs: usize,
    pub total_score: u64,
    pub matched_pairs: usize,
    pub seekers_with_any: usize,
    pub parse: Duration,
    pub solve: Duration,
    pub check: Duration,
    pub total: Duration,
}

impl MatchReport {
    /// The `key=value` lines `bench.py` reads.
    pub fn lines(&self, instance: &Path) -> String {
        format!(
            "instance={}\nseekers={} hosts={} pairs={}\ntotal_score={}\nmatched_pairs={}\nseekers_with_any={}\n\
             parse_s={:.3}\nsolve_s={:.3}\ncheck_s={:.3}\ntotal_s={:.3}\noptimal=certified\n",
            instance.display(),
            self.seekers,
            self.hosts,
            self.pairs,
            self.total_score,
            self.matched_pairs,
            self.seekers_with_any,
            self.parse.as_secs_f64(),
            self.solve.as_secs_f64(),
            self.check.as_secs_f64(),
            self.total.as_secs_f64(),
        )
    }
}

/// Runs the command: parse, solve, check the certificate, print the figures, write the assignment.
///
/// # Errors
/// An unreadable file, a malformed instance (the message names the line and what is wrong there), or an
/// assignment file that cannot be written.
pub fn run(args: &MatchArgs) -> anyhow::Result<()> {
    let start = Instant::now();
    let spinner = Spinner::new();
    spinner.say(format!("reading {}", args.instance.display()));
    let bytes = std::fs::read(&args.instance).with_context(|| format!("cannot read {}", args.instance.display()))?;
    spinner.say(format!("parsing {}", args.instance.display()));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let instance = text::parse_instance(&bytes, threads).with_context(|| format!("{}", args.instance.display()))?;
    drop(bytes);
    let parse = start.elapsed();

    let solve_start = Instant::now();
    let solution = coffeechat_matching::solve_with_progress(&instance, |progress| {
        spinner.say(format!("solving: scaling phase {} (ε = {:.4} score points)", progress.phase, progress.epsilon));
    });
    let solve = solve_start.elapsed();

    spinner.say("checking the optimality certificate".to_owned());
    let check_start = Instant::now();
    let certified = solution.duals.check(&instance, &solution.pairs).context("the solver's answer failed its check")?;
    anyhow::ensure!(
        certified == solution.total_score,
        "the certificate proves {certified}, but the matching scores {}",
        solution.total_score
    );
    let check = check_start.elapsed();
    let report = report(&instance, &solution, parse, solve, check, start.elapsed());
    spinner.finish();

    let mut stdout = std::io::stdout().lock();
    stdout.write_all(report.lines(&args.instance).as_bytes()).context("cannot write to stdout")?;
    stdout.flush().context("cannot write to stdout")?;
    if let Some(path) = &args.output {
        write_assignment_file(path, &solution).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

fn report(
    instance: &Instance,
    solution: &Solution,
    parse: Duration,
    solve: Duration,
    check: Duration,
    total: Duration,
) -> MatchReport {
    let mut seekers_with_any = 0;
    let mut previous = None;
    for pair in &solution.pairs {
        if previous != Some(pair.seeker) {
            seekers_with_any += 1;
            previous = Some(pair.seeker);
        }
    }
    MatchReport {
        seekers: instance.seeker_count(),
        hosts: instance.host_count(),
        pairs: instance.pair_count(),
        total_score: solution.total_score,
        matched_pairs: solution.pairs.len(),
        seekers_with_any,
        parse,
        solve,
        check,
        total,
    }
}

fn write_assignment_file(path: &Path, solution: &Solution) -> std::io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    text::write_assignment(&mut out, &solution.pairs)?;
    out.flush()
}

/// A spinner on stderr when it is a terminal; otherwise nothing at all.
#[derive(Debug)]
struct Spinner(Option<ProgressBar>);

impl Spinner {
    fn new() -> Self {
        if !std::io::stderr().is_terminal() {
            return Self(None);
        }
        let bar = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed} {msg}") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(120));
        Self(Some(bar))
    }

    fn say(&self, message: String) {
        if let Some(bar) = &self.0 {
            bar.set_message(message);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
