//! `coffeechat worker`, and the mail settings it shares with `coffeechat serve` (which runs the same worker
//! beside the web server unless `--no-worker`).
//!
//! Mail goes over SMTP when `smtp_url` is set; otherwise every message is written as an `.eml` file into
//! `mail_dir` (default `./outbox`), so a local installation never drops mail silently and a developer can open
//! each message. The server's secret key (which signs private calendar-feed URLs) lives in `secret_key_file`
//! (default `./coffeechat.key`, created on first start), never in the database.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use clap::Args;
use coffeechat_service::{
    DEFAULT_SENDER, MailDestination, MailTransport, SecretKey, Services, SiteSettings, Worker, check_destination,
    describe_destination, mail_transport, parse_sender,
};

use crate::config::{ConfigError, FileConfig, Settings, Source, Sourced};

/// Where `.eml` files go when no SMTP server is configured.
pub const DEFAULT_MAIL_DIR: &str = "./outbox";
/// Where the server's secret key is kept when no other file is named.
pub const DEFAULT_SECRET_KEY_FILE: &str = "./coffeechat.key";

/// Options about outgoing mail (for `serve` and `worker`).
#[derive(Debug, Clone, Default, Args)]
pub struct MailArgs {
    /// Send mail through this SMTP server: smtp://user:pass@host:port (add ?tls=required for STARTTLS) or
    /// smtps://user:pass@host:port [default: none, write .eml files]
    #[arg(long, env = "COFFEECHAT_SMTP_URL", value_name = "URL")]
    pub smtp_url: Option<String>,
    /// Sender of every email, "Name <address>" or an address [default: Coffeechat <coffeechat@localhost>]
    #[arg(long, env = "COFFEECHAT_MAIL_FROM", value_name = "MAILBOX")]
    pub mail_from: Option<String>,
    /// Folder for .eml files when no SMTP server is set [default: ./outbox]
    #[arg(long, env = "COFFEECHAT_MAIL_DIR", value_name = "DIR")]
    pub mail_dir: Option<PathBuf>,
}

/// Options of `coffeechat worker`.
#[derive(Debug, Clone, Default, Args)]
pub struct WorkerArgs {
    #[command(flatten)]
    pub mail: MailArgs,
}

/// Resolved mail settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailSettings {
    /// SMTP when configured, else a folder.
    pub destination: Sourced<MailDestination>,
    pub sender: Sourced<String>,
}

impl MailSettings {
    /// Flags or environment over the file over the defaults; the sender and SMTP URL are checked now, so a
    /// mistake stops the start instead of failing every message later.
    ///
    /// # Errors
    /// [`ConfigError::Mail`] naming the setting that is wrong (an SMTP URL's password is never shown).
    pub fn resolve(args: &MailArgs, file: &FileConfig) -> Result<Self, ConfigError> {
        let destination = match (&args.smtp_url, &file.smtp_url, &args.mail_dir, &file.mail_dir) {
            (Some(url), _, _, _) => Sourced { value: MailDestination::Smtp(url.clone()), source: Source::FlagOrEnv },
            (None, Some(url), _, _) => {
                Sourced { value: MailDestination::Smtp(url.clone()), source: Source::ConfigFile }
            }
            (None, None, Some(dir), _) => {
                Sourced { value: MailDestination::Directory(dir.clone()), source: Source::FlagOrEnv }
            }
            (None, None, None, Some(dir)) => {
                Sourced { value: MailDestination::Directory(dir.clone()), source: Source::ConfigFile }
            }
            (None, None, None, None) => {
                Sourced { value: MailDestination::Directory(PathBuf::from(DEFAULT_MAIL_DIR)), source: Source::Default }
            }
        };
        let sender = match (&args.mail_from, &file.mail_from) {
            (Some(sender), _) => Sourced { value: sender.clone(), source: Source::FlagOrEnv },
            (None, Some(sender)) => Sourced { value: sender.clone(), source: Source::ConfigFile },
            (None, None) => Sourced { value: DEFAULT_SENDER.to_owned(), source: Source::Default },
        };
        parse_sender(&sender.value).map_err(|error| ConfigError::Mail {
            setting: "mail_from",
            origin: sender.source,
            message: error.to_string(),
        })?;
        // Checks the URL without connecting (nor starting a connection pool).
        check_destination(&destination.value, &sender.value).map_err(|error| ConfigError::Mail {
            setting: "smtp_url",
            origin: destination.source,
            message: error.to_string(),
        })?;
        Ok(Self { destination, sender })
    }

    /// The transport these settings describe; call it within a Tokio runtime.
    ///
    /// # Errors
    /// As [`MailSettings::resolve`] (already checked there).
    pub fn transport(&self) -> anyhow::Result<Arc<dyn MailTransport>> {
        Ok(mail_transport(&self.destination.value, &self.sender.value)?)
    }

    /// TOML lines for `coffeechat config` (the SMTP URL without its password).
    pub fn describe(&self) -> String {
        let mut out = String::new();
        match &self.destination.value {
            MailDestination::Smtp(_) => {
                let shown = describe_destination(&self.destination.value);
                out.push_str(&format!("# mail goes to the {shown}  # {}\n", self.destination.source));
            }
            MailDestination::Directory(dir) => {
                out.push_str(&format!("mail_dir = {:?}  # {}\n", dir.display().to_string(), self.destination.source));
            }
        }
        out.push_str(&format!("mail_from = {:?}  # {}\n", self.sender.value, self.sender.source));
        out
    }
}

/// Where the secret key is kept when no file is named: `coffeechat.key` beside a SQLite database file, else in
/// the working directory. A separate file, so a copy of the database alone holds no key.
pub fn default_secret_key_file(db: &str) -> PathBuf {
    let db = db.trim();
    let path = db.strip_prefix("sqlite://").or_else(|| db.strip_prefix("sqlite:")).unwrap_or(db);
    let path = path.split('?').next().unwrap_or_default();
    if path.contains("://") || path.is_empty() {
        return PathBuf::from(DEFAULT_SECRET_KEY_FILE);
    }
    match Path::new(path).parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.join("coffeechat.key"),
        _ => PathBuf::from(DEFAULT_SECRET_KEY_FILE),
    }
}

/// Reads the server's secret key from `path`, creating the file (readable by its owner only) with a new random
/// key when it does not exist yet.
///
/// # Errors
/// A file that cannot be read or created, or one that does not hold a key `coffeechat` wrote.
pub fn load_or_create_secret_key(path: &Path) -> anyhow::Result<SecretKey> {
    match std::fs::read_to_string(path) {
        Ok(text) => SecretKey::parse(&text)
            .map_err(anyhow::Error::msg)
            .with_context(|| format!("cannot use the secret key in {}", path.display())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let key = SecretKey::random();
            write_private(path, &format!("{}\n", key.to_text()))
                .with_context(|| format!("cannot create the secret key file {}", path.display()))?;
            tracing::info!(file = %path.display(), "created a new secret key for calendar-feed URLs; keep this file");
            Ok(key)
        }
        Err(error) => Err(error).with_context(|| format!("cannot read the secret key file {}", path.display())),
    }
}

/// Creates `path` with `text`, failing if it exists, readable and writable by its owner only on Unix.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options.open(path)?.write_all(text.as_bytes())
}

/// The background worker over `services`, sending mail as `mail` says.
///
/// # Errors
/// A transport that cannot be built (already checked when the settings were resolved).
pub fn worker(services: Services, mail: &MailSettings) -> anyhow::Result<Worker> {
    let transport = mail.transport()?;
    tracing::info!("mail goes to {}", transport.describe());
    Ok(Worker::standard(services, transport))
}

/// `coffeechat worker`: runs the worker until ctrl-c or SIGTERM, then lets runs in progress finish (for at most
/// [`coffeechat_service::SHUTDOWN_GRACE`]) and gives back the outbox messages it still holds.
///
/// It knows the site it works for (public URL and secret key) like `serve` does, so that a calendar feed
/// redirecting to Coffeechat itself is refused here too.
///
/// # Errors
/// A database that cannot be opened or migrated, an unreadable secret key, or bad mail settings.
pub async fn run(settings: &Settings) -> anyhow::Result<()> {
    let store = crate::open_configured_store(settings).await?;
    let secret_key = load_or_create_secret_key(&settings.secret_key_file.value)?;
    let public_url = settings.public_url_for(settings.bind.value);
    let services = Services::new(store).with_site(SiteSettings::new(public_url, secret_key));
    worker(services, &settings.mail)?.run(coffeechat_web::shutdown_signal()).await;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    #[test]
    fn mail_goes_to_files_unless_smtp_is_configured() {
        let defaults = MailSettings::resolve(&MailArgs::default(), &FileConfig::default()).unwrap();
        assert_eq!(defaults.destination.value, MailDestination::Directory(PathBuf::from(DEFAULT_MAIL_DIR)));
        assert_eq!((defaults.sender.value.as_str(), defaults.sender.source), (DEFAULT_SENDER, Source::Default));

        let file = FileConfig {
            smtp_url: Some("smtps://app:s3cret@mail.example.org".into()),
            mail_from: Some("Coffeechat <noreply@example.org>".into()),
            ..FileConfig::default()
        };
        let from_file = MailSettings::resolve(&MailArgs::default(), &file).unwrap();
        assert_eq!(from_file.destination.source, Source::ConfigFile);
        assert!(matches!(from_file.destination.value, MailDestination::Smtp(_)));
        let described = from_file.describe();
        assert!(described.contains("smtps://mail.example.org") && !described.contains("s3cret"), "{described}");

        let flags = MailArgs { mail_dir: Some("/tmp/mail".into()), ..MailArgs::default() };
        let from_flags = MailSettings::resolve(&flags, &FileConfig::default()).unwrap();
        assert_eq!(from_flags.destination.value, MailDestination::Directory("/tmp/mail".into()));
    }

    #[test]
    fn bad_mail_settings_are_named_at_start() {
        let bad_sender = MailArgs { mail_from: Some("nobody".into()), ..MailArgs::default() };
        let error = MailSettings::resolve(&bad_sender, &FileConfig::default()).unwrap_err();
        assert!(format!("{error:#}").contains("mail_from"), "{error:#}");
        let bad_url = MailArgs { smtp_url: Some("ftp://user:s3cret@mail.example.org".into()), ..MailArgs::default() };
        let error = format!("{:#}", MailSettings::resolve(&bad_url, &FileConfig::default()).unwrap_err());
        assert!(error.contains("smtp_url") && !error.contains("s3cret"), "{error}");
    }

    #[test]
    fn the_key_file_sits_beside_a_sqlite_database() {
        assert_eq!(default_secret_key_file("./coffeechat.db"), PathBuf::from("./coffeechat.key"));
        assert_eq!(default_secret_key_file("coffeechat.db"), PathBuf::from(DEFAULT_SECRET_KEY_FILE));
        assert_eq!(
            default_secret_key_file("sqlite:/var/lib/cc/app.db?mode=rwc"),
            PathBuf::from("/var/lib/cc/coffeechat.key")
        );
        assert_eq!(default_secret_key_file("postgres://u:p@db/cc"), PathBuf::from(DEFAULT_SECRET_KEY_FILE));
    }

    #[test]
    fn the_secret_key_is_created_once_then_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/coffeechat.key");
        let created = load_or_create_secret_key(&path).unwrap();
        let read = load_or_create_secret_key(&path).unwrap();
        assert_eq!(created.to_text(), read.to_text());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        std::fs::write(&path, "garbage").unwrap();
        assert!(format!("{:#}", load_or_create_secret_key(&path).unwrap_err()).contains("secret key"));
    }
}
