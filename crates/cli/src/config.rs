//! Command-line arguments and the settings they resolve to.
//!
//! Every setting can come from four places; the first one that has it wins:
//! 1. a command-line flag (`--db`, `--bind`, ...),
//! 2. an environment variable (`COFFEECHAT_DB`, `COFFEECHAT_BIND`, ...),
//! 3. the TOML file named by `--config` / `COFFEECHAT_CONFIG` (keys `db`, `bind`, `log_format`,
//!    `secure_cookies`, `public_url`),
//! 4. the built-in default (`./coffeechat.db`, `127.0.0.1:8080`, text logs, no `Secure` cookies).
//!
//! clap reads the first two (so `--help` lists every variable), the `config` crate reads the file, and
//! [`Settings::resolve`] merges them and checks every value once, so a mistake is reported at start-up
//! with the value and what was expected, never as a panic later.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::builder::BoolishValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// The database used when none is configured: a SQLite file in the working directory.
pub const DEFAULT_DB: &str = "./coffeechat.db";
/// The most `db_max_connections` may be (PostgreSQL's own limit is configurable; this only catches typos).
pub const MAX_DB_CONNECTIONS: u32 = 1000;
/// The address served on when none is configured: local connections only.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// `coffeechat`: informational interviews between job seekers and working professionals.
#[derive(Debug, Clone, Parser)]
#[command(name = "coffeechat", version, about, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand understands.
#[derive(Debug, Clone, Default, Args)]
pub struct GlobalArgs {
    /// Database: a file path, `sqlite:PATH`, or `postgres://...` [default: ./coffeechat.db]
    #[arg(long, global = true, env = "COFFEECHAT_DB", value_name = "URL")]
    pub db: Option<String>,
    /// PostgreSQL: connections this instance keeps at most; all instances together must stay under the
    /// server's `max_connections` [default: 24]
    #[arg(long, global = true, env = "COFFEECHAT_DB_MAX_CONNECTIONS", value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=MAX_DB_CONNECTIONS as i64))]
    pub db_max_connections: Option<u32>,
    /// TOML file with the same settings (`db`, `bind`, `log_format`, `secure_cookies`, `public_url`)
    #[arg(long, global = true, env = "COFFEECHAT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Log lines on stderr as readable text or as JSON objects [default: text]
    #[arg(long, global = true, env = "COFFEECHAT_LOG_FORMAT", value_enum, value_name = "FORMAT")]
    pub log_format: Option<LogFormat>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Create and migrate the database if needed, then serve the web app and the API
    Serve(ServeArgs),
    /// Apply pending database migrations and exit
    Migrate,
    /// Load the demo data (hosts, seekers, requests, interviews) and exit; safe to run twice
    Demo,
    /// Print the settings `serve` would use with these flags, and where each came from, then exit
    Config(ServeArgs),
    /// Run the background worker (sending mail) until stopped; `serve` runs it too unless --no-worker
    Worker(crate::worker::WorkerArgs),
    /// Solve a cohort-matching instance file exactly (maximum total score) and write the assignment
    Match(crate::match_cmd::MatchArgs),
}

/// Options of the web server.
#[derive(Debug, Clone, Default, Args)]
pub struct ServeArgs {
    /// Address to listen on, IP:PORT [default: 127.0.0.1:8080]
    #[arg(long, env = "COFFEECHAT_BIND", value_name = "ADDR")]
    pub bind: Option<String>,
    /// Load the demo data before serving (skipped when it is already there)
    #[arg(long, env = "COFFEECHAT_DEMO", value_parser = BoolishValueParser::new())]
    pub demo: bool,
    /// Mark session cookies `Secure` (set this when users reach the site over https)
    #[arg(
        long,
        env = "COFFEECHAT_SECURE_COOKIES",
        value_name = "BOOL",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        value_parser = BoolishValueParser::new()
    )]
    pub secure_cookies: Option<bool>,
    /// The address users reach the site at, for links in calendar files [default: http:// + the bound address]
    #[arg(long, env = "COFFEECHAT_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// Do not run the background worker in this process (run `coffeechat worker` separately)
    #[arg(long, env = "COFFEECHAT_NO_WORKER", value_parser = BoolishValueParser::new())]
    pub no_worker: bool,
    /// File holding the secret key that signs calendar-feed URLs, created if missing
    /// [default: coffeechat.key beside the SQLite database, else ./coffeechat.key]
    #[arg(long, env = "COFFEECHAT_SECRET_KEY_FILE", value_name = "FILE")]
    pub secret_key_file: Option<PathBuf>,
    #[command(flatten)]
    pub mail: crate::worker::MailArgs,
}

/// How log lines are written to stderr.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One readable line per event.
    #[default]
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

impl LogFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            LogFormat::Text => "text",
            LogFormat::Json => "json",
        }
    }
}

/// The optional TOML configuration file; every key may be left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub db: Option<String>,
    pub db_max_connections: Option<u32>,
    pub bind: Option<String>,
    pub log_format: Option<LogFormat>,
    pub secure_cookies: Option<bool>,
    pub public_url: Option<String>,
    pub no_worker: Option<bool>,
    pub secret_key_file: Option<PathBuf>,
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
    pub mail_dir: Option<PathBuf>,
}

impl FileConfig {
    /// Reads and parses the file at `path`.
    ///
    /// # Errors
    /// [`ConfigError::File`] when the file is missing, unreadable, not TOML, or has an unknown key or a
    /// value of the wrong type.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let file_error = |source| ConfigError::File { path: path.to_owned(), source };
        // The `config` crate finds a file by trying extensions when the name has none; passing the format
        // explicitly makes it read exactly the path given.
        config::Config::builder()
            .add_source(config::File::from(path).format(config::FileFormat::Toml).required(true))
            .build()
            .map_err(file_error)?
            .try_deserialize()
            .map_err(file_error)
    }
}

/// Where a resolved setting came from, shown by `coffeechat config`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A command-line flag or an environment variable (clap merges the two; the flag wins).
    FlagOrEnv,
    ConfigFile,
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::FlagOrEnv => "flag or environment",
            Source::ConfigFile => "config file",
            Source::Default => "default",
        })
    }
}

/// A setting's value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced<T> {
    pub value: T,
    pub source: Source,
}

fn pick<T>(flag_or_env: Option<T>, file: Option<T>, default: impl FnOnce() -> T) -> Sourced<T> {
    match (flag_or_env, file) {
        (Some(value), _) => Sourced { value, source: Source::FlagOrEnv },
        (None, Some(value)) => Sourced { value, source: Source::ConfigFile },
        (None, None) => Sourced { value: default(), source: Source::Default },
    }
}

/// Everything a subcommand needs, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// A file path or a `sqlite:` / `postgres://` URL.
    pub db: Sourced<String>,
    /// PostgreSQL: connections this instance keeps at most.
    pub db_max_connections: Sourced<u32>,
    pub bind: Sourced<SocketAddr>,
    pub log_format: Sourced<LogFormat>,
    pub secure_cookies: Sourced<bool>,
    /// Without a trailing slash; `None` means "derive it from the address actually bound".
    pub public_url: Option<Sourced<String>>,
    /// Load the demo data before serving.
    pub demo: bool,
    /// Run the background worker inside `serve`.
    pub run_worker: Sourced<bool>,
    pub secret_key_file: Sourced<PathBuf>,
    pub mail: crate::worker::MailSettings,
}

impl Settings {
    /// Reads the configuration file named by the flags or environment (if any) and merges.
    ///
    /// # Errors
    /// A [`ConfigError`] naming the value that is wrong.
    pub fn load(global: &GlobalArgs, serve: &ServeArgs) -> Result<Self, ConfigError> {
        let file = match &global.config {
            Some(path) => FileConfig::load(path)?,
            None => FileConfig::default(),
        };
        Self::resolve(global, serve, file)
    }

    /// Merges flags-or-environment over the file over the defaults, and checks every value.
    ///
    /// # Errors
    /// A [`ConfigError`] naming the value that is wrong.
    pub fn resolve(global: &GlobalArgs, serve: &ServeArgs, file: FileConfig) -> Result<Self, ConfigError> {
        // First, while `file` is whole: the other settings move their values out of it.
        let mail = crate::worker::MailSettings::resolve(&serve.mail, &file)?;
        let db = pick(global.db.clone(), file.db, || DEFAULT_DB.to_owned());
        if db.value.trim().is_empty() {
            return Err(ConfigError::EmptyDb { origin: db.source });
        }
        let db_max_connections =
            pick(global.db_max_connections, file.db_max_connections, || coffeechat_store::DEFAULT_MAX_CONNECTIONS);
        if !(1..=MAX_DB_CONNECTIONS).contains(&db_max_connections.value) {
            return Err(ConfigError::DbMaxConnections {
                value: db_max_connections.value,
                origin: db_max_connections.source,
            });
        }
        let bind = pick(serve.bind.clone(), file.bind, || DEFAULT_BIND.to_owned());
        let bind = Sourced { value: parse_bind(&bind.value, bind.source)?, source: bind.source };
        let log_format = pick(global.log_format, file.log_format, LogFormat::default);
        let secure_cookies = pick(serve.secure_cookies, file.secure_cookies, || false);
        let public_url = match (serve.public_url.clone(), file.public_url) {
            (Some(url), _) => Some((url, Source::FlagOrEnv)),
            (None, Some(url)) => Some((url, Source::ConfigFile)),
            (None, None) => None,
        };
        let public_url = public_url
            .map(|(url, source)| parse_public_url(&url, source).map(|value| Sourced { value, source }))
            .transpose()?;
        let no_worker = pick(serve.no_worker.then_some(true), file.no_worker, || false);
        let run_worker = Sourced { value: !no_worker.value, source: no_worker.source };
        let secret_key_file = pick(serve.secret_key_file.clone(), file.secret_key_file.clone(), || {
            crate::worker::default_secret_key_file(&db.value)
        });
        Ok(Self {
            db,
            db_max_connections,
            bind,
            log_format,
            secure_cookies,
            public_url,
            demo: serve.demo,
            run_worker,
            secret_key_file,
            mail,
        })
    }

    /// The public URL, or `http://` + the address the server actually listens on.
    pub fn public_url_for(&self, bound: SocketAddr) -> String {
        match &self.public_url {
            Some(url) => url.value.clone(),
            None => format!("http://{bound}"),
        }
    }

    /// The settings as TOML lines with their sources as comments (passwords in database URLs hidden).
    pub fn describe(&self) -> String {
        let mut out = String::new();
        let mut line = |key: &str, value: String, source: Source| {
            out.push_str(&format!("{key} = {value}  # {source}\n"));
        };
        line("db", toml_string(&redact_db_url(&self.db.value)), self.db.source);
        line("db_max_connections", self.db_max_connections.value.to_string(), self.db_max_connections.source);
        line("bind", toml_string(&self.bind.value.to_string()), self.bind.source);
        line("log_format", toml_string(self.log_format.value.as_str()), self.log_format.source);
        line("secure_cookies", self.secure_cookies.value.to_string(), self.secure_cookies.source);
        match &self.public_url {
            Some(url) => line("public_url", toml_string(&url.value), url.source),
            None => out.push_str(&format!("# public_url = \"http://{}\"  # derived from bind\n", self.bind.value)),
        }
        out.push_str(&format!("no_worker = {}  # {}\n", !self.run_worker.value, self.run_worker.source));
        let key_file = self.secret_key_file.value.display().to_string();
        out.push_str(&format!("secret_key_file = {}  # {}\n", toml_string(&key_file), self.secret_key_file.source));
        out.push_str(&self.mail.describe());
        out
    }
}

fn parse_bind(raw: &str, source: Source) -> Result<SocketAddr, ConfigError> {
    raw.trim().parse().map_err(|_| ConfigError::Bind { value: raw.to_owned(), origin: source })
}

fn parse_public_url(raw: &str, source: Source) -> Result<String, ConfigError> {
    let url = raw.trim().trim_end_matches('/');
    let host = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match host {
        Some(host) if !host.is_empty() && !url.chars().any(char::is_whitespace) => Ok(url.to_owned()),
        _ => Err(ConfigError::PublicUrl { value: raw.to_owned(), origin: source }),
    }
}

/// Hides the password of a `scheme://user:password@host/...` URL, for logs and output.
pub fn redact_db_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((user_info, host)) => match user_info.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{path}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// A TOML basic string: quoted, with backslashes, quotes and control characters escaped.
fn toml_string(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 2);
    out.push('"');
    for c in raw.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A setting that cannot be used; the message names the value and says what is expected.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    // The cause is printed by the error chain (`{:#}`), so it is not repeated here.
    #[error("cannot use config file {}", path.display())]
    File {
        path: PathBuf,
        #[source]
        source: config::ConfigError,
    },
    #[error("invalid bind address '{value}' (from {origin}): expected IP:PORT, e.g. 127.0.0.1:8080 or [::1]:8080")]
    Bind { value: String, origin: Source },
    #[error("invalid public URL '{value}' (from {origin}): expected http://HOST[:PORT] or https://HOST[:PORT]")]
    PublicUrl { value: String, origin: Source },
    #[error("the database setting (from {origin}) is empty: give a file path, sqlite:PATH or postgres://...")]
    EmptyDb { origin: Source },
    #[error("invalid db_max_connections {value} (from {origin}): expected 1 to {MAX_DB_CONNECTIONS}")]
    DbMaxConnections { value: u32, origin: Source },
    #[error("invalid RUST_LOG filter: {0}")]
    LogFilter(String),
    /// A mail setting that cannot be used; the message names it (never with a password).
    #[error("invalid {setting} (from {origin}): {message}")]
    Mail { setting: &'static str, origin: Source, message: String },
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    fn serve_args(bind: Option<&str>) -> ServeArgs {
        ServeArgs { bind: bind.map(str::to_owned), ..ServeArgs::default() }
    }

    #[test]
    fn the_pool_size_comes_from_the_flag_or_the_file_and_is_checked() {
        let settings = Settings::resolve(&GlobalArgs::default(), &ServeArgs::default(), FileConfig::default()).unwrap();
        assert_eq!(settings.db_max_connections.value, coffeechat_store::DEFAULT_MAX_CONNECTIONS);
        let file = FileConfig { db_max_connections: Some(8), ..FileConfig::default() };
        let settings = Settings::resolve(&GlobalArgs::default(), &ServeArgs::default(), file.clone()).unwrap();
        assert_eq!((settings.db_max_connections.value, settings.db_max_connections.source), (8, Source::ConfigFile));
        assert!(settings.describe().contains("db_max_connections = 8  # "), "{}", settings.describe());
        let flag = GlobalArgs { db_max_connections: Some(40), ..GlobalArgs::default() };
        assert_eq!(Settings::resolve(&flag, &ServeArgs::default(), file).unwrap().db_max_connections.value, 40);
        let zero = FileConfig { db_max_connections: Some(0), ..FileConfig::default() };
        let error = Settings::resolve(&GlobalArgs::default(), &ServeArgs::default(), zero).unwrap_err();
        assert!(error.to_string().contains("invalid db_max_connections 0"), "{error}");
        let parsed = Cli::try_parse_from(["coffeechat", "migrate", "--db-max-connections", "0"]);
        assert!(parsed.is_err(), "the flag refuses 0 too");
    }

    #[test]
    fn defaults_apply_when_nothing_is_set() {
        let settings = Settings::resolve(&GlobalArgs::default(), &ServeArgs::default(), FileConfig::default()).unwrap();
        assert_eq!(settings.db.value, DEFAULT_DB);
        assert_eq!(settings.db.source, Source::Default);
        assert_eq!(settings.bind.value.to_string(), DEFAULT_BIND);
        assert_eq!(settings.log_format.value, LogFormat::Text);
        assert!(!settings.secure_cookies.value);
        assert_eq!(settings.public_url_for("127.0.0.1:8080".parse().unwrap()), "http://127.0.0.1:8080");
    }

    #[test]
    fn flags_beat_the_file_and_the_file_beats_defaults() {
        let file = FileConfig {
            db: Some("file.db".into()),
            bind: Some("127.0.0.1:9000".into()),
            log_format: Some(LogFormat::Json),
            secure_cookies: Some(true),
            public_url: Some("https://chat.example.org/".into()),
            ..FileConfig::default()
        };
        let from_file = Settings::resolve(&GlobalArgs::default(), &ServeArgs::default(), file.clone()).unwrap();
        assert_eq!(from_file.db.value, "file.db");
        assert_eq!(from_file.db.source, Source::ConfigFile);
        assert_eq!(from_file.bind.value.port(), 9000);
        assert_eq!(from_file.log_format.value, LogFormat::Json);
        assert!(from_file.secure_cookies.value);
        assert_eq!(from_file.public_url_for("127.0.0.1:1".parse().unwrap()), "https://chat.example.org");

        let global = GlobalArgs {
            db: Some("flag.db".into()),
            config: None,
            log_format: Some(LogFormat::Text),
            ..GlobalArgs::default()
        };
        let serve = ServeArgs {
            bind: Some("127.0.0.1:7000".into()),
            demo: true,
            secure_cookies: Some(false),
            public_url: Some("http://localhost:7000".into()),
            ..ServeArgs::default()
        };
        let from_flags = Settings::resolve(&global, &serve, file).unwrap();
        assert_eq!(from_flags.db.value, "flag.db");
        assert_eq!(from_flags.db.source, Source::FlagOrEnv);
        assert_eq!(from_flags.bind.value.port(), 7000);
        assert_eq!(from_flags.log_format.value, LogFormat::Text);
        assert!(!from_flags.secure_cookies.value);
        assert!(from_flags.demo);
        assert_eq!(from_flags.public_url_for("127.0.0.1:1".parse().unwrap()), "http://localhost:7000");
    }

    #[test]
    fn bad_values_are_named_in_the_error() {
        let err = Settings::resolve(&GlobalArgs::default(), &serve_args(Some("localhost")), FileConfig::default())
            .unwrap_err();
        assert!(err.to_string().contains("'localhost'"), "{err}");
        assert!(err.to_string().contains("IP:PORT"), "{err}");

        let file = FileConfig { bind: Some("127.0.0.1:99999".into()), ..FileConfig::default() };
        let err = Settings::resolve(&GlobalArgs::default(), &ServeArgs::default(), file).unwrap_err();
        assert!(err.to_string().contains("config file"), "{err}");

        let file = FileConfig { public_url: Some("chat.example.org".into()), ..FileConfig::default() };
        let err = Settings::resolve(&GlobalArgs::default(), &ServeArgs::default(), file).unwrap_err();
        assert!(matches!(err, ConfigError::PublicUrl { .. }), "{err}");

        let global = GlobalArgs { db: Some("  ".into()), ..GlobalArgs::default() };
        let err = Settings::resolve(&global, &ServeArgs::default(), FileConfig::default()).unwrap_err();
        assert!(matches!(err, ConfigError::EmptyDb { .. }), "{err}");
    }

    #[test]
    fn passwords_in_database_urls_are_hidden() {
        assert_eq!(
            redact_db_url("postgres://app:s3cret@db.internal:5432/coffee"),
            "postgres://app:***@db.internal:5432/coffee"
        );
        assert_eq!(redact_db_url("postgres://app@db/coffee"), "postgres://app@db/coffee");
        assert_eq!(redact_db_url("./coffeechat.db"), "./coffeechat.db");
        assert_eq!(redact_db_url("sqlite:data/app.db"), "sqlite:data/app.db");
    }

    #[test]
    fn describe_writes_toml_with_sources() {
        let file = FileConfig { db: Some("C:\\data\\\"x\".db".into()), ..FileConfig::default() };
        let settings = Settings::resolve(&GlobalArgs::default(), &ServeArgs::default(), file).unwrap();
        let text = settings.describe();
        assert!(text.contains(r#"db = "C:\\data\\\"x\".db"  # config file"#), "{text}");
        assert!(text.contains(r#"bind = "127.0.0.1:8080"  # default"#), "{text}");
        assert!(text.contains("# public_url = \"http://127.0.0.1:8080\"  # derived from bind"), "{text}");
    }

    #[test]
    fn the_command_line_parses() {
        let cli = Cli::try_parse_from([
            "coffeechat",
            "serve",
            "--db",
            "x.db",
            "--bind",
            "127.0.0.1:1",
            "--demo",
            "--secure-cookies",
            "--log-format",
            "json",
        ])
        .unwrap();
        assert_eq!(cli.global.db.as_deref(), Some("x.db"));
        assert_eq!(cli.global.log_format, Some(LogFormat::Json));
        let Command::Serve(serve) = cli.command else { panic!("expected serve") };
        assert!(serve.demo);
        assert_eq!(serve.secure_cookies, Some(true));

        let cli = Cli::try_parse_from(["coffeechat", "serve", "--secure-cookies=false"]).unwrap();
        let Command::Serve(serve) = cli.command else { panic!("expected serve") };
        assert_eq!(serve.secure_cookies, Some(false));

        assert!(Cli::try_parse_from(["coffeechat", "serve", "--log-format", "xml"]).is_err());
        assert!(Cli::try_parse_from(["coffeechat"]).is_err());
    }
}
