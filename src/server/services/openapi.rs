//! Importing a service from an OpenAPI document (`POST /api/v1/core/services/import`, and
//! the registry's Import page): the document is read as JSON or YAML, drafted into a
//! registration (`domain::service::openapi`), and checked the way `register` checks one,
//! without storing anything. The person importing edits the draft and registers it.

use serde_json::Value;

use crate::domain::permission::perm;
use crate::{
    domain::{
        command::decode,
        error::{AppError, Input},
        service::{
            command::RegisterService,
            openapi::{draft, ImportOpenApi, Preview, Problem},
        },
    },
    server::{auth::actor::Actor, services::registry, state::AppState},
};

/// The largest document read.
pub const MAX_DOCUMENT_BYTES: usize = 1024 * 1024;

/// Drafts a registration from `document` (platform `service:register`).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn preview(
    state: &AppState,
    actor: &Actor,
    body: Input<ImportOpenApi>,
) -> Result<Preview, AppError> {
    actor.require_platform(&perm::SERVICE_REGISTER)?;
    let body = body?;
    let doc = read(&body.document)?;
    let draft = draft(&doc)?;
    let checked = match decode::<RegisterService>(draft.service.clone()) {
        Ok(command) => registry::check_registration(state, command)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    let problem = match checked {
        Ok(_) => None,
        Err(e) => Some(Problem {
            field: e.field().map(str::to_string),
            message: e.user_message(),
        }),
    };
    Ok(Preview { draft, problem })
}

/// A document as JSON, or else as YAML (JSON is YAML too, but JSON's errors read better).
fn read(text: &str) -> Result<Value, AppError> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(AppError::validation(
            "document",
            format!("must be at most {} KB", MAX_DOCUMENT_BYTES / 1024),
        ));
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::validation("document", "is required"));
    }
    if text.starts_with('{') {
        return serde_json::from_str(text).map_err(|e| {
            AppError::validation(
                "document",
                format!(
                    "is not valid JSON (line {}, column {})",
                    e.line(),
                    e.column()
                ),
            )
        });
    }
    let value: Value = serde_yaml::from_str(text).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!(" (line {}, column {})", l.line(), l.column()))
            .unwrap_or_default();
        AppError::validation("document", format!("is neither JSON nor valid YAML{at}"))
    })?;
    if !value.is_object() {
        return Err(AppError::validation(
            "document",
            "must be an OpenAPI document (an object at the top)",
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_json_read_alike_and_errors_say_where() {
        let yaml = "openapi: 3.0.3\ninfo:\n  title: Pets\npaths: {}\n";
        let json = r#"{"openapi": "3.0.3", "info": {"title": "Pets"}, "paths": {}}"#;
        assert_eq!(read(yaml).unwrap(), read(json).unwrap());
        let e = read("{\"openapi\": ").unwrap_err();
        assert!(e.to_string().contains("line 1"), "{e}");
        let e = read("openapi: [unclosed\n").unwrap_err();
        assert_eq!(e.field(), Some("document"));
        assert!(read("just text").is_err());
        assert!(read(&"x".repeat(MAX_DOCUMENT_BYTES + 1)).is_err());
    }
}
