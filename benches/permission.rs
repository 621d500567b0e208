//! Cost of a permission check: `cargo bench --bench permission`.
//! A plain timing loop (no extra benchmark framework to build); prints nanoseconds per check.

use std::{hint::black_box, time::Instant};

use inti::domain::permission::{Permission, PermissionSet};

fn main() {
    let granted = PermissionSet::from_strings([
        "tenant:read",
        "tenant:update",
        "user:manage",
        "user:read",
        "role:manage",
        "role:read",
        "service:read",
        "menu:read",
        "menu:create",
        "menu:update",
        "audit:read",
        "dashboard:view",
    ]);
    let hit: Permission = "menu:update".parse().unwrap();
    let miss: Permission = "task:delete:own".parse().unwrap();
    for (label, required) in [("last grant matches", &hit), ("no grant matches", &miss)] {
        let iterations = 5_000_000u32;
        let start = Instant::now();
        for _ in 0..iterations {
            black_box(black_box(&granted).covers(black_box(required)));
        }
        let per = start.elapsed().as_nanos() as f64 / f64::from(iterations);
        println!("permission check, 12 grants, {label}: {per:.1} ns");
    }
    let iterations = 1_000_000u32;
    let start = Instant::now();
    for _ in 0..iterations {
        black_box(black_box("task:read:own").parse::<Permission>().ok());
    }
    let per = start.elapsed().as_nanos() as f64 / f64::from(iterations);
    println!("parse one permission: {per:.1} ns");
}
