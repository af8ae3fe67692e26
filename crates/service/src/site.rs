//! Where the site is reached and its secret key: what the links in emails and the private calendar feed URLs
//! are built from.
//!
//! The secret key never touches the database. Feed tokens are derived from it (HMAC-SHA256 over the account
//! and a random per-feed nonce), so the owner can be shown their feed URL again while the database keeps only
//! the token's SHA-256: a copy of the database alone cannot rebuild a working URL.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac as _};
use rand::RngCore as _;
use sha2::Sha256;

/// Bytes of key material; HMAC-SHA256 gains nothing from more.
const KEY_BYTES: usize = 32;

/// The server's secret key. Its `Debug` output never shows the key.
#[derive(Clone)]
pub struct SecretKey([u8; KEY_BYTES]);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

impl SecretKey {
    /// A fresh random key (tests, and a first start that has to create its key file).
    pub fn random() -> Self {
        let mut key = [0u8; KEY_BYTES];
        rand::rng().fill_bytes(&mut key);
        Self(key)
    }

    /// The key written as text: base64url without padding, as [`SecretKey::parse`] reads it.
    pub fn to_text(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0)
    }

    /// Reads a key written by [`SecretKey::to_text`] (surrounding whitespace ignored).
    ///
    /// # Errors
    /// A message when the text is not base64url or does not hold exactly 32 bytes.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bytes = URL_SAFE_NO_PAD
            .decode(text.trim())
            .map_err(|_| "the secret key must be base64url text (as `coffeechat` writes it)".to_owned())?;
        let key: [u8; KEY_BYTES] = bytes
            .try_into()
            .map_err(|bytes: Vec<u8>| format!("the secret key must hold {KEY_BYTES} bytes, not {}", bytes.len()))?;
        Ok(Self(key))
    }

    /// HMAC-SHA256 of `message` under this key, base64url: a token nobody without the key can compute.
    pub(crate) fn sign(&self, message: &str) -> String {
        // HMAC accepts keys of any length, so this never fails; the fallback keeps the signature total.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            return String::new();
        };
        mac.update(message.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }
}

/// How the site is reached and signs its feed URLs.
#[derive(Debug, Clone)]
pub struct SiteSettings {
    /// The address users reach the site at, without a trailing slash (`https://coffeechat.example`).
    pub public_url: String,
    pub secret_key: SecretKey,
}

impl SiteSettings {
    /// Settings for a site at `public_url` (a trailing slash is dropped).
    pub fn new(public_url: impl Into<String>, secret_key: SecretKey) -> Self {
        Self { public_url: public_url.into().trim_end_matches('/').to_owned(), secret_key }
    }

    /// The local default: `http://127.0.0.1:8080` and a key that lives as long as the process.
    pub fn local() -> Self {
        Self::new("http://127.0.0.1:8080", SecretKey::random())
    }

    /// An absolute link to `path` (which starts with `/`).
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_text_and_never_show_in_debug() {
        let key = SecretKey::random();
        let again = SecretKey::parse(&format!("  {}\n", key.to_text())).unwrap();
        assert_eq!(again.0, key.0);
        assert_eq!(format!("{key:?}"), "SecretKey(…)");
        assert!(SecretKey::parse("not base64!").is_err());
        assert!(SecretKey::parse(&URL_SAFE_NO_PAD.encode([1u8; 16])).unwrap_err().contains("32 bytes"));
    }

    #[test]
    fn signatures_depend_on_key_and_message() {
        let key = SecretKey::parse(&URL_SAFE_NO_PAD.encode([7u8; 32])).unwrap();
        let other = SecretKey::parse(&URL_SAFE_NO_PAD.encode([8u8; 32])).unwrap();
        assert_eq!(key.sign("feed:1:abc"), key.sign("feed:1:abc"));
        assert_ne!(key.sign("feed:1:abc"), key.sign("feed:2:abc"));
        assert_ne!(key.sign("feed:1:abc"), other.sign("feed:1:abc"));
        assert_eq!(key.sign("x").len(), 43, "256 bits in base64url");
    }

    #[test]
    fn links_are_absolute_without_a_double_slash() {
        let site = SiteSettings::new("https://coffeechat.example/", SecretKey::random());
        assert_eq!(site.link("/interviews/4"), "https://coffeechat.example/interviews/4");
    }
}
