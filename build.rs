//! The server embeds `migrations/` (`db::MIGRATIONS`): a new or changed migration must
//! rebuild the crate, which Cargo does not know by itself.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
