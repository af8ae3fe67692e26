//! `coffeechat-load`: runs load scenarios against a Coffeechat server and prints throughput and latency
//! percentiles per step (see the library's docs for the scenarios).

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use coffeechat_loadtest::{Run, accept, check_server, host_page, mix};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Scenario {
    /// GET /h/{handle} (the host page with its slots) across the directory's hosts.
    HostPage,
    /// Browse the directory, view a host's slots, send a request, accept it.
    Mix,
    /// Hosts accept requests sent (unmeasured) just before: bookings per second on their own.
    Accept,
}

/// Load a running Coffeechat server and report throughput and p50/p90/p99/max latency per step.
#[derive(Debug, Parser)]
#[command(name = "coffeechat-load", version)]
struct Args {
    /// The scenarios to run, in order (default: host-page, then mix). `accept` measures only the accepting
    /// (its `--duration` is time spent accepting, in batches, after one unmeasured batch as warm-up).
    #[arg(value_enum)]
    scenarios: Vec<Scenario>,
    /// The server's base URL.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    base: String,
    /// Concurrent keep-alive connections.
    #[arg(short, long, default_value_t = 64, value_parser = clap::value_parser!(u16).range(1..=1024))]
    connections: u16,
    /// Seconds measured per scenario.
    #[arg(short, long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    duration: u64,
    /// Seconds of unrecorded warm-up before each scenario is measured.
    #[arg(short, long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(0..=600))]
    warm_up: u64,
    /// Requests per second offered in all (host-page) or rounds per second (mix), spread over the connections;
    /// latency then counts from when each request was due. Default: as fast as answers come (closed loop).
    #[arg(long)]
    rate: Option<f64>,
    /// Hosts the mix signs up (each takes at most 100 bookings a month for a year).
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u16).range(1..=1000))]
    hosts: u16,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(2),
        Err(error) => {
            eprintln!("coffeechat-load: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the scenarios; `false` when some exchange failed outright (a 5xx or no answer).
async fn run(args: Args) -> anyhow::Result<bool> {
    let base = args.base.trim_end_matches('/').to_owned();
    check_server(&base).await?;
    let run = Run {
        base: base.clone(),
        connections: usize::from(args.connections),
        warm_up: Duration::from_secs(args.warm_up),
        duration: Duration::from_secs(args.duration),
        rate: args.rate.filter(|rate| rate.is_finite() && *rate > 0.0),
    };
    let scenarios = if args.scenarios.is_empty() { vec![Scenario::HostPage, Scenario::Mix] } else { args.scenarios };
    let mut clean = true;
    for scenario in scenarios {
        let report = match scenario {
            Scenario::HostPage => host_page(&run).await?,
            Scenario::Mix => {
                eprintln!("mix: signing up {} hosts and {} seekers at {base} …", args.hosts, run.connections);
                let people = mix::set_up(&base, usize::from(args.hosts), run.connections).await?;
                mix::mix(&run, Arc::new(people)).await?
            }
            Scenario::Accept => {
                eprintln!("accept: signing up {} hosts and {} seekers at {base} …", args.hosts, run.connections);
                let people = mix::set_up(&base, usize::from(args.hosts), run.connections).await?;
                accept::accepts(&run, Arc::new(people)).await?
            }
        };
        print!("{}", report.table());
        if matches!(scenario, Scenario::Mix | Scenario::Accept) {
            let booked = report.step(mix::ACCEPT).map(|step| report.ok_per_second(step)).unwrap_or_default();
            println!("accepted bookings/s: {booked:.1}");
        }
        if report.has_errors() {
            eprintln!("coffeechat-load: some {} exchanges failed (see err above)", report.scenario);
            clean = false;
        }
    }
    Ok(clean)
}
