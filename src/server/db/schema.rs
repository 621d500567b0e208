// @generated automatically by Diesel CLI.

diesel::table! {
    account_tokens (id) {
        id -> Uuid,
        user_id -> Uuid,
        purpose -> Text,
        token_hash -> Bytea,
        #[max_length = 255]
        email -> Varchar,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Int8,
        occurred_at -> Timestamptz,
        tenant_id -> Nullable<Uuid>,
        actor_user_id -> Nullable<Uuid>,
        #[max_length = 64]
        action -> Varchar,
        outcome -> Text,
        #[max_length = 64]
        target_type -> Nullable<Varchar>,
        #[max_length = 255]
        target_id -> Nullable<Varchar>,
        #[max_length = 64]
        client_ip -> Nullable<Varchar>,
        details -> Jsonb,
        actor_platform -> Bool,
    }
}

diesel::table! {
    auth_sessions (id) {
        id -> Uuid,
        user_id -> Uuid,
        tenant_id -> Uuid,
        kind -> Text,
        #[max_length = 64]
        client_ip -> Nullable<Varchar>,
        #[max_length = 512]
        user_agent -> Nullable<Varchar>,
        created_at -> Timestamptz,
        last_seen_at -> Timestamptz,
        expires_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
        #[max_length = 64]
        revoked_reason -> Nullable<Varchar>,
        second_factor -> Nullable<Text>,
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
    form_versions (service_id, version) {
        service_id -> Uuid,
        version -> Int4,
        schema -> Jsonb,
        #[max_length = 500]
        note -> Nullable<Varchar>,
        author_id -> Nullable<Uuid>,
        #[max_length = 255]
        author_name -> Varchar,
        restored_from -> Nullable<Int4>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    gateway_calls (tenant_id, id) {
        id -> Int8,
        tenant_id -> Uuid,
        user_id -> Nullable<Uuid>,
        service_id -> Uuid,
        #[max_length = 100]
        endpoint_name -> Varchar,
        #[max_length = 10]
        method -> Varchar,
        #[max_length = 500]
        path -> Varchar,
        status -> Int2,
        latency_ms -> Int4,
        request_bytes -> Int8,
        response_bytes -> Int8,
        #[max_length = 64]
        request_id -> Varchar,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    health_rounds (id) {
        id -> Int2,
        started_at -> Timestamptz,
    }
}

diesel::table! {
    inti_versions (name) {
        #[max_length = 40]
        name -> Varchar,
        version -> Int8,
    }
}

diesel::table! {
    invitations (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        user_id -> Uuid,
        #[max_length = 255]
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

diesel::table! {
    mail_outbox (id) {
        id -> Int8,
        tenant_id -> Nullable<Uuid>,
        kind -> Text,
        #[max_length = 255]
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

diesel::table! {
    menu_layouts (id) {
        id -> Uuid,
        tenant_id -> Nullable<Uuid>,
        version -> Int4,
        operations -> Jsonb,
        author_id -> Nullable<Uuid>,
        #[max_length = 255]
        author_name -> Varchar,
        reverted_from -> Nullable<Int4>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    notification_preferences (user_id, kind) {
        user_id -> Uuid,
        kind -> Text,
        channel -> Text,
    }
}

diesel::table! {
    notifications (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Int8,
        user_id -> Uuid,
        kind -> Text,
        title -> Text,
        body -> Text,
        link -> Nullable<Text>,
        topic -> Nullable<Text>,
        read_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
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
    role_permissions (role_id, permission) {
        role_id -> Uuid,
        #[max_length = 200]
        permission -> Varchar,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    roles (id) {
        id -> Uuid,
        tenant_id -> Nullable<Uuid>,
        #[max_length = 64]
        name -> Varchar,
        description -> Text,
        is_system -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    service_endpoints (id) {
        id -> Uuid,
        service_id -> Uuid,
        #[max_length = 255]
        name -> Varchar,
        #[max_length = 255]
        display_name -> Varchar,
        description -> Nullable<Text>,
        method -> Text,
        #[max_length = 500]
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
    service_health (service_id) {
        service_id -> Uuid,
        #[max_length = 500]
        url -> Varchar,
        #[max_length = 20]
        status -> Varchar,
        successes -> Int4,
        failures -> Int4,
        since -> Timestamptz,
        checked_at -> Timestamptz,
        #[max_length = 200]
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
        #[max_length = 200]
        error -> Nullable<Varchar>,
    }
}

diesel::table! {
    services (id) {
        id -> Uuid,
        #[max_length = 255]
        name -> Varchar,
        #[max_length = 255]
        display_name -> Varchar,
        description -> Nullable<Text>,
        #[sql_name = "type"]
        service_type -> Text,
        #[max_length = 100]
        category -> Nullable<Varchar>,
        status -> Text,
        visibility -> Text,
        #[max_length = 500]
        base_url -> Nullable<Varchar>,
        api_key_required -> Bool,
        api_key_ciphertext -> Nullable<Bytea>,
        auth_type -> Text,
        #[max_length = 500]
        health_check_url -> Nullable<Varchar>,
        form_schema -> Nullable<Jsonb>,
        menu_schema -> Nullable<Jsonb>,
        #[max_length = 50]
        version -> Varchar,
        #[max_length = 500]
        documentation_url -> Nullable<Varchar>,
        #[max_length = 255]
        contact_email -> Nullable<Varchar>,
        registered_by -> Nullable<Uuid>,
        registered_tenant_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        settings_schema -> Nullable<Jsonb>,
        #[max_length = 4]
        api_key_hint -> Nullable<Varchar>,
        api_key_updated_at -> Nullable<Timestamptz>,
        form_version -> Int4,
        webhook_secret_ciphertext -> Nullable<Bytea>,
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
    tasks (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        #[max_length = 200]
        title -> Varchar,
        description -> Text,
        #[max_length = 20]
        status -> Varchar,
        #[max_length = 10]
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
    tenants (id) {
        id -> Uuid,
        #[max_length = 255]
        name -> Varchar,
        #[max_length = 63]
        domain -> Varchar,
        #[sql_name = "type"]
        tenant_type -> Text,
        subscription_tier -> Text,
        status -> Text,
        settings -> Jsonb,
        max_users -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        require_admin_two_factor -> Bool,
    }
}

diesel::table! {
    user_recovery_codes (user_id, code_hash) {
        user_id -> Uuid,
        code_hash -> Bytea,
        used_at -> Nullable<Timestamptz>,
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
    user_totp (user_id) {
        user_id -> Uuid,
        secret -> Bytea,
        confirmed_at -> Nullable<Timestamptz>,
        last_step -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        #[max_length = 255]
        email -> Varchar,
        #[max_length = 255]
        password_hash -> Varchar,
        #[max_length = 255]
        name -> Varchar,
        home_tenant_id -> Uuid,
        current_tenant_id -> Nullable<Uuid>,
        status -> Text,
        email_verified -> Bool,
        preferences -> Jsonb,
        last_login_at -> Nullable<Timestamptz>,
        password_changed_at -> Timestamptz,
        two_factor_enabled -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Uuid,
        service_id -> Uuid,
        #[max_length = 200]
        delivery_id -> Varchar,
        #[max_length = 100]
        event -> Nullable<Varchar>,
        payload -> Jsonb,
        received_at -> Timestamptz,
    }
}

diesel::joinable!(account_tokens -> users (user_id));
diesel::joinable!(audit_log -> tenants (tenant_id));
diesel::joinable!(audit_log -> users (actor_user_id));
diesel::joinable!(auth_sessions -> tenants (tenant_id));
diesel::joinable!(auth_sessions -> users (user_id));
diesel::joinable!(form_submissions -> services (service_id));
diesel::joinable!(form_submissions -> tenants (tenant_id));
diesel::joinable!(form_submissions -> users (submitted_by));
diesel::joinable!(form_versions -> services (service_id));
diesel::joinable!(form_versions -> users (author_id));
diesel::joinable!(gateway_calls -> services (service_id));
diesel::joinable!(gateway_calls -> tenants (tenant_id));
diesel::joinable!(gateway_calls -> users (user_id));
diesel::joinable!(invitations -> mail_outbox (mail_id));
diesel::joinable!(invitations -> roles (role_id));
diesel::joinable!(invitations -> tenants (tenant_id));
diesel::joinable!(mail_outbox -> tenants (tenant_id));
diesel::joinable!(menu_layouts -> tenants (tenant_id));
diesel::joinable!(menu_layouts -> users (author_id));
diesel::joinable!(notification_preferences -> users (user_id));
diesel::joinable!(notifications -> tenants (tenant_id));
diesel::joinable!(notifications -> users (user_id));
diesel::joinable!(refresh_tokens -> auth_sessions (session_id));
diesel::joinable!(role_permissions -> roles (role_id));
diesel::joinable!(roles -> tenants (tenant_id));
diesel::joinable!(service_endpoints -> services (service_id));
diesel::joinable!(service_health -> services (service_id));
diesel::joinable!(service_health_checks -> services (service_id));
diesel::joinable!(services -> tenants (registered_tenant_id));
diesel::joinable!(services -> users (registered_by));
diesel::joinable!(task_comments -> users (author_id));
diesel::joinable!(tasks -> tenants (tenant_id));
diesel::joinable!(tenant_service_assignments -> services (service_id));
diesel::joinable!(tenant_service_assignments -> tenants (tenant_id));
diesel::joinable!(tenant_service_assignments -> users (assigned_by));
diesel::joinable!(user_recovery_codes -> users (user_id));
diesel::joinable!(user_tenant_access -> roles (role_id));
diesel::joinable!(user_tenant_access -> tenants (tenant_id));
diesel::joinable!(user_totp -> users (user_id));
diesel::joinable!(webhook_deliveries -> services (service_id));

diesel::allow_tables_to_appear_in_same_query!(
    account_tokens,
    audit_log,
    auth_sessions,
    form_submissions,
    form_versions,
    gateway_calls,
    health_rounds,
    inti_versions,
    invitations,
    mail_outbox,
    menu_layouts,
    notification_preferences,
    notifications,
    refresh_tokens,
    role_permissions,
    roles,
    service_endpoints,
    service_health,
    service_health_checks,
    services,
    task_comments,
    tasks,
    tenant_service_assignments,
    tenants,
    user_recovery_codes,
    user_tenant_access,
    user_totp,
    users,
    webhook_deliveries,
);
