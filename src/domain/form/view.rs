//! What the forms' server functions answer.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{schema::FormSchema, validate::FieldError, values::Pairs};

/// A form as its page renders it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormView {
    pub service: String,
    pub title: String,
    pub description: Option<String>,
    pub schema: FormSchema,
    pub version: i32,
    /// What the inputs start with: the fields' defaults, the tenant's `formDefaults`, or
    /// what was entered before a failed post without JavaScript.
    pub initial: Pairs,
    /// Why this user cannot submit (a missing permission, maintenance), when they cannot.
    pub blocked: Option<String>,
    /// The outcome of this user's last post of this form without JavaScript, shown once.
    pub outcome: Option<Submitted>,
    /// This user's latest submissions kept by Inti (services without a handler of their own).
    pub recent: Vec<SubmissionView>,
}

/// What a submission answers: errors (nothing was sent), or what the target said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Submitted {
    pub errors: Vec<FieldError>,
    pub message: Option<String>,
    /// The target's reference for what was created, when it gives one.
    pub reference: Option<String>,
    /// The version the values were checked against; when it is newer than the one the form
    /// was rendered with, `schema` carries it and the page swaps it in.
    pub version: i32,
    pub schema: Option<FormSchema>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmissionView {
    pub id: String,
    pub version: i32,
    pub values: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

/// The form builder's view of a service's form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuilderView {
    pub service: String,
    pub title: String,
    pub schema: Option<FormSchema>,
    pub version: i32,
    pub versions: Vec<FormVersionView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormVersionView {
    pub version: i32,
    pub note: Option<String>,
    pub author: String,
    pub restored_from: Option<i32>,
    pub created_at: DateTime<Utc>,
}
