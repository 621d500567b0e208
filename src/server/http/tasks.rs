//! `/api/v1/tasks`: the Task Manager's tasks in the caller's current tenant, and their
//! comments.

use axum::{extract::State, http::StatusCode};
use serde::Deserialize;
use serde_json::Value;

use crate::{
    domain::{
        error::AppError,
        paging::Page,
        task::{Comment, Task, TaskInput, TaskQuery},
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
    ApiJson(body): ApiJson<Value>,
) -> Result<(StatusCode, Envelope<Task>), AppError> {
    let input = body.and_then(|b| TaskInput::parse(&b, true, &[]));
    let task = tasks::create(&state, &actor, input, &client).await?;
    Ok((StatusCode::CREATED, Envelope(task)))
}

/// The body of an update: the fields to change and the `version` they were read at.
fn read_update(body: &Value) -> Result<(i32, TaskInput), AppError> {
    let input = TaskInput::parse(body, false, &["version"])?;
    let version = body
        .get("version")
        .and_then(Value::as_i64)
        .and_then(|v| i32::try_from(v).ok())
        .filter(|v| *v > 0)
        .ok_or_else(|| AppError::validation("version", "is required: the version you read"))?;
    Ok((version, input))
}

pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<Task> {
    let change = body.and_then(|b| read_update(&b));
    Ok(Envelope(
        tasks::update(&state, &actor, id, change, &client).await?,
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentBody {
    body: String,
}

pub async fn comment(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId,
    ApiJson(body): ApiJson<CommentBody>,
) -> Result<(StatusCode, Envelope<Comment>), AppError> {
    let text = body.map(|b| b.body);
    let comment = tasks::comment(&state, &actor, id, text, &client).await?;
    Ok((StatusCode::CREATED, Envelope(comment)))
}
