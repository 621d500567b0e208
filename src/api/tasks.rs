//! The Task Manager's pages call these: the list, a task's page, the board, comments, moves
//! and deletes. Each calls the tasks service, which decides who may do what; a task's edit
//! and create forms submit through the forms' `forms_submit`.

use leptos::prelude::*;

use crate::domain::{
    error::AppError,
    paging::Page,
    task::{BoardColumn, Comment, Task, TaskPageView, TaskQuery},
};

#[cfg(feature = "ssr")]
fn task_id(raw: &str) -> Result<uuid::Uuid, AppError> {
    // Not a task id: no such task (like another tenant's).
    raw.trim().parse().map_err(|_| AppError::NotFound)
}

#[server(prefix = "/api", endpoint = "tasks_list")]
pub async fn list_tasks(#[server(default)] query: TaskQuery) -> Result<Page<Task>, AppError> {
    use crate::{api::context, server::services::tasks};
    context::as_actor(async |state, actor| tasks::list(state, actor, Ok(query)).await).await
}

#[server(prefix = "/api", endpoint = "tasks_page")]
pub async fn task_page(id: String) -> Result<TaskPageView, AppError> {
    use crate::{
        api::{context, forms::take_outcome},
        server::services::tasks,
    };
    context::as_actor(async |state, actor| {
        let outcome = take_outcome(actor, crate::domain::task::SERVICE, Some(&id)).await?;
        tasks::page(state, actor, task_id(&id), outcome).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "tasks_board")]
pub async fn task_board(#[server(default)] mine: String) -> Result<Vec<BoardColumn>, AppError> {
    use crate::{api::context, server::services::tasks};
    context::as_actor(async |state, actor| tasks::board(state, actor, mine == "true").await).await
}

/// The version a change was read at; read after the authorization, like a body.
#[cfg(feature = "ssr")]
fn read_version(raw: &str) -> Result<i32, AppError> {
    raw.trim()
        .parse()
        .map_err(|_| AppError::validation("version", "is required: the version you read"))
}

/// A board move: the task's new status, at the version the board showed.
#[server(prefix = "/api", endpoint = "tasks_move")]
pub async fn move_task(id: String, version: String, status: String) -> Result<Task, AppError> {
    use crate::{
        api::context,
        domain::task::{TaskStatus, UpdateTask},
        server::services::tasks,
    };
    context::as_actor(async |state, actor| {
        let client = context::client().await;
        let change = TaskStatus::parse_field("status", &status).and_then(|s| {
            Ok(UpdateTask {
                version: read_version(&version)?,
                status: Some(s),
                ..UpdateTask::default()
            })
        });
        tasks::update(state, actor, task_id(&id), change, &client).await
    })
    .await
}

/// A task added from a board column: its title, in that column's status.
#[server(prefix = "/api", endpoint = "tasks_add")]
pub async fn add_task(title: String, status: String) -> Result<Task, AppError> {
    use crate::{
        api::context,
        domain::task::{CreateTask, TaskStatus},
        server::services::tasks,
    };
    context::as_actor(async |state, actor| {
        let client = context::client().await;
        let command = TaskStatus::parse_field("status", &status).map(|s| CreateTask {
            title,
            status: Some(s),
            ..CreateTask::default()
        });
        tasks::create(state, actor, command, &client).await
    })
    .await
}

/// Hands the task to a member (`assignee` empty: nobody), at the version the page showed.
#[server(prefix = "/api", endpoint = "tasks_assign")]
pub async fn assign_task(
    id: String,
    version: String,
    #[server(default)] assignee: String,
) -> Result<Task, AppError> {
    use crate::{api::context, domain::task::UpdateTask, server::services::tasks};
    context::as_actor(async |state, actor| {
        let client = context::client().await;
        let change = read_version(&version).map(|version| UpdateTask {
            version,
            assignee_id: Some(Some(assignee)),
            ..UpdateTask::default()
        });
        tasks::update(state, actor, task_id(&id), change, &client).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "tasks_comment")]
pub async fn comment_task(id: String, body: String) -> Result<Comment, AppError> {
    use crate::{api::context, server::services::tasks};
    context::as_actor(async |state, actor| {
        let client = context::client().await;
        tasks::comment(state, actor, task_id(&id), Ok(body), &client).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "tasks_delete")]
pub async fn delete_task(id: String) -> Result<(), AppError> {
    use crate::{api::context, server::services::tasks};
    context::as_actor(async |state, actor| {
        let client = context::client().await;
        tasks::delete(state, actor, task_id(&id), &client).await?;
        // Without JavaScript the delete button's form lands on the list.
        if context::from_html_form() {
            leptos_axum::redirect("/tasks/list");
        }
        Ok(())
    })
    .await
}
