//! Form schemas (`formSchema` of a service, `requestSchema` of an endpoint): the seed
//! document's shape (`fields[]` with `name`, `type`, `label`, `required`, `validation`,
//! `itemType`), which stays valid as written, extended with conditions (`showIf`,
//! `requiredIf`), layout (`section` fields, `width`), defaults, placeholders and help. Read
//! with errors at their JSON path, and bounded so that a hostile schema stays cheap.

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
/// A schema's serialized size at most.
pub const MAX_SCHEMA_BYTES: usize = 128 * 1024;
/// An array or multiselect holds at most this many items, whatever its `maxItems`.
pub const MAX_ITEMS: usize = 1000;
/// A condition's `oneOf` lists at most this many values.
pub const MAX_CONDITION_VALUES: usize = 50;

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
        Section => "section", // starts a titled section; holds no value
    }
}

closed_set! {
    /// How much of the form's row a field takes (on wide screens; phones stack fields).
    pub enum Width {
        Full => "full",
        Half => "half",
        Third => "third",
        TwoThirds => "twoThirds",
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
                // "Choose A, B or C", as everywhere else; the decoder names the field.
                Self::parse_field("", raw.trim())
                    .map_err(|e| serde::de::Error::custom(e.user_message()))
            }
        }
    };
}
pub(crate) use serde_as_str;

serde_as_str!(FieldType);
serde_as_str!(ItemType);
serde_as_str!(Width);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FormSchema {
    pub fields: Vec<FormField>,
    /// The endpoint (by name) a submission goes to, when the service has several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submit_label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
    #[cfg_attr(feature = "ssr", schema(no_recursion))]
    pub fields: Vec<FormField>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// Shown (and validated, and submitted) only while this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
    /// Required only while this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_if: Option<Condition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<Width>,
}

/// A test on another field's value, which must come earlier in the form (so conditions
/// cannot loop): `{"field": "channel", "equals": "email"}`, `{"field": "channel", "oneOf":
/// ["sms", "whatsapp"]}` or `{"field": "notes", "notEmpty": true}`. The field is a dotted
/// path from the form's root (`address.country`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", try_from = "ConditionWire")]
pub struct Condition {
    pub field: String,
    #[serde(flatten)]
    pub test: Test,
}

/// A condition as it travels, read flat: `#[serde(flatten)]` reads through a buffering
/// deserializer that the browser's bundle would carry for this one type.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConditionWire {
    field: String,
    equals: Option<Value>,
    one_of: Option<Vec<Value>>,
    not_empty: Option<bool>,
}

impl TryFrom<ConditionWire> for Condition {
    type Error = &'static str;

    fn try_from(wire: ConditionWire) -> Result<Self, Self::Error> {
        let test = match (wire.equals, wire.one_of, wire.not_empty) {
            (Some(v), None, None) => Test::Equals(v),
            (None, Some(vs), None) => Test::OneOf(vs),
            (None, None, Some(b)) => Test::NotEmpty(b),
            _ => return Err("a condition needs exactly one of equals, oneOf or notEmpty"),
        };
        Ok(Condition {
            field: wire.field,
            test,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum Test {
    Equals(Value),
    OneOf(Vec<Value>),
    NotEmpty(bool),
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
        let obj = Obj::new(value, path)?.only(&["fields", "endpoint", "submitLabel"])?;
        let too_big = || {
            obj.path
                .error(format!("must be at most {} KB", MAX_SCHEMA_BYTES / 1024))
        };
        if value.to_string().len() > MAX_SCHEMA_BYTES {
            return Err(too_big());
        }
        let mut count = 0;
        let fields = parse_fields(&obj, 1, &mut count, pattern_ok)?;
        if fields.iter().all(|f| f.field_type == FieldType::Section) {
            return Err(obj.at("fields").error("must list at least one field"));
        }
        let schema = Self {
            fields,
            endpoint: obj.opt_str("endpoint", 100)?,
            submit_label: obj.opt_str("submitLabel", 60)?,
        };
        check_conditions(&schema, &obj.at("fields"))?;
        // Stored and read back expanded (`"a"` becomes `{"value": "a", "label": "a"}`,
        // defaults filled in): that form must fit the limit too, or a saved version could
        // not be restored.
        if serde_json::to_string(&schema).map_or(true, |s| s.len() > MAX_SCHEMA_BYTES) {
            return Err(too_big());
        }
        Ok(schema)
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
    "showIf",
    "requiredIf",
    "width",
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
    let width = match o.opt_str("width", 20)? {
        Some(raw) => Some(Width::parse_field(o.at("width").as_str(), &raw)?),
        None => None,
    };
    let default = o.get("default").cloned();
    if default.as_ref().is_some_and(|d| d.to_string().len() > 4096) {
        return Err(o.at("default").error("must be at most 4 KB"));
    }
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
        default,
        show_if: parse_condition(&o, "showIf")?,
        required_if: parse_condition(&o, "requiredIf")?,
        width,
    })
}

fn parse_condition(o: &Obj<'_>, key: &str) -> Result<Option<Condition>, AppError> {
    let Some(value) = o.get(key) else {
        return Ok(None);
    };
    let c = Obj::new(value, o.at(key))?.only(&["field", "equals", "oneOf", "notEmpty"])?;
    let field = c.req_str("field", 200)?;
    let tests = ["equals", "oneOf", "notEmpty"]
        .iter()
        .filter(|k| c.has(k))
        .count();
    if tests != 1 {
        return Err(c
            .path
            .error("needs exactly one of equals, oneOf or notEmpty"));
    }
    let scalar = |v: &Value, at: JsonPath| -> Result<Value, AppError> {
        match v {
            Value::String(s) if s.chars().count() <= 200 => Ok(v.clone()),
            Value::Bool(_) | Value::Number(_) => Ok(v.clone()),
            _ => Err(at.error("must be a string (at most 200 characters), a number or a boolean")),
        }
    };
    let test = if let Some(v) = c.get("equals") {
        Test::Equals(scalar(v, c.at("equals"))?)
    } else if c.has("oneOf") {
        let items = c.array("oneOf", MAX_CONDITION_VALUES)?;
        if items.is_empty() {
            return Err(c.at("oneOf").error("must list at least one value"));
        }
        let values = items
            .iter()
            .enumerate()
            .map(|(i, v)| scalar(v, c.at("oneOf").index(i)))
            .collect::<Result<_, _>>()?;
        Test::OneOf(values)
    } else {
        match c.opt_bool("notEmpty")? {
            Some(true) => Test::NotEmpty(true),
            _ => return Err(c.at("notEmpty").error("must be true")),
        }
    };
    Ok(Some(Condition { field, test }))
}

/// Every condition names a field with a value that comes earlier in the form.
fn check_conditions(schema: &FormSchema, root: &JsonPath) -> Result<(), AppError> {
    let mut earlier: Vec<String> = Vec::new();
    let mut problem = None;
    walk_paths(&schema.fields, "", root, &mut |field, path, at| {
        if problem.is_some() {
            return;
        }
        for (key, condition) in [
            ("showIf", &field.show_if),
            ("requiredIf", &field.required_if),
        ] {
            if let Some(c) = condition {
                if !earlier.contains(&c.field) {
                    problem = Some(at.key(key).key("field").error(format!(
                        "\"{}\" is not a field that comes before this one",
                        c.field
                    )));
                    return;
                }
            }
        }
        if field.holds_value() {
            earlier.push(path.to_string());
        }
    });
    problem.map_or(Ok(()), Err)
}

/// Visits every field in document order, groups before their fields, with its value path
/// (`address.city`) and its schema path (`fields[2].fields[0]`).
pub fn walk_paths<'a>(
    fields: &'a [FormField],
    prefix: &str,
    at: &JsonPath,
    visit: &mut impl FnMut(&'a FormField, &str, &JsonPath),
) {
    for (i, field) in fields.iter().enumerate() {
        let path = join(prefix, &field.name);
        let here = at.index(i);
        visit(field, &path, &here);
        if field.field_type == FieldType::Group {
            walk_paths(&field.fields, &path, &here.key("fields"), visit);
        }
    }
}

/// `prefix.name`, or `name` at the root.
pub fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

impl FormSchema {
    /// Every field in document order, groups before their fields, with its value path
    /// (`address.city`).
    pub fn paths(&self) -> Vec<(&FormField, String)> {
        let mut out = Vec::new();
        walk_paths(
            &self.fields,
            "",
            &JsonPath::root("fields"),
            &mut |f, path, _| out.push((f, path.to_string())),
        );
        out
    }
}

impl FormField {
    /// Whether the field carries a value of its own (groups and sections do not).
    pub fn holds_value(&self) -> bool {
        !matches!(self.field_type, FieldType::Group | FieldType::Section)
    }
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
