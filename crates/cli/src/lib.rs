//! The `coffeechat` command: serve the web app, migrate the database, load demo data.
//!
//! `main` only parses the command line and calls [`run`]; everything else lives here so tests start
//! exactly what production starts. A test builds a [`Server`] on `127.0.0.1:0`, reads the port from
//! [`Server::local_addr`] and talks to it over a real socket, without sleeping for readiness.
//!
//! ```no_run
//! # async fn example() -> anyhow::Result<()> {
//! use clap::Parser;
//! let cli = coffeechat::Cli::parse_from(["coffeechat", "serve", "--demo", "--bind", "127.0.0.1:8080"]);
//! coffeechat::run(cli).await
//! # }
//! ```

pub mod config;
pub mod demo;
pub mod logging;
pub mod match_cmd;
pub mod worker;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use coffeechat_service::{Services, SiteSettings};
use coffeechat_store::Store;
use coffeechat_web::{AppState, WebConfig};
use jiff::Timestamp;
use tokio::net::TcpListener;

pub use config::{Cli, Command, GlobalArgs, LogFormat, ServeArgs, Settings};
pub use demo::{DemoSummary, load_demo};

/// Runs one command to completion.
///
/// # Errors
/// Bad configuration, a database that cannot be opened or migrated, an address that cannot be bound, or
/// the error that stopped the server; the message says which.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let serve_args = match &cli.command {
        Command::Serve(args) | Command::Config(args) => args.clone(),
        Command::Migrate | Command::Demo | Command::Match(_) => ServeArgs::default(),
        Command::Worker(args) => ServeArgs { mail: args.mail.clone(), ..ServeArgs::default() },
    };
    let settings = Settings::load(&cli.global, &serve_args)?;
    logging::init(settings.log_format.value)?;
    match cli.command {
        Command::Serve(_) => Server::build(&settings).await?.run().await,
        Command::Migrate => {
            open_configured_store(&settings).await?;
            tracing::info!(database = %config::redact_db_url(&settings.db.value), "database is up to date");
            Ok(())
        }
        Command::Demo => {
            let store = open_configured_store(&settings).await?;
            load_demo(&store, Timestamp::now()).await?;
            Ok(())
        }
        Command::Config(_) => {
            print!("{}", settings.describe());
            Ok(())
        }
        Command::Worker(_) => worker::run(&settings).await,
        Command::Match(args) => {
            // CPU-bound for seconds on large files: keep it off the async runtime's threads.
            tokio::task::spawn_blocking(move || match_cmd::run(&args)).await.context("the solver thread failed")?
        }
    }
}

/// How long opening the database may take before startup gives up: a server that drops packets instead of
/// refusing them would otherwise hang the start for minutes.
pub const OPEN_TIMEOUT: Duration = Duration::from_secs(30);

/// Opens the database the setting names, refuses one that a newer Coffeechat has migrated, and applies pending
/// migrations.
///
/// # Errors
/// The store's error (an unsupported or malformed URL, an unreachable server, an unreadable file, a failed
/// migration) with the database named, or "the database is at migration N, newer than this coffeechat".
pub async fn open_store(db: &str) -> anyhow::Result<Arc<dyn Store>> {
    open_store_with(db, coffeechat_store::OpenOptions::default()).await
}

/// [`open_store`] for the settings: their database, opened with their pool size.
///
/// # Errors
/// As [`open_store`].
pub async fn open_configured_store(settings: &Settings) -> anyhow::Result<Arc<dyn Store>> {
    let options = coffeechat_store::OpenOptions { max_connections: Some(settings.db_max_connections.value) };
    open_store_with(&settings.db.value, options).await
}

async fn open_store_with(db: &str, options: coffeechat_store::OpenOptions) -> anyhow::Result<Arc<dyn Store>> {
    let shown = config::redact_db_url(db);
    // The store's messages may quote the URL; never print its password.
    let redact = |message: String| message.replace(db.trim(), &config::redact_db_url(db.trim()));
    let store = match tokio::time::timeout(OPEN_TIMEOUT, coffeechat_store::open_with(db, options)).await {
        Ok(Ok(store)) => store,
        Ok(Err(error)) => anyhow::bail!("cannot open database {shown}: {}", redact(error.to_string())),
        Err(_) => anyhow::bail!("cannot open database {shown}: no answer within {} s", OPEN_TIMEOUT.as_secs()),
    };
    let status = store.migration_status().await.map_err(|error| {
        anyhow::anyhow!("cannot read the migrations of database {shown}: {}", redact(error.to_string()))
    })?;
    // sqlx would refuse too, but with "migration 12 was previously applied but is missing": say what to do.
    status.refuse_newer().with_context(|| format!("cannot use database {shown}"))?;
    store.migrate().await.with_context(|| format!("cannot migrate database {shown}"))?;
    Ok(store)
}

/// The web server, bound and with its database ready, not yet accepting requests.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    state: AppState,
    address: SocketAddr,
    database: String,
    /// The background worker run beside the web server, unless disabled.
    worker: Option<coffeechat_service::Worker>,
}

impl Server {
    /// Opens, checks and migrates the database and loads the demo data when asked, and only then binds the
    /// address: a load balancer never sees a port open on an instance that cannot serve.
    ///
    /// # Errors
    /// Any error of [`open_store`] and [`load_demo`], or an address that cannot be bound.
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        // Installed before the worker or a request records anything.
        coffeechat_web::metrics::handle();
        let store = open_configured_store(settings).await?;
        if settings.demo {
            load_demo(&store, Timestamp::now()).await?;
        }
        let bind = settings.bind.value;
        let listener = TcpListener::bind(bind).await.with_context(|| format!("cannot listen on {bind}"))?;
        let address = listener.local_addr().with_context(|| format!("cannot read the address bound for {bind}"))?;
        let web_config =
            WebConfig { secure_cookies: settings.secure_cookies.value, public_url: settings.public_url_for(address) };
        let secret_key = worker::load_or_create_secret_key(&settings.secret_key_file.value)?;
        let services = Services::new(store).with_site(SiteSettings::new(web_config.public_url.clone(), secret_key));
        let worker = match settings.run_worker.value {
            true => Some(worker::worker(services.clone(), &settings.mail)?),
            false => None,
        };
        let state = AppState::new(services, web_config);
        Ok(Self { listener, state, address, database: config::redact_db_url(&settings.db.value), worker })
    }

    /// The address the server listens on (the real port when the settings asked for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// The shared state the app serves with (tests reach the services through it).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until ctrl-c or SIGTERM.
    ///
    /// # Errors
    /// The I/O error that stopped the server.
    pub async fn run(self) -> anyhow::Result<()> {
        self.run_until(coffeechat_web::shutdown_signal()).await
    }

    /// Serves until `shutdown` completes (tests, embedding).
    ///
    /// # Errors
    /// The I/O error that stopped the server.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        self.announce();
        // The signal stops both at once: the server stops accepting and drains its requests while the worker
        // claims nothing more and finishes (or gives back) what it holds. The worker also stops when the server
        // ends for any other reason.
        let stop = Arc::new(tokio::sync::watch::Sender::new(false));
        let worker = self.worker.map(|worker| {
            let mut stopping = stop.subscribe();
            tokio::spawn(worker.run(async move {
                let _ = stopping.wait_for(|stopping| *stopping).await;
            }))
        });
        let signalled = {
            let stop = stop.clone();
            async move {
                shutdown.await;
                stop.send_replace(true);
            }
        };
        let served =
            coffeechat_web::serve_until(self.listener, self.state, signalled).await.context("the server stopped");
        stop.send_replace(true);
        if let Some(worker) = worker {
            worker.await.context("the worker stopped abnormally")?;
        }
        served
    }

    fn announce(&self) {
        tracing::info!("Coffeechat listening on http://{} (database {})", self.address, self.database);
    }
}
