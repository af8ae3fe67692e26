//! Busy time from hosts' own calendars: uploading an `.ics` file, subscribing to an ICS feed URL, listing
//! them with how their last import went, refreshing and removing them — and the worker's periodic refresh.
//!
//! Every import reads the calendar for the window [now − 1 day, now + 400 days), which covers the longest
//! booking horizon a policy may set, and replaces the calendar's blocks only when it succeeds: a feed that is
//! down, too large, slow or not a calendar keeps its previous blocks and shows the host what went wrong, and
//! never blocks the rest of their calendar. Uploads keep their text and are read again daily, so repeating
//! events keep reaching new weeks.
//!
//! Fetching a URL a user typed is a classic way into a server's private network (SSRF). Feed URLs must be
//! http(s) without credentials, must not name this site, and every address they resolve to must be public:
//! checked when the feed is added and again on every connection (a resolver that refuses private addresses,
//! so a DNS answer that changes later gains nothing), on every redirect, with proxies disabled. Fetches time
//! out (5 s to connect, 15 s in all) and stop reading beyond [`MAX_FEED_BYTES`].

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use coffeechat_domain::{AccountId, Role, TimeZoneName};
use coffeechat_schedule::busy_import::{busy_from_ics, calendar_name};
use coffeechat_store::{
    BusyBlock, BusyCalendarId, BusyCalendarKind, BusyCalendarRecord, BusyCalendarSource, ImportAttempt, ImportOutcome,
    NewBusyCalendar,
};
use jiff::{SignedDuration, Timestamp};
use reqwest::Url;
use reqwest::header::{ACCEPT, ETAG, HeaderValue, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};

use crate::availability::shifted;
use crate::{Account, Result, ServiceError, Services};

/// The largest `.ics` file a host may upload.
pub const MAX_UPLOAD_BYTES: usize = 1024 * 1024;
/// A feed answering more than this is refused (and its download stopped there).
pub const MAX_FEED_BYTES: usize = 2 * 1024 * 1024;
/// Calendars one host may import: each feed is fetched every half hour.
pub const MAX_CALENDARS_PER_HOST: usize = 10;
/// How long a fetch may take to connect, and in all (headers and body).
pub const FEED_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
pub const FEED_TIMEOUT: Duration = Duration::from_secs(15);
/// A feed that worked is fetched again after this long.
pub const FEED_REFRESH: SignedDuration = SignedDuration::from_mins(30);
/// After failures the wait doubles from [`FEED_REFRESH`], up to this.
pub const FEED_MAX_BACKOFF: SignedDuration = SignedDuration::from_hours(12);
/// An upload is read again after this long, so that its repeating events reach further ahead.
pub const UPLOAD_REREAD: SignedDuration = SignedDuration::from_hours(24);
/// How often the worker looks for due calendars.
pub const BUSY_REFRESH_INTERVAL: Duration = Duration::from_secs(60);

/// The import window: from a day ago (events in progress) to beyond the longest horizon (365 days).
const IMPORT_PAST: SignedDuration = SignedDuration::from_hours(24);
const IMPORT_AHEAD: SignedDuration = SignedDuration::from_hours(400 * 24);
/// A claimed calendar is left alone by other workers this long: far more than one fetch takes.
const CLAIM_LEASE: SignedDuration = SignedDuration::from_mins(5);
/// Calendars fetched at once by one refresh round, and rounds per refresh.
const CLAIM_BATCH: u32 = 16;
const MAX_ROUNDS: usize = 20;
const MAX_REDIRECTS: usize = 5;
const MAX_URL_LENGTH: usize = 2000;
const MAX_NAME_CHARS: usize = 100;

/// How feeds are fetched. The default refuses every non-public address and allows [`FEED_TIMEOUT`].
#[derive(Debug, Clone, Copy)]
pub struct BusyFeedSettings {
    /// Allow loopback addresses (127.0.0.0/8, ::1). **Tests only**: they serve feeds on 127.0.0.1. Private,
    /// link-local and other non-public addresses stay refused, and so does this site's own address.
    pub allow_loopback: bool,
    /// How long one fetch may take in all; connecting may take at most [`FEED_CONNECT_TIMEOUT`] of it.
    pub timeout: Duration,
}

impl Default for BusyFeedSettings {
    fn default() -> Self {
        Self { allow_loopback: false, timeout: FEED_TIMEOUT }
    }
}

/// "1 second", "15 seconds".
fn seconds_text(duration: Duration) -> String {
    match duration.as_secs() {
        1 => "1 second".to_owned(),
        seconds => format!("{seconds} seconds"),
    }
}

/// The feed fetcher shared by all clones of [`Services`]: its settings and an HTTP client built on first use.
#[derive(Debug)]
pub(crate) struct BusyFeeds {
    settings: BusyFeedSettings,
    client: tokio::sync::OnceCell<reqwest::Client>,
}

impl Default for BusyFeeds {
    fn default() -> Self {
        Self::new(BusyFeedSettings::default())
    }
}

impl BusyFeeds {
    pub(crate) fn new(settings: BusyFeedSettings) -> Self {
        use_ring_for_tls();
        Self { settings, client: tokio::sync::OnceCell::new() }
    }
}

/// Makes ring the process's default rustls provider, unless one is installed already.
///
/// reqwest is built without a provider of its own (`rustls-no-provider`: its default would be aws-lc), and a
/// reqwest client built without an explicit TLS configuration panics when no default is installed. The feed
/// client passes its own configuration; this covers every other client in the process (tests, tools), so the
/// one TLS stack everywhere is rustls with ring.
fn use_ring_for_tls() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race with another thread installing a provider at the same moment is fine: one is installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// A refused address or URL, carried through reqwest's error chain so its words reach the host.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Refused(String);

/// Where this site is reached: feeds there are refused (importing our own calendar feed would count every
/// interview twice, and the server would fetch from itself).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Origin {
    host: String,
    port: Option<u16>,
}

impl Origin {
    fn of(url: &Url) -> Option<Self> {
        let host = url.host_str()?.trim_end_matches('.').to_ascii_lowercase();
        Some(Self { host, port: url.port_or_known_default() })
    }

    /// Same host, and the same port or both the scheme's usual one (http on 80 redirects to https on 443).
    fn same_site(&self, other: &Origin) -> bool {
        let usual = |port: Option<u16>| matches!(port, Some(80 | 443) | None);
        self.host == other.host && (self.port == other.port || (usual(self.port) && usual(other.port)))
    }
}

/// Why `ip` may not be fetched from, or `None` when it is a public address.
fn refused_address(ip: IpAddr, allow_loopback: bool) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => refused_v4(v4, allow_loopback),
        IpAddr::V6(v6) => refused_v6(v6, allow_loopback),
    }
}

fn refused_v4(ip: Ipv4Addr, allow_loopback: bool) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    if ip.is_loopback() {
        return (!allow_loopback).then_some("a loopback address (this server itself)");
    }
    if ip.is_private() {
        return Some("a private network address");
    }
    if ip.is_link_local() {
        return Some("a link-local address (used by cloud metadata services)");
    }
    if a == 100 && (b & 0xc0) == 64 {
        return Some("a shared (carrier-grade NAT) address");
    }
    let reserved = a == 0
        || a >= 224
        || (a == 192 && b == 0 && c == 0)
        || (a == 192 && b == 0 && c == 2)
        || (a == 198 && (b & 0xfe) == 18)
        || (a == 198 && b == 51 && c == 100)
        || (a == 203 && b == 0 && c == 113);
    reserved.then_some("a reserved address")
}

fn refused_v6(ip: Ipv6Addr, allow_loopback: bool) -> Option<&'static str> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return refused_v4(v4, allow_loopback);
    }
    if ip.is_loopback() {
        return (!allow_loopback).then_some("a loopback address (this server itself)");
    }
    let segments = ip.segments();
    let embedded_v4 = |high: u16, low: u16| {
        let [a, b] = high.to_be_bytes();
        let [c, d] = low.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    match segments {
        [0, 0, 0, 0, 0, 0, _, _] => Some("a reserved address"),
        [first, ..] if first & 0xfe00 == 0xfc00 => Some("a private network address"),
        [first, ..] if first & 0xffc0 == 0xfe80 || first & 0xffc0 == 0xfec0 => Some("a link-local address"),
        [first, ..] if first & 0xff00 == 0xff00 => Some("a reserved address"),
        [0x2001, 0x0db8, ..] => Some("a reserved address"),
        // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach the IPv4 address they embed.
        [0x0064, 0xff9b, 0, 0, 0, 0, high, low] => refused_v4(embedded_v4(high, low), allow_loopback),
        [0x2002, high, low, ..] => refused_v4(embedded_v4(high, low), allow_loopback),
        _ => None,
    }
}

/// Messages about addresses are predicates about the URL (`url: must not point at …`), so they read well after
/// the field's name in forms and API errors, and after "the feed address" in a feed's status.
fn refused_message(host: &str, ip: IpAddr, reason: &str) -> String {
    if host.trim_start_matches('[').trim_end_matches(']') == ip.to_string() {
        format!("must not point at {reason} ({ip}); Coffeechat only fetches calendars from public addresses")
    } else {
        format!("must not point at {reason}: {host} is {ip}; Coffeechat only fetches calendars from public addresses")
    }
}

/// Resolves `host` and checks every address it has; the message says what is wrong in the host's words.
async fn resolve_public(host: &str, allow_loopback: bool) -> std::result::Result<Vec<SocketAddr>, String> {
    let lookup = tokio::time::timeout(FEED_CONNECT_TIMEOUT, tokio::net::lookup_host((host, 0))).await;
    let not_found = || format!("must name a host that exists; {host} could not be found");
    let addresses: Vec<SocketAddr> = match lookup {
        Ok(Ok(addresses)) => addresses.collect(),
        Ok(Err(_)) => return Err(not_found()),
        Err(_) => {
            return Err(format!(
                "could not be checked: looking up {host} took longer than {}",
                seconds_text(FEED_CONNECT_TIMEOUT)
            ));
        }
    };
    if addresses.is_empty() {
        return Err(not_found());
    }
    for address in &addresses {
        if let Some(reason) = refused_address(address.ip(), allow_loopback) {
            return Err(refused_message(host, address.ip(), reason));
        }
    }
    Ok(addresses)
}

/// The checks that need no network: scheme, credentials, this site, literal addresses. Returns the URL to fetch
/// (`webcal://` read as `https://`, as calendar apps do).
fn check_url_shape(raw: &str, own: Option<&Origin>, allow_loopback: bool) -> std::result::Result<Url, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("is required".to_owned());
    }
    if raw.len() > MAX_URL_LENGTH {
        return Err(format!("must be at most {MAX_URL_LENGTH} characters"));
    }
    let lowered = raw.to_ascii_lowercase();
    let rewritten = ["webcal://", "webcals://"]
        .iter()
        .find(|prefix| lowered.starts_with(*prefix))
        .map_or_else(|| raw.to_owned(), |prefix| format!("https://{}", &raw[prefix.len()..]));
    let url = Url::parse(&rewritten)
        .map_err(|_| "must be a web address like https://calendar.example.org/basic.ics".to_owned())?;
    check_url(&url, own, allow_loopback)?;
    Ok(url)
}

fn check_url(url: &Url, own: Option<&Origin>, allow_loopback: bool) -> std::result::Result<(), String> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("must start with http:// or https:// ({}: addresses are not fetched)", url.scheme()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not contain a user name or password".to_owned());
    }
    let origin = Origin::of(url).ok_or_else(|| "must name a host, like https://calendar.example.org/…".to_owned())?;
    if own.is_some_and(|own| own.same_site(&origin)) {
        return Err("must not point at Coffeechat itself; give the address of your own calendar".to_owned());
    }
    if let Some(ip) = literal_ip(url)
        && let Some(reason) = refused_address(ip, allow_loopback)
    {
        return Err(refused_message(&origin.host, ip, reason));
    }
    let local_name = origin.host == "localhost" || origin.host.ends_with(".localhost");
    if local_name && !allow_loopback {
        return Err(format!("must not point at this server itself ({})", origin.host));
    }
    Ok(())
}

/// The address a URL names literally (`http://10.0.0.1/`, `http://[::1]/`): such hosts are connected to
/// without any name lookup, so the resolver never sees them.
fn literal_ip(url: &Url) -> Option<IpAddr> {
    url.host_str()?.trim_start_matches('[').trim_end_matches(']').parse().ok()
}

/// A reqwest resolver that refuses names with any non-public address, so the address connected to is always
/// one that was checked (no window between a check and the connection for DNS to change in).
#[derive(Debug)]
struct PublicOnlyResolver {
    allow_loopback: bool,
}

impl reqwest::dns::Resolve for PublicOnlyResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_loopback = self.allow_loopback;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addresses = resolve_public(&host, allow_loopback).await.map_err(
                |message| -> Box<dyn std::error::Error + Send + Sync> {
                    Box::new(Refused(format!("the feed address {message}")))
                },
            )?;
            let addresses: reqwest::dns::Addrs = Box::new(addresses.into_iter());
            Ok(addresses)
        })
    }
}

/// The feed client: rustls with the ring provider and Mozilla's roots, no proxy, our resolver, checked
/// redirects, timeouts.
fn build_client(settings: BusyFeedSettings, own: Option<Origin>) -> std::result::Result<reqwest::Client, String> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|error| format!("TLS set-up failed: {error}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let allow_loopback = settings.allow_loopback;
    let redirects = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() >= MAX_REDIRECTS {
            return attempt.error(Refused(format!("the feed redirected more than {MAX_REDIRECTS} times")));
        }
        match check_url(attempt.url(), own.as_ref(), allow_loopback) {
            Ok(()) => attempt.follow(),
            Err(problem) => {
                attempt.error(Refused(format!("the feed redirected elsewhere, and that address {problem}")))
            }
        }
    });
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .dns_resolver(Arc::new(PublicOnlyResolver { allow_loopback }))
        .redirect(redirects)
        .no_proxy()
        .referer(false)
        .connect_timeout(FEED_CONNECT_TIMEOUT.min(settings.timeout))
        .timeout(settings.timeout)
        .user_agent(concat!("Coffeechat/", env!("CARGO_PKG_VERSION"), " (busy-time import)"))
        .build()
        .map_err(|error| format!("the HTTP client could not be built: {error}"))
}

/// What a fetch brought back.
enum Fetched {
    NotModified,
    Calendar { text: String, etag: Option<String>, last_modified: Option<String> },
}

/// A reqwest failure in plain words, never with the URL (it may carry the feed's secret).
fn fetch_error(error: &reqwest::Error, host: &str, timeout: Duration) -> String {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(cause) = source {
        if let Some(refused) = cause.downcast_ref::<Refused>() {
            return refused.0.clone();
        }
        source = cause.source();
    }
    if error.is_timeout() {
        return format!("{host} did not answer within {}", seconds_text(timeout));
    }
    if error.is_connect() {
        return format!("could not connect to {host}");
    }
    if error.is_redirect() {
        return "the feed redirected in a way Coffeechat does not follow".to_owned();
    }
    if error.is_body() || error.is_decode() {
        return format!("the download from {host} broke off");
    }
    format!("the calendar could not be fetched from {host}")
}

fn too_large() -> String {
    format!("the calendar is larger than {} MiB, more than Coffeechat imports", MAX_FEED_BYTES / (1024 * 1024))
}

fn header_text(response: &reqwest::Response, name: reqwest::header::HeaderName) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
        .filter(|value| !value.is_empty() && value.len() <= 1000)
}

impl BusyFeeds {
    async fn client(&self, own: Option<Origin>) -> std::result::Result<&reqwest::Client, String> {
        let settings = self.settings;
        self.client.get_or_try_init(|| async move { build_client(settings, own) }).await
    }

    /// Fetches `url` (conditionally, when validators are known), reading at most [`MAX_FEED_BYTES`].
    async fn fetch(
        &self,
        url: &str,
        own: Option<Origin>,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> std::result::Result<Fetched, String> {
        let url = Url::parse(url).map_err(|_| "the stored address is not a valid URL".to_owned())?;
        check_url(&url, own.as_ref(), self.settings.allow_loopback)
            .map_err(|problem| format!("the feed address {problem}"))?;
        let host = url.host_str().unwrap_or("the calendar server").to_owned();
        let timeout = self.settings.timeout;
        let client = self.client(own).await?;
        let mut request =
            client.get(url).header(ACCEPT, HeaderValue::from_static("text/calendar, text/plain;q=0.8, */*;q=0.5"));
        let validators = [(IF_NONE_MATCH, etag), (IF_MODIFIED_SINCE, last_modified)];
        let mut conditional = false;
        for (name, value) in validators {
            if let Some(value) = value.and_then(|value| HeaderValue::from_str(value).ok()) {
                request = request.header(name, value);
                conditional = true;
            }
        }
        // reqwest's own timeout covers the whole exchange too; this one also bounds a body trickling in slowly.
        let exchange = async {
            let mut response = request.send().await.map_err(|error| fetch_error(&error, &host, timeout))?;
            let status = response.status();
            if status == reqwest::StatusCode::NOT_MODIFIED && conditional {
                return Ok(Fetched::NotModified);
            }
            if !status.is_success() {
                return Err(match status.as_u16() {
                    401 | 403 => format!(
                        "{host} refused access ({status}); check that the address is the calendar's secret or public address"
                    ),
                    404 | 410 => format!("{host} has no calendar at that address ({status})"),
                    _ => format!("{host} answered {status} instead of a calendar"),
                });
            }
            if response.content_length().is_some_and(|length| length > MAX_FEED_BYTES as u64) {
                return Err(too_large());
            }
            let etag = header_text(&response, ETAG);
            let last_modified = header_text(&response, LAST_MODIFIED);
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(|error| fetch_error(&error, &host, timeout))? {
                if body.len() + chunk.len() > MAX_FEED_BYTES {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            let text = String::from_utf8_lossy(&body).into_owned();
            Ok(Fetched::Calendar { text, etag, last_modified })
        };
        tokio::time::timeout(timeout, exchange)
            .await
            .unwrap_or_else(|_| Err(format!("{host} did not answer within {}", seconds_text(timeout))))
    }
}

/// When to try a calendar again after an attempt: soon after success, with a doubling wait after failures.
fn next_attempt(kind: BusyCalendarKind, failed: bool, failures_before: u32, now: Timestamp) -> Timestamp {
    let wait = match (kind, failed) {
        (BusyCalendarKind::Upload, _) => UPLOAD_REREAD,
        (BusyCalendarKind::Feed, false) => FEED_REFRESH,
        (BusyCalendarKind::Feed, true) => {
            let doublings = failures_before.min(10);
            FEED_REFRESH.checked_mul(1_i32 << doublings).unwrap_or(FEED_MAX_BACKOFF).min(FEED_MAX_BACKOFF)
        }
    };
    shifted(now, wait)
}

/// A calendar's name as given, or `fallback`; 1–100 characters.
fn calendar_display_name(given: Option<&str>, fallback: impl FnOnce() -> String) -> Result<String> {
    let name = match given.map(str::trim).filter(|name| !name.is_empty()) {
        Some(name) => name.to_owned(),
        None => fallback().trim().chars().take(MAX_NAME_CHARS).collect(),
    };
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(ServiceError::invalid("name", format!("must be at most {MAX_NAME_CHARS} characters")));
    }
    if name.chars().any(char::is_control) {
        return Err(ServiceError::invalid("name", "must be one line of text"));
    }
    Ok(if name.is_empty() { "Calendar".to_owned() } else { name })
}

fn require_host(me: &Account) -> Result<()> {
    if me.roles.has(Role::Host) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden("only hosts import busy calendars".into()))
    }
}

/// Reads `text` for the import window on a blocking thread (a large file with many rules takes a while).
async fn read_calendar(
    text: String,
    zone: TimeZoneName,
    now: Timestamp,
) -> Result<std::result::Result<Vec<BusyBlock>, String>> {
    let (from, to) = (shifted(now, -IMPORT_PAST), shifted(now, IMPORT_AHEAD));
    let read = tokio::task::spawn_blocking(move || busy_from_ics(&text, &zone, from, to))
        .await
        .map_err(ServiceError::internal)?;
    Ok(read
        .map(|busy| busy.into_iter().map(|busy| BusyBlock { start: busy.start, end: busy.end }).collect())
        .map_err(|error| error.to_string()))
}

impl Services {
    /// The same services with these feed-fetching rules (tests allow loopback addresses this way).
    #[must_use]
    pub fn with_busy_feed_settings(mut self, settings: BusyFeedSettings) -> Self {
        self.busy_feeds = Arc::new(BusyFeeds::new(settings));
        self
    }

    /// The caller's busy calendars, oldest first, each with how its last import went.
    ///
    /// # Errors
    /// [`ServiceError::Forbidden`] unless the caller is a host.
    pub async fn busy_calendars(&self, me: &Account) -> Result<Vec<BusyCalendarRecord>> {
        require_host(me)?;
        Ok(self.store.busy_calendars(me.id).await?)
    }

    /// Imports an uploaded `.ics` file. Nothing is stored when it cannot be read.
    ///
    /// # Errors
    /// [`ServiceError::Forbidden`] unless the caller is a host; [`ServiceError::Invalid`] with `calendar` when
    /// the file is larger than [`MAX_UPLOAD_BYTES`] or cannot be read (the message names the line), with `name`
    /// for a bad name; [`ServiceError::Conflict`] at [`MAX_CALENDARS_PER_HOST`] calendars.
    pub async fn upload_busy_calendar(
        &self,
        me: &Account,
        name: Option<&str>,
        body: &[u8],
    ) -> Result<BusyCalendarRecord> {
        require_host(me)?;
        if body.len() > MAX_UPLOAD_BYTES {
            return Err(ServiceError::invalid(
                "calendar",
                format!(
                    "is larger than {} MiB; export a shorter period, or add the calendar's feed URL instead",
                    MAX_UPLOAD_BYTES / (1024 * 1024)
                ),
            ));
        }
        self.check_room_for_calendar(me.id).await?;
        let text = String::from_utf8_lossy(body).into_owned();
        let name =
            calendar_display_name(name, || calendar_name(&text).unwrap_or_else(|| "Uploaded calendar".to_owned()))?;
        let now = self.now();
        let zone = self.host_zone(me).await?;
        let blocks = read_calendar(text.clone(), zone, now)
            .await?
            .map_err(|message| ServiceError::invalid("calendar", message))?;
        let calendar = self
            .store
            .add_busy_calendar(NewBusyCalendar {
                host_id: me.id,
                name,
                source: BusyCalendarSource::Upload { text },
                next_fetch_at: shifted(now, UPLOAD_REREAD),
                created_at: now,
            })
            .await?;
        let attempt = ImportAttempt {
            outcome: ImportOutcome::Imported { blocks, etag: None, last_modified: None },
            at: now,
            next_fetch_at: shifted(now, UPLOAD_REREAD),
        };
        Ok(self.store.record_busy_import(calendar.id, attempt).await?)
    }

    /// Subscribes to an ICS feed and fetches it once right away. A fetch that fails still adds the feed (the
    /// server may be down for a moment): its status says what went wrong and the worker tries again.
    ///
    /// # Errors
    /// [`ServiceError::Forbidden`] unless the caller is a host; [`ServiceError::Invalid`] with `url` when it is
    /// not http(s), has credentials, names this site, cannot be resolved or resolves to a non-public address,
    /// or is already one of the host's feeds, with `name` for a bad name; [`ServiceError::Conflict`] at
    /// [`MAX_CALENDARS_PER_HOST`] calendars.
    pub async fn add_busy_feed(&self, me: &Account, url: &str, name: Option<&str>) -> Result<BusyCalendarRecord> {
        require_host(me)?;
        let allow_loopback = self.busy_feeds.settings.allow_loopback;
        let own = self.own_origin();
        let url = check_url_shape(url, own.as_ref(), allow_loopback)
            .map_err(|message| ServiceError::invalid("url", message))?;
        let host = url.host_str().unwrap_or_default().to_owned();
        if literal_ip(&url).is_none() {
            resolve_public(&host, allow_loopback).await.map_err(|message| ServiceError::invalid("url", message))?;
        }
        let name = calendar_display_name(name, || host.clone())?;
        let existing = self.store.busy_calendars(me.id).await?;
        if existing.iter().any(|calendar| calendar.url.as_deref() == Some(url.as_str())) {
            return Err(ServiceError::invalid("url", "is already one of your calendars"));
        }
        if existing.len() >= MAX_CALENDARS_PER_HOST {
            return Err(too_many_calendars());
        }
        let now = self.now();
        let calendar = self
            .store
            .add_busy_calendar(NewBusyCalendar {
                host_id: me.id,
                name,
                source: BusyCalendarSource::Feed { url: url.to_string() },
                // Out of the worker's way while the first fetch below runs.
                next_fetch_at: shifted(now, CLAIM_LEASE),
                created_at: now,
            })
            .await?;
        self.import_busy_calendar(&calendar).await
    }

    /// One of the caller's calendars.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`]`("calendar")` when it is not one of the caller's.
    pub async fn busy_calendar(&self, me: &Account, id: BusyCalendarId) -> Result<BusyCalendarRecord> {
        require_host(me)?;
        self.own_calendar(me, id).await
    }

    /// Imports one of the caller's calendars now ("refresh now" on the settings page).
    ///
    /// # Errors
    /// [`ServiceError::NotFound`]`("calendar")` when it is not one of the caller's.
    pub async fn refresh_busy_calendar(&self, me: &Account, id: BusyCalendarId) -> Result<BusyCalendarRecord> {
        require_host(me)?;
        let calendar = self.own_calendar(me, id).await?;
        self.import_busy_calendar(&calendar).await
    }

    /// Removes one of the caller's calendars and its busy time.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`]`("calendar")` when it is not one of the caller's.
    pub async fn delete_busy_calendar(&self, me: &Account, id: BusyCalendarId) -> Result<()> {
        require_host(me)?;
        if self.store.delete_busy_calendar(me.id, id).await? { Ok(()) } else { Err(ServiceError::NotFound("calendar")) }
    }

    /// The worker's task: imports every calendar that is due (feeds every half hour, with back-off after
    /// failures; uploads daily), several at a time. Returns how many were attempted. Safe to run from several
    /// workers at once: each calendar is claimed by one.
    ///
    /// # Errors
    /// Store failures while claiming; a failure importing one calendar is logged and does not stop the others.
    pub async fn refresh_due_feeds(&self) -> Result<usize> {
        let mut attempted = 0;
        for _ in 0..MAX_ROUNDS {
            let now = self.now();
            let claimed = self.store.claim_due_busy_calendars(now, shifted(now, CLAIM_LEASE), CLAIM_BATCH).await?;
            let round = claimed.len();
            let mut imports = tokio::task::JoinSet::new();
            for calendar in claimed {
                let services = self.clone();
                imports.spawn(async move { (calendar.id, services.import_busy_calendar(&calendar).await) });
            }
            while let Some(joined) = imports.join_next().await {
                match joined {
                    Ok((_, Ok(_))) => {}
                    Ok((id, Err(error))) => {
                        tracing::warn!(calendar = %id, %error, "recording a busy-calendar import failed")
                    }
                    Err(error) => tracing::error!(%error, "a busy-calendar import panicked"),
                }
            }
            attempted += round;
            if round < CLAIM_BATCH as usize {
                break;
            }
        }
        Ok(attempted)
    }

    /// Reads or fetches one calendar and records the outcome (a failure keeps the previous blocks).
    async fn import_busy_calendar(&self, calendar: &BusyCalendarRecord) -> Result<BusyCalendarRecord> {
        let host = self.store.account(calendar.host_id).await?.ok_or(ServiceError::NotFound("calendar"))?;
        let zone = self.host_zone(&host).await?;
        let now = self.now();
        let outcome = match calendar.kind {
            BusyCalendarKind::Upload => match self.store.busy_calendar_text(calendar.id).await? {
                Some(text) => imported(read_calendar(text, zone, now).await?, None, None),
                None => ImportOutcome::Failed { error: "the uploaded file is missing; upload it again".to_owned() },
            },
            BusyCalendarKind::Feed => {
                let url = calendar.url.as_deref().unwrap_or_default();
                let fetched = self
                    .busy_feeds
                    .fetch(url, self.own_origin(), calendar.etag.as_deref(), calendar.last_modified.as_deref())
                    .await;
                match fetched {
                    Ok(Fetched::NotModified) => ImportOutcome::NotModified,
                    Ok(Fetched::Calendar { text, etag, last_modified }) => {
                        imported(read_calendar(text, zone, now).await?, etag, last_modified)
                    }
                    Err(error) => ImportOutcome::Failed { error },
                }
            }
        };
        let failed = matches!(outcome, ImportOutcome::Failed { .. });
        if let ImportOutcome::Failed { error } = &outcome {
            tracing::info!(calendar = %calendar.id, %error, "a busy calendar could not be imported; its previous blocks stay");
        }
        let next_fetch_at = next_attempt(calendar.kind, failed, calendar.consecutive_failures, now);
        let attempt = ImportAttempt { outcome, at: now, next_fetch_at };
        self.store.record_busy_import(calendar.id, attempt).await.map_err(|error| match error {
            // Deleted while it was being fetched: nothing left to record.
            coffeechat_store::StoreError::NotFound => ServiceError::NotFound("calendar"),
            other => other.into(),
        })
    }

    async fn own_calendar(&self, me: &Account, id: BusyCalendarId) -> Result<BusyCalendarRecord> {
        match self.store.busy_calendar(id).await? {
            Some(calendar) if calendar.host_id == me.id => Ok(calendar),
            _ => Err(ServiceError::NotFound("calendar")),
        }
    }

    async fn check_room_for_calendar(&self, host: AccountId) -> Result<()> {
        if self.store.busy_calendars(host).await?.len() >= MAX_CALENDARS_PER_HOST {
            return Err(too_many_calendars());
        }
        Ok(())
    }

    /// The zone all-day events and floating times are read in: the policy's, else the account's.
    async fn host_zone(&self, host: &Account) -> Result<TimeZoneName> {
        Ok(self.store.host_policy(host.id).await?.map_or_else(|| host.time_zone.clone(), |policy| policy.time_zone))
    }

    fn own_origin(&self) -> Option<Origin> {
        Url::parse(&self.site().public_url).ok().as_ref().and_then(Origin::of)
    }
}

fn imported(
    read: std::result::Result<Vec<BusyBlock>, String>,
    etag: Option<String>,
    last_modified: Option<String>,
) -> ImportOutcome {
    match read {
        Ok(blocks) => ImportOutcome::Imported { blocks, etag, last_modified },
        Err(error) => ImportOutcome::Failed { error },
    }
}

fn too_many_calendars() -> ServiceError {
    ServiceError::Conflict(format!("you already import {MAX_CALENDARS_PER_HOST} calendars; remove one to add another"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    fn own() -> Origin {
        Origin::of(&Url::parse("https://coffeechat.example.org").unwrap()).unwrap()
    }

    fn shape(url: &str) -> std::result::Result<Url, String> {
        check_url_shape(url, Some(&own()), false)
    }

    #[test]
    fn only_public_http_addresses_pass() {
        assert_eq!(shape("https://calendar.google.com/calendar/ical/x/basic.ics").unwrap().scheme(), "https");
        assert_eq!(
            shape("webcal://p01-caldav.icloud.com/published/2/abc").unwrap().as_str(),
            "https://p01-caldav.icloud.com/published/2/abc"
        );
        let cases = [
            ("", "is required"),
            ("file:///etc/passwd", "must start with http:// or https://"),
            ("ftp://calendar.example.org/cal.ics", "must start with http:// or https://"),
            ("javascript:alert(1)", "must start with http:// or https://"),
            ("calendar.example.org/cal.ics", "must be a web address"),
            ("https://user:secret@calendar.example.org/cal.ics", "user name or password"),
            ("http://localhost:8080/cal.ics", "this server itself"),
            ("http://127.0.0.1/cal.ics", "loopback"),
            ("http://10.0.0.1/cal.ics", "private network address (10.0.0.1)"),
            ("http://192.168.1.20/cal.ics", "private network"),
            ("http://169.254.169.254/latest/meta-data", "link-local"),
            ("http://[::1]/cal.ics", "loopback"),
            ("http://[fd00::1]/cal.ics", "private network"),
            ("http://[::ffff:10.1.2.3]/cal.ics", "private network"),
            ("http://0.0.0.0/cal.ics", "reserved"),
            ("https://coffeechat.example.org/feeds/abc.ics", "Coffeechat itself"),
            ("http://COFFEECHAT.example.org./feeds/abc.ics", "Coffeechat itself"),
        ];
        for (url, needle) in cases {
            let message = shape(url).unwrap_err();
            assert!(message.contains(needle), "{url}: {message}");
        }
        assert!(shape(&format!("https://example.org/{}", "a".repeat(MAX_URL_LENGTH))).is_err());
    }

    #[test]
    fn loopback_is_allowed_only_when_the_settings_say_so_and_never_for_this_site() {
        let local = Origin::of(&Url::parse("http://127.0.0.1:8080").unwrap()).unwrap();
        assert!(check_url_shape("http://127.0.0.1:4567/cal.ics", Some(&local), true).is_ok());
        assert!(
            check_url_shape("http://127.0.0.1:8080/cal.ics", Some(&local), true)
                .unwrap_err()
                .contains("Coffeechat itself")
        );
        assert!(check_url_shape("http://10.0.0.1/cal.ics", Some(&local), true).unwrap_err().contains("private"));
    }

    #[test]
    fn public_addresses_are_accepted() {
        for ip in ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e"] {
            assert_eq!(refused_address(ip.parse().unwrap(), false), None, "{ip}");
        }
        for ip in
            ["100.64.0.1", "172.16.5.4", "224.0.0.1", "255.255.255.255", "64:ff9b::a00:1", "2002:a00:1::", "fe80::1"]
        {
            assert!(refused_address(ip.parse().unwrap(), false).is_some(), "{ip}");
        }
    }

    #[tokio::test]
    async fn the_resolver_checks_every_address_a_name_has() {
        let refused = resolve_public("localhost", false).await.unwrap_err();
        assert!(
            refused.contains("must not point at a loopback address") && refused.contains("localhost is"),
            "{refused}"
        );
        assert!(!resolve_public("localhost", true).await.unwrap().is_empty());
        let unknown = resolve_public("no-such-host.invalid", false).await.unwrap_err();
        assert!(unknown.contains("could not be found") || unknown.contains("took longer"), "{unknown}");
    }

    #[test]
    fn failures_back_off_to_a_limit_and_uploads_are_reread_daily() {
        let now: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
        let wait = |kind, failed, before| now.duration_until(next_attempt(kind, failed, before, now));
        assert_eq!(wait(BusyCalendarKind::Feed, false, 3), SignedDuration::from_mins(30));
        assert_eq!(wait(BusyCalendarKind::Feed, true, 0), SignedDuration::from_mins(30));
        assert_eq!(wait(BusyCalendarKind::Feed, true, 1), SignedDuration::from_hours(1));
        assert_eq!(wait(BusyCalendarKind::Feed, true, 3), SignedDuration::from_hours(4));
        assert_eq!(wait(BusyCalendarKind::Feed, true, 40), FEED_MAX_BACKOFF);
        assert_eq!(wait(BusyCalendarKind::Upload, true, 0), SignedDuration::from_hours(24));
    }

    #[test]
    fn names_default_and_are_checked() {
        assert_eq!(calendar_display_name(Some("  Work  "), || "x".into()).unwrap(), "Work");
        assert_eq!(calendar_display_name(None, || "calendar.example.org".into()).unwrap(), "calendar.example.org");
        assert_eq!(calendar_display_name(Some(" "), String::new).unwrap(), "Calendar");
        assert!(calendar_display_name(Some(&"n".repeat(101)), String::new).is_err());
        assert!(calendar_display_name(Some("two\nlines"), String::new).is_err());
    }
}
