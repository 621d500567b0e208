//! Notifications: what happened that concerns one person, and how they want to hear of it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::form::serde_as_str;

crate::closed_set! {
    /// What a notification is about.
    pub enum NotificationKind {
        TaskAssigned => "TASK_ASSIGNED",
        TaskComment => "TASK_COMMENT",
        RoleChanged => "ROLE_CHANGED",
        ServiceHealth => "SERVICE_HEALTH",
        Invitation => "INVITATION",
        AccessEnding => "ACCESS_ENDING",
        BlastFinished => "BLAST_FINISHED",
    }
}

crate::closed_set! {
    /// Where a person hears of a kind: in the app, in the app and by mail, or not at all.
    pub enum Channel {
        App => "APP",
        Email => "EMAIL",
        Off => "OFF",
    }
}

serde_as_str!(NotificationKind);
serde_as_str!(Channel);

impl NotificationKind {
    /// The channels a person may choose for it: an invitation always comes by mail (the
    /// invitation itself), so mail adds nothing there.
    pub fn channels(self) -> &'static [Channel] {
        match self {
            Self::Invitation => &[Channel::App, Channel::Off],
            _ => Channel::ALL,
        }
    }

    /// How the preferences page names it.
    pub fn label(self) -> &'static str {
        match self {
            Self::TaskAssigned => "A task is assigned to me",
            Self::TaskComment => "Someone comments on my task",
            Self::RoleChanged => "My role changes",
            Self::ServiceHealth => "A service we use goes down or comes back",
            Self::Invitation => "I am invited to a tenant",
            Self::AccessEnding => "My access to a tenant is ending",
            Self::BlastFinished => "A WhatsApp blast has finished",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    /// Increasing: the event id of the stream, and where a reconnecting stream resumes.
    pub id: i64,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    /// The in-app page it is about (`/tasks/…`), if any.
    pub link: Option<String>,
    pub read: bool,
    pub created_at: DateTime<Utc>,
}

/// The person's unread count in the current tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Unread {
    pub unread: i64,
}

/// One kind and the channel chosen for it (`APP` unless changed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Preference {
    pub kind: NotificationKind,
    /// What the kind is, in words.
    pub label: String,
    pub channel: Channel,
}

/// `PUT /api/v1/notifications/preferences`: kinds to change, each to its channel; the
/// kinds not named keep theirs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UpdatePreferences {
    pub preferences: Vec<PreferenceChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PreferenceChange {
    pub kind: NotificationKind,
    pub channel: Channel,
}
