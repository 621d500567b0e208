//! The machine's pure argon2id verification rate with Inti's parameters, one thread per core:
//! the ceiling for logins per second. `scripts/bench.sh` prints it beside the measured login
//! rate. Two figures: the crate's `verify_password` (allocates and zeroes 19 MiB per call)
//! and the same computation in memory each thread allocates once (what Inti does); the
//! login rate is compared with the higher one.

use std::time::Instant;

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Block, Params, Version,
};

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
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
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

    let expected = hash.hash.expect("an output");
    let mut salt_bytes = [0u8; 64];
    let salt = salt.decode_b64(&mut salt_bytes).expect("a salt");
    thread_local! {
        static MEMORY: std::cell::RefCell<Vec<Block>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let reusing = rate(cores, || {
        let mut out = [0u8; 32];
        MEMORY.with_borrow_mut(|memory| {
            memory.resize(params.block_count(), Block::default());
            argon
                .hash_password_into_with_memory(PASSWORD, salt, &mut out, &mut memory[..])
                .expect("hashes");
        });
        assert_eq!(out, expected.as_bytes(), "verifies");
    });
    println!("argon2id verifications per second on {cores} cores (memory reused): {reusing:.1}");
}
