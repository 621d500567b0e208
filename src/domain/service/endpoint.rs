//! Service endpoints: a method and a path template (`/messages/{id}`), what a call needs
//! (authentication, permissions) and its limits (rate per minute, timeout).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    closed_set,
    domain::{
        form::{serde_as_str, FormSchema},
        permission::Permission,
        service::reader::is_identifier,
    },
};

closed_set! {
    pub enum HttpMethod {
        Get => "GET",
        Post => "POST",
        Put => "PUT",
        Patch => "PATCH",
        Delete => "DELETE",
    }
}
serde_as_str!(HttpMethod);

pub const DEFAULT_RATE_LIMIT: i32 = 100;
pub const MAX_RATE_LIMIT: i64 = 1_000_000;
pub const DEFAULT_TIMEOUT_MS: i32 = 30_000;
pub const MAX_TIMEOUT_MS: i64 = 120_000;
pub const MAX_PERMISSIONS: usize = 20;

/// An endpoint as registered (create, or the whole of an update).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EndpointSpec {
    pub name: String,
    pub display_name: String,
    pub description: Option<String>,
    pub method: HttpMethod,
    pub path: String,
    pub request_schema: Option<FormSchema>,
    pub response_schema: Option<Value>,
    pub requires_auth: bool,
    pub required_permissions: Vec<Permission>,
    pub rate_limit: i32,
    pub timeout_ms: i32,
}

pub(crate) fn is_endpoint_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
}

/// A path template: `/`-separated segments, each literal (`messages`) or a parameter
/// (`{id}`) named once; no query, fragment, `..` or empty segment.
pub fn check_template(t: &str) -> Result<(), String> {
    if !t.starts_with('/') {
        return Err("must start with /".into());
    }
    if t == "/" {
        return Ok(());
    }
    let mut params: Vec<&str> = Vec::new();
    for segment in t[1..].split('/') {
        if segment.is_empty() {
            return Err("must not contain an empty segment (//) or end with /".into());
        }
        if segment == "." || segment == ".." {
            return Err("must not contain . or .. segments".into());
        }
        if let Some(inner) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            if !is_identifier(inner, 64) {
                return Err(format!("parameter {{{inner}}} must be an identifier"));
            }
            if params.contains(&inner) {
                return Err(format!("parameter {{{inner}}} appears twice"));
            }
            params.push(inner);
        } else if !segment
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'))
        {
            return Err(format!(
                "segment \"{segment}\" may use only letters, digits, -, _, . and ~, or be a {{parameter}}"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_take_literals_and_named_parameters_once() {
        assert!(check_template("/messages/blast").is_ok());
        assert!(check_template("/messages/{id}/status").is_ok());
        for bad in [
            "messages",
            "/a//b",
            "/a/",
            "/a/../b",
            "/a/{id}/{id}",
            "/a/{1x}",
            "/a?b=1",
            "/a b",
        ] {
            assert!(check_template(bad).is_err(), "{bad}");
        }
    }
}
