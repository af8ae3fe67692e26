//! Rows of pending requests as holds on a host's time.

use coffeechat_domain::{AccountId, RequestId};
use sqlx::FromRow;

use super::{InstantList, Seconds, length};
use crate::{PendingHold, Result};

#[derive(Debug, FromRow)]
pub(crate) struct HoldRow {
    id: i64,
    host_id: i64,
    created_at: Seconds,
    length_minutes: i32,
    proposed_starts: InstantList,
}

impl HoldRow {
    pub(crate) fn into_hold(self) -> Result<(AccountId, PendingHold)> {
        let mut proposed_starts = self.proposed_starts.timestamps("requests.proposed_starts")?;
        proposed_starts.sort_unstable();
        Ok((
            AccountId(self.host_id),
            PendingHold {
                request_id: RequestId(self.id),
                created_at: self.created_at.timestamp("requests.created_at")?,
                length: length(self.length_minutes)?,
                proposed_starts,
            },
        ))
    }
}
