//! What matching reads and writes: seekers' matching profiles, hosts' backgrounds (earlier roles, languages,
//! region, seniority), listed hosts with both, and the pairs matching must never suggest (already met, declined).
//! Every query takes many seekers at once so that a program round asks once, not once per seeker.

use coffeechat_domain::{AccountId, HostBackground, SeekerProfile};
use jiff::Timestamp;

use crate::{Host, Result};

/// A listed host with what matching needs beyond the public profile.
#[derive(Debug, Clone)]
pub struct MatchingHost {
    pub host: Host,
    pub background: HostBackground,
}

/// A seeker and a host who must not be paired again (or not now), with when it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairFact {
    pub seeker: AccountId,
    pub host: AccountId,
    /// For a meeting, when the latest one started; for a decline, when the latest decline happened; for an open
    /// contact, when the request was sent.
    pub at: Timestamp,
}

/// Matching profiles and the facts matching excludes pairs by.
#[async_trait::async_trait]
pub trait MatchingStore: Send + Sync {
    /// The seeker's matching profile, if they have saved one.
    async fn seeker_profile(&self, seeker: AccountId) -> Result<Option<SeekerProfile>>;
    /// Saved profiles of these seekers, by account id; seekers without one are left out.
    async fn seeker_profiles(&self, seekers: &[AccountId]) -> Result<Vec<(AccountId, SeekerProfile)>>;
    /// Creates or replaces the seeker's profile.
    ///
    /// # Errors
    /// [`StoreError::NotFound`](crate::StoreError::NotFound) when the account does not exist.
    async fn put_seeker_profile(&self, seeker: AccountId, profile: &SeekerProfile, at: Timestamp) -> Result<()>;

    /// The host's background (empty lists and blanks until they fill it in), or none without a host profile.
    async fn host_background(&self, host: AccountId) -> Result<Option<HostBackground>>;
    /// Replaces the host's background. Earlier roles are searchable in the directory like the career story.
    ///
    /// # Errors
    /// [`StoreError::NotFound`](crate::StoreError::NotFound) when the account has no host profile.
    async fn put_host_background(&self, host: AccountId, background: &HostBackground) -> Result<()>;

    /// Listed hosts (host role and a profile) with their backgrounds and policies, by account id; `only`
    /// restricts the list to these accounts (a program's hosts), `None` means every listed host.
    async fn matching_hosts(&self, only: Option<&[AccountId]>) -> Result<Vec<MatchingHost>>;

    /// Pairs among `seekers` who have met: a scheduled (not cancelled) interview that started before `before`.
    /// One fact per pair, at the latest such start.
    async fn met_pairs(&self, seekers: &[AccountId], before: Timestamp) -> Result<Vec<PairFact>>;
    /// Pairs where the host declined a request of the seeker. One fact per pair, at the latest decline.
    async fn declined_pairs(&self, seekers: &[AccountId]) -> Result<Vec<PairFact>>;
    /// Pairs already in touch: a pending request, or a scheduled interview starting at or after `now`. One fact
    /// per pair, at the latest request.
    async fn open_pairs(&self, seekers: &[AccountId], now: Timestamp) -> Result<Vec<PairFact>>;
}
