//! Values between their three shapes: a form post (flat `path → text` pairs, which is what a
//! browser sends with or without JavaScript), the JSON object that is validated and
//! submitted, and the texts inputs start with. List items are posted as `path.0`, `path.1`,
//! ...; a checkbox is `true` when posted as `true` or `on` and `false` when absent.

use std::collections::BTreeMap;

use serde_json::{Map, Number, Value};

use super::{
    rules::{is_blank, lookup, Rules},
    schema::{join, FieldType, FormField, FormSchema, ItemType},
};

/// A form post: value path → text.
pub type Pairs = BTreeMap<String, String>;

/// A submission's values at most, serialized.
pub const MAX_VALUES_BYTES: usize = 64 * 1024;

/// The JSON object a form post stands for, read by the schema: numbers become numbers
/// (text that is not one stays text, for the validator to name), blanks are left out, list
/// items come in index order. Pairs the schema does not name are ignored.
pub fn from_pairs(schema: &FormSchema, pairs: &Pairs) -> Value {
    Value::Object(object(&schema.fields, "", pairs))
}

fn object(fields: &[FormField], prefix: &str, pairs: &Pairs) -> Map<String, Value> {
    let mut map = Map::new();
    for field in fields {
        let path = join(prefix, &field.name);
        let value = match field.field_type {
            FieldType::Section => None,
            FieldType::Group => Some(Value::Object(object(&field.fields, &path, pairs))),
            FieldType::Checkbox | FieldType::Switch => {
                Some(Value::Bool(pairs.get(&path).is_some_and(|v| is_checked(v))))
            }
            FieldType::Array | FieldType::Multiselect => {
                let items = list_items(&path, pairs)
                    .map(|text| scalar(item_kind(field), text))
                    .collect::<Vec<_>>();
                (!items.is_empty()).then_some(Value::Array(items))
            }
            t => pairs
                .get(&path)
                .filter(|v| !v.trim().is_empty())
                .map(|text| scalar(kind_of(t), text)),
        };
        if let Some(v) = value {
            map.insert(field.name.clone(), v);
        }
    }
    map
}

/// `path.N` entries in index order, blanks left out.
fn list_items<'a>(path: &str, pairs: &'a Pairs) -> impl Iterator<Item = &'a String> {
    posted_items(path, pairs).filter(|v| !v.trim().is_empty())
}

/// `path.N` entries in index order, as posted (blanks too: what a form shows again).
pub fn posted_items<'a>(path: &str, pairs: &'a Pairs) -> impl Iterator<Item = &'a String> {
    let prefix = format!("{path}.");
    let mut items: Vec<(usize, &String)> = pairs
        .range(prefix.clone()..)
        .take_while(|(k, _)| k.starts_with(&prefix))
        .filter_map(|(k, v)| Some((k[prefix.len()..].parse::<usize>().ok()?, v)))
        .collect();
    items.sort_by_key(|(i, _)| *i);
    items.into_iter().map(|(_, v)| v)
}

/// Whether a checkbox's posted text means checked.
pub fn is_checked(text: &str) -> bool {
    matches!(text.trim(), "true" | "on")
}

#[derive(Clone, Copy)]
enum Kind {
    Text,
    Number,
    Integer,
    Boolean,
}

fn kind_of(t: FieldType) -> Kind {
    match t {
        FieldType::Number => Kind::Number,
        FieldType::Integer => Kind::Integer,
        _ => Kind::Text,
    }
}

fn item_kind(field: &FormField) -> Kind {
    match field.item_type {
        Some(ItemType::Number) => Kind::Number,
        Some(ItemType::Integer) => Kind::Integer,
        Some(ItemType::Boolean) => Kind::Boolean,
        _ => Kind::Text,
    }
}

fn scalar(kind: Kind, text: &str) -> Value {
    let t = text.trim();
    let parsed = match kind {
        Kind::Text => None,
        Kind::Integer => t.parse::<i64>().ok().map(Value::from),
        Kind::Number => t
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number),
        Kind::Boolean => match t {
            "true" | "on" => Some(Value::Bool(true)),
            "false" | "off" => Some(Value::Bool(false)),
            _ => None,
        },
    };
    // Passwords and text keep their spaces; a number that does not parse stays as typed.
    parsed.unwrap_or_else(|| Value::String(text.to_string()))
}

/// What is submitted: the fields shown for these values, blanks and unknown keys left out.
pub fn clean(schema: &FormSchema, values: &Value) -> Value {
    let rules = Rules::of(schema, values);
    Value::Object(kept(&schema.fields, "", values, &rules))
}

fn kept(fields: &[FormField], prefix: &str, values: &Value, rules: &Rules) -> Map<String, Value> {
    let mut map = Map::new();
    for field in fields.iter().filter(|f| f.field_type != FieldType::Section) {
        let path = join(prefix, &field.name);
        let Some(v) = values.get(&field.name).filter(|v| !is_blank(v)) else {
            continue;
        };
        if !rules.shown(&path) {
            continue;
        }
        let v = match field.field_type {
            FieldType::Group => Value::Object(kept(&field.fields, &path, v, rules)),
            _ => v.clone(),
        };
        map.insert(field.name.clone(), v);
    }
    map
}

/// The values with every password field (in groups too) removed: what may be stored.
pub fn without_passwords(fields: &[FormField], values: &Value) -> Value {
    let mut out = values.clone();
    strip(fields, &mut out, None);
    out
}

/// The values with every password field replaced by a mask: what may be shown.
pub fn mask_passwords(fields: &[FormField], values: &mut Value) {
    strip(fields, values, Some("••••••"));
}

fn strip(fields: &[FormField], values: &mut Value, mask: Option<&str>) {
    let Some(map) = values.as_object_mut() else {
        return;
    };
    for field in fields {
        match field.field_type {
            FieldType::Password => match mask {
                Some(m) if map.get(&field.name).is_some_and(|v| !v.is_null()) => {
                    map.insert(field.name.clone(), Value::String(m.into()));
                }
                Some(_) => {}
                None => {
                    map.remove(&field.name);
                }
            },
            FieldType::Group => {
                if let Some(inner) = map.get_mut(&field.name) {
                    strip(&field.fields, inner, mask);
                }
            }
            _ => {}
        }
    }
}

/// The names of the fields that hold a value in `values` (for the audit log, which never
/// records values).
pub fn filled_paths(schema: &FormSchema, values: &Value) -> Vec<String> {
    schema
        .paths()
        .into_iter()
        .filter(|(field, path)| {
            field.holds_value() && lookup(values, path).is_some_and(|v| !is_blank(v))
        })
        .map(|(_, path)| path)
        .collect()
}

/// The values a form starts with: each field's `default`, overridden by `overrides` (the
/// tenant's `customSettings.formDefaults`), as form-post pairs.
pub fn initial_pairs(schema: &FormSchema, overrides: Option<&Value>) -> Pairs {
    let mut pairs = Pairs::new();
    for (field, path) in schema.paths() {
        let value = overrides
            .and_then(|o| lookup(o, &path))
            .or(field.default.as_ref());
        // A password is never put into a page, not even a default.
        let shown = field.holds_value() && field.field_type != FieldType::Password;
        if let Some(v) = value.filter(|_| shown) {
            put(&mut pairs, &path, v);
        }
    }
    pairs
}

/// Puts every `hidden` field's fixed value (its default, or the tenant's override) into
/// `values`, whatever was posted: a hidden field is the form's, not the user's.
pub fn fix_hidden(schema: &FormSchema, values: &mut Value, overrides: Option<&Value>) {
    for (field, path) in schema.paths() {
        if field.field_type != FieldType::Hidden {
            continue;
        }
        // As text, like every hidden input: a default of `42` is "42".
        let fixed = overrides
            .and_then(|o| lookup(o, &path))
            .or(field.default.as_ref())
            .filter(|v| !v.is_null())
            .map(|v| Value::String(text(v)));
        let mut at = &mut *values;
        let mut keys = path.split('.').peekable();
        while let Some(key) = keys.next() {
            let Some(map) = at.as_object_mut() else {
                break;
            };
            if keys.peek().is_none() {
                match &fixed {
                    Some(v) => map.insert(key.to_string(), v.clone()),
                    None => map.remove(key),
                };
                break;
            }
            at = map
                .entry(key.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
        }
    }
}

/// The values as form-post pairs (what a re-rendered form is filled with).
pub fn to_pairs(schema: &FormSchema, values: &Value) -> Pairs {
    let mut pairs = Pairs::new();
    for (field, path) in schema.paths() {
        if let Some(v) = lookup(values, &path).filter(|_| field.holds_value()) {
            put(&mut pairs, &path, v);
        }
    }
    pairs
}

fn put(pairs: &mut Pairs, path: &str, v: &Value) {
    match v {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pairs.insert(format!("{path}.{i}"), text(item));
            }
        }
        other => {
            pairs.insert(path.to_string(), text(other));
        }
    }
}

/// A scalar as an input shows it.
pub fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// What a page may show again of a form post: the pairs of the schema's fields (list items
/// as `path.N`), without passwords.
pub fn echo_pairs(schema: &FormSchema, pairs: &Pairs) -> Pairs {
    let shown: Vec<String> = schema
        .paths()
        .into_iter()
        .filter(|(f, _)| f.holds_value() && f.field_type != FieldType::Password)
        .map(|(_, path)| path)
        .collect();
    let known = |key: &str| {
        shown.iter().any(|p| {
            key == p
                || key
                    .strip_prefix(p.as_str())
                    .and_then(|rest| rest.strip_prefix('.'))
                    .is_some_and(|n| n.parse::<usize>().is_ok())
        })
    };
    pairs
        .iter()
        .filter(|(k, _)| known(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}
