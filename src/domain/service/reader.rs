//! Reading untrusted JSON into typed values with errors that name the JSON path
//! (`formSchema.fields[1].validation.pattern: not a valid regular expression`).

use serde_json::{Map, Value};

use crate::domain::error::AppError;

/// Where in the submitted document a value sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPath(String);

impl JsonPath {
    pub fn root(name: &str) -> Self {
        Self(name.to_string())
    }

    pub fn key(&self, key: &str) -> Self {
        if self.0.is_empty() {
            Self(key.to_string())
        } else {
            Self(format!("{}.{key}", self.0))
        }
    }

    pub fn index(&self, i: usize) -> Self {
        Self(format!("{}[{i}]", self.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A validation error at this path.
    pub fn error(&self, message: impl Into<String>) -> AppError {
        AppError::validation(self.0.clone(), message)
    }
}

/// A JSON object being read: every key must be known, so a typo (`requried`) is an error at
/// its path instead of a silently ignored setting.
pub struct Obj<'a> {
    map: &'a Map<String, Value>,
    pub path: JsonPath,
}

impl<'a> Obj<'a> {
    pub fn new(value: &'a Value, path: JsonPath) -> Result<Self, AppError> {
        match value {
            Value::Object(map) => Ok(Self { map, path }),
            _ => Err(path.error("must be an object")),
        }
    }

    /// Refuses keys outside `known`.
    pub fn only(self, known: &[&str]) -> Result<Self, AppError> {
        if let Some(k) = self.map.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(self.path.key(k).error(format!(
                "unknown property; expected one of {}",
                known.join(", ")
            )));
        }
        Ok(self)
    }

    pub fn keys(&self) -> impl Iterator<Item = &'a str> {
        self.map.keys().map(String::as_str)
    }

    /// Whether `key` is there at all (an explicit `null` clears an optional value).
    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// The value at `key`, unless it is absent or null.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub fn at(&self, key: &str) -> JsonPath {
        self.path.key(key)
    }

    pub fn opt_str(&self, key: &str, max_chars: usize) -> Result<Option<String>, AppError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => {
                let s = s.trim();
                if s.chars().count() > max_chars {
                    return Err(self
                        .at(key)
                        .error(format!("must be at most {max_chars} characters")));
                }
                if s.contains('\0') {
                    return Err(self.at(key).error("must not contain NUL characters"));
                }
                Ok((!s.is_empty()).then(|| s.to_string()))
            }
            Some(_) => Err(self.at(key).error("must be a string")),
        }
    }

    pub fn req_str(&self, key: &str, max_chars: usize) -> Result<String, AppError> {
        self.opt_str(key, max_chars)?
            .ok_or_else(|| self.at(key).error("is required"))
    }

    pub fn opt_bool(&self, key: &str) -> Result<Option<bool>, AppError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(self.at(key).error("must be true or false")),
        }
    }

    /// A whole number within `min..=max`.
    pub fn opt_int(&self, key: &str, min: i64, max: i64) -> Result<Option<i64>, AppError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match v.as_i64() {
                Some(n) if (min..=max).contains(&n) => Ok(Some(n)),
                _ => Err(self
                    .at(key)
                    .error(format!("must be a whole number from {min} to {max}"))),
            },
        }
    }

    pub fn opt_number(&self, key: &str) -> Result<Option<f64>, AppError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .filter(|n| n.is_finite())
                .map(Some)
                .ok_or_else(|| self.at(key).error("must be a number")),
        }
    }

    /// The array at `key` with at most `max` items (absent: empty).
    pub fn array(&self, key: &str, max: usize) -> Result<&'a [Value], AppError> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Value::Array(items)) if items.len() <= max => Ok(items),
            Some(Value::Array(_)) => {
                Err(self.at(key).error(format!("must have at most {max} items")))
            }
            Some(_) => Err(self.at(key).error("must be an array")),
        }
    }
}

/// Whether `s` is an identifier: a letter, then letters, digits or `_`, at most `max` long.
pub fn is_identifier(s: &str, max: usize) -> bool {
    let mut chars = s.chars();
    s.len() <= max
        && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_name_keys_and_indexes() {
        let p = JsonPath::root("formSchema")
            .key("fields")
            .index(1)
            .key("validation");
        assert_eq!(p.as_str(), "formSchema.fields[1].validation");
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_refused_at_their_path() {
        let v = json!({"name": 3, "requried": true});
        let o = Obj::new(&v, JsonPath::root("x")).unwrap();
        assert_eq!(o.req_str("name", 10).unwrap_err().field(), Some("x.name"));
        let e = Obj::new(&v, JsonPath::root("x"))
            .unwrap()
            .only(&["name"])
            .err()
            .unwrap();
        assert_eq!(e.field(), Some("x.requried"));
    }
}
