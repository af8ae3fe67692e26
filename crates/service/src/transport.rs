//! How queued messages leave: over SMTP (lettre, rustls) when a server is configured, else as `.eml` files in
//! a folder, so that without SMTP nothing is silently dropped and a developer can open every message.
//!
//! Both transports send the same bytes, built by [`compose`]: a message with only text is `text/plain`; one
//! with a calendar is
//!
//! ```text
//! multipart/mixed
//! ├── multipart/alternative
//! │   ├── text/plain                              (always)
//! │   ├── text/html                               (when the message has HTML)
//! │   └── text/calendar; method=REQUEST|CANCEL    (inline, so mail programs offer "add to calendar")
//! └── application/ics; name="invite.ics"          (attachment, for everything else)
//! ```
//!
//! which is the shape calendar-aware mail programs expect (RFC 6047).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport as _, Message, Tokio1Executor};

use coffeechat_store::OutboxMessage;

/// How long one SMTP command may take before the attempt counts as failed (and is retried later).
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// The sender used when none is configured; fine for `.eml` files, usually refused by real SMTP servers.
pub const DEFAULT_SENDER: &str = "Coffeechat <coffeechat@localhost>";

/// Why a message could not be built or delivered; its text is what the outbox records as `last_error`.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct MailError(String);

impl MailError {
    /// A failure described by `message` (for transports outside this crate).
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }

    fn because(context: &str, cause: impl fmt::Display) -> Self {
        Self(format!("{context}: {cause}"))
    }
}

/// Something that delivers a message, or fails saying why.
#[async_trait::async_trait]
pub trait MailTransport: Send + Sync + fmt::Debug {
    /// Hands the message over; `Ok` means it is out of Coffeechat's hands (accepted by the server, or written).
    ///
    /// # Errors
    /// A [`MailError`] saying what failed; the worker retries later.
    async fn deliver(&self, message: &OutboxMessage) -> Result<(), MailError>;

    /// Where messages go, for logs (never with a password).
    fn describe(&self) -> String;
}

/// Where mail goes, as configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailDestination {
    /// An `smtp://` or `smtps://` URL (user and password in it, `?tls=required` for STARTTLS).
    Smtp(String),
    /// A folder for `.eml` files.
    Directory(PathBuf),
}

/// Checks a destination and sender without building anything that needs a runtime (the SMTP pool does), so
/// configuration can be checked at start-up.
///
/// # Errors
/// A [`MailError`] when the sender is not an address or the SMTP URL cannot be used.
pub fn check_destination(destination: &MailDestination, sender: &str) -> Result<(), MailError> {
    parse_sender(sender)?;
    if let MailDestination::Smtp(url) = destination {
        smtp_builder(url)?;
    }
    Ok(())
}

/// Where a destination sends mail, for logs and `coffeechat config` (never with a password).
pub fn describe_destination(destination: &MailDestination) -> String {
    match destination {
        MailDestination::Smtp(url) => format!("SMTP server {}", redact_url(url)),
        MailDestination::Directory(dir) => format!(".eml files in {}", dir.display()),
    }
}

/// The transport for a destination, sending as `sender` (`"Name <address>"` or a bare address). Call it within a
/// Tokio runtime: the SMTP connection pool runs on it.
///
/// # Errors
/// A [`MailError`] when the sender is not an address or the SMTP URL cannot be used.
pub fn mail_transport(destination: &MailDestination, sender: &str) -> Result<Arc<dyn MailTransport>, MailError> {
    let from = parse_sender(sender)?;
    Ok(match destination {
        MailDestination::Smtp(url) => Arc::new(SmtpMailer::new(url, from)?),
        MailDestination::Directory(path) => Arc::new(DirectoryMailer::new(path.clone(), from)),
    })
}

/// Reads `"Coffeechat <noreply@example.org>"` or `"noreply@example.org"`.
///
/// # Errors
/// A [`MailError`] when it is not a mailbox.
pub fn parse_sender(sender: &str) -> Result<Mailbox, MailError> {
    sender.trim().parse::<Mailbox>().map_err(|error| MailError::because(&format!("invalid sender '{sender}'"), error))
}

/// `RFC 3834`'s `Auto-Submitted: auto-generated`: tells mail servers and vacation responders not to answer.
#[derive(Debug, Clone, Copy)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

/// The MIME message for an outbox row, from `from`.
///
/// # Errors
/// A [`MailError`] when the recipient is not an address lettre accepts or a part cannot be built.
pub fn compose(message: &OutboxMessage, from: &Mailbox) -> Result<Message, MailError> {
    let address: Address = message.recipient_email.as_str().parse().map_err(|error| {
        MailError::because(&format!("invalid recipient '{}'", message.recipient_email.as_str()), error)
    })?;
    let to = Mailbox::new(Some(message.recipient_name.clone()), address);
    let builder = Message::builder().from(from.clone()).to(to).subject(message.subject.clone()).header(AutoSubmitted);

    let text = SinglePart::plain(message.body_text.clone());
    let built = if message.body_html.is_none() && message.calendar.is_none() {
        builder.singlepart(text)
    } else {
        let mut alternative = MultiPart::alternative().singlepart(text);
        if let Some(html) = &message.body_html {
            alternative = alternative.singlepart(SinglePart::html(html.clone()));
        }
        match &message.calendar {
            None => builder.multipart(alternative),
            Some(calendar) => {
                let method = calendar.method.as_str();
                let inline = content_type(&format!("text/calendar; charset=utf-8; method={method}"))?;
                let attached = content_type("application/ics; name=\"invite.ics\"")?;
                alternative = alternative.singlepart(SinglePart::builder().header(inline).body(calendar.ics.clone()));
                builder.multipart(
                    MultiPart::mixed()
                        .multipart(alternative)
                        .singlepart(Attachment::new("invite.ics".to_owned()).body(calendar.ics.clone(), attached)),
                )
            }
        }
    };
    built.map_err(|error| MailError::because("cannot build the message", error))
}

fn content_type(raw: &str) -> Result<ContentType, MailError> {
    ContentType::parse(raw).map_err(|error| MailError::because(&format!("bad content type '{raw}'"), error))
}

/// Delivery over SMTP with a pool of connections.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    server: String,
}

impl fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpMailer").field("server", &self.server).field("from", &self.from.to_string()).finish()
    }
}

impl SmtpMailer {
    /// A mailer for `url`: `smtp://[user:password@]host[:port]` (plain, or STARTTLS with `?tls=required`) or
    /// `smtps://…` (TLS from the start, port 465 by default).
    ///
    /// # Errors
    /// A [`MailError`] when the URL is not one lettre understands.
    ///
    /// Call it within a Tokio runtime: the connection pool runs on it.
    pub fn new(url: &str, from: Mailbox) -> Result<Self, MailError> {
        let transport = smtp_builder(url)?.timeout(Some(SMTP_TIMEOUT)).build();
        Ok(Self { transport, from, server: redact_url(url) })
    }
}

#[async_trait::async_trait]
impl MailTransport for SmtpMailer {
    async fn deliver(&self, message: &OutboxMessage) -> Result<(), MailError> {
        let email = compose(message, &self.from)?;
        self.transport
            .send(email)
            .await
            .map_err(|error| MailError::because(&format!("SMTP {}", self.server), error))?;
        Ok(())
    }

    fn describe(&self) -> String {
        describe_destination(&MailDestination::Smtp(self.server.clone()))
    }
}

/// Parses an SMTP URL into lettre's builder (which starts nothing yet).
fn smtp_builder(url: &str) -> Result<lettre::transport::smtp::AsyncSmtpTransportBuilder, MailError> {
    AsyncSmtpTransport::<Tokio1Executor>::from_url(url.trim())
        .map_err(|error| MailError::because(&format!("cannot use SMTP URL {}", redact_url(url)), error))
}

/// `scheme://host:port` of an SMTP URL, without user, password or query.
fn redact_url(url: &str) -> String {
    let url = url.trim();
    let Some((scheme, rest)) = url.split_once("://") else {
        return "(not a URL)".to_owned();
    };
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    format!("{scheme}://{host}")
}

/// Writes each message as an `.eml` file (the bytes SMTP would send) into a folder, created when needed.
#[derive(Debug)]
pub struct DirectoryMailer {
    dir: PathBuf,
    from: Mailbox,
}

impl DirectoryMailer {
    pub fn new(dir: PathBuf, from: Mailbox) -> Self {
        Self { dir, from }
    }

    /// The folder messages are written to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `20260302T090000Z-000042-interview_booked.eml`: sorts by creation, names the row and what it is about.
    fn file_name(message: &OutboxMessage) -> String {
        let created = message.created_at.strftime("%Y%m%dT%H%M%SZ");
        let kind: String =
            message.kind.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' }).collect();
        format!("{created}-{:06}-{kind}.eml", message.id.0)
    }
}

#[async_trait::async_trait]
impl MailTransport for DirectoryMailer {
    async fn deliver(&self, message: &OutboxMessage) -> Result<(), MailError> {
        let bytes = compose(message, &self.from)?.formatted();
        let where_to =
            |error: std::io::Error| MailError::because(&format!("cannot write to {}", self.dir.display()), error);
        tokio::fs::create_dir_all(&self.dir).await.map_err(where_to)?;
        let name = Self::file_name(message);
        // Written under a temporary name and renamed, so a reader never sees half a message.
        let partial = self.dir.join(format!(".{name}.partial"));
        tokio::fs::write(&partial, &bytes).await.map_err(where_to)?;
        tokio::fs::rename(&partial, self.dir.join(&name)).await.map_err(where_to)?;
        Ok(())
    }

    fn describe(&self) -> String {
        describe_destination(&MailDestination::Directory(self.dir.clone()))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use coffeechat_domain::Email;
    use coffeechat_store::{CalendarMethod, CalendarPart, OutboxId, OutboxStatus};

    use super::*;

    fn outbox_message(calendar: Option<CalendarPart>) -> OutboxMessage {
        let at = "2026-03-02T09:00:00Z".parse().unwrap();
        OutboxMessage {
            id: OutboxId(42),
            kind: "interview_booked".into(),
            recipient_email: Email::parse("ada@example.org").unwrap(),
            recipient_name: "Ada \"The Countess\" Lovelace".into(),
            subject: "Booked: conversation with Grace, Tue 3 Mar 2026 (Europe/London) — ☕".into(),
            body_text: "Hello Ada,\n\nSee you then.\n".into(),
            body_html: None,
            calendar,
            status: OutboxStatus::Sending,
            attempts: 1,
            next_attempt_at: at,
            last_error: None,
            created_at: at,
            sent_at: None,
            dedupe_key: None,
        }
    }

    #[test]
    fn a_text_only_message_is_one_plain_part_marked_automatic() {
        let from = parse_sender(DEFAULT_SENDER).unwrap();
        let text = String::from_utf8(compose(&outbox_message(None), &from).unwrap().formatted()).unwrap();
        assert!(text.contains("Content-Type: text/plain; charset=utf-8"), "{text}");
        assert!(text.contains("Auto-Submitted: auto-generated"), "{text}");
        assert!(!text.contains("multipart"), "{text}");
        assert!(text.contains("From: Coffeechat <coffeechat@localhost>"), "{text}");
    }

    #[test]
    fn a_calendar_goes_inline_with_its_method_and_as_an_attachment() {
        let calendar =
            CalendarPart { method: CalendarMethod::Cancel, ics: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".into() };
        let from = parse_sender("noreply@example.org").unwrap();
        let text = String::from_utf8(compose(&outbox_message(Some(calendar)), &from).unwrap().formatted()).unwrap();
        assert!(text.contains("multipart/mixed"), "{text}");
        assert!(text.contains("multipart/alternative"), "{text}");
        assert!(text.contains("text/calendar; charset=utf-8; method=CANCEL"), "{text}");
        assert!(text.contains("Content-Disposition: attachment; filename=\"invite.ics\""), "{text}");
    }

    #[tokio::test]
    async fn senders_and_smtp_urls_are_checked_and_passwords_never_shown() {
        assert!(parse_sender("not an address").is_err());
        assert_eq!(parse_sender(" Coffeechat <a@example.org> ").unwrap().email.to_string(), "a@example.org");
        assert_eq!(redact_url("smtps://user:s3cret@mail.example.org:465?x=y"), "smtps://mail.example.org:465");
        assert_eq!(redact_url("smtp://localhost:2525"), "smtp://localhost:2525");
        let from = parse_sender(DEFAULT_SENDER).unwrap();
        let mailer = SmtpMailer::new("smtps://user:s3cret@mail.example.org", from.clone()).unwrap();
        assert!(!format!("{mailer:?}{}", mailer.describe()).contains("s3cret"));
        let refused = SmtpMailer::new("http://user:s3cret@mail.example.org", from).unwrap_err();
        assert!(!refused.to_string().contains("s3cret"), "{refused}");
        let smtp = MailDestination::Smtp("smtps://user:s3cret@mail.example.org:465".into());
        assert!(check_destination(&smtp, DEFAULT_SENDER).is_ok());
        assert_eq!(describe_destination(&smtp), "SMTP server smtps://mail.example.org:465");
        assert!(check_destination(&smtp, "nobody").is_err());
        assert!(check_destination(&MailDestination::Smtp("smtp://".into()), DEFAULT_SENDER).is_err());
    }

    #[test]
    fn file_names_sort_by_creation_and_stay_plain() {
        let mut message = outbox_message(None);
        message.kind = "../evil kind".into();
        assert_eq!(DirectoryMailer::file_name(&message), "20260302T090000Z-000042----evil-kind.eml");
    }
}
