//! The embedded SQLite implementation of [`Store`](crate::Store).
//!
//! One database file in WAL mode, a small connection pool, runtime `query`/`query_as` with `$N`
//! placeholders (so the SQL reads the same as the PostgreSQL version will), and migrations embedded in
//! the binary. Instants are INTEGER unix seconds in the database and [`jiff::Timestamp`] everywhere
//! else; every row read is parsed back through the domain's constructors, so a hand-edited row shows up
//! as [`StoreError::Corrupt`] instead of an invalid value deep inside the application.
//!
//! Writes that must check before they write run in `BEGIN IMMEDIATE` transactions: SQLite then takes
//! its single write lock up front, so concurrent writers queue on the busy timeout instead of failing
//! with `SQLITE_BUSY` when a read transaction tries to upgrade to a write.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use coffeechat_domain::{
    AccountId, DeclineReason, Email, Handle, HostPolicy, HostProfile, HostProfileInput, InterviewId, InterviewStatus,
    MeetingLength, PolicyInput, RequestId, RequestStatus, Roles, TimeZoneName, WindowInput,
};
use jiff::Timestamp;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{FromRow, SqliteConnection, SqlitePool};

use crate::{
    AcceptBooking, Account, AccountUpdate, Booking, CapKind, CapPeriod, Conflict, Host, HostSearch, InterviewRecord,
    NewAccount, NewRequestRecord, Party, RequestChange, RequestRecord, Result, SessionRecord, Store, StoreError,
};

mod busy;
mod calendar;
mod holds;
mod outbox;
mod overrides;

/// The migrations, compiled into the binary so a deployment is one file.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// How long a connection waits for another one's write lock before giving up. Writes take
/// milliseconds, so this only runs out when something is badly wrong.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// SQLite has one writer at a time; a few connections are enough for concurrent readers.
const MAX_CONNECTIONS: u32 = 5;
/// Directory page size when the caller does not say (`limit: 0`), and the most it may ask for.
const DEFAULT_SEARCH_LIMIT: u32 = 50;
const MAX_SEARCH_LIMIT: u32 = 500;
/// Words of a search beyond this are ignored: nobody types more, and each costs a prefix scan.
const MAX_SEARCH_TERMS: usize = 12;
/// A token's `last_used_at` is refreshed at most this often, so API reads rarely become writes.
const TOKEN_TOUCH_INTERVAL_SECONDS: i64 = 60;

/// The SQLite store: a pool of connections to one database file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating it if missing) the database at a plain path (`./coffeechat.db`) or a
    /// `sqlite:PATH` / `sqlite://PATH` URL, in WAL mode with foreign keys on. Does not migrate: call
    /// [`Store::migrate`].
    ///
    /// # Errors
    /// [`StoreError::UnsupportedUrl`] for an empty path or an in-memory database (each pooled
    /// connection would get its own empty one; tests use a temporary file), else the database error.
    pub async fn open(url_or_path: &str) -> Result<Self> {
        let target = url_or_path.trim();
        let lowered = target.to_ascii_lowercase();
        let path_part = target.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
        if path_part.is_empty() || lowered.contains(":memory:") || lowered.contains("mode=memory") {
            return Err(StoreError::UnsupportedUrl(target.to_owned()));
        }
        let options = if target.starts_with("sqlite:") {
            SqliteConnectOptions::from_str(target)?
        } else {
            SqliteConnectOptions::new().filename(target)
        };
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            // NORMAL is durable across application crashes in WAL mode; only an OS crash or power
            // loss can lose the last transactions, never corrupt the file.
            .synchronous(SqliteSynchronous::Normal);
        let pool = SqlitePoolOptions::new().max_connections(MAX_CONNECTIONS).connect_with(options).await?;
        Ok(Self { pool })
    }

    /// Waits for the connections to finish their work and closes them (checkpointing the WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

// ---------------------------------------------------------------------------------------------
// Conversions at the edge.

fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {detail}"))
}

fn seconds(at: Timestamp) -> i64 {
    at.as_second()
}

fn timestamp(column: &str, seconds: i64) -> Result<Timestamp> {
    Timestamp::from_second(seconds).map_err(|error| corrupt(column, error))
}

fn json_list<T: serde::de::DeserializeOwned>(column: &str, raw: &str) -> Result<Vec<T>> {
    serde_json::from_str(raw).map_err(|error| corrupt(column, error))
}

fn json_strings(values: &[String]) -> String {
    serde_json::Value::from(values.to_vec()).to_string()
}

/// Maps a failed write to the error callers can act on: a unique value already in use becomes
/// [`StoreError::Taken`] naming the API field, a missing referenced row [`StoreError::NotFound`].
fn write_error(error: sqlx::Error) -> StoreError {
    /// Unique constraints users can hit, as SQLite names them (`table.column`), and their API fields.
    const UNIQUE_FIELDS: [(&str, &str); 2] = [("accounts.email", "email"), ("host_profiles.handle", "handle")];
    if let sqlx::Error::Database(database) = &error {
        if database.is_unique_violation() {
            let described = database.constraint().unwrap_or_else(|| database.message());
            if let Some((_, field)) = UNIQUE_FIELDS.iter().find(|(column, _)| described.contains(column)) {
                return StoreError::Taken { field };
            }
        } else if database.is_foreign_key_violation() {
            return StoreError::NotFound;
        }
    }
    StoreError::Database(error)
}

/// Turns what a user typed into an FTS5 query that can never be a syntax error: every run of letters
/// and digits becomes a quoted prefix term (`"data"*`), and everything else — quotes, `*`, `-`,
/// parentheses, `:` column filters — is a separator. Quoting also disarms `AND`/`OR`/`NOT`/`NEAR`.
/// Terms are combined with FTS5's implicit AND. `None` when there is no word to search for.
fn fts_query(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .take(MAX_SEARCH_TERMS)
        .map(|word| format!("\"{word}\"*"))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

fn non_blank(value: Option<&String>) -> Option<&str> {
    value.map(|value| value.trim()).filter(|value| !value.is_empty())
}

// ---------------------------------------------------------------------------------------------
// Rows.

#[derive(Debug, FromRow)]
struct AccountRow {
    id: i64,
    email: String,
    name: String,
    is_host: bool,
    is_seeker: bool,
    time_zone: String,
    created_at: i64,
}

impl AccountRow {
    fn into_account(self) -> Result<Account> {
        let mut roles = Vec::new();
        if self.is_host {
            roles.push("host");
        }
        if self.is_seeker {
            roles.push("seeker");
        }
        Ok(Account {
            id: AccountId(self.id),
            email: Email::parse(&self.email).map_err(|error| corrupt("accounts.email", error))?,
            name: self.name,
            roles: Roles::parse(&roles).map_err(|error| corrupt("accounts roles", error))?,
            time_zone: TimeZoneName::parse(&self.time_zone).map_err(|error| corrupt("accounts.time_zone", error))?,
            created_at: timestamp("accounts.created_at", self.created_at)?,
        })
    }
}

#[derive(Debug, FromRow)]
struct CredentialsRow {
    #[sqlx(flatten)]
    account: AccountRow,
    password_hash: String,
}

#[derive(Debug, FromRow)]
struct TokenAccountRow {
    #[sqlx(flatten)]
    account: AccountRow,
    last_used_at: Option<i64>,
}

#[derive(Debug, FromRow)]
struct ProfileRow {
    account_id: i64,
    handle: String,
    name: String,
    headline: String,
    role: String,
    employer: String,
    industry: String,
    skills: String,
    topics: String,
    career_path: String,
}

impl ProfileRow {
    fn into_profile(self) -> Result<HostProfile> {
        let input = HostProfileInput {
            handle: self.handle,
            name: self.name,
            headline: self.headline,
            role: self.role,
            employer: self.employer,
            industry: self.industry,
            skills: json_list("host_profiles.skills", &self.skills)?,
            topics: json_list("host_profiles.topics", &self.topics)?,
            career_path: self.career_path,
        };
        input.validate().map_err(|errors| corrupt("host_profiles", errors))
    }
}

/// A policy's columns; all `None` when the host has not saved a policy (LEFT JOIN).
#[derive(Debug, FromRow)]
struct PolicyRow {
    time_zone: Option<String>,
    lengths: Option<String>,
    windows: Option<String>,
    monthly_cap: Option<i64>,
    buffer_minutes: Option<i64>,
    min_notice_hours: Option<i64>,
    horizon_days: Option<i64>,
    accepting: Option<bool>,
    daily_cap: Option<i64>,
    weekly_cap: Option<i64>,
    week_start: Option<String>,
    slot_increment_minutes: Option<i64>,
    hold_hours: Option<i64>,
    count_pending: Option<bool>,
    reschedule_notice_hours: Option<i64>,
}

impl PolicyRow {
    fn into_policy(self) -> Result<Option<HostPolicy>> {
        let (
            Some(time_zone),
            Some(lengths),
            Some(windows),
            Some(monthly_cap),
            Some(buffer_minutes),
            Some(min_notice_hours),
            Some(horizon_days),
            Some(accepting),
            Some(week_start),
            Some(hold_hours),
            Some(count_pending),
            Some(reschedule_notice_hours),
        ) = (
            self.time_zone,
            self.lengths,
            self.windows,
            self.monthly_cap,
            self.buffer_minutes,
            self.min_notice_hours,
            self.horizon_days,
            self.accepting,
            self.week_start,
            self.hold_hours,
            self.count_pending,
            self.reschedule_notice_hours,
        )
        else {
            return Ok(None);
        };
        let input = PolicyInput {
            time_zone,
            lengths_minutes: json_list("host_policies.lengths", &lengths)?,
            windows: json_list::<WindowInput>("host_policies.windows", &windows)?,
            monthly_cap,
            buffer_minutes,
            min_notice_hours,
            horizon_days,
            accepting,
            daily_cap: self.daily_cap,
            weekly_cap: self.weekly_cap,
            week_start,
            slot_increment_minutes: self.slot_increment_minutes,
            hold_hours,
            count_pending,
            reschedule_notice_hours,
        };
        input.validate().map(Some).map_err(|errors| corrupt("host_policies", errors))
    }
}

#[derive(Debug, FromRow)]
struct HostRow {
    #[sqlx(flatten)]
    profile: ProfileRow,
    #[sqlx(flatten)]
    policy: PolicyRow,
}

impl HostRow {
    fn into_host(self) -> Result<Host> {
        Ok(Host {
            account_id: AccountId(self.profile.account_id),
            profile: self.profile.into_profile()?,
            policy: self.policy.into_policy()?,
        })
    }
}

/// Both parties of a request or interview, and the host's handle.
#[derive(Debug, FromRow)]
struct PartiesRow {
    seeker_id: i64,
    seeker_name: String,
    seeker_email: String,
    seeker_time_zone: String,
    host_id: i64,
    host_name: String,
    host_email: String,
    host_time_zone: String,
    /// `None` only if the host's profile went missing, which the store never does.
    host_handle: Option<String>,
}

fn party(id: i64, name: String, email: &str, time_zone: &str) -> Result<Party> {
    Ok(Party {
        id: AccountId(id),
        name,
        email: Email::parse(email).map_err(|error| corrupt("party email", error))?,
        time_zone: TimeZoneName::parse(time_zone).map_err(|error| corrupt("party time_zone", error))?,
    })
}

impl PartiesRow {
    fn into_parties(self) -> Result<(Party, Party, Handle)> {
        let handle = self.host_handle.ok_or_else(|| corrupt("host_profiles", "the host has no profile"))?;
        Ok((
            party(self.seeker_id, self.seeker_name, &self.seeker_email, &self.seeker_time_zone)?,
            party(self.host_id, self.host_name, &self.host_email, &self.host_time_zone)?,
            Handle::parse(&handle).map_err(|error| corrupt("host_profiles.handle", error))?,
        ))
    }
}

fn length(minutes: i64) -> Result<MeetingLength> {
    MeetingLength::from_minutes(minutes).map_err(|error| corrupt("length_minutes", error))
}

#[derive(Debug, FromRow)]
struct RequestRow {
    id: i64,
    length_minutes: i64,
    proposed_starts: String,
    purpose: String,
    topics: String,
    questions: String,
    status: String,
    decline_reason: Option<String>,
    decline_message: Option<String>,
    interview_id: Option<i64>,
    created_at: i64,
    updated_at: i64,
    #[sqlx(flatten)]
    parties: PartiesRow,
}

impl RequestRow {
    fn into_record(self) -> Result<RequestRecord> {
        let (seeker, host, host_handle) = self.parties.into_parties()?;
        let proposed_starts = json_list::<i64>("requests.proposed_starts", &self.proposed_starts)?
            .into_iter()
            .map(|start| timestamp("requests.proposed_starts", start))
            .collect::<Result<Vec<_>>>()?;
        Ok(RequestRecord {
            id: RequestId(self.id),
            seeker,
            host,
            host_handle,
            length: length(self.length_minutes)?,
            proposed_starts,
            purpose: self.purpose,
            topics: json_list("requests.topics", &self.topics)?,
            questions: json_list("requests.questions", &self.questions)?,
            status: RequestStatus::parse(&self.status).map_err(|error| corrupt("requests.status", error))?,
            decline_reason: self
                .decline_reason
                .map(|reason| DeclineReason::parse(&reason))
                .transpose()
                .map_err(|error| corrupt("requests.decline_reason", error))?,
            decline_message: self.decline_message,
            interview_id: self.interview_id.map(InterviewId),
            created_at: timestamp("requests.created_at", self.created_at)?,
            updated_at: timestamp("requests.updated_at", self.updated_at)?,
        })
    }
}

#[derive(Debug, FromRow)]
struct InterviewRow {
    id: i64,
    request_id: i64,
    start_at: i64,
    end_at: i64,
    status: String,
    cancel_reason: Option<String>,
    cancelled_by: Option<i64>,
    ical_uid: String,
    ical_sequence: i64,
    created_at: i64,
    length_minutes: i64,
    purpose: String,
    topics: String,
    questions: String,
    #[sqlx(flatten)]
    parties: PartiesRow,
}

impl InterviewRow {
    fn into_record(self) -> Result<InterviewRecord> {
        let (seeker, host, host_handle) = self.parties.into_parties()?;
        Ok(InterviewRecord {
            id: InterviewId(self.id),
            request_id: RequestId(self.request_id),
            seeker,
            host,
            host_handle,
            start: timestamp("interviews.start_at", self.start_at)?,
            end: timestamp("interviews.end_at", self.end_at)?,
            length: length(self.length_minutes)?,
            status: InterviewStatus::parse(&self.status).map_err(|error| corrupt("interviews.status", error))?,
            purpose: self.purpose,
            topics: json_list("requests.topics", &self.topics)?,
            questions: json_list("requests.questions", &self.questions)?,
            cancel_reason: self.cancel_reason,
            cancelled_by: self.cancelled_by.map(AccountId),
            ical_uid: self.ical_uid,
            ical_sequence: i32::try_from(self.ical_sequence)
                .map_err(|error| corrupt("interviews.ical_sequence", error))?,
            created_at: timestamp("interviews.created_at", self.created_at)?,
        })
    }
}

#[derive(Debug, FromRow)]
struct BookingRow {
    host_id: i64,
    start_at: i64,
    end_at: i64,
}

impl BookingRow {
    fn into_booking(self) -> Result<(AccountId, Booking)> {
        Ok((
            AccountId(self.host_id),
            Booking {
                start: timestamp("interviews.start_at", self.start_at)?,
                end: timestamp("interviews.end_at", self.end_at)?,
            },
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// SQL. Macros rather than consts so that `concat!` can build whole `&'static str` statements.

macro_rules! account_columns {
    ($alias:literal) => {
        concat!(
            $alias,
            ".id, ",
            $alias,
            ".email, ",
            $alias,
            ".name, ",
            $alias,
            ".is_host, ",
            $alias,
            ".is_seeker, ",
            $alias,
            ".time_zone, ",
            $alias,
            ".created_at"
        )
    };
}

/// A listed host: an account with the host role and a profile, with its policy if it has one.
macro_rules! host_select {
    ($from:literal) => {
        concat!(
            "SELECT p.account_id, p.handle, p.name, p.headline, p.role, p.employer, p.industry, p.skills, p.topics, \
             p.career_path, pol.time_zone, pol.lengths, pol.windows, pol.monthly_cap, pol.buffer_minutes, \
             pol.min_notice_hours, pol.horizon_days, pol.accepting, pol.daily_cap, pol.weekly_cap, pol.week_start, \
             pol.slot_increment_minutes, pol.hold_hours, pol.count_pending, pol.reschedule_notice_hours ",
            $from,
            " JOIN accounts a ON a.id = p.account_id AND a.is_host = 1 \
             LEFT JOIN host_policies pol ON pol.account_id = p.account_id"
        )
    };
}

macro_rules! parties_columns {
    () => {
        "s.id AS seeker_id, s.name AS seeker_name, s.email AS seeker_email, s.time_zone AS seeker_time_zone, \
         h.id AS host_id, h.name AS host_name, h.email AS host_email, h.time_zone AS host_time_zone, \
         p.handle AS host_handle"
    };
}

macro_rules! request_select {
    () => {
        concat!(
            "SELECT r.id, r.length_minutes, r.proposed_starts, r.purpose, r.topics, r.questions, r.status, \
             r.decline_reason, r.decline_message, i.id AS interview_id, r.created_at, r.updated_at, ",
            parties_columns!(),
            " FROM requests r \
             JOIN accounts s ON s.id = r.seeker_id \
             JOIN accounts h ON h.id = r.host_id \
             LEFT JOIN host_profiles p ON p.account_id = r.host_id \
             LEFT JOIN interviews i ON i.request_id = r.id"
        )
    };
}

macro_rules! interview_select {
    () => {
        concat!(
            "SELECT i.id, i.request_id, i.start_at, i.end_at, i.status, i.cancel_reason, i.cancelled_by, \
             i.ical_uid, i.ical_sequence, i.created_at, r.length_minutes, r.purpose, r.topics, r.questions, ",
            parties_columns!(),
            " FROM interviews i \
             JOIN requests r ON r.id = i.request_id \
             JOIN accounts s ON s.id = i.seeker_id \
             JOIN accounts h ON h.id = i.host_id \
             LEFT JOIN host_profiles p ON p.account_id = i.host_id"
        )
    };
}

/// The directory filters shared by both search statements: `$2` industry, `$3` skill (case-insensitive).
macro_rules! search_filters {
    () => {
        "($2 IS NULL OR p.industry = $2 COLLATE NOCASE) \
         AND ($3 IS NULL OR EXISTS (SELECT 1 FROM json_each(p.skills) WHERE json_each.value = $3 COLLATE NOCASE))"
    };
}

/// Reads one request with both parties, on the given connection (so inside a transaction it sees
/// the transaction's own writes).
async fn fetch_request(conn: &mut SqliteConnection, id: i64) -> Result<Option<RequestRecord>> {
    sqlx::query_as::<_, RequestRow>(concat!(request_select!(), " WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(RequestRow::into_record)
        .transpose()
}

async fn fetch_interview(conn: &mut SqliteConnection, id: i64) -> Result<Option<InterviewRecord>> {
    sqlx::query_as::<_, InterviewRow>(concat!(interview_select!(), " WHERE i.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(InterviewRow::into_record)
        .transpose()
}

/// Whether a row with this id exists, to tell "not found" from "not in the right state" after a
/// conditional update touched nothing.
async fn request_exists(conn: &mut SqliteConnection, id: i64) -> Result<bool> {
    Ok(sqlx::query_scalar::<_, bool>("SELECT EXISTS (SELECT 1 FROM requests WHERE id = $1)")
        .bind(id)
        .fetch_one(conn)
        .await?)
}

async fn interview_exists(conn: &mut SqliteConnection, id: i64) -> Result<bool> {
    Ok(sqlx::query_scalar::<_, bool>("SELECT EXISTS (SELECT 1 FROM interviews WHERE id = $1)")
        .bind(id)
        .fetch_one(conn)
        .await?)
}

/// Whose interviews and requests a cap check counts.
#[derive(Debug, Clone, Copy)]
struct CapCount {
    host_id: i64,
    /// Whether the host's pending requests count too, each at its earliest proposed start.
    count_pending: bool,
    /// The request being accepted: it becomes the interview being checked, so it never counts against itself.
    except_request: Option<i64>,
    /// The interview being moved, likewise.
    except_interview: Option<i64>,
}

/// The first of `caps` (in order) that is already full: its period holds `cap` or more active interviews of
/// the host starting in it, plus, when counted, pending requests whose earliest proposed start falls in it —
/// the same count the slot engine makes. Run it inside the writing transaction.
async fn full_cap(conn: &mut SqliteConnection, counting: &CapCount, caps: &[CapPeriod]) -> Result<Option<CapKind>> {
    for period in caps {
        // `IS NOT` rather than `<>`, so that "no exception" (NULL) excludes nothing.
        let taken: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM interviews \
                     WHERE host_id = $1 AND status = 'scheduled' AND start_at >= $2 AND start_at < $3 \
                     AND id IS NOT $6) \
                  + (SELECT COUNT(*) FROM ( \
                       SELECT (SELECT min(p.value) FROM json_each(r.proposed_starts) p) AS earliest \
                       FROM requests r WHERE $4 AND r.host_id = $1 AND r.status = 'pending' AND r.id IS NOT $5) \
                     WHERE earliest >= $2 AND earliest < $3)",
        )
        .bind(counting.host_id)
        .bind(seconds(period.from))
        .bind(seconds(period.to))
        .bind(counting.count_pending)
        .bind(counting.except_request)
        .bind(counting.except_interview)
        .fetch_one(&mut *conn)
        .await?;
        if taken >= i64::from(period.cap) {
            return Ok(Some(period.kind));
        }
    }
    Ok(None)
}

impl SqliteStore {
    /// Runs `work` in a transaction that holds SQLite's write lock from its first statement, commits
    /// when it succeeds and rolls back when it fails. (Dropping the future half-way also rolls back:
    /// sqlx's transaction guard does that before the connection is reused.)
    async fn write_transaction<T, F>(&self, work: F) -> Result<T>
    where
        F: for<'c> AsyncFnOnce(&'c mut SqliteConnection) -> Result<T>,
    {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        match work(&mut *tx).await {
            Ok(value) => {
                tx.commit().await?;
                Ok(value)
            }
            Err(error) => {
                if let Err(rollback) = tx.rollback().await {
                    tracing::warn!(%rollback, "rollback after a failed write did not complete");
                }
                Err(error)
            }
        }
    }

    async fn accept_in(conn: &mut SqliteConnection, booking: &AcceptBooking) -> Result<InterviewRecord> {
        #[derive(FromRow)]
        struct Pending {
            status: String,
            host_id: i64,
            seeker_id: i64,
        }
        let request_id = booking.request_id.0;
        let pending = sqlx::query_as::<_, Pending>("SELECT status, host_id, seeker_id FROM requests WHERE id = $1")
            .bind(request_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
        if pending.status != RequestStatus::Pending.as_str() {
            return Err(StoreError::Conflict(Conflict::StateChanged));
        }

        let overlapping: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM interviews \
             WHERE host_id = $1 AND status = 'scheduled' AND start_at < $2 AND end_at > $3)",
        )
        .bind(pending.host_id)
        .bind(seconds(booking.conflict_to))
        .bind(seconds(booking.conflict_from))
        .fetch_one(&mut *conn)
        .await?;
        if overlapping {
            return Err(StoreError::Conflict(Conflict::SlotTaken));
        }

        let counting = CapCount {
            host_id: pending.host_id,
            count_pending: booking.count_pending,
            except_request: Some(request_id),
            except_interview: None,
        };
        if let Some(kind) = full_cap(conn, &counting, &booking.caps).await? {
            return Err(StoreError::Conflict(Conflict::CapReached(kind)));
        }

        // Random, so a UID never repeats even across databases (demo data, restores), which calendar
        // apps rely on to tell events apart.
        let ical_uid = format!("interview-{request_id}-{:032x}@coffeechat", rand::random::<u128>());
        let at = seconds(booking.at);
        let interview_id: i64 = sqlx::query_scalar(
            "INSERT INTO interviews \
             (request_id, host_id, seeker_id, start_at, end_at, status, ical_uid, ical_sequence, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'scheduled', $6, 0, $7, $7) RETURNING id",
        )
        .bind(request_id)
        .bind(pending.host_id)
        .bind(pending.seeker_id)
        .bind(seconds(booking.start))
        .bind(seconds(booking.end))
        .bind(&ical_uid)
        .bind(at)
        .fetch_one(&mut *conn)
        .await
        .map_err(write_error)?;

        sqlx::query("UPDATE requests SET status = 'accepted', updated_at = $2 WHERE id = $1 AND status = 'pending'")
            .bind(request_id)
            .bind(at)
            .execute(&mut *conn)
            .await?;

        fetch_interview(conn, interview_id).await?.ok_or(StoreError::NotFound)
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn migrate(&self) -> Result<()> {
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn create_account(&self, account: NewAccount) -> Result<Account> {
        sqlx::query_as::<_, AccountRow>(concat!(
            "INSERT INTO accounts (email, password_hash, name, is_host, is_seeker, time_zone, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ",
            account_columns!("accounts")
        ))
        .bind(account.email.as_str())
        .bind(&account.password_hash)
        .bind(&account.name)
        .bind(account.roles.host)
        .bind(account.roles.seeker)
        .bind(account.time_zone.as_str())
        .bind(seconds(Timestamp::now()))
        .fetch_one(&self.pool)
        .await
        .map_err(write_error)?
        .into_account()
    }

    async fn account(&self, id: AccountId) -> Result<Option<Account>> {
        sqlx::query_as::<_, AccountRow>(concat!("SELECT ", account_columns!("a"), " FROM accounts a WHERE a.id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .map(AccountRow::into_account)
            .transpose()
    }

    async fn update_account(&self, id: AccountId, update: &AccountUpdate) -> Result<Account> {
        sqlx::query_as::<_, AccountRow>(concat!(
            "UPDATE accounts SET name = $2, is_host = $3, is_seeker = $4, time_zone = $5 WHERE id = $1 RETURNING ",
            account_columns!("accounts")
        ))
        .bind(id.0)
        .bind(&update.name)
        .bind(update.roles.host)
        .bind(update.roles.seeker)
        .bind(update.time_zone.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(write_error)?
        .ok_or(StoreError::NotFound)?
        .into_account()
    }

    async fn credentials(&self, email: &Email) -> Result<Option<(Account, String)>> {
        let row = sqlx::query_as::<_, CredentialsRow>(concat!(
            "SELECT ",
            account_columns!("a"),
            ", a.password_hash FROM accounts a WHERE a.email = $1"
        ))
        .bind(email.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| Ok((row.account.into_account()?, row.password_hash))).transpose()
    }

    async fn create_api_token(&self, account: AccountId, token_hash: &str) -> Result<()> {
        sqlx::query("INSERT INTO api_tokens (token_hash, account_id, created_at) VALUES ($1, $2, $3)")
            .bind(token_hash)
            .bind(account.0)
            .bind(seconds(Timestamp::now()))
            .execute(&self.pool)
            .await
            .map_err(write_error)?;
        Ok(())
    }

    async fn account_by_api_token(&self, token_hash: &str) -> Result<Option<Account>> {
        let Some(row) = sqlx::query_as::<_, TokenAccountRow>(concat!(
            "SELECT ",
            account_columns!("a"),
            ", t.last_used_at FROM api_tokens t JOIN accounts a ON a.id = t.account_id WHERE t.token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let now = seconds(Timestamp::now());
        if row.last_used_at.is_none_or(|last| now - last >= TOKEN_TOUCH_INTERVAL_SECONDS) {
            // Bookkeeping only: a busy database must not turn a valid token into a failed request.
            let touched = sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1")
                .bind(token_hash)
                .bind(now)
                .execute(&self.pool)
                .await;
            if let Err(error) = touched {
                tracing::warn!(%error, "could not record an API token's last use");
            }
        }
        row.account.into_account().map(Some)
    }

    async fn load_session(&self, id: &str) -> Result<Option<SessionRecord>> {
        #[derive(FromRow)]
        struct SessionRow {
            data: Vec<u8>,
            expires_at: i64,
        }
        // An expired session is as good as gone, whether or not the clean-up has run yet.
        let row =
            sqlx::query_as::<_, SessionRow>("SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2")
                .bind(id)
                .bind(seconds(Timestamp::now()))
                .fetch_optional(&self.pool)
                .await?;
        row.map(|row| {
            Ok(SessionRecord { data: row.data, expires_at: timestamp("sessions.expires_at", row.expires_at)? })
        })
        .transpose()
    }

    async fn save_session(&self, id: &str, record: &SessionRecord) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
        )
        .bind(id)
        .bind(&record.data)
        .bind(seconds(record.expires_at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn delete_session(&self, id: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(&self.pool).await?;
        Ok(())
    }

    async fn delete_expired_sessions(&self, now: Timestamp) -> Result<u64> {
        let done =
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(seconds(now)).execute(&self.pool).await?;
        Ok(done.rows_affected())
    }

    async fn host_profile(&self, account: AccountId) -> Result<Option<HostProfile>> {
        sqlx::query_as::<_, ProfileRow>(
            "SELECT account_id, handle, name, headline, role, employer, industry, skills, topics, career_path \
             FROM host_profiles WHERE account_id = $1",
        )
        .bind(account.0)
        .fetch_optional(&self.pool)
        .await?
        .map(ProfileRow::into_profile)
        .transpose()
    }

    async fn put_host_profile(&self, account: AccountId, profile: &HostProfile) -> Result<()> {
        // One statement: the upsert and the search-index triggers commit or fail together.
        sqlx::query(
            "INSERT INTO host_profiles \
             (account_id, handle, name, headline, role, employer, industry, skills, topics, career_path) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (account_id) DO UPDATE SET handle = excluded.handle, name = excluded.name, \
             headline = excluded.headline, role = excluded.role, employer = excluded.employer, \
             industry = excluded.industry, skills = excluded.skills, topics = excluded.topics, \
             career_path = excluded.career_path",
        )
        .bind(account.0)
        .bind(profile.handle.as_str())
        .bind(&profile.name)
        .bind(&profile.headline)
        .bind(&profile.role)
        .bind(&profile.employer)
        .bind(&profile.industry)
        .bind(json_strings(&profile.skills))
        .bind(json_strings(&profile.topics))
        .bind(&profile.career_path)
        .execute(&self.pool)
        .await
        .map_err(write_error)?;
        Ok(())
    }

    async fn host_policy(&self, account: AccountId) -> Result<Option<HostPolicy>> {
        let row = sqlx::query_as::<_, PolicyRow>(
            "SELECT time_zone, lengths, windows, monthly_cap, buffer_minutes, min_notice_hours, horizon_days, accepting, \
             daily_cap, weekly_cap, week_start, slot_increment_minutes, hold_hours, count_pending, \
             reschedule_notice_hours FROM host_policies WHERE account_id = $1",
        )
        .bind(account.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(PolicyRow::into_policy).transpose()?.flatten())
    }

    async fn put_host_policy(&self, account: AccountId, policy: &HostPolicy) -> Result<()> {
        let lengths = serde_json::Value::from(policy.lengths.iter().map(|l| l.minutes()).collect::<Vec<_>>());
        let windows = serde_json::Value::from(
            policy
                .windows
                .iter()
                .map(|w| serde_json::json!({"weekday": w.weekday.as_str(), "start": w.start_text(), "end": w.end_text()}))
                .collect::<Vec<_>>(),
        );
        sqlx::query(
            "INSERT INTO host_policies \
             (account_id, time_zone, lengths, windows, monthly_cap, buffer_minutes, min_notice_hours, horizon_days, \
             accepting, daily_cap, weekly_cap, week_start, slot_increment_minutes, hold_hours, count_pending, \
             reschedule_notice_hours) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
             ON CONFLICT (account_id) DO UPDATE SET time_zone = excluded.time_zone, lengths = excluded.lengths, \
             windows = excluded.windows, monthly_cap = excluded.monthly_cap, buffer_minutes = excluded.buffer_minutes, \
             min_notice_hours = excluded.min_notice_hours, horizon_days = excluded.horizon_days, \
             accepting = excluded.accepting, daily_cap = excluded.daily_cap, weekly_cap = excluded.weekly_cap, \
             week_start = excluded.week_start, slot_increment_minutes = excluded.slot_increment_minutes, \
             hold_hours = excluded.hold_hours, count_pending = excluded.count_pending, \
             reschedule_notice_hours = excluded.reschedule_notice_hours",
        )
        .bind(account.0)
        .bind(policy.time_zone.as_str())
        .bind(lengths.to_string())
        .bind(windows.to_string())
        .bind(i64::from(policy.monthly_cap))
        .bind(i64::from(policy.buffer_minutes))
        .bind(i64::from(policy.min_notice_hours))
        .bind(i64::from(policy.horizon_days))
        .bind(policy.accepting)
        .bind(policy.daily_cap.map(i64::from))
        .bind(policy.weekly_cap.map(i64::from))
        .bind(policy.week_start.as_str())
        .bind(policy.slot_increment_minutes.map(i64::from))
        .bind(i64::from(policy.hold_hours))
        .bind(policy.count_pending)
        .bind(i64::from(policy.reschedule_notice_hours))
        .execute(&self.pool)
        .await
        .map_err(write_error)?;
        Ok(())
    }

    async fn host_by_handle(&self, handle: &Handle) -> Result<Option<Host>> {
        sqlx::query_as::<_, HostRow>(concat!(host_select!("FROM host_profiles p"), " WHERE p.handle = $1"))
            .bind(handle.as_str())
            .fetch_optional(&self.pool)
            .await?
            .map(HostRow::into_host)
            .transpose()
    }

    async fn search_hosts(&self, search: &HostSearch) -> Result<Vec<Host>> {
        let limit = match search.limit {
            0 => DEFAULT_SEARCH_LIMIT,
            limit => limit.min(MAX_SEARCH_LIMIT),
        };
        let industry = non_blank(search.industry.as_ref());
        let skill = non_blank(search.skill.as_ref());
        let rows = match search.text.as_deref().and_then(fts_query) {
            Some(matching) => {
                // bm25 weights, in column order: a hit in the name or headline says more than one in
                // the career story.
                sqlx::query_as::<_, HostRow>(concat!(
                    host_select!("FROM host_search JOIN host_profiles p ON p.account_id = host_search.rowid"),
                    " WHERE host_search MATCH $1 AND ",
                    search_filters!(),
                    " ORDER BY bm25(host_search, 10.0, 6.0, 5.0, 3.0, 3.0, 4.0, 4.0, 1.0), p.name COLLATE NOCASE, \
                     p.account_id LIMIT $4"
                ))
                .bind(matching)
                .bind(industry)
                .bind(skill)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                // `$1` is bound (to NULL) only so that both statements share the filters' numbering.
                sqlx::query_as::<_, HostRow>(concat!(
                    host_select!("FROM host_profiles p"),
                    " WHERE $1 IS NULL AND ",
                    search_filters!(),
                    " ORDER BY p.name COLLATE NOCASE, p.account_id LIMIT $4"
                ))
                .bind(None::<String>)
                .bind(industry)
                .bind(skill)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.into_iter().map(HostRow::into_host).collect()
    }

    async fn industries(&self) -> Result<Vec<String>> {
        // Grouped without regard to case, like the filter, so "Fintech" and "FinTech" list once.
        Ok(sqlx::query_scalar::<_, String>(
            "SELECT min(p.industry) FROM host_profiles p JOIN accounts a ON a.id = p.account_id AND a.is_host = 1 \
             GROUP BY p.industry COLLATE NOCASE ORDER BY 1 COLLATE NOCASE",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    async fn bookings(&self, host: AccountId, from: Timestamp, to: Timestamp) -> Result<Vec<Booking>> {
        let rows = sqlx::query_as::<_, BookingRow>(
            "SELECT host_id, start_at, end_at FROM interviews \
             WHERE host_id = $1 AND status = 'scheduled' AND start_at < $3 AND end_at > $2 ORDER BY start_at, end_at",
        )
        .bind(host.0)
        .bind(seconds(from))
        .bind(seconds(to))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(|row| row.into_booking().map(|(_, booking)| booking)).collect()
    }

    async fn bookings_for_hosts(
        &self,
        hosts: &[AccountId],
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(AccountId, Booking)>> {
        if hosts.is_empty() {
            return Ok(Vec::new());
        }
        // The ids travel as one JSON array, so the statement stays fixed whatever the number of hosts.
        let ids = serde_json::Value::from(hosts.iter().map(|host| host.0).collect::<Vec<_>>()).to_string();
        let rows = sqlx::query_as::<_, BookingRow>(
            "SELECT host_id, start_at, end_at FROM interviews \
             WHERE host_id IN (SELECT value FROM json_each($1)) AND status = 'scheduled' \
             AND start_at < $3 AND end_at > $2 ORDER BY host_id, start_at, end_at",
        )
        .bind(ids)
        .bind(seconds(from))
        .bind(seconds(to))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(BookingRow::into_booking).collect()
    }

    async fn create_request(&self, request: NewRequestRecord) -> Result<RequestRecord> {
        let proposed = serde_json::Value::from(request.proposed_starts.iter().map(|s| seconds(*s)).collect::<Vec<_>>());
        let topics = json_strings(&request.topics);
        let questions = json_strings(&request.questions);
        // In a transaction with the read-back, so a request whose record cannot be shown is not kept.
        self.write_transaction(async |conn| {
            // Only a host with a profile can be asked (the record shows their handle); anyone else is
            // an unknown host, and nothing is written.
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO requests (seeker_id, host_id, length_minutes, proposed_starts, purpose, topics, \
                 questions, status, created_at, updated_at) \
                 SELECT $1, $2, $3, $4, $5, $6, $7, 'pending', $8, $8 \
                 WHERE EXISTS (SELECT 1 FROM host_profiles WHERE account_id = $2) RETURNING id",
            )
            .bind(request.seeker_id.0)
            .bind(request.host_id.0)
            .bind(i64::from(request.length.minutes()))
            .bind(proposed.to_string())
            .bind(&request.purpose)
            .bind(&topics)
            .bind(&questions)
            .bind(seconds(request.created_at))
            .fetch_optional(&mut *conn)
            .await
            .map_err(write_error)?;
            let id = id.ok_or(StoreError::NotFound)?;
            fetch_request(conn, id).await?.ok_or(StoreError::NotFound)
        })
        .await
    }

    async fn request(&self, id: RequestId) -> Result<Option<RequestRecord>> {
        let mut conn = self.pool.acquire().await?;
        fetch_request(&mut conn, id.0).await
    }

    async fn requests_for(&self, account: AccountId) -> Result<Vec<RequestRecord>> {
        let rows = sqlx::query_as::<_, RequestRow>(concat!(
            request_select!(),
            " WHERE r.seeker_id = $1 OR r.host_id = $1 ORDER BY r.created_at DESC, r.id DESC"
        ))
        .bind(account.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(RequestRow::into_record).collect()
    }

    async fn change_request(&self, id: RequestId, change: RequestChange, at: Timestamp) -> Result<RequestRecord> {
        let (status, reason, message) = match change {
            RequestChange::Decline { reason, message } => {
                let message = Some(message.trim().to_owned()).filter(|message| !message.is_empty());
                (RequestStatus::Declined, Some(reason.as_str()), message)
            }
            RequestChange::Withdraw => (RequestStatus::Withdrawn, None, None),
            RequestChange::Expire => (RequestStatus::Expired, None, None),
        };
        self.write_transaction(async |conn| {
            let changed = sqlx::query(
                "UPDATE requests SET status = $2, decline_reason = $3, decline_message = $4, updated_at = $5 \
                 WHERE id = $1 AND status = 'pending'",
            )
            .bind(id.0)
            .bind(status.as_str())
            .bind(reason)
            .bind(&message)
            .bind(seconds(at))
            .execute(&mut *conn)
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(if request_exists(conn, id.0).await? {
                    StoreError::Conflict(Conflict::StateChanged)
                } else {
                    StoreError::NotFound
                });
            }
            fetch_request(conn, id.0).await?.ok_or(StoreError::NotFound)
        })
        .await
    }

    async fn accept_request(&self, booking: AcceptBooking) -> Result<InterviewRecord> {
        self.write_transaction(async |conn| Self::accept_in(conn, &booking).await).await
    }

    async fn interview(&self, id: InterviewId) -> Result<Option<InterviewRecord>> {
        let mut conn = self.pool.acquire().await?;
        fetch_interview(&mut conn, id.0).await
    }

    async fn interviews_for(&self, account: AccountId) -> Result<Vec<InterviewRecord>> {
        let rows = sqlx::query_as::<_, InterviewRow>(concat!(
            interview_select!(),
            " WHERE i.seeker_id = $1 OR i.host_id = $1 ORDER BY i.start_at, i.id"
        ))
        .bind(account.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(InterviewRow::into_record).collect()
    }

    async fn cancel_interview(
        &self,
        id: InterviewId,
        by: AccountId,
        reason: &str,
        at: Timestamp,
    ) -> Result<InterviewRecord> {
        self.write_transaction(async |conn| {
            let changed = sqlx::query(
                "UPDATE interviews SET status = 'cancelled', cancel_reason = $2, cancelled_by = $3, \
                 ical_sequence = ical_sequence + 1, updated_at = $4 WHERE id = $1 AND status = 'scheduled'",
            )
            .bind(id.0)
            .bind(reason)
            .bind(by.0)
            .bind(seconds(at))
            .execute(&mut *conn)
            .await
            .map_err(write_error)?
            .rows_affected();
            if changed == 0 {
                return Err(if interview_exists(conn, id.0).await? {
                    StoreError::Conflict(Conflict::StateChanged)
                } else {
                    StoreError::NotFound
                });
            }
            fetch_interview(conn, id.0).await?.ok_or(StoreError::NotFound)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_becomes_quoted_prefix_terms() {
        assert_eq!(fts_query("data science").as_deref(), Some("\"data\"* \"science\"*"));
        assert_eq!(fts_query("\"foo OR").as_deref(), Some("\"foo\"* \"OR\"*"));
        assert_eq!(
            fts_query("C++ / Zoë's NEAR(x y)").as_deref(),
            Some("\"C\"* \"Zoë\"* \"s\"* \"NEAR\"* \"x\"* \"y\"*")
        );
        assert_eq!(fts_query("* -- ( ) :"), None);
        assert_eq!(fts_query("   "), None);
    }

    #[test]
    fn search_terms_are_bounded() {
        let many = "word ".repeat(100);
        assert_eq!(fts_query(&many).map(|query| query.matches('*').count()), Some(MAX_SEARCH_TERMS));
    }
}
