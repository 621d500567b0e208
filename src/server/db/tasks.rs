//! Queries of the Task Manager: tasks (filtered, sorted and paged within one tenant, always
//! filtered by tenant in SQL besides row-level security) and their comments.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::{pg::Pg, prelude::*};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::Value;
use uuid::Uuid;

use super::schema::{task_comments, tasks, users};
use crate::domain::{
    paging::Paging,
    task::{TaskFilter, TaskSort},
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tasks, check_for_backend(Pg))]
pub struct TaskRow {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub status: String,
    pub priority: String,
    pub assignee_id: Option<Uuid>,
    pub due_date: Option<NaiveDate>,
    pub labels: Vec<String>,
    pub custom_fields: Value,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// The columns a create writes.
#[derive(Insertable)]
// `None` inserts NULL, which is what DEFAULT gives these columns: with DEFAULT-able `Option`
// fields diesel never caches the INSERT's prepared statement.
#[diesel(table_name = tasks, treat_none_as_default_value = false)]
pub struct NewTask {
    pub tenant_id: Uuid,
    pub title: String,
    pub description: String,
    pub status: String,
    pub priority: String,
    pub assignee_id: Option<Uuid>,
    pub due_date: Option<NaiveDate>,
    pub labels: Vec<String>,
    pub custom_fields: Value,
    pub created_by: Uuid,
}

/// The columns an update writes (all of them: the service merged the change).
#[derive(AsChangeset)]
#[diesel(table_name = tasks, treat_none_as_null = true)]
pub struct TaskChanges {
    pub title: String,
    pub description: String,
    pub status: String,
    pub priority: String,
    pub assignee_id: Option<Uuid>,
    pub due_date: Option<NaiveDate>,
    pub labels: Vec<String>,
    pub custom_fields: Value,
}

type Boxed<'a> = tasks::BoxedQuery<'a, Pg>;

/// The filtered tasks of one tenant; `own`: only those this user created or is assigned to.
fn filtered<'a>(tenant: Uuid, f: &'a TaskFilter, own: Option<Uuid>) -> Boxed<'a> {
    let mut q = tasks::table
        .filter(tasks::tenant_id.eq(tenant))
        .into_boxed();
    if let Some(s) = f.status {
        q = q.filter(tasks::status.eq(s.as_str()));
    }
    if let Some(p) = f.priority {
        q = q.filter(tasks::priority.eq(p.as_str()));
    }
    match f.assignee {
        Some(Some(a)) => q = q.filter(tasks::assignee_id.eq(a)),
        Some(None) => q = q.filter(tasks::assignee_id.is_null()),
        None => {}
    }
    if let Some(d) = f.due_before {
        q = q.filter(tasks::due_date.lt(d));
    }
    if let Some(d) = f.due_after {
        q = q.filter(tasks::due_date.gt(d));
    }
    if let Some(label) = &f.label {
        q = q.filter(tasks::labels.contains(vec![label.clone()]));
    }
    if let Some(text) = &f.search {
        let escaped = text
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = format!("%{escaped}%");
        q = q.filter(
            tasks::title
                .ilike(pattern.clone())
                .or(tasks::description.ilike(pattern)),
        );
    }
    if let Some(user) = own {
        q = q.filter(tasks::created_by.eq(user).or(tasks::assignee_id.eq(user)));
    }
    q
}

/// One page of a tenant's tasks, and how many match.
pub async fn list(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    filter: &TaskFilter,
    own: Option<Uuid>,
    paging: Paging,
) -> QueryResult<(Vec<TaskRow>, i64)> {
    let total: i64 = filtered(tenant, filter, own)
        .count()
        .get_result(conn)
        .await?;
    let mut q = filtered(tenant, filter, own).select(TaskRow::as_select());
    let desc = filter.descending;
    q = match (filter.sort.unwrap_or(TaskSort::Created), desc) {
        (TaskSort::Created, true) => q.order((tasks::created_at.desc(), tasks::id.desc())),
        (TaskSort::Created, false) => q.order((tasks::created_at.asc(), tasks::id.asc())),
        (TaskSort::Updated, true) => q.order((tasks::updated_at.desc(), tasks::id.desc())),
        (TaskSort::Updated, false) => q.order((tasks::updated_at.asc(), tasks::id.asc())),
        // Undated tasks last both ways.
        (TaskSort::Due, true) => q.order((tasks::due_date.desc().nulls_last(), tasks::id.desc())),
        (TaskSort::Due, false) => q.order((tasks::due_date.asc().nulls_last(), tasks::id.asc())),
        (TaskSort::Title, true) => q.order((tasks::title.desc(), tasks::id.desc())),
        (TaskSort::Title, false) => q.order((tasks::title.asc(), tasks::id.asc())),
        (TaskSort::Priority, true) => q.order((tasks::priority_rank.desc(), tasks::id.desc())),
        (TaskSort::Priority, false) => q.order((tasks::priority_rank.asc(), tasks::id.asc())),
    };
    let rows = q
        .offset(paging.offset())
        .limit(paging.limit())
        .load(conn)
        .await?;
    Ok((rows, total))
}

/// The task; `lock`: locked until the transaction ends, so that what an update or a
/// delete checks is what it changes.
pub async fn find(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    id: Uuid,
    lock: bool,
) -> QueryResult<Option<TaskRow>> {
    let q = tasks::table
        .filter(tasks::tenant_id.eq(tenant))
        .filter(tasks::id.eq(id))
        .select(TaskRow::as_select());
    if lock {
        q.for_update().first(conn).await.optional()
    } else {
        q.first(conn).await.optional()
    }
}

/// Whether the tenant has any task at all.
pub async fn any_in(conn: &mut AsyncPgConnection, tenant: Uuid) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        tasks::table.filter(tasks::tenant_id.eq(tenant)),
    ))
    .get_result(conn)
    .await
}

pub async fn insert(conn: &mut AsyncPgConnection, task: NewTask) -> QueryResult<TaskRow> {
    diesel::insert_into(tasks::table)
        .values(task)
        .returning(TaskRow::as_returning())
        .get_result(conn)
        .await
}

/// Writes `changes` if the task is still at `version`; the task as written, or `None` when
/// another update came first.
pub async fn update(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    id: Uuid,
    version: i32,
    changes: TaskChanges,
) -> QueryResult<Option<TaskRow>> {
    diesel::update(
        tasks::table
            .filter(tasks::tenant_id.eq(tenant))
            .filter(tasks::id.eq(id))
            .filter(tasks::version.eq(version)),
    )
    .set((
        changes,
        tasks::version.eq(tasks::version + 1),
        tasks::updated_at.eq(diesel::dsl::now),
    ))
    .returning(TaskRow::as_returning())
    .get_result(conn)
    .await
    .optional()
}

pub async fn delete(conn: &mut AsyncPgConnection, tenant: Uuid, id: Uuid) -> QueryResult<bool> {
    let n = diesel::delete(
        tasks::table
            .filter(tasks::tenant_id.eq(tenant))
            .filter(tasks::id.eq(id)),
    )
    .execute(conn)
    .await?;
    Ok(n == 1)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = task_comments, check_for_backend(Pg))]
pub struct CommentRow {
    pub id: Uuid,
    pub author_id: Option<Uuid>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

pub async fn comments(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    task: Uuid,
    limit: i64,
) -> QueryResult<Vec<CommentRow>> {
    task_comments::table
        .filter(task_comments::tenant_id.eq(tenant))
        .filter(task_comments::task_id.eq(task))
        .order((task_comments::created_at.asc(), task_comments::id.asc()))
        .limit(limit)
        .select(CommentRow::as_select())
        .load(conn)
        .await
}

pub async fn insert_comment(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    task: Uuid,
    author: Uuid,
    body: &str,
) -> QueryResult<CommentRow> {
    diesel::insert_into(task_comments::table)
        .values((
            task_comments::tenant_id.eq(tenant),
            task_comments::task_id.eq(task),
            task_comments::author_id.eq(author),
            task_comments::body.eq(body),
        ))
        .returning(CommentRow::as_returning())
        .get_result(conn)
        .await
}

/// The names of these users (those the scope may see).
pub async fn names(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<(Uuid, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::name))
        .load(conn)
        .await
}
