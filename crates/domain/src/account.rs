//! Accounts: who a user is and which sides of a conversation they take.

use std::fmt;

use crate::validation::required_text;

/// A syntactically plausible email address, trimmed and lower-cased.
#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// # Errors
    /// A message when the address is empty, too long, or not of the form `local@domain.tld`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err("is required".into());
        }
        if email.len() > 254 {
            return Err("must be at most 254 characters".into());
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err("must look like name@example.org".into());
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty() && local.len() <= 64 && !local.chars().any(|c| c.is_whitespace() || c == '@');
        if !domain_ok || !local_ok {
            return Err("must look like name@example.org".into());
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({})", self.0)
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password as typed at sign-up; never stored, only hashed.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub const MIN_LEN: usize = 8;
    pub const MAX_LEN: usize = 128;

    /// # Errors
    /// A message when the password is shorter than 8 or longer than 128 characters.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let len = raw.chars().count();
        if len < Self::MIN_LEN {
            return Err(format!("must be at least {} characters", Self::MIN_LEN));
        }
        if len > Self::MAX_LEN {
            return Err(format!("must be at most {} characters", Self::MAX_LEN));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A person's display name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct AccountName(String);

impl AccountName {
    /// # Errors
    /// A message when the name is blank or longer than 100 characters.
    pub fn parse(raw: &str) -> Result<Self, String> {
        required_text(raw, 100).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A side a user can take: giving conversations (host) or asking for them (seeker).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Host,
    Seeker,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Host => "host",
            Role::Seeker => "seeker",
        }
    }

    /// # Errors
    /// A message naming the unknown role.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "host" => Ok(Role::Host),
            "seeker" => Ok(Role::Seeker),
            other => Err(format!("'{other}' is not a role; use host or seeker")),
        }
    }
}

/// The non-empty set of roles of one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Roles {
    pub host: bool,
    pub seeker: bool,
}

impl Roles {
    /// # Errors
    /// A message when no role, or an unknown one, is given.
    pub fn parse<S: AsRef<str>>(raw: &[S]) -> Result<Self, String> {
        let mut roles = Roles { host: false, seeker: false };
        for role in raw {
            match Role::parse(role.as_ref())? {
                Role::Host => roles.host = true,
                Role::Seeker => roles.seeker = true,
            }
        }
        if !roles.host && !roles.seeker {
            return Err("choose at least one role: host or seeker".into());
        }
        Ok(roles)
    }

    pub fn has(self, role: Role) -> bool {
        match role {
            Role::Host => self.host,
            Role::Seeker => self.seeker,
        }
    }

    pub fn to_vec(self) -> Vec<Role> {
        let mut out = Vec::new();
        if self.host {
            out.push(Role::Host);
        }
        if self.seeker {
            out.push(Role::Seeker);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised() {
        assert_eq!(Email::parse("  Ada@Example.ORG").unwrap().as_str(), "ada@example.org");
    }

    #[test]
    fn malformed_emails_are_rejected() {
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.org",
            "ada@example",
            "ada@@example.org",
            "a da@example.org",
            "ada@exa mple.org",
            "ada@.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn passwords_have_bounds() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse("long enough").is_ok());
        assert!(Password::parse(&"x".repeat(129)).is_err());
        assert_eq!(format!("{:?}", Password::parse("secret123").unwrap()), "Password(***)");
    }

    #[test]
    fn roles_need_one_known_role() {
        assert!(Roles::parse::<&str>(&[]).is_err());
        assert!(Roles::parse(&["admin"]).unwrap_err().contains("admin"));
        let both = Roles::parse(&["host", "Seeker"]).unwrap();
        assert!(both.has(Role::Host) && both.has(Role::Seeker));
        assert_eq!(both.to_vec(), vec![Role::Host, Role::Seeker]);
    }
}
