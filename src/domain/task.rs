//! The Task Manager's tasks: what a task is, what a create or an update may say
//! (errors name their field), and how a list is asked for. Compiles for the browser too.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::{
    closed_set,
    domain::{
        command::{decode, present},
        error::AppError,
        form::{schema::FormSchema, serde_as_str},
        service::reader::JsonPath,
    },
};

closed_set! {
    pub enum TaskStatus {
        Todo => "TODO",
        InProgress => "IN_PROGRESS",
        Done => "DONE",
        Cancelled => "CANCELLED",
    }
}

closed_set! {
    pub enum Priority {
        Low => "LOW",
        Medium => "MEDIUM",
        High => "HIGH",
        Urgent => "URGENT",
    }
}

serde_as_str!(TaskStatus);
serde_as_str!(Priority);

/// The Task Manager's name in the service registry.
pub const SERVICE: &str = "task-manager";

pub const MAX_TITLE: usize = 200;
pub const MAX_DESCRIPTION: usize = 10_000;
pub const MAX_LABELS: usize = 20;
pub const MAX_LABEL: usize = 40;
pub const MAX_CUSTOM_BYTES: usize = 16 * 1024;
pub const MAX_COMMENT: usize = 5_000;

/// The fields of a task that a create sets and an update may change (besides
/// `customFields`, the fields a tenant adds).
pub const TASK_FIELDS: &[&str] = &[
    "title",
    "description",
    "status",
    "priority",
    "assigneeId",
    "dueDate",
    "labels",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Task {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub status: TaskStatus,
    pub priority: Priority,
    pub assignee_id: Option<Uuid>,
    pub assignee_name: Option<String>,
    pub due_date: Option<NaiveDate>,
    pub labels: Vec<String>,
    pub custom_fields: Value,
    pub created_by: Option<Uuid>,
    pub created_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Optimistic concurrency: an update names the version it read.
    pub version: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Comment {
    pub id: Uuid,
    pub author_id: Option<Uuid>,
    pub author_name: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// `POST /api/v1/tasks`: a new task in the caller's current tenant.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateTask {
    /// What is to be done: 1 to 200 characters.
    pub title: String,
    /// Plain text, at most 10,000 characters.
    #[serde(default)]
    pub description: Option<String>,
    /// `TODO` (the default), `IN_PROGRESS`, `DONE` or `CANCELLED`.
    #[serde(default)]
    pub status: Option<TaskStatus>,
    /// `LOW`, `MEDIUM` (the default), `HIGH` or `URGENT`.
    #[serde(default)]
    pub priority: Option<Priority>,
    /// The user id of a member of this tenant; empty or `null`: nobody.
    #[serde(default)]
    pub assignee_id: Option<String>,
    /// `YYYY-MM-DD`, years 1900 to 9999.
    #[serde(default)]
    pub due_date: Option<String>,
    /// At most 20 labels of 1 to 40 characters; repeats are kept once.
    #[serde(default)]
    pub labels: Option<Vec<String>>,
    /// Fields the tenant's task form adds: an object of at most 16 KB.
    #[serde(default)]
    pub custom_fields: Option<Map<String, Value>>,
}

/// `PATCH /api/v1/tasks/{id}`: the fields to change, and the `version` of the task they were
/// read from (a newer version answers 409 with the task as it is now). An absent field keeps
/// its value; `null` clears an optional one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UpdateTask {
    /// The version the change was made against.
    pub version: i32,
    #[serde(default, deserialize_with = "present")]
    pub title: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub description: Option<Option<String>>,
    #[serde(default)]
    pub status: Option<TaskStatus>,
    #[serde(default)]
    pub priority: Option<Priority>,
    #[serde(default, deserialize_with = "present")]
    pub assignee_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub due_date: Option<Option<String>>,
    #[serde(default)]
    pub labels: Option<Vec<String>>,
    #[serde(default)]
    pub custom_fields: Option<Map<String, Value>>,
}

/// `POST /api/v1/tasks/{id}/comments`: a comment on a task.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AddComment {
    /// Plain text.
    pub body: String,
}

/// What a create or an update says, checked; `None`: not given (an update keeps the value).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TaskInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub status: Option<TaskStatus>,
    pub priority: Option<Priority>,
    /// `Some(None)`: unassign.
    pub assignee_id: Option<Option<Uuid>>,
    pub due_date: Option<Option<NaiveDate>>,
    pub labels: Option<Vec<String>>,
    pub custom_fields: Option<Map<String, Value>>,
}

impl CreateTask {
    /// A create from the task form's body (`body_from_form`).
    pub fn from_form(body: Value) -> Result<Self, AppError> {
        decode(body)
    }
}

impl UpdateTask {
    /// An update from the task form's body (`body_from_form`), at the version the page
    /// showed.
    pub fn from_form(mut body: Value, version: i32) -> Result<Self, AppError> {
        if let Value::Object(map) = &mut body {
            map.insert("version".into(), Value::from(version));
        }
        decode(body)
    }
}

impl TryFrom<CreateTask> for TaskInput {
    type Error = AppError;

    fn try_from(c: CreateTask) -> Result<Self, AppError> {
        TaskInput::checked(UpdateTask {
            version: 0,
            title: Some(Some(c.title)),
            description: c.description.map(Some),
            status: c.status,
            priority: c.priority,
            assignee_id: c.assignee_id.map(Some),
            due_date: c.due_date.map(Some),
            labels: c.labels,
            custom_fields: c.custom_fields,
        })
    }
}

impl TryFrom<UpdateTask> for (i32, TaskInput) {
    type Error = AppError;

    /// The version the change names, and the change.
    fn try_from(u: UpdateTask) -> Result<Self, AppError> {
        if u.version < 1 {
            return Err(AppError::validation(
                "version",
                "is required: the version you read",
            ));
        }
        Ok((u.version, TaskInput::checked(u)?))
    }
}

/// The largest number kept in custom fields: PostgreSQL stores JSON numbers as exact
/// decimals, and one near `f64::MAX` would read back as a number JSON readers overflow on.
const MAX_NUMBER: f64 = 1e15;

/// The path of the first number in `value` beyond `MAX_NUMBER`, below `path`.
fn huge_number(value: &Value, path: &str) -> Option<String> {
    match value {
        Value::Number(n) => n
            .as_f64()
            .is_none_or(|f| !f.is_finite() || f.abs() > MAX_NUMBER)
            .then(|| path.to_string()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| huge_number(v, &format!("{path}[{i}]"))),
        Value::Object(map) => map
            .iter()
            .find_map(|(k, v)| huge_number(v, &format!("{path}.{k}"))),
        _ => None,
    }
}

impl TaskInput {
    /// The one set of checks of a task's fields, for a create and an update alike.
    fn checked(u: UpdateTask) -> Result<Self, AppError> {
        let title = match u.title {
            None => None,
            Some(t) => match t.as_deref().map(str::trim) {
                Some(t) if t.contains('\0') => {
                    return Err(AppError::validation(
                        "title",
                        "must not contain NUL characters",
                    ))
                }
                Some(t) if t.chars().count() > MAX_TITLE => {
                    return Err(AppError::validation(
                        "title",
                        format!("must be at most {MAX_TITLE} characters"),
                    ))
                }
                Some(t) if !t.is_empty() => Some(t.to_string()),
                _ => return Err(AppError::validation("title", "is required")),
            },
        };
        let description = match u.description {
            Some(Some(d)) if d.chars().count() > MAX_DESCRIPTION => {
                return Err(AppError::validation(
                    "description",
                    format!("must be text of at most {MAX_DESCRIPTION} characters"),
                ))
            }
            other => other.map(Option::unwrap_or_default),
        };
        let assignee_id = match u.assignee_id {
            None => None,
            Some(a) => match a.as_deref().map(str::trim) {
                None | Some("") => Some(None),
                Some(id) => Some(Some(id.parse().map_err(|_| {
                    AppError::validation("assigneeId", "must be the id of a member of this tenant")
                })?)),
            },
        };
        let due_date = match u.due_date {
            None => None,
            Some(d) => match d.as_deref().map(str::trim) {
                None | Some("") => Some(None),
                Some(d) => {
                    Some(Some(parse_date(d).ok_or_else(|| {
                        AppError::validation("dueDate", DATE_MESSAGE)
                    })?))
                }
            },
        };
        let labels = u.labels.map(checked_labels).transpose()?;
        if let Some(fields) = &u.custom_fields {
            if Value::Object(fields.clone()).to_string().len() > MAX_CUSTOM_BYTES {
                return Err(AppError::validation(
                    "customFields",
                    format!(
                        "must be an object of at most {} KB",
                        MAX_CUSTOM_BYTES / 1024
                    ),
                ));
            }
            if let Some(path) = fields.iter().find_map(|(k, v)| huge_number(v, k)) {
                return Err(AppError::validation(
                    format!("customFields.{path}"),
                    format!("numbers must be between -{MAX_NUMBER:e} and {MAX_NUMBER:e}"),
                ));
            }
        }
        Ok(Self {
            title,
            description,
            status: u.status,
            priority: u.priority,
            assignee_id,
            due_date,
            labels,
            custom_fields: u.custom_fields,
        })
    }
}

const DATE_MESSAGE: &str = "must be a date (YYYY-MM-DD) between 1900 and 9999";

/// A calendar date PostgreSQL and people both read: `YYYY-MM-DD`, years 1900 to 9999.
fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (1900..=9999).contains(&chrono::Datelike::year(d)))
}

fn checked_labels(items: Vec<String>) -> Result<Vec<String>, AppError> {
    if items.len() > MAX_LABELS {
        return Err(AppError::validation(
            "labels",
            format!("must have at most {MAX_LABELS} items"),
        ));
    }
    let mut labels: Vec<String> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let label = Some(item.trim())
            .filter(|l| !l.is_empty() && l.chars().count() <= MAX_LABEL)
            .ok_or_else(|| {
                JsonPath::root("labels")
                    .index(i)
                    .error(format!("must be text of 1 to {MAX_LABEL} characters"))
            })?;
        if !labels.iter().any(|l| l == label) {
            labels.push(label.to_string());
        }
    }
    Ok(labels)
}

closed_set! {
    /// How a list is ordered.
    pub enum TaskSort {
        Created => "created",
        Updated => "updated",
        Due => "due",
        Priority => "priority",
        Title => "title",
    }
}

/// A list's filters, read from the query string.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TaskFilter {
    pub status: Option<TaskStatus>,
    pub priority: Option<Priority>,
    /// `Some(None)`: unassigned tasks.
    pub assignee: Option<Option<Uuid>>,
    pub due_before: Option<NaiveDate>,
    pub due_after: Option<NaiveDate>,
    pub label: Option<String>,
    pub search: Option<String>,
    /// Only tasks the caller created or is assigned to ("My Tasks").
    pub mine: bool,
    pub sort: Option<TaskSort>,
    pub descending: bool,
}

/// Raw query-string values, as they arrive.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[serde(rename_all = "camelCase", default)]
pub struct TaskQuery {
    /// `TODO`, `IN_PROGRESS`, `DONE` or `CANCELLED`.
    pub status: Option<String>,
    /// `LOW`, `MEDIUM`, `HIGH` or `URGENT`.
    pub priority: Option<String>,
    /// The assignee's user id, or `none` for unassigned tasks.
    pub assignee: Option<String>,
    /// Due on or before this date (`YYYY-MM-DD`).
    pub due_before: Option<String>,
    /// Due on or after this date (`YYYY-MM-DD`).
    pub due_after: Option<String>,
    /// Carrying this label.
    pub label: Option<String>,
    /// Words in the title or description.
    pub search: Option<String>,
    /// Only tasks the caller created or is assigned.
    pub mine: Option<bool>,
    /// `created`, `updated`, `due`, `priority` or `title`, with `-` first for descending
    /// (`-priority`); newest first by default.
    pub sort: Option<String>,
    /// The page, from 1.
    pub page: Option<i64>,
    /// Items per page, from 1 to 100 (20 by default).
    pub per_page: Option<i64>,
}

impl TaskQuery {
    pub fn filter(&self) -> Result<TaskFilter, AppError> {
        fn text(v: &Option<String>) -> Option<&str> {
            v.as_deref().map(str::trim).filter(|s| !s.is_empty())
        }
        let date = |field: &str, v: &Option<String>| -> Result<Option<NaiveDate>, AppError> {
            text(v)
                .map(|s| parse_date(s).ok_or_else(|| AppError::validation(field, DATE_MESSAGE)))
                .transpose()
        };
        let (sort, descending) = match text(&self.sort) {
            None => (None, true),
            Some(s) => {
                let (name, desc) = match s.strip_prefix('-') {
                    Some(rest) => (rest, true),
                    None => (s, false),
                };
                (Some(TaskSort::parse_field("sort", name)?), desc)
            }
        };
        let bounded =
            |field: &str, v: Option<&str>, max: usize| -> Result<Option<String>, AppError> {
                match v {
                    Some(s) if s.chars().count() > max => Err(AppError::validation(
                        field,
                        format!("must be at most {max} characters"),
                    )),
                    other => Ok(other.map(str::to_string)),
                }
            };
        Ok(TaskFilter {
            status: text(&self.status)
                .map(|s| TaskStatus::parse_field("status", s))
                .transpose()?,
            priority: text(&self.priority)
                .map(|s| Priority::parse_field("priority", s))
                .transpose()?,
            assignee: match text(&self.assignee) {
                None => None,
                Some("none") => Some(None),
                Some(s) => Some(Some(s.parse().map_err(|_| {
                    AppError::validation("assignee", "must be a user id or none")
                })?)),
            },
            due_before: date("dueBefore", &self.due_before)?,
            due_after: date("dueAfter", &self.due_after)?,
            label: bounded("label", text(&self.label), MAX_LABEL)?,
            search: bounded("search", text(&self.search), 100)?,
            mine: self.mine.unwrap_or(false),
            sort,
            descending,
        })
    }
}

/// A task's page: the task, its comments, its edit form filled in from it (none when the
/// service has no form), and whether the viewer may delete it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskPageView {
    pub task: Task,
    pub comments: Vec<Comment>,
    pub form: Option<crate::domain::form::view::FormView>,
    pub may_delete: bool,
    /// Whom the viewer may hand the task to (the tenant's active members), when they may.
    pub assignees: Option<Vec<Assignee>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignee {
    pub id: Uuid,
    pub name: String,
}

/// Members an assignee list offers at most.
pub const ASSIGNEES_SHOWN: i64 = 100;

/// One column of the board: the first tasks of a status, and how many it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BoardColumn {
    pub status: TaskStatus,
    pub tasks: Vec<Task>,
    pub total: i64,
}

/// Cards a board column shows; the list pages through the rest.
pub const BOARD_CARDS: i64 = 50;

impl TaskStatus {
    /// How people read a status.
    pub fn label(self) -> &'static str {
        match self {
            TaskStatus::Todo => "To do",
            TaskStatus::InProgress => "In progress",
            TaskStatus::Done => "Done",
            TaskStatus::Cancelled => "Cancelled",
        }
    }
}

impl Priority {
    pub fn label(self) -> &'static str {
        match self {
            Priority::Low => "Low",
            Priority::Medium => "Medium",
            Priority::High => "High",
            Priority::Urgent => "Urgent",
        }
    }
}

/// A submission of the Task Manager's form as the body of a create or an update: the task's
/// own fields by name, every other top-level field of the form into `customFields` (so a
/// field a super admin adds in the form builder is kept with the task). `fields`: the
/// form's top-level fields that were shown (a field hidden by its condition is left as it
/// is); `values`: the validated submission (blanks left out). On an update a shown field
/// left empty clears the task's value (status and priority always have one).
pub fn body_from_form(fields: &[&str], values: &Value, update: bool) -> Value {
    let given = values.as_object().cloned().unwrap_or_default();
    let mut body = Map::new();
    let mut custom = Map::new();
    for name in fields
        .iter()
        .filter(|n| !matches!(**n, "status" | "priority") || given.contains_key(**n))
    {
        let value = given.get(*name).cloned();
        let own = TASK_FIELDS.contains(name);
        match (value, update) {
            (Some(v), _) if own => {
                body.insert((*name).to_string(), v);
            }
            (Some(v), _) => {
                custom.insert((*name).to_string(), v);
            }
            // An empty list of labels is a value, not a clearing `null`.
            (None, true) if *name == "labels" => {
                body.insert("labels".into(), Value::Array(Vec::new()));
            }
            (None, true) if own && *name != "title" => {
                body.insert((*name).to_string(), Value::Null);
            }
            (None, true) if !own => {
                custom.insert((*name).to_string(), Value::Null);
            }
            (None, _) => {}
        }
    }
    if !custom.is_empty() {
        body.insert("customFields".into(), Value::Object(custom));
    }
    Value::Object(body)
}

/// Whether a form schema can be the Task Manager's form: a text field named `title`, and the
/// task's own fields, where present at the top level, of a type their values fit (the
/// statuses and priorities as options). Errors name the JSON path, under `root` (`schema`
/// in the builder, `formSchema` in the registry).
pub fn check_form(schema: &FormSchema, root: &str) -> Result<(), AppError> {
    use crate::domain::{
        form::schema::{walk_paths, FieldType as F, ItemType},
        service::reader::JsonPath,
    };
    let at = |i: usize| format!("{root}.fields[{i}]");
    let text = |t: F| matches!(t, F::Text | F::Textarea);
    if !schema
        .fields
        .iter()
        .any(|f| f.name == "title" && text(f.field_type))
    {
        return Err(AppError::validation(
            format!("{root}.fields"),
            "the Task Manager's form needs a text field named title",
        ));
    }
    // At any depth: a group's fields are kept in `customFields` with the task.
    let mut password = None;
    walk_paths(
        &schema.fields,
        "",
        &JsonPath::root(root).key("fields"),
        &mut |f, _, at| {
            if f.field_type == F::Password && password.is_none() {
                password = Some(at.key("type"));
            }
        },
    );
    if let Some(at) = password {
        return Err(at.error(
            "a task keeps its fields readable to everyone who reads it; it cannot hold a password",
        ));
    }
    for (i, f) in schema.fields.iter().enumerate() {
        let allowed: Option<Vec<&str>> = match f.name.as_str() {
            "status" => Some(TaskStatus::ALL.iter().map(|s| s.as_str()).collect()),
            "priority" => Some(Priority::ALL.iter().map(|p| p.as_str()).collect()),
            _ => None,
        };
        // Hidden fields are the form's constants: a task field must stay the task's own.
        let fits = match f.name.as_str() {
            "title" | "description" => text(f.field_type),
            "status" | "priority" => matches!(f.field_type, F::Select | F::Radio),
            "dueDate" => f.field_type == F::Date,
            "labels" => f.field_type == F::Array && f.item_type == Some(ItemType::String),
            "assigneeId" => matches!(f.field_type, F::Text | F::Select | F::Radio),
            _ => true,
        };
        if !fits {
            return Err(AppError::validation(
                format!("{}.type", at(i)),
                format!(
                    "{} is a task field; this type cannot hold its value",
                    f.name
                ),
            ));
        }
        if let Some(allowed) = allowed {
            for (j, o) in f.options.iter().enumerate() {
                if !allowed.contains(&o.value.as_str()) {
                    return Err(AppError::validation(
                        format!("{}.options[{j}]", at(i)),
                        format!("must be one of {}", allowed.join(", ")),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// A task as the values of its form: its own fields by their names and its custom fields,
/// so the edit form starts from what the task holds.
pub fn form_values(task: &Task) -> Value {
    let mut map = match &task.custom_fields {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    let own = [
        ("title", Value::String(task.title.clone())),
        ("description", Value::String(task.description.clone())),
        ("status", Value::String(task.status.as_str().into())),
        ("priority", Value::String(task.priority.as_str().into())),
        (
            "assigneeId",
            task.assignee_id
                .map_or(Value::Null, |a| Value::String(a.to_string())),
        ),
        (
            "dueDate",
            task.due_date
                .map_or(Value::Null, |d| Value::String(d.to_string())),
        ),
        (
            "labels",
            Value::Array(task.labels.iter().cloned().map(Value::String).collect()),
        ),
    ];
    for (key, value) in own {
        map.insert(key.into(), value);
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const FORM: &[&str] = &[
        "title",
        "description",
        "priority",
        "dueDate",
        "labels",
        "budget",
    ];

    fn changed(body: Value) -> Result<TaskInput, AppError> {
        <(i32, TaskInput)>::try_from(UpdateTask::from_form(body, 1)?).map(|(_, input)| input)
    }

    #[test]
    fn custom_numbers_beyond_what_reads_back_are_refused_with_their_path() {
        let body = json!({"title": "T", "customFields": {"a": {"b": [1, 1.7976931348623157e308]}}});
        let err = TaskInput::try_from(CreateTask::from_form(body).unwrap()).unwrap_err();
        assert_eq!(err.field(), Some("customFields.a.b[1]"));
        let body = json!({"title": "T", "customFields": {"budget": 12.5, "tiny": -7e-278}});
        assert!(TaskInput::try_from(CreateTask::from_form(body).unwrap()).is_ok());
    }

    #[test]
    fn a_create_puts_the_tasks_fields_by_name_and_the_rest_into_custom_fields() {
        let values = json!({"title": "Plan", "priority": "HIGH", "budget": 12, "stray": 1});
        let body = body_from_form(FORM, &values, false);
        assert_eq!(
            body,
            json!({"title": "Plan", "priority": "HIGH", "customFields": {"budget": 12}})
        );
        let input = TaskInput::try_from(CreateTask::from_form(body).unwrap()).unwrap();
        assert_eq!(input.priority, Some(Priority::High));
        assert_eq!(input.custom_fields.unwrap()["budget"], 12);
    }

    #[test]
    fn a_title_is_text_without_nul() {
        let e = TaskInput::try_from(CreateTask::from_form(json!({"title": "a\u{0}b"})).unwrap())
            .unwrap_err();
        assert_eq!(e.field(), Some("title"));
    }

    #[test]
    fn an_update_clears_what_the_form_left_empty_but_never_the_title() {
        let body = body_from_form(FORM, &json!({"title": "Plan"}), true);
        assert_eq!(
            body,
            json!({"title": "Plan", "description": null, "dueDate": null,
                   "labels": [], "customFields": {"budget": null}})
        );
        let input = changed(body).unwrap();
        assert_eq!(input.due_date, Some(None));
        assert_eq!(input.labels, Some(vec![]));
        // A field hidden by its condition is not among the shown ones: left as it is.
        let shown: Vec<&str> = FORM.iter().copied().filter(|f| *f != "dueDate").collect();
        let kept = body_from_form(&shown, &json!({"title": "Plan"}), true);
        assert!(kept.get("dueDate").is_none(), "{kept}");
        assert_eq!(changed(kept).unwrap().due_date, None);
        // Without a title the create names it.
        let e = CreateTask::from_form(body_from_form(FORM, &json!({}), true)).unwrap_err();
        assert_eq!(e.field(), Some("title"));
    }

    #[test]
    fn a_form_for_tasks_needs_a_title_and_task_fields_of_fitting_types() {
        let schema = |fields: Value| {
            FormSchema::parse(
                &json!({ "fields": fields }),
                JsonPath::root("schema"),
                |_: &str| Ok(()),
            )
            .unwrap()
        };
        let title = json!({"name": "title", "type": "text", "label": "Title"});
        assert!(check_form(&schema(json!([title])), "schema").is_ok());
        let e = check_form(
            &schema(json!([{"name": "name", "type": "text", "label": "N"}])),
            "schema",
        );
        assert_eq!(e.unwrap_err().field(), Some("schema.fields"));
        let e = check_form(
            &schema(json!([title, {"name": "dueDate", "type": "text", "label": "D"}])),
            "schema",
        );
        assert_eq!(e.unwrap_err().field(), Some("schema.fields[1].type"));
        let e = check_form(
            &schema(json!([title,
            {"name": "status", "type": "select", "label": "S", "options": ["TODO", "LATER"]}])),
            "schema",
        );
        assert_eq!(e.unwrap_err().field(), Some("schema.fields[1].options[1]"));
        let e = check_form(
            &schema(json!([title, {"name": "pin", "type": "password", "label": "P"}])),
            "schema",
        );
        assert_eq!(e.unwrap_err().field(), Some("schema.fields[1].type"));
        let e = check_form(
            &schema(
                json!([title, {"name": "login", "type": "group", "label": "L", "fields": [
                {"name": "user", "type": "text", "label": "U"},
                {"name": "pin", "type": "password", "label": "P"}]}]),
            ),
            "schema",
        );
        assert_eq!(
            e.unwrap_err().field(),
            Some("schema.fields[1].fields[1].type")
        );
        let e = check_form(
            &schema(json!([title, {"name": "status", "type": "hidden", "label": "S"}])),
            "schema",
        );
        assert_eq!(e.unwrap_err().field(), Some("schema.fields[1].type"));
    }

    #[test]
    fn a_task_reads_back_as_the_values_of_its_form() {
        let task = Task {
            id: Uuid::nil(),
            title: "Plan".into(),
            description: String::new(),
            status: TaskStatus::Done,
            priority: Priority::Low,
            assignee_id: None,
            assignee_name: None,
            due_date: NaiveDate::from_ymd_opt(2027, 1, 31),
            labels: vec!["ops".into()],
            custom_fields: json!({"budget": 12}),
            created_by: None,
            created_by_name: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            version: 3,
        };
        let values = form_values(&task);
        assert_eq!(values["status"], "DONE");
        assert_eq!(values["dueDate"], "2027-01-31");
        assert_eq!(values["budget"], 12);
        let back = changed(body_from_form(FORM, &values, true)).unwrap();
        assert_eq!(back.title.as_deref(), Some("Plan"));
        assert_eq!(back.labels, Some(vec!["ops".to_string()]));
    }
}
