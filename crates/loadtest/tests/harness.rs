//! The harness against a real server (`coffeechat serve --demo` in process, over a socket): both scenarios run
//! briefly, every exchange is answered, the mix books interviews, and the accept scenario accepts every request
//! it sent.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

use std::sync::Arc;
use std::time::Duration;

use clap::Parser as _;
use coffeechat::{Cli, Command, Server, Settings};
use coffeechat_loadtest::{HOST_PAGE, Run, accept, host_page, mix};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_scenario_runs_against_the_demo_and_books_interviews() {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let (db, key, mail) = (file("load.db"), file("secret.key"), file("mail"));
    let args = ["coffeechat", "serve", "--db", &db, "--bind", "127.0.0.1:0", "--demo", "--no-worker"];
    let cli = Cli::try_parse_from(args.into_iter().chain(["--secret-key-file", &key, "--mail-dir", &mail])).unwrap();
    let Command::Serve(serve) = &cli.command else { panic!("expected serve") };
    let server = Server::build(&Settings::load(&cli.global, serve).unwrap()).await.unwrap();
    let base = format!("http://{}", server.local_addr());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.run_until(async {
        let _ = stopped.await;
    }));

    coffeechat_loadtest::check_server(&base).await.unwrap();
    let run = Run {
        base: base.clone(),
        connections: 4,
        warm_up: Duration::ZERO,
        duration: Duration::from_secs(1),
        rate: None,
    };
    let pages = host_page(&run).await.unwrap();
    let step = pages.step(HOST_PAGE).unwrap();
    assert!(step.ok > 0 && step.ok == step.count(), "{}", pages.table());
    // Paced: 40 requests a second over four connections for a second is about forty requests, not as many as fit.
    let paced = host_page(&Run { rate: Some(40.0), ..run.clone() }).await.unwrap();
    let sent = paced.step(HOST_PAGE).unwrap().count();
    assert!((30..=48).contains(&sent), "{sent} requests at 40/s: {}", paced.table());
    assert!(paced.table().contains("40/s offered"), "{}", paced.table());

    let people = mix::set_up(&base, 2, 4).await.unwrap();
    assert_eq!((people.hosts.len(), people.seekers.len()), (2, 4));
    let run = Run { duration: Duration::from_secs(2), ..run };
    let report = mix::mix(&run, Arc::new(people)).await.unwrap();
    let table = report.table();
    assert!(!report.has_errors(), "{table}");
    let names: Vec<&str> = report.steps.iter().map(|step| step.name).collect();
    assert_eq!(&names[..4], [mix::BROWSE, mix::SLOTS, mix::REQUEST, mix::ACCEPT], "{table}");
    assert!(report.step(mix::ACCEPT).unwrap().ok > 0, "{table}");
    assert_eq!(report.step(mix::REQUEST).unwrap().refused, 0, "{table}");

    // Accepting only: a warm-up batch, then batches until a second of accepting is measured; each request
    // proposes a start of its own, so every accept wins.
    let people = mix::set_up(&base, mix::MAX_OPEN_REQUESTS, 2).await.unwrap();
    let run = Run { connections: 2, duration: Duration::from_secs(1), warm_up: Duration::from_secs(1), ..run };
    let report = accept::accepts(&run, Arc::new(people)).await.unwrap();
    let table = report.table();
    let accepts = report.step(mix::ACCEPT).unwrap();
    assert!(accepts.ok >= 40 && accepts.ok == accepts.count(), "{table}");
    assert_eq!(accepts.ok % 40, 0, "whole batches of 2 seekers × 20 requests: {table}");
    assert!(report.measured >= Duration::from_secs(1), "{table}");
    let too_few = accept::accepts(&run, Arc::new(mix::set_up(&base, 2, 2).await.unwrap())).await.unwrap_err();
    assert!(format!("{too_few:#}").contains("at least 20 hosts"), "{too_few:#}");

    stop.send(()).unwrap();
    running.await.unwrap().unwrap();
    // An unreachable server is reported as such, before any set-up.
    let error = coffeechat_loadtest::check_server(&base).await.unwrap_err();
    assert!(format!("{error:#}").contains("no Coffeechat server answers"), "{error:#}");
}
