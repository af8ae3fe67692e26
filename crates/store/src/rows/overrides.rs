//! Rows of date overrides (`host_overrides`).

use coffeechat_domain::{AccountId, DateOverride, OverrideInput, TimeRangeInput};
use sqlx::FromRow;

use super::{DateText, JsonText, Seconds, corrupt};
use crate::{OverrideId, OverrideRecord, Result};

#[derive(Debug, FromRow)]
pub(crate) struct OverrideRow {
    id: i64,
    pub(crate) host_id: i64,
    from_date: DateText,
    to_date: DateText,
    windows: JsonText,
    created_at: Seconds,
}

impl OverrideRow {
    pub(crate) fn into_override(self) -> Result<DateOverride> {
        let input = OverrideInput {
            from: self.from_date.0,
            to: self.to_date.0,
            windows: self.windows.list::<TimeRangeInput>("host_overrides.windows")?,
        };
        input.validate().map_err(|errors| corrupt("host_overrides", errors))
    }

    pub(crate) fn into_record(self) -> Result<OverrideRecord> {
        let (id, host_id) = (OverrideId(self.id), AccountId(self.host_id));
        let created_at = self.created_at.timestamp("host_overrides.created_at")?;
        Ok(OverrideRecord { id, host_id, date_override: self.into_override()?, created_at })
    }
}
