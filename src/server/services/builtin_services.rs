//! The built-in and demo services: the Task Manager (INTERNAL, PRIVATE; registered at
//! bootstrap, assigned to `taskmanager` by the demo) and the demo's WhatsApp Gateway
//! (EXTERNAL, PRIVATE, API_KEY, assigned to `whatsapp`, with the seed document's form and
//! menu schemas exactly), and the permissions the system roles need to use them. Read through the same parsers as any registration.
//! Idempotent: a service that exists is left as it is.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::{
    domain::{
        command::decode,
        error::AppError,
        service::{
            command::{RegisterService, Registration},
            AssignmentStatus,
        },
        task::{Priority, TaskStatus},
    },
    server::{
        db::{
            schema::role_permissions,
            services::{self as db, AssignmentColumns, EndpointColumns, SpecColumns},
            tenants, users,
        },
        pattern::server_pattern,
        secret::Secret,
        services::{
            access::{TENANT_ADMIN, USER},
            forms, registry,
        },
        state::AppState,
    },
};

/// The demo WhatsApp service's key (the demo gateway, `inti demo-whatsapp`, expects it).
pub const DEMO_WHATSAPP_KEY: &str = "demo-whatsapp-api-key-2026";
/// The secret the demo gateway signs its delivery reports with.
pub const DEMO_WHATSAPP_WEBHOOK_SECRET: &str = "demo-whatsapp-webhook-secret-2026";
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
                { "name": "My Tasks", "path": "/tasks/mine", "icon": "user", "permission": "task:read:own" },
                { "name": "Create Task", "path": "/tasks/create", "icon": "add", "permission": "task:create" },
                { "name": "Board", "path": "/tasks/board", "icon": "board", "permission": "task:read:own" }
            ]
        },
        "formSchema": task_form(),
        "endpoints": [
            { "name": "tasks:list", "method": "GET", "path": "/tasks", "requiredPermissions": ["task:read"] },
            { "name": "tasks:create", "method": "POST", "path": "/tasks", "requiredPermissions": ["task:create"] }
        ]
    })
}

/// The task form: the task's own fields. Fields a super admin adds in the form builder are
/// kept in the task's `customFields`.
fn task_form() -> Value {
    // The choices are the task's own closed sets, labelled as the pages label them.
    let statuses: Vec<Value> = TaskStatus::ALL
        .iter()
        .map(|s| json!({ "value": s.as_str(), "label": s.label() }))
        .collect();
    let priorities: Vec<Value> = Priority::ALL
        .iter()
        .map(|p| json!({ "value": p.as_str(), "label": p.label() }))
        .collect();
    json!({
        "submitLabel": "Save task",
        "fields": [
            { "name": "title", "type": "text", "label": "Title", "required": true,
              "validation": { "maxLength": 200 } },
            { "name": "description", "type": "textarea", "label": "Description",
              "validation": { "maxLength": 10000 } },
            { "name": "status", "type": "select", "label": "Status", "default": "TODO", "width": "third",
              "options": statuses },
            { "name": "priority", "type": "select", "label": "Priority", "default": "MEDIUM", "width": "third",
              "options": priorities },
            { "name": "dueDate", "type": "date", "label": "Due date", "width": "third" },
            { "name": "labels", "type": "array", "itemType": "string", "label": "Labels",
              "help": "Short words to find the task by, such as ops or billing.",
              "validation": { "maxItems": 20, "maxLength": 40, "uniqueItems": true } }
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
                { "name": "Blast Message", "path": "/whatsapp/blast", "endpoint": "messages:blast", "icon": "send", "permission": "whatsapp:blast" },
                { "name": "Message History", "path": "/whatsapp/history", "endpoint": "messages:list", "icon": "history", "permission": "whatsapp:read" }
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

/// (system role, permission) the Task Manager gives the system roles when it is registered.
const TASK_PERMISSIONS: &[(&str, &str)] = &[
    (TENANT_ADMIN, "task:*"),
    (USER, "task:read"),
    (USER, "task:create"),
    (USER, "task:update:own"),
];

/// (system role, permission) the demo adds for the WhatsApp Gateway.
const DEMO_PERMISSIONS: &[(&str, &str)] = &[
    (TENANT_ADMIN, "whatsapp:blast"),
    (TENANT_ADMIN, "whatsapp:read"),
];

async fn grant_to_system_roles(
    c: &mut AsyncPgConnection,
    permissions: &[(&str, &str)],
) -> Result<(), AppError> {
    for (role, permission) in permissions {
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
    Ok(())
}

/// Registers `body` (and its endpoints, key and form version) as `admin` of the CORE
/// tenant `core`, unless a service of its name exists. Answers its id.
async fn register(
    c: &mut AsyncPgConnection,
    state: &AppState,
    body: &Value,
    key: Option<(&str, &str)>,
    admin: Uuid,
    core: Uuid,
) -> Result<Uuid, AppError> {
    let Registration {
        spec, endpoints, ..
    } = decode::<RegisterService>(body.clone())?.check(server_pattern)?;
    if let Some(existing) = db::find_by_name(c, &spec.name).await? {
        return Ok(existing.id);
    }
    let row = db::insert(c, SpecColumns::of(&spec)?, admin, core).await?;
    for e in &endpoints {
        db::insert_endpoint(c, row.id, EndpointColumns::of(e)?).await?;
    }
    if let Some((key, webhook_secret)) = key {
        registry::store_key(c, state, row.id, Some(key.to_string())).await?;
        registry::store_webhook_secret(c, state, row.id, Some(webhook_secret.to_string())).await?;
    }
    if let Some(schema) = &spec.form_schema {
        forms::record_registry_version(c, admin, row.id, 0, schema, "Registered").await?;
    }
    Ok(row.id)
}

/// The bootstrap of the built-in INTERNAL service, the Task Manager: registered (unassigned;
/// a super admin assigns it to tenants) with its menu and task form, and its permissions
/// given to the system roles. Idempotent; run by `create-superadmin` and by the demo seed,
/// inside their platform-scoped transaction.
pub async fn register_builtin(
    c: &mut AsyncPgConnection,
    state: &AppState,
    admin: Uuid,
    core: Uuid,
) -> Result<Uuid, AppError> {
    grant_to_system_roles(c, TASK_PERMISSIONS).await?;
    register(c, state, &task_manager(), None, admin, core).await
}

/// Registers the demo services and assigns them (inside the seed's platform-scoped
/// transaction): the Task Manager to `taskmanager`, the WhatsApp Gateway to `whatsapp`.
pub async fn seed(
    c: &mut AsyncPgConnection,
    state: &AppState,
    whatsapp_secrets: &(Secret, Secret),
) -> Result<(), AppError> {
    grant_to_system_roles(c, DEMO_PERMISSIONS).await?;
    let core = tenants::find_by_domain(c, "core")
        .await?
        .ok_or(AppError::Internal)?
        .id;
    // Registered and assigned by the demo's super admin.
    let admin = users::find_by_email(c, "superadmin@core.com")
        .await?
        .ok_or(AppError::Internal)?
        .id;
    let tasks = register_builtin(c, state, admin, core).await?;
    let whatsapp = register(
        c,
        state,
        &whatsapp(),
        Some((whatsapp_secrets.0.expose(), whatsapp_secrets.1.expose())),
        admin,
        core,
    )
    .await?;
    for (service, tenant) in [(tasks, "taskmanager"), (whatsapp, "whatsapp")] {
        let tenant = tenants::find_by_domain(c, tenant)
            .await?
            .ok_or(AppError::Internal)?;
        let columns = AssignmentColumns {
            status: AssignmentStatus::Active,
            custom_settings: json!({}),
            custom_menu_config: None,
        };
        db::upsert_assignment(c, tenant.id, service, columns, admin).await?;
    }
    Ok(())
}
