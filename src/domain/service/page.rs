//! A service page: a menu item of an external service that opens one of its endpoints. A
//! POST endpoint is the service's form; a GET endpoint is a table of its JSON answer, whose
//! columns come from the endpoint's `responseSchema` when it gives them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServicePageView {
    pub service: String,
    pub service_name: String,
    pub title: String,
    pub endpoint: String,
    pub maintenance: bool,
    /// Since when the service has failed its health checks, while it does.
    pub down_since: Option<chrono::DateTime<chrono::Utc>>,
    /// A GET endpoint's page.
    pub table: Option<TableView>,
    /// A POST endpoint's page: the service's form.
    pub form: Option<crate::domain::form::view::FormView>,
    /// Why the item opens nothing Inti can show, in words for whoever registered it.
    #[serde(default)]
    pub unresolved: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TableView {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    pub page: u32,
    pub page_size: u32,
    pub total: Option<u64>,
    /// Why there are no rows, when the call failed (the gateway's or the service's words).
    pub error: Option<String>,
    /// Not loaded: the page was opened from another site, so the service was not called
    /// (the browser loads it next, from this site).
    #[serde(default)]
    pub deferred: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub key: String,
    pub label: String,
}

/// Rows shown at most, whatever a service sends.
pub const MAX_ROWS: usize = 200;
const MAX_COLUMNS: usize = 12;
const MAX_CELL: usize = 300;

/// The rows of an answer: the answer itself when it is an array, else its `data`, `items`
/// or `results` array.
pub fn rows_of(answer: &Value) -> &[Value] {
    let list = match answer {
        Value::Array(_) => Some(answer),
        Value::Object(o) => ["data", "items", "results"].iter().find_map(|k| o.get(*k)),
        _ => None,
    };
    list.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// The columns: the row properties a `responseSchema` names (for the rows' array, or for
/// the rows themselves), in its order; otherwise the first row's scalar keys.
pub fn columns_of(schema: Option<&Value>, rows: &[Value]) -> Vec<Column> {
    let from_schema = schema.and_then(|s| {
        let items = s
            .pointer("/properties/data/items/properties")
            .or_else(|| s.pointer("/items/properties"))
            .or_else(|| s.pointer("/properties/items/items/properties"))
            .or_else(|| s.pointer("/properties/results/items/properties"))?;
        let props = items.as_object()?;
        Some(
            props
                .iter()
                .map(|(k, v)| Column {
                    key: k.clone(),
                    label: v
                        .get("title")
                        .and_then(Value::as_str)
                        .map_or_else(|| label_of(k), str::to_string),
                })
                .collect::<Vec<_>>(),
        )
    });
    let mut columns = from_schema.unwrap_or_else(|| {
        rows.first()
            .and_then(Value::as_object)
            .map(|o| {
                o.iter()
                    .filter(|(_, v)| !v.is_object() && !v.is_array())
                    .map(|(k, _)| Column {
                        key: k.clone(),
                        label: label_of(k),
                    })
                    .collect()
            })
            .unwrap_or_default()
    });
    columns.truncate(MAX_COLUMNS);
    columns
}

/// `createdAt` → "Created at", `batch_id` → "Batch id".
fn label_of(key: &str) -> String {
    let mut out = String::new();
    for (i, c) in key.chars().enumerate() {
        if c == '_' || c == '-' {
            out.push(' ');
        } else if c.is_uppercase() && i > 0 {
            out.push(' ');
            out.extend(c.to_lowercase());
        } else if i == 0 {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A cell's text: strings as they are, other values as JSON, nothing for null.
pub fn cell(row: &Value, key: &str) -> String {
    let text = match row.get(key) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    };
    text.chars().take(MAX_CELL).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn columns_come_from_the_response_schema_or_the_first_row() {
        let answer =
            json!({ "data": [{ "batchId": "b1", "recipients": 2, "meta": {} }], "total": 1 });
        let rows = rows_of(&answer);
        assert_eq!(rows.len(), 1);
        let cols = columns_of(None, rows);
        let keys: Vec<&str> = cols.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["batchId", "recipients"]);
        assert_eq!(cols[0].label, "Batch id");
        let schema = json!({ "properties": { "data": { "items": { "properties": {
            "status": { "title": "Delivery" }, "batchId": {} } } } } });
        let cols = columns_of(Some(&schema), rows);
        let status = cols.iter().find(|c| c.key == "status").unwrap();
        assert_eq!(status.label, "Delivery");
        assert_eq!(cols.len(), 2);
        assert_eq!(cell(&rows[0], "recipients"), "2");
        assert_eq!(cell(&rows[0], "missing"), "");
        assert!(rows_of(&json!("text")).is_empty());
        assert_eq!(rows_of(&json!([1, 2])).len(), 2);
    }
}
