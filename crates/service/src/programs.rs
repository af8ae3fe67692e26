//! Programs: an employer, a career centre or an agency creates one (and is its admin), invites hosts and seekers
//! with a link, and runs matching rounds (see `rounds`).
//!
//! Visibility: a program exists, as far as anyone can tell, only for its members; anyone else gets "not found".
//! Members see who else takes part; only admins see rounds and make invitation links ("forbidden" for members).

use coffeechat_domain::{NewProgramInput, ProgramId, ProgramRole};
use coffeechat_store::{
    NewProgramInvitation, NewProgramRecord, ProgramInvitation, ProgramMember, ProgramMembership, ProgramRecord,
    RoundRecord,
};

use crate::link_token::{digest, new_token};
use crate::{Account, Result, ServiceError, Services};

/// A program as one of its members sees it.
#[derive(Debug, Clone)]
pub struct ProgramDetail {
    pub program: ProgramRecord,
    /// The caller's roles in it, sorted (admin first).
    pub my_roles: Vec<ProgramRole>,
    /// Every member in every role, by role then name.
    pub members: Vec<ProgramMember>,
    /// Newest first; empty unless the caller is an admin.
    pub rounds: Vec<RoundRecord>,
}

impl ProgramDetail {
    pub fn is_admin(&self) -> bool {
        self.my_roles.contains(&ProgramRole::Admin)
    }

    /// Members holding `role`.
    pub fn members_in(&self, role: ProgramRole) -> impl Iterator<Item = &ProgramMember> {
        self.members.iter().filter(move |member| member.role == role)
    }
}

/// What joining through a link did.
#[derive(Debug, Clone)]
pub struct Joined {
    pub program: ProgramRecord,
    /// The roles the link gave that the caller did not hold yet (empty: they were already in).
    pub added: Vec<ProgramRole>,
}

impl Services {
    /// Creates a program; the caller becomes its admin.
    ///
    /// # Errors
    /// [`ServiceError::Invalid`] naming `name` or `kind`.
    pub async fn create_program(&self, me: &Account, input: NewProgramInput) -> Result<ProgramRecord> {
        let program = input.validate()?;
        let record = self
            .store
            .create_program(&NewProgramRecord {
                name: program.name,
                kind: program.kind,
                created_by: me.id,
                created_at: self.now(),
            })
            .await?;
        tracing::info!(program = %record.id, "program created");
        Ok(record)
    }

    /// The programs the caller takes part in, newest first, with their roles.
    ///
    /// # Errors
    /// Only store failures.
    pub async fn my_programs(&self, me: &Account) -> Result<Vec<ProgramMembership>> {
        Ok(self.store.programs_of(me.id).await?)
    }

    /// A program, its members and (for admins) its rounds.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`]`("program")` unless the caller is a member.
    pub async fn program(&self, me: &Account, id: ProgramId) -> Result<ProgramDetail> {
        let (program, my_roles) = self.membership(me, id).await?;
        let members = self.store.program_members(id).await?;
        let rounds = if my_roles.contains(&ProgramRole::Admin) { self.store.rounds_of(id).await? } else { Vec::new() };
        Ok(ProgramDetail { program, my_roles, members, rounds })
    }

    /// Makes an invitation link (`{public url}/join/{token}`) giving `role` (`"host"`, `"seeker"`), or, when
    /// `role` is empty, the roles of whoever joins.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`] for non-members; [`ServiceError::Forbidden`] for members who are not admins;
    /// [`ServiceError::Invalid`] naming `role`.
    pub async fn create_program_invitation(&self, me: &Account, id: ProgramId, role: Option<&str>) -> Result<String> {
        let program = self.admin_program(me, id).await?;
        let role = match role.map(str::trim).filter(|role| !role.is_empty()) {
            None => None,
            Some(raw) => {
                Some(ProgramRole::parse_invited(raw).map_err(|message| ServiceError::invalid("role", message))?)
            }
        };
        let (token, token_hash) = new_token();
        self.store
            .create_program_invitation(&NewProgramInvitation {
                program_id: program.id,
                token_hash,
                role,
                created_by: me.id,
                created_at: self.now(),
            })
            .await?;
        Ok(self.site.link(&format!("/join/{token}")))
    }

    /// The invitation behind a link, for the join page (anyone holding the link may see which program it is).
    ///
    /// # Errors
    /// [`ServiceError::NotFound`]`("invitation")` for a token that is not one.
    pub async fn program_invitation(&self, token: &str) -> Result<ProgramInvitation> {
        self.store.program_invitation(&digest(token)).await?.ok_or(ServiceError::NotFound("invitation"))
    }

    /// Joins the program of an invitation link in the role it gives (or, for a link without one, in every role
    /// the caller's account has). Joining twice changes nothing.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`]`("invitation")` for an unknown token; [`ServiceError::Forbidden`] when the
    /// link is for hosts and the caller does not host (they can add the role in their account settings).
    pub async fn join_program(&self, me: &Account, token: &str) -> Result<Joined> {
        let invitation = self.program_invitation(token).await?;
        let roles: Vec<ProgramRole> = match invitation.role {
            Some(ProgramRole::Host) if !me.roles.host => {
                return Err(ServiceError::Forbidden(
                    "this link is for hosts: add the host role in your account settings, then open it again".into(),
                ));
            }
            Some(role) => vec![role],
            None => {
                let mut roles = Vec::new();
                if me.roles.host {
                    roles.push(ProgramRole::Host);
                }
                if me.roles.seeker {
                    roles.push(ProgramRole::Seeker);
                }
                roles
            }
        };
        let now = self.now();
        let mut added = Vec::new();
        for role in roles {
            if self.store.add_program_member(invitation.program.id, me.id, role, now).await? {
                added.push(role);
            }
        }
        tracing::info!(program = %invitation.program.id, roles = added.len(), "joined a program");
        Ok(Joined { program: invitation.program, added })
    }

    /// The program and the caller's roles in it.
    pub(crate) async fn membership(&self, me: &Account, id: ProgramId) -> Result<(ProgramRecord, Vec<ProgramRole>)> {
        let program = self.store.program(id).await?.ok_or(ServiceError::NotFound("program"))?;
        let roles = self
            .store
            .programs_of(me.id)
            .await?
            .into_iter()
            .find(|membership| membership.program.id == id)
            .map(|membership| membership.roles)
            .ok_or(ServiceError::NotFound("program"))?;
        Ok((program, roles))
    }

    /// The program, if the caller is one of its admins.
    pub(crate) async fn admin_program(&self, me: &Account, id: ProgramId) -> Result<ProgramRecord> {
        let (program, roles) = self.membership(me, id).await?;
        if !roles.contains(&ProgramRole::Admin) {
            return Err(ServiceError::Forbidden("only the program's admins can do this".into()));
        }
        Ok(program)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_only_their_digest_is_kept() {
        let (token, hash) = new_token();
        let (other, _) = new_token();
        assert_ne!(token, other);
        assert_eq!(hash, digest(&token));
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains(&token));
    }
}
