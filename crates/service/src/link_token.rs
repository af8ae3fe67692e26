//! Secrets carried in links (single-purpose reschedule/cancel links, calendar feeds, program invitations): a
//! random token is sent once and only its digest is stored, so a database leak gives no working link.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;
use sha2::{Digest as _, Sha256};

/// A random 256-bit token (base64url) and its SHA-256 in lower-case hex: what is sent and what is stored.
pub(crate) fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = digest(&token);
    (token, hash)
}

/// SHA-256 of a token in lower-case hex. Tokens carry 256 bits of entropy, so a fast hash is enough.
pub(crate) fn digest(token: &str) -> String {
    Sha256::digest(token.trim().as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_only_their_digest_is_kept() {
        let (first, first_hash) = new_token();
        let (second, _) = new_token();
        assert_ne!(first, second);
        assert_eq!(first.len(), 43, "256 bits in base64url");
        assert_eq!(first_hash, digest(&first));
        assert_eq!(first_hash.len(), 64);
        assert!(!first_hash.contains(&first));
        // The well-known SHA-256 of "abc"; surrounding whitespace from a pasted link is ignored.
        assert_eq!(digest(" abc\n"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
