//! A host's date overrides: days with other hours, days off, trips. The slot engine applies them; this
//! module lets a host list, add and remove them.
//!
//! Overrides of one host never share a date, so a host always knows which hours apply on a day: adding one
//! that overlaps another is refused, naming the other, and the host removes or changes that one first.

use coffeechat_domain::{DateOverride, OverrideInput};
use coffeechat_store::{AddedOverride, OverrideId, OverrideRecord};
use jiff::civil::Date;

use crate::hosts::require_host;
use crate::{Account, Result, ServiceError, Services};

/// `24 Dec 2026`.
fn readable_date(date: Date) -> String {
    date.strftime("%-d %b %Y").to_string()
}

/// How a host reads an override: `24 Dec 2026 – 2 Jan 2027 (off)`, `10 Dec 2026 (07:00–07:45, 17:00–18:00)`.
pub fn describe_override(date_override: &DateOverride) -> String {
    let dates = if date_override.from == date_override.to {
        readable_date(date_override.from)
    } else {
        format!("{} – {}", readable_date(date_override.from), readable_date(date_override.to))
    };
    let hours = date_override.hours_text().unwrap_or_else(|| "off".to_owned());
    format!("{dates} ({hours})")
}

impl Services {
    /// The caller's overrides, by first date.
    ///
    /// # Errors
    /// [`ServiceError::Forbidden`] unless the caller is a host.
    pub async fn overrides(&self, me: &Account) -> Result<Vec<OverrideRecord>> {
        require_host(me)?;
        Ok(self.store.overrides(me.id).await?)
    }

    /// Adds an override: `from`..=`to` (an empty `to` is the single day `from`), with `windows` replacing the
    /// weekly windows on those dates, or none for days off.
    ///
    /// # Errors
    /// [`ServiceError::Forbidden`] unless the caller is a host; [`ServiceError::Invalid`] naming `from`
    /// (not a date, or sharing a date with another override, which the message names), `to` (not a date,
    /// before `from`, or over a year after it) or `windows[i].start`/`.end`.
    pub async fn add_override(&self, me: &Account, input: OverrideInput) -> Result<OverrideRecord> {
        require_host(me)?;
        let date_override = input.validate()?;
        match self.store.add_override(me.id, &date_override, self.now()).await? {
            AddedOverride::Added(record) => {
                tracing::info!(host = %me.id, date_override = %record.id, "date override added");
                Ok(record)
            }
            AddedOverride::Overlaps(other) => Err(ServiceError::invalid(
                "from",
                format!(
                    "these dates overlap your override {}; remove that one first or choose other dates",
                    describe_override(&other.date_override)
                ),
            )),
        }
    }

    /// Removes one of the caller's overrides; the weekly windows apply again on its dates.
    ///
    /// # Errors
    /// [`ServiceError::Forbidden`] unless the caller is a host; [`ServiceError::NotFound`]`("override")`
    /// when the caller has no override with this id (someone else's included).
    pub async fn delete_override(&self, me: &Account, id: OverrideId) -> Result<()> {
        require_host(me)?;
        if self.store.delete_override(me.id, id).await? {
            tracing::info!(host = %me.id, date_override = %id, "date override removed");
            Ok(())
        } else {
            Err(ServiceError::NotFound("override"))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use coffeechat_domain::TimeRangeInput;

    use super::*;

    #[test]
    fn overrides_read_as_dates_and_hours() {
        let off = OverrideInput { from: "2026-12-24".into(), to: "2027-01-02".into(), windows: vec![] };
        assert_eq!(describe_override(&off.validate().unwrap()), "24 Dec 2026 – 2 Jan 2027 (off)");
        let hours = OverrideInput {
            from: "2026-12-10".into(),
            to: String::new(),
            windows: vec![
                TimeRangeInput { start: "17:00".into(), end: "18:00".into() },
                TimeRangeInput { start: "07:00".into(), end: "07:45".into() },
            ],
        };
        assert_eq!(describe_override(&hours.validate().unwrap()), "10 Dec 2026 (07:00–07:45, 17:00–18:00)");
    }
}
