//! A seeker's matching profile (what recommendations and program rounds read), and a host's background (earlier
//! roles, languages, region, seniority) beside their public profile.

use coffeechat_domain::{
    FieldErrors, HostBackground, HostBackgroundInput, HostProfile, HostProfileInput, Role, SeekerProfile,
    SeekerProfileInput,
};

use crate::hosts::require_host;
use crate::{Account, Result, ServiceError, Services};

pub(crate) fn require_seeker(me: &Account) -> Result<()> {
    if me.roles.has(Role::Seeker) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden("only seekers have a seeker profile; add the seeker role in your account".into()))
    }
}

impl Services {
    /// The caller's seeker profile, if they have saved one.
    ///
    /// # Errors
    /// [`ServiceError::Forbidden`] unless the caller is a seeker.
    pub async fn seeker_profile(&self, me: &Account) -> Result<Option<SeekerProfile>> {
        require_seeker(me)?;
        Ok(self.store.seeker_profile(me.id).await?)
    }

    /// Saves the caller's seeker profile.
    ///
    /// # Errors
    /// [`ServiceError::Forbidden`] unless the caller is a seeker; [`ServiceError::Invalid`] naming each bad field
    /// (`target_roles` also when neither a target role nor a target industry is given).
    pub async fn put_seeker_profile(&self, me: &Account, input: SeekerProfileInput) -> Result<SeekerProfile> {
        require_seeker(me)?;
        let profile = input.validate()?;
        self.store.put_seeker_profile(me.id, &profile, self.now()).await?;
        Ok(profile)
    }

    /// A listed host's background as their public page shows it (empty when they have not filled it in).
    ///
    /// # Errors
    /// Only store failures.
    pub async fn public_background(&self, host: &crate::Host) -> Result<HostBackground> {
        self.read_to_show("host background", host.account_id.to_string(), async {
            Ok(self.store.host_background(host.account_id).await?.unwrap_or_default())
        })
        .await
    }

    /// The caller's background as a host (empty until they fill it in).
    ///
    /// # Errors
    /// [`ServiceError::Forbidden`] unless the caller is a host.
    pub async fn host_background(&self, me: &Account) -> Result<HostBackground> {
        require_host(me)?;
        Ok(self.store.host_background(me.id).await?.unwrap_or_default())
    }

    /// Saves the public profile and the background together: both are validated first, so a mistake in
    /// either writes neither, and every bad field of both is reported at once.
    ///
    /// # Errors
    /// [`ServiceError::Forbidden`] unless the caller is a host; [`ServiceError::Invalid`] naming each bad field
    /// of either (including `handle: "is already taken"`).
    pub async fn put_host_profile_with_background(
        &self,
        me: &Account,
        profile: HostProfileInput,
        background: HostBackgroundInput,
    ) -> Result<(HostProfile, HostBackground)> {
        require_host(me)?;
        let (profile, background) = match (profile.validate(), background.validate()) {
            (Ok(profile), Ok(background)) => (profile, background),
            (profile, background) => {
                let mut errors = FieldErrors::new();
                for fields in [profile.err(), background.err()].into_iter().flatten() {
                    for (field, message) in fields.iter() {
                        errors.add(field, message);
                    }
                }
                return Err(ServiceError::Invalid(errors));
            }
        };
        self.store.put_host_profile(me.id, &profile).await?;
        self.store.put_host_background(me.id, &background).await?;
        Ok((profile, background))
    }
}
