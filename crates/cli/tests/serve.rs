//! `coffeechat serve --demo` over a real socket: the server binds port 0, loads the demo data and answers.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use clap::Parser as _;
use coffeechat::{Cli, Command, Server, Settings};
use common::TempDir;

#[tokio::test]
async fn serve_with_demo_data_answers_over_a_real_socket() {
    let dir = TempDir::new("serve");
    let db = dir.file("serve.db");
    let cli = Cli::try_parse_from(["coffeechat", "serve", "--db", &db, "--bind", "127.0.0.1:0", "--demo"]).unwrap();
    let Command::Serve(serve) = &cli.command else { panic!("expected serve") };
    let settings = Settings::load(&cli.global, serve).unwrap();

    let server = Server::build(&settings).await.unwrap();
    let address = server.local_addr();
    assert_ne!(address.port(), 0);
    assert_eq!(server.state().config.public_url, format!("http://{address}"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.run_until(async {
        let _ = stopped.await;
    }));

    let client = reqwest::Client::new();
    let health = client.get(format!("http://{address}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);

    let hosts = client.get(format!("http://{address}/api/v1/hosts")).send().await.unwrap();
    assert_eq!(hosts.status(), 200);
    let hosts: serde_json::Value = hosts.json().await.unwrap();
    let hosts = hosts.as_array().expect("the host list is a JSON array");
    assert!(hosts.len() >= 30, "{} hosts listed", hosts.len());
    assert!(hosts.iter().any(|host| host["handle"] == "maya-okafor"), "the featured demo host is listed");

    let slots = client.get(format!("http://{address}/api/v1/hosts/maya-okafor/slots")).send().await.unwrap();
    assert_eq!(slots.status(), 200);

    stop.send(()).unwrap();
    running.await.unwrap().unwrap();
}

#[tokio::test]
async fn a_busy_port_is_an_error_not_a_panic() {
    let taken = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = taken.local_addr().unwrap().port();
    let dir = TempDir::new("busy-port");
    let db = dir.file("busy.db");
    let bind = format!("127.0.0.1:{port}");
    let cli = Cli::try_parse_from(["coffeechat", "serve", "--db", &db, "--bind", &bind]).unwrap();
    let Command::Serve(serve) = &cli.command else { panic!("expected serve") };
    let settings = Settings::load(&cli.global, serve).unwrap();
    let error = Server::build(&settings).await.unwrap_err();
    assert!(format!("{error:#}").contains(&format!("cannot listen on {bind}")), "{error:#}");
}
