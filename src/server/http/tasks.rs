//! `/api/v1/tasks`: the Task Manager's tasks in the caller's current tenant, and their
//! comments.

use crate::server::http::openapi::{Nothing, Success};
use axum::{extract::State, http::StatusCode};
use serde_json::Value;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    domain::{
        error::AppError,
        paging::Page,
        task::{AddComment, Comment, CreateTask, Task, TaskQuery, UpdateTask},
    },
    server::{
        auth::actor::{Actor, ClientInfo},
        http::error::{ApiJson, ApiQuery, ApiResult, Envelope, PathId},
        services::tasks,
        state::AppState,
    },
};

/// The current tenant's tasks, filtered and sorted (`task:read`, or `task:read:own` for the caller's own).
#[utoipa::path(
    get,
    path = "/tasks",
    tag = "tasks",
    operation_id = "listTasks",
    params(TaskQuery),
    responses((status = 200, description = "Success", body = Success<Page<Task>>), (status = 404, description = "The Task Manager is not available in the current tenant"))
)]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<TaskQuery>,
) -> ApiResult<Page<Task>> {
    Ok(Envelope(tasks::list(&state, &actor, query).await?))
}

/// One task (`task:read`, or `task:read:own` for the caller's own).
#[utoipa::path(
    get,
    path = "/tasks/{id}",
    tag = "tasks",
    operation_id = "getTask",
    params(("id" = Uuid, Path, description = "The task's id")),
    responses((status = 200, description = "Success", body = Success<Task>))
)]
pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    PathId(id): PathId,
) -> ApiResult<Task> {
    Ok(Envelope(tasks::get(&state, &actor, id).await?))
}

/// Adds a task (`task:create`).
#[utoipa::path(
    post,
    path = "/tasks",
    tag = "tasks",
    operation_id = "createTask", request_body = CreateTask,
    responses((status = 201, description = "Created", body = Success<Task>), (status = 404, description = "The Task Manager is not available in the current tenant"))
)]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    ApiJson(command): ApiJson<CreateTask>,
) -> Result<(StatusCode, Envelope<Task>), AppError> {
    let task = tasks::create(&state, &actor, command, &client).await?;
    Ok((StatusCode::CREATED, Envelope(task)))
}

/// Changes what the body names; `null` clears an optional field (`task:update`).
#[utoipa::path(
    patch,
    path = "/tasks/{id}",
    tag = "tasks",
    operation_id = "updateTask", request_body = UpdateTask,
    params(("id" = Uuid, Path, description = "The task's id")),
    responses((status = 200, description = "Success", body = Success<Task>))
)]
pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId,
    ApiJson(command): ApiJson<UpdateTask>,
) -> ApiResult<Task> {
    Ok(Envelope(
        tasks::update(&state, &actor, id, command, &client).await?,
    ))
}

/// Deletes a task and its comments (`task:delete`).
#[utoipa::path(
    delete,
    path = "/tasks/{id}",
    tag = "tasks",
    operation_id = "deleteTask",
    params(("id" = Uuid, Path, description = "The task's id")),
    responses((status = 200, description = "Success", body = Success<Nothing>))
)]
pub async fn delete(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId,
) -> ApiResult<Value> {
    tasks::delete(&state, &actor, id, &client).await?;
    Ok(Envelope(Value::Null))
}

/// A task's comments, oldest first (`task:read`, or `task:read:own` for the caller's own).
#[utoipa::path(
    get,
    path = "/tasks/{id}/comments",
    tag = "tasks",
    operation_id = "listComments",
    params(("id" = Uuid, Path, description = "The task's id")),
    responses((status = 200, description = "Success", body = Success<Vec<Comment>>))
)]
pub async fn comments(
    State(state): State<AppState>,
    actor: Actor,
    PathId(id): PathId,
) -> ApiResult<Vec<Comment>> {
    Ok(Envelope(tasks::comments(&state, &actor, id).await?))
}

/// Comments on a task (`task:read`, or `task:read:own` for the caller's own).
#[utoipa::path(
    post,
    path = "/tasks/{id}/comments",
    tag = "tasks",
    operation_id = "addComment", request_body = AddComment,
    params(("id" = Uuid, Path, description = "The task's id")),
    responses((status = 201, description = "Created", body = Success<Comment>))
)]
pub async fn comment(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId,
    ApiJson(body): ApiJson<AddComment>,
) -> Result<(StatusCode, Envelope<Comment>), AppError> {
    let text = body.map(|b| b.body);
    let comment = tasks::comment(&state, &actor, id, text, &client).await?;
    Ok((StatusCode::CREATED, Envelope(comment)))
}

/// `/tasks*`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
        .routes(routes!(comments, comment))
}
