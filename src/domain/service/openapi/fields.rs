//! An operation's request body (JSON Schema) as form fields: types, options, limits and
//! nesting carried over where the form schema has them, the rest noted.

use super::*;

/// The form fields of an object schema.
pub(super) fn fields_of(
    doc: &Value,
    schema: &Value,
    depth: usize,
    at: &str,
    notes: &mut Vec<String>,
) -> Vec<Value> {
    // Schemas that refer back to themselves through allOf could otherwise multiply the work
    // at every level: the whole document gets a budget of schema visits.
    if notes.len() >= MAX_NOTES || VISITS.with(|v| v.get()) >= MAX_VISITS {
        return Vec::new();
    }
    VISITS.with(|v| v.set(v.get() + 1));
    let Some(schema) = resolve(doc, schema, depth) else {
        note(notes, format!("{at}: a $ref could not be followed"));
        return Vec::new();
    };
    // allOf: the properties of every part; oneOf/anyOf: the first choice.
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        return all
            .iter()
            .flat_map(|part| fields_of(doc, part, depth + 1, at, notes))
            .take(MAX_FIELDS)
            .collect();
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = schema
            .get(key)
            .and_then(Value::as_array)
            .and_then(|c| c.first())
        {
            note(notes, format!("{at}: {key} shows its first choice only"));
            return fields_of(doc, first, depth + 1, at, notes);
        }
    }
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return Vec::new();
    };
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut out = Vec::new();
    for (name, prop) in props {
        if out.len() == MAX_FIELDS {
            note(
                notes,
                format!("{at}: only the first {MAX_FIELDS} fields were kept"),
            );
            break;
        }
        let field = identifier(name);
        if field != *name || field.is_empty() {
            note(
                notes,
                format!("{at}: property {name} is not a name a form field can have; skipped"),
            );
            continue;
        }
        let Some(prop) = resolve(doc, prop, depth) else {
            note(notes, format!("{at}: {name}: a $ref could not be followed"));
            continue;
        };
        if prop.get("readOnly").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        match field_of(
            doc,
            name,
            prop,
            required.contains(&name.as_str()),
            depth,
            at,
            notes,
        ) {
            Some(f) => out.push(f),
            None => note(
                notes,
                format!("{at}: {name} has a type a form cannot show; skipped"),
            ),
        }
    }
    out
}

pub(super) fn field_of(
    doc: &Value,
    name: &str,
    prop: &Value,
    required: bool,
    depth: usize,
    at: &str,
    notes: &mut Vec<String>,
) -> Option<Value> {
    let mut f = Map::new();
    f.insert("name".into(), json!(name));
    let label = prop
        .get("title")
        .and_then(Value::as_str)
        .map(|t| clip(t, 200))
        .unwrap_or_else(|| humanise(name));
    f.insert("label".into(), json!(label));
    if required {
        f.insert("required".into(), json!(true));
    }
    if let Some(d) = prop.get("description").and_then(Value::as_str) {
        f.insert("help".into(), json!(clip(d.trim(), 300)));
    }
    let mut validation = Map::new();
    let kind = type_of(prop);
    let format = prop.get("format").and_then(Value::as_str).unwrap_or("");
    let field_type = match kind.as_str() {
        "string" => {
            if let Some(options) = options_of(prop) {
                f.insert("options".into(), options);
                "select"
            } else {
                text_limits(prop, &mut validation);
                match format {
                    "email" => "email",
                    "uri" | "url" => "url",
                    "date" => "date",
                    "date-time" => "datetime",
                    "password" => "password",
                    _ if prop
                        .get("maxLength")
                        .and_then(Value::as_u64)
                        .is_some_and(|n| n > 200) =>
                    {
                        "textarea"
                    }
                    _ => "text",
                }
            }
        }
        "integer" | "number" => {
            number_limits(prop, &mut validation);
            if kind == "integer" {
                "integer"
            } else {
                "number"
            }
        }
        "boolean" => "checkbox",
        "array" => {
            let items = prop.get("items").and_then(|i| resolve(doc, i, depth))?;
            for (from, to) in [("minItems", "minItems"), ("maxItems", "maxItems")] {
                if let Some(n) = prop.get(from).and_then(Value::as_u64) {
                    validation.insert(to.into(), json!(n));
                }
            }
            if prop.get("uniqueItems").and_then(Value::as_bool) == Some(true) {
                validation.insert("uniqueItems".into(), json!(true));
            }
            if let Some(options) = options_of(items) {
                f.insert("options".into(), options);
                "multiselect"
            } else {
                let item_format = items.get("format").and_then(Value::as_str).unwrap_or("");
                let item_type = match (type_of(items).as_str(), item_format) {
                    ("string", "email") => "email",
                    ("string", "uri" | "url") => "url",
                    ("string", "date") => "date",
                    ("string", _) => "string",
                    ("integer", _) => "integer",
                    ("number", _) => "number",
                    ("boolean", _) => "boolean",
                    _ => return None,
                };
                // The registry's array validation applies to each item's text.
                text_limits(items, &mut validation);
                f.insert("itemType".into(), json!(item_type));
                "array"
            }
        }
        "object" if depth + 1 < MAX_DEPTH => {
            let inner = fields_of(doc, prop, depth + 1, &format!("{at}.{name}"), notes);
            if inner.is_empty() {
                return None;
            }
            f.insert("fields".into(), Value::Array(inner));
            "group"
        }
        _ => return None,
    };
    f.insert("type".into(), json!(field_type));
    if !validation.is_empty() {
        f.insert("validation".into(), Value::Object(validation));
    }
    if let Some(d) = prop.get("default").filter(|d| !d.is_null()) {
        if field_type != "group" {
            f.insert("default".into(), d.clone());
        }
    }
    if let Some(e) = prop.get("example").and_then(Value::as_str) {
        f.insert("placeholder".into(), json!(clip(e, 200)));
    }
    Some(Value::Object(f))
}

/// A schema's type; 3.1 may give a list (`["string", "null"]`); objects may leave it out.
pub(super) fn type_of(s: &Value) -> String {
    match s.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("")
            .to_string(),
        _ if s.get("properties").is_some() => "object".into(),
        _ => String::new(),
    }
}

pub(super) fn options_of(s: &Value) -> Option<Value> {
    let values = s.get("enum").and_then(Value::as_array)?;
    let options: Vec<Value> = values
        .iter()
        .filter(|v| !v.is_null())
        .take(200)
        .map(|v| {
            let text = v
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string());
            json!({ "value": text, "label": text })
        })
        .collect();
    (!options.is_empty()).then_some(Value::Array(options))
}

pub(super) fn text_limits(s: &Value, v: &mut Map<String, Value>) {
    for key in ["minLength", "maxLength"] {
        if let Some(n) = s.get(key).and_then(Value::as_u64) {
            v.insert(key.into(), json!(n));
        }
    }
    if let Some(p) = s.get("pattern").and_then(Value::as_str) {
        v.insert("pattern".into(), json!(p));
    }
}

pub(super) fn number_limits(s: &Value, v: &mut Map<String, Value>) {
    for (from, to) in [
        ("minimum", "min"),
        ("maximum", "max"),
        ("multipleOf", "step"),
    ] {
        if let Some(n) = s.get(from).filter(|n| n.is_number()) {
            v.insert(to.into(), n.clone());
        }
    }
    // 3.1's numeric exclusive bounds, as inclusive ones (close enough for a form).
    for (from, to) in [("exclusiveMinimum", "min"), ("exclusiveMaximum", "max")] {
        if let Some(n) = s.get(from).filter(|n| n.is_number()) {
            v.entry(to).or_insert_with(|| n.clone());
        }
    }
}
