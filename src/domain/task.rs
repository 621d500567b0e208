//! The Task Manager's tasks: what a task is, what a create or an update may say
//! (errors name their field), and how a list is asked for. Compiles for the browser too.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::{
    closed_set,
    domain::{
        error::AppError,
        form::{schema::FormSchema, serde_as_str},
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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

    #[test]
    fn a_create_puts_the_tasks_fields_by_name_and_the_rest_into_custom_fields() {
        let values = json!({"title": "Plan", "priority": "HIGH", "budget": 12, "stray": 1});
        let body = body_from_form(FORM, &values, false);
        assert_eq!(
            body,
            json!({"title": "Plan", "priority": "HIGH", "customFields": {"budget": 12}})
        );
        let input = TaskInput::parse(&body, true, &[]).unwrap();
        assert_eq!(input.priority, Some(Priority::High));
        assert_eq!(input.custom_fields.unwrap()["budget"], 12);
    }

    #[test]
    fn an_update_clears_what_the_form_left_empty_but_never_the_title() {
        let body = body_from_form(FORM, &json!({"title": "Plan"}), true);
        assert_eq!(
            body,
            json!({"title": "Plan", "description": null, "dueDate": null,
                   "labels": [], "customFields": {"budget": null}})
        );
        let input = TaskInput::parse(&body, false, &[]).unwrap();
        assert_eq!(input.due_date, Some(None));
        assert_eq!(input.labels, Some(vec![]));
        // A field hidden by its condition is not among the shown ones: left as it is.
        let shown: Vec<&str> = FORM.iter().copied().filter(|f| *f != "dueDate").collect();
        let kept = body_from_form(&shown, &json!({"title": "Plan"}), true);
        assert!(kept.get("dueDate").is_none(), "{kept}");
        assert_eq!(TaskInput::parse(&kept, false, &[]).unwrap().due_date, None);
        // Without a title the parser names it.
        let e = TaskInput::parse(&body_from_form(FORM, &json!({}), true), true, &[]).unwrap_err();
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
        let back = TaskInput::parse(&body_from_form(FORM, &values, true), false, &[]).unwrap();
        assert_eq!(back.title.as_deref(), Some("Plan"));
        assert_eq!(back.labels, Some(vec!["ops".to_string()]));
    }
}
