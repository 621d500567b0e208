//! The machine's pure argon2id verification rate with Inti's parameters, one thread per core:
//! the ceiling for logins per second. `scripts/bench.sh` prints it beside the measured login
//! rate. Two figures: the crate's `verify_password` (allocates and zeroes 19 MiB per call)
//! and Inti's own `verify_blocking` (the same computation in memory each thread allocates
//! once, what a login runs); the login rate is compared with the higher one.

use std::time::Instant;

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};
use inti::server::auth::password;

const PASSWORD: &[u8] = b"correct horse battery staple";
const PER_THREAD: usize = 100;

fn rate(cores: usize, verify: impl Fn() + Sync) -> f64 {
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..cores {
            s.spawn(|| (0..PER_THREAD).for_each(|_| verify()));
        }
    });
    (cores * PER_THREAD) as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP parameters");
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let salt = SaltString::generate(&mut OsRng);
    let hash = argon.hash_password(PASSWORD, &salt).expect("hashing");
    let stored = hash.to_string();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());

    let allocating = rate(cores, || {
        let parsed = PasswordHash::new(&stored).expect("a PHC string");
        argon.verify_password(PASSWORD, &parsed).expect("verifies");
    });
    println!(
        "argon2id verifications per second on {cores} cores (verify_password): {allocating:.1}"
    );

    // What a login runs: parsing, the recomputation in reused memory, the comparison.
    let reusing = rate(cores, || {
        assert!(password::verify_blocking(PASSWORD, &stored), "verifies");
    });
    println!("argon2id verifications per second on {cores} cores (memory reused): {reusing:.1}");
}
