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
            open_store(&settings.db.value).await?;
            tracing::info!(database = %config::redact_db_url(&settings.db.value), "database is up to date");
            Ok(())
        }
        Command::Demo => {
            let store = open_store(&settings.db.value).await?;
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

/// Opens the database the setting names and applies pending migrations.
///
/// # Errors
/// The store's error (an unsupported URL, an unreadable file, a failed migration) with the database named.
pub async fn open_store(db: &str) -> anyhow::Result<Arc<dyn Store>> {
    let shown = config::redact_db_url(db);
    let store = coffeechat_store::open(db).await.map_err(|error| {
        // The store's message may quote the URL; never print its password.
        let message = error.to_string().replace(db.trim(), &config::redact_db_url(db.trim()));
        anyhow::anyhow!("cannot open database {shown}: {message}")
    })?;
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
    /// Binds the address first (so a busy port fails before any slow work), then opens and migrates the
    /// database and loads the demo data when asked.
    ///
    /// # Errors
    /// An address that cannot be bound, or any error of [`open_store`] and [`load_demo`].
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        let bind = settings.bind.value;
        let listener = TcpListener::bind(bind).await.with_context(|| format!("cannot listen on {bind}"))?;
        let address = listener.local_addr().with_context(|| format!("cannot read the address bound for {bind}"))?;
        let store = open_store(&settings.db.value).await?;
        if settings.demo {
            load_demo(&store, Timestamp::now()).await?;
        }
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
        // The worker stops when the server does (after the requests in flight), whatever stopped the server.
        let (stop_worker, worker_stopped) = tokio::sync::oneshot::channel::<()>();
        let worker = self.worker.map(|worker| {
            tokio::spawn(worker.run(async move {
                let _ = worker_stopped.await;
            }))
        });
        let served =
            coffeechat_web::serve_until(self.listener, self.state, shutdown).await.context("the server stopped");
        let _ = stop_worker.send(());
        if let Some(worker) = worker {
            worker.await.context("the worker stopped abnormally")?;
        }
        served
    }

    fn announce(&self) {
        tracing::info!("Coffeechat listening on http://{} (database {})", self.address, self.database);
    }
}
