//! Rows of the outbox.

use coffeechat_domain::Email;
use sqlx::FromRow;

use super::{Seconds, corrupt};
use crate::{CalendarMethod, CalendarPart, OutboxCounts, OutboxId, OutboxMessage, OutboxStatus, Result};

/// Most messages one listing returns.
pub(crate) const MAX_LISTING: u32 = 500;

#[derive(Debug, FromRow)]
pub(crate) struct MessageRow {
    id: i64,
    kind: String,
    recipient_email: String,
    recipient_name: String,
    subject: String,
    body_text: String,
    body_html: Option<String>,
    ics: Option<String>,
    ics_method: Option<String>,
    status: String,
    attempts: i32,
    next_attempt_at: Seconds,
    last_error: Option<String>,
    created_at: Seconds,
    sent_at: Option<Seconds>,
    dedupe_key: Option<String>,
}

impl MessageRow {
    pub(crate) fn into_message(self) -> Result<OutboxMessage> {
        let calendar = match (self.ics, self.ics_method) {
            (Some(ics), Some(method)) => Some(CalendarPart {
                method: CalendarMethod::parse(&method).map_err(|error| corrupt("outbox.ics_method", error))?,
                ics,
            }),
            (None, None) => None,
            _ => return Err(corrupt("outbox", "ics and ics_method must be set together")),
        };
        Ok(OutboxMessage {
            id: OutboxId(self.id),
            kind: self.kind,
            recipient_email: Email::parse(&self.recipient_email)
                .map_err(|error| corrupt("outbox.recipient_email", error))?,
            recipient_name: self.recipient_name,
            subject: self.subject,
            body_text: self.body_text,
            body_html: self.body_html,
            calendar,
            status: OutboxStatus::parse(&self.status).map_err(|error| corrupt("outbox.status", error))?,
            attempts: u32::try_from(self.attempts).map_err(|error| corrupt("outbox.attempts", error))?,
            next_attempt_at: self.next_attempt_at.timestamp("outbox.next_attempt_at")?,
            last_error: self.last_error,
            created_at: self.created_at.timestamp("outbox.created_at")?,
            sent_at: self.sent_at.map(|at| at.timestamp("outbox.sent_at")).transpose()?,
            dedupe_key: self.dedupe_key,
        })
    }
}

/// Adds up `(status, count)` rows of a `GROUP BY status`.
pub(crate) fn outbox_counts(rows: Vec<(String, i64)>) -> Result<OutboxCounts> {
    let mut counts = OutboxCounts::default();
    for (status, count) in rows {
        let count = u64::try_from(count).map_err(|error| corrupt("outbox count", error))?;
        match OutboxStatus::parse(&status).map_err(|error| corrupt("outbox.status", error))? {
            OutboxStatus::Queued => counts.queued = count,
            OutboxStatus::Sending => counts.sending = count,
            OutboxStatus::Sent => counts.sent = count,
            OutboxStatus::Failed => counts.failed = count,
        }
    }
    Ok(counts)
}
