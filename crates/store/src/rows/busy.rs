//! Rows of busy calendars and their blocks.

use coffeechat_domain::AccountId;
use sqlx::FromRow;

use super::{Seconds, corrupt};
use crate::{BusyBlock, BusyCalendarId, BusyCalendarKind, BusyCalendarRecord, ImportStatus, Result};

#[derive(Debug, FromRow)]
pub(crate) struct CalendarRow {
    id: i64,
    host_id: i64,
    kind: String,
    name: String,
    url: Option<String>,
    etag: Option<String>,
    last_modified: Option<String>,
    last_fetched_at: Option<Seconds>,
    last_status: Option<String>,
    last_error: Option<String>,
    consecutive_failures: i32,
    next_fetch_at: Seconds,
    created_at: Seconds,
    blocks: i64,
}

impl CalendarRow {
    pub(crate) fn into_record(self) -> Result<BusyCalendarRecord> {
        let kind = match self.kind.as_str() {
            "upload" => BusyCalendarKind::Upload,
            "feed" => BusyCalendarKind::Feed,
            other => return Err(corrupt("busy_calendars.kind", other)),
        };
        let last_status = match self.last_status.as_deref() {
            None => None,
            Some("ok") => Some(ImportStatus::Ok),
            Some("error") => Some(ImportStatus::Error),
            Some(other) => return Err(corrupt("busy_calendars.last_status", other)),
        };
        Ok(BusyCalendarRecord {
            id: BusyCalendarId(self.id),
            host_id: AccountId(self.host_id),
            name: self.name,
            kind,
            url: self.url,
            etag: self.etag,
            last_modified: self.last_modified,
            last_fetched_at: self
                .last_fetched_at
                .map(|at| at.timestamp("busy_calendars.last_fetched_at"))
                .transpose()?,
            last_status,
            last_error: self.last_error,
            consecutive_failures: u32::try_from(self.consecutive_failures)
                .map_err(|error| corrupt("busy_calendars.consecutive_failures", error))?,
            next_fetch_at: self.next_fetch_at.timestamp("busy_calendars.next_fetch_at")?,
            created_at: self.created_at.timestamp("busy_calendars.created_at")?,
            blocks: u32::try_from(self.blocks).unwrap_or(u32::MAX),
        })
    }
}

#[derive(Debug, FromRow)]
pub(crate) struct BlockRow {
    host_id: i64,
    start_at: Seconds,
    end_at: Seconds,
}

impl BlockRow {
    pub(crate) fn into_block(self) -> Result<(AccountId, BusyBlock)> {
        Ok((
            AccountId(self.host_id),
            BusyBlock {
                start: self.start_at.timestamp("busy_blocks.start_at")?,
                end: self.end_at.timestamp("busy_blocks.end_at")?,
            },
        ))
    }
}
