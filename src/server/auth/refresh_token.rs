//! Opaque refresh tokens: 256 random bits shown once to the client, stored only as SHA-256.

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
}
