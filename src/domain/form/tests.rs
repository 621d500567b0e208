use proptest::prelude::*;
use serde_json::{json, Value};

use super::{
    edit,
    rules::Rules,
    schema::{walk_paths, FieldType, FormSchema},
    validate,
    values::{self, Pairs},
    FieldError,
};
use crate::domain::{
    service::reader::JsonPath,
    tree::{place, step, Placement, Step},
};

/// The server's matcher (the linear-time `regex` crate).
fn matches(p: &str, v: &str) -> bool {
    regex::Regex::new(p).is_ok_and(|re| re.is_match(v))
}

fn compiles(p: &str) -> Result<(), String> {
    regex::Regex::new(p)
        .map(|_| ())
        .map_err(|_| "syntax".into())
}

fn parse(v: Value) -> Result<FormSchema, crate::domain::error::AppError> {
    FormSchema::parse(&v, JsonPath::root("formSchema"), compiles)
}

/// The seed document's WhatsApp form, exactly as written there.
fn whatsapp() -> FormSchema {
    parse(json!({
        "fields": [
            { "name": "message", "type": "textarea", "label": "Message", "required": true,
              "validation": { "maxLength": 1000 } },
            { "name": "recipients", "type": "array", "label": "Phone Numbers", "required": true,
              "itemType": "string", "validation": { "pattern": "^\\+?[0-9]{10,15}$" } }
        ]
    }))
    .unwrap()
}

fn paths(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.path.as_str()).collect()
}

#[test]
fn the_seed_whatsapp_form_accepts_a_phone_number_and_refuses_12ab() {
    let schema = whatsapp();
    let ok = json!({"message": "Hello", "recipients": ["+6281234567890"]});
    assert_eq!(validate(&schema, &ok, matches), vec![]);
    let bad = json!({"message": "Hello", "recipients": ["+6281234567890", "12ab"]});
    let errors = validate(&schema, &bad, matches);
    assert_eq!(paths(&errors), ["recipients[1]"]);
    assert_eq!(errors[0].field(), "recipients");
    assert_eq!(errors[0].message, "does not have the expected format");
    let empty = json!({});
    assert_eq!(
        paths(&validate(&schema, &empty, matches)),
        ["message", "recipients"]
    );
}

fn conditional() -> FormSchema {
    parse(json!({
        "fields": [
            { "name": "contact", "type": "radio", "label": "Contact me by", "options": ["email", "phone", "none"] },
            { "name": "email", "type": "email", "label": "Email", "required": true,
              "showIf": { "field": "contact", "equals": "email" } },
            { "name": "phone", "type": "phone", "label": "Phone",
              "showIf": { "field": "contact", "oneOf": ["phone"] } },
            { "name": "notes", "type": "textarea", "label": "Notes" },
            { "name": "reason", "type": "text", "label": "Why",
              "requiredIf": { "field": "notes", "notEmpty": true } },
            { "name": "extra", "type": "group", "label": "Extra",
              "showIf": { "field": "contact", "equals": "phone" },
              "fields": [ { "name": "when", "type": "date", "label": "When", "required": true } ] }
        ]
    }))
    .unwrap()
}

#[test]
fn conditions_hide_and_require_as_documented() {
    let schema = conditional();
    // Hidden: neither validated (a bad email, a missing required one) nor submitted.
    let v = json!({"contact": "none", "email": "not an email", "extra": {"when": "x"}});
    assert_eq!(validate(&schema, &v, matches), vec![]);
    assert_eq!(values::clean(&schema, &v), json!({"contact": "none"}));
    let rules = Rules::of(&schema, &v);
    assert!(!rules.shown("email") && !rules.shown("extra.when") && rules.shown("notes"));

    // Shown: required and checked.
    let v = json!({"contact": "email"});
    assert_eq!(paths(&validate(&schema, &v, matches)), ["email"]);
    let v = json!({"contact": "email", "email": "nope"});
    assert_eq!(
        validate(&schema, &v, matches)[0].message,
        "must be an email address"
    );

    // A shown group's fields are checked; requiredIf follows another field.
    let v = json!({"contact": "phone", "notes": "call after five"});
    assert_eq!(
        paths(&validate(&schema, &v, matches)),
        ["reason", "extra.when"]
    );
    let v = json!({"contact": "phone", "notes": "  ", "extra": {"when": "2026-12-01"}});
    assert_eq!(validate(&schema, &v, matches), vec![]);
}

#[test]
fn conditions_travel_flat_and_come_back_the_same() {
    let schema = conditional();
    let wire = serde_json::to_value(&schema).unwrap();
    assert_eq!(
        wire["fields"][2]["showIf"],
        json!({"field": "contact", "oneOf": ["phone"]})
    );
    let back: FormSchema = serde_json::from_value(wire).unwrap();
    assert_eq!(back, schema);
    let two = json!({"field": "contact", "equals": "a", "notEmpty": true});
    let err = serde_json::from_value::<super::schema::Condition>(two).unwrap_err();
    assert!(err.to_string().contains("exactly one of"), "{err}");
}

#[test]
fn a_condition_must_name_an_earlier_field() {
    let err = parse(json!({"fields": [
        { "name": "a", "type": "text", "label": "A", "showIf": { "field": "b", "notEmpty": true } },
        { "name": "b", "type": "text", "label": "B" }
    ]}))
    .unwrap_err();
    assert_eq!(err.field(), Some("formSchema.fields[0].showIf.field"));
    let err = parse(json!({"fields": [
        { "name": "a", "type": "text", "label": "A" },
        { "name": "b", "type": "text", "label": "B", "showIf": { "field": "a", "equals": "x", "notEmpty": true } }
    ]}))
    .unwrap_err();
    assert_eq!(err.field(), Some("formSchema.fields[1].showIf"));
    // A section holds no value, so nothing can depend on it.
    let err = parse(json!({"fields": [
        { "name": "s", "type": "section", "label": "About you" },
        { "name": "b", "type": "text", "label": "B", "requiredIf": { "field": "s", "notEmpty": true } }
    ]}))
    .unwrap_err();
    assert_eq!(err.field(), Some("formSchema.fields[1].requiredIf.field"));
}

#[test]
fn limits_name_their_json_path() {
    let long = "a".repeat(600);
    let err = parse(json!({"fields": [
        { "name": "a", "type": "text", "label": "A", "validation": { "pattern": long } }
    ]}))
    .unwrap_err();
    assert_eq!(err.field(), Some("formSchema.fields[0].validation.pattern"));
    let err = parse(json!({"fields": [
        { "name": "a", "type": "text", "label": "A", "width": "double" }
    ]}))
    .unwrap_err();
    assert_eq!(err.field(), Some("formSchema.fields[0].width"));
    let many: Vec<Value> = (0..60).map(|i| json!(i)).collect();
    let err = parse(json!({"fields": [
        { "name": "a", "type": "text", "label": "A" },
        { "name": "b", "type": "text", "label": "B", "showIf": { "field": "a", "oneOf": many } }
    ]}))
    .unwrap_err();
    assert_eq!(err.field(), Some("formSchema.fields[1].showIf.oneOf"));
    let err =
        parse(json!({"fields": [{ "name": "s", "type": "section", "label": "Only a title" }]}))
            .unwrap_err();
    assert_eq!(err.field(), Some("formSchema.fields"));
}

#[test]
fn numbers_steps_lists_and_choices() {
    let schema = parse(json!({"fields": [
        { "name": "qty", "type": "integer", "label": "Qty", "validation": { "min": 1, "max": 10 } },
        { "name": "price", "type": "number", "label": "Price", "validation": { "step": 0.5 } },
        { "name": "tags", "type": "multiselect", "label": "Tags", "options": ["a", "b"],
          "validation": { "maxItems": 1 } },
        { "name": "ok", "type": "checkbox", "label": "OK" }
    ]}))
    .unwrap();
    let v = json!({"qty": 11, "price": 1.25, "tags": ["a", "b"], "ok": "yes"});
    let errors = validate(&schema, &v, matches);
    assert_eq!(paths(&errors), ["qty", "price", "tags", "ok"]);
    assert_eq!(errors[1].message, "must be a multiple of 0.5");
    let v = json!({"qty": 2.5, "tags": ["c"]});
    let errors = validate(&schema, &v, matches);
    assert_eq!(paths(&errors), ["qty", "tags[0]"]);
    assert_eq!(errors[0].message, "must be a whole number");
}

#[test]
fn dates_and_times_take_the_shapes_inputs_send() {
    let schema = parse(json!({"fields": [
        { "name": "day", "type": "date", "label": "Day" },
        { "name": "at", "type": "datetime", "label": "At" }
    ]}))
    .unwrap();
    let fine = |day: &str, at: &str| validate(&schema, &json!({"day": day, "at": at}), matches);
    for (day, at) in [
        ("2024-02-29", "2026-12-06T14:03"),
        ("0999-01-01", "2026-12-06T23:59:59"),
        ("2026-12-31", "2026-12-06T14:03:07Z"),
        ("2026-01-09", "2026-12-06T14:03:07.5+07:00"),
    ] {
        assert!(fine(day, at).is_empty(), "{day} / {at}");
    }
    for (day, at) in [
        ("2023-02-29", "2026-12-06T24:00"),
        ("2026-1-09", "2026-12-06 14:03"),
        ("+2026-01-09", "2026-12-06T14:3"),
        ("2026-01-09-", "2026-12-06T14:03:07:01"),
        ("2026-13-01", "2026-02-30T10:00"),
        ("26-01-01", "2026-12-06T"),
    ] {
        let errors = fine(day, at);
        assert_eq!(paths(&errors), ["day", "at"], "{day} / {at}");
        assert_eq!(errors[0].message, "must be a date (YYYY-MM-DD)");
        assert_eq!(errors[1].message, "must be a date and time");
    }
}

#[test]
fn a_form_post_reads_by_the_schema() {
    let schema = parse(json!({"fields": [
        { "name": "qty", "type": "integer", "label": "Qty" },
        { "name": "to", "type": "array", "label": "To", "itemType": "string" },
        { "name": "ok", "type": "switch", "label": "OK" },
        { "name": "pw", "type": "password", "label": "Password" },
        { "name": "addr", "type": "group", "label": "Address",
          "fields": [{ "name": "city", "type": "text", "label": "City" }] }
    ]}))
    .unwrap();
    let pairs: Pairs = [
        ("qty", "12"),
        ("to.10", "third"),
        ("to.2", "second"),
        ("to.0", "first"),
        ("to.1", " "),
        ("pw", " secret "),
        ("addr.city", "Lima"),
        ("unknown", "ignored"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let v = values::from_pairs(&schema, &pairs);
    assert_eq!(
        v,
        json!({"qty": 12, "to": ["first", "second", "third"], "ok": false, "pw": " secret ",
               "addr": {"city": "Lima"}})
    );
    // Not a number: kept as typed, for the validator to name.
    let mut bad = pairs.clone();
    bad.insert("qty".into(), "twelve".into());
    let v = values::from_pairs(&schema, &bad);
    assert_eq!(v["qty"], json!("twelve"));
    assert_eq!(paths(&validate(&schema, &v, matches)), ["qty"]);
    // Passwords never echo back into a page, nor are they stored.
    let echo = values::echo_pairs(&schema, &pairs);
    assert!(!echo.contains_key("pw") && !echo.contains_key("unknown"));
    assert!(echo.contains_key("to.10") && echo.contains_key("addr.city"));
    assert!(values::without_passwords(&schema.fields, &v)
        .get("pw")
        .is_none());
    // And what a page starts with reads back to the same values.
    let round = values::from_pairs(&schema, &values::to_pairs(&schema, &v));
    assert_eq!(round, v);
}

#[test]
fn the_builder_moves_fields_into_groups_only() {
    let schema = conditional();
    let mut next = 0;
    let mut nodes = edit::nodes(&schema.fields, &mut next);
    let group = nodes
        .iter()
        .find(|n| n.field.name == "extra")
        .unwrap()
        .id
        .clone();
    let notes = nodes
        .iter()
        .find(|n| n.field.name == "notes")
        .unwrap()
        .id
        .clone();
    let email = nodes
        .iter()
        .find(|n| n.field.name == "email")
        .unwrap()
        .id
        .clone();
    assert!(place(&mut nodes, &email, &notes, Placement::Inside).is_err());
    place(&mut nodes, &notes, &group, Placement::Inside).unwrap();
    assert_eq!(
        edit::value_path(&nodes, &notes).as_deref(),
        Some("extra.notes")
    );
    assert_eq!(
        step(&mut nodes, &notes, Step::Out).unwrap(),
        "Moved out of Extra"
    );
    let back = edit::schema(&nodes, &schema);
    assert_eq!(back.fields.len(), schema.fields.len());
    assert_eq!(back.fields.last().unwrap().name, "notes");
    let err = parse(serde_json::to_value(&back).unwrap()).unwrap_err();
    // `reason` now comes before the `notes` it depends on, and the schema says where.
    let at = err.field().unwrap().replace("formSchema", "schema");
    let node = edit::node_at_error(&nodes, &at).unwrap();
    assert_eq!(node.field.name, "reason");
}

// ---- properties ----

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        "[a-z+0-9 .:@-]{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "text", "number", "group", "array", "select", "fields", "name", "type", "label",
            "showIf", "field", "equals", "options", "itemType", "string", "section", "pattern",
        ])
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop::sample::select(vec![
                        "fields",
                        "name",
                        "type",
                        "label",
                        "required",
                        "validation",
                        "options",
                        "itemType",
                        "showIf",
                        "requiredIf",
                        "width",
                        "default",
                        "x",
                    ]),
                    inner
                ),
                0..6
            )
            .prop_map(|kv| Value::Object(
                kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
            )),
        ]
    })
}

/// A value a field accepts.
fn valid_value(field: &super::FormField) -> Option<Value> {
    Some(match field.field_type {
        FieldType::Section => return None,
        FieldType::Number | FieldType::Integer => {
            json!(field.validation.min.unwrap_or(0.0).ceil() as i64)
        }
        FieldType::Checkbox | FieldType::Switch => json!(true),
        FieldType::Email => json!("someone@example.com"),
        FieldType::Url => json!("https://example.com"),
        FieldType::Phone => json!("+6281234567890"),
        FieldType::Date => json!("2026-11-29"),
        FieldType::Datetime => json!("2026-11-29T10:00"),
        FieldType::Select | FieldType::Radio => json!(field.options[0].value),
        FieldType::Multiselect => json!([field.options[0].value]),
        FieldType::Array => json!(["+6281234567890"]),
        FieldType::Group => {
            let inner: serde_json::Map<String, Value> = field
                .fields
                .iter()
                .filter_map(|f| Some((f.name.clone(), valid_value(f)?)))
                .collect();
            Value::Object(inner)
        }
        _ => json!("abc"),
    })
}

/// A well-formed schema of random fields: any type, validation bounds and a pattern now
/// and then, options where a type needs them, a nested group, and conditions on an earlier
/// field (equals, oneOf, notEmpty; show or require). Every one of them parses.
fn arb_schema() -> impl Strategy<Value = Value> {
    let field = (
        prop::sample::select(FieldType::ALL.to_vec()),
        any::<bool>(),
        prop::option::of((0u8..5, 5u8..40)),
        prop::option::of(prop::sample::select(vec![
            "^[a-z]+$",
            "^\\+?[0-9]{10,15}$",
            "(a|b)*c",
            "^.{2,}$",
        ])),
        0u8..7,
        prop::sample::select(vec!["full", "half", "third", "twoThirds"]),
    );
    prop::collection::vec(field, 1..10).prop_map(|specs| {
        let mut fields = Vec::new();
        // Conditions name an earlier field with a value of its own (not a group or section).
        let mut earlier: Option<String> = None;
        for (i, (t, required, bounds, pattern, condition, width)) in specs.into_iter().enumerate() {
            let mut f = json!({"name": format!("f{i}"), "type": t.as_str(), "label": format!("F{i}"),
                               "required": required && t != FieldType::Section, "width": width});
            let textual = matches!(t, FieldType::Text | FieldType::Textarea | FieldType::Password | FieldType::Phone);
            if let (Some((lo, hi)), true) = (bounds, textual) {
                f["validation"] = json!({"minLength": lo, "maxLength": hi});
            }
            if let (Some((lo, hi)), FieldType::Number | FieldType::Integer) = (bounds, t) {
                f["validation"] = json!({"min": lo, "max": hi});
            }
            if let (Some(p), true) = (pattern, textual) {
                f["validation"]["pattern"] = json!(p);
            }
            match t {
                FieldType::Select | FieldType::Multiselect | FieldType::Radio => {
                    f["options"] = json!(["a", {"value": "b", "label": "<b>B</b>"}, "c"])
                }
                FieldType::Array => {
                    f["itemType"] = json!("string");
                    f["validation"] = json!({"maxItems": 3, "uniqueItems": true});
                }
                FieldType::Group => {
                    f["fields"] = json!([
                        {"name": "inner", "type": "integer", "label": "Inner", "required": true},
                        {"name": "note", "type": "text", "label": "Note",
                         "showIf": {"field": format!("f{i}.inner"), "equals": 3}}
                    ])
                }
                _ => {}
            }
            if let (Some(on), false) = (&earlier, t == FieldType::Section) {
                let on = on.clone();
                let key = if condition % 2 == 0 { "showIf" } else { "requiredIf" };
                match condition / 2 {
                    0 => f[key] = json!({"field": on, "equals": "a"}),
                    1 => f[key] = json!({"field": on, "oneOf": ["a", "b", 3, true]}),
                    2 => f[key] = json!({"field": on, "notEmpty": true}),
                    _ => {}
                }
            }
            if !matches!(t, FieldType::Group | FieldType::Section) {
                earlier = Some(format!("f{i}"));
            }
            fields.push(f);
        }
        // At least one field that holds a value.
        fields.push(json!({"name": "last", "type": "text", "label": "Last"}));
        json!({"fields": fields})
    })
}

/// A form post's keys: the schema's names, list and group paths, and stray ones.
fn arb_pairs() -> impl Strategy<Value = Pairs> {
    let key = prop_oneof![
        (0u8..10).prop_map(|i| format!("f{i}")),
        (0u8..10, 0u16..1200).prop_map(|(i, n)| format!("f{i}.{n}")),
        (0u8..10).prop_map(|i| format!("f{i}.inner")),
        (0u8..10).prop_map(|i| format!("f{i}.note")),
        "[a-z.\\[\\]0-9]{0,12}",
    ];
    let value = prop_oneof![
        Just(String::new()),
        Just("true".to_string()),
        Just("3".to_string()),
        Just("+6281234567890".to_string()),
        "[ -~]{0,24}",
        "\\PC{0,8}",
    ];
    prop::collection::btree_map(key, value, 0..24)
}

/// The names and paths errors may name in `schema`, with the form itself.
fn known_paths(schema: &FormSchema) -> Vec<String> {
    let mut known = vec!["values".to_string(), String::new()];
    walk_paths(
        &schema.fields,
        "",
        &JsonPath::root("fields"),
        &mut |_, path, _| known.push(path.to_string()),
    );
    known
}

fn names_a_field(known: &[String], field: &str) -> bool {
    known.iter().any(|k| {
        field == k || field.starts_with(&format!("{k}.")) || field.starts_with(&format!("{k}["))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Arbitrary JSON as a schema and as values: nothing panics, and every error names a
    /// field of the schema (or the form itself).
    #[test]
    fn arbitrary_json_never_panics(schema in arb_json(), v in arb_json()) {
        let wrapped = json!({"fields": schema});
        for candidate in [&schema, &wrapped] {
            if let Ok(parsed) = parse(candidate.clone()) {
                let mut known = vec!["values".to_string()];
                walk_paths(&parsed.fields, "", &JsonPath::root("fields"), &mut |_, path, _| known.push(path.to_string()));
                for e in validate(&parsed, &v, matches) {
                    let field = e.field().to_string();
                    let is_known = known.contains(&field)
                        || known.iter().any(|k| field.starts_with(&format!("{k}.")));
                    prop_assert!(is_known, "{} is not a field", e.path);
                }
                let _ = values::clean(&parsed, &v);
                let _ = values::to_pairs(&parsed, &v);
            }
        }
    }

    /// Well-formed schemas parse; hostile form posts and arbitrary JSON against them never
    /// panic, and every error names one of their fields.
    #[test]
    fn hostile_posts_against_well_formed_schemas(schema in arb_schema(), pairs in arb_pairs(), v in arb_json()) {
        let parsed = parse(schema.clone());
        prop_assert!(parsed.is_ok(), "{schema}: {parsed:?}");
        let parsed = parsed.unwrap();
        let known = known_paths(&parsed);
        let mut posted = values::from_pairs(&parsed, &pairs);
        values::fix_hidden(&parsed, &mut posted, None);
        // A post is read by the schema: its errors name fields only. Arbitrary JSON may also
        // carry keys the form does not have, each refused at its own path.
        for (candidate, strays) in [(&posted, false), (&v, true)] {
            for e in validate(&parsed, candidate, matches) {
                let stray = strays && e.message == "is not a field of this form";
                prop_assert!(stray || names_a_field(&known, e.field()), "{} ({}) is not a field of {schema}", e.path, e.message);
            }
            let cleaned = values::clean(&parsed, candidate);
            let again = values::from_pairs(&parsed, &values::to_pairs(&parsed, &cleaned));
            let _ = validate(&parsed, &again, matches);
            let _ = values::echo_pairs(&parsed, &pairs);
            let _ = Rules::of(&parsed, candidate);
        }
    }

    /// Generated valid values pass, and survive a form post's round trip.
    #[test]
    fn generated_valid_values_pass(types in prop::collection::vec(prop::sample::select(FieldType::ALL.to_vec()), 1..12)) {
        let fields: Vec<Value> = types.iter().enumerate().map(|(i, t)| {
            let mut f = json!({"name": format!("f{i}"), "type": t.as_str(), "label": format!("F{i}"), "required": true});
            match t {
                FieldType::Select | FieldType::Multiselect | FieldType::Radio => f["options"] = json!(["a", "b"]),
                FieldType::Array => f["itemType"] = json!("phone"),
                FieldType::Group => f["fields"] = json!([{"name": "inner", "type": "integer", "label": "Inner", "required": true, "validation": {"min": 3}}]),
                FieldType::Section => f["required"] = json!(false),
                _ => {}
            }
            f
        }).collect();
        // At least one field that holds a value.
        let mut fields = fields;
        fields.push(json!({"name": "last", "type": "text", "label": "Last"}));
        let schema = parse(json!({"fields": fields})).unwrap();
        let v: serde_json::Map<String, Value> = schema.fields.iter().filter_map(|f| Some((f.name.clone(), valid_value(f)?))).collect();
        let v = Value::Object(v);
        prop_assert_eq!(validate(&schema, &v, matches), vec![]);
        let round = values::from_pairs(&schema, &values::to_pairs(&schema, &v));
        prop_assert_eq!(validate(&schema, &round, matches), vec![]);
    }
}

#[test]
fn a_required_box_must_be_checked_and_conditions_read_numbers_as_typed() {
    let schema = parse(json!({"fields": [
        { "name": "terms", "type": "checkbox", "label": "I accept", "required": true },
        { "name": "qty", "type": "integer", "label": "Qty" },
        { "name": "bulk", "type": "text", "label": "Bulk note", "required": true,
          "showIf": { "field": "qty", "equals": "5" } },
        { "name": "code", "type": "hidden", "label": "Code", "default": "A1" }
    ]}))
    .unwrap();
    let errors = validate(&schema, &json!({"terms": false}), matches);
    assert_eq!(paths(&errors), ["terms"]);
    let errors = validate(&schema, &json!({"terms": true, "qty": 5}), matches);
    assert_eq!(paths(&errors), ["bulk"], "5 equals the builder's \"5\"");
    // A hidden field is the form's: what was posted is replaced by its default.
    let mut v = json!({"terms": true, "code": "forged"});
    values::fix_hidden(&schema, &mut v, None);
    assert_eq!(v["code"], "A1");
    values::fix_hidden(&schema, &mut v, Some(&json!({"code": 42})));
    assert_eq!(v["code"], "42", "a hidden input holds text");
    assert_eq!(validate(&schema, &v, matches), vec![]);
    // `false` is a value everywhere but in a box's `required` and `notEmpty`.
    let flags = parse(json!({"fields": [
        { "name": "agree", "type": "switch", "label": "Agree" },
        { "name": "why", "type": "text", "label": "Why not", "required": true,
          "showIf": { "field": "agree", "equals": false } }
    ]}))
    .unwrap();
    assert_eq!(
        paths(&validate(&flags, &json!({"agree": false}), matches)),
        ["why"]
    );
    assert_eq!(validate(&flags, &json!({"agree": true}), matches), vec![]);
    let text_setting =
        parse(json!({"fields": [{ "name": "t", "type": "text", "label": "T" }]})).unwrap();
    assert_eq!(
        paths(&validate(&text_setting, &json!({"t": false}), matches)),
        ["t"]
    );
}

#[test]
fn a_schema_must_fit_the_size_limit_as_stored_not_only_as_posted() {
    // 500 options written as strings: about 62 KB posted, about 133 KB expanded to
    // `{"value", "label"}` objects as stored.
    let options = |n: usize| -> Vec<String> {
        (0..n)
            .map(|i| format!("{i:03}{}", "x".repeat(117)))
            .collect()
    };
    let schema = |n: usize| json!({"fields": [{"name": "pick", "type": "select", "label": "Pick", "options": options(n)}]});
    assert!(schema(500).to_string().len() < crate::domain::form::schema::MAX_SCHEMA_BYTES);
    let e = parse(schema(500)).unwrap_err();
    assert_eq!(e.field(), Some("formSchema"));
    assert!(parse(schema(400)).is_ok());
}
