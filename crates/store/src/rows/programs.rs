//! Rows of programs, their members and invitations, and matching rounds.

use coffeechat_domain::{
    AccountId, Email, Handle, ProgramId, ProgramKind, ProgramRole, RequestId, RoundId, RoundOptions,
};
use sqlx::FromRow;

use super::{JsonText, Seconds, corrupt};
use crate::Result;
use crate::programs::{
    ConstraintKind, ProgramInvitation, ProgramMember, ProgramMembership, ProgramRecord, RoundConstraint, RoundProposal,
    RoundRecord, RoundStatus,
};

fn kind(raw: &str) -> Result<ProgramKind> {
    ProgramKind::parse(raw).map_err(|error| corrupt("programs.kind", error))
}

fn role(column: &str, raw: &str) -> Result<ProgramRole> {
    ProgramRole::parse(raw).map_err(|error| corrupt(column, error))
}

fn json<T: serde::de::DeserializeOwned>(column: &str, text: &JsonText) -> Result<T> {
    serde_json::from_str(&text.0).map_err(|error| corrupt(column, error))
}

/// A value as JSON text for binding (SQLite TEXT; PostgreSQL casts it to JSONB in the statement).
pub(crate) fn json_text<T: serde::Serialize>(column: &str, value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|error| corrupt(column, error))
}

/// The columns of [`ProgramRow`], for `concat!` in both backends' statements.
macro_rules! program_columns {
    ($alias:literal) => {
        concat!($alias, ".id, ", $alias, ".name, ", $alias, ".kind, ", $alias, ".created_by, ", $alias, ".created_at")
    };
}
pub(crate) use program_columns;

#[derive(Debug, FromRow)]
pub(crate) struct ProgramRow {
    id: i64,
    name: String,
    kind: String,
    created_by: i64,
    created_at: Seconds,
}

impl ProgramRow {
    pub(crate) fn id(&self) -> i64 {
        self.id
    }

    pub(crate) fn into_record(self) -> Result<ProgramRecord> {
        Ok(ProgramRecord {
            id: ProgramId(self.id),
            name: self.name,
            kind: kind(&self.kind)?,
            created_by: AccountId(self.created_by),
            created_at: self.created_at.timestamp("programs.created_at")?,
        })
    }
}

/// A program with one role of the account, as `programs_of` reads it (one row per role).
#[derive(Debug, FromRow)]
pub(crate) struct MembershipRow {
    #[sqlx(flatten)]
    program: ProgramRow,
    role: String,
}

/// Groups rows that arrive ordered by program into one membership per program, roles sorted.
pub(crate) fn memberships(rows: Vec<MembershipRow>) -> Result<Vec<ProgramMembership>> {
    let mut out: Vec<ProgramMembership> = Vec::new();
    for row in rows {
        let role = role("program_members.role", &row.role)?;
        match out.last_mut() {
            Some(last) if last.program.id.0 == row.program.id => last.roles.push(role),
            _ => out.push(ProgramMembership { program: row.program.into_record()?, roles: vec![role] }),
        }
    }
    for membership in &mut out {
        membership.roles.sort_unstable();
        membership.roles.dedup();
    }
    Ok(out)
}

#[derive(Debug, FromRow)]
pub(crate) struct MemberRow {
    account_id: i64,
    name: String,
    email: String,
    role: String,
    handle: Option<String>,
    joined_at: Seconds,
}

impl MemberRow {
    pub(crate) fn into_member(self) -> Result<ProgramMember> {
        Ok(ProgramMember {
            account_id: AccountId(self.account_id),
            name: self.name,
            email: Email::parse(&self.email).map_err(|error| corrupt("accounts.email", error))?,
            role: role("program_members.role", &self.role)?,
            handle: self
                .handle
                .map(|handle| Handle::parse(&handle).map_err(|error| corrupt("host_profiles.handle", error)))
                .transpose()?,
            joined_at: self.joined_at.timestamp("program_members.joined_at")?,
        })
    }
}

#[derive(Debug, FromRow)]
pub(crate) struct InvitationRow {
    invitation_id: i64,
    invitation_role: Option<String>,
    invitation_created_at: Seconds,
    #[sqlx(flatten)]
    program: ProgramRow,
}

impl InvitationRow {
    pub(crate) fn into_invitation(self) -> Result<ProgramInvitation> {
        Ok(ProgramInvitation {
            id: self.invitation_id,
            program: self.program.into_record()?,
            role: self.invitation_role.map(|raw| role("program_invitations.role", &raw)).transpose()?,
            created_at: self.invitation_created_at.timestamp("program_invitations.created_at")?,
        })
    }
}

/// The columns of [`RoundRow`].
macro_rules! round_columns {
    () => {
        "id, program_id, status, fairness_weight, max_host_share_permille, seekers, hosts, proposal, \
         published_requests, constraint_version, solved_version, created_by, created_at, solved_at, published_at"
    };
}
pub(crate) use round_columns;

#[derive(Debug, FromRow)]
pub(crate) struct RoundRow {
    id: i64,
    program_id: i64,
    status: String,
    fairness_weight: i32,
    max_host_share_permille: Option<i32>,
    seekers: JsonText,
    hosts: JsonText,
    proposal: JsonText,
    published_requests: JsonText,
    constraint_version: i32,
    solved_version: i32,
    created_by: i64,
    created_at: Seconds,
    solved_at: Seconds,
    published_at: Option<Seconds>,
}

impl RoundRow {
    pub(crate) fn id(&self) -> i64 {
        self.id
    }

    /// The round, with its constraints (read separately).
    pub(crate) fn into_record(self, constraints: Vec<RoundConstraint>) -> Result<RoundRecord> {
        let status = match self.status.as_str() {
            "proposed" => RoundStatus::Proposed,
            "published" => RoundStatus::Published,
            other => return Err(corrupt("matching_rounds.status", other)),
        };
        let fairness_weight = u8::try_from(self.fairness_weight)
            .ok()
            .filter(|weight| *weight <= 100)
            .ok_or_else(|| corrupt("matching_rounds.fairness_weight", self.fairness_weight))?;
        let max_host_share_permille = self
            .max_host_share_permille
            .map(|permille| {
                u16::try_from(permille)
                    .ok()
                    .filter(|permille| (1..=1000).contains(permille))
                    .ok_or_else(|| corrupt("matching_rounds.max_host_share_permille", permille))
            })
            .transpose()?;
        let proposal: RoundProposal = json("matching_rounds.proposal", &self.proposal)?;
        let published_requests: Vec<RequestId> = json("matching_rounds.published_requests", &self.published_requests)?;
        Ok(RoundRecord {
            id: RoundId(self.id),
            program_id: ProgramId(self.program_id),
            status,
            options: RoundOptions { fairness_weight, max_host_share_permille },
            seekers: json("matching_rounds.seekers", &self.seekers)?,
            hosts: json("matching_rounds.hosts", &self.hosts)?,
            proposal,
            constraints,
            constraint_version: i64::from(self.constraint_version),
            solved_version: i64::from(self.solved_version),
            published_requests,
            created_by: AccountId(self.created_by),
            created_at: self.created_at.timestamp("matching_rounds.created_at")?,
            solved_at: self.solved_at.timestamp("matching_rounds.solved_at")?,
            published_at: self.published_at.map(|at| at.timestamp("matching_rounds.published_at")).transpose()?,
        })
    }
}

#[derive(Debug, FromRow)]
pub(crate) struct ConstraintRow {
    pub(crate) round_id: i64,
    seeker_id: i64,
    host_id: i64,
    kind: String,
}

impl ConstraintRow {
    pub(crate) fn into_constraint(self) -> Result<RoundConstraint> {
        let kind = match self.kind.as_str() {
            "pin" => ConstraintKind::Pin,
            "forbid" => ConstraintKind::Forbid,
            other => return Err(corrupt("round_constraints.kind", other)),
        };
        Ok(RoundConstraint { seeker: AccountId(self.seeker_id), host: AccountId(self.host_id), kind })
    }
}

/// Rounds with their constraints: `constraints` ordered by round, each round's rows taken in order.
pub(crate) fn rounds_with_constraints(
    rows: Vec<RoundRow>,
    constraints: Vec<ConstraintRow>,
) -> Result<Vec<RoundRecord>> {
    let mut by_round: std::collections::BTreeMap<i64, Vec<RoundConstraint>> = std::collections::BTreeMap::new();
    for row in constraints {
        by_round.entry(row.round_id).or_default().push(row.into_constraint()?);
    }
    rows.into_iter()
        .map(|row| {
            let constraints = by_round.remove(&row.id()).unwrap_or_default();
            row.into_record(constraints)
        })
        .collect()
}
