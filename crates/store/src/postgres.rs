//! The PostgreSQL implementation of [`Store`](crate::Store): how Coffeechat runs on many instances at once.
//!
//! Any number of `coffeechat serve` processes share one database and nothing else, so every rule that must hold
//! across them is held by PostgreSQL: an exclusion constraint keeps a host's scheduled interviews from
//! overlapping, row locks serialise the checks that a constraint cannot express (buffers, caps), and workers
//! claim jobs with `FOR UPDATE SKIP LOCKED`. Migrations are embedded (migrations/postgres) and run under
//! sqlx's advisory lock, so instances starting together migrate once.
//!
//! Runtime `query`/`query_as` only. Rows and their conversions are shared with SQLite ([`crate::rows`]); this
//! module binds instants as TIMESTAMPTZ (whole seconds, as SQLite stores them), lists as JSONB and id lists as
//! arrays. Transactions run at READ COMMITTED: each statement sees what committed before it started, so once a
//! transaction holds the lock a check needs, its next statements see every competing write.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use coffeechat_domain::{AccountId, Email, Handle, HostPolicy, HostProfile, InterviewId, RequestId, RequestStatus};
use jiff::Timestamp;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::types::Json;
use sqlx::{ConnectOptions, Connection, FromRow, PgConnection, PgPool};

use crate::rows::matching::search_groups;
use crate::rows::{
    AccountRow, BookingRow, CapCount, CredentialsRow, HostRow, InterviewRow, PolicyRow, ProfileRow, RequestRow,
    SessionRow, TOKEN_TOUCH_INTERVAL_SECONDS, TokenAccountRow, new_ical_uid, non_blank, policy_lists,
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
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Connections one instance keeps at most unless configured (`--db-max-connections`). Requests are short, so a
/// few connections serve many; several instances together must stay under the server's `max_connections` (100
/// by default: four instances). On two cores, 10 connections capped acceptances at about 400/s (each holds a
/// connection through several round trips); 24 gave about 600/s and 48 no more (docs/PERFORMANCE.md).
pub const DEFAULT_MAX_CONNECTIONS: u32 = 24;
/// How long a request waits for a free connection (or a new one) before it fails: an unreachable server
/// shows up as an error within this time instead of a hung request.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// The PostgreSQL store: a pool of connections to one database.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to the database a `postgres://` or `postgresql://` URL names (libpq's URL form: user,
    /// password, host, port, database, and parameters such as `sslmode`). Does not migrate: call
    /// [`Store::migrate`].
    ///
    /// # Errors
    /// The database error when the URL is malformed or the server cannot be reached or refuses the login.
    pub async fn open(url: &str) -> Result<Self> {
        Self::open_with_pool(url, DEFAULT_MAX_CONNECTIONS).await
    }

    /// [`PostgresStore::open`] keeping at most `max_connections` connections.
    ///
    /// # Errors
    /// As [`PostgresStore::open`].
    pub async fn open_with_pool(url: &str, max_connections: u32) -> Result<Self> {
        let options = PgConnectOptions::from_str(url.trim())?
            .application_name("coffeechat")
            // The server's NOTICEs ("relation … already exists, skipping") are not for operators' logs.
            .options([("client_min_messages", "warning")]);
        // One connection first, so an unreachable server or a refused login is reported as itself; the
        // pool would retry until its timeout and report only that it timed out.
        options.connect().await?.close().await?;
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_lazy_with(options);
        Ok(Self { pool })
    }

    /// Waits for the connections to finish their work and closes them.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

// ---------------------------------------------------------------------------------------------
// Binding.

/// An instant as a TIMESTAMPTZ parameter, cut to the whole second: SQLite keeps no more, and both backends
/// must return what they were given.
fn instant(at: Timestamp) -> jiff_sqlx::Timestamp {
    jiff_sqlx::Timestamp::from(Timestamp::from_second(at.as_second()).unwrap_or(at))
}

fn ids(accounts: &[AccountId]) -> Vec<i64> {
    accounts.iter().map(|account| account.0).collect()
}

/// A directory search as a `to_tsquery` expression: each part of the search ([`search_groups`]: a word, or a
/// name the matching vocabulary knows, widened to its synonyms) is required, as alternatives of quoted words
/// in sequence, the typed one a prefix (`'data':*`; `('js':* | 'javascript' | …)`). Words are runs of letters
/// and digits, so quoting cannot be escaped and no operator (`!`, `|`, `<->`, parentheses) can reach the
/// parser. `websearch_to_tsquery` would read `or` and `-` as operators and has no prefix matching, which the
/// directory promises ("statist" finds "statistics").
fn tsquery(text: &str) -> Option<String> {
    let parts: Vec<String> = search_groups(text)
        .iter()
        .map(|group| {
            let spellings: Vec<String> = group
                .iter()
                .map(|spelling| {
                    let last = spelling.words.len().saturating_sub(1);
                    let words = spelling.words.iter().enumerate().map(|(index, word)| {
                        if spelling.prefix && index == last { format!("'{word}':*") } else { format!("'{word}'") }
                    });
                    match spelling.words.len() {
                        1 => words.collect::<String>(),
                        _ => format!("({})", words.collect::<Vec<_>>().join(" <-> ")),
                    }
                })
                .collect();
            match spellings.as_slice() {
                [only] => only.clone(),
                _ => format!("({})", spellings.join(" | ")),
            }
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" & "))
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
    () => {
        "SELECT p.account_id, p.handle, p.name, p.headline, p.role, p.employer, p.industry, p.skills, p.topics, \
         p.career_path, pol.time_zone, pol.lengths, pol.windows, pol.monthly_cap, pol.buffer_minutes, \
         pol.min_notice_hours, pol.horizon_days, pol.accepting, pol.daily_cap, pol.weekly_cap, pol.week_start, \
         pol.slot_increment_minutes, pol.hold_hours, pol.count_pending, pol.reschedule_notice_hours \
         FROM host_profiles p JOIN accounts a ON a.id = p.account_id AND a.is_host \
         LEFT JOIN host_policies pol ON pol.account_id = p.account_id"
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

/// The directory filters shared by both search statements: `$2` industry, `$3` a whole skill, both without
/// regard to case (the expressions match the indexes `host_profiles_by_industry` and `host_profiles_by_skill`).
macro_rules! search_filters {
    () => {
        "($2::text IS NULL OR lower(p.industry) = lower($2)) \
         AND ($3::text IS NULL OR lower(p.skills::text)::jsonb @> jsonb_build_array(lower($3)))"
    };
}

/// Listed hosts by account id, for [`crate::MatchingStore::matching_hosts`]: `$1` an array of account ids, or
/// NULL for every listed host.
const LISTED_HOSTS_BY_ID: &str =
    concat!(host_select!(), " WHERE $1::bigint[] IS NULL OR p.account_id = ANY($1) ORDER BY p.account_id");

/// Reads one request with both parties, on the given connection (so inside a transaction it sees the
/// transaction's own writes).
async fn fetch_request(conn: &mut PgConnection, id: i64) -> Result<Option<RequestRecord>> {
    sqlx::query_as::<_, RequestRow>(concat!(request_select!(), " WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(RequestRow::into_record)
        .transpose()
}

async fn fetch_interview(conn: &mut PgConnection, id: i64) -> Result<Option<InterviewRecord>> {
    sqlx::query_as::<_, InterviewRow>(concat!(interview_select!(), " WHERE i.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(InterviewRow::into_record)
        .transpose()
}

/// Whether a row with this id exists, to tell "not found" from "not in the right state" after a conditional
/// update touched nothing.
async fn request_exists(conn: &mut PgConnection, id: i64) -> Result<bool> {
    Ok(sqlx::query_scalar::<_, bool>("SELECT EXISTS (SELECT 1 FROM requests WHERE id = $1)")
        .bind(id)
        .fetch_one(conn)
        .await?)
}

async fn interview_exists(conn: &mut PgConnection, id: i64) -> Result<bool> {
    Ok(sqlx::query_scalar::<_, bool>("SELECT EXISTS (SELECT 1 FROM interviews WHERE id = $1)")
        .bind(id)
        .fetch_one(conn)
        .await?)
}

/// Locks the host's account row until the transaction ends; `false` when there is no such account.
///
/// Every write that checks a host's calendar before it writes (accepting, rescheduling, adding an override)
/// takes this lock first, so two of them for one host run one after the other, on any instance: the second
/// sees the first's interview when it checks the buffer and counts the caps. The exclusion constraint alone
/// could not do this: it knows nothing of buffers, caps or overrides. One lock per host keeps the day, week and
/// month caps in one place, and hosts never wait for each other. `FOR NO KEY UPDATE` rather than `FOR UPDATE`:
/// it does not conflict with the `KEY SHARE` locks that foreign-key checks take, so seekers can keep sending
/// requests to the host while an acceptance runs.
async fn lock_host(conn: &mut PgConnection, host_id: i64) -> Result<bool> {
    let locked = sqlx::query_scalar::<_, i64>("SELECT id FROM accounts WHERE id = $1 FOR NO KEY UPDATE")
        .bind(host_id)
        .fetch_optional(conn)
        .await?;
    Ok(locked.is_some())
}

/// Whether an active interview of the host, other than `except_interview`, overlaps `[from, to)`. The range
/// expression is the exclusion constraint's, so its GiST index answers.
async fn overlaps_interview(
    conn: &mut PgConnection,
    host_id: i64,
    except_interview: Option<i64>,
    from: Timestamp,
    to: Timestamp,
) -> Result<bool> {
    Ok(sqlx::query_scalar::<_, bool>(
        "SELECT EXISTS (SELECT 1 FROM interviews WHERE host_id = $1 AND status = 'scheduled' \
         AND tstzrange(start_at, end_at) && tstzrange($2, $3) AND id IS DISTINCT FROM $4)",
    )
    .bind(host_id)
    .bind(instant(from))
    .bind(instant(to))
    .bind(except_interview)
    .fetch_one(conn)
    .await?)
}

/// The first of `caps` (in order) that is already full: its period holds `cap` or more active interviews of
/// the host starting in it, plus, when counted, pending requests whose earliest proposed start falls in it —
/// the same count the slot engine makes. Run it inside the writing transaction, after [`lock_host`].
async fn full_cap(conn: &mut PgConnection, counting: &CapCount, caps: &[CapPeriod]) -> Result<Option<CapKind>> {
    for period in caps {
        let taken: i64 = sqlx::query_scalar(
            "SELECT (SELECT count(*) FROM interviews \
                     WHERE host_id = $1 AND status = 'scheduled' AND start_at >= $2 AND start_at < $3 \
                     AND id IS DISTINCT FROM $6) \
                  + (SELECT count(*) FROM requests r \
                     CROSS JOIN LATERAL (SELECT min(start) AS earliest FROM unnest(r.proposed_starts) AS start) e \
                     WHERE $4 AND r.host_id = $1 AND r.status = 'pending' AND r.id IS DISTINCT FROM $5 \
                     AND e.earliest >= $2 AND e.earliest < $3)",
        )
        .bind(counting.host_id)
        .bind(instant(period.from))
        .bind(instant(period.to))
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

impl PostgresStore {
    /// Runs `work` in a transaction, committing when it succeeds and rolling back when it fails. (Dropping
    /// the future half-way also rolls back: sqlx's transaction guard does that before the connection is
    /// reused.)
    async fn transaction<T, F>(&self, work: F) -> Result<T>
    where
        F: for<'c> AsyncFnOnce(&'c mut PgConnection) -> Result<T>,
    {
        let mut tx = self.pool.begin().await?;
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

    async fn accept_in(conn: &mut PgConnection, booking: &AcceptBooking) -> Result<InterviewRecord> {
        #[derive(FromRow)]
        struct Pending {
            status: String,
            host_id: i64,
            seeker_id: i64,
        }
        let request_id = booking.request_id.0;
        // Locked, so a decline or withdrawal racing with this acceptance waits and then finds the request
        // answered (or this acceptance waits for it and finds it closed).
        let pending =
            sqlx::query_as::<_, Pending>("SELECT status, host_id, seeker_id FROM requests WHERE id = $1 FOR UPDATE")
                .bind(request_id)
                .fetch_optional(&mut *conn)
                .await?
                .ok_or(StoreError::NotFound)?;
        if pending.status != RequestStatus::Pending.as_str() {
            return Err(StoreError::Conflict(Conflict::StateChanged));
        }
        if !lock_host(conn, pending.host_id).await? {
            return Err(StoreError::NotFound);
        }

        if overlaps_interview(conn, pending.host_id, None, booking.conflict_from, booking.conflict_to).await? {
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

        let at = instant(booking.at);
        // An overlap the checks above missed (there is none while every writer takes the host lock) is
        // refused by `interviews_no_overlap`, which `write_error` reports as SlotTaken.
        let interview_id: i64 = sqlx::query_scalar(
            "INSERT INTO interviews \
             (request_id, host_id, seeker_id, start_at, end_at, status, ical_uid, ical_sequence, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'scheduled', $6, 0, $7, $7) RETURNING id",
        )
        .bind(request_id)
        .bind(pending.host_id)
        .bind(pending.seeker_id)
        .bind(instant(booking.start))
        .bind(instant(booking.end))
        .bind(new_ical_uid(booking.request_id))
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
impl Store for PostgresStore {
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
        .bind(instant(Timestamp::now()))
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
            .bind(instant(Timestamp::now()))
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
        let now = Timestamp::now();
        if row.last_used_at.is_none_or(|last| now.as_second() - last.0 >= TOKEN_TOUCH_INTERVAL_SECONDS) {
            // Bookkeeping only: a busy database must not turn a valid token into a failed request.
            let touched = sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1")
                .bind(token_hash)
                .bind(instant(now))
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
            .bind(instant(Timestamp::now()))
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
        .bind(instant(record.expires_at))
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
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(instant(now)).execute(&self.pool).await?;
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
        // The search document is a generated column: the upsert rewrites it in the same statement.
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
        .bind(Json(&profile.skills))
        .bind(Json(&profile.topics))
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
        .bind(Json(lengths))
        .bind(Json(windows))
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
        sqlx::query_as::<_, HostRow>(concat!(host_select!(), " WHERE p.handle = $1"))
            .bind(handle.as_str())
            .fetch_optional(&self.pool)
            .await?
            .map(HostRow::into_host)
            .transpose()
    }

    async fn search_hosts(&self, search: &HostSearch) -> Result<Vec<Host>> {
        let industry = non_blank(search.industry.as_ref());
        let skill = non_blank(search.skill.as_ref());
        let rows = match search.text.as_deref().and_then(tsquery) {
            Some(matching) => {
                // Ranked by the weights the search document gives each field (name and headline first).
                sqlx::query_as::<_, HostRow>(concat!(
                    host_select!(),
                    " WHERE p.search @@ to_tsquery('coffeechat_search', $1) AND ",
                    search_filters!(),
                    " ORDER BY ts_rank(p.search, to_tsquery('coffeechat_search', $1)) DESC, lower(p.name), \
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
                    host_select!(),
                    " WHERE $1::text IS NULL AND ",
                    search_filters!(),
                    " ORDER BY lower(p.name), p.account_id LIMIT $4"
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
        // Grouped without regard to case, like the filter, so "Fintech" and "FinTech" list once; the spelling
        // shown is the first in byte order whatever the database's collation, as on SQLite.
        Ok(sqlx::query_scalar::<_, String>(
            "SELECT min(p.industry COLLATE \"C\") FROM host_profiles p \
             JOIN accounts a ON a.id = p.account_id AND a.is_host \
             GROUP BY lower(p.industry) ORDER BY lower(min(p.industry COLLATE \"C\"))",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    async fn bookings(&self, host: AccountId, from: Timestamp, to: Timestamp) -> Result<Vec<Booking>> {
        let rows = sqlx::query_as::<_, BookingRow>(
            "SELECT host_id, start_at, end_at FROM interviews \
             WHERE host_id = $1 AND status = 'scheduled' AND tstzrange(start_at, end_at) && tstzrange($2, $3) \
             ORDER BY start_at, end_at",
        )
        .bind(host.0)
        .bind(instant(from))
        .bind(instant(to))
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
        let rows = sqlx::query_as::<_, BookingRow>(
            "SELECT host_id, start_at, end_at FROM interviews \
             WHERE host_id = ANY($1) AND status = 'scheduled' AND tstzrange(start_at, end_at) && tstzrange($2, $3) \
             ORDER BY host_id, start_at, end_at",
        )
        .bind(ids(hosts))
        .bind(instant(from))
        .bind(instant(to))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(BookingRow::into_booking).collect()
    }

    async fn create_request(&self, request: NewRequestRecord) -> Result<RequestRecord> {
        let proposed: Vec<jiff_sqlx::Timestamp> = request.proposed_starts.iter().copied().map(instant).collect();
        // In a transaction with the read-back, so a request whose record cannot be shown is not kept.
        self.transaction(async |conn| {
            // Only a host with a profile can be asked (the record shows their handle); anyone else is an
            // unknown host, and nothing is written.
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO requests (seeker_id, host_id, length_minutes, proposed_starts, purpose, topics, \
                 questions, status, created_at, updated_at, expires_at) \
                 SELECT $1, $2, $3, $4, $5, $6, $7, 'pending', $8, $8, $9 \
                 WHERE EXISTS (SELECT 1 FROM host_profiles WHERE account_id = $2) RETURNING id",
            )
            .bind(request.seeker_id.0)
            .bind(request.host_id.0)
            .bind(i32::from(request.length.minutes()))
            .bind(&proposed)
            .bind(&request.purpose)
            .bind(Json(&request.topics))
            .bind(Json(&request.questions))
            .bind(instant(request.created_at))
            .bind(instant(request.expires_at))
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
        self.transaction(async |conn| {
            // The row lock of this UPDATE makes a racing acceptance wait (or this wait for it); whoever comes
            // second finds the request no longer pending.
            let changed = sqlx::query(
                "UPDATE requests SET status = $2, decline_reason = $3, decline_message = $4, updated_at = $5 \
                 WHERE id = $1 AND status = 'pending'",
            )
            .bind(id.0)
            .bind(status.as_str())
            .bind(reason)
            .bind(&message)
            .bind(instant(at))
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
        self.transaction(async |conn| {
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
        self.transaction(async |conn| {
            let changed = sqlx::query(
                "UPDATE interviews SET status = 'cancelled', cancel_reason = $2, cancelled_by = $3, \
                 ical_sequence = ical_sequence + 1, updated_at = $4 WHERE id = $1 AND status = 'scheduled'",
            )
            .bind(id.0)
            .bind(reason)
            .bind(by.0)
            .bind(instant(at))
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
    fn search_text_becomes_quoted_prefix_terms_all_required() {
        assert_eq!(tsquery("data statist").as_deref(), Some("'data':* & 'statist':*"));
        assert_eq!(tsquery("'; DROP TABLE x; --").as_deref(), Some("'drop':* & 'table':* & 'x':*"));
        assert_eq!(
            tsquery("PM data science").as_deref(),
            Some(
                "('pm':* | ('product' <-> 'manager') | ('product' <-> 'management') | ('product' <-> 'owner') | 'po') \
                 & (('data' <-> 'science':*) | ('data' <-> 'scientist') | 'ds')"
            )
        );
        assert_eq!(tsquery("a|b !c <-> (d)").as_deref(), Some("'a':* & 'b':* & 'c':* & 'd':*"));
        assert_eq!(tsquery("* -- ( ) :"), None);
    }

    #[test]
    fn instants_are_bound_as_whole_seconds() {
        let at: Timestamp = "2030-03-04T12:30:00.75Z".parse().unwrap_or_default();
        assert_eq!(instant(at).to_jiff(), "2030-03-04T12:30:00Z".parse::<Timestamp>().unwrap_or_default());
    }
}
