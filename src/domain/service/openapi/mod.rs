//! A registration drafted from an OpenAPI 3.0 or 3.1 document: the service (name, title,
//! version, base URL, authentication), an endpoint per operation, request bodies converted
//! to form schemas, and a default menu (a table page per list operation; a form page for the
//! first create operation, whose body becomes the service's form). The draft is the
//! registry's own JSON, for a person to read and edit before it is registered; what could
//! not be carried over is listed in `notes`, never dropped silently.

mod fields;
mod names;

use self::fields::*;
use self::names::*;

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::domain::error::AppError;

/// `POST /api/v1/core/services/import`: an OpenAPI document to draft a registration from;
/// nothing is stored.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ImportOpenApi {
    /// The document as JSON or YAML text, at most 1 MB.
    pub document: String,
}

/// Operations carried over, at most (the registry's own limit on endpoints).
pub const MAX_OPERATIONS: usize = 100;
/// Menu items in the default menu, at most.
const MAX_MENU_ITEMS: usize = 20;
/// How deep `$ref`s and nested objects are followed.
const MAX_DEPTH: usize = 4;
/// Fields per converted form.
const MAX_FIELDS: usize = 100;
const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];
/// Notes kept, at most.
const MAX_NOTES: usize = 50;
/// Object schemas read per document, at most.
const MAX_VISITS: usize = 2_000;

std::thread_local! {
    /// Schema visits of the draft being made on this thread (`draft` resets it).
    static VISITS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The draft, and what it could not carry over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    /// A body for `POST /api/v1/core/services/register`.
    pub service: Value,
    pub notes: Vec<String>,
}

/// The draft, what it could not carry over, and whether it registers as it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    #[serde(flatten)]
    pub draft: Draft,
    /// Why `register` would refuse the draft as it stands (a field and a message), if it would.
    pub problem: Option<Problem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Problem {
    pub field: Option<String>,
    pub message: String,
}

/// Drafts a registration from a parsed document.
pub fn draft(doc: &Value) -> Result<Draft, AppError> {
    VISITS.with(|v| v.set(0));
    let version = doc.get("openapi").and_then(Value::as_str).unwrap_or("");
    if !(version.starts_with("3.0") || version.starts_with("3.1")) {
        return Err(AppError::validation(
            "document",
            "must be an OpenAPI 3.0 or 3.1 document (its openapi field says which); Swagger 2.0 is not supported",
        ));
    }
    let info = doc.get("info").and_then(Value::as_object);
    let title = info
        .and_then(|i| i.get("title"))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| AppError::validation("document.info.title", "is required"))?;
    let paths = doc
        .get("paths")
        .and_then(Value::as_object)
        .ok_or_else(|| AppError::validation("document.paths", "must list the API's paths"))?;

    let mut notes = Vec::new();
    let name = slug(title, 50);
    let mut service = Map::new();
    service.insert("name".into(), json!(name));
    service.insert("displayName".into(), json!(clip(title, 200)));
    if let Some(d) = info
        .and_then(|i| i.get("description"))
        .and_then(Value::as_str)
    {
        service.insert("description".into(), json!(clip(d.trim(), 1000)));
    }
    if let Some(v) = info.and_then(|i| i.get("version")).and_then(Value::as_str) {
        service.insert("version".into(), json!(clip(v, 50)));
    }
    service.insert("type".into(), json!("EXTERNAL"));
    service.insert("visibility".into(), json!("PRIVATE"));
    service.insert("status".into(), json!("ACTIVE"));
    match doc
        .pointer("/servers/0/url")
        .and_then(Value::as_str)
        .map(|u| u.trim_end_matches('/'))
    {
        Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
            service.insert("baseUrl".into(), json!(url));
        }
        Some(url) => note(
            &mut notes,
            format!("servers[0].url ({url}) is not an absolute http(s) URL: set the base URL"),
        ),
        None => note(
            &mut notes,
            "The document names no server: set the base URL".into(),
        ),
    }
    service.insert("authType".into(), json!(auth_type(doc, &mut notes)));

    let mut endpoints = Vec::new();
    let mut menu = Vec::new();
    let mut form: Option<Value> = None;
    let mut names = HashSet::new();
    let resource = name.clone();
    'paths: for (path, item) in paths {
        for method in METHODS {
            let Some(op) = item.get(method) else {
                continue;
            };
            if endpoints.len() == MAX_OPERATIONS {
                note(
                    &mut notes,
                    format!("Only the first {MAX_OPERATIONS} operations were carried over"),
                );
                break 'paths;
            }
            let endpoint = operation(doc, path, method, op, &resource, &mut names, &mut notes);
            let Some((endpoint, has_params)) = endpoint else {
                continue;
            };
            // A service has one form (versioned, built in the form builder): the first create
            // operation's body. Other bodies are still checked by the gateway.
            let mut page = !has_params && method == "get";
            if !has_params && method == "post" {
                if let Some(fields) = endpoint.pointer("/requestSchema/fields") {
                    if form.is_none() {
                        form = Some(json!({ "fields": fields, "endpoint": endpoint["name"] }));
                        page = true;
                    } else {
                        note(&mut notes, format!(
                            "POST {path}: a service has one form, the first create operation's; this one is reachable through the gateway, not the menu"
                        ));
                    }
                }
            }
            if menu.len() < MAX_MENU_ITEMS && page {
                menu.push(json!({
                    "name": endpoint["displayName"],
                    "path": format!("/{name}/{}", slug(endpoint["name"].as_str().unwrap_or("page"), 60)),
                    "endpoint": endpoint["name"],
                    "icon": if method == "get" { "list" } else { "send" },
                    "permission": endpoint["requiredPermissions"][0],
                }));
            }
            endpoints.push(endpoint);
        }
    }
    if endpoints.is_empty() {
        note(
            &mut notes,
            "The document has no operations to carry over".into(),
        );
    }
    service.insert("endpoints".into(), Value::Array(endpoints));
    if let Some(form) = form {
        service.insert("formSchema".into(), form);
    }
    if !menu.is_empty() {
        service.insert("menuSchema".into(), json!({ "items": menu }));
    }
    Ok(Draft {
        service: Value::Object(service),
        notes,
    })
}

/// One operation as an endpoint, and whether its path has parameters.
fn operation(
    doc: &Value,
    path: &str,
    method: &str,
    op: &Value,
    resource: &str,
    names: &mut HashSet<String>,
    notes: &mut Vec<String>,
) -> Option<(Value, bool)> {
    let upper = method.to_ascii_uppercase();
    let template = normalise_template(path);
    let Some(template) = template else {
        note(
            notes,
            format!("{upper} {path}: the path is not a template the gateway routes; skipped"),
        );
        return None;
    };
    let base = op
        .get("operationId")
        .and_then(Value::as_str)
        .map(endpoint_name)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| endpoint_name(&format!("{method}{}", path.replace('/', "-"))));
    let mut unique = base.clone();
    let mut n = 2;
    while !names.insert(unique.clone()) {
        unique = format!("{base}-{n}");
        n += 1;
    }
    let display = op
        .get("summary")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| clip(s, 200))
        .unwrap_or_else(|| format!("{upper} {template}"));
    // A safe default: reading needs `<service>:read`, anything else `<service>:write`.
    let permission = format!(
        "{resource}:{}",
        if method == "get" { "read" } else { "write" }
    );
    let mut e = Map::new();
    e.insert("name".into(), json!(unique));
    e.insert("displayName".into(), json!(display));
    if let Some(d) = op.get("description").and_then(Value::as_str) {
        e.insert("description".into(), json!(clip(d.trim(), 1000)));
    }
    e.insert("method".into(), json!(upper));
    e.insert("path".into(), json!(template));
    e.insert("requiredPermissions".into(), json!([permission]));
    if let Some(schema) = op.pointer("/requestBody/content/application~1json/schema") {
        let at = format!("{upper} {path}");
        let fields = fields_of(doc, schema, 0, &at, notes);
        if fields.is_empty() {
            note(
                notes,
                format!("{at}: the request body has no fields a form can show; no request schema"),
            );
        } else {
            e.insert("requestSchema".into(), json!({ "fields": fields }));
        }
    } else if op.get("requestBody").is_some() {
        note(
            notes,
            format!("{upper} {path}: the request body is not JSON; no request schema"),
        );
    }
    let has_params = template.contains('{');
    Some((Value::Object(e), has_params))
}

/// `/pets/{petId}` as the registry writes templates; `None` for what it cannot route.
fn normalise_template(path: &str) -> Option<String> {
    let t = if path.is_empty() { "/" } else { path };
    let mut out = String::new();
    for segment in t.trim_end_matches('/').split('/').skip(1) {
        out.push('/');
        if let Some(inner) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            let ident = identifier(inner);
            if ident.is_empty() {
                return None;
            }
            out.push_str(&format!("{{{ident}}}"));
        } else if !segment.is_empty()
            && segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'))
            && segment != "."
            && segment != ".."
        {
            out.push_str(segment);
        } else {
            return None;
        }
    }
    Some(if out.is_empty() { "/".into() } else { out })
}

/// The document's first security scheme, as the registry's auth types.
fn auth_type(doc: &Value, notes: &mut Vec<String>) -> &'static str {
    let Some(schemes) = doc
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
    else {
        return "NONE";
    };
    for (name, s) in schemes {
        let s = resolve(doc, s, 0).unwrap_or(s);
        match (
            s.get("type").and_then(Value::as_str),
            s.get("scheme").and_then(Value::as_str),
        ) {
            (Some("apiKey"), _) => {
                let header = s.get("name").and_then(Value::as_str).unwrap_or("");
                if !header.eq_ignore_ascii_case("x-api-key") {
                    note(notes, format!(
                        "Security scheme {name}: the key goes in {header}; the gateway sends it as X-API-Key"
                    ));
                }
                return "API_KEY";
            }
            (Some("http"), Some(scheme)) if scheme.eq_ignore_ascii_case("bearer") => return "JWT",
            (Some("oauth2" | "openIdConnect"), _) => {
                note(notes, format!(
                    "Security scheme {name}: store a token as the service's key; the gateway sends it as a bearer token"
                ));
                return "OAUTH";
            }
            _ => note(
                notes,
                format!("Security scheme {name} is not one the gateway injects; skipped"),
            ),
        }
    }
    "NONE"
}

/// Keeps a note, up to `MAX_NOTES` (then one saying there are more).
fn note(notes: &mut Vec<String>, text: String) {
    match notes.len() {
        n if n < MAX_NOTES - 1 => notes.push(text),
        n if n == MAX_NOTES - 1 => notes.push("… and more that is not listed".into()),
        _ => {}
    }
}

/// A `$ref` inside the document (`#/components/...`), followed; the value itself otherwise.
fn resolve<'a>(doc: &'a Value, v: &'a Value, depth: usize) -> Option<&'a Value> {
    match v.get("$ref").and_then(Value::as_str) {
        None => Some(v),
        Some(r) if depth < MAX_DEPTH => {
            let target = doc.pointer(r.strip_prefix('#')?)?;
            resolve(doc, target, depth + 1)
        }
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn petstore() -> Value {
        json!({
            "openapi": "3.1.0",
            "info": { "title": "Pet Store", "version": "1.2.0", "description": "Pets." },
            "servers": [{ "url": "https://pets.example.com/v1/" }],
            "components": {
                "securitySchemes": { "key": { "type": "apiKey", "in": "header", "name": "X-API-Key" } },
                "schemas": {
                    "NewPet": {
                        "type": "object",
                        "required": ["name", "tags"],
                        "properties": {
                            "name": { "type": "string", "maxLength": 50, "example": "Rex" },
                            "kind": { "type": "string", "enum": ["dog", "cat"] },
                            "age": { "type": ["integer", "null"], "minimum": 0, "maximum": 40 },
                            "tags": { "type": "array", "items": { "type": "string", "pattern": "^[a-z]+$" }, "maxItems": 5 },
                            "owner": { "type": "object", "properties": { "email": { "type": "string", "format": "email" } } },
                            "id": { "type": "string", "readOnly": true },
                            "x-odd": { "type": "string" }
                        }
                    }
                }
            },
            "paths": {
                "/pets": {
                    "get": { "operationId": "listPets", "summary": "List pets" },
                    "post": {
                        "operationId": "createPet", "summary": "Add a pet",
                        "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NewPet" } } } }
                    }
                },
                "/pets/{petId}": {
                    "get": { "operationId": "showPet" },
                    "delete": { "summary": "Remove a pet" }
                }
            }
        })
    }

    #[test]
    fn a_document_becomes_a_service_with_endpoints_forms_and_a_menu() {
        let d = draft(&petstore()).unwrap();
        let s = &d.service;
        assert_eq!(s["name"], "pet-store");
        assert_eq!(s["displayName"], "Pet Store");
        assert_eq!(s["version"], "1.2.0");
        assert_eq!(s["baseUrl"], "https://pets.example.com/v1");
        assert_eq!(s["authType"], "API_KEY");
        let endpoints = s["endpoints"].as_array().unwrap();
        let names: Vec<&str> = endpoints
            .iter()
            .map(|e| e["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            ["listPets", "createPet", "showPet", "delete-pets-petId"]
        );
        assert_eq!(
            endpoints[0]["requiredPermissions"],
            json!(["pet-store:read"])
        );
        assert_eq!(
            endpoints[1]["requiredPermissions"],
            json!(["pet-store:write"])
        );
        assert_eq!(endpoints[3]["displayName"], "Remove a pet");
        let fields = endpoints[1]["requestSchema"]["fields"].as_array().unwrap();
        let by = |n: &str| fields.iter().find(|f| f["name"] == n).cloned();
        assert_eq!(by("name").unwrap()["required"], true);
        assert_eq!(by("name").unwrap()["placeholder"], "Rex");
        assert_eq!(by("kind").unwrap()["type"], "select");
        assert_eq!(by("age").unwrap()["type"], "integer");
        assert_eq!(
            by("age").unwrap()["validation"],
            json!({"min": 0, "max": 40})
        );
        let tags = by("tags").unwrap();
        assert_eq!(
            (tags["type"].as_str(), tags["itemType"].as_str()),
            (Some("array"), Some("string"))
        );
        assert_eq!(
            tags["validation"],
            json!({"maxItems": 5, "pattern": "^[a-z]+$"})
        );
        assert_eq!(by("owner").unwrap()["fields"][0]["type"], "email");
        assert!(by("id").is_none(), "read-only properties are not asked for");
        assert!(by("x-odd").is_none());
        assert!(d.notes.iter().any(|n| n.contains("x-odd")), "{:?}", d.notes);
        // A table for the list, a form for the create; nothing for operations on one pet.
        let menu = s["menuSchema"]["items"].as_array().unwrap();
        assert_eq!(menu.len(), 2);
        assert_eq!(menu[0]["endpoint"], "listPets");
        assert_eq!(menu[1]["endpoint"], "createPet");
        assert_eq!(menu[1]["permission"], "pet-store:write");
        // Its page is the service's form, which submits to that operation.
        assert_eq!(s["formSchema"]["endpoint"], "createPet");
        assert_eq!(
            s["formSchema"]["fields"],
            endpoints[1]["requestSchema"]["fields"]
        );
    }

    #[test]
    fn documents_that_are_not_openapi_3_are_refused_with_the_reason() {
        let e = draft(&json!({"swagger": "2.0", "info": {"title": "x"}, "paths": {}})).unwrap_err();
        assert_eq!(e.field(), Some("document"));
        let e = draft(&json!({"openapi": "3.0.3", "info": {}, "paths": {}})).unwrap_err();
        assert_eq!(e.field(), Some("document.info.title"));
        let d =
            draft(&json!({"openapi": "3.0.3", "info": {"title": "Empty"}, "paths": {}})).unwrap();
        assert!(d.notes.iter().any(|n| n.contains("no server")));
        assert!(d.notes.iter().any(|n| n.contains("no operations")));
    }

    #[test]
    fn refs_that_loop_or_point_nowhere_end() {
        let doc = json!({
            "openapi": "3.0.0", "info": {"title": "Loop"},
            "components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}}},
            "paths": {"/a": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}},
                             "put": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/nowhere"}}}}}}}
        });
        let d = draft(&doc).unwrap();
        assert_eq!(d.service["endpoints"].as_array().unwrap().len(), 2);
        assert!(d.service["endpoints"][0].get("requestSchema").is_none());
    }

    #[test]
    fn self_referring_all_of_stays_cheap() {
        let parts: Vec<Value> = (0..1000)
            .map(|_| json!({"$ref": "#/components/schemas/A"}))
            .collect();
        let doc = json!({
            "openapi": "3.1.0", "info": {"title": "Bomb"},
            "components": {"schemas": {"A": {"allOf": parts}}},
            "paths": {"/a": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}}
        });
        let d = draft(&doc).unwrap();
        assert!(VISITS.with(|v| v.get()) <= MAX_VISITS);
        assert!(d.notes.len() <= MAX_NOTES);
    }

    #[test]
    fn names_become_slugs_and_templates_stay_routable() {
        assert_eq!(slug("  WhatsApp Blast API!! ", 50), "whatsapp-blast-api");
        assert_eq!(slug("3D printer", 50), "api-3d-printer");
        assert_eq!(slug("???", 50), "imported-api");
        assert_eq!(
            normalise_template("/a/{id}/b/").as_deref(),
            Some("/a/{id}/b")
        );
        assert_eq!(normalise_template("/a/{pet-id}"), None);
        assert_eq!(normalise_template("/a/../b"), None);
        assert_eq!(humanise("phoneNumber"), "Phone number");
    }
}
