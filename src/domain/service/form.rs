//! Form schemas (`formSchema` of a service, `requestSchema` of an endpoint): the seed
//! document's shape (`fields[]` with `name`, `type`, `label`, `required`, `validation`,
//! `itemType`), read with errors at their JSON path and bounded so that a hostile schema
//! stays cheap. The forms issue extends `FieldType` and the field's options.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    closed_set,
    domain::{
        error::AppError,
        service::reader::{is_identifier, JsonPath, Obj},
    },
};

/// At most this many fields in a schema, counting nested ones.
pub const MAX_FIELDS: usize = 200;
/// Groups nest at most this deep.
pub const MAX_DEPTH: usize = 3;
pub const MAX_OPTIONS: usize = 500;
pub const MAX_PATTERN_CHARS: usize = 500;

closed_set! {
    /// How a field is entered.
    pub enum FieldType {
        Text => "text",
        Textarea => "textarea",
        Number => "number",
        Integer => "integer",
        Email => "email",
        Url => "url",
        Phone => "phone",
        Password => "password",
        Select => "select",
        Multiselect => "multiselect",
        Radio => "radio",
        Checkbox => "checkbox",
        Switch => "switch",
        Date => "date",
        Datetime => "datetime",
        Array => "array",
        Group => "group",
        Hidden => "hidden",
    }
}

closed_set! {
    /// The type of each item of an `array` field.
    pub enum ItemType {
        String => "string",
        Number => "number",
        Integer => "integer",
        Boolean => "boolean",
        Email => "email",
        Url => "url",
        Phone => "phone",
        Date => "date",
    }
}

macro_rules! serde_as_str {
    ($t:ty) => {
        impl Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(d)?;
                Self::parse(&raw).ok_or_else(|| serde::de::Error::custom(format!("unknown {raw}")))
            }
        }
    };
}
pub(crate) use serde_as_str;

serde_as_str!(FieldType);
serde_as_str!(ItemType);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FormSchema {
    pub fields: Vec<FormField>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FormField {
    pub name: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    pub label: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Validation::is_empty")]
    pub validation: Validation,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_type: Option<ItemType>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<FieldOption>,
    /// A group's own fields.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FormField>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Validation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u32>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unique_items: bool,
}

impl Validation {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldOption {
    pub value: String,
    pub label: String,
}

/// Checks a regular expression where it will run. The server, the authority, compiles it
/// with the linear-time `regex` crate under a size limit; the browser leaves that to the
/// server (its bundle carries no regex engine).
pub type PatternCheck = fn(&str) -> Result<(), String>;

/// Accepts every pattern (the browser's check; the server's answer decides).
pub fn any_pattern(_: &str) -> Result<(), String> {
    Ok(())
}

impl FormSchema {
    /// Reads a schema at `path`, checking every pattern with `pattern_ok`.
    pub fn parse(
        value: &Value,
        path: JsonPath,
        pattern_ok: PatternCheck,
    ) -> Result<Self, AppError> {
        let obj = Obj::new(value, path)?.only(&["fields"])?;
        let mut count = 0;
        let fields = parse_fields(&obj, 1, &mut count, pattern_ok)?;
        if fields.is_empty() {
            return Err(obj.at("fields").error("must list at least one field"));
        }
        Ok(Self { fields })
    }
}

fn parse_fields(
    parent: &Obj<'_>,
    depth: usize,
    count: &mut usize,
    pattern_ok: PatternCheck,
) -> Result<Vec<FormField>, AppError> {
    let items = parent.array("fields", MAX_FIELDS)?;
    let mut fields: Vec<FormField> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = parent.at("fields").index(i);
        *count += 1;
        if *count > MAX_FIELDS {
            return Err(path.error(format!("a schema has at most {MAX_FIELDS} fields")));
        }
        let field = parse_field(item, path.clone(), depth, count, pattern_ok)?;
        if fields.iter().any(|f| f.name == field.name) {
            return Err(path
                .key("name")
                .error(format!("\"{}\" is used by another field", field.name)));
        }
        fields.push(field);
    }
    Ok(fields)
}

const FIELD_KEYS: &[&str] = &[
    "name",
    "type",
    "label",
    "required",
    "validation",
    "itemType",
    "options",
    "fields",
    "placeholder",
    "help",
    "default",
];

fn parse_field(
    value: &Value,
    path: JsonPath,
    depth: usize,
    count: &mut usize,
    pattern_ok: PatternCheck,
) -> Result<FormField, AppError> {
    let o = Obj::new(value, path)?.only(FIELD_KEYS)?;
    let name = o.req_str("name", 64)?;
    if !is_identifier(&name, 64) {
        return Err(o
            .at("name")
            .error("must start with a letter and use only letters, digits and _"));
    }
    let raw_type = o.req_str("type", 20)?;
    let field_type = FieldType::parse(&raw_type).ok_or_else(|| {
        let names: Vec<&str> = FieldType::ALL.iter().map(|t| t.as_str()).collect();
        o.at("type").error(format!(
            "unknown field type; expected one of {}",
            names.join(", ")
        ))
    })?;
    let label = o.opt_str("label", 200)?.unwrap_or_else(|| name.clone());
    let required = o.opt_bool("required")?.unwrap_or(false);
    let validation = match o.get("validation") {
        Some(v) => parse_validation(v, o.at("validation"), pattern_ok)?,
        None => Validation::default(),
    };
    let item_type = match o.opt_str("itemType", 20)? {
        Some(raw) => Some(ItemType::parse(&raw).ok_or_else(|| {
            let names: Vec<&str> = ItemType::ALL.iter().map(|t| t.as_str()).collect();
            o.at("itemType").error(format!(
                "unknown item type; expected one of {}",
                names.join(", ")
            ))
        })?),
        None => None,
    };
    match (field_type, item_type) {
        (FieldType::Array, None) => return Err(o.at("itemType").error("is required for an array")),
        (FieldType::Array, Some(_)) | (_, None) => {}
        (_, Some(_)) => return Err(o.at("itemType").error("is only for array fields")),
    }
    let options = parse_options(&o)?;
    let needs_options = matches!(
        field_type,
        FieldType::Select | FieldType::Multiselect | FieldType::Radio
    );
    if needs_options && options.is_empty() {
        return Err(o
            .at("options")
            .error("a choice field needs at least one option"));
    }
    let fields = if field_type == FieldType::Group {
        if depth >= MAX_DEPTH {
            return Err(o
                .at("fields")
                .error(format!("groups nest at most {MAX_DEPTH} levels deep")));
        }
        let inner = parse_fields(&o, depth + 1, count, pattern_ok)?;
        if inner.is_empty() {
            return Err(o.at("fields").error("a group needs at least one field"));
        }
        inner
    } else if o.get("fields").is_some() {
        return Err(o.at("fields").error("only a group has fields"));
    } else {
        Vec::new()
    };
    Ok(FormField {
        name,
        field_type,
        label,
        required,
        validation,
        item_type,
        options,
        fields,
        placeholder: o.opt_str("placeholder", 200)?,
        help: o.opt_str("help", 1000)?,
        default: o.get("default").cloned(),
    })
}

fn parse_validation(
    value: &Value,
    path: JsonPath,
    pattern_ok: PatternCheck,
) -> Result<Validation, AppError> {
    let o = Obj::new(value, path)?.only(&[
        "minLength",
        "maxLength",
        "pattern",
        "min",
        "max",
        "step",
        "minItems",
        "maxItems",
        "uniqueItems",
    ])?;
    let count = |key: &str| -> Result<Option<u32>, AppError> {
        Ok(o.opt_int(key, 0, 1_000_000)?.map(|n| n as u32))
    };
    let v = Validation {
        min_length: count("minLength")?,
        max_length: count("maxLength")?,
        pattern: o.opt_str("pattern", MAX_PATTERN_CHARS)?,
        min: o.opt_number("min")?,
        max: o.opt_number("max")?,
        step: o.opt_number("step")?,
        min_items: count("minItems")?,
        max_items: count("maxItems")?,
        unique_items: o.opt_bool("uniqueItems")?.unwrap_or(false),
    };
    if let Some(p) = &v.pattern {
        pattern_ok(p).map_err(|why| {
            o.at("pattern")
                .error(format!("not a valid regular expression ({why})"))
        })?;
    }
    if let (Some(min), Some(max)) = (v.min_length, v.max_length) {
        if min > max {
            return Err(o.at("minLength").error("must not exceed maxLength"));
        }
    }
    if let (Some(min), Some(max)) = (v.min, v.max) {
        if min > max {
            return Err(o.at("min").error("must not exceed max"));
        }
    }
    if let (Some(min), Some(max)) = (v.min_items, v.max_items) {
        if min > max {
            return Err(o.at("minItems").error("must not exceed maxItems"));
        }
    }
    if v.step.is_some_and(|s| s <= 0.0) {
        return Err(o.at("step").error("must be greater than 0"));
    }
    Ok(v)
}

fn parse_options(o: &Obj<'_>) -> Result<Vec<FieldOption>, AppError> {
    let items = o.array("options", MAX_OPTIONS)?;
    let mut options: Vec<FieldOption> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = o.at("options").index(i);
        // `"a"` is shorthand for `{"value": "a", "label": "a"}`.
        let option = match item {
            Value::String(s) if !s.trim().is_empty() && s.chars().count() <= 200 => FieldOption {
                value: s.trim().to_string(),
                label: s.trim().to_string(),
            },
            Value::Object(_) => {
                let opt = Obj::new(item, path.clone())?.only(&["value", "label"])?;
                let value = opt.req_str("value", 200)?;
                let label = opt.opt_str("label", 200)?.unwrap_or_else(|| value.clone());
                FieldOption { value, label }
            }
            _ => return Err(path.error("must be a string or {value, label}")),
        };
        if options.iter().any(|x| x.value == option.value) {
            return Err(path.error(format!("\"{}\" is listed twice", option.value)));
        }
        options.push(option);
    }
    Ok(options)
}

/// Whether `value` matches `pattern` (the server: the `regex` crate; the browser, later, its
/// own engine). A pattern that does not compile matches nothing.
pub type PatternMatch = fn(pattern: &str, value: &str) -> bool;

/// Checks `values` (a JSON object) against the schema. Answers the errors by field path
/// (`message`, `address.city`, `recipients[2]`), in schema order; empty when valid.
pub fn validate(
    schema: &FormSchema,
    values: &Value,
    matches: PatternMatch,
) -> Vec<(String, String)> {
    let mut errors = Vec::new();
    validate_fields(&schema.fields, values, "", matches, &mut errors);
    errors
}

fn validate_fields(
    fields: &[FormField],
    values: &Value,
    prefix: &str,
    matches: PatternMatch,
    errors: &mut Vec<(String, String)>,
) {
    let Some(map) = values.as_object() else {
        let at = if prefix.is_empty() { "values" } else { prefix };
        errors.push((at.to_string(), "must be an object".into()));
        return;
    };
    for key in map.keys() {
        if !fields.iter().any(|f| &f.name == key) {
            errors.push((join(prefix, key), "is not a field of this form".into()));
        }
    }
    for field in fields {
        let path = join(prefix, &field.name);
        let value = map.get(&field.name).filter(|v| !is_blank(v));
        match value {
            None if field.required => errors.push((path, "is required".into())),
            None => {}
            Some(v) => validate_value(field, v, &path, matches, errors),
        }
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

fn validate_value(
    field: &FormField,
    v: &Value,
    path: &str,
    matches: PatternMatch,
    errors: &mut Vec<(String, String)>,
) {
    let rule = &field.validation;
    let mut fail = |message: String| errors.push((path.to_string(), message));
    match field.field_type {
        FieldType::Number | FieldType::Integer => {
            let Some(n) = v.as_f64() else {
                return fail("must be a number".into());
            };
            if field.field_type == FieldType::Integer && v.as_i64().is_none() {
                return fail("must be a whole number".into());
            }
            if let Some(min) = rule.min.filter(|m| n < *m) {
                fail(format!("must be at least {min}"));
            } else if let Some(max) = rule.max.filter(|m| n > *m) {
                fail(format!("must be at most {max}"));
            }
        }
        FieldType::Checkbox | FieldType::Switch => {
            if !v.is_boolean() {
                fail("must be true or false".into());
            }
        }
        FieldType::Group => validate_fields(&field.fields, v, path, matches, errors),
        FieldType::Multiselect | FieldType::Array => {
            let Some(items) = v.as_array() else {
                return fail("must be a list".into());
            };
            if let Some(min) = rule.min_items.filter(|m| items.len() < *m as usize) {
                return fail(format!("needs at least {min} items"));
            }
            if let Some(max) = rule.max_items.filter(|m| items.len() > *m as usize) {
                return fail(format!("takes at most {max} items"));
            }
            if rule.unique_items {
                let mut seen = std::collections::HashSet::new();
                if !items.iter().all(|i| seen.insert(i.to_string())) {
                    return fail("must not repeat an item".into());
                }
            }
            for (i, item) in items.iter().enumerate() {
                let at = format!("{path}[{i}]");
                let problem = if field.field_type == FieldType::Multiselect {
                    choice_problem(field, item)
                } else {
                    item_problem(field, item, matches)
                };
                if let Some(message) = problem {
                    errors.push((at, message));
                }
            }
        }
        _ => {
            let problem = match v.as_str() {
                None => Some("must be text".to_string()),
                Some(_) if matches!(field.field_type, FieldType::Select | FieldType::Radio) => {
                    choice_problem(field, v)
                }
                Some(s) => text_problem(text_kind(field.field_type), rule, s, matches),
            };
            if let Some(message) = problem {
                fail(message);
            }
        }
    }
}

fn choice_problem(field: &FormField, v: &Value) -> Option<String> {
    let s = v.as_str()?;
    (!field.options.iter().any(|o| o.value == s)).then(|| "is not one of the choices".into())
}

/// The kind of text a scalar field or array item holds.
#[derive(Clone, Copy, PartialEq)]
enum TextKind {
    Plain,
    Email,
    Url,
    Phone,
    Date,
    Datetime,
}

fn text_kind(t: FieldType) -> TextKind {
    match t {
        FieldType::Email => TextKind::Email,
        FieldType::Url => TextKind::Url,
        FieldType::Phone => TextKind::Phone,
        FieldType::Date => TextKind::Date,
        FieldType::Datetime => TextKind::Datetime,
        _ => TextKind::Plain,
    }
}

fn item_problem(field: &FormField, item: &Value, matches: PatternMatch) -> Option<String> {
    let rule = &field.validation;
    let kind = match field.item_type? {
        ItemType::Number => return item.as_f64().is_none().then(|| "must be a number".into()),
        ItemType::Integer => {
            return item
                .as_i64()
                .is_none()
                .then(|| "must be a whole number".into())
        }
        ItemType::Boolean => return (!item.is_boolean()).then(|| "must be true or false".into()),
        ItemType::String => TextKind::Plain,
        ItemType::Email => TextKind::Email,
        ItemType::Url => TextKind::Url,
        ItemType::Phone => TextKind::Phone,
        ItemType::Date => TextKind::Date,
    };
    match item.as_str() {
        Some(s) => text_problem(kind, rule, s, matches),
        None => Some("must be text".into()),
    }
}

fn text_problem(
    kind: TextKind,
    rule: &Validation,
    s: &str,
    matches: PatternMatch,
) -> Option<String> {
    let len = s.chars().count() as u32;
    if let Some(min) = rule.min_length.filter(|m| len < *m) {
        return Some(format!("must be at least {min} characters"));
    }
    if let Some(max) = rule.max_length.filter(|m| len > *m) {
        return Some(format!("must be at most {max} characters"));
    }
    let shape_ok = match kind {
        TextKind::Plain => true,
        TextKind::Email => crate::domain::identity::parse_email("value", s).is_ok(),
        TextKind::Url => s.starts_with("https://") || s.starts_with("http://"),
        TextKind::Phone => {
            let digits = s.chars().filter(char::is_ascii_digit).count();
            (5..=20).contains(&digits)
                && s.chars()
                    .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        }
        TextKind::Date => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok(),
        TextKind::Datetime => {
            chrono::DateTime::parse_from_rfc3339(s).is_ok()
                || chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").is_ok()
        }
    };
    if !shape_ok {
        let what = match kind {
            TextKind::Email => "an email address",
            TextKind::Url => "an http or https URL",
            TextKind::Phone => "a phone number",
            TextKind::Date => "a date (YYYY-MM-DD)",
            _ => "a date and time",
        };
        return Some(format!("must be {what}"));
    }
    match &rule.pattern {
        Some(p) if !matches(p, s) => Some("does not have the expected format".into()),
        _ => None,
    }
}
