//! Busy calendars: hosts' own calendars (an uploaded `.ics` file or an ICS feed URL) and the busy intervals
//! their last successful import produced.
//!
//! Each calendar's blocks are replaced as a whole, in one transaction, by a successful import
//! ([`ImportOutcome::Imported`]); a failed one ([`ImportOutcome::Failed`]) only records the error, so the
//! previous blocks keep counting and one broken feed never frees (or blocks) the rest of the host's time.
//! Workers claim due calendars with [`BusyCalendarStore::claim_due_busy_calendars`], which moves their next
//! fetch forward in the same statement, so two workers never fetch the same feed at once.

use std::fmt;

use coffeechat_domain::AccountId;
use jiff::Timestamp;

use crate::Result;

/// A stored busy calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct BusyCalendarId(pub i64);

impl fmt::Display for BusyCalendarId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Where a calendar's events come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BusyCalendarKind {
    /// An uploaded file; its text is kept so it can be read again as the import window moves on.
    Upload,
    /// An http(s) URL fetched on a schedule.
    Feed,
}

impl BusyCalendarKind {
    /// `"upload"` or `"feed"`, as the API and the database write it.
    pub fn as_str(self) -> &'static str {
        match self {
            BusyCalendarKind::Upload => "upload",
            BusyCalendarKind::Feed => "feed",
        }
    }
}

/// A new calendar's source: the uploaded text, or the feed's URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BusyCalendarSource {
    Upload { text: String },
    Feed { url: String },
}

/// How the last import of a calendar went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportStatus {
    Ok,
    Error,
}

impl ImportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportStatus::Ok => "ok",
            ImportStatus::Error => "error",
        }
    }
}

/// One busy interval of a calendar (an event occurrence, or several merged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct BusyBlock {
    pub start: Timestamp,
    pub end: Timestamp,
}

/// A calendar as stored, with how its last import went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusyCalendarRecord {
    pub id: BusyCalendarId,
    pub host_id: AccountId,
    pub name: String,
    pub kind: BusyCalendarKind,
    /// The feed's address; `None` for an upload (whose text is read with
    /// [`BusyCalendarStore::busy_calendar_text`], so listing calendars never loads whole files).
    pub url: Option<String>,
    /// Validators of the last successful fetch (feeds only), for a conditional GET.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// When it was last fetched or read; `None` before the first attempt.
    pub last_fetched_at: Option<Timestamp>,
    pub last_status: Option<ImportStatus>,
    /// The last failure in words for the host; `None` unless `last_status` is `Error`.
    pub last_error: Option<String>,
    /// Failed attempts in a row.
    pub consecutive_failures: u32,
    pub next_fetch_at: Timestamp,
    pub created_at: Timestamp,
    /// How many busy intervals the last successful import left.
    pub blocks: u32,
}

/// A calendar to add.
#[derive(Debug, Clone)]
pub struct NewBusyCalendar {
    pub host_id: AccountId,
    /// 1–100 characters, already trimmed.
    pub name: String,
    pub source: BusyCalendarSource,
    /// When the worker should read it first.
    pub next_fetch_at: Timestamp,
    pub created_at: Timestamp,
}

/// The result of one attempt to import a calendar.
#[derive(Debug, Clone)]
pub enum ImportOutcome {
    /// Read successfully: the blocks replace the previous ones; the validators are the response's (feeds).
    Imported { blocks: Vec<BusyBlock>, etag: Option<String>, last_modified: Option<String> },
    /// The feed answered 304 Not Modified: the blocks stay, the attempt counts as a success.
    NotModified,
    /// The attempt failed: the blocks stay, the error is shown to the host.
    Failed { error: String },
}

/// One import attempt to record: what happened, when, and when to try next.
#[derive(Debug, Clone)]
pub struct ImportAttempt {
    pub outcome: ImportOutcome,
    pub at: Timestamp,
    pub next_fetch_at: Timestamp,
}

/// Storage of busy calendars and their blocks.
#[async_trait::async_trait]
pub trait BusyCalendarStore: Send + Sync {
    /// Stores a new calendar (without blocks: record its first import with [`Self::record_busy_import`]).
    ///
    /// # Errors
    /// [`StoreError::NotFound`](crate::StoreError::NotFound) when the host does not exist.
    async fn add_busy_calendar(&self, calendar: NewBusyCalendar) -> Result<BusyCalendarRecord>;
    /// The host's calendars, oldest first.
    async fn busy_calendars(&self, host: AccountId) -> Result<Vec<BusyCalendarRecord>>;
    /// One calendar, if it exists.
    async fn busy_calendar(&self, id: BusyCalendarId) -> Result<Option<BusyCalendarRecord>>;
    /// The stored text of an upload; `None` for a feed or a calendar that does not exist.
    async fn busy_calendar_text(&self, id: BusyCalendarId) -> Result<Option<String>>;
    /// Deletes the calendar and its blocks if it is `host`'s; `false` when there is no such calendar of theirs.
    async fn delete_busy_calendar(&self, host: AccountId, id: BusyCalendarId) -> Result<bool>;
    /// Records an import attempt; on [`ImportOutcome::Imported`] replaces the calendar's blocks, all in one
    /// transaction.
    ///
    /// # Errors
    /// [`StoreError::NotFound`](crate::StoreError::NotFound) when the calendar was deleted meanwhile.
    async fn record_busy_import(&self, id: BusyCalendarId, attempt: ImportAttempt) -> Result<BusyCalendarRecord>;
    /// Up to `limit` calendars due at `now` (earliest first), each moved to `next_fetch_at = lease_until` in the
    /// same statement so no other worker claims it meanwhile.
    async fn claim_due_busy_calendars(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<BusyCalendarRecord>>;
    /// The blocks of all the host's calendars that overlap `[from, to)`, by start.
    async fn busy_blocks(&self, host: AccountId, from: Timestamp, to: Timestamp) -> Result<Vec<BusyBlock>>;
    /// The same for many hosts at once (the directory), by host then start.
    async fn busy_blocks_for_hosts(
        &self,
        hosts: &[AccountId],
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(AccountId, BusyBlock)>>;
}
