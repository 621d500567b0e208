//! Every audited action, walked once: each leaves an entry with its actor, tenant, target
//! and outcome. `AuditAction::ALL` is generated with the enum, so a new action that this walk
//! does not perform fails here.
#![cfg(feature = "ssr")]

mod common;

use std::time::Duration;

use common::{TestApp, DEMO_PASSWORD};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use inti::{
    domain::audit::AuditAction,
    server::{
        auth::totp,
        db::schema::{audit_log, tenants, users},
        secret::Secret,
        services::{
            builtin_services::DEMO_WHATSAPP_WEBHOOK_SECRET, users as user_service, webhooks,
        },
    },
};
use serde_json::json;
use uuid::Uuid;

#[derive(Queryable, Debug)]
struct Entry {
    action: String,
    outcome: String,
    tenant_id: Option<Uuid>,
    actor_user_id: Option<Uuid>,
    target_type: Option<String>,
    target_id: Option<String>,
}

#[tokio::test(flavor = "multi_thread")]
async fn every_audited_action_is_recorded_with_who_where_what_and_outcome() {
    let app = TestApp::with_settings(|s| {
        s.auth.lockout.account_failures = 1;
        s.auth.lockout.first_wait = Duration::from_secs(1);
        s.auth.refresh_reuse_grace = Duration::from_millis(50);
    })
    .await;
    let mut conn = app.db.conn().await;
    let id_of = async |conn: &mut diesel_async::AsyncPgConnection, email: &str| -> Uuid {
        users::table
            .filter(users::email.eq(email))
            .select(users::id)
            .first(conn)
            .await
            .unwrap()
    };
    let tm: Uuid = tenants::table
        .filter(tenants::domain.eq("taskmanager"))
        .select(tenants::id)
        .first(&mut conn)
        .await
        .unwrap();
    let tm_admin_id = id_of(&mut conn, "admin@taskmanager.com").await;

    // auth.login, auth.logout, auth.switch_tenant, auth.refresh_token_reuse
    let root = app.login("superadmin@core.com").await;
    let root_token = root["tokens"]["accessToken"].as_str().unwrap().to_string();
    let res = app
        .send(
            "POST",
            "/api/v1/auth/switch-tenant",
            Some(json!({"tenantId": tm})),
            &root_token,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let user = app.login("user@taskmanager.com").await;
    let refresh = user["tokens"]["refreshToken"].clone();
    let first = app
        .post_json(
            "/api/v1/auth/refresh",
            json!({"refreshToken": refresh}),
            None,
        )
        .await;
    assert_eq!(first.status, 200);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let reuse = app
        .post_json(
            "/api/v1/auth/refresh",
            json!({"refreshToken": refresh}),
            None,
        )
        .await;
    assert_eq!(reuse.status, 401);
    let logout_token = app.token("user@taskmanager.com").await;
    assert_eq!(
        app.send("POST", "/api/v1/auth/logout", None, &logout_token)
            .await
            .status,
        200
    );

    // auth.lockout and auth.lockout_end
    let bad = json!({"email": "admin@whatsapp.com", "password": "wrong-password"});
    for _ in 0..2 {
        app.post_json("/api/v1/auth/login", bad.clone(), None).await;
    }
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let res = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": "admin@whatsapp.com", "password": DEMO_PASSWORD}),
            None,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());

    // account.session_revoke, account.rename, account.password_change
    let admin = app.token("admin@taskmanager.com").await;
    let res = app
        .send(
            "POST",
            "/api/v1/account/sessions/revoke-others",
            None,
            &admin,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        app.send(
            "PATCH",
            "/api/v1/account",
            Some(json!({"name": "TM Admin"})),
            &admin
        )
        .await
        .status,
        200
    );
    let res = app
        .send(
            "POST",
            "/api/v1/account/password",
            Some(json!({"currentPassword": DEMO_PASSWORD, "newPassword": "a-whole-new-password"})),
            &admin,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());

    // role.create, role.update, role.delete
    let res = app
        .send(
            "POST",
            "/api/v1/roles",
            Some(json!({"name": "AUDITED", "description": "", "permissions": ["user:read"]})),
            &admin,
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let role = res.json()["data"]["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/roles/{role}");
    assert_eq!(
        app.send("PATCH", &path, Some(json!({"description": "x"})), &admin)
            .await
            .status,
        200
    );
    assert_eq!(app.send("DELETE", &path, None, &admin).await.status, 200);

    // user.invite, invitation.accept / decline / revoke, user.update, user.remove
    let invite = |email: &str| json!({"email": email, "name": "N", "role": "USER"});
    let res = app
        .post_json("/api/v1/users", invite("admin@whatsapp.com"), Some(&admin))
        .await;
    assert_eq!(res.status, 202, "{}", res.text());
    let accepted = res.json()["data"]["id"].as_str().unwrap().to_string();
    let wa = app.token("admin@whatsapp.com").await;
    let res = app
        .send(
            "POST",
            &format!("/api/v1/account/invitations/{accepted}/accept"),
            None,
            &wa,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let res = app
        .post_json("/api/v1/users", invite("superadmin@core.com"), Some(&admin))
        .await;
    let declined = res.json()["data"]["id"].as_str().unwrap().to_string();
    // The switch above ended the first super admin session.
    let root_token = app.token("superadmin@core.com").await;
    let res = app
        .send(
            "POST",
            &format!("/api/v1/account/invitations/{declined}/decline"),
            None,
            &root_token,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let res = app
        .post_json("/api/v1/users", invite("someone@example.com"), Some(&admin))
        .await;
    let revoked = res.json()["data"]["id"].as_str().unwrap().to_string();
    let res = app
        .send(
            "DELETE",
            &format!("/api/v1/users/invitations/{revoked}"),
            None,
            &admin,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let wa_id = id_of(&mut conn, "admin@whatsapp.com").await;
    let member = format!("/api/v1/users/{wa_id}");
    assert_eq!(
        app.send(
            "PATCH",
            &member,
            Some(json!({"accessStatus": "SUSPENDED"})),
            &admin
        )
        .await
        .status,
        200
    );
    assert_eq!(app.send("DELETE", &member, None, &admin).await.status, 200);

    // tenant.create, tenant.update
    let root = app.token("superadmin@core.com").await;
    let res = app
        .send(
            "POST",
            "/api/v1/core/tenants",
            Some(json!({"name": "Audited", "domain": "audited-co"})),
            &root,
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let tenant = res.json()["data"]["id"].as_str().unwrap().to_string();
    let res = app
        .send(
            "PATCH",
            &format!("/api/v1/core/tenants/{tenant}"),
            Some(json!({"name": "Audited Co"})),
            &root,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());

    // service.* (the registry), and the key rotation (the CLI's path)
    let res = app
        .post_json(
            "/api/v1/core/services/register",
            json!({"name": "audited-svc", "displayName": "Audited", "type": "EXTERNAL",
                   "baseUrl": "https://audited.example.com", "authType": "API_KEY"}),
            Some(&root),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let svc = format!(
        "/api/v1/core/services/{}",
        res.json()["data"]["id"].as_str().unwrap()
    );
    let res = app
        .send(
            "PATCH",
            &svc,
            Some(json!({"category": "audited", "apiKey": "an-api-key-of-some-length"})),
            &root,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let res = app
        .send(
            "POST",
            &format!("{svc}/endpoints"),
            Some(json!({"name": "e", "method": "GET", "path": "/e"})),
            &root,
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let endpoint = format!(
        "{svc}/endpoints/{}",
        res.json()["data"]["id"].as_str().unwrap()
    );
    assert_eq!(
        app.send("PATCH", &endpoint, Some(json!({"timeoutMs": 2000})), &root)
            .await
            .status,
        200
    );
    assert_eq!(app.send("DELETE", &endpoint, None, &root).await.status, 200);
    let assignment = format!("{svc}/tenants/{tenant}");
    assert_eq!(
        app.send("PUT", &assignment, Some(json!({})), &root)
            .await
            .status,
        200
    );
    assert_eq!(
        app.send("DELETE", &assignment, None, &root).await.status,
        200
    );
    let rotating = app
        .node_with(|s| {
            s.secrets.keys.push(("next".into(), [9u8; 32]));
            s.secrets.active_key = "next".into();
        })
        .await;
    let rotated = inti::server::services::registry::rotate_secrets(&rotating.state)
        .await
        .unwrap();
    assert!(rotated >= 1);
    assert_eq!(app.send("DELETE", &svc, None, &root).await.status, 200);

    // menu.layout_save, menu.layout_revert (a tenant's layout: audited in the tenant)
    let saved = app
        .send(
            "PUT",
            "/api/v1/menus/layout",
            Some(json!({"baseVersion": 0, "operations": [{"op": "hide", "id": "core.audit"}]})),
            &admin,
        )
        .await;
    assert_eq!(saved.status, 200, "{}", saved.text());
    let reverted = app
        .post_json(
            "/api/v1/menus/layout/revert",
            json!({"version": 1, "baseVersion": 1}),
            Some(&admin),
        )
        .await;
    assert_eq!(reverted.status, 200, "{}", reverted.text());

    // form.save, form.restore (platform work), form.submit (in the submitter's tenant)
    let builder = app.browser_login("superadmin@core.com").await;
    let schema =
        json!({"fields": [{"name": "title", "type": "text", "label": "Title", "required": true}]});
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("service", "task-manager"),
            // Version 1 is the task form the Task Manager was registered with.
            ("base_version", "1"),
            ("schema", &schema.to_string()),
        ])
        .finish();
    let res = app.server_fn("forms_save", &body, Some(&builder)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let res = app
        .server_fn(
            "forms_restore",
            "service=task-manager&version=1&base_version=2",
            Some(&builder),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let member = app.browser_login("user@taskmanager.com").await;
    let res = app
        .server_fn(
            "forms_submit",
            "service=task-manager&version=3&values[title]=Hello",
            Some(&member),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["errors"], json!([]));

    // task.create, task.update, task.status_change, task.comment, task.delete
    let task = app
        .post_json("/api/v1/tasks", json!({"title": "Audited"}), Some(&admin))
        .await;
    assert_eq!(task.status, 201, "{}", task.text());
    let task = format!(
        "/api/v1/tasks/{}",
        task.json()["data"]["id"].as_str().unwrap()
    );
    let res = app
        .send(
            "PATCH",
            &task,
            Some(json!({"version": 1, "status": "DONE"})),
            &admin,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let res = app
        .post_json(
            &format!("{task}/comments"),
            json!({"body": "Done"}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    assert_eq!(app.send("DELETE", &task, None, &admin).await.status, 200);

    // user.create_superadmin (the CLI's path)
    user_service::create_superadmin(
        &app.state,
        "second.root@core.com",
        "Second Root",
        &Secret::new("a-long-root-password"),
    )
    .await
    .unwrap();

    // webhook.receive and webhook.refuse: the seeded WhatsApp gateway's signed delivery,
    // then one signed with the wrong secret.
    let webhook = async |secret: &str, id: &str| {
        let body = json!({ "event": "delivery.report", "batchId": "b-1" }).to_string();
        let now = chrono::Utc::now().timestamp();
        let req = axum::http::Request::post("/api/v1/webhooks/whatsapp-gateway")
            .header("content-type", "application/json")
            .header(webhooks::ID_HEADER, id)
            .header(webhooks::TIMESTAMP_HEADER, now.to_string())
            .header(
                webhooks::SIGNATURE_HEADER,
                webhooks::sign(secret.as_bytes(), now, body.as_bytes()),
            )
            .body(axum::body::Body::from(body))
            .unwrap();
        // The node that knows the key the secrets were re-sealed with above.
        rotating.request(req).await.status
    };
    assert_eq!(webhook(DEMO_WHATSAPP_WEBHOOK_SECRET, "d-1").await, 200);
    assert_eq!(webhook("not-the-secret", "d-2").await, 401);

    // user.status_change (platform staff, on the whole platform)
    let root_now = app.token("superadmin@core.com").await;
    let wa_admin = app.id_of("users", "admin@whatsapp.com").await;
    for status in ["SUSPENDED", "ACTIVE"] {
        let res = app
            .send(
                "PATCH",
                &format!("/api/v1/core/users/{wa_admin}"),
                Some(json!({ "status": status })),
                &root_now,
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.text());
    }

    // account.two_factor_enable, account.recovery_codes, auth.second_factor (a wrong code),
    // account.two_factor_disable
    let wa = app.token("admin@whatsapp.com").await;
    let res = app
        .post_json("/api/v1/account/two-factor/setup", json!({}), Some(&wa))
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let secret = totp::secret_from_display(res.json()["data"]["secret"].as_str().unwrap()).unwrap();
    let code_at = |steps: u64| totp::code_at(&secret, totp::now_secs() + steps * 30);
    let res = app
        .post_json(
            "/api/v1/account/two-factor/confirm",
            json!({"code": code_at(0)}),
            Some(&wa),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let recovery = res.json()["data"]["recoveryCodes"][0].clone();
    let res = app
        .post_json(
            "/api/v1/account/two-factor/recovery-codes",
            json!({"code": code_at(1)}),
            Some(&wa),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let recovery_after = res.json()["data"]["recoveryCodes"][0].clone();
    assert_ne!(recovery, recovery_after);
    let res = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": "admin@whatsapp.com", "password": DEMO_PASSWORD}),
            None,
        )
        .await;
    let ticket = res.json()["data"]["challenge"]["challengeToken"].clone();
    let near: Vec<String> = (0..3)
        .map(|s| totp::code_at(&secret, totp::now_secs() + s * 30 - 30))
        .collect();
    let wrong = ["000000", "111111", "222222", "333333"]
        .into_iter()
        .find(|c| !near.iter().any(|n| n == c))
        .unwrap();
    let res = app
        .post_json(
            "/api/v1/auth/login/verify",
            json!({"challengeToken": ticket, "code": wrong}),
            None,
        )
        .await;
    assert_eq!(res.status, 401, "{}", res.text());
    // The wrong code locked the account's codes for the test's one second.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let res = app
        .post_json(
            "/api/v1/account/two-factor/disable",
            json!({"code": recovery_after}),
            Some(&wa),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());

    // account.email_change_request, account.email_change, account.password_reset_request,
    // account.password_set (last: they change a demo user's address and password)
    let user = app.token("user@taskmanager.com").await;
    let res = app
        .send(
            "POST",
            "/api/v1/account/email",
            Some(json!({"newEmail": "user.renamed@taskmanager.com", "currentPassword": DEMO_PASSWORD})),
            &user,
        )
        .await;
    assert_eq!(res.status, 202, "{}", res.text());
    let token = app.link_token("user.renamed@taskmanager.com").await;
    let res = app
        .post_json("/api/v1/auth/email/confirm", json!({"token": token}), None)
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let res = app
        .post_json(
            "/api/v1/auth/password-reset",
            json!({"email": "user.renamed@taskmanager.com"}),
            None,
        )
        .await;
    assert_eq!(res.status, 202, "{}", res.text());
    let token = app.link_token("user.renamed@taskmanager.com").await;
    let res = app
        .post_json(
            "/api/v1/auth/password-reset/confirm",
            json!({"token": token, "newPassword": "a-reset-password-1"}),
            None,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());

    let entries: Vec<Entry> = audit_log::table
        .order(audit_log::id.asc())
        .select((
            audit_log::action,
            audit_log::outcome,
            audit_log::tenant_id,
            audit_log::actor_user_id,
            audit_log::target_type,
            audit_log::target_id,
        ))
        .load(&mut conn)
        .await
        .unwrap();
    let find = |action: AuditAction, outcome: &str| {
        entries
            .iter()
            .find(|e| e.action == action.as_str() && e.outcome == outcome)
            .unwrap_or_else(|| panic!("no {outcome} entry for {action}: {entries:#?}"))
    };
    for &action in AuditAction::ALL {
        let outcome = match action {
            AuditAction::AuthRefreshTokenReuse
            | AuditAction::AuthLockout
            | AuditAction::AuthSecondFactor
            | AuditAction::WebhookRefuse => "FAILURE",
            _ => "SUCCESS",
        };
        let e = find(action, outcome);
        // Locks are about an address or an account before anyone is signed in, and the
        // CLI acts as nobody; every other entry names its actor and tenant.
        let anonymous = matches!(
            action,
            AuditAction::AuthLockout
                | AuditAction::AuthLockoutEnd
                | AuditAction::UserCreateSuperadmin
                | AuditAction::ServiceKeyRotate
                | AuditAction::WebhookReceive
                | AuditAction::WebhookRefuse
        );
        if !anonymous {
            assert!(e.actor_user_id.is_some(), "{action}: actor");
        }
        // Registry changes are platform work, recorded without a tenant.
        let platform = action.as_str().starts_with("service.")
            || action.as_str().starts_with("webhook.")
            || matches!(action, AuditAction::FormSave | AuditAction::FormRestore)
            // An account's own links act outside any tenant.
            || matches!(
                action,
                AuditAction::AccountPasswordResetRequest
                    | AuditAction::AccountPasswordSet
                    | AuditAction::AuthSecondFactor
                    | AuditAction::AccountEmailChange
                    | AuditAction::UserStatusChange
            );
        if platform {
            assert!(e.tenant_id.is_none(), "{action}: no tenant");
        }
        if !matches!(
            action,
            AuditAction::AuthLockout | AuditAction::AuthLockoutEnd
        ) {
            if !platform {
                assert!(e.tenant_id.is_some(), "{action}: tenant");
            }
            assert!(
                e.target_type.is_some() && e.target_id.is_some(),
                "{action}: target"
            );
        }
    }
    // A role change targets the role, a member change the member, by id.
    assert_eq!(
        find(AuditAction::RoleDelete, "SUCCESS")
            .target_id
            .as_deref(),
        Some(role.as_str())
    );
    assert_eq!(
        find(AuditAction::UserRemove, "SUCCESS")
            .target_id
            .as_deref(),
        Some(wa_id.to_string().as_str())
    );
    assert_eq!(
        find(AuditAction::AccountRename, "SUCCESS").actor_user_id,
        Some(tm_admin_id)
    );
}
