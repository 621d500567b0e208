//! The machine's pure argon2id verification rate with Inti's parameters, one thread per core:
//! the ceiling for logins per second. `scripts/bench.sh` prints it beside the measured login
//! rate.

use std::time::Instant;

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};

fn main() {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP parameters");
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let salt = SaltString::generate(&mut OsRng);
    let hash = argon
        .hash_password(b"correct horse battery staple", &salt)
        .expect("hashing")
        .to_string();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let per_thread = 100;
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..cores {
            s.spawn(|| {
                let parsed = PasswordHash::new(&hash).expect("a PHC string");
                for _ in 0..per_thread {
                    argon
                        .verify_password(b"correct horse battery staple", &parsed)
                        .expect("verifies");
                }
            });
        }
    });
    let rate = (cores * per_thread) as f64 / start.elapsed().as_secs_f64();
    println!("argon2id verifications per second on {cores} cores: {rate:.1}");
}
