//! Opaque refresh tokens: 256 random bits shown once to the client, stored only as SHA-256.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::server::secret::Secret;

pub struct NewRefreshToken {
    pub token: Secret,
    pub hash: [u8; 32],
}

pub fn generate() -> NewRefreshToken {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let hash = digest(&token);
    NewRefreshToken {
        token: Secret::new(token),
        hash,
    }
}

/// The token that replaces `old` when it is rotated: HMAC-SHA256 of the old token under the
/// server's key, so that presenting `old` again within the grace period yields the same
/// successor without storing any token in plain text. Only the server can compute it.
pub fn successor(server_key: &str, old: &str) -> NewRefreshToken {
    // A key of its own, derived from the server key under a label, so that no MAC made with
    // the server key for another purpose (access tokens) can ever be a successor.
    let derived = mac(server_key.as_bytes(), b"inti refresh-token successor key");
    let token = hex::encode(mac(&derived, old.as_bytes()));
    let hash = digest(&token);
    NewRefreshToken {
        token: Secret::new(token),
        hash,
    }
}

fn mac(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(message);
    mac.finalize().into_bytes().into()
}

pub fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hash_consistently() {
        let a = generate();
        let b = generate();
        assert_ne!(a.token.expose(), b.token.expose());
        assert_eq!(a.token.expose().len(), 64);
        assert_eq!(digest(a.token.expose()), a.hash);
    }

    #[test]
    fn successors_are_stable_per_key_and_token() {
        let a = successor("key-one", "token");
        assert_eq!(
            a.token.expose(),
            successor("key-one", "token").token.expose()
        );
        assert_ne!(
            a.token.expose(),
            successor("key-two", "token").token.expose()
        );
        assert_ne!(
            a.token.expose(),
            successor("key-one", "token2").token.expose()
        );
        assert_eq!(a.token.expose().len(), 64);
        assert_eq!(digest(a.token.expose()), a.hash);
    }
}
