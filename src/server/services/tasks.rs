//! The Task Manager, Inti's internal service: tasks of the current tenant, with the
//! permissions `task:read|create|update|delete`, each also scoped `own` (a task the user
//! created or is assigned to). Another tenant's task, or one the caller may not read, is 404.
//! The REST API, the pages and the form handler (a submission of the service's form) all
//! call this module.

use std::collections::HashMap;

use chrono::Utc;
use diesel_async::AsyncPgConnection;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::{
    domain::{
        audit::AuditAction,
        error::{AppError, Input},
        form::rules::Rules,
        notification::NotificationKind,
        paging::{Page, Paging},
        service::ServiceStatus,
        task::{
            body_from_form, form_values, Assignee, BoardColumn, Comment, CreateTask, Priority,
            Task, TaskFilter, TaskInput, TaskPageView, TaskQuery, TaskStatus, UpdateTask,
            ASSIGNEES_SHOWN, BOARD_CARDS, MAX_COMMENT, MAX_CUSTOM_BYTES, SERVICE,
        },
        tenant::Status,
    },
    server::{
        auth::actor::{Actor, ClientInfo},
        db::{
            audit::Outcome,
            members,
            scope::scoped,
            tasks::{self as db, CommentRow, NewTask, TaskChanges, TaskRow},
        },
        services::{
            audit::{self, Event},
            forms::{self, Delivered, PageOutcome, Submission},
            notifications::{self, Note},
            registry::accessible_in,
        },
        state::AppState,
    },
};

const COMMENTS_SHOWN: i64 = 500;

/// How far an action reaches for this actor: every task of the tenant, only their own, or
/// none (403).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reach {
    All,
    Own,
}

fn reach(actor: &Actor, action: &str) -> Result<Reach, AppError> {
    if actor.permissions.allows(&format!("task:{action}")) {
        Ok(Reach::All)
    } else if actor.permissions.allows(&format!("task:{action}:own")) {
        Ok(Reach::Own)
    } else {
        Err(AppError::Forbidden)
    }
}

fn is_own(actor: &Actor, row: &TaskRow) -> bool {
    row.created_by == Some(actor.user_id) || row.assignee_id == Some(actor.user_id)
}

fn corrupt(what: &str) -> AppError {
    tracing::error!(what, "a task row does not read back");
    AppError::Internal
}

async fn views(c: &mut AsyncPgConnection, rows: Vec<TaskRow>) -> Result<Vec<Task>, AppError> {
    let mut ids: Vec<Uuid> = rows
        .iter()
        .flat_map(|r| [r.assignee_id, r.created_by])
        .flatten()
        .collect();
    ids.sort();
    ids.dedup();
    let names: HashMap<Uuid, String> = db::names(c, &ids).await?.into_iter().collect();
    rows.into_iter()
        .map(|r| {
            Ok(Task {
                id: r.id,
                status: TaskStatus::parse(&r.status).ok_or_else(|| corrupt("status"))?,
                priority: Priority::parse(&r.priority).ok_or_else(|| corrupt("priority"))?,
                assignee_name: r.assignee_id.and_then(|a| names.get(&a).cloned()),
                created_by_name: r.created_by.and_then(|a| names.get(&a).cloned()),
                title: r.title,
                description: r.description,
                assignee_id: r.assignee_id,
                due_date: r.due_date,
                labels: r.labels,
                custom_fields: r.custom_fields,
                created_by: r.created_by,
                created_at: r.created_at,
                updated_at: r.updated_at,
                version: r.version,
            })
        })
        .collect()
}

async fn view(c: &mut AsyncPgConnection, row: TaskRow) -> Result<Task, AppError> {
    views(c, vec![row]).await?.pop().ok_or(AppError::Internal)
}

/// Whether the actor may read this task.
fn readable(actor: &Actor, row: &TaskRow) -> bool {
    match reach(actor, "read") {
        Ok(Reach::All) => true,
        Ok(Reach::Own) => is_own(actor, row),
        Err(_) => false,
    }
}

/// The Task Manager as this tenant may use it (the registry's visibility rules): 404 when
/// the tenant has no such service, 503 while it is under maintenance.
async fn require_service(c: &mut AsyncPgConnection, actor: &Actor) -> Result<(), AppError> {
    let service = accessible_in(c, actor)
        .await?
        .into_iter()
        .find(|s| s.name == SERVICE)
        .ok_or(AppError::NotFound)?;
    if service.status == ServiceStatus::Maintenance.as_str() {
        return Err(AppError::Unavailable);
    }
    Ok(())
}

/// The task `id` of the actor's tenant, if the actor may `action` it (404 otherwise: a task
/// one may not read does not exist for them). Changes lock the row.
async fn reachable(
    c: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
    action: &str,
) -> Result<TaskRow, AppError> {
    require_service(c, actor).await?;
    let row = db::find(c, actor.tenant_id, id, action != "read")
        .await?
        .ok_or(AppError::NotFound)?;
    if !readable(actor, &row) {
        return Err(AppError::NotFound);
    }
    match reach(actor, action)? {
        Reach::All => Ok(row),
        Reach::Own if is_own(actor, &row) => Ok(row),
        Reach::Own => Err(AppError::Forbidden),
    }
}

/// Whom a task can be given to: an active account with an active, unexpired grant.
fn assignable(m: &members::MemberRow) -> bool {
    m.status == Status::Active.as_str()
        && m.access_status == Status::Active.as_str()
        && m.expires_at.is_none_or(|at| at > Utc::now())
}

/// Whether the actor may hand `row`'s task to someone else: with `task:update:own`, only
/// its creator does (an assignee works on it).
fn may_reassign(actor: &Actor, created_by: Option<Uuid>) -> bool {
    match reach(actor, "update") {
        Ok(Reach::All) => true,
        Ok(Reach::Own) => created_by == Some(actor.user_id),
        Err(_) => false,
    }
}

/// An assignee must be an active member of the tenant.
async fn check_assignee(
    c: &mut AsyncPgConnection,
    actor: &Actor,
    assignee: Option<Uuid>,
) -> Result<(), AppError> {
    let Some(user) = assignee else {
        return Ok(());
    };
    let member = members::find(c, actor.tenant_id, user).await?;
    if member.as_ref().is_some_and(assignable) {
        Ok(())
    } else {
        Err(AppError::validation(
            "assigneeId",
            "must be an active member of this tenant",
        ))
    }
}

fn event(actor: &Actor, action: AuditAction, task: Uuid, details: Value) -> Event<'static> {
    Event {
        action,
        outcome: Outcome::Success,
        tenant_id: Some(actor.tenant_id),
        actor_user_id: Some(actor.user_id),
        target: Some(("task", task.to_string())),
        details,
    }
}

/// `GET /api/v1/tasks`: one page, filtered and sorted. With `task:read:own` only, the
/// caller's own tasks.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(
    state: &AppState,
    actor: &Actor,
    query: Input<TaskQuery>,
) -> Result<Page<Task>, AppError> {
    let reach = reach(actor, "read")?;
    let query = query?;
    let filter = query.filter()?;
    let paging = Paging::parse(query.page, query.per_page)?;
    let own = (reach == Reach::Own || filter.mine).then_some(actor.user_id);
    scoped(&state.db, actor.scope(), async |c| {
        require_service(c, actor).await?;
        let (rows, total) = db::list(c, actor.tenant_id, &filter, own, paging).await?;
        let items = views(c, rows).await?;
        Ok(paging.page_of(items, total))
    })
    .await
}

#[tracing::instrument(level = "debug", skip_all, fields(id = %crate::server::http::request_span::shown(&id)))]
pub async fn get(state: &AppState, actor: &Actor, id: Input<Uuid>) -> Result<Task, AppError> {
    reach(actor, "read")?;
    let id = id?;
    scoped(&state.db, actor.scope(), async |c| {
        let row = reachable(c, actor, id, "read").await?;
        view(c, row).await
    })
    .await
}

/// A task's page: the task, its comments, and its edit form filled in from it. `outcome`:
/// the edit form's post without JavaScript that came back to this page.
#[tracing::instrument(level = "debug", skip_all, fields(id = %crate::server::http::request_span::shown(&id)))]
pub async fn page(
    state: &AppState,
    actor: &Actor,
    id: Input<Uuid>,
    outcome: Option<PageOutcome>,
) -> Result<TaskPageView, AppError> {
    let task = get(state, actor, id).await?;
    let comments = comments(state, actor, Ok(task.id)).await?;
    let form = match forms::load(state, actor, SERVICE, outcome, Some(&form_values(&task))).await {
        Ok(form) => Some(form),
        // The service has no form (a super admin removed it): the page shows the task only.
        Err(AppError::NotFound) => None,
        Err(e) => return Err(e),
    };
    let own = task.created_by == Some(actor.user_id) || task.assignee_id == Some(actor.user_id);
    let may = |action: &str| match reach(actor, action) {
        Ok(Reach::All) => true,
        Ok(Reach::Own) => own,
        Err(_) => false,
    };
    let may_delete = may("delete");
    // The form says so at once, rather than after a post that answers 403.
    let form = form.map(|mut f| {
        if !may("update") && f.blocked.is_none() {
            f.blocked = Some("You may not change this task.".into());
        }
        f
    });
    let assignees = if may_reassign(actor, task.created_by) {
        let mut offered = assignees(state, actor).await?;
        // The current assignee stays selectable, so assigning never drops them unasked.
        if let (Some(id), Some(name)) = (task.assignee_id, task.assignee_name.clone()) {
            if !offered.iter().any(|a| a.id == id) {
                offered.insert(0, Assignee { id, name });
            }
        }
        Some(offered)
    } else {
        None
    };
    Ok(TaskPageView {
        task,
        comments,
        form,
        may_delete,
        assignees,
    })
}

/// The tenant's active members, by name, whom a task can be given to.
async fn assignees(state: &AppState, actor: &Actor) -> Result<Vec<Assignee>, AppError> {
    scoped(&state.db, actor.scope(), async |c| {
        let (rows, _) = members::search(c, actor.tenant_id, None, 0, ASSIGNEES_SHOWN).await?;
        Ok(rows
            .into_iter()
            .filter(assignable)
            .map(|m| Assignee {
                id: m.id,
                name: m.name,
            })
            .collect())
    })
    .await
}

/// The board: per status, the first tasks by priority and how many there are. `mine`: only
/// the caller's own tasks (always so with `task:read:own` alone).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn board(
    state: &AppState,
    actor: &Actor,
    mine: bool,
) -> Result<Vec<BoardColumn>, AppError> {
    let reach = reach(actor, "read")?;
    let own = (reach == Reach::Own || mine).then_some(actor.user_id);
    let paging = Paging::parse(None, Some(BOARD_CARDS))?;
    scoped(&state.db, actor.scope(), async |c| {
        require_service(c, actor).await?;
        let mut columns = Vec::with_capacity(TaskStatus::ALL.len());
        for status in TaskStatus::ALL {
            let filter = TaskFilter {
                status: Some(*status),
                sort: Some(crate::domain::task::TaskSort::Priority),
                descending: true,
                ..TaskFilter::default()
            };
            let (rows, total) = db::list(c, actor.tenant_id, &filter, own, paging).await?;
            columns.push(BoardColumn {
                status: *status,
                tasks: views(c, rows).await?,
                total,
            });
        }
        Ok(columns)
    })
    .await
}

/// `POST /api/v1/tasks`, and a submission of the service's form.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn create(
    state: &AppState,
    actor: &Actor,
    command: Input<CreateTask>,
    client: &ClientInfo,
) -> Result<Task, AppError> {
    reach(actor, "create")?;
    let input = TaskInput::try_from(command?)?;
    scoped(&state.db, actor.scope(), async |c| {
        create_in(state, c, actor, input, client).await
    })
    .await
}

/// A create inside the caller's transaction (the forms issue's internal handler will call it).
async fn create_in(
    state: &AppState,
    c: &mut AsyncPgConnection,
    actor: &Actor,
    input: TaskInput,
    client: &ClientInfo,
) -> Result<Task, AppError> {
    reach(actor, "create")?;
    require_service(c, actor).await?;
    let assignee = input.assignee_id.flatten();
    check_assignee(c, actor, assignee).await?;
    let row = db::insert(
        c,
        NewTask {
            tenant_id: actor.tenant_id,
            title: input
                .title
                .ok_or_else(|| AppError::validation("title", "is required"))?,
            description: input.description.unwrap_or_default(),
            status: input.status.unwrap_or(TaskStatus::Todo).as_str().into(),
            priority: input.priority.unwrap_or(Priority::Medium).as_str().into(),
            assignee_id: assignee,
            due_date: input.due_date.flatten(),
            labels: input.labels.unwrap_or_default(),
            custom_fields: Value::Object(input.custom_fields.unwrap_or_default()),
            created_by: actor.user_id,
        },
    )
    .await?;
    let details = json!({ "title": row.title, "status": row.status, "priority": row.priority });
    audit::record(
        c,
        client,
        event(actor, AuditAction::TaskCreate, row.id, details),
    )
    .await?;
    tell_assignee(state, c, actor, &row).await?;
    view(c, row).await
}

/// `PATCH /api/v1/tasks/{id}` with the `version` read: 409 with the current task when
/// another update came first.
#[tracing::instrument(level = "debug", skip_all, fields(id = %crate::server::http::request_span::shown(&id)))]
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Input<Uuid>,
    command: Input<UpdateTask>,
    client: &ClientInfo,
) -> Result<Task, AppError> {
    reach(actor, "update")?;
    let id = id?;
    scoped(&state.db, actor.scope(), async |c| {
        let before = reachable(c, actor, id, "update").await?;
        let (version, input) = command?.try_into()?;
        update_in(state, c, actor, before, version, input, client).await
    })
    .await
}

/// An update of the locked task `before` inside the caller's transaction (the REST API and
/// a submission of the edit form).
async fn update_in(
    state: &AppState,
    c: &mut AsyncPgConnection,
    actor: &Actor,
    before: TaskRow,
    version: i32,
    input: TaskInput,
    client: &ClientInfo,
) -> Result<Task, AppError> {
    let id = before.id;
    if version != before.version {
        return Err(stale(c, before).await?);
    }
    if let Some(a) = input.assignee_id.filter(|a| *a != before.assignee_id) {
        if !may_reassign(actor, before.created_by) {
            return Err(AppError::Forbidden);
        }
        check_assignee(c, actor, a).await?;
    }
    let mut custom = match before.custom_fields.clone() {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    // `null` removes a custom field.
    for (key, value) in input.custom_fields.clone().unwrap_or_default() {
        if value.is_null() {
            custom.remove(&key);
        } else {
            custom.insert(key, value);
        }
    }
    if Value::Object(custom.clone()).to_string().len() > MAX_CUSTOM_BYTES {
        return Err(AppError::validation(
            "customFields",
            format!("must stay under {} KB in all", MAX_CUSTOM_BYTES / 1024),
        ));
    }
    let changes = TaskChanges {
        title: input.title.clone().unwrap_or_else(|| before.title.clone()),
        description: input
            .description
            .clone()
            .unwrap_or_else(|| before.description.clone()),
        status: input
            .status
            .map_or(before.status.clone(), |s| s.as_str().into()),
        priority: input
            .priority
            .map_or(before.priority.clone(), |p| p.as_str().into()),
        assignee_id: input.assignee_id.unwrap_or(before.assignee_id),
        due_date: input.due_date.unwrap_or(before.due_date),
        labels: input
            .labels
            .clone()
            .unwrap_or_else(|| before.labels.clone()),
        custom_fields: Value::Object(custom),
    };
    let unchanged = changes.title == before.title
        && changes.description == before.description
        && changes.status == before.status
        && changes.priority == before.priority
        && changes.assignee_id == before.assignee_id
        && changes.due_date == before.due_date
        && changes.labels == before.labels
        && changes.custom_fields == before.custom_fields;
    if unchanged {
        return view(c, before).await;
    }
    // The row is locked: the version read is the version written.
    let after = db::update(c, actor.tenant_id, id, before.version, changes)
        .await?
        .ok_or(AppError::Internal)?;
    let changed: Vec<&str> = [
        ("title", before.title != after.title),
        ("description", before.description != after.description),
        ("status", before.status != after.status),
        ("priority", before.priority != after.priority),
        ("assigneeId", before.assignee_id != after.assignee_id),
        ("dueDate", before.due_date != after.due_date),
        ("labels", before.labels != after.labels),
        ("customFields", before.custom_fields != after.custom_fields),
    ]
    .into_iter()
    .filter_map(|(k, changed)| changed.then_some(k))
    .collect();
    let details = json!({ "changed": changed, "version": after.version });
    audit::record(
        c,
        client,
        event(actor, AuditAction::TaskUpdate, id, details),
    )
    .await?;
    if before.status != after.status {
        let details = json!({ "from": before.status, "to": after.status });
        audit::record(
            c,
            client,
            event(actor, AuditAction::TaskStatusChange, id, details),
        )
        .await?;
    }
    if before.assignee_id != after.assignee_id {
        tell_assignee(state, c, actor, &after).await?;
    }
    view(c, after).await
}

/// Tells the task's assignee it is theirs now, unless they assigned it to themselves.
async fn tell_assignee(
    state: &AppState,
    c: &mut AsyncPgConnection,
    actor: &Actor,
    task: &TaskRow,
) -> Result<(), AppError> {
    let Some(assignee) = task.assignee_id.filter(|a| *a != actor.user_id) else {
        return Ok(());
    };
    let due = task
        .due_date
        .map(|d| format!(", due {d}"))
        .unwrap_or_default();
    notifications::notify(
        state,
        c,
        actor.tenant_id,
        Note {
            user_id: assignee,
            kind: NotificationKind::TaskAssigned,
            title: format!("Assigned to you: {}", task.title),
            body: format!("Priority {}{due}.", task.priority.to_lowercase()),
            link: Some(format!("/tasks/{}", task.id)),
            topic: None,
        },
    )
    .await
}

/// Whether the actor may change tasks through the edit form at all (whether this task is
/// theirs is checked when it is read).
pub fn authorize_edit(actor: &Actor) -> Result<(), AppError> {
    reach(actor, "update").map(|_| ())
}

/// Checks that task `id` exists for the actor and is theirs to change (404, 403), before
/// the edit form's values are read.
#[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
pub async fn check_editable(
    c: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
) -> Result<(), AppError> {
    reachable(c, actor, id, "update").await.map(|_| ())
}

/// A valid submission of the Task Manager's form, the forms service's internal handler: the
/// task's own fields by name, the fields a tenant added into `customFields`; a new task, or
/// a change of the task the edit form was filled in from.
pub async fn from_form(
    c: &mut AsyncPgConnection,
    s: &Submission<'_>,
    client: &ClientInfo,
) -> Result<Delivered, AppError> {
    let rules = Rules::of(s.schema, s.values);
    let shown: Vec<&str> = s
        .schema
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .filter(|name| rules.shown(name))
        .collect();
    // `check_form` refuses password fields in this form; should one get in anyway, its value
    // is still never kept with a task that others read.
    let values = crate::domain::form::values::without_passwords(&s.schema.fields, s.values);
    let body = body_from_form(&shown, &values, s.record.is_some());
    let task = match s.record {
        None => {
            let input = TaskInput::try_from(CreateTask::from_form(body)?)?;
            create_in(s.state, c, s.actor, input, client).await?
        }
        Some(record) => {
            let before = reachable(c, s.actor, record.id, "update").await?;
            let (version, input) = UpdateTask::from_form(body, record.version)?.try_into()?;
            update_in(s.state, c, s.actor, before, version, input, client).await?
        }
    };
    let message = match s.record {
        None => format!("Task \"{}\" created.", task.title),
        Some(_) => format!("Task saved (version {}).", task.version),
    };
    Ok(Delivered {
        message: Some(message),
        reference: Some(task.id.to_string()),
    })
}

/// The 409 of an update read at an older version: the task as it is now.
async fn stale(c: &mut AsyncPgConnection, current: TaskRow) -> Result<AppError, AppError> {
    let current = view(c, current).await?;
    Ok(AppError::Stale {
        message: format!(
            "The task was changed by someone else since (now version {}); reload it and apply your changes again.",
            current.version
        ),
        current: serde_json::to_string(&current).map_err(|_| AppError::Internal)?,
    })
}

#[tracing::instrument(level = "debug", skip_all, fields(id = %crate::server::http::request_span::shown(&id)))]
pub async fn delete(
    state: &AppState,
    actor: &Actor,
    id: Input<Uuid>,
    client: &ClientInfo,
) -> Result<(), AppError> {
    reach(actor, "delete")?;
    let id = id?;
    scoped(&state.db, actor.scope(), async |c| {
        let row = reachable(c, actor, id, "delete").await?;
        if !db::delete(c, actor.tenant_id, id).await? {
            return Err(AppError::NotFound);
        }
        let details = json!({ "title": row.title });
        audit::record(
            c,
            client,
            event(actor, AuditAction::TaskDelete, id, details),
        )
        .await?;
        Ok(())
    })
    .await
}

async fn comment_views(
    c: &mut AsyncPgConnection,
    rows: Vec<CommentRow>,
) -> Result<Vec<Comment>, AppError> {
    let ids: Vec<Uuid> = rows.iter().filter_map(|r| r.author_id).collect();
    let names: HashMap<Uuid, String> = db::names(c, &ids).await?.into_iter().collect();
    Ok(rows
        .into_iter()
        .map(|r| Comment {
            id: r.id,
            author_name: r.author_id.and_then(|a| names.get(&a).cloned()),
            author_id: r.author_id,
            body: r.body,
            created_at: r.created_at,
        })
        .collect())
}

/// The comments of a task the actor may read.
#[tracing::instrument(level = "debug", skip_all, fields(id = %crate::server::http::request_span::shown(&id)))]
pub async fn comments(
    state: &AppState,
    actor: &Actor,
    id: Input<Uuid>,
) -> Result<Vec<Comment>, AppError> {
    reach(actor, "read")?;
    let id = id?;
    scoped(&state.db, actor.scope(), async |c| {
        reachable(c, actor, id, "read").await?;
        let rows = db::comments(c, actor.tenant_id, id, COMMENTS_SHOWN).await?;
        comment_views(c, rows).await
    })
    .await
}

/// Comments on a task the actor may read: anyone who may read a task may discuss it.
#[tracing::instrument(level = "debug", skip_all, fields(id = %crate::server::http::request_span::shown(&id)))]
pub async fn comment(
    state: &AppState,
    actor: &Actor,
    id: Input<Uuid>,
    body: Input<String>,
    client: &ClientInfo,
) -> Result<Comment, AppError> {
    reach(actor, "read")?;
    let id = id?;
    scoped(&state.db, actor.scope(), async |c| {
        let task = reachable(c, actor, id, "read").await?;
        let body = body?;
        let text = body.trim();
        if text.is_empty() || text.chars().count() > MAX_COMMENT {
            return Err(AppError::validation(
                "body",
                format!("must be 1 to {MAX_COMMENT} characters"),
            ));
        }
        let row = db::insert_comment(c, actor.tenant_id, id, actor.user_id, text).await?;
        let details = json!({ "comment": row.id });
        audit::record(
            c,
            client,
            event(actor, AuditAction::TaskComment, id, details),
        )
        .await?;
        // The people the task is about hear of it, not the one who wrote (in a fixed order:
        // `notify` holds each inbox until the transaction ends).
        let mut people: Vec<Uuid> = [task.assignee_id, task.created_by]
            .into_iter()
            .flatten()
            .filter(|p| *p != actor.user_id)
            .collect();
        people.sort();
        people.dedup();
        for person in people {
            notifications::notify(
                state,
                c,
                actor.tenant_id,
                Note {
                    user_id: person,
                    kind: NotificationKind::TaskComment,
                    title: format!("New comment on {}", task.title),
                    body: text.to_string(),
                    link: Some(format!("/tasks/{}", task.id)),
                    topic: None,
                },
            )
            .await?;
        }
        Ok(comment_views(c, vec![row]).await?.remove(0))
    })
    .await
}
