//! The signed-in person's notifications in the current tenant, for the bell and its page.

use leptos::prelude::*;

use crate::domain::{
    error::AppError,
    notification::{Notification, Preference, Unread},
    paging::Page,
};

#[server(prefix = "/api", endpoint = "notifications_list")]
pub async fn list_notifications(page: Option<i64>) -> Result<Page<Notification>, AppError> {
    use crate::{api::context, server::services::notifications};
    context::as_actor(async |state, actor| {
        let query = notifications::InboxQuery {
            unread_only: false,
            page,
            per_page: Some(20),
        };
        notifications::list(state, actor, Ok(query)).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "notifications_unread")]
pub async fn unread_notifications() -> Result<Unread, AppError> {
    use crate::{api::context, server::services::notifications};
    context::as_actor(async |state, actor| notifications::unread(state, actor).await).await
}

#[server(prefix = "/api", endpoint = "notifications_read")]
pub async fn mark_notification_read(id: i64) -> Result<(), AppError> {
    use crate::{api::context, server::services::notifications};
    context::as_actor(async |state, actor| {
        notifications::mark_read(state, actor, Ok(id))
            .await
            .map(|_| ())
    })
    .await
}

#[server(prefix = "/api", endpoint = "notifications_read_all")]
pub async fn mark_all_notifications_read() -> Result<(), AppError> {
    use crate::{api::context, server::services::notifications};
    context::as_actor(async |state, actor| {
        notifications::mark_all_read(state, actor).await.map(|_| ())
    })
    .await
}

#[server(prefix = "/api", endpoint = "notifications_preferences")]
pub async fn notification_preferences() -> Result<Vec<Preference>, AppError> {
    use crate::{api::context, server::services::notifications};
    context::as_actor(async |state, actor| notifications::preferences(state, actor).await).await
}

/// The preferences form: one channel per kind, each field named after its kind.
#[server(prefix = "/api", endpoint = "notifications_preferences_save")]
pub async fn save_notification_preferences(
    #[server(default)] task_assigned: String,
    #[server(default)] task_comment: String,
    #[server(default)] role_changed: String,
    #[server(default)] service_health: String,
    #[server(default)] invitation: String,
    #[server(default)] access_ending: String,
    #[server(default)] blast_finished: String,
) -> Result<(), AppError> {
    use crate::{
        api::context,
        domain::notification::{
            Channel, NotificationKind as K, PreferenceChange, UpdatePreferences,
        },
        server::services::notifications,
    };
    let chosen = [
        (K::TaskAssigned, task_assigned),
        (K::TaskComment, task_comment),
        (K::RoleChanged, role_changed),
        (K::ServiceHealth, service_health),
        (K::Invitation, invitation),
        (K::AccessEnding, access_ending),
        (K::BlastFinished, blast_finished),
    ];
    let mut preferences = Vec::new();
    for (kind, raw) in chosen {
        if raw.trim().is_empty() {
            continue;
        }
        let field = kind.as_str().to_ascii_lowercase();
        preferences.push(PreferenceChange {
            kind,
            channel: Channel::parse_field(&field, &raw)?,
        });
    }
    context::as_actor(async |state, actor| {
        let command = UpdatePreferences {
            preferences: preferences.clone(),
        };
        notifications::set_preferences(state, actor, Ok(command))
            .await
            .map(|_| ())
    })
    .await
}
