//! Commands: the bodies of writes, as typed structs that refuse unknown keys. Decoding one
//! names the JSON path of the first problem (`labels[1]`, `endpoints[0].method`), in the same
//! words the rest of the API uses; what a command means is then checked by its own
//! conversion into the validated value (`TryFrom`), after the caller's authorization.

use serde::{de::DeserializeOwned, Deserialize, Deserializer};
use serde_json::Value;

use crate::domain::{error::AppError, service::reader::JsonPath};

/// A command from a JSON value. Commands are objects: serde would also read a struct from an
/// array, by position, which no client means.
pub fn decode<T: DeserializeOwned>(value: Value) -> Result<T, AppError> {
    if !value.is_object() {
        return Err(AppError::validation("body", "must be an object"));
    }
    serde_path_to_error::deserialize(value).map_err(problem)
}

/// A command from a JSON body's bytes.
pub fn decode_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|_| AppError::validation("body", "The body is not valid JSON"))?;
    decode(value)
}

/// `Some(value)` for a key that is there, `null` included: with `#[serde(default)]`, a PATCH
/// tells an absent key (`None`, left as it is) from `null` (`Some(None)`, cleared).
pub fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

fn problem(e: serde_path_to_error::Error<serde_json::Error>) -> AppError {
    let mut at = JsonPath::root("");
    for segment in e.path().iter() {
        at = match segment {
            serde_path_to_error::Segment::Seq { index } => at.index(*index),
            serde_path_to_error::Segment::Map { key } => at.key(key),
            serde_path_to_error::Segment::Enum { variant } => at.key(variant),
            serde_path_to_error::Segment::Unknown => at,
        };
    }
    let message = e.inner().to_string();
    // serde_json appends where in the text it was; the path says more.
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or_default()
        .to_string();
    let quoted = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_string)
    };
    if let Some(key) = quoted("missing field `") {
        return at.key(&key).error("is required");
    }
    // The path of an unknown key already ends with it.
    if quoted("unknown field `").is_some() {
        let expected = message
            .split_once(", expected ")
            .map(|(_, list)| list.replace('`', ""))
            .unwrap_or_default();
        let hint = match expected.as_str() {
            "" | "nothing" => "unknown property".to_string(),
            list => format!("unknown property; expected {list}"),
        };
        return at.error(hint);
    }
    let field = if at.as_str().is_empty() {
        JsonPath::root("body")
    } else {
        at
    };
    field.error(plain(&message))
}

/// serde's "invalid type: integer `3`, expected a string" as the API says it elsewhere.
fn plain(message: &str) -> String {
    let Some((_, expected)) = message
        .strip_prefix("invalid type: ")
        .and_then(|m| m.split_once(", expected "))
    else {
        return message.to_string();
    };
    match expected {
        "a string" => "must be a string".into(),
        "a boolean" => "must be true or false".into(),
        "a sequence" => "must be an array".into(),
        "a map" => "must be an object".into(),
        e if e.starts_with("struct ") => "must be an object".into(),
        e if e.starts_with('i') || e.starts_with('u') => "must be a whole number".into(),
        e if e.starts_with('f') => "must be a number".into(),
        e => format!("must be {e}"),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Thing {
        title: String,
        #[serde(default)]
        labels: Vec<String>,
        #[serde(default, deserialize_with = "present")]
        due_date: Option<Option<String>>,
        #[serde(default)]
        inner: Option<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        count: u32,
    }

    fn field_of(v: Value) -> (String, String) {
        let e = decode::<Thing>(v).unwrap_err();
        (e.field().unwrap().to_string(), e.user_message())
    }

    #[test]
    fn errors_name_the_json_path_in_the_api_words() {
        assert_eq!(field_of(json!({})), ("title".into(), "is required".into()));
        let (f, m) = field_of(json!({"title": "x", "colour": "red"}));
        assert_eq!(f, "colour");
        assert!(
            m.starts_with("unknown property; expected one of title, labels"),
            "{m}"
        );
        assert_eq!(
            field_of(json!({"title": "x", "labels": ["a", 3]})),
            ("labels[1]".into(), "must be a string".into())
        );
        assert_eq!(
            field_of(json!({"title": "x", "inner": {"count": "many"}})),
            ("inner.count".into(), "must be a whole number".into())
        );
        assert_eq!(
            field_of(json!({"title": "x", "inner": {}})),
            ("inner.count".into(), "is required".into())
        );
        assert_eq!(
            field_of(json!(["by position"])),
            ("body".into(), "must be an object".into())
        );
        let e = decode_slice::<Thing>(b"{\"title\": ").unwrap_err();
        assert_eq!(e.field(), Some("body"));
    }

    #[test]
    fn a_patch_tells_absent_from_null() {
        let t: Thing = decode(json!({"title": "x"})).unwrap();
        assert_eq!(t.due_date, None);
        let t: Thing = decode(json!({"title": "x", "dueDate": null})).unwrap();
        assert_eq!(t.due_date, Some(None));
        let t: Thing = decode(json!({"title": "x", "dueDate": "2026-01-02"})).unwrap();
        assert_eq!(t.due_date, Some(Some("2026-01-02".into())));
    }
}
