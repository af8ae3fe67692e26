//! Accounts and authentication: sign-up, password login, and API bearer tokens.
//!
//! Passwords are hashed with argon2id. Hashing is deliberately slow, so it runs on tokio's blocking
//! pool rather than on the async worker that serves other requests. Bearer tokens are random and only
//! their SHA-256 is stored: a leaked database does not leak usable tokens, and since tokens carry 256
//! bits of entropy a fast hash is enough (unlike passwords).

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use coffeechat_domain::{AccountId, AccountName, Email, FieldErrors, Password, Roles, TimeZoneName};
use coffeechat_store::{AccountUpdate, NewAccount};
use rand::RngCore as _;
use sha2::{Digest as _, Sha256};

use crate::{Account, AccountSettingsInput, Result, ServiceError, Services, SignUpInput};

/// An argon2id hash (default parameters) of a password nobody knows. Logging in with an unknown email
/// verifies against it, so the answer takes as long as for a known email and timing does not reveal
/// which addresses have accounts.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$hzAPVZSUwsgTI8YVHJpeQQ$qrqTDDFH2RrmDBD0xsy0A2xz9UBTt4mm0n46reKvGls";

/// Hashes a password with argon2id (default parameters, fresh random salt) into a PHC string.
///
/// Public so the demo loader can hash one password once for all its accounts.
///
/// # Errors
/// [`ServiceError::Store`] (internal) when the system's random source fails.
pub fn hash_password(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|error| ServiceError::internal(format_args!("hashing a password: {error}")))
}

/// Whether `password` matches the PHC string `hash`.
fn password_matches(password: &str, hash: &str) -> Result<bool> {
    match Argon2::default().verify_password(password.as_bytes(), hash) {
        Ok(()) => Ok(true),
        Err(argon2::password_hash::Error::PasswordInvalid) => Ok(false),
        Err(error) => Err(ServiceError::internal(format_args!("stored password hash is unusable: {error}"))),
    }
}

/// Runs CPU-heavy work off the async workers.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| ServiceError::internal(format_args!("password worker failed: {error}")))?
}

/// SHA-256 of a bearer token, in lower-case hex: what the store keeps.
fn token_digest(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

impl Services {
    /// Changes the caller's name, time zone and roles. Roles can be added (a seeker becomes a host too) but
    /// not taken away here: a host role may have requests and interviews hanging on it.
    ///
    /// # Errors
    /// [`ServiceError::Invalid`] naming `name`, `time_zone` or `roles`.
    pub async fn update_account(&self, me: &Account, input: AccountSettingsInput) -> Result<Account> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", AccountName::parse(&input.name));
        let time_zone = errors.check("time_zone", TimeZoneName::parse(&input.time_zone));
        let roles = errors.check("roles", Roles::parse(&input.roles)).and_then(|roles| {
            let keeps_every_role = (roles.host || !me.roles.host) && (roles.seeker || !me.roles.seeker);
            let message = "roles can be added here, not removed";
            if keeps_every_role { Some(roles) } else { errors.check("roles", Err(message.to_owned())) }
        });
        let (Some(name), Some(time_zone), Some(roles)) = (name, time_zone, roles) else {
            return Err(ServiceError::Invalid(errors));
        };
        let update = AccountUpdate { name: name.as_str().to_owned(), roles, time_zone };
        Ok(self.store.update_account(me.id, &update).await?)
    }

    /// Creates an account.
    ///
    /// # Errors
    /// [`ServiceError::Invalid`] naming each bad field (`email`, `password`, `name`, `roles`, `time_zone`),
    /// including `email: "is already taken"`.
    pub async fn sign_up(&self, input: SignUpInput) -> Result<Account> {
        let mut errors = FieldErrors::new();
        let email = errors.check("email", Email::parse(&input.email));
        let password = errors.check("password", Password::parse(&input.password));
        let name = errors.check("name", AccountName::parse(&input.name));
        let roles = errors.check("roles", Roles::parse(&input.roles));
        let time_zone = errors.check("time_zone", TimeZoneName::parse(&input.time_zone));
        let (Some(email), Some(password), Some(name), Some(roles), Some(time_zone)) =
            (email, password, name, roles, time_zone)
        else {
            return Err(ServiceError::Invalid(errors));
        };
        let password_hash = blocking(move || hash_password(password.expose())).await?;
        let account = self
            .store
            .create_account(NewAccount { email, name: name.as_str().to_owned(), roles, time_zone, password_hash })
            .await?;
        tracing::info!(account = %account.id, "account created");
        Ok(account)
    }

    /// The account whose email and password these are.
    ///
    /// # Errors
    /// [`ServiceError::Unauthorized`] when the email is unknown or malformed, or the password is wrong;
    /// the three cases take the same time and give the same answer.
    pub async fn log_in(&self, email: &str, password: &str) -> Result<Account> {
        let credentials = match Email::parse(email) {
            Ok(email) => self.store.credentials(&email).await?,
            Err(_) => None,
        };
        let (account, hash) = match credentials {
            Some((account, hash)) => (Some(account), hash),
            None => (None, DUMMY_HASH.to_owned()),
        };
        let password = password.to_owned();
        let matches = blocking(move || password_matches(&password, &hash)).await?;
        match account {
            Some(account) if matches => Ok(account),
            _ => Err(ServiceError::Unauthorized),
        }
    }

    /// Checks credentials, creates a random 32-byte token (base64url, no padding), stores its SHA-256 hex,
    /// and returns the token. It is shown once; only its digest is kept.
    ///
    /// # Errors
    /// [`ServiceError::Unauthorized`] as for [`Services::log_in`].
    pub async fn issue_api_token(&self, email: &str, password: &str) -> Result<String> {
        let account = self.log_in(email, password).await?;
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let token = URL_SAFE_NO_PAD.encode(bytes);
        self.store.create_api_token(account.id, &token_digest(&token)).await?;
        Ok(token)
    }

    /// The account a bearer token belongs to, or `None` for an unknown (or empty) token.
    ///
    /// # Errors
    /// Only store failures.
    pub async fn account_for_token(&self, token: &str) -> Result<Option<Account>> {
        let token = token.trim();
        if token.is_empty() {
            return Ok(None);
        }
        Ok(self.store.account_by_api_token(&token_digest(token)).await?)
    }

    /// An account by id (e.g. the one a browser session names).
    ///
    /// # Errors
    /// Only store failures.
    pub async fn account(&self, id: AccountId) -> Result<Option<Account>> {
        Ok(self.store.account(id).await?)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use argon2::PasswordHash;

    use super::*;

    #[test]
    fn hashes_verify_and_are_salted() {
        let first = hash_password("correct horse").unwrap();
        let second = hash_password("correct horse").unwrap();
        assert!(first.starts_with("$argon2id$"));
        assert_ne!(first, second, "each hash has its own salt");
        assert!(password_matches("correct horse", &first).unwrap());
        assert!(!password_matches("wrong horse", &first).unwrap());
        assert!(password_matches("x", "not a phc string").is_err());
    }

    #[test]
    fn the_dummy_hash_costs_what_a_real_one_does() {
        let dummy = PasswordHash::new(DUMMY_HASH).unwrap();
        let real_text = hash_password("anything").unwrap();
        let real = PasswordHash::new(&real_text).unwrap();
        assert_eq!(dummy.algorithm, real.algorithm);
        assert_eq!(dummy.params, real.params);
        assert!(!password_matches("anything", DUMMY_HASH).unwrap());
    }

    #[test]
    fn token_digests_are_sha256_hex() {
        assert_eq!(token_digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
