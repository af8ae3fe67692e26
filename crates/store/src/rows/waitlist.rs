//! Rows of the waitlist (`waitlist`), and the select both backends share.

use sqlx::FromRow;

use super::{JsonText, PartiesRow, Seconds, corrupt, length};
use crate::{NewWaitlistEntry, Result, WaitlistEntry, WaitlistId, WaitlistStatus};

/// An entry with both parties and its place in line (counted among the host's active entries before it).
macro_rules! waitlist_select {
    () => {
        "SELECT w.id, w.status, w.length_minutes, w.purpose, w.topics, w.questions, w.created_at, w.updated_at, \
         w.offered_at, w.offer_expires_at, \
         CASE WHEN w.status IN ('waiting', 'offered') THEN 1 + (SELECT count(*) FROM waitlist o \
             WHERE o.host_id = w.host_id AND o.status IN ('waiting', 'offered') \
             AND (o.created_at < w.created_at OR (o.created_at = w.created_at AND o.id < w.id))) END AS position, \
         s.id AS seeker_id, s.name AS seeker_name, s.email AS seeker_email, s.time_zone AS seeker_time_zone, \
         h.id AS host_id, h.name AS host_name, h.email AS host_email, h.time_zone AS host_time_zone, \
         p.handle AS host_handle \
         FROM waitlist w JOIN accounts s ON s.id = w.seeker_id JOIN accounts h ON h.id = w.host_id \
         LEFT JOIN host_profiles p ON p.account_id = w.host_id"
    };
}
pub(crate) use waitlist_select;

#[derive(Debug, FromRow)]
pub(crate) struct WaitlistRow {
    id: i64,
    status: String,
    length_minutes: i32,
    purpose: String,
    topics: JsonText,
    questions: JsonText,
    created_at: Seconds,
    updated_at: Seconds,
    offered_at: Option<Seconds>,
    offer_expires_at: Option<Seconds>,
    position: Option<i64>,
    #[sqlx(flatten)]
    parties: PartiesRow,
}

impl WaitlistRow {
    pub(crate) fn into_entry(self) -> Result<WaitlistEntry> {
        let (seeker, host, host_handle) = self.parties.into_parties()?;
        let optional = |at: Option<Seconds>, column: &str| at.map(|at| at.timestamp(column)).transpose();
        Ok(WaitlistEntry {
            id: WaitlistId(self.id),
            host,
            host_handle,
            seeker,
            status: WaitlistStatus::parse(&self.status).map_err(|error| corrupt("waitlist.status", error))?,
            length: length(self.length_minutes)?,
            purpose: self.purpose,
            topics: self.topics.list("waitlist.topics")?,
            questions: self.questions.list("waitlist.questions")?,
            created_at: self.created_at.timestamp("waitlist.created_at")?,
            updated_at: self.updated_at.timestamp("waitlist.updated_at")?,
            offered_at: optional(self.offered_at, "waitlist.offered_at")?,
            offer_expires_at: optional(self.offer_expires_at, "waitlist.offer_expires_at")?,
            position: self.position.map(|position| u32::try_from(position).unwrap_or(u32::MAX)),
        })
    }
}

/// The length as stored.
pub(crate) fn entry_length(entry: &NewWaitlistEntry) -> i32 {
    i32::from(entry.length.minutes())
}

/// A new entry may only start in line or as a recorded refusal.
pub(crate) fn check_new_status(entry: &NewWaitlistEntry) -> Result<()> {
    match entry.status {
        WaitlistStatus::Waiting | WaitlistStatus::DeclinedFull => Ok(()),
        other => Err(corrupt("waitlist.status", format!("a new entry cannot be {}", other.as_str()))),
    }
}
