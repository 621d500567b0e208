//! The one validation function, run live in the browser and authoritatively on the server.
//! Fields hidden by a condition are skipped (and `values::clean` drops them before a
//! submission goes anywhere); every error names the value path of a field that exists.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    rules::{is_blank, is_unset, Rules},
    schema::{join, FieldType, FormField, FormSchema, ItemType, Validation, MAX_ITEMS},
};

/// Whether `value` matches `pattern`: the server runs the linear-time `regex` crate, the
/// browser its own engine (no regex engine in the bundle). A pattern that does not compile
/// matches nothing.
pub type PatternMatch = fn(pattern: &str, value: &str) -> bool;

/// A pattern's refusal. The browser's RegExp and the server's `regex` read a few patterns
/// differently (`\w` is ASCII in one, Unicode in the other): in the browser this error is
/// advice, and only the server's answer stops a submission.
pub const PATTERN_MISMATCH: &str = "does not have the expected format";

/// An error at a value path (`message`, `address.city`, `recipients[2]`), or at `values`
/// for the whole form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub path: String,
    pub message: String,
}

impl FieldError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }

    /// The field the error belongs to: an array item's error shows under its array.
    pub fn field(&self) -> &str {
        self.path.split('[').next().unwrap_or(&self.path)
    }
}

/// Checks `values` (a JSON object) against the schema. Answers the errors in document
/// order; empty when valid.
pub fn validate(schema: &FormSchema, values: &Value, matches: PatternMatch) -> Vec<FieldError> {
    let rules = Rules::of(schema, values);
    let mut errors = Vec::new();
    let mut check = Check {
        rules: &rules,
        matches,
        errors: &mut errors,
    };
    check.fields(&schema.fields, values, "");
    errors
}

struct Check<'a> {
    rules: &'a Rules,
    matches: PatternMatch,
    errors: &'a mut Vec<FieldError>,
}

impl Check<'_> {
    fn fail(&mut self, path: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(path, message));
    }

    fn fields(&mut self, fields: &[FormField], values: &Value, prefix: &str) {
        let Some(map) = values.as_object() else {
            let at = if prefix.is_empty() { "values" } else { prefix };
            return self.fail(at, "must be an object");
        };
        for key in map.keys() {
            let known = fields
                .iter()
                .any(|f| &f.name == key && f.field_type != FieldType::Section);
            if !known {
                self.fail(&join(prefix, key), "is not a field of this form");
            }
        }
        for field in fields.iter().filter(|f| f.field_type != FieldType::Section) {
            let path = join(prefix, &field.name);
            if !self.rules.shown(&path) {
                continue;
            }
            // `false` leaves only a box unchecked; a text setting of `false` is still checked.
            let flag = matches!(field.field_type, FieldType::Checkbox | FieldType::Switch);
            let unset = |v: &&Value| if flag { is_unset(v) } else { is_blank(v) };
            match map.get(&field.name).filter(|v| !unset(v)) {
                // A group left out is a group left empty: its required fields still are.
                None if field.field_type == FieldType::Group => {
                    self.fields(&field.fields, &Value::Object(Default::default()), &path)
                }
                None if self.rules.required(&path) => self.fail(&path, "is required"),
                None => {}
                Some(v) => self.value(field, v, &path),
            }
        }
    }

    fn value(&mut self, field: &FormField, v: &Value, path: &str) {
        if field.field_type == FieldType::Group {
            return self.fields(&field.fields, v, path);
        }
        for (at, message) in value_problems(field, v, path, self.matches) {
            self.fail(&at, message);
        }
    }
}

/// What is wrong with one filled-in value of a field that is not a group: at the field, or
/// at one of its items (`recipients[2]`).
fn value_problems(
    field: &FormField,
    v: &Value,
    path: &str,
    matches: PatternMatch,
) -> Vec<(String, String)> {
    let whole = |message: Option<String>| {
        message
            .map(|m| vec![(path.to_string(), m)])
            .unwrap_or_default()
    };
    let rule = &field.validation;
    match field.field_type {
        FieldType::Number | FieldType::Integer => whole(match v.as_f64() {
            None => Some("must be a number".into()),
            Some(_) if field.field_type == FieldType::Integer && v.as_i64().is_none() => {
                Some("must be a whole number".into())
            }
            Some(n) => number_problem(rule, n),
        }),
        FieldType::Checkbox | FieldType::Switch => {
            whole((!v.is_boolean()).then(|| "must be true or false".into()))
        }
        FieldType::Group | FieldType::Section => Vec::new(),
        FieldType::Multiselect | FieldType::Array => match list_problem(field, v) {
            Some(problem) => whole(Some(problem)),
            None => v
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
                .filter_map(|(i, item)| {
                    let problem = if field.field_type == FieldType::Multiselect {
                        choice_problem(field, item)
                    } else {
                        item_problem(field, item, matches)
                    };
                    problem.map(|m| (format!("{path}[{i}]"), m))
                })
                .collect(),
        },
        _ => whole(match v.as_str() {
            None => Some("must be text".to_string()),
            Some(_) if matches!(field.field_type, FieldType::Select | FieldType::Radio) => {
                choice_problem(field, v)
            }
            Some(s) => text_problem(text_kind(field.field_type), rule, s, matches),
        }),
    }
}

/// What is wrong with a list as a whole: its type, its length, repeats.
fn list_problem(field: &FormField, v: &Value) -> Option<String> {
    let rule = &field.validation;
    let Some(items) = v.as_array() else {
        return Some("must be a list".into());
    };
    let max = rule
        .max_items
        .map_or(MAX_ITEMS, |m| (m as usize).min(MAX_ITEMS));
    if let Some(min) = rule.min_items.filter(|m| items.len() < *m as usize) {
        return Some(format!("needs at least {min} items"));
    }
    if items.len() > max {
        return Some(format!("takes at most {max} items"));
    }
    if rule.unique_items || field.field_type == FieldType::Multiselect {
        let mut seen = std::collections::HashSet::new();
        if !items.iter().all(|i| seen.insert(i.to_string())) {
            return Some("must not repeat an item".into());
        }
    }
    None
}

fn number_problem(rule: &Validation, n: f64) -> Option<String> {
    if let Some(min) = rule.min.filter(|m| n < *m) {
        return Some(format!("must be at least {min}"));
    }
    if let Some(max) = rule.max.filter(|m| n > *m) {
        return Some(format!("must be at most {max}"));
    }
    let step = rule.step?;
    let base = rule.min.unwrap_or(0.0);
    let steps = (n - base) / step;
    ((steps - steps.round()).abs() > 1e-9).then(|| format!("must be a multiple of {step}"))
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
        ItemType::Number => {
            return match item.as_f64() {
                Some(n) => number_problem(rule, n),
                None => Some("must be a number".into()),
            }
        }
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

/// The numbers of `s`, fixed-width digit runs between `separator`s (`2026-12-06` → 2026, 12,
/// 6). Read here rather than with chrono's strftime parser, which the browser's bundle would
/// carry for these two shapes.
fn numbers<const N: usize>(s: &str, separator: char, widths: [usize; N]) -> Option<[u32; N]> {
    let mut out = [0; N];
    let mut parts = s.split(separator);
    for (slot, width) in out.iter_mut().zip(widths) {
        let part = parts.next()?;
        if part.len() != width || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *slot = part.parse().ok()?;
    }
    parts.next().is_none().then_some(out)
}

/// `2026-12-06`, a day of the calendar: what a date input sends.
fn is_date(s: &str) -> bool {
    numbers(s, '-', [4, 2, 2])
        .is_some_and(|[y, m, d]| chrono::NaiveDate::from_ymd_opt(y as i32, m, d).is_some())
}

/// `14:03` or `14:03:07`: the time of a datetime-local input.
fn is_time(s: &str) -> bool {
    let ok = |h, m, sec| chrono::NaiveTime::from_hms_opt(h, m, sec).is_some();
    numbers(s, ':', [2, 2]).is_some_and(|[h, m]| ok(h, m, 0))
        || numbers(s, ':', [2, 2, 2]).is_some_and(|[h, m, sec]| ok(h, m, sec))
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
        TextKind::Email => crate::domain::identity::email_problem(s.trim()).is_none(),
        TextKind::Url => s.starts_with("https://") || s.starts_with("http://"),
        TextKind::Phone => {
            let digits = s.chars().filter(char::is_ascii_digit).count();
            (5..=20).contains(&digits)
                && s.chars()
                    .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        }
        TextKind::Date => is_date(s),
        TextKind::Datetime => {
            chrono::DateTime::parse_from_rfc3339(s).is_ok()
                || s.split_once('T')
                    .is_some_and(|(d, t)| is_date(d) && is_time(t))
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
        Some(p) if !matches(p, s) => Some(PATTERN_MISMATCH.into()),
        _ => None,
    }
}
