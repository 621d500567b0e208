//! A service's form schema as the builder edits it: the current schema, its versions, saving
//! against the version the editor started from, and restoring an old one.

use super::*;

pub(super) fn version_view(r: VersionRow) -> FormVersionView {
    FormVersionView {
        version: r.version,
        note: r.note,
        author: r.author_name,
        restored_from: r.restored_from,
        created_at: r.created_at,
    }
}

pub(super) async fn service_named(
    c: &mut AsyncPgConnection,
    name: &str,
) -> Result<ServiceRow, AppError> {
    registry_db::find_by_name(c, name)
        .await?
        .ok_or(AppError::NotFound)
}

pub(super) async fn builder_view(
    c: &mut AsyncPgConnection,
    row: ServiceRow,
) -> Result<BuilderView, AppError> {
    let versions = db::versions(c, row.id, VERSIONS_SHOWN).await?;
    Ok(BuilderView {
        service: row.name.clone(),
        title: row.display_name.clone(),
        schema: row.spec()?.form_schema,
        version: row.form_version,
        versions: versions.into_iter().map(version_view).collect(),
    })
}

/// The builder's view of service `name`'s form (platform `service:update`).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn builder(state: &AppState, actor: &Actor, name: &str) -> Result<BuilderView, AppError> {
    actor.require_platform(&perm::SERVICE_UPDATE)?;
    scoped(&state.db, Scope::platform(), async |c| {
        let row = service_named(c, name).await?;
        builder_view(c, row).await
    })
    .await
}

/// One saved version's schema, to compare or restore.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn version_schema(
    state: &AppState,
    actor: &Actor,
    name: &str,
    version: i32,
) -> Result<Value, AppError> {
    actor.require_platform(&perm::SERVICE_UPDATE)?;
    scoped(&state.db, Scope::platform(), async |c| {
        let row = service_named(c, name).await?;
        let v = db::version(c, row.id, version)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(v.schema)
    })
    .await
}

/// What a save or a restore writes.
pub struct Save {
    pub base_version: i32,
    pub schema: Value,
    pub note: Option<String>,
}

/// Reads a builder's save: the schema (errors at `schema.…`) and an optional note.
pub(super) fn read_save(base_version: i32, schema: &str, note: &str) -> Result<Save, AppError> {
    let value: Value = serde_json::from_str(schema)
        .map_err(|e| AppError::validation("schema", format!("is not valid JSON ({e})")))?;
    // Stored as read (options as {value, label}, defaults filled in), the shape every
    // reader of the registry expects.
    let parsed = FormSchema::parse(&value, JsonPath::root("schema"), server_pattern)?;
    let value = serde_json::to_value(&parsed).map_err(|_| AppError::Internal)?;
    let note = note.trim();
    if note.chars().count() > 500 {
        return Err(AppError::validation(
            "note",
            "must be at most 500 characters",
        ));
    }
    Ok(Save {
        base_version,
        schema: value,
        note: (!note.is_empty()).then(|| note.to_string()),
    })
}

/// Saves a new version of service `name`'s form (409 unless `base_version` is the current
/// one, so that two builders do not overwrite each other).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn save(
    state: &AppState,
    actor: &Actor,
    name: &str,
    save: Input<(i32, String, String)>,
    client: &ClientInfo,
) -> Result<BuilderView, AppError> {
    actor.require_platform(&perm::SERVICE_UPDATE)?;
    let (base_version, schema, note) = save?;
    let save = read_save(base_version, &schema, &note)?;
    scoped(&state.db, Scope::platform(), async |c| {
        let row = service_named(c, name).await?;
        store(c, actor, client, row, save, None).await
    })
    .await
}

/// Saves version `version`'s schema again, as a new version.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn restore(
    state: &AppState,
    actor: &Actor,
    name: &str,
    version: i32,
    base_version: i32,
    client: &ClientInfo,
) -> Result<BuilderView, AppError> {
    actor.require_platform(&perm::SERVICE_UPDATE)?;
    scoped(&state.db, Scope::platform(), async |c| {
        let row = service_named(c, name).await?;
        let old = db::version(c, row.id, version)
            .await?
            .ok_or(AppError::NotFound)?;
        // Still readable under today's rules (a pattern's limits may have tightened).
        let parsed = FormSchema::parse(&old.schema, JsonPath::root("schema"), server_pattern)?;
        let save = Save {
            base_version,
            schema: serde_json::to_value(&parsed).map_err(|_| AppError::Internal)?,
            note: Some(format!("Restored version {version}")),
        };
        store(c, actor, client, row, save, Some(version)).await
    })
    .await
}

pub(super) async fn store(
    c: &mut AsyncPgConnection,
    actor: &Actor,
    client: &ClientInfo,
    row: ServiceRow,
    save: Save,
    restored_from: Option<i32>,
) -> Result<BuilderView, AppError> {
    // The Task Manager's handler reads its own fields from the form.
    if row.name == crate::domain::task::SERVICE {
        let schema: FormSchema =
            serde_json::from_value(save.schema.clone()).map_err(|_| AppError::Internal)?;
        crate::domain::task::check_form(&schema, "schema")?;
    }
    // A named endpoint must exist: a form that can never be sent is a mistake to report now.
    if let Some(name) = save.schema.get("endpoint").and_then(Value::as_str) {
        let endpoints = registry_db::endpoints_of(c, &[row.id]).await?;
        if !endpoints.iter().any(|e| e.name == name) {
            return Err(AppError::validation(
                "schema.endpoint",
                format!("\"{name}\" is not an endpoint of this service"),
            ));
        }
    }
    let author = users::find(c, actor.user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let new = NewVersion {
        schema: &save.schema,
        note: save.note.as_deref(),
        author_id: Some(actor.user_id),
        author_name: &author.name,
        restored_from,
    };
    let Some(version) = db::save_version(c, row.id, save.base_version, new).await? else {
        let now = registry_db::find(c, row.id)
            .await?
            .map_or(row.form_version, |r| r.form_version);
        return Err(AppError::conflict(
            "baseVersion",
            format!(
                "The form was saved by someone else since (now version {now}); reload it and apply your changes again."
            ),
        ));
    };
    let event = Event {
        action: if restored_from.is_some() {
            AuditAction::FormRestore
        } else {
            AuditAction::FormSave
        },
        outcome: Outcome::Success,
        tenant_id: None,
        actor_user_id: Some(actor.user_id),
        target: Some(("service", row.id.to_string())),
        details: json!({
            "name": row.name,
            "version": version,
            "restoredFrom": restored_from,
            "note": save.note,
        }),
    };
    audit::record(c, client, event).await?;
    let row = registry_db::find(c, row.id)
        .await?
        .ok_or(AppError::NotFound)?;
    builder_view(c, row).await
}

/// Records a schema written by the registry (register, update) as the service's next form
/// version, so that every schema a submission may have used is kept. `base`: the service's
/// form version, read under the row's lock.
pub async fn record_registry_version(
    c: &mut AsyncPgConnection,
    author_id: Uuid,
    service_id: Uuid,
    base: i32,
    schema: &FormSchema,
    note: &str,
) -> Result<(), AppError> {
    let author = users::find(c, author_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let schema = serde_json::to_value(schema).map_err(|_| AppError::Internal)?;
    let new = NewVersion {
        schema: &schema,
        note: Some(note),
        author_id: Some(author_id),
        author_name: &author.name,
        restored_from: None,
    };
    db::save_version(c, service_id, base, new)
        .await?
        .ok_or(AppError::Internal)?;
    Ok(())
}
