//! argon2id password hashing, run on the blocking pool so it never stalls the async threads,
//! and never more than one hash per core at a time: a flood of logins queues here (and, past
//! a bound, is refused at once with 503) instead of slowing every other request down.

use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc, LazyLock,
};

use tokio::sync::Semaphore;

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};

use crate::{domain::error::AppError, server::secret::Secret};

/// OWASP's minimum for argon2id: 19 MiB of memory, 2 iterations, 1 lane.
const MEMORY_KIB: u32 = 19 * 1024;
const ITERATIONS: u32 = 2;
const LANES: u32 = 1;

fn argon2() -> Argon2<'static> {
    // The constants above are valid parameters; `Params::new` only rejects out-of-range values.
    let params = Params::new(MEMORY_KIB, ITERATIONS, LANES, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash of a random password, verified when the email is unknown so that both paths
/// cost the same time.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let random = SaltString::generate(&mut OsRng);
    hash_blocking(random.as_str()).unwrap_or_default()
});

fn hash_blocking(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(argon2()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Hashes running at once: one per core.
static SLOTS: LazyLock<Arc<Semaphore>> = LazyLock::new(|| Arc::new(Semaphore::new(cores())));
/// Callers waiting for a slot.
static WAITING: AtomicUsize = AtomicUsize::new(0);
/// Waiting callers allowed per core before new ones are refused; at ~70 hashes per second per
/// core, the last in line waits about a quarter of a second.
const QUEUE_PER_CORE: usize = 16;

fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Counts a waiting caller for as long as it waits, even if its request is dropped.
struct Waiting;

impl Waiting {
    fn enter() -> Option<Self> {
        let before = WAITING.fetch_add(1, Ordering::SeqCst);
        if before >= cores() * QUEUE_PER_CORE {
            WAITING.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(Self)
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        WAITING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs `work` on the blocking pool once a slot is free; `Unavailable` (503) when the queue
/// is full.
async fn bounded<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let waiting = Waiting::enter().ok_or_else(|| {
        tracing::warn!("password hashing queue is full; refusing");
        AppError::Unavailable
    })?;
    let permit = SLOTS
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| AppError::Internal)?;
    drop(waiting);
    Ok(tokio::task::spawn_blocking(move || {
        let out = work();
        drop(permit);
        out
    })
    .await?)
}

pub async fn hash(password: &Secret) -> Result<String, AppError> {
    let password = password.clone();
    bounded(move || hash_blocking(password.expose()))
        .await?
        .map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            AppError::Internal
        })
}

/// Verifies `password` against `stored`, or against a dummy hash when there is no user.
pub async fn verify(password: &Secret, stored: Option<String>) -> Result<bool, AppError> {
    let password = password.clone();
    bounded(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.clone());
        let ok = PasswordHash::new(&stored)
            .map(|parsed| {
                argon2()
                    .verify_password(password.expose().as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        known && ok
    })
    .await
}

/// Hashes the dummy once at start-up, so the first unknown-email login is not faster.
pub fn warm_up() {
    LazyLock::force(&DUMMY_HASH);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_with_argon2id_owasp_parameters_and_verifies() {
        let pw = Secret::new("correct horse battery staple");
        let hash = hash(&pw).await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify(&pw, Some(hash.clone())).await.unwrap());
        assert!(!verify(&Secret::new("wrong"), Some(hash)).await.unwrap());
    }

    #[tokio::test]
    async fn unknown_user_never_verifies() {
        assert!(!verify(&Secret::new("anything"), None).await.unwrap());
        assert!(!verify(&Secret::new("x"), Some("not a phc string".into()))
            .await
            .unwrap());
    }
}
