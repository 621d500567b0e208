//! Secrets at rest (external services' API keys): XChaCha20-Poly1305 under keys from
//! configuration (`secrets.keys`, `secrets.active_key`). A ciphertext is
//! `v1:<key id>:` + 24-byte random nonce + sealed bytes, sealed with associated data that
//! names its row and column, so it cannot be moved to another row. The active key encrypts;
//! any listed key decrypts, so keys rotate: `inti rotate-secrets` re-encrypts every secret
//! under the active key, after which the old key can be removed.

use chacha20poly1305::{
    aead::{Aead, KeyInit, Payload},
    XChaCha20Poly1305, XNonce,
};
use rand::RngCore;

use crate::domain::error::AppError;

const VERSION: &[u8] = b"v1:";
const NONCE_LEN: usize = 24;

pub struct Keyring {
    /// (id, cipher); the active key is `keys[active]`.
    keys: Vec<(String, XChaCha20Poly1305)>,
    active: usize,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|(id, _)| id.as_str()).collect();
        write!(
            f,
            "Keyring {{ keys: {ids:?}, active: {} }}",
            self.keys[self.active].0
        )
    }
}

impl Keyring {
    /// `keys` as (id, 32 key bytes), at least one; `active` is one of the ids (the
    /// configuration checks both; otherwise the first key seals).
    pub fn new(keys: &[(String, [u8; 32])], active: &str) -> Self {
        let active = keys.iter().position(|(id, _)| id == active).unwrap_or(0);
        Self {
            keys: keys
                .iter()
                .map(|(id, k)| (id.clone(), XChaCha20Poly1305::new(k.into())))
                .collect(),
            active,
        }
    }

    pub fn active_id(&self) -> &str {
        &self.keys[self.active].0
    }

    /// Seals `plaintext` for the place `aad` names (for example `services.api_key:<id>`).
    pub fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Result<Vec<u8>, AppError> {
        let (id, cipher) = &self.keys[self.active];
        let mut nonce = [0u8; NONCE_LEN];
        rand::thread_rng().fill_bytes(&mut nonce);
        let sealed = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            .map_err(|_| AppError::Internal)?;
        let mut out = Vec::with_capacity(VERSION.len() + id.len() + 1 + NONCE_LEN + sealed.len());
        out.extend_from_slice(VERSION);
        out.extend_from_slice(id.as_bytes());
        out.push(b':');
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Opens a ciphertext sealed for `aad` under any listed key. Fails for another row's
    /// ciphertext, a tampered one, or one whose key is no longer listed.
    pub fn open(&self, blob: &[u8], aad: &[u8]) -> Result<Vec<u8>, AppError> {
        let (id, rest) = split(blob).ok_or(AppError::Internal)?;
        let (_, cipher) = self
            .keys
            .iter()
            .find(|(k, _)| k.as_bytes() == id)
            .ok_or_else(|| {
                tracing::error!("a secret is sealed under a key that is no longer configured");
                AppError::Internal
            })?;
        if rest.len() < NONCE_LEN {
            return Err(AppError::Internal);
        }
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad })
            .map_err(|_| {
                tracing::error!("a secret failed to open (tampered, or moved from another row)");
                AppError::Internal
            })
    }

    /// Whether the blob is sealed under the active key (nothing to rotate).
    pub fn is_current(&self, blob: &[u8]) -> bool {
        split(blob).is_some_and(|(id, _)| id == self.active_id().as_bytes())
    }
}

fn split(blob: &[u8]) -> Option<(&[u8], &[u8])> {
    let rest = blob.strip_prefix(VERSION)?;
    let colon = rest.iter().position(|b| *b == b':')?;
    Some((&rest[..colon], &rest[colon + 1..]))
}

/// The associated data of a service's API key.
pub fn api_key_aad(service_id: uuid::Uuid) -> Vec<u8> {
    format!("services.api_key:{service_id}").into_bytes()
}

/// The associated data of a person's authenticator (TOTP) secret.
pub fn totp_secret_aad(user_id: uuid::Uuid) -> Vec<u8> {
    format!("user_totp.secret:{user_id}").into_bytes()
}

/// The associated data of a service's webhook secret.
pub fn webhook_secret_aad(service_id: uuid::Uuid) -> Vec<u8> {
    format!("services.webhook_secret:{service_id}").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(active: &str) -> Keyring {
        Keyring::new(
            &[("old".into(), [1u8; 32]), ("new".into(), [2u8; 32])],
            active,
        )
    }

    #[test]
    fn a_sealed_secret_opens_only_for_its_own_row() {
        let r = ring("new");
        let a = uuid::Uuid::new_v4();
        let blob = r.seal(b"sk-live-1234", &api_key_aad(a)).unwrap();
        assert!(!blob.windows(4).any(|w| w == b"1234"), "no clear text");
        assert_eq!(r.open(&blob, &api_key_aad(a)).unwrap(), b"sk-live-1234");
        assert!(r.open(&blob, &api_key_aad(uuid::Uuid::new_v4())).is_err());
        let mut tampered = blob.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(r.open(&tampered, &api_key_aad(a)).is_err());
    }

    #[test]
    fn rotation_reads_old_keys_and_writes_the_active_one() {
        let aad = api_key_aad(uuid::Uuid::new_v4());
        let sealed_old = ring("old").seal(b"k", &aad).unwrap();
        let r = ring("new");
        assert!(!r.is_current(&sealed_old));
        let resealed = r.seal(&r.open(&sealed_old, &aad).unwrap(), &aad).unwrap();
        assert!(r.is_current(&resealed));
        let only_new = Keyring::new(&[("new".into(), [2u8; 32])], "new");
        assert_eq!(only_new.open(&resealed, &aad).unwrap(), b"k");
        assert!(only_new.open(&sealed_old, &aad).is_err());
    }
}
