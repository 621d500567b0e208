//! Service endpoints: a method and a path template (`/messages/{id}`), what a call needs
//! (authentication, permissions) and its limits (rate per minute, timeout).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    closed_set,
    domain::{
        error::AppError,
        form::{serde_as_str, FormSchema, PatternCheck},
        permission::Permission,
        service::reader::{is_identifier, JsonPath, Obj},
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

pub const ENDPOINT_KEYS: &[&str] = &[
    "name",
    "displayName",
    "description",
    "method",
    "path",
    "requestSchema",
    "responseSchema",
    "requiresAuth",
    "requiredPermissions",
    "rateLimit",
    "timeoutMs",
];

impl EndpointSpec {
    /// Reads an endpoint at `path`; `base`, when given, supplies what the value leaves out
    /// (a partial update).
    pub fn parse(
        value: &Value,
        path: JsonPath,
        base: Option<&EndpointSpec>,
        pattern_ok: PatternCheck,
    ) -> Result<Self, AppError> {
        let o = Obj::new(value, path)?.only(ENDPOINT_KEYS)?;
        let text = |key: &str, max: usize, old: Option<&String>| -> Result<String, AppError> {
            match (o.opt_str(key, max)?, old) {
                (Some(v), _) => Ok(v),
                (None, Some(old)) if o.get(key).is_none() => Ok(old.clone()),
                _ => Err(o.at(key).error("is required")),
            }
        };
        let method = match (o.opt_str("method", 10)?, base) {
            (Some(raw), _) => HttpMethod::parse(&raw).ok_or_else(|| {
                o.at("method")
                    .error("must be GET, POST, PUT, PATCH or DELETE")
            })?,
            (None, Some(b)) => b.method,
            (None, None) => return Err(o.at("method").error("is required")),
        };
        let template = text("path", 500, base.map(|b| &b.path))?;
        check_template(&template).map_err(|why| o.at("path").error(why))?;
        let name = text("name", 100, base.map(|b| &b.name))?;
        if !is_endpoint_name(&name) {
            return Err(o
                .at("name")
                .error("must start with a letter and use only letters, digits, _, -, . and :"));
        }
        let display_name = match o.opt_str("displayName", 200)? {
            Some(d) => d,
            None => base
                .map(|b| b.display_name.clone())
                .unwrap_or_else(|| name.clone()),
        };
        let request_schema = match o.get("requestSchema") {
            Some(v) => Some(FormSchema::parse(v, o.at("requestSchema"), pattern_ok)?),
            None if o.has("requestSchema") => None,
            None => base.and_then(|b| b.request_schema.clone()),
        };
        let response_schema = match o.get("responseSchema") {
            Some(v @ Value::Object(_)) => Some(v.clone()),
            Some(_) => return Err(o.at("responseSchema").error("must be an object")),
            None if o.has("responseSchema") => None,
            None => base.and_then(|b| b.response_schema.clone()),
        };
        let required_permissions = if o.get("requiredPermissions").is_some() {
            let raw = o.array("requiredPermissions", MAX_PERMISSIONS)?;
            let mut perms = Vec::with_capacity(raw.len());
            for (i, p) in raw.iter().enumerate() {
                let at = o.at("requiredPermissions").index(i);
                let s = p.as_str().ok_or_else(|| at.error("must be a string"))?;
                let perm = s
                    .parse::<Permission>()
                    .map_err(|e| at.error(e.to_string()))?;
                if !perms.contains(&perm) {
                    perms.push(perm);
                }
            }
            perms
        } else {
            base.map(|b| b.required_permissions.clone())
                .unwrap_or_default()
        };
        Ok(Self {
            name,
            display_name,
            description: match o.opt_str("description", 2000)? {
                Some(d) => Some(d),
                None if o.has("description") => None,
                None => base.and_then(|b| b.description.clone()),
            },
            method,
            path: template,
            request_schema,
            response_schema,
            requires_auth: o
                .opt_bool("requiresAuth")?
                .or(base.map(|b| b.requires_auth))
                .unwrap_or(true),
            required_permissions,
            rate_limit: o
                .opt_int("rateLimit", 1, MAX_RATE_LIMIT)?
                .map(|n| n as i32)
                .or(base.map(|b| b.rate_limit))
                .unwrap_or(DEFAULT_RATE_LIMIT),
            timeout_ms: o
                .opt_int("timeoutMs", 100, MAX_TIMEOUT_MS)?
                .map(|n| n as i32)
                .or(base.map(|b| b.timeout_ms))
                .unwrap_or(DEFAULT_TIMEOUT_MS),
        })
    }
}

fn is_endpoint_name(s: &str) -> bool {
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
