//! What the SQLite and PostgreSQL stores share: the rows their queries return, the conversions of those rows
//! into the application's types, the classification of failed writes, and the few rules of the store that do
//! not depend on SQL (search words, page sizes, iCalendar UIDs).
//!
//! A row struct here is decoded by either backend ([`columns`] reads each database's own column types into
//! one shape), and every value is parsed back through the domain's constructors, so a hand-edited row shows
//! up as [`StoreError::Corrupt`] instead of an invalid value deep inside the application. The backends keep
//! only their SQL and their dialect's binding details.

pub(crate) mod aftercare;
pub(crate) mod busy;
pub(crate) mod calendar;
pub(crate) mod columns;
pub(crate) mod holds;
pub(crate) mod matching;
pub(crate) mod notifications;
pub(crate) mod outbox;
pub(crate) mod overrides;
pub(crate) mod programs;
pub(crate) mod request_rules;
pub(crate) mod waitlist;

use coffeechat_domain::{
    AccountId, DeclineReason, Email, Handle, HostPolicy, HostProfile, HostProfileInput, InterviewId, InterviewStatus,
    MeetingLength, PolicyInput, RequestId, RequestStatus, Roles, TimeZoneName, WindowInput,
};
use jiff::Timestamp;
use sqlx::FromRow;

pub(crate) use self::columns::{DateText, InstantList, JsonText, Seconds};
use crate::{
    Account, Booking, Conflict, Host, HostSearch, InterviewRecord, Party, RequestChange, RequestRecord, Result,
    StoreError,
};

/// Directory page size when the caller does not say (`limit: 0`), and the most it may ask for.
const DEFAULT_SEARCH_LIMIT: u32 = 50;
const MAX_SEARCH_LIMIT: u32 = 500;
/// Words of a search beyond this are ignored: nobody types more, and each costs a prefix scan.
pub(crate) const MAX_SEARCH_TERMS: usize = 12;
/// A token's `last_used_at` is refreshed at most this often, so API reads rarely become writes.
pub(crate) const TOKEN_TOUCH_INTERVAL_SECONDS: i64 = 60;

// ---------------------------------------------------------------------------------------------
// Conversions at the edge.

pub(crate) fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {detail}"))
}

pub(crate) fn timestamp(column: &str, seconds: i64) -> Result<Timestamp> {
    Timestamp::from_second(seconds).map_err(|error| corrupt(column, error))
}

pub(crate) fn json_list<T: serde::de::DeserializeOwned>(column: &str, raw: &str) -> Result<Vec<T>> {
    serde_json::from_str(raw).map_err(|error| corrupt(column, error))
}

/// Maps a failed write to the error callers can act on: a unique value already in use becomes
/// [`StoreError::Taken`] naming the API field, a missing referenced row [`StoreError::NotFound`], and a
/// PostgreSQL exclusion constraint the conflict it stands for.
pub(crate) fn write_error(error: sqlx::Error) -> StoreError {
    /// Unique constraints users can hit and their API fields. SQLite describes a violation by
    /// `table.column`; PostgreSQL names the constraint (named so in migrations/postgres).
    const UNIQUE_FIELDS: [(&str, &str); 4] = [
        ("accounts.email", "email"),
        ("accounts_email_key", "email"),
        ("host_profiles.handle", "handle"),
        ("host_profiles_handle_key", "handle"),
    ];
    /// PostgreSQL's exclusion constraints (SQLite has none: its single writer checks in the transaction).
    const EXCLUSIONS: [(&str, Conflict); 1] = [("interviews_no_overlap", Conflict::SlotTaken)];
    if let sqlx::Error::Database(database) = &error {
        if database.is_unique_violation() {
            let described = database.constraint().unwrap_or_else(|| database.message());
            if let Some((_, field)) = UNIQUE_FIELDS.iter().find(|(column, _)| described.contains(column)) {
                return StoreError::Taken { field };
            }
        } else if database.is_foreign_key_violation() {
            return StoreError::NotFound;
        } else if let Some((_, conflict)) =
            EXCLUSIONS.iter().find(|(constraint, _)| database.constraint() == Some(constraint))
        {
            return StoreError::Conflict(*conflict);
        }
    }
    StoreError::Database(error)
}

/// The words of a directory search, as both backends match them: every run of letters and digits is a
/// word, everything else (quotes, `*`, `-`, parentheses, `:`) separates words. Each backend quotes the
/// words as prefix terms of its own query language, so no input is ever query syntax.
pub(crate) fn search_words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).take(MAX_SEARCH_TERMS).collect()
}

/// How many hosts one directory page holds.
pub(crate) fn search_limit(search: &HostSearch) -> i64 {
    i64::from(match search.limit {
        0 => DEFAULT_SEARCH_LIMIT,
        limit => limit.min(MAX_SEARCH_LIMIT),
    })
}

pub(crate) fn non_blank(value: Option<&String>) -> Option<&str> {
    value.map(|value| value.trim()).filter(|value| !value.is_empty())
}

/// A policy's lengths and windows as the JSON arrays both schemas store.
pub(crate) fn policy_lists(policy: &HostPolicy) -> (serde_json::Value, serde_json::Value) {
    let lengths = serde_json::Value::from(policy.lengths.iter().map(|l| l.minutes()).collect::<Vec<_>>());
    let windows = serde_json::Value::from(
        policy
            .windows
            .iter()
            .map(|w| serde_json::json!({"weekday": w.weekday.as_str(), "start": w.start_text(), "end": w.end_text()}))
            .collect::<Vec<_>>(),
    );
    (lengths, windows)
}

/// What a change of a pending request writes: its new status, and for a decline the reason and the host's
/// message (trimmed; none when blank).
pub(crate) fn request_change_columns(change: RequestChange) -> (RequestStatus, Option<&'static str>, Option<String>) {
    match change {
        RequestChange::Decline { reason, message } => {
            let message = Some(message.trim().to_owned()).filter(|message| !message.is_empty());
            (RequestStatus::Declined, Some(reason.as_str()), message)
        }
        RequestChange::Withdraw => (RequestStatus::Withdrawn, None, None),
        RequestChange::Expire => (RequestStatus::Expired, None, None),
    }
}

/// A new interview's iCalendar UID. Random, so a UID never repeats even across databases (demo data,
/// restores), which calendar apps rely on to tell events apart.
pub(crate) fn new_ical_uid(request: RequestId) -> String {
    format!("interview-{request}-{:032x}@coffeechat", rand::random::<u128>())
}

/// Whose interviews and requests a cap check counts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CapCount {
    pub(crate) host_id: i64,
    /// Whether the host's pending requests count too, each at its earliest proposed start.
    pub(crate) count_pending: bool,
    /// The request being accepted: it becomes the interview being checked, so it never counts against itself.
    pub(crate) except_request: Option<i64>,
    /// The interview being moved, likewise.
    pub(crate) except_interview: Option<i64>,
}

// ---------------------------------------------------------------------------------------------
// Rows.

#[derive(Debug, FromRow)]
pub(crate) struct AccountRow {
    id: i64,
    email: String,
    name: String,
    is_host: bool,
    is_seeker: bool,
    time_zone: String,
    created_at: Seconds,
}

impl AccountRow {
    pub(crate) fn into_account(self) -> Result<Account> {
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
            created_at: self.created_at.timestamp("accounts.created_at")?,
        })
    }
}

#[derive(Debug, FromRow)]
pub(crate) struct CredentialsRow {
    #[sqlx(flatten)]
    pub(crate) account: AccountRow,
    pub(crate) password_hash: String,
}

#[derive(Debug, FromRow)]
pub(crate) struct TokenAccountRow {
    #[sqlx(flatten)]
    pub(crate) account: AccountRow,
    pub(crate) last_used_at: Option<Seconds>,
}

#[derive(Debug, FromRow)]
pub(crate) struct ProfileRow {
    account_id: i64,
    handle: String,
    name: String,
    headline: String,
    role: String,
    employer: String,
    industry: String,
    skills: JsonText,
    topics: JsonText,
    career_path: String,
}

impl ProfileRow {
    pub(crate) fn into_profile(self) -> Result<HostProfile> {
        let input = HostProfileInput {
            handle: self.handle,
            name: self.name,
            headline: self.headline,
            role: self.role,
            employer: self.employer,
            industry: self.industry,
            skills: self.skills.list("host_profiles.skills")?,
            topics: self.topics.list("host_profiles.topics")?,
            career_path: self.career_path,
        };
        input.validate().map_err(|errors| corrupt("host_profiles", errors))
    }
}

/// A policy's columns; all `None` when the host has not saved a policy (LEFT JOIN).
#[derive(Debug, FromRow)]
pub(crate) struct PolicyRow {
    time_zone: Option<String>,
    lengths: Option<JsonText>,
    windows: Option<JsonText>,
    monthly_cap: Option<i32>,
    buffer_minutes: Option<i32>,
    min_notice_hours: Option<i32>,
    horizon_days: Option<i32>,
    accepting: Option<bool>,
    daily_cap: Option<i32>,
    weekly_cap: Option<i32>,
    week_start: Option<String>,
    slot_increment_minutes: Option<i32>,
    hold_hours: Option<i32>,
    count_pending: Option<bool>,
    reschedule_notice_hours: Option<i32>,
}

impl PolicyRow {
    pub(crate) fn into_policy(self) -> Result<Option<HostPolicy>> {
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
            lengths_minutes: lengths.list("host_policies.lengths")?,
            windows: windows.list::<WindowInput>("host_policies.windows")?,
            monthly_cap: monthly_cap.into(),
            buffer_minutes: buffer_minutes.into(),
            min_notice_hours: min_notice_hours.into(),
            horizon_days: horizon_days.into(),
            accepting,
            daily_cap: self.daily_cap.map(i64::from),
            weekly_cap: self.weekly_cap.map(i64::from),
            week_start,
            slot_increment_minutes: self.slot_increment_minutes.map(i64::from),
            hold_hours: hold_hours.into(),
            count_pending,
            reschedule_notice_hours: reschedule_notice_hours.into(),
        };
        input.validate().map(Some).map_err(|errors| corrupt("host_policies", errors))
    }
}

#[derive(Debug, FromRow)]
pub(crate) struct HostRow {
    #[sqlx(flatten)]
    profile: ProfileRow,
    #[sqlx(flatten)]
    policy: PolicyRow,
}

impl HostRow {
    pub(crate) fn into_host(self) -> Result<Host> {
        Ok(Host {
            account_id: AccountId(self.profile.account_id),
            profile: self.profile.into_profile()?,
            policy: self.policy.into_policy()?,
        })
    }
}

/// Both parties of a request or interview, and the host's handle.
#[derive(Debug, FromRow)]
pub(crate) struct PartiesRow {
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
    pub(crate) fn into_parties(self) -> Result<(Party, Party, Handle)> {
        let handle = self.host_handle.ok_or_else(|| corrupt("host_profiles", "the host has no profile"))?;
        Ok((
            party(self.seeker_id, self.seeker_name, &self.seeker_email, &self.seeker_time_zone)?,
            party(self.host_id, self.host_name, &self.host_email, &self.host_time_zone)?,
            Handle::parse(&handle).map_err(|error| corrupt("host_profiles.handle", error))?,
        ))
    }
}

pub(crate) fn length(minutes: i32) -> Result<MeetingLength> {
    MeetingLength::from_minutes(minutes.into()).map_err(|error| corrupt("length_minutes", error))
}

#[derive(Debug, FromRow)]
pub(crate) struct RequestRow {
    id: i64,
    length_minutes: i32,
    proposed_starts: InstantList,
    purpose: String,
    topics: JsonText,
    questions: JsonText,
    status: String,
    decline_reason: Option<String>,
    decline_message: Option<String>,
    interview_id: Option<i64>,
    created_at: Seconds,
    updated_at: Seconds,
    #[sqlx(flatten)]
    parties: PartiesRow,
}

impl RequestRow {
    pub(crate) fn into_record(self) -> Result<RequestRecord> {
        let (seeker, host, host_handle) = self.parties.into_parties()?;
        Ok(RequestRecord {
            id: RequestId(self.id),
            seeker,
            host,
            host_handle,
            length: length(self.length_minutes)?,
            proposed_starts: self.proposed_starts.timestamps("requests.proposed_starts")?,
            purpose: self.purpose,
            topics: self.topics.list("requests.topics")?,
            questions: self.questions.list("requests.questions")?,
            status: RequestStatus::parse(&self.status).map_err(|error| corrupt("requests.status", error))?,
            decline_reason: self
                .decline_reason
                .map(|reason| DeclineReason::parse(&reason))
                .transpose()
                .map_err(|error| corrupt("requests.decline_reason", error))?,
            decline_message: self.decline_message,
            interview_id: self.interview_id.map(InterviewId),
            created_at: self.created_at.timestamp("requests.created_at")?,
            updated_at: self.updated_at.timestamp("requests.updated_at")?,
        })
    }
}

#[derive(Debug, FromRow)]
pub(crate) struct InterviewRow {
    id: i64,
    request_id: i64,
    start_at: Seconds,
    end_at: Seconds,
    status: String,
    cancel_reason: Option<String>,
    cancelled_by: Option<i64>,
    ical_uid: String,
    ical_sequence: i32,
    created_at: Seconds,
    length_minutes: i32,
    purpose: String,
    topics: JsonText,
    questions: JsonText,
    #[sqlx(flatten)]
    parties: PartiesRow,
}

impl InterviewRow {
    pub(crate) fn into_record(self) -> Result<InterviewRecord> {
        let (seeker, host, host_handle) = self.parties.into_parties()?;
        Ok(InterviewRecord {
            id: InterviewId(self.id),
            request_id: RequestId(self.request_id),
            seeker,
            host,
            host_handle,
            start: self.start_at.timestamp("interviews.start_at")?,
            end: self.end_at.timestamp("interviews.end_at")?,
            length: length(self.length_minutes)?,
            status: InterviewStatus::parse(&self.status).map_err(|error| corrupt("interviews.status", error))?,
            purpose: self.purpose,
            topics: self.topics.list("requests.topics")?,
            questions: self.questions.list("requests.questions")?,
            cancel_reason: self.cancel_reason,
            cancelled_by: self.cancelled_by.map(AccountId),
            ical_uid: self.ical_uid,
            ical_sequence: self.ical_sequence,
            created_at: self.created_at.timestamp("interviews.created_at")?,
        })
    }
}

#[derive(Debug, FromRow)]
pub(crate) struct BookingRow {
    host_id: i64,
    start_at: Seconds,
    end_at: Seconds,
}

impl BookingRow {
    pub(crate) fn into_booking(self) -> Result<(AccountId, Booking)> {
        Ok((
            AccountId(self.host_id),
            Booking {
                start: self.start_at.timestamp("interviews.start_at")?,
                end: self.end_at.timestamp("interviews.end_at")?,
            },
        ))
    }
}

/// A session's data and expiry.
#[derive(Debug, FromRow)]
pub(crate) struct SessionRow {
    data: Vec<u8>,
    expires_at: Seconds,
}

impl SessionRow {
    pub(crate) fn into_record(self) -> Result<crate::SessionRecord> {
        Ok(crate::SessionRecord { data: self.data, expires_at: self.expires_at.timestamp("sessions.expires_at")? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_are_runs_of_letters_and_digits() {
        assert_eq!(search_words("data science"), ["data", "science"]);
        assert_eq!(search_words("\"foo OR"), ["foo", "OR"]);
        assert_eq!(search_words("C++ / Zoë's NEAR(x y)"), ["C", "Zoë", "s", "NEAR", "x", "y"]);
        assert!(search_words("* -- ( ) : '").is_empty());
        assert!(search_words("   ").is_empty());
    }

    #[test]
    fn search_words_are_bounded() {
        assert_eq!(search_words(&"word ".repeat(100)).len(), MAX_SEARCH_TERMS);
    }

    #[test]
    fn page_sizes_default_and_cap() {
        let limit = |limit| search_limit(&HostSearch { limit, ..HostSearch::default() });
        assert_eq!((limit(0), limit(7), limit(10_000)), (50, 7, 500));
    }

    #[test]
    fn a_decline_keeps_its_reason_and_trimmed_message() {
        let change = RequestChange::Decline { reason: DeclineReason::Timing, message: "  Soon.  ".into() };
        assert_eq!(request_change_columns(change), (RequestStatus::Declined, Some("timing"), Some("Soon.".into())));
        let blank = RequestChange::Decline { reason: DeclineReason::Other, message: " ".into() };
        assert_eq!(request_change_columns(blank).2, None);
        assert_eq!(request_change_columns(RequestChange::Withdraw), (RequestStatus::Withdrawn, None, None));
    }

    #[test]
    fn ical_uids_never_repeat() {
        let (first, second) = (new_ical_uid(RequestId(7)), new_ical_uid(RequestId(7)));
        assert!(first.starts_with("interview-7-") && first.ends_with("@coffeechat"), "{first}");
        assert_ne!(first, second);
    }
}
