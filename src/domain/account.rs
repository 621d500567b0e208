//! What a signed-in user and client see about themselves. These are the JSON shapes of the
//! seed document (camelCase) and are also what the browser UI renders.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The user as the API presents them in their current tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UserView {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub home_tenant_id: Uuid,
    pub current_tenant_id: Uuid,
    pub roles: Vec<String>,
    pub permissions: Vec<String>,
    /// How the person wants times and dates shown.
    #[serde(default)]
    pub display: DisplaySettings,
}

crate::closed_set! {
    /// How a date is written: `2026-12-31`, `31/12/2026` or `12/31/2026`.
    pub enum DateFormat {
        Iso => "YYYY-MM-DD",
        DayFirst => "DD/MM/YYYY",
        MonthFirst => "MM/DD/YYYY",
    }
}
crate::domain::form::serde_as_str!(DateFormat);

/// A person's display settings (`users.preferences`): every date and time the app shows is
/// in their time zone and date format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct DisplaySettings {
    /// An IANA time zone name (`Europe/Berlin`); `UTC` by default.
    pub time_zone: String,
    pub date_format: DateFormat,
    /// The zone's UTC offsets, oldest first: each applies from its moment on (1970 to 2050;
    /// empty for UTC). Pages convert times with it, on the server and in the browser alike,
    /// so the browser needs no time zone database.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub offsets: Vec<ZoneOffset>,
}

/// From `from` (Unix seconds) on, local time is UTC plus `seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ZoneOffset {
    pub from: i64,
    pub seconds: i32,
}

impl Default for DisplaySettings {
    fn default() -> Self {
        Self {
            time_zone: "UTC".into(),
            date_format: DateFormat::Iso,
            offsets: Vec::new(),
        }
    }
}

impl DisplaySettings {
    /// The settings stored in `preferences`; what does not read back is the default.
    pub fn read(preferences: &serde_json::Value) -> Self {
        let time_zone = preferences
            .get("timeZone")
            .and_then(serde_json::Value::as_str)
            .filter(|z| !z.is_empty() && z.len() <= 64)
            .unwrap_or("UTC")
            .to_string();
        let date_format = preferences
            .get("dateFormat")
            .and_then(serde_json::Value::as_str)
            .and_then(DateFormat::parse)
            .unwrap_or(DateFormat::Iso);
        Self {
            time_zone,
            date_format,
            offsets: Vec::new(),
        }
    }

    /// The offset from UTC, in seconds, at `unix` seconds.
    pub fn offset_at(&self, unix: i64) -> i32 {
        let at = self.offsets.partition_point(|o| o.from <= unix);
        self.offsets
            .get(at.saturating_sub(1))
            .map_or(0, |o| o.seconds)
    }
}

/// `PUT /api/v1/account/display`: the person's time zone and date format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChangeDisplay {
    /// An IANA time zone name, such as `Asia/Jakarta` or `UTC`.
    pub time_zone: String,
    /// `YYYY-MM-DD`, `DD/MM/YYYY` or `MM/DD/YYYY`.
    pub date_format: DateFormat,
}

/// A tenant the user can reach, with the role they hold there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TenantAccess {
    pub id: Uuid,
    pub name: String,
    pub domain: String,
    #[serde(rename = "type")]
    pub tenant_type: String,
    pub user_role: String,
}

/// Everything the app layout needs: who is signed in, where, and where else they can go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SessionView {
    pub user: UserView,
    pub current_tenant: TenantAccess,
    pub tenants: Vec<TenantAccess>,
    /// What the current tenant can use, with the endpoints this user may call.
    pub accessible_services: Vec<AccessibleService>,
}

/// A service the current tenant can use (seed document, `accessibleServices`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccessibleService {
    pub id: Uuid,
    pub name: String,
    pub display_name: String,
    #[serde(rename = "type")]
    pub service_type: String,
    /// MAINTENANCE services show with a badge; their calls answer 503.
    pub status: String,
    pub category: Option<String>,
    /// The endpoints the user may call (their names).
    pub endpoints: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TenantRef {
    pub id: Uuid,
    pub name: String,
    pub domain: String,
}

/// The user after a tenant switch, in the seed document's shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SwitchedUser {
    pub id: Uuid,
    pub current_tenant_id: Uuid,
    pub current_tenant: TenantRef,
    pub roles: Vec<String>,
    pub permissions: Vec<String>,
    pub accessible_services: Vec<AccessibleService>,
}

/// `PATCH /api/v1/account`: the caller's own name.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Rename {
    pub name: String,
}

/// `POST /api/v1/account/password`: the caller's new password, with the current one. Every
/// other session of the account ends.
#[derive(Clone, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct ChangePassword {
    pub current_password: String,
    pub new_password: String,
}

/// `POST /api/v1/account/email`: asks to move the account to a new address (checked with
/// the current password); it changes when the link mailed there is opened.
#[derive(Clone, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct ChangeEmail {
    pub new_email: String,
    pub current_password: String,
}

/// `POST /api/v1/auth/password-reset`: mails a reset link to the address, if it has an
/// account (the answer is the same either way). No `Debug`: an address is personal data.
#[derive(Clone, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct RequestReset {
    pub email: String,
}

/// `POST /api/v1/auth/link` (what a mailed link opens) and `POST /api/v1/auth/email/confirm`
/// (opens an address-change link).
#[derive(Clone, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct OpenLink {
    /// The token from the link; the link is the credential.
    pub token: String,
}

/// `POST /api/v1/auth/password-reset/confirm`: the password chosen from an invitation or
/// reset link, and which of the account's pending invitations to accept with it.
#[derive(Clone, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct SetPassword {
    pub token: String,
    pub new_password: String,
    /// Invitations to accept (their ids, from `POST /auth/link`).
    pub accept_invitations: Vec<Uuid>,
}

/// One of the person's live sessions (a browser or an API client), for their sessions page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    pub id: Uuid,
    /// `WEB` (a browser) or `API` (a token).
    pub kind: String,
    /// The client's `User-Agent`, as it sent it.
    pub client: Option<String>,
    /// The address it signed in from.
    pub address: Option<String>,
    /// The tenant it acts in.
    pub tenant: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it was last used (written at most every few minutes).
    pub last_seen_at: chrono::DateTime<chrono::Utc>,
    /// The session this answer was asked from.
    pub current: bool,
}
