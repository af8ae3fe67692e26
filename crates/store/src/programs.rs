//! Programs and their matching rounds: members with roles, invitation links (stored hashed), and rounds with the
//! admin's pins and forbids and the latest proposal.
//!
//! The store keeps what the service computed; it decides nothing about matching. The rules it does hold are the
//! ones that must survive concurrency: a round is published at most once ([`ProgramStore::publish_round`] is
//! an atomic claim), and a proposal computed before a pin or forbid landed is never taken for a current one
//! (every change raises the round's constraint version, and a proposal records the version it was solved for).

use coffeechat_domain::{
    AccountId, Email, Handle, ProgramId, ProgramKind, ProgramRole, RequestId, RoundId, RoundOptions,
};
use jiff::Timestamp;

use crate::Result;

/// What [`ProgramStore::create_program`] writes; the creator becomes its first admin.
#[derive(Debug, Clone)]
pub struct NewProgramRecord {
    pub name: String,
    pub kind: ProgramKind,
    pub created_by: AccountId,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramRecord {
    pub id: ProgramId,
    pub name: String,
    pub kind: ProgramKind,
    pub created_by: AccountId,
    pub created_at: Timestamp,
}

/// A program and the roles one account holds in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramMembership {
    pub program: ProgramRecord,
    /// Sorted: admin, host, seeker.
    pub roles: Vec<ProgramRole>,
}

/// One member in one role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramMember {
    pub account_id: AccountId,
    pub name: String,
    pub email: Email,
    pub role: ProgramRole,
    /// The member's host handle, when they have a host profile.
    pub handle: Option<Handle>,
    pub joined_at: Timestamp,
}

/// What [`ProgramStore::create_program_invitation`] writes.
#[derive(Debug, Clone)]
pub struct NewProgramInvitation {
    pub program_id: ProgramId,
    /// SHA-256 (hex) of the token in the link.
    pub token_hash: String,
    /// The role it gives, or `None` for the joining account's own roles.
    pub role: Option<ProgramRole>,
    pub created_by: AccountId,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramInvitation {
    pub id: i64,
    pub program: ProgramRecord,
    pub role: Option<ProgramRole>,
    pub created_at: Timestamp,
}

/// A seeker of a round: how many interviews they want, and how many they had before it (for fairness).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RoundSeeker {
    pub id: AccountId,
    pub wanted: u8,
    pub interviews_had: u32,
}

/// A host of a round and the interviews they give in it (at most their remaining monthly cap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RoundHost {
    pub id: AccountId,
    pub capacity: u8,
}

/// One pair of a proposal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProposedPair {
    pub seeker: AccountId,
    pub host: AccountId,
    /// The score the solver maximised (relevance with the fairness weight applied), 1–100.
    pub score: u8,
    /// Why, in words: the relevance reasons, then the fairness bonus if any.
    pub reasons: Vec<String>,
    /// Forced in by the admin.
    pub pinned: bool,
}

/// A seeker who got fewer interviews than they wanted, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UnmatchedSeeker {
    pub seeker: AccountId,
    pub wanted: u8,
    pub matched: u8,
    pub why: String,
}

/// A round's proposal: an optimum of the solver, with every pair explained.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RoundProposal {
    /// By seeker, then host.
    pub pairs: Vec<ProposedPair>,
    pub total_score: u64,
    /// By seeker.
    pub unmatched: Vec<UnmatchedSeeker>,
}

/// What the admin decided about a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConstraintKind {
    Pin,
    Forbid,
}

impl ConstraintKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConstraintKind::Pin => "pin",
            ConstraintKind::Forbid => "forbid",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundConstraint {
    pub seeker: AccountId,
    pub host: AccountId,
    pub kind: ConstraintKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundStatus {
    /// Being reviewed: pins, forbids and re-solves are allowed.
    Proposed,
    /// Its pairs became requests; nothing changes any more.
    Published,
}

impl RoundStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RoundStatus::Proposed => "proposed",
            RoundStatus::Published => "published",
        }
    }
}

/// What [`ProgramStore::create_round`] writes.
#[derive(Debug, Clone)]
pub struct NewRoundRecord {
    pub program_id: ProgramId,
    pub options: RoundOptions,
    pub seekers: Vec<RoundSeeker>,
    pub hosts: Vec<RoundHost>,
    pub proposal: RoundProposal,
    pub created_by: AccountId,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundRecord {
    pub id: RoundId,
    pub program_id: ProgramId,
    pub status: RoundStatus,
    pub options: RoundOptions,
    pub seekers: Vec<RoundSeeker>,
    pub hosts: Vec<RoundHost>,
    pub proposal: RoundProposal,
    /// By seeker, then host.
    pub constraints: Vec<RoundConstraint>,
    /// Raised by every change of the constraints.
    pub constraint_version: i64,
    /// The constraint version the proposal was computed for.
    pub solved_version: i64,
    /// The requests publishing created (empty until then).
    pub published_requests: Vec<RequestId>,
    pub created_by: AccountId,
    pub created_at: Timestamp,
    pub solved_at: Timestamp,
    pub published_at: Option<Timestamp>,
}

impl RoundRecord {
    /// The proposal was computed before the latest pin or forbid: re-solve before publishing.
    pub fn is_stale(&self) -> bool {
        self.solved_version != self.constraint_version
    }
}

/// Storage of programs, members, invitations and rounds.
#[async_trait::async_trait]
pub trait ProgramStore: Send + Sync {
    /// Creates the program and makes its creator an admin, in one transaction.
    ///
    /// # Errors
    /// [`StoreError::NotFound`](crate::StoreError::NotFound) when the creator does not exist.
    async fn create_program(&self, program: &NewProgramRecord) -> Result<ProgramRecord>;
    async fn program(&self, id: ProgramId) -> Result<Option<ProgramRecord>>;
    /// The programs the account holds any role in, newest first.
    async fn programs_of(&self, account: AccountId) -> Result<Vec<ProgramMembership>>;
    /// Every member in every role, by role then name then id.
    async fn program_members(&self, program: ProgramId) -> Result<Vec<ProgramMember>>;
    /// Gives `account` `role` in the program; `false` when they already held it.
    ///
    /// # Errors
    /// [`StoreError::NotFound`](crate::StoreError::NotFound) when the program or the account does not exist.
    async fn add_program_member(
        &self,
        program: ProgramId,
        account: AccountId,
        role: ProgramRole,
        at: Timestamp,
    ) -> Result<bool>;
    /// # Errors
    /// [`StoreError::NotFound`](crate::StoreError::NotFound) when the program does not exist.
    async fn create_program_invitation(&self, invitation: &NewProgramInvitation) -> Result<ProgramInvitation>;
    /// The invitation whose token hashes to `token_hash`.
    async fn program_invitation(&self, token_hash: &str) -> Result<Option<ProgramInvitation>>;

    /// # Errors
    /// [`StoreError::NotFound`](crate::StoreError::NotFound) when the program does not exist.
    async fn create_round(&self, round: &NewRoundRecord) -> Result<RoundRecord>;
    async fn round(&self, id: RoundId) -> Result<Option<RoundRecord>>;
    /// The program's rounds, newest first.
    async fn rounds_of(&self, program: ProgramId) -> Result<Vec<RoundRecord>>;
    /// Pins or forbids a pair (replacing what was decided about it), or with `None` forgets the decision, and
    /// raises the round's constraint version; returns the new version.
    ///
    /// # Errors
    /// [`Conflict::StateChanged`](crate::Conflict::StateChanged) once the round is published;
    /// [`StoreError::NotFound`](crate::StoreError::NotFound) when it does not exist.
    async fn set_round_constraint(
        &self,
        round: RoundId,
        seeker: AccountId,
        host: AccountId,
        kind: Option<ConstraintKind>,
        at: Timestamp,
    ) -> Result<i64>;
    /// Replaces the proposal, computed for constraint version `solved_version`.
    ///
    /// # Errors
    /// [`Conflict::StateChanged`](crate::Conflict::StateChanged) once the round is published;
    /// [`StoreError::NotFound`](crate::StoreError::NotFound) when it does not exist.
    async fn save_round_proposal(
        &self,
        round: RoundId,
        proposal: &RoundProposal,
        solved_version: i64,
        at: Timestamp,
    ) -> Result<()>;
    /// Marks the round published if it is still proposed and its proposal is current (solved for the latest
    /// constraint version): the one claim that lets a caller create its requests, so they are created once.
    ///
    /// # Errors
    /// [`Conflict::StateChanged`](crate::Conflict::StateChanged) when it is already published or its proposal
    /// is stale; [`StoreError::NotFound`](crate::StoreError::NotFound) when it does not exist.
    async fn publish_round(&self, round: RoundId, at: Timestamp) -> Result<()>;
    /// Records the requests a published round created.
    ///
    /// # Errors
    /// [`StoreError::NotFound`](crate::StoreError::NotFound) when the round does not exist.
    async fn record_round_requests(&self, round: RoundId, requests: &[RequestId]) -> Result<()>;
}
