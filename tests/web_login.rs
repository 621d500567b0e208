//! The browser login as a browser without JavaScript drives it: form posts and cookies.
#![cfg(feature = "ssr")]

mod common;

use axum::{body::Body, http::Request};
use common::{TestApp, DEMO_PASSWORD};

fn form_login(email: &str, password: &str, cookie: Option<&str>) -> Request<Body> {
    let body = format!("email={}&password={}", email.replace('@', "%40"), password);
    let mut req = Request::post("/api/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("host", "localhost")
        .header("origin", "http://localhost")
        .header("referer", "http://localhost/login");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    req.body(Body::from(body)).unwrap()
}

fn page(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut req = Request::get(path).header("accept", "text/html");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    req.body(Body::empty()).unwrap()
}

fn session_cookie(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn signed_out_visitors_are_sent_to_the_login_page() {
    let app = TestApp::new().await;
    let res = app.request(page("/", None)).await;
    assert_eq!(res.status, 302, "{}", res.text());
    assert_eq!(res.header("location").as_deref(), Some("/login"));

    let res = app.request(page("/login", None)).await;
    assert_eq!(res.status, 200);
    let html = res.text();
    assert!(html.contains("Sign in to Inti"));
    assert!(
        html.contains(r#"action="/api/login""#),
        "the form posts without JavaScript"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn form_login_sets_a_fresh_http_only_cookie_and_shows_the_dashboard() {
    let app = TestApp::new().await;
    // A session that exists before login must not survive it (fixation): sign in once to
    // hold a session id, then sign in again on top of it.
    let res = app
        .request(form_login("user@taskmanager.com", DEMO_PASSWORD, None))
        .await;
    let before = session_cookie(&res.header("set-cookie").expect("a first session cookie"));

    let res = app
        .request(form_login(
            "admin@taskmanager.com",
            DEMO_PASSWORD,
            Some(&before),
        ))
        .await;
    assert_eq!(res.status, 302, "{}", res.text());
    assert_eq!(res.header("location").as_deref(), Some("/"));
    let set_cookie = res.header("set-cookie").expect("a session cookie");
    assert!(set_cookie.starts_with("inti_session="), "{set_cookie}");
    assert!(set_cookie.contains("HttpOnly"));
    assert!(set_cookie.contains("SameSite=Lax"));
    let cookie = session_cookie(&set_cookie);
    assert_ne!(before, cookie, "login issues a new session id");
    let res = app.request(page("/account", Some(&before))).await;
    assert_eq!(res.status, 302, "the old id no longer opens anything");

    let res = app.request(page("/", Some(&cookie))).await;
    assert_eq!(res.status, 200);
    let html = res.text();
    assert!(
        html.contains("Task Manager Admin"),
        "user name in the header"
    );
    assert!(html.contains(r#"data-testid="current-tenant""#));
    assert!(html.contains("Task Manager"));

    // Logging out ends the session: the old cookie no longer opens the dashboard.
    let logout = Request::post("/api/logout")
        .header("accept", "text/html")
        .header("host", "localhost")
        .header("referer", "http://localhost/")
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::empty())
        .unwrap();
    let res = app.request(logout).await;
    assert_eq!(res.status, 302, "{}", res.text());
    assert_eq!(res.header("location").as_deref(), Some("/login"));
    let res = app.request(page("/", Some(&cookie))).await;
    assert_eq!(res.status, 302);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_form_login_returns_to_the_page_with_the_generic_error() {
    let app = TestApp::new().await;
    let res = app
        .request(form_login("admin@taskmanager.com", "wrong-password", None))
        .await;
    assert_eq!(res.status, 302);
    let location = res.header("location").unwrap();
    assert!(
        location.starts_with("http://localhost/login?"),
        "{location}"
    );

    let path = location.trim_start_matches("http://localhost");
    let res = app.request(page(path, None)).await;
    assert_eq!(res.status, 200);
    assert!(res.text().contains("Invalid email or password"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hydrated_login_call_gets_the_api_status_and_error() {
    let app = TestApp::new().await;
    let req = Request::post("/api/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("host", "localhost")
        .header("origin", "http://localhost")
        .body(Body::from(
            "email=admin%40taskmanager.com&password=nope-nope",
        ))
        .unwrap();
    let res = app.request(req).await;
    assert_eq!(res.status, 401, "{}", res.text());
    assert!(res.text().contains("InvalidCredentials"), "{}", res.text());
}
