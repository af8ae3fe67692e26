//! [`ProgramStore`] on SQLite (migration 0009). JSON documents (a round's people, its proposal) are TEXT.

use async_trait::async_trait;
use coffeechat_domain::{AccountId, ProgramId, ProgramRole, RequestId, RoundId};
use jiff::Timestamp;
use sqlx::SqliteConnection;

use super::{SqliteStore, seconds, write_error};
use crate::programs::{
    ConstraintKind, NewProgramInvitation, NewProgramRecord, NewRoundRecord, ProgramInvitation, ProgramMember,
    ProgramMembership, ProgramRecord, ProgramStore, RoundProposal, RoundRecord, RoundStatus,
};
use crate::rows::programs::{
    ConstraintRow, InvitationRow, MemberRow, MembershipRow, ProgramRow, RoundRow, json_text, memberships,
    program_columns, round_columns, rounds_with_constraints,
};
use crate::{Conflict, Result, StoreError};

async fn fetch_round(conn: &mut SqliteConnection, id: i64) -> Result<Option<RoundRecord>> {
    let Some(row) =
        sqlx::query_as::<_, RoundRow>(concat!("SELECT ", round_columns!(), " FROM matching_rounds WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
    else {
        return Ok(None);
    };
    let constraints = sqlx::query_as::<_, ConstraintRow>(
        "SELECT round_id, seeker_id, host_id, kind FROM round_constraints WHERE round_id = $1 \
         ORDER BY seeker_id, host_id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rounds_with_constraints(vec![row], constraints)?.pop())
}

/// The round's status and versions, or `NotFound`.
async fn round_state(conn: &mut SqliteConnection, id: i64) -> Result<(String, i32, i32)> {
    sqlx::query_as::<_, (String, i32, i32)>(
        "SELECT status, constraint_version, solved_version FROM matching_rounds WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::NotFound)
}

#[async_trait]
impl ProgramStore for SqliteStore {
    async fn create_program(&self, program: &NewProgramRecord) -> Result<ProgramRecord> {
        self.write_transaction(async |conn| {
            let row = sqlx::query_as::<_, ProgramRow>(
                "INSERT INTO programs (name, kind, created_by, created_at) VALUES ($1, $2, $3, $4) \
                 RETURNING id, name, kind, created_by, created_at",
            )
            .bind(&program.name)
            .bind(program.kind.as_str())
            .bind(program.created_by.0)
            .bind(seconds(program.created_at))
            .fetch_one(&mut *conn)
            .await
            .map_err(write_error)?;
            sqlx::query(
                "INSERT INTO program_members (program_id, account_id, role, joined_at) VALUES ($1, $2, 'admin', $3)",
            )
            .bind(row.id())
            .bind(program.created_by.0)
            .bind(seconds(program.created_at))
            .execute(&mut *conn)
            .await
            .map_err(write_error)?;
            row.into_record()
        })
        .await
    }

    async fn program(&self, id: ProgramId) -> Result<Option<ProgramRecord>> {
        sqlx::query_as::<_, ProgramRow>(concat!("SELECT ", program_columns!("p"), " FROM programs p WHERE p.id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .map(ProgramRow::into_record)
            .transpose()
    }

    async fn programs_of(&self, account: AccountId) -> Result<Vec<ProgramMembership>> {
        let rows = sqlx::query_as::<_, MembershipRow>(concat!(
            "SELECT ",
            program_columns!("p"),
            ", m.role FROM programs p JOIN program_members m ON m.program_id = p.id \
             WHERE m.account_id = $1 ORDER BY p.created_at DESC, p.id DESC"
        ))
        .bind(account.0)
        .fetch_all(&self.pool)
        .await?;
        memberships(rows)
    }

    async fn program_members(&self, program: ProgramId) -> Result<Vec<ProgramMember>> {
        sqlx::query_as::<_, MemberRow>(
            "SELECT m.account_id, a.name, a.email, m.role, h.handle, m.joined_at FROM program_members m \
             JOIN accounts a ON a.id = m.account_id LEFT JOIN host_profiles h ON h.account_id = m.account_id \
             WHERE m.program_id = $1 \
             ORDER BY CASE m.role WHEN 'admin' THEN 0 WHEN 'host' THEN 1 ELSE 2 END, a.name, m.account_id",
        )
        .bind(program.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(MemberRow::into_member)
        .collect()
    }

    async fn add_program_member(
        &self,
        program: ProgramId,
        account: AccountId,
        role: ProgramRole,
        at: Timestamp,
    ) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO program_members (program_id, account_id, role, joined_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (program_id, account_id, role) DO NOTHING",
        )
        .bind(program.0)
        .bind(account.0)
        .bind(role.as_str())
        .bind(seconds(at))
        .execute(&self.pool)
        .await
        .map_err(write_error)?;
        Ok(done.rows_affected() > 0)
    }

    async fn create_program_invitation(&self, invitation: &NewProgramInvitation) -> Result<ProgramInvitation> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO program_invitations (program_id, token_hash, role, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(invitation.program_id.0)
        .bind(&invitation.token_hash)
        .bind(invitation.role.map(ProgramRole::as_str))
        .bind(invitation.created_by.0)
        .bind(seconds(invitation.created_at))
        .fetch_one(&self.pool)
        .await
        .map_err(write_error)?;
        let program = self.program(invitation.program_id).await?.ok_or(StoreError::NotFound)?;
        Ok(ProgramInvitation { id, program, role: invitation.role, created_at: invitation.created_at })
    }

    async fn program_invitation(&self, token_hash: &str) -> Result<Option<ProgramInvitation>> {
        sqlx::query_as::<_, InvitationRow>(concat!(
            "SELECT i.id AS invitation_id, i.role AS invitation_role, i.created_at AS invitation_created_at, ",
            program_columns!("p"),
            " FROM program_invitations i JOIN programs p ON p.id = i.program_id WHERE i.token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?
        .map(InvitationRow::into_invitation)
        .transpose()
    }

    async fn create_round(&self, round: &NewRoundRecord) -> Result<RoundRecord> {
        let seekers = json_text("matching_rounds.seekers", &round.seekers)?;
        let hosts = json_text("matching_rounds.hosts", &round.hosts)?;
        let proposal = json_text("matching_rounds.proposal", &round.proposal)?;
        self.write_transaction(async |conn| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO matching_rounds (program_id, status, fairness_weight, max_host_share_permille, seekers, \
                 hosts, proposal, created_by, created_at, solved_at) \
                 VALUES ($1, 'proposed', $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
            )
            .bind(round.program_id.0)
            .bind(i32::from(round.options.fairness_weight))
            .bind(round.options.max_host_share_permille.map(i32::from))
            .bind(&seekers)
            .bind(&hosts)
            .bind(&proposal)
            .bind(round.created_by.0)
            .bind(seconds(round.created_at))
            .fetch_one(&mut *conn)
            .await
            .map_err(write_error)?;
            fetch_round(conn, id).await?.ok_or(StoreError::NotFound)
        })
        .await
    }

    async fn round(&self, id: RoundId) -> Result<Option<RoundRecord>> {
        let mut conn = self.pool.acquire().await?;
        fetch_round(&mut conn, id.0).await
    }

    async fn rounds_of(&self, program: ProgramId) -> Result<Vec<RoundRecord>> {
        let rows = sqlx::query_as::<_, RoundRow>(concat!(
            "SELECT ",
            round_columns!(),
            " FROM matching_rounds WHERE program_id = $1 ORDER BY id DESC"
        ))
        .bind(program.0)
        .fetch_all(&self.pool)
        .await?;
        let constraints = sqlx::query_as::<_, ConstraintRow>(
            "SELECT c.round_id, c.seeker_id, c.host_id, c.kind FROM round_constraints c \
             JOIN matching_rounds r ON r.id = c.round_id WHERE r.program_id = $1 \
             ORDER BY c.round_id, c.seeker_id, c.host_id",
        )
        .bind(program.0)
        .fetch_all(&self.pool)
        .await?;
        rounds_with_constraints(rows, constraints)
    }

    async fn set_round_constraint(
        &self,
        round: RoundId,
        seeker: AccountId,
        host: AccountId,
        kind: Option<ConstraintKind>,
        at: Timestamp,
    ) -> Result<i64> {
        self.write_transaction(async |conn| {
            let (status, _, _) = round_state(conn, round.0).await?;
            if status != RoundStatus::Proposed.as_str() {
                return Err(StoreError::Conflict(Conflict::StateChanged));
            }
            match kind {
                Some(kind) => {
                    sqlx::query(
                        "INSERT INTO round_constraints (round_id, seeker_id, host_id, kind, created_at) \
                         VALUES ($1, $2, $3, $4, $5) \
                         ON CONFLICT (round_id, seeker_id, host_id) DO UPDATE SET kind = excluded.kind, \
                         created_at = excluded.created_at",
                    )
                    .bind(round.0)
                    .bind(seeker.0)
                    .bind(host.0)
                    .bind(kind.as_str())
                    .bind(seconds(at))
                    .execute(&mut *conn)
                    .await
                    .map_err(write_error)?;
                }
                None => {
                    sqlx::query(
                        "DELETE FROM round_constraints WHERE round_id = $1 AND seeker_id = $2 AND host_id = $3",
                    )
                    .bind(round.0)
                    .bind(seeker.0)
                    .bind(host.0)
                    .execute(&mut *conn)
                    .await?;
                }
            }
            let version: i32 = sqlx::query_scalar(
                "UPDATE matching_rounds SET constraint_version = constraint_version + 1 WHERE id = $1 \
                 RETURNING constraint_version",
            )
            .bind(round.0)
            .fetch_one(&mut *conn)
            .await?;
            Ok(i64::from(version))
        })
        .await
    }

    async fn save_round_proposal(
        &self,
        round: RoundId,
        proposal: &RoundProposal,
        solved_version: i64,
        at: Timestamp,
    ) -> Result<()> {
        let proposal = json_text("matching_rounds.proposal", proposal)?;
        let solved_version = i32::try_from(solved_version).map_err(|_| StoreError::Conflict(Conflict::StateChanged))?;
        self.write_transaction(async |conn| {
            let (status, _, _) = round_state(conn, round.0).await?;
            if status != RoundStatus::Proposed.as_str() {
                return Err(StoreError::Conflict(Conflict::StateChanged));
            }
            sqlx::query("UPDATE matching_rounds SET proposal = $2, solved_version = $3, solved_at = $4 WHERE id = $1")
                .bind(round.0)
                .bind(&proposal)
                .bind(solved_version)
                .bind(seconds(at))
                .execute(&mut *conn)
                .await
                .map_err(write_error)?;
            Ok(())
        })
        .await
    }

    async fn publish_round(&self, round: RoundId, at: Timestamp) -> Result<()> {
        self.write_transaction(async |conn| {
            let (status, constraint_version, solved_version) = round_state(conn, round.0).await?;
            if status != RoundStatus::Proposed.as_str() || constraint_version != solved_version {
                return Err(StoreError::Conflict(Conflict::StateChanged));
            }
            sqlx::query("UPDATE matching_rounds SET status = 'published', published_at = $2 WHERE id = $1")
                .bind(round.0)
                .bind(seconds(at))
                .execute(&mut *conn)
                .await?;
            Ok(())
        })
        .await
    }

    async fn record_round_requests(&self, round: RoundId, requests: &[RequestId]) -> Result<()> {
        let requests = json_text("matching_rounds.published_requests", &requests)?;
        let done = sqlx::query("UPDATE matching_rounds SET published_requests = $2 WHERE id = $1")
            .bind(round.0)
            .bind(&requests)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}
