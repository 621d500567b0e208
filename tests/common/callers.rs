//! The callers of the status matrices: the super admin, tenant A's (taskmanager) admin and
//! user, tenant B's (whatsapp) admin, and nobody; with the status each gets for a request.

use std::collections::HashMap;

use axum::{body::Body, http::Request};
use serde_json::Value;

use super::TestApp;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Caller {
    SuperAdmin,
    AdminA,
    UserA,
    AdminB,
    Anonymous,
}

pub const CALLERS: [Caller; 5] = [
    Caller::SuperAdmin,
    Caller::AdminA,
    Caller::UserA,
    Caller::AdminB,
    Caller::Anonymous,
];

/// Each demo caller's access token.
pub struct Callers(HashMap<Caller, String>);

impl Callers {
    pub async fn sign_in(app: &TestApp) -> Self {
        let mut tokens = HashMap::new();
        for (caller, email) in [
            (Caller::SuperAdmin, "superadmin@core.com"),
            (Caller::AdminA, "admin@taskmanager.com"),
            (Caller::UserA, "user@taskmanager.com"),
            (Caller::AdminB, "admin@whatsapp.com"),
        ] {
            tokens.insert(caller, app.token(email).await);
        }
        Self(tokens)
    }

    /// Anonymous has none; every other caller must have signed in.
    pub fn token(&self, caller: Caller) -> Option<&str> {
        match caller {
            Caller::Anonymous => None,
            Caller::SuperAdmin | Caller::AdminA | Caller::UserA | Caller::AdminB => Some(
                self.0
                    .get(&caller)
                    .map(String::as_str)
                    .expect("every caller but Anonymous signs in"),
            ),
        }
    }

    /// The status `caller` gets for a JSON request (their bearer token, if they have one).
    pub async fn status(
        &self,
        app: &TestApp,
        caller: Caller,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> u16 {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header("content-type", "application/json");
        if let Some(t) = self.token(caller) {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let body = Body::from(body.map(Value::to_string).unwrap_or_default());
        app.request(req.body(body).unwrap()).await.status
    }
}
