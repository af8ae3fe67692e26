//! The waitlist of a full host: joining it (from a request sent while the host is full), seeing one's place,
//! leaving it, and promotion: when capacity frees, the first in line is offered the opening for
//! [`OFFER_WINDOW`], during which it is kept for them (everyone else who asks joins the line behind); an offer
//! that lapses passes to the next in line.
//!
//! Promotion runs as the worker task `promote-waitlist` and right after changes that free capacity (a
//! decline, a withdrawal, an expiry, a cancelled interview, a host resuming). It is idempotent and safe with
//! several workers: lapsing is one conditional update, and an offer is made by the store under the host's
//! lock only when no offer of the host is open.

use coffeechat_domain::{AccountId, HostPolicy, Role};
use coffeechat_store::{WaitlistEntry, WaitlistId};
use jiff::SignedDuration;

use crate::availability::{Capacity, shifted};
use crate::mail::{waitlist_composer_path, waitlist_offered};
use crate::{Account, Result, ServiceError, Services};

/// How long an offered opening is kept for the first seeker in line.
pub const OFFER_WINDOW: SignedDuration = SignedDuration::from_hours(48);
/// How often the worker looks for lapsed offers and freed capacity.
pub const PROMOTE_INTERVAL: std::time::Duration = std::time::Duration::from_secs(60);

/// Whether a seeker asking a host now finds room, and why not.
#[derive(Debug, Clone)]
pub(crate) struct Room {
    pub capacity: Capacity,
    /// The seeker's own open offer from this host's line, if any: the room kept for them.
    pub own_offer: Option<WaitlistEntry>,
    /// Someone is ahead: an offer to another seeker is open, or people wait in line.
    pub line_ahead: bool,
}

impl Room {
    /// Full for this seeker: no capacity, or capacity that belongs to those in line before them.
    pub fn is_full(&self) -> bool {
        if self.own_offer.is_some() {
            return self.capacity.paused;
        }
        self.capacity.is_full() || self.line_ahead
    }
}

impl Services {
    /// The room `seeker` finds with `host` now.
    pub(crate) async fn room_for(&self, host: AccountId, policy: &HostPolicy, seeker: AccountId) -> Result<Room> {
        let now = self.now();
        let (capacity, offer, line) = tokio::try_join!(
            self.capacity_of(host, policy),
            async { Ok(self.store.open_offer(host, now).await?) },
            async { Ok::<_, ServiceError>(self.store.waitlist_of_host(host).await?) },
        )?;
        let own_offer = offer.filter(|offer| offer.seeker.id == seeker);
        let line_ahead = own_offer.is_none() && line.iter().any(|entry| entry.seeker.id != seeker);
        Ok(Room { capacity, own_offer, line_ahead })
    }

    /// The caller's waitlist entries, newest first (places in line, offers, and past ones).
    ///
    /// # Errors
    /// Store failures.
    pub async fn my_waitlist(&self, me: &Account) -> Result<Vec<WaitlistEntry>> {
        Ok(self.store.waitlist_of_seeker(me.id).await?)
    }

    /// The caller's place in `host`'s line (waiting or offered), if any.
    ///
    /// # Errors
    /// Store failures.
    pub async fn waitlist_place(&self, me: &Account, host: AccountId) -> Result<Option<WaitlistEntry>> {
        let entries = self.store.waitlist_of_seeker(me.id).await?;
        Ok(entries.into_iter().find(|entry| entry.host.id == host && entry.status.is_active()))
    }

    /// The host's line, first first.
    ///
    /// # Errors
    /// [`ServiceError::Forbidden`] unless the caller is a host.
    pub async fn my_line(&self, me: &Account) -> Result<Vec<WaitlistEntry>> {
        crate::hosts::require_host(me)?;
        Ok(self.store.waitlist_of_host(me.id).await?)
    }

    /// How many requests the caller (a host in decline mode) refused as full in the last 30 days.
    ///
    /// # Errors
    /// [`ServiceError::Forbidden`] unless the caller is a host.
    pub async fn refused_when_full(&self, me: &Account) -> Result<u32> {
        crate::hosts::require_host(me)?;
        let since = shifted(self.now(), -SignedDuration::from_hours(30 * 24));
        Ok(self.store.declined_full_count(me.id, since).await?)
    }

    /// One of the caller's entries (the composer pre-fills from it).
    ///
    /// # Errors
    /// [`ServiceError::NotFound`]`("waitlist entry")` when it is not the caller's.
    pub async fn waitlist_entry(&self, me: &Account, id: i64) -> Result<WaitlistEntry> {
        self.store
            .waitlist_entry(WaitlistId(id))
            .await?
            .filter(|entry| entry.seeker.id == me.id)
            .ok_or(ServiceError::NotFound("waitlist entry"))
    }

    /// The caller leaves a host's line; if they held the offer, it passes to the next in line.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`] when the entry is not the caller's; [`ServiceError::Conflict`] when it is
    /// no longer in line.
    pub async fn leave_waitlist(&self, me: &Account, id: i64) -> Result<WaitlistEntry> {
        let left = self.store.leave_waitlist(WaitlistId(id), me.id, self.now()).await.map_err(|error| match error {
            coffeechat_store::StoreError::NotFound => ServiceError::NotFound("waitlist entry"),
            coffeechat_store::StoreError::Conflict(_) => {
                ServiceError::Conflict("this waitlist place is no longer active".into())
            }
            other => other.into(),
        })?;
        tracing::info!(entry = %left.id, "left the waitlist");
        self.promote_waitlist_of(left.host.id).await;
        Ok(left)
    }

    /// The task `promote-waitlist`: lapses offers whose window ended (telling those seekers), then offers
    /// freed capacity to the first in every line. Returns how many offers it made.
    ///
    /// # Errors
    /// Store failures.
    pub async fn promote_waitlist(&self) -> Result<u32> {
        let now = self.now();
        for entry in self.store.lapse_offers(now).await? {
            let text = format!(
                "The opening with {} passed to the next person in line: it was kept for you for 48 hours. You can \
                 ask them again any time.",
                entry.host.name
            );
            let key = Some(format!("waitlist:{}:lapsed", entry.id));
            let link = format!("/h/{}", entry.host_handle);
            self.notify_once(entry.seeker.id, "waitlist_lapsed", &text, &link, key).await;
        }
        let mut offered = 0;
        for host in self.store.hosts_with_waitlist().await? {
            if self.offer_opening(host).await?.is_some() {
                offered += 1;
            }
        }
        Ok(offered)
    }

    /// Promotion for one host right after a change that may have freed capacity; failures are logged (the
    /// task retries within a minute).
    pub(crate) async fn promote_waitlist_of(&self, host: AccountId) {
        if let Err(error) = self.offer_opening(host).await {
            tracing::error!(%error, host = %host, "could not promote the waitlist after a change");
        }
    }

    /// Offers the host's first waiting seeker the opening, when the host has capacity and no open offer.
    async fn offer_opening(&self, host: AccountId) -> Result<Option<WaitlistEntry>> {
        let now = self.now();
        if self.store.open_offer(host, now).await?.is_some() {
            return Ok(None);
        }
        let Some(account) = self.store.account(host).await? else {
            return Ok(None);
        };
        if !account.roles.has(Role::Host) {
            return Ok(None);
        }
        let policy = self.policy_of(host, &account.time_zone).await?;
        if self.capacity_of(host, &policy).await?.is_full() {
            return Ok(None);
        }
        let until = shifted(now, OFFER_WINDOW);
        let Some(entry) = self.store.offer_next(host, now, until).await? else {
            return Ok(None);
        };
        tracing::info!(entry = %entry.id, host = %host, "waitlist opening offered");
        self.queue_mail(vec![waitlist_offered(&self.site, &entry, until)]).await;
        let text = format!(
            "An opening with {} is kept for you until {}: your questions are ready in the form, pick times and send.",
            entry.host.name,
            coffeechat_domain::time_text::format_instant(until, &entry.seeker.time_zone)
        );
        let key = Some(format!("waitlist:{}:offered", entry.id));
        self.notify_once(entry.seeker.id, "waitlist_offered", &text, &waitlist_composer_path(&entry), key).await;
        Ok(Some(entry))
    }
}
