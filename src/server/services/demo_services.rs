//! The demo's services (issue 7): the Task Manager (INTERNAL, PRIVATE, assigned to
//! `taskmanager`) and the WhatsApp Gateway (EXTERNAL, PRIVATE, API_KEY, assigned to
//! `whatsapp`, with the seed document's form and menu schemas exactly), and the permissions
//! the demo roles need to see them. Read through the same parsers as any registration.
//! Idempotent: a service that exists is left as it is.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::{json, Value};

use crate::{
    domain::{
        error::AppError,
        service::{endpoint::EndpointSpec, reader::JsonPath, AssignmentStatus, ServiceSpec},
    },
    server::{
        db::{
            schema::role_permissions,
            services::{self as db, AssignmentColumns, EndpointColumns, SpecColumns},
            tenants, users,
        },
        services::{
            access::{TENANT_ADMIN, USER},
            forms,
            registry::{self, server_pattern},
        },
        state::AppState,
    },
};

/// The demo WhatsApp service's key (the demo gateway, `inti demo-whatsapp`, expects it).
pub const DEMO_WHATSAPP_KEY: &str = "demo-whatsapp-api-key-2026";
/// Where `inti demo-whatsapp` listens (`make run` starts it).
pub const DEMO_WHATSAPP_URL: &str = "http://127.0.0.1:3200";

fn task_manager() -> Value {
    json!({
        "name": "task-manager",
        "displayName": "Task Manager",
        "description": "Tasks, assignees, due dates and a board, hosted in Inti.",
        "type": "INTERNAL",
        "category": "productivity",
        "visibility": "PRIVATE",
        "menuSchema": {
            "items": [
                { "name": "All Tasks", "path": "/tasks/list", "icon": "list", "permission": "task:read" },
                { "name": "Create Task", "path": "/tasks/create", "icon": "add", "permission": "task:create" }
            ]
        },
        "endpoints": [
            { "name": "tasks:list", "method": "GET", "path": "/tasks", "requiredPermissions": ["task:read"] },
            { "name": "tasks:create", "method": "POST", "path": "/tasks", "requiredPermissions": ["task:create"] }
        ]
    })
}

fn whatsapp() -> Value {
    json!({
        "name": "whatsapp-gateway",
        "displayName": "WhatsApp Gateway",
        "description": "WhatsApp blast message service",
        "type": "EXTERNAL",
        "category": "messaging",
        "visibility": "PRIVATE",
        "baseUrl": DEMO_WHATSAPP_URL,
        "healthCheckUrl": format!("{DEMO_WHATSAPP_URL}/health"),
        "authType": "API_KEY",
        "formSchema": {
            "fields": [
                { "name": "message", "type": "textarea", "label": "Message", "required": true,
                  "validation": { "maxLength": 1000 } },
                { "name": "recipients", "type": "array", "label": "Phone Numbers", "required": true,
                  "itemType": "string", "validation": { "pattern": "^\\+?[0-9]{10,15}$" } }
            ]
        },
        "menuSchema": {
            "items": [
                { "name": "Blast Message", "path": "/whatsapp/blast", "icon": "send", "permission": "whatsapp:blast" },
                { "name": "Message History", "path": "/whatsapp/history", "icon": "history", "permission": "whatsapp:read" }
            ]
        },
        "endpoints": [
            { "name": "messages:blast", "displayName": "Blast a message", "method": "POST",
              "path": "/messages/blast", "requiredPermissions": ["whatsapp:blast"], "rateLimit": 60 },
            { "name": "messages:list", "displayName": "Message history", "method": "GET",
              "path": "/messages", "requiredPermissions": ["whatsapp:read"] }
        ]
    })
}

/// (system role, permission) the demo adds.
const ROLE_PERMISSIONS: &[(&str, &str)] = &[
    (TENANT_ADMIN, "task:*"),
    (TENANT_ADMIN, "whatsapp:blast"),
    (TENANT_ADMIN, "whatsapp:read"),
    (USER, "task:read"),
    (USER, "task:create"),
    (USER, "task:update:own"),
];

/// Registers the demo services (inside the seed's platform-scoped transaction).
pub async fn seed(c: &mut AsyncPgConnection, state: &AppState) -> Result<(), AppError> {
    for (role, permission) in ROLE_PERMISSIONS {
        let role_id = tenants::system_role_id(c, role).await?;
        diesel::insert_into(role_permissions::table)
            .values((
                role_permissions::role_id.eq(role_id),
                role_permissions::permission.eq(*permission),
            ))
            .on_conflict_do_nothing()
            .execute(c)
            .await?;
    }
    let core = tenants::find_by_domain(c, "core")
        .await?
        .ok_or(AppError::Internal)?;
    // Registered and assigned by the demo's super admin.
    let admin = users::find_by_email(c, "superadmin@core.com")
        .await?
        .ok_or(AppError::Internal)?
        .id;
    for (body, tenant, key) in [
        (task_manager(), "taskmanager", None),
        (whatsapp(), "whatsapp", Some(DEMO_WHATSAPP_KEY)),
    ] {
        let spec = ServiceSpec::parse(&body, None, &["endpoints"], server_pattern)?;
        if db::find_by_name(c, &spec.name).await?.is_some() {
            continue;
        }
        let row = db::insert(c, SpecColumns::of(&spec)?, admin, core.id).await?;
        let endpoints = body["endpoints"].as_array().cloned().unwrap_or_default();
        for (i, e) in endpoints.iter().enumerate() {
            let at = JsonPath::root("endpoints").index(i);
            let e = EndpointSpec::parse(e, at, None, server_pattern)?;
            db::insert_endpoint(c, row.id, EndpointColumns::of(&e)?).await?;
        }
        if let Some(key) = key {
            registry::store_key(c, state, row.id, Some(key.to_string())).await?;
        }
        if let Some(schema) = &spec.form_schema {
            forms::record_registry_version(c, admin, row.id, 0, schema, "Registered").await?;
        }
        let tenant = tenants::find_by_domain(c, tenant)
            .await?
            .ok_or(AppError::Internal)?;
        let columns = AssignmentColumns {
            status: AssignmentStatus::Active,
            custom_settings: json!({}),
            custom_menu_config: None,
        };
        db::upsert_assignment(c, tenant.id, row.id, columns, admin).await?;
    }
    Ok(())
}
