//! Coffeechat's application services: the operations a user can perform, each one orchestrating the
//! domain rules, the slot engine and the store.
//!
//! The web layer and the CLI call [`Services`] and nothing below it: a handler parses its input,
//! calls one method here and renders the result; every decision about who may do what, whether a time
//! is free, and which state change is allowed is taken here or in the domain. Nothing in this crate
//! knows about HTTP: failures are one [`ServiceError`] whose variants the web layer maps to statuses.
//!
//! ```no_run
//! # async fn example() -> coffeechat_service::Result<()> {
//! use coffeechat_service::{Services, SignUpInput};
//! let store = coffeechat_store::open("coffeechat.db").await?;
//! store.migrate().await?;
//! let services = Services::new(store);
//! let account = services
//!     .sign_up(SignUpInput {
//!         email: "ada@example.org".into(),
//!         password: "correct horse battery".into(),
//!         name: "Ada".into(),
//!         roles: vec!["seeker".into()],
//!         time_zone: "Europe/London".into(),
//!     })
//!     .await?;
//! let token = services.issue_api_token("ada@example.org", "correct horse battery").await?;
//! assert_eq!(services.account_for_token(&token).await?.map(|a| a.id), Some(account.id));
//! # Ok(())
//! # }
//! ```

mod accounts;
mod aftercare;
mod aftercare_mail;
mod availability;
mod busy;
mod calendar;
mod clock;
mod error;
mod expiry;
mod hosts;
mod interviews;
mod link_token;
mod mail;
mod notifications;
mod outbox;
mod overrides;
mod programs;
mod read_cache;
mod recommendations;
mod requests;
mod rounds;
mod seeker_profile;
mod site;
mod transport;
mod waitlist;
mod worker;

use std::sync::Arc;

use coffeechat_domain::{HostPolicy, MeetingLength, TimeZoneName};
use jiff::Timestamp;

pub use accounts::hash_password;
pub use aftercare::{InterviewDetail, InterviewPhase, THANKS_REMINDER_DELAY, THANKS_REMINDER_INTERVAL, THANKS_WINDOW};
pub use availability::Capacity;
pub use availability::cap_periods;
pub use busy::{
    BUSY_REFRESH_INTERVAL, BusyFeedSettings, FEED_CONNECT_TIMEOUT, FEED_REFRESH, FEED_TIMEOUT, MAX_CALENDARS_PER_HOST,
    MAX_FEED_BYTES, MAX_UPLOAD_BYTES,
};
pub use calendar::{ActionLink, RescheduleChoice};
pub use clock::{Clock, FixedClock, SystemClock};
pub use coffeechat_store::{Account, Host, InterviewRecord, Party, RequestRecord, Store};
pub use coffeechat_store::{BusyCalendarId, BusyCalendarKind, BusyCalendarRecord, ImportStatus};
pub use error::{Result, ServiceError};
pub use expiry::{EXPIRY_INTERVAL, RESPONSE_HISTORY};
pub use hosts::HostOutlook;
pub use notifications::NotificationList;
pub use outbox::{EMAILS_FAILED, EMAILS_SENT, KEEP_SENT_MESSAGES, MAX_ATTEMPTS, MailRun, retry_after};
pub use overrides::describe_override;
pub use programs::{Joined, ProgramDetail};
pub use recommendations::{
    DEFAULT_RECOMMENDATIONS, MAX_RECOMMENDATIONS, PairExclusion, PairExclusions, Recommendation, Recommendations,
    host_facts, seeker_facts,
};
pub use requests::{HostFull, HostSuggestion, MAX_SUGGESTIONS, RequestOutcome};
pub use rounds::{Exclusion, PairFacts, Person, Published, RoundDetail, SkippedPair, compute_proposal};
pub use site::{SecretKey, SiteSettings};
pub use transport::{
    DEFAULT_SENDER, DirectoryMailer, MailDestination, MailError, MailTransport, SmtpMailer, check_destination, compose,
    describe_destination, mail_transport, parse_sender,
};
pub use waitlist::{OFFER_WINDOW, PROMOTE_INTERVAL};
pub use worker::{MAIL_INTERVAL, SHUTDOWN_GRACE, Worker, WorkerControl};

/// The application's operations, shared by every request handler (cheap to clone).
#[derive(Debug, Clone)]
pub struct Services {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    /// Where links in emails and feeds point, and the key feed URLs are signed with.
    site: Arc<SiteSettings>,
    /// Fetches hosts' busy-calendar feeds (one HTTP client for all clones).
    busy_feeds: Arc<busy::BusyFeeds>,
    /// The host-time rows pages showing slots read, reused for a second at most (one cache for all clones).
    read_cache: Arc<read_cache::ReadCache>,
}

impl Services {
    /// Services on `store` that read the system clock.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self::with_clock(store, Arc::new(SystemClock))
    }

    /// Services with an injected clock, so tests (and the demo loader) control "now".
    pub fn with_clock(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            clock,
            site: Arc::new(SiteSettings::local()),
            busy_feeds: Arc::default(),
            read_cache: Arc::default(),
        }
    }

    /// The same services with the site's public address and secret key (the default is a local address and a
    /// key that lives as long as the process).
    #[must_use]
    pub fn with_site(mut self, site: SiteSettings) -> Self {
        self.site = Arc::new(site);
        self
    }

    /// Where the site is reached.
    pub fn site(&self) -> &SiteSettings {
        &self.site
    }

    /// The store underneath, for the few callers that need it directly (migrations, health checks,
    /// sessions, the demo loader).
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The current instant according to the injected clock.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }
}

/// What a user may change on their account page (`roles`: the full set they want, at least the ones they have).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct AccountSettingsInput {
    pub name: String,
    pub time_zone: String,
    pub roles: Vec<String>,
}

/// Sign-up as submitted by a form or the API, before validation. Field names are the API's.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct SignUpInput {
    pub email: String,
    pub password: String,
    pub name: String,
    /// `"host"` and/or `"seeker"`.
    pub roles: Vec<String>,
    /// IANA name of the zone the user sees times in.
    pub time_zone: String,
}

/// Directory filters. Empty text and `None` mean "any".
#[derive(Debug, Clone, Default)]
pub struct DirectoryQuery {
    pub text: Option<String>,
    pub industry: Option<String>,
    pub skill: Option<String>,
    /// Only hosts with at least one free slot in the next 14 days.
    pub has_free_slots: bool,
    /// At most this many hosts; 0 means 100.
    pub limit: u32,
}

/// One host in the directory, with what a seeker needs to decide whether to look closer.
#[derive(Debug, Clone)]
pub struct HostListing {
    pub host: Host,
    /// The stored policy, or the starter policy for a host who has not set one.
    pub policy: HostPolicy,
    /// The first free slot in the next 14 days, at the host's shortest length.
    pub next_free: Option<Timestamp>,
    /// The host-zone month containing now is at its monthly cap.
    pub month_full: bool,
}

/// Which free slots to list.
#[derive(Debug, Clone, Default)]
pub struct SlotQuery {
    /// First calendar date (inclusive), read in `zone`; default today.
    pub from: Option<jiff::civil::Date>,
    /// Last calendar date (inclusive), read in `zone`; default `from` + 14 days.
    pub to: Option<jiff::civil::Date>,
    /// Meeting length; default the host's shortest.
    pub length_minutes: Option<i64>,
    /// The zone the dates are read in (the viewer's); default the host's.
    pub zone: Option<TimeZoneName>,
}

/// A host's free slots for one length over a date range.
#[derive(Debug, Clone)]
pub struct SlotList {
    pub host: Host,
    pub policy: HostPolicy,
    pub length: MeetingLength,
    /// The zone the dates of the query were read in.
    pub zone: TimeZoneName,
    /// In start order.
    pub slots: Vec<coffeechat_schedule::Slot>,
    /// The host-zone month containing now is at its monthly cap.
    pub month_full: bool,
}
