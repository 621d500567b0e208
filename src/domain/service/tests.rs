use serde_json::{json, Value};

use super::*;
use crate::domain::{
    command::decode,
    error::AppError,
    form::{self, FieldType},
    service::{
        command::{RegisterService, SaveEndpoint, UpdateService},
        endpoint::EndpointSpec,
        reader::JsonPath,
    },
};

/// A registration body, checked as the registry checks it.
fn register(body: &Value) -> Result<ServiceSpec, AppError> {
    Ok(decode::<RegisterService>(body.clone())?
        .check(strict_pattern)?
        .spec)
}

/// An update body applied to `base`.
fn update(body: Value, base: &ServiceSpec) -> Result<ServiceSpec, AppError> {
    decode::<UpdateService>(body)?.spec(Some(base), strict_pattern)
}

/// An endpoint body, read at `at`.
fn endpoint(body: Value, at: JsonPath) -> Result<EndpointSpec, AppError> {
    decode::<SaveEndpoint>(body)?.spec(&at, None, strict_pattern)
}

/// The server's check, as a test stand-in: a few things no regex engine accepts.
fn strict_pattern(p: &str) -> Result<(), String> {
    let opens = p.matches('(').count() - p.matches("\\(").count();
    let closes = p.matches(')').count() - p.matches("\\)").count();
    if opens != closes || p.contains("[z-a]") || p.ends_with('\\') {
        Err("unbalanced".into())
    } else {
        Ok(())
    }
}

/// The seed document's registration body, exactly as written there.
fn seed_whatsapp() -> Value {
    json!({
      "name": "whatsapp-gateway",
      "displayName": "WhatsApp Gateway",
      "description": "WhatsApp blast message service",
      "type": "EXTERNAL",
      "baseUrl": "https://api.whatsapp-gateway.com",
      "authType": "API_KEY",
      "formSchema": {
        "fields": [
          {
            "name": "message",
            "type": "textarea",
            "label": "Message",
            "required": true,
            "validation": { "maxLength": 1000 }
          },
          {
            "name": "recipients",
            "type": "array",
            "label": "Phone Numbers",
            "required": true,
            "itemType": "string",
            "validation": { "pattern": "^\\+?[0-9]{10,15}$" }
          }
        ]
      },
      "menuSchema": {
        "items": [
          { "name": "Blast Message", "path": "/whatsapp/blast", "icon": "send", "permission": "whatsapp:blast" },
          { "name": "Message History", "path": "/whatsapp/history", "icon": "history", "permission": "whatsapp:read" }
        ]
      }
    })
}

#[test]
fn the_seed_whatsapp_example_parses_as_written() {
    let spec = register(&seed_whatsapp()).unwrap();
    assert_eq!(spec.name, "whatsapp-gateway");
    assert_eq!(spec.service_type, ServiceType::External);
    assert_eq!(spec.auth_type, AuthType::ApiKey);
    assert_eq!(spec.visibility, Visibility::Private, "the default");
    assert_eq!(spec.status, ServiceStatus::Active, "the default");
    let form = spec.form_schema.unwrap();
    assert_eq!(form.fields.len(), 2);
    assert_eq!(form.fields[0].field_type, FieldType::Textarea);
    assert_eq!(form.fields[0].validation.max_length, Some(1000));
    assert_eq!(form.fields[1].item_type, Some(form::ItemType::String));
    assert_eq!(
        form.fields[1].validation.pattern.as_deref(),
        Some("^\\+?[0-9]{10,15}$")
    );
    let menu = spec.menu_schema.unwrap();
    assert_eq!(menu.items[1].id, "whatsapp-history");
    assert_eq!(
        menu.items[0].permission.as_ref().unwrap().to_string(),
        "whatsapp:blast"
    );
    // Stored and read back unchanged.
    let stored = serde_json::to_value(&form).unwrap();
    assert_eq!(stored, seed_whatsapp()["formSchema"]);
}

/// One malformed registration per row: the body change and the JSON path of the error.
#[test]
fn malformed_schemas_are_refused_at_their_json_path() {
    type Change = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Change, &str)> = vec![
        (
            "bad pattern",
            Box::new(|v| v["formSchema"]["fields"][1]["validation"]["pattern"] = json!("([0-9]")),
            "formSchema.fields[1].validation.pattern",
        ),
        (
            "unknown type",
            Box::new(|v| v["formSchema"]["fields"][0]["type"] = json!("colour")),
            "formSchema.fields[0].type",
        ),
        (
            "typo key",
            Box::new(|v| v["formSchema"]["fields"][0]["requried"] = json!(true)),
            "formSchema.fields[0].requried",
        ),
        (
            "duplicate name",
            Box::new(|v| v["formSchema"]["fields"][1]["name"] = json!("message")),
            "formSchema.fields[1].name",
        ),
        (
            "array without item type",
            Box::new(|v| {
                v["formSchema"]["fields"][1]
                    .as_object_mut()
                    .unwrap()
                    .remove("itemType");
            }),
            "formSchema.fields[1].itemType",
        ),
        (
            "min above max",
            Box::new(|v| v["formSchema"]["fields"][0]["validation"]["minLength"] = json!(2000)),
            "formSchema.fields[0].validation.minLength",
        ),
        (
            "negative length",
            Box::new(|v| v["formSchema"]["fields"][0]["validation"]["maxLength"] = json!(-1)),
            "formSchema.fields[0].validation.maxLength",
        ),
        (
            "fields not an array",
            Box::new(|v| v["formSchema"]["fields"] = json!({"a": 1})),
            "formSchema.fields",
        ),
        (
            "select without options",
            Box::new(|v| v["formSchema"]["fields"][0]["type"] = json!("select")),
            "formSchema.fields[0].options",
        ),
        (
            "bad field name",
            Box::new(|v| v["formSchema"]["fields"][0]["name"] = json!("1st")),
            "formSchema.fields[0].name",
        ),
        (
            "menu permission",
            Box::new(|v| v["menuSchema"]["items"][1]["permission"] = json!("Whatsapp Read")),
            "menuSchema.items[1].permission",
        ),
        (
            "menu path",
            Box::new(|v| v["menuSchema"]["items"][0]["path"] = json!("https://evil.example")),
            "menuSchema.items[0].path",
        ),
        (
            "menu item without name",
            Box::new(|v| {
                v["menuSchema"]["items"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("name");
            }),
            "menuSchema.items[0].name",
        ),
        (
            "menu too deep",
            Box::new(
                |v| v["menuSchema"]["items"][0]["children"] = json!([{"name": "a", "path": "/a", "children": [{"name": "b", "path": "/b", "children": [{"name": "c", "path": "/c"}]}]}]),
            ),
            "menuSchema.items[0].children[0].children[0].children",
        ),
        (
            "group too deep",
            Box::new(
                |v| v["formSchema"]["fields"][0] = json!({"name": "g1", "type": "group", "label": "G", "fields": [{"name": "g2", "type": "group", "label": "G", "fields": [{"name": "g3", "type": "group", "label": "G", "fields": [{"name": "x", "type": "text", "label": "X"}]}]}]}),
            ),
            "formSchema.fields[0].fields[0].fields[0].fields",
        ),
        (
            "external without url",
            Box::new(|v| {
                v.as_object_mut().unwrap().remove("baseUrl");
            }),
            "baseUrl",
        ),
        (
            "bad visibility",
            Box::new(|v| v["visibility"] = json!("SECRET")),
            "visibility",
        ),
        (
            "bad name",
            Box::new(|v| v["name"] = json!("WhatsApp Gateway")),
            "name",
        ),
    ];
    for (what, change, path) in cases {
        let mut body = seed_whatsapp();
        change(&mut body);
        let err = register(&body).expect_err(what);
        assert_eq!(err.field(), Some(path), "{what}: {err:?}");
    }
}

#[test]
fn a_hostile_schema_is_bounded() {
    let fields: Vec<Value> = (0..=form::MAX_FIELDS)
        .map(|i| json!({"name": format!("f{i}"), "type": "text", "label": "x"}))
        .collect();
    let mut body = seed_whatsapp();
    body["formSchema"]["fields"] = json!(fields);
    let err = register(&body).unwrap_err();
    assert_eq!(err.field(), Some("formSchema.fields"));
    let mut body = seed_whatsapp();
    body["formSchema"]["fields"][0]["validation"]["pattern"] = json!("a".repeat(501));
    let err = register(&body).unwrap_err();
    assert_eq!(err.field(), Some("formSchema.fields[0].validation.pattern"));
}

#[test]
fn an_update_keeps_what_it_leaves_out_and_clears_what_it_nulls() {
    let spec = register(&seed_whatsapp()).unwrap();
    let updated = update(
        json!({"displayName": "WA", "menuSchema": null, "category": "messaging"}),
        &spec,
    )
    .unwrap();
    assert_eq!(updated.display_name, "WA");
    assert_eq!(updated.menu_schema, None);
    assert_eq!(updated.form_schema, spec.form_schema);
    assert_eq!(updated.category.as_deref(), Some("messaging"));
    let err = update(json!({"name": "other"}), &spec).unwrap_err();
    assert_eq!(err.field(), Some("name"));
}

#[test]
fn an_endpoint_update_that_empties_a_required_text_names_it() {
    let base = endpoint(
        json!({"name": "blast", "method": "POST", "path": "/messages/blast"}),
        JsonPath::root(""),
    )
    .unwrap();
    for (body, field) in [
        (json!({"path": "  "}), "path"),
        (json!({"name": ""}), "name"),
    ] {
        let err = decode::<SaveEndpoint>(body)
            .unwrap()
            .spec(&JsonPath::root(""), Some(&base), strict_pattern)
            .unwrap_err();
        assert_eq!(err.field(), Some(field));
    }
    // Absent, they keep their value.
    let kept = decode::<SaveEndpoint>(json!({"rateLimit": 5}))
        .unwrap()
        .spec(&JsonPath::root(""), Some(&base), strict_pattern)
        .unwrap();
    assert_eq!(
        (kept.path.as_str(), kept.rate_limit),
        ("/messages/blast", 5)
    );
}

#[test]
fn endpoints_parse_permissions_and_limits() {
    let e = endpoint(
        json!({"name": "blast", "method": "post", "path": "/messages/blast",
                "requiredPermissions": ["whatsapp:blast"], "rateLimit": 60}),
        JsonPath::root("endpoints").index(0),
    )
    .unwrap();
    assert_eq!(e.method, endpoint::HttpMethod::Post);
    assert_eq!(e.rate_limit, 60);
    assert_eq!(e.timeout_ms, endpoint::DEFAULT_TIMEOUT_MS);
    assert!(e.requires_auth);
    // Public endpoints are not supported: said where it stands, not stored and ignored.
    let err = endpoint(
        json!({"name": "open", "method": "GET", "path": "/open", "requiresAuth": false}),
        JsonPath::root("endpoints").index(2),
    )
    .unwrap_err();
    assert_eq!(err.field(), Some("endpoints[2].requiresAuth"));
    let err = endpoint(
        json!({"name": "blast", "method": "POST", "path": "/m", "requiredPermissions": ["ok:read", "Bad"]}),
        JsonPath::root("endpoints").index(2),
        )
    .unwrap_err();
    assert_eq!(err.field(), Some("endpoints[2].requiredPermissions[1]"));
    let err = endpoint(
        json!({"name": "blast", "method": "POST", "path": "/m", "timeoutMs": 999999}),
        JsonPath::root(""),
    )
    .unwrap_err();
    assert_eq!(err.field(), Some("timeoutMs"));
}

/// PUBLIC / PRIVATE / RESTRICTED x assignment ACTIVE / SUSPENDED / none x service ACTIVE /
/// MAINTENANCE / INACTIVE x with and without `service:access:<name>`.
#[test]
fn visibility_table() {
    use AssignmentStatus as A;
    use ServiceStatus as S;
    use Visibility as V;
    let holder = PermissionSet::from_strings(["service:access:crm"]);
    let wildcard = PermissionSet::from_strings(["service:*"]);
    let plain = PermissionSet::from_strings(["task:*"]);
    for visibility in [V::Public, V::Private, V::Restricted] {
        for assignment in [Some(A::Active), Some(A::Suspended), None] {
            for status in [S::Active, S::Maintenance, S::Inactive] {
                let usage = Usage {
                    name: "crm",
                    status,
                    visibility,
                    assignment,
                    business_tenant: true,
                };
                let tenant_expected = status != S::Inactive
                    && match visibility {
                        V::Public => assignment != Some(A::Suspended),
                        _ => assignment == Some(A::Active),
                    };
                assert_eq!(
                    usage.tenant_may_use(),
                    tenant_expected,
                    "{visibility} {assignment:?} {status}"
                );
                let restricted = visibility == V::Restricted;
                assert_eq!(usage.user_may_use(&holder), tenant_expected);
                assert_eq!(usage.user_may_use(&wildcard), tenant_expected);
                assert_eq!(usage.user_may_use(&plain), tenant_expected && !restricted);
            }
        }
    }
    let usage = |visibility, assignment, business_tenant| Usage {
        name: "crm",
        status: S::Active,
        visibility,
        assignment,
        business_tenant,
    };
    assert!(
        !usage(V::Public, None, false).tenant_may_use(),
        "PUBLIC is for business tenants"
    );
    assert!(
        !usage(V::Public, Some(A::Inactive), true).tenant_may_use(),
        "an inactive assignment opts out too"
    );
    assert!(!usage(V::Private, Some(A::Inactive), true).tenant_may_use());
    assert!(
        usage(V::Private, Some(A::Active), false).tenant_may_use(),
        "an explicit assignment works anywhere"
    );
}
