//! What the gateway forwards for an endpoint with a `requestSchema`: the values as validated
//! and cleaned (fields hidden by their conditions and blanks removed; unknown keys are
//! refused by validation), never the raw body. The body is read strictly: a key given twice is refused, since the service
//! might read the other copy than the one that was checked.

use std::fmt;

use axum::body::Bytes;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::domain::{
    error::AppError,
    form::{schema::FormSchema, validate, values, FieldError},
};

/// A JSON value whose objects never repeat a key.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("a number that is not finite"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let Strict(v) = map.next_value()?;
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "has the key \"{key}\" more than once"
                )));
            }
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// Parses a body, refusing any object that repeats a key.
pub fn strict_json(body: &[u8]) -> Result<Value, String> {
    serde_json::from_slice::<Strict>(body)
        .map(|s| s.0)
        .map_err(|e| {
            let message = e.to_string();
            // serde_json appends " at line L column C"; the custom message is what matters.
            match message.find(" at line ") {
                Some(i) if message.contains("more than once") => message[..i].to_string(),
                _ => "must be a JSON object".to_string(),
            }
        })
}

/// Why a body was refused: malformed (one message for `body`) or invalid (every field).
pub enum Refused {
    Malformed(AppError),
    Invalid(Vec<FieldError>),
}

/// The body to forward for an endpoint whose requests follow `schema`: the values cleaned by
/// the same rules forms use, as JSON; an empty body stays empty (and is validated as `{}`).
pub fn checked(
    schema: &FormSchema,
    body: &Bytes,
    pattern_matches: fn(&str, &str) -> bool,
) -> Result<Bytes, Refused> {
    let values = if body.is_empty() {
        Value::Object(Map::new())
    } else {
        strict_json(body).map_err(|m| Refused::Malformed(AppError::validation("body", m)))?
    };
    if !values.is_object() {
        return Err(Refused::Malformed(AppError::validation(
            "body",
            "must be a JSON object",
        )));
    }
    let errors = validate(schema, &values, pattern_matches);
    if !errors.is_empty() {
        return Err(Refused::Invalid(errors));
    }
    if body.is_empty() {
        return Ok(Bytes::new());
    }
    let cleaned = values::clean(schema, &values);
    serde_json::to_vec(&cleaned)
        .map(Bytes::from)
        .map_err(|_| Refused::Malformed(AppError::Internal))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema(v: Value) -> FormSchema {
        serde_json::from_value(v).unwrap()
    }

    fn any(_: &str, _: &str) -> bool {
        true
    }

    #[test]
    fn a_repeated_key_is_refused_at_any_depth() {
        for body in [
            r#"{"a": 1, "a": 2}"#,
            r#"{"x": {"b": 1, "b": 1}}"#,
            r#"[{"c": 1, "c": 2}]"#,
        ] {
            let err = strict_json(body.as_bytes()).unwrap_err();
            assert!(err.contains("more than once"), "{body}: {err}");
        }
        assert_eq!(
            strict_json(br#"{"a": [1, 2.5, null, true, "s"], "b": {"a": 1}}"#).unwrap(),
            json!({"a": [1, 2.5, null, true, "s"], "b": {"a": 1}})
        );
        assert_eq!(strict_json(b"{").unwrap_err(), "must be a JSON object");
    }

    #[test]
    fn hidden_fields_are_not_forwarded() {
        let s = schema(json!({"fields": [
            {"name": "kind", "type": "select", "label": "Kind", "options": [
                {"value": "sms", "label": "SMS"}, {"value": "mail", "label": "Mail"}]},
            {"name": "address", "type": "text", "label": "Address",
             "showIf": {"field": "kind", "equals": "mail"}},
            {"name": "message", "type": "text", "label": "Message", "required": true}
        ]}));
        let body = Bytes::from(
            json!({"kind": "sms", "address": "'; DROP TABLE x", "message": "hi"}).to_string(),
        );
        let Ok(out) = checked(&s, &body, any) else {
            panic!("valid");
        };
        let sent: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(sent, json!({"kind": "sms", "message": "hi"}));
        let dup = Bytes::from_static(br#"{"message": "ok", "message": "<evil>"}"#);
        assert!(matches!(checked(&s, &dup, any), Err(Refused::Malformed(_))));
        let list = Bytes::from_static(b"[1]");
        assert!(matches!(
            checked(&s, &list, any),
            Err(Refused::Malformed(_))
        ));
    }
}
