//! The OpenAPI description at `/api/v1/openapi.json` and the documentation page at
//! `/api/docs`: the description is valid and complete, and it describes the routes the server
//! actually answers (every method at every path, and no other).

mod common;

use std::collections::BTreeSet;

use common::TestApp;
use serde_json::Value;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

async fn description(app: &TestApp) -> Value {
    let res = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        res.header("content-type").as_deref(),
        Some("application/json")
    );
    res.json()
}

/// `/tasks/{id}` with an id that exists nowhere.
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                "0b6c2a47-5f3e-4c61-9a55-0d2b1f1d5e77"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test(flavor = "multi_thread")]
async fn every_operation_is_described_with_its_answers() {
    let app = TestApp::new().await;
    let doc = description(&app).await;
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["title"], "Inti API");
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let text = doc.to_string();
    let mut ids = BTreeSet::new();
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        assert!(path.starts_with("/api/v1/"), "{path}");
        assert!(
            !path.contains("{*"),
            "{path}: a catch-all is a plain parameter"
        );
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            operations += 1;
            let name = format!("{} {path}", method.to_uppercase());
            let id = op["operationId"].as_str().unwrap_or_default();
            assert!(!id.is_empty(), "{name} has no operationId");
            assert!(
                ids.insert(id.to_string()),
                "{name}: operationId {id} is used twice"
            );
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{name} has no tag"
            );
            assert!(
                op["summary"].is_string() || op["description"].is_string(),
                "{name} says nothing"
            );
            let responses = op["responses"].as_object().expect("responses");
            assert!(
                responses
                    .keys()
                    .any(|s| s.starts_with('2') || s == "default"),
                "{name} has no successful answer"
            );
            for status in ["500", "503"] {
                assert!(responses.contains_key(status), "{name} lacks {status}");
            }
            let public = op["security"] == serde_json::json!([{}]);
            if !public {
                assert_eq!(
                    op["security"],
                    serde_json::json!([{ "bearer": [] }]),
                    "{name}"
                );
                assert!(
                    responses.contains_key("401") && responses.contains_key("403"),
                    "{name}"
                );
            }
            // Every `{name}` in the path is a described path parameter.
            let params: BTreeSet<&str> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path")
                .filter_map(|p| p["name"].as_str())
                .collect();
            let in_path: BTreeSet<&str> = path
                .split('/')
                .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
                .collect();
            assert_eq!(params, in_path, "{name}: path parameters");
            if !in_path.is_empty() {
                assert!(responses.contains_key("404"), "{name} lacks 404");
            }
            if op.get("requestBody").is_some() {
                assert!(responses.contains_key("422"), "{name} lacks 422");
            }
        }
    }
    assert!(operations >= 70, "only {operations} operations");
    // Every reference points at something that exists.
    for reference in text.split("\"$ref\":\"").skip(1) {
        let target = reference.split('"').next().unwrap();
        let pointer = target.trim_start_matches('#');
        assert!(doc.pointer(pointer).is_some(), "{target} does not exist");
    }
    // The error answers carry the envelope, with the codes of their status.
    let invalid = &doc["components"]["responses"]["Invalid"]["content"]["application/json"];
    assert_eq!(
        invalid["schema"]["properties"]["error"]["properties"]["code"]["enum"],
        serde_json::json!(["VALIDATION_ERROR"])
    );
    // Commands refuse unknown keys, and say so.
    assert_eq!(
        doc["components"]["schemas"]["CreateTask"]["additionalProperties"],
        false
    );
}

/// The server answers exactly the described methods at each described path: an undescribed
/// method there is 405; a described one is routed, and without a token an operation that
/// needs one answers 401 before anything else (never the 404 of an unknown route), while a
/// public one does not ask for a token.
#[tokio::test(flavor = "multi_thread")]
async fn the_server_answers_what_is_described_and_nothing_else() {
    let app = TestApp::new().await;
    let doc = description(&app).await;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let uri = concrete(path);
        for method in METHODS {
            let res = app
                .request(
                    axum::http::Request::builder()
                        .method(method.to_uppercase().as_str())
                        .uri(&uri)
                        // Same-origin, as the browser's own pages send (the gateway also
                        // takes the browser session, and refuses a cross-site write first).
                        .header("host", "localhost")
                        .header("origin", "http://localhost")
                        .header("content-type", "application/json")
                        .body(axum::body::Body::from("{}"))
                        .unwrap(),
                )
                .await;
            let name = format!("{} {uri}", method.to_uppercase());
            if let Some(op) = item.get(method) {
                assert_ne!(res.status, 405, "{name} is described but not routed");
                assert_ne!(res.status, 500, "{name}: {}", res.text());
                let public = op["security"] == serde_json::json!([{}]);
                let code = serde_json::from_slice::<Value>(&res.body)
                    .ok()
                    .and_then(|b| b["error"]["code"].as_str().map(str::to_string));
                // A webhook's credential is its signature, not a token.
                let signed = op["parameters"]
                    .as_array()
                    .is_some_and(|ps| ps.iter().any(|p| p["name"] == "X-Webhook-Signature"));
                if public && !signed {
                    assert_ne!(code.as_deref(), Some("UNAUTHENTICATED"), "{name} is public");
                } else if public {
                    assert_eq!(res.status, 401, "{name} is unsigned: {}", res.text());
                } else {
                    assert_eq!(res.status, 401, "{name} needs a token: {}", res.text());
                    assert_eq!(code.as_deref(), Some("UNAUTHENTICATED"), "{name}");
                }
            } else {
                assert_eq!(res.status, 405, "{name} is routed but not described");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_documentation_page_is_served_from_inti_under_its_policy() {
    let app = TestApp::new().await;
    let res = app.get("/api/docs/", None).await;
    assert_eq!(res.status, 200);
    let html = res.text();
    assert!(html.contains("swagger-ui"), "{html}");
    let csp = res.header("content-security-policy").expect("a policy");
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("http"), "no other origin: {csp}");
    assert_eq!(res.header("x-frame-options").as_deref(), Some("DENY"));
    // Its files come from the binary, and it reads this server's description.
    let script = app.get("/api/docs/swagger-ui-bundle.js", None).await;
    assert_eq!(script.status, 200);
    assert!(script.body.len() > 100_000);
    let init = app.get("/api/docs/swagger-initializer.js", None).await;
    assert_eq!(init.status, 200);
    assert!(
        init.text().contains("/api/v1/openapi.json"),
        "{}",
        init.text()
    );
    assert!(!init.text().contains("validator.swagger.io"));
    // A token typed into "Authorize" is not written to the browser's storage.
    assert!(
        init.text().contains("\"persistAuthorization\": false"),
        "{}",
        init.text()
    );
}
