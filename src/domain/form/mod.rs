//! Forms generated from schemas: the schema (`schema`), which fields a set of values shows
//! and requires (`rules`), the one validation function run in the browser and on the server
//! (`validate`), and the conversions between form posts, JSON values and inputs (`values`).
//! Compiles for the browser too.

pub mod edit;
pub mod rules;
pub mod schema;
pub mod validate;
pub mod values;
pub mod view;

#[cfg(test)]
mod tests;

pub use schema::*;
pub use validate::{validate, FieldError, PatternMatch, PATTERN_MISMATCH};
