//! Conditions: which fields a set of values shows and requires. A condition names an
//! earlier field, so one pass in document order decides everything; a field whose
//! controlling field is hidden sees that field as empty, and a hidden group hides its fields.

use std::collections::HashSet;

use serde_json::Value;

use super::schema::{join, Condition, FieldType, FormField, FormSchema, Test};

/// The value at a dotted path (`address.city`) of a values object.
pub fn lookup<'a>(values: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(values, |v, key| v.get(key))
}

/// Whether a value counts as not filled in.
pub fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// Whether a value is not filled in, counting an unchecked box (`false`) as not filled in:
/// what `required` and `notEmpty` mean.
pub fn is_unset(v: &Value) -> bool {
    is_blank(v) || *v == Value::Bool(false)
}

/// Equal values; a number equals its text (`5` and `"5"`: a condition typed in the builder
/// is text, the number field's value a number).
fn same(a: &Value, b: &Value) -> bool {
    let number = |v: &Value| match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    if a.is_number() || b.is_number() {
        if let (Some(x), Some(y)) = (number(a), number(b)) {
            return x == y;
        }
    }
    a == b
}

impl Test {
    /// Whether the controlling field's value passes. A list (multiselect, array) passes
    /// `equals` when it holds the value and `oneOf` when it holds any of them.
    pub fn holds(&self, value: Option<&Value>) -> bool {
        let value = value.filter(|v| !is_blank(v));
        let contains = |wanted: &Value| match value {
            Some(Value::Array(items)) => items.iter().any(|i| same(i, wanted)),
            Some(v) => same(v, wanted),
            None => false,
        };
        match self {
            // An unchecked box is not "filled in"; it still equals `false`.
            Test::NotEmpty(_) => value.is_some_and(|v| !is_unset(v)),
            Test::Equals(wanted) => contains(wanted),
            Test::OneOf(wanted) => wanted.iter().any(contains),
        }
    }
}

/// Which value paths are hidden and which are required, for one set of values.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Rules {
    hidden: HashSet<String>,
    required: HashSet<String>,
}

impl Rules {
    pub fn of(schema: &FormSchema, values: &Value) -> Self {
        let mut rules = Self::default();
        rules.visit(&schema.fields, "", false, values);
        rules
    }

    fn holds(&self, condition: &Option<Condition>, values: &Value) -> Option<bool> {
        condition.as_ref().map(|c| {
            let value = (!self.hidden.contains(&c.field))
                .then(|| lookup(values, &c.field))
                .flatten();
            c.test.holds(value)
        })
    }

    fn visit(&mut self, fields: &[FormField], prefix: &str, hidden: bool, values: &Value) {
        for field in fields {
            let path = join(prefix, &field.name);
            let hide = hidden || self.holds(&field.show_if, values) == Some(false);
            if hide {
                self.hidden.insert(path.clone());
            } else if field.required || self.holds(&field.required_if, values) == Some(true) {
                self.required.insert(path.clone());
            }
            if field.field_type == FieldType::Group {
                self.visit(&field.fields, &path, hide, values);
            }
        }
    }

    pub fn shown(&self, path: &str) -> bool {
        !self.hidden.contains(path)
    }

    pub fn required(&self, path: &str) -> bool {
        self.required.contains(path)
    }
}
