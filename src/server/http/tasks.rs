//! `/api/v1/tasks`: the Task Manager's tasks in the caller's current tenant, and their
//! comments.

use axum::{extract::State, http::StatusCode};
use serde_json::Value;

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

pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<TaskQuery>,
) -> ApiResult<Page<Task>> {
    Ok(Envelope(tasks::list(&state, &actor, query).await?))
}

pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    PathId(id): PathId,
) -> ApiResult<Task> {
    Ok(Envelope(tasks::get(&state, &actor, id).await?))
}

pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    ApiJson(command): ApiJson<CreateTask>,
) -> Result<(StatusCode, Envelope<Task>), AppError> {
    let task = tasks::create(&state, &actor, command, &client).await?;
    Ok((StatusCode::CREATED, Envelope(task)))
}

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

pub async fn delete(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId,
) -> ApiResult<Value> {
    tasks::delete(&state, &actor, id, &client).await?;
    Ok(Envelope(Value::Null))
}

pub async fn comments(
    State(state): State<AppState>,
    actor: Actor,
    PathId(id): PathId,
) -> ApiResult<Vec<Comment>> {
    Ok(Envelope(tasks::comments(&state, &actor, id).await?))
}

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
