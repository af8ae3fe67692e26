//! The embedded SQLite implementation of [`Store`](crate::Store).
//!
//! One database file in WAL mode, a small connection pool, runtime `query`/`query_as` with `$N`
//! placeholders (so the SQL reads the same as the PostgreSQL version's), and migrations embedded in
//! the binary. Instants are INTEGER unix seconds in the database and [`jiff::Timestamp`] everywhere
//! else. Rows and their conversions are shared with PostgreSQL ([`crate::rows`]): every row read is parsed
//! back through the domain's constructors, so a hand-edited row shows up as [`StoreError::Corrupt`] instead
//! of an invalid value deep inside the application.
//!
//! Writes that must check before they write run in `BEGIN IMMEDIATE` transactions: SQLite then takes
//! its single write lock up front, so concurrent writers queue on the busy timeout instead of failing
//! with `SQLITE_BUSY` when a read transaction tries to upgrade to a write.

use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use coffeechat_domain::{
    AccountId, Email, Handle, HostPolicy, HostProfile, InterviewId, MeetingLength, RequestId, RequestStatus,
};
use jiff::Timestamp;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{FromRow, SqliteConnection, SqlitePool};

// The shared helpers are imported here, so the feature modules below reach them as `super::…`.
use crate::rows::matching::search_groups;
use crate::rows::{
    AccountRow, BookingRow, CapCount, CredentialsRow, HostRow, InterviewRow, PolicyRow, ProfileRow, RequestRow,
    SessionRow, TOKEN_TOUCH_INTERVAL_SECONDS, TokenAccountRow, corrupt, new_ical_uid, non_blank, policy_lists,
    request_change_columns, search_limit, write_error,
};
use crate::{
    AcceptBooking, Account, AccountUpdate, Booking, CapKind, CapPeriod, Conflict, Host, HostSearch, InterviewRecord,
    MakeFollowUps, NewAccount, NewRequestRecord, RequestChange, RequestRecord, Result, SessionRecord, Store,
    StoreError,
};

mod aftercare;
mod busy;
mod calendar;
mod holds;
mod matching;
mod notifications;
mod ops;
mod outbox;
mod overrides;
mod programs;
mod request_rules;
mod waitlist;

/// The migrations, compiled into the binary so a deployment is one file.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// How long a connection waits for another one's write lock before giving up. Writes take
/// milliseconds, so this only runs out when something is badly wrong.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// SQLite has one writer at a time; a few connections are enough for concurrent readers.
const MAX_CONNECTIONS: u32 = 5;

/// The SQLite store: a pool of connections to one database file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// Commits of this pool's connections (see [`Store::data_version`]).
    commits: Arc<AtomicU64>,
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
        let commits = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&commits);
        let pool = SqlitePoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .after_connect(move |connection, _| {
                let counter = Arc::clone(&counter);
                Box::pin(async move {
                    // Counted as the commit starts, before other connections can see it, so a reader that
                    // saw the old count may have read the old rows, never the other way round.
                    connection.lock_handle().await?.set_commit_hook(move || {
                        counter.fetch_add(1, Ordering::AcqRel);
                        true
                    });
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Self { pool, commits })
    }

    /// Waits for the connections to finish their work and closes them (checkpointing the WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

// ---------------------------------------------------------------------------------------------
// Binding: SQLite's side of the shared rows (see `crate::rows`).

fn seconds(at: Timestamp) -> i64 {
    at.as_second()
}

/// A lower bound on the start of any interview that ends after `from`: no meeting is longer than the longest
/// length. Bounding the start lets `interviews_by_host_start` read only the range that can overlap, instead of
/// every interview the host ever had before it (reads that grew with the history, seen under load).
pub(crate) fn earliest_overlapping_start(from: Timestamp) -> i64 {
    let longest = MeetingLength::ALL.iter().map(|length| i64::from(length.minutes())).max().unwrap_or(0);
    seconds(from) - longest * 60
}

fn json_strings(values: &[String]) -> String {
    serde_json::Value::from(values.to_vec()).to_string()
}

/// Turns what a user typed into an FTS5 query that can never be a syntax error. Each part of the search
/// ([`search_groups`]: a word, or a name the matching vocabulary knows, widened to its synonyms) becomes quoted
/// phrases, the typed one a prefix (`"data"*`; `("js"* OR "javascript" OR …)`), so quotes, `*`, `-`,
/// parentheses and `:` column filters never reach FTS5, and quoting also disarms `AND`/`OR`/`NOT`/`NEAR`. Every
/// part is required. `None` when there is no word to search for.
fn fts_query(text: &str) -> Option<String> {
    let parts: Vec<String> = search_groups(text)
        .iter()
        .map(|group| {
            let mut spellings = group
                .iter()
                .map(|spelling| format!("\"{}\"{}", spelling.words.join(" "), if spelling.prefix { "*" } else { "" }));
            match (spellings.next(), group.len()) {
                (Some(only), 1) => only,
                (first, _) => format!("({})", first.into_iter().chain(spellings).collect::<Vec<_>>().join(" OR ")),
            }
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" AND "))
}

/// The ids of `hosts` as one JSON array, which statements unpack with `json_each`, so a statement stays the
/// same whatever the number of hosts. `None` when there are no hosts, and so nothing to ask for.
fn host_ids_json(hosts: &[AccountId]) -> Option<String> {
    (!hosts.is_empty())
        .then(|| serde_json::Value::from(hosts.iter().map(|host| host.0).collect::<Vec<_>>()).to_string())
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

/// Listed hosts by account id, for [`crate::MatchingStore::matching_hosts`]: `$1` a JSON array of account ids,
/// or NULL for every listed host.
const LISTED_HOSTS_BY_ID: &str = concat!(
    host_select!("FROM host_profiles p"),
    " WHERE $1 IS NULL OR p.account_id IN (SELECT value FROM json_each($1)) ORDER BY p.account_id"
);

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
             WHERE host_id = $1 AND status = 'scheduled' AND start_at < $2 AND end_at > $3 AND start_at > $4)",
        )
        .bind(pending.host_id)
        .bind(seconds(booking.conflict_to))
        .bind(seconds(booking.conflict_from))
        .bind(earliest_overlapping_start(booking.conflict_from))
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

        let ical_uid = new_ical_uid(booking.request_id);
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

    /// Only this process's commits are counted: another process writing to the same file is not seen, so
    /// whatever is reused on the strength of this must also expire within a second or so.
    fn data_version(&self) -> Option<u64> {
        Some(self.commits.load(Ordering::Acquire))
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
        if row.last_used_at.is_none_or(|last| now - last.0 >= TOKEN_TOUCH_INTERVAL_SECONDS) {
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
        // An expired session is as good as gone, whether or not the clean-up has run yet.
        sqlx::query_as::<_, SessionRow>("SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2")
            .bind(id)
            .bind(seconds(Timestamp::now()))
            .fetch_optional(&self.pool)
            .await?
            .map(SessionRow::into_record)
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
        let (lengths, windows) = policy_lists(policy);
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
                .bind(search_limit(search))
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
                .bind(search_limit(search))
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
             WHERE host_id = $1 AND status = 'scheduled' AND start_at < $3 AND end_at > $2 AND start_at > $4 \
             ORDER BY start_at, end_at",
        )
        .bind(host.0)
        .bind(seconds(from))
        .bind(seconds(to))
        .bind(earliest_overlapping_start(from))
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
        let Some(ids) = host_ids_json(hosts) else {
            return Ok(Vec::new());
        };
        let rows = sqlx::query_as::<_, BookingRow>(
            "SELECT host_id, start_at, end_at FROM interviews \
             WHERE host_id IN (SELECT value FROM json_each($1)) AND status = 'scheduled' \
             AND start_at < $3 AND end_at > $2 AND start_at > $4 ORDER BY host_id, start_at, end_at",
        )
        .bind(ids)
        .bind(seconds(from))
        .bind(seconds(to))
        .bind(earliest_overlapping_start(from))
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
                 questions, status, created_at, updated_at, expires_at) \
                 SELECT $1, $2, $3, $4, $5, $6, $7, 'pending', $8, $8, $9 \
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
            .bind(seconds(request.expires_at))
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
        let (status, reason, message) = request_change_columns(change);
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

    async fn accept_request_with(
        &self,
        booking: AcceptBooking,
        follow_ups: &MakeFollowUps<'_>,
    ) -> Result<InterviewRecord> {
        self.write_transaction(async |conn| {
            let interview = Self::accept_in(conn, &booking).await?;
            let follow_ups = follow_ups(&interview);
            outbox::enqueue_in(conn, &follow_ups.messages, booking.at).await?;
            notifications::add_in(conn, &follow_ups.notifications).await?;
            Ok(interview)
        })
        .await
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
        assert_eq!(fts_query("data statist").as_deref(), Some("\"data\"* AND \"statist\"*"));
        assert_eq!(fts_query("\"foo OR").as_deref(), Some("\"foo\"* AND \"or\"*"));
        assert_eq!(
            fts_query("C++ / Zoë's NEAR(x y)").as_deref(),
            Some("(\"c\"* OR \"cpp\" OR \"cplusplus\") AND \"zoë\"* AND \"s\"* AND \"near\"* AND \"x\"* AND \"y\"*")
        );
        assert_eq!(
            fts_query("JS data science").as_deref(),
            Some(
                "(\"js\"* OR \"javascript\" OR \"ecmascript\" OR \"java script\" OR \"es6\") AND \
                 (\"data science\"* OR \"data scientist\" OR \"ds\")"
            )
        );
        assert_eq!(fts_query("* -- ( ) :"), None);
        assert_eq!(fts_query("   "), None);
    }

    #[test]
    fn search_terms_are_bounded() {
        let many = "word ".repeat(100);
        assert_eq!(fts_query(&many).map(|query| query.matches('*').count()), Some(crate::rows::MAX_SEARCH_TERMS));
    }
}
