//! argon2id password hashing on a pool of its own: one thread per core, each at a lower
//! scheduling priority, fed by a bounded queue. A flood of logins queues here (and, past the
//! bound, is refused at once with 503) instead of slowing every other request down: the
//! async workers and the database get a core the moment they need one, and hashing has every
//! cycle they leave.

use std::{
    cell::RefCell,
    sync::{
        mpsc::{self, Receiver, SyncSender, TrySendError},
        LazyLock, Mutex,
    },
};

use tokio::sync::oneshot;

use argon2::{
    password_hash::{rand_core::OsRng, Output, PasswordHash, PasswordHasher, SaltString},
    Algorithm, Argon2, Block, Params, Version,
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

/// Jobs waiting allowed per core before new ones are refused; at ~50 hashes per second per
/// core, the last in line waits about a third of a second.
const QUEUE_PER_CORE: usize = 16;
/// Nice value of the hashing threads: below the async workers, PostgreSQL and Redis, so that
/// their short bursts preempt a hash instead of waiting behind it.
const HASHING_NICENESS: i32 = 10;

type Job = Box<dyn FnOnce() + Send>;

/// A fixed set of threads fed by a bounded queue.
struct Pool {
    queue: SyncSender<Job>,
}

impl Pool {
    /// `threads` workers (each running `setup` first) and room for `waiting` jobs.
    fn start(name: &str, threads: usize, waiting: usize, setup: fn()) -> Self {
        let (queue, rx) = mpsc::sync_channel::<Job>(waiting);
        let rx: &'static Mutex<Receiver<Job>> = Box::leak(Box::new(Mutex::new(rx)));
        for n in 0..threads {
            let spawned = std::thread::Builder::new()
                .name(format!("{name}-{n}"))
                .spawn(move || {
                    setup();
                    loop {
                        let job = rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
                        match job {
                            // A panicking job loses its answer (its caller gets an error),
                            // not the thread.
                            Ok(job) => {
                                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                            }
                            Err(_) => return,
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password hashing thread");
            }
        }
        Self { queue }
    }

    /// Runs `work` on the pool; `Unavailable` (503) at once when the queue is full. A job
    /// whose caller has gone (a dropped request) is skipped rather than run for nobody.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move || {
            if !tx.is_closed() {
                let _ = tx.send(work());
            }
        });
        self.queue.try_send(job).map_err(|e| match e {
            TrySendError::Full(_) => {
                tracing::warn!("password hashing queue is full; refusing");
                AppError::Unavailable
            }
            TrySendError::Disconnected(_) => AppError::Internal,
        })?;
        rx.await.map_err(|_| AppError::Internal)
    }
}

/// The hashing pool; its threads start with the first hash.
static POOL: LazyLock<Pool> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    Pool::start("inti-argon2", cores, cores * QUEUE_PER_CORE, lower_priority)
});

#[cfg(target_os = "linux")]
fn lower_priority() {
    // SAFETY: plain system calls on the calling thread; on Linux `setpriority` with a thread
    // id changes that thread only.
    let changed = unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, HASHING_NICENESS)
    };
    if changed != 0 {
        tracing::warn!("password hashing threads run at normal priority");
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

pub async fn hash(password: &Secret) -> Result<String, AppError> {
    let password = password.clone();
    POOL.run(move || hash_blocking(password.expose()))
        .await?
        .map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            AppError::Internal
        })
}

/// The stored hash of an account whose owner has not chosen a password yet (an invited
/// address): no password matches it. Not a PHC string, so no hash can ever equal it.
pub const UNSET: &str = "!unset";

/// Whether a stored hash is a real password (not `UNSET`).
pub fn is_set(stored: &str) -> bool {
    !stored.starts_with('!')
}

/// Verifies `password` against `stored`, or against a dummy hash when there is no user or no
/// password yet (the same work either way, so timing tells nothing).
pub async fn verify(password: &Secret, stored: Option<String>) -> Result<bool, AppError> {
    let password = password.clone();
    POOL.run(move || {
        let stored = stored.filter(|s| is_set(s));
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.clone());
        let ok = verify_blocking(password.expose().as_bytes(), &stored);
        known && ok
    })
    .await
}

/// The most a stored hash may cost (4 times today's memory, iterations and lanes): a hash
/// asking for more is refused rather than allowed to grow a hashing thread's memory or to
/// hold the thread for minutes.
const MAX_BLOCKS: usize = 4 * MEMORY_KIB as usize;
const MAX_ITERATIONS: u32 = 4 * ITERATIONS;
const MAX_LANES: u32 = 4 * LANES;

thread_local! {
    /// Each hashing thread's argon2 memory, allocated once. `verify_password` would allocate
    /// and zero 19 MiB per call (a tenth of a login's CPU); argon2 overwrites every block it
    /// reads, so reusing them is safe.
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Why a stored hash is not even tried.
#[derive(Debug, PartialEq, Eq)]
enum Refusal {
    /// Not a PHC string of argon2 with a salt and an output.
    Unreadable,
    /// Costs above the maximum.
    TooCostly,
}

/// A stored hash, parsed and checked, ready to be recomputed.
struct Stored {
    argon: Argon2<'static>,
    salt: [u8; 64],
    salt_len: usize,
    expected: Output,
    blocks: usize,
}

/// Parses `stored` the way `PasswordVerifier::verify_password` does (algorithm, version,
/// parameters and output length all come from the hash, so older hashes keep working after
/// the costs change), refusing costs above the maximum.
fn prepare(stored: &str) -> Result<Stored, Refusal> {
    let parsed = PasswordHash::new(stored).map_err(|_| Refusal::Unreadable)?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Err(Refusal::Unreadable);
    };
    let algorithm = Algorithm::try_from(parsed.algorithm).map_err(|_| Refusal::Unreadable)?;
    let params = Params::try_from(&parsed).map_err(|_| Refusal::Unreadable)?;
    let version = match parsed.version.map(Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return Err(Refusal::Unreadable),
    };
    let blocks = params.block_count();
    if blocks > MAX_BLOCKS || params.t_cost() > MAX_ITERATIONS || params.p_cost() > MAX_LANES {
        tracing::warn!(
            blocks,
            iterations = params.t_cost(),
            lanes = params.p_cost(),
            "a stored password hash asks for more than allowed"
        );
        return Err(Refusal::TooCostly);
    }
    let mut salt_bytes = [0u8; 64];
    let salt_len = salt
        .decode_b64(&mut salt_bytes)
        .map_err(|_| Refusal::Unreadable)?
        .len();
    Ok(Stored {
        argon: Argon2::new(algorithm, version, params),
        salt: salt_bytes,
        salt_len,
        expected,
        blocks,
    })
}

/// Whether `password` is the one `stored` was made from: `verify_password`'s computation in
/// this thread's reused memory, compared in constant time. Public for the argon2 rate
/// benchmark, which measures exactly what a login does.
#[doc(hidden)]
pub fn verify_blocking(password: &[u8], stored: &str) -> bool {
    let Ok(stored) = prepare(stored) else {
        return false;
    };
    let mut out = [0u8; Output::MAX_LENGTH];
    let out = &mut out[..stored.expected.len()];
    let blocks = stored.blocks;
    MEMORY.with_borrow_mut(|memory| {
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        stored
            .argon
            .hash_password_into_with_memory(
                password,
                &stored.salt[..stored.salt_len],
                out,
                &mut memory[..blocks],
            )
            .is_ok()
    }) && Output::new(out).is_ok_and(|computed| computed == stored.expected)
}

/// Hashes the dummy once at start-up, so the first unknown-email login is not faster.
pub fn warm_up() {
    LazyLock::force(&DUMMY_HASH);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With every thread busy and the queue full, the next job is refused at once (503)
    /// instead of waiting; the queued jobs still run, and a panicking job loses only its
    /// own answer.
    #[tokio::test]
    async fn a_full_queue_refuses_at_once_and_keeps_what_it_took() {
        let pool: &'static Pool = Box::leak(Box::new(Pool::start("test-pool", 1, 1, || {})));
        let (release, held) = std::sync::mpsc::channel::<()>();
        let busy = tokio::spawn(pool.run(move || held.recv().is_ok()));
        // The thread has taken the first job when the second can be queued behind it.
        let queued = loop {
            let attempt = tokio::spawn(pool.run(|| 2));
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            if !attempt.is_finished() {
                break attempt;
            }
        };
        let refused = tokio::time::timeout(std::time::Duration::from_secs(1), pool.run(|| 3))
            .await
            .expect("refused at once, not after a wait");
        assert!(matches!(refused, Err(AppError::Unavailable)), "{refused:?}");
        release.send(()).unwrap();
        assert!(busy.await.unwrap().unwrap());
        assert_eq!(queued.await.unwrap().unwrap(), 2);
        let panicked = pool.run(|| -> u8 { panic!("a bad job") }).await;
        assert!(matches!(panicked, Err(AppError::Internal)));
        assert_eq!(pool.run(|| 4).await.unwrap(), 4, "the thread survives");
    }

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

    #[test]
    fn reused_memory_verifies_like_the_crate_and_with_other_costs() {
        use argon2::password_hash::PasswordVerifier;
        // Hashes made with other costs, algorithms, versions and output lengths (older
        // settings) verify as the crate verifies them, twice on one thread's memory; a
        // wrong password does not.
        let cases = [
            (
                Algorithm::Argon2id,
                Version::V0x13,
                Params::new(8 * 1024, 3, 1, None),
            ),
            (
                Algorithm::Argon2id,
                Version::V0x10,
                Params::new(4 * 1024, 2, 2, None),
            ),
            (
                Algorithm::Argon2i,
                Version::V0x13,
                Params::new(4 * 1024, 2, 1, Some(64)),
            ),
            (
                Algorithm::Argon2d,
                Version::V0x13,
                Params::new(4 * 1024, 1, 1, Some(16)),
            ),
        ];
        for (algorithm, version, params) in cases {
            let other = Argon2::new(algorithm, version, params.unwrap());
            let salt = SaltString::generate(&mut OsRng);
            let stored = other.hash_password(b"s3cret", &salt).unwrap().to_string();
            let parsed = PasswordHash::new(&stored).unwrap();
            assert!(
                other.verify_password(b"s3cret", &parsed).is_ok(),
                "{stored}"
            );
            assert!(verify_blocking(b"s3cret", &stored), "{stored}");
            assert!(verify_blocking(b"s3cret", &stored), "{stored}");
            assert!(!verify_blocking(b"s3cret!", &stored), "{stored}");
        }
        let ours = hash_blocking("another one").unwrap();
        assert!(verify_blocking(b"another one", &ours));
    }

    #[test]
    fn a_tampered_output_is_computed_and_does_not_match() {
        let stored = hash_blocking("s3cret").unwrap();
        // A character in the middle of the output: still a readable hash, so the refusal
        // comes from the comparison, not from parsing.
        let at = stored.len() - 10;
        let swap = if &stored[at..=at] == "A" { "B" } else { "A" };
        let tampered = format!("{}{swap}{}", &stored[..at], &stored[at + 1..]);
        assert!(prepare(&tampered).is_ok(), "{tampered}");
        assert!(!verify_blocking(b"s3cret", &tampered));
    }

    #[test]
    fn costs_above_the_maximum_are_refused_before_hashing() {
        let stored = hash_blocking("s3cret").unwrap();
        assert!(prepare(&stored).is_ok());
        for (from, to) in [
            ("m=19456", "m=1048576"),
            ("t=2", "t=4294967295"),
            ("p=1", "p=16"),
        ] {
            let greedy = stored.replace(from, to);
            assert_eq!(prepare(&greedy).err(), Some(Refusal::TooCostly), "{greedy}");
            assert!(!verify_blocking(b"s3cret", &greedy));
        }
        assert_eq!(prepare("not a phc string").err(), Some(Refusal::Unreadable));
    }

    #[tokio::test]
    async fn unknown_user_never_verifies() {
        assert!(!verify(&Secret::new("anything"), None).await.unwrap());
        assert!(!verify(&Secret::new("x"), Some("not a phc string".into()))
            .await
            .unwrap());
    }
}
