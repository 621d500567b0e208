//! Diesel table definitions, mirroring `migrations/`. The integration test
//! `schema_matches_migrations` fails when the two drift apart.

diesel::table! {
    tenants (id) {
        id -> Uuid,
        name -> Varchar,
        domain -> Varchar,
        #[sql_name = "type"]
        tenant_type -> Text,
        subscription_tier -> Text,
        status -> Text,
        settings -> Jsonb,
        max_users -> Int4,
        parent_tenant_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        email -> Varchar,
        password_hash -> Varchar,
        name -> Varchar,
        home_tenant_id -> Uuid,
        current_tenant_id -> Nullable<Uuid>,
        status -> Text,
        email_verified -> Bool,
        profile -> Jsonb,
        preferences -> Jsonb,
        last_login_at -> Nullable<Timestamptz>,
        password_changed_at -> Timestamptz,
        two_factor_enabled -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    roles (id) {
        id -> Uuid,
        tenant_id -> Nullable<Uuid>,
        name -> Varchar,
        description -> Text,
        is_system -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    role_permissions (role_id, permission) {
        role_id -> Uuid,
        permission -> Varchar,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    user_tenant_access (tenant_id, id) {
        id -> Uuid,
        user_id -> Uuid,
        tenant_id -> Uuid,
        role_id -> Uuid,
        status -> Text,
        granted_by -> Nullable<Uuid>,
        granted_at -> Timestamptz,
        expires_at -> Nullable<Timestamptz>,
        tenant_preferences -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    services (id) {
        id -> Uuid,
        name -> Varchar,
        display_name -> Varchar,
        description -> Nullable<Text>,
        #[sql_name = "type"]
        service_type -> Text,
        category -> Nullable<Varchar>,
        status -> Text,
        visibility -> Text,
        base_url -> Nullable<Varchar>,
        api_key_required -> Bool,
        api_key_ciphertext -> Nullable<Bytea>,
        auth_type -> Text,
        health_check_url -> Nullable<Varchar>,
        form_schema -> Nullable<Jsonb>,
        menu_schema -> Nullable<Jsonb>,
        version -> Varchar,
        documentation_url -> Nullable<Varchar>,
        contact_email -> Nullable<Varchar>,
        registered_by -> Nullable<Uuid>,
        registered_tenant_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        settings_schema -> Nullable<Jsonb>,
        api_key_hint -> Nullable<Varchar>,
        api_key_updated_at -> Nullable<Timestamptz>,
        form_version -> Int4,
        webhook_secret_ciphertext -> Nullable<Bytea>,
    }
}

diesel::table! {
    service_endpoints (id) {
        id -> Uuid,
        service_id -> Uuid,
        name -> Varchar,
        display_name -> Varchar,
        description -> Nullable<Text>,
        method -> Text,
        path -> Varchar,
        request_schema -> Nullable<Jsonb>,
        response_schema -> Nullable<Jsonb>,
        requires_auth -> Bool,
        required_permissions -> Jsonb,
        rate_limit -> Int4,
        timeout_ms -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    tenant_service_assignments (tenant_id, id) {
        id -> Uuid,
        tenant_id -> Uuid,
        service_id -> Uuid,
        status -> Text,
        custom_settings -> Jsonb,
        custom_menu_config -> Nullable<Jsonb>,
        assigned_by -> Nullable<Uuid>,
        assigned_at -> Timestamptz,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    auth_sessions (id) {
        id -> Uuid,
        user_id -> Uuid,
        tenant_id -> Uuid,
        kind -> Text,
        client_ip -> Nullable<Varchar>,
        user_agent -> Nullable<Varchar>,
        created_at -> Timestamptz,
        last_seen_at -> Timestamptz,
        expires_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
        revoked_reason -> Nullable<Varchar>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Uuid,
        session_id -> Uuid,
        token_hash -> Bytea,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        rotated_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Int8,
        occurred_at -> Timestamptz,
        tenant_id -> Nullable<Uuid>,
        actor_user_id -> Nullable<Uuid>,
        action -> Varchar,
        outcome -> Text,
        target_type -> Nullable<Varchar>,
        target_id -> Nullable<Varchar>,
        client_ip -> Nullable<Varchar>,
        details -> Jsonb,
        actor_platform -> Bool,
    }
}

diesel::table! {
    invitations (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        user_id -> Uuid,
        email -> Varchar,
        role_id -> Uuid,
        access_expires_at -> Nullable<Timestamptz>,
        invited_by -> Nullable<Uuid>,
        status -> Text,
        created_at -> Timestamptz,
        responded_at -> Nullable<Timestamptz>,
        mail_id -> Nullable<Int8>,
    }
}

diesel::joinable!(users -> tenants (home_tenant_id));
diesel::joinable!(invitations -> tenants (tenant_id));
diesel::joinable!(invitations -> roles (role_id));
diesel::joinable!(user_tenant_access -> roles (role_id));
diesel::joinable!(user_tenant_access -> tenants (tenant_id));
diesel::joinable!(role_permissions -> roles (role_id));
diesel::joinable!(service_endpoints -> services (service_id));
diesel::joinable!(tenant_service_assignments -> services (service_id));
diesel::joinable!(auth_sessions -> users (user_id));
diesel::joinable!(refresh_tokens -> auth_sessions (session_id));

diesel::allow_tables_to_appear_in_same_query!(
    tenants,
    users,
    roles,
    role_permissions,
    user_tenant_access,
    services,
    service_endpoints,
    tenant_service_assignments,
    auth_sessions,
    refresh_tokens,
    audit_log,
    invitations,
);

diesel::table! {
    menu_layouts (id) {
        id -> Uuid,
        tenant_id -> Nullable<Uuid>,
        version -> Int4,
        operations -> Jsonb,
        author_id -> Nullable<Uuid>,
        author_name -> Varchar,
        reverted_from -> Nullable<Int4>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    inti_versions (name) {
        name -> Varchar,
        version -> Int8,
    }
}

diesel::table! {
    form_versions (service_id, version) {
        service_id -> Uuid,
        version -> Int4,
        schema -> Jsonb,
        note -> Nullable<Varchar>,
        author_id -> Nullable<Uuid>,
        author_name -> Varchar,
        restored_from -> Nullable<Int4>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    form_submissions (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        service_id -> Uuid,
        form_version -> Int4,
        values -> Jsonb,
        submitted_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    tasks (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        title -> Varchar,
        description -> Text,
        status -> Varchar,
        priority -> Varchar,
        assignee_id -> Nullable<Uuid>,
        due_date -> Nullable<Date>,
        labels -> Array<Text>,
        custom_fields -> Jsonb,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
        priority_rank -> Nullable<Int2>,
    }
}

diesel::table! {
    task_comments (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        task_id -> Uuid,
        author_id -> Nullable<Uuid>,
        body -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    gateway_calls (id) {
        id -> Int8,
        tenant_id -> Uuid,
        user_id -> Nullable<Uuid>,
        service_id -> Uuid,
        endpoint_name -> Varchar,
        method -> Varchar,
        path -> Varchar,
        status -> Int2,
        latency_ms -> Int4,
        request_bytes -> Int8,
        response_bytes -> Int8,
        request_id -> Varchar,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Uuid,
        service_id -> Uuid,
        delivery_id -> Varchar,
        event -> Nullable<Varchar>,
        payload -> Jsonb,
        received_at -> Timestamptz,
    }
}

diesel::allow_tables_to_appear_in_same_query!(gateway_calls, users);

diesel::table! {
    service_health (service_id) {
        service_id -> Uuid,
        url -> Varchar,
        status -> Varchar,
        successes -> Int4,
        failures -> Int4,
        since -> Timestamptz,
        checked_at -> Timestamptz,
        last_error -> Nullable<Varchar>,
    }
}

diesel::table! {
    service_health_checks (id) {
        id -> Int8,
        service_id -> Uuid,
        checked_at -> Timestamptz,
        ok -> Bool,
        status_code -> Nullable<Int2>,
        latency_ms -> Int4,
        error -> Nullable<Varchar>,
    }
}

diesel::joinable!(service_health -> services (service_id));
diesel::allow_tables_to_appear_in_same_query!(service_health, services);
diesel::allow_tables_to_appear_in_same_query!(service_health, tenant_service_assignments);

diesel::table! {
    health_rounds (id) {
        id -> Int2,
        started_at -> Timestamptz,
    }
}

diesel::table! {
    account_tokens (id) {
        id -> Uuid,
        user_id -> Uuid,
        purpose -> Text,
        token_hash -> Bytea,
        email -> Varchar,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    mail_outbox (id) {
        id -> Int8,
        tenant_id -> Nullable<Uuid>,
        kind -> Text,
        recipient -> Varchar,
        subject -> Text,
        body -> Nullable<Text>,
        status -> Text,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        lease_until -> Nullable<Timestamptz>,
        claim -> Nullable<Uuid>,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(account_tokens -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(account_tokens, users);
diesel::allow_tables_to_appear_in_same_query!(invitations, mail_outbox);
diesel::allow_tables_to_appear_in_same_query!(mail_outbox, tenants);
diesel::allow_tables_to_appear_in_same_query!(mail_outbox, roles);
