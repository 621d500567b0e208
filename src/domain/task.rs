//! The Task Manager's tasks (issue 10): what a task is, what a create or an update may say
//! (errors name their field), and how a list is asked for. Compiles for the browser too.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::{
    closed_set,
    domain::{
        error::AppError,
        form::serde_as_str,
        service::reader::{JsonPath, Obj},
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
#[serde(rename_all = "camelCase")]
pub struct Comment {
    pub id: Uuid,
    pub author_id: Option<Uuid>,
    pub author_name: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// What a create or an update says; `None`: not given (an update keeps the value).
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

impl TaskInput {
    /// Reads a JSON body. `create`: the title is required. `extra` lists further keys the
    /// caller reads (`version`).
    pub fn parse(value: &Value, create: bool, extra: &[&str]) -> Result<Self, AppError> {
        let mut known: Vec<&str> = TASK_FIELDS.to_vec();
        known.push("customFields");
        known.extend_from_slice(extra);
        let o = Obj::new(value, JsonPath::root(""))?.only(&known)?;
        // `null` clears an optional field; an absent key leaves it as it is.
        let raw = |key: &str| -> Option<&Value> {
            o.has(key).then(|| o.get(key).unwrap_or(&Value::Null))
        };
        let title = o.opt_str("title", MAX_TITLE)?;
        if (create || o.has("title")) && title.as_deref().is_none_or(|t| t.trim().is_empty()) {
            return Err(o.at("title").error("is required"));
        }
        let description = match raw("description") {
            None => None,
            Some(Value::Null) => Some(String::new()),
            Some(Value::String(s)) if s.chars().count() <= MAX_DESCRIPTION => Some(s.clone()),
            Some(_) => {
                return Err(o.at("description").error(format!(
                    "must be text of at most {MAX_DESCRIPTION} characters"
                )))
            }
        };
        let status = match o.opt_str("status", 20)? {
            Some(s) => Some(TaskStatus::parse_field("status", &s)?),
            None => None,
        };
        let priority = match o.opt_str("priority", 20)? {
            Some(s) => Some(Priority::parse_field("priority", &s)?),
            None => None,
        };
        let assignee_id = match raw("assigneeId") {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(s)) if s.trim().is_empty() => Some(None),
            Some(Value::String(s)) => Some(Some(s.trim().parse().map_err(|_| {
                o.at("assigneeId")
                    .error("must be the id of a member of this tenant")
            })?)),
            Some(_) => return Err(o.at("assigneeId").error("must be a user id")),
        };
        let due_date = match raw("dueDate") {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(s)) if s.trim().is_empty() => Some(None),
            Some(Value::String(s)) => Some(Some(
                parse_date(s).ok_or_else(|| o.at("dueDate").error(DATE_MESSAGE))?,
            )),
            Some(_) => return Err(o.at("dueDate").error(DATE_MESSAGE)),
        };
        let labels = match o.get("labels") {
            None => None,
            Some(_) => Some(parse_labels(&o)?),
        };
        let custom_fields = match o.get("customFields") {
            None => None,
            Some(Value::Object(map))
                if Value::Object(map.clone()).to_string().len() <= MAX_CUSTOM_BYTES =>
            {
                Some(map.clone())
            }
            Some(_) => {
                return Err(o.at("customFields").error(format!(
                    "must be an object of at most {} KB",
                    MAX_CUSTOM_BYTES / 1024
                )))
            }
        };
        Ok(Self {
            title: title.map(|t| t.trim().to_string()),
            description,
            status,
            priority,
            assignee_id,
            due_date,
            labels,
            custom_fields,
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

fn parse_labels(o: &Obj<'_>) -> Result<Vec<String>, AppError> {
    let items = o.array("labels", MAX_LABELS)?;
    let mut labels: Vec<String> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let at = o.at("labels").index(i);
        let label = item
            .as_str()
            .map(str::trim)
            .filter(|l| !l.is_empty() && l.chars().count() <= MAX_LABEL)
            .ok_or_else(|| at.error(format!("must be text of 1 to {MAX_LABEL} characters")))?;
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
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TaskQuery {
    pub status: Option<String>,
    pub priority: Option<String>,
    pub assignee: Option<String>,
    pub due_before: Option<String>,
    pub due_after: Option<String>,
    pub label: Option<String>,
    pub search: Option<String>,
    pub mine: Option<bool>,
    pub sort: Option<String>,
    pub page: Option<i64>,
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
