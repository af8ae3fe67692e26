//! Coffeechat's storage: one interface ([`Store`]) used by the web layer, the worker and the CLI, with
//! an embedded SQLite implementation ([`SqliteStore`], the default) and a PostgreSQL one ([`PostgresStore`], for
//! running many instances on one database).
//!
//! Callers hold an `Arc<dyn Store>` and never see SQL. Rules that must hold under concurrency (no two
//! overlapping interviews for a host, never more than a day's, week's or month's cap) are enforced inside one
//! transaction by [`Store::accept_request`]; the caller computes the instants (buffers, the periods in the
//! host's zone) with the domain and the slot engine, and the store checks and writes atomically.

pub mod aftercare;
mod busy;
pub mod calendar;
mod holds;
pub mod matching;
pub mod notifications;
mod ops;
pub mod outbox;
mod overrides;
mod postgres;
pub mod programs;
pub mod request_rules;
mod rows;
mod sqlite;
pub mod waitlist;

use std::fmt;
use std::sync::Arc;

use coffeechat_domain::{
    AccountId, DeclineReason, Email, Handle, HostPolicy, HostProfile, InterviewId, InterviewStatus, MeetingLength,
    RequestId, RequestStatus, Roles, TimeZoneName,
};
use jiff::Timestamp;

pub use aftercare::{
    Absentee, AftercareRecord, AftercareStore, ConsentRecord, Debrief, DebriefRecord, NoShowRecord, TalentPoolEntry,
    ThanksNote,
};
pub use busy::{
    BusyBlock, BusyCalendarId, BusyCalendarKind, BusyCalendarRecord, BusyCalendarSource, BusyCalendarStore,
    ImportAttempt, ImportOutcome, ImportStatus, NewBusyCalendar,
};
pub use calendar::{ActionTokenRecord, CalendarStore, FeedTokenRecord, LinkAction, NewActionToken, RescheduleBooking};
pub use holds::{HoldStore, PendingHold};
pub use matching::{MatchingHost, MatchingStore, PairFact};
pub use notifications::{NewNotification, NotificationId, NotificationRecord, NotificationStore};
pub use ops::{MigrationStatus, NewerDatabase, OpsStore, PoolStats};
pub use outbox::{
    CalendarMethod, CalendarPart, NewOutboxMessage, OutboxCounts, OutboxId, OutboxMessage, OutboxStatus, OutboxStore,
};
pub use overrides::{AddedOverride, OverrideId, OverrideRecord, OverrideStore};
pub use postgres::{DEFAULT_MAX_CONNECTIONS, PostgresStore};
pub use programs::{
    ConstraintKind, NewProgramInvitation, NewProgramRecord, NewRoundRecord, ProgramInvitation, ProgramMember,
    ProgramMembership, ProgramRecord, ProgramStore, ProposedPair, RoundConstraint, RoundHost, RoundProposal,
    RoundRecord, RoundSeeker, RoundStatus, UnmatchedSeeker,
};
pub use request_rules::{OpenRequests, PastMeeting, RequestDeadlines, RequestRulesStore};
pub use sqlite::SqliteStore;
pub use waitlist::{NewWaitlistEntry, WaitlistEntry, WaitlistId, WaitlistStatus, WaitlistStore};

/// What went wrong in the store. The web layer maps these to HTTP statuses.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique value already belongs to someone else; `field` is the API field name (`"email"`, `"handle"`).
    #[error("this {field} is already taken")]
    Taken { field: &'static str },
    /// The row does not exist.
    #[error("not found")]
    NotFound,
    /// A concurrent change or a rule checked in the transaction refused the write.
    #[error("{0}")]
    Conflict(Conflict),
    /// The database URL is not one this build understands.
    #[error("unsupported database URL '{0}': use a file path, sqlite:PATH, or postgres://USER@HOST/DATABASE")]
    UnsupportedUrl(String),
    /// A row holds a value the domain rejects (hand-edited or corrupt data).
    #[error("corrupt row: {0}")]
    Corrupt(String),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// Why a write that raced with another, or hit a limit, was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// The host already has an interview at that time (buffers included).
    SlotTaken,
    /// The host's day, week or month (in their zone) is at its cap.
    CapReached(CapKind),
    /// The request or interview is no longer in the state the change needs (someone else acted first).
    StateChanged,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Conflict::SlotTaken => "that time is no longer free",
            Conflict::CapReached(CapKind::Day) => "the host's day is already full",
            Conflict::CapReached(CapKind::Week) => "the host's week is already full",
            Conflict::CapReached(CapKind::Month) => "the host's month is already full",
            Conflict::StateChanged => "it has changed in the meantime; reload and try again",
        })
    }
}

/// The periods a host caps, each a day, week or month of the host's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CapKind {
    Day,
    Week,
    Month,
}

/// One cap [`Store::accept_request`] checks: at most `cap` interviews start within `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapPeriod {
    pub kind: CapKind,
    pub from: Timestamp,
    pub to: Timestamp,
    pub cap: u32,
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An account as the rest of the application sees it (no password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: AccountId,
    pub email: Email,
    pub name: String,
    pub roles: Roles,
    /// The zone the user sees times in by default.
    pub time_zone: TimeZoneName,
    pub created_at: Timestamp,
}

/// What sign-up writes. The password is already hashed (argon2id PHC string).
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub email: Email,
    pub name: String,
    pub roles: Roles,
    pub time_zone: TimeZoneName,
    pub password_hash: String,
}

/// What a user may change about their own account.
#[derive(Debug, Clone)]
pub struct AccountUpdate {
    pub name: String,
    pub roles: Roles,
    pub time_zone: TimeZoneName,
}

/// A host as listed in the directory and on their page: a host account with a profile.
#[derive(Debug, Clone)]
pub struct Host {
    pub account_id: AccountId,
    pub profile: HostProfile,
    /// Their policy, or none yet (callers fall back to [`HostPolicy::starter`]).
    pub policy: Option<HostPolicy>,
}

/// Directory filters; `None` means "any". Text search matches name, headline, role, employer,
/// industry, skills, topics and career path.
#[derive(Debug, Clone, Default)]
pub struct HostSearch {
    pub text: Option<String>,
    pub industry: Option<String>,
    pub skill: Option<String>,
    /// At most this many hosts; 0 means the store's default page (50). Capped at 500.
    pub limit: u32,
}

/// One side of a request or interview, as shown to the other side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub id: AccountId,
    pub name: String,
    pub email: Email,
    pub time_zone: TimeZoneName,
}

/// A time a host is busy with an active interview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Booking {
    pub start: Timestamp,
    pub end: Timestamp,
}

/// A request as written by [`Store::create_request`]; fields already validated.
#[derive(Debug, Clone)]
pub struct NewRequestRecord {
    pub seeker_id: AccountId,
    pub host_id: AccountId,
    pub length: MeetingLength,
    pub proposed_starts: Vec<Timestamp>,
    pub purpose: String,
    pub topics: Vec<String>,
    pub questions: Vec<String>,
    /// Normally now; the demo loader back-dates history.
    pub created_at: Timestamp,
    /// When it expires unanswered: `created_at` plus the host's `expiry_days` (fixed at sending, so a later
    /// change of the setting never shortens a request already waiting).
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct RequestRecord {
    pub id: RequestId,
    pub seeker: Party,
    pub host: Party,
    pub host_handle: Handle,
    pub length: MeetingLength,
    pub proposed_starts: Vec<Timestamp>,
    pub purpose: String,
    pub topics: Vec<String>,
    pub questions: Vec<String>,
    pub status: RequestStatus,
    pub decline_reason: Option<DeclineReason>,
    pub decline_message: Option<String>,
    /// Set once accepted.
    pub interview_id: Option<InterviewId>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A state change of a pending request other than acceptance.
#[derive(Debug, Clone)]
pub enum RequestChange {
    Decline { reason: DeclineReason, message: String },
    Withdraw,
    Expire,
}

/// Everything [`Store::accept_request`] needs to check and book atomically.
#[derive(Debug, Clone)]
pub struct AcceptBooking {
    pub request_id: RequestId,
    pub start: Timestamp,
    pub end: Timestamp,
    /// An active interview of the host overlapping `[conflict_from, conflict_to)` refuses the booking:
    /// the new interview widened by the host's buffer on both sides.
    pub conflict_from: Timestamp,
    pub conflict_to: Timestamp,
    /// The capped periods (host zone) that `start` falls in: its day, week and month, as the policy caps them.
    pub caps: Vec<CapPeriod>,
    /// Whether pending requests (other than this one) count towards the caps, each at its earliest
    /// proposed start, as the host's policy says.
    pub count_pending: bool,
    /// Normally now; the demo loader back-dates history.
    pub at: Timestamp,
}

/// What a change records beside itself, in its own transaction: mail to queue (with its action tokens) and
/// in-app notices (both deduplicated by their keys, as when queued on their own).
#[derive(Debug, Clone, Default)]
pub struct FollowUps {
    pub messages: Vec<NewOutboxMessage>,
    pub notifications: Vec<NewNotification>,
}

/// Makes a booking's [`FollowUps`] from the interview just booked.
pub type MakeFollowUps<'a> = dyn for<'r> Fn(&'r InterviewRecord) -> FollowUps + Send + Sync + 'a;

#[derive(Debug, Clone)]
pub struct InterviewRecord {
    pub id: InterviewId,
    pub request_id: RequestId,
    pub seeker: Party,
    pub host: Party,
    pub host_handle: Handle,
    pub start: Timestamp,
    pub end: Timestamp,
    pub length: MeetingLength,
    pub status: InterviewStatus,
    pub purpose: String,
    pub topics: Vec<String>,
    pub questions: Vec<String>,
    pub cancel_reason: Option<String>,
    pub cancelled_by: Option<AccountId>,
    /// Stable iCalendar UID, kept across reschedules and cancellation.
    pub ical_uid: String,
    /// iCalendar SEQUENCE: raised on every change.
    pub ical_sequence: i32,
    pub created_at: Timestamp,
}

/// A browser session (tower-sessions record, serialised by the web layer).
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub data: Vec<u8>,
    pub expires_at: Timestamp,
}

/// The storage interface. Every method is one unit of work: it either happens whole or not at all.
#[async_trait::async_trait]
pub trait Store:
    Send
    + Sync
    + fmt::Debug
    + OverrideStore
    + HoldStore
    + OutboxStore
    + CalendarStore
    + BusyCalendarStore
    + NotificationStore
    + RequestRulesStore
    + WaitlistStore
    + OpsStore
    + AftercareStore
    + MatchingStore
    + ProgramStore
{
    /// Applies pending migrations.
    async fn migrate(&self) -> Result<()>;
    /// Fails when the database cannot be reached.
    async fn ping(&self) -> Result<()>;
    /// A number that changes whenever a write made through this store commits, so that a reader can tell
    /// that nothing changed since it last looked; `None` when the store cannot tell (another process may
    /// write), and then nothing read may be reused.
    fn data_version(&self) -> Option<u64> {
        None
    }

    // Accounts and credentials.
    /// # Errors
    /// [`StoreError::Taken`] with field `"email"` when the address is in use.
    async fn create_account(&self, account: NewAccount) -> Result<Account>;
    async fn account(&self, id: AccountId) -> Result<Option<Account>>;
    /// Replaces the account's name, roles and time zone (the email and password are changed elsewhere).
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when the account does not exist.
    async fn update_account(&self, id: AccountId, update: &AccountUpdate) -> Result<Account>;
    /// The account and its password hash, for login.
    async fn credentials(&self, email: &Email) -> Result<Option<(Account, String)>>;
    /// Stores the SHA-256 (hex) of a new API bearer token.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when the account does not exist.
    async fn create_api_token(&self, account: AccountId, token_hash: &str) -> Result<()>;
    /// The token's account; also records when the token was last used (at most once a minute).
    async fn account_by_api_token(&self, token_hash: &str) -> Result<Option<Account>>;

    // Browser sessions.
    /// The session, or none when it does not exist or has expired.
    async fn load_session(&self, id: &str) -> Result<Option<SessionRecord>>;
    /// Creates or replaces the session.
    async fn save_session(&self, id: &str, record: &SessionRecord) -> Result<()>;
    async fn delete_session(&self, id: &str) -> Result<()>;
    /// Removes sessions that expired before `now`; returns how many.
    async fn delete_expired_sessions(&self, now: Timestamp) -> Result<u64>;

    // Hosts.
    async fn host_profile(&self, account: AccountId) -> Result<Option<HostProfile>>;
    /// # Errors
    /// [`StoreError::Taken`] with field `"handle"` when another host has the handle;
    /// [`StoreError::NotFound`] when the account does not exist.
    async fn put_host_profile(&self, account: AccountId, profile: &HostProfile) -> Result<()>;
    async fn host_policy(&self, account: AccountId) -> Result<Option<HostPolicy>>;
    /// # Errors
    /// [`StoreError::NotFound`] when the account does not exist.
    async fn put_host_policy(&self, account: AccountId, policy: &HostPolicy) -> Result<()>;
    /// A listed host (an account with the host role and a profile).
    async fn host_by_handle(&self, handle: &Handle) -> Result<Option<Host>>;
    /// Hosts matching the filters, best text match first (else by name). Listed are accounts with the host
    /// role and a profile. The text is taken as plain words (each a prefix, all required), never as query
    /// syntax; text without any word means no text filter.
    async fn search_hosts(&self, search: &HostSearch) -> Result<Vec<Host>>;
    /// Distinct industries of listed hosts, sorted, for the directory filter.
    async fn industries(&self) -> Result<Vec<String>>;

    // Bookings, for the slot engine.
    /// Active interviews of `host` that overlap `[from, to)`, sorted by start.
    async fn bookings(&self, host: AccountId, from: Timestamp, to: Timestamp) -> Result<Vec<Booking>>;
    /// The same for many hosts at once (the directory's "has free slots" filter).
    async fn bookings_for_hosts(
        &self,
        hosts: &[AccountId],
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(AccountId, Booking)>>;

    // Requests.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when the seeker does not exist or the host has no profile.
    async fn create_request(&self, request: NewRequestRecord) -> Result<RequestRecord>;
    async fn request(&self, id: RequestId) -> Result<Option<RequestRecord>>;
    /// Requests where the account is the seeker or the host, newest first.
    async fn requests_for(&self, account: AccountId) -> Result<Vec<RequestRecord>>;
    /// Moves a pending request to declined, withdrawn or expired.
    ///
    /// # Errors
    /// [`Conflict::StateChanged`] when it is no longer pending; [`StoreError::NotFound`] when it does not exist.
    async fn change_request(&self, id: RequestId, change: RequestChange, at: Timestamp) -> Result<RequestRecord>;
    /// In one transaction: checks the request is pending, that no active interview of the host overlaps
    /// the conflict range and that every capped period is below its cap (counting active interviews and,
    /// when `count_pending`, the host's other pending requests); inserts the interview and marks the
    /// request accepted. The other requests' proposals are left as they are: the new interview blocks
    /// their conflicting times, and they can still be accepted at the others.
    ///
    /// # Errors
    /// [`Conflict::StateChanged`], [`Conflict::SlotTaken`] or [`Conflict::CapReached`] (checked in that
    /// order, caps in the order given); [`StoreError::NotFound`] when the request does not exist.
    async fn accept_request(&self, booking: AcceptBooking) -> Result<InterviewRecord> {
        self.accept_request_with(booking, &|_| FollowUps::default()).await
    }

    /// [`Store::accept_request`], recording in the same transaction what `follow_ups` makes of the booked
    /// interview (its mail, with the mail's action tokens, and its in-app notices): a booking is never saved
    /// without them, nor they without it, and it is one commit.
    ///
    /// # Errors
    /// As [`Store::accept_request`].
    async fn accept_request_with(
        &self,
        booking: AcceptBooking,
        follow_ups: &MakeFollowUps<'_>,
    ) -> Result<InterviewRecord>;

    // Interviews.
    async fn interview(&self, id: InterviewId) -> Result<Option<InterviewRecord>>;
    /// Interviews where the account is the seeker or the host, by start time.
    async fn interviews_for(&self, account: AccountId) -> Result<Vec<InterviewRecord>>;
    /// Cancels a scheduled interview and raises its iCalendar sequence.
    ///
    /// # Errors
    /// [`Conflict::StateChanged`] when it is already cancelled; [`StoreError::NotFound`] when it does not
    /// exist. Whether `by` may cancel it is the caller's decision.
    async fn cancel_interview(
        &self,
        id: InterviewId,
        by: AccountId,
        reason: &str,
        at: Timestamp,
    ) -> Result<InterviewRecord>;
}

/// Opens the store a URL names: a plain path or `sqlite:PATH` (created if missing, WAL mode), or a
/// `postgres://` / `postgresql://` URL (the server must be reachable). It does not migrate: call
/// [`Store::migrate`] before use.
///
/// # Errors
/// [`StoreError::UnsupportedUrl`] for other schemes, or the database error when it cannot be opened.
pub async fn open(url: &str) -> Result<Arc<dyn Store>> {
    open_with(url, OpenOptions::default()).await
}

/// How a store is opened; the defaults suit one instance on a small machine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpenOptions {
    /// PostgreSQL: the connections this instance keeps at most ([`DEFAULT_MAX_CONNECTIONS`] when `None`).
    /// SQLite has one writer and its own small pool; it ignores this.
    pub max_connections: Option<u32>,
}

/// [`open`] with [`OpenOptions`].
///
/// # Errors
/// As [`open`].
pub async fn open_with(url: &str, options: OpenOptions) -> Result<Arc<dyn Store>> {
    let url = url.trim();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let max_connections = options.max_connections.unwrap_or(DEFAULT_MAX_CONNECTIONS).max(1);
        return Ok(Arc::new(PostgresStore::open_with_pool(url, max_connections).await?));
    }
    if url.contains("://") && !url.starts_with("sqlite:") {
        return Err(StoreError::UnsupportedUrl(url.to_owned()));
    }
    Ok(Arc::new(SqliteStore::open(url).await?))
}
