//! Notifications: stored in the transaction of the change that causes them (so one exists
//! exactly when its change does), then delivered: live to the person's open streams (every
//! node's `NotificationHub` wakes them at commit) and, when the person chose mail for that
//! kind, by mail through the outbox. A person reads and marks only their own, in their
//! current tenant; no permission is needed for one's own inbox.

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::{
    domain::{
        error::{AppError, Input},
        notification::{
            Channel, Notification, NotificationKind, Preference, Unread, UpdatePreferences,
        },
        paging::{Page, Paging},
    },
    server::{
        auth::actor::Actor,
        db::{
            notifications::{self as db, NewNotification, NotificationRow},
            scope::scoped,
            users,
        },
        mail::{self, Mail},
        state::AppState,
    },
};

/// What to tell whom.
#[derive(Debug, Clone)]
pub struct Note {
    pub user_id: Uuid,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    /// The in-app page it is about.
    pub link: Option<String>,
}

const MAX_TITLE: usize = 200;
const MAX_BODY: usize = 2000;
/// What one read of a stream sends at most; the stream reads again at once after a full one.
pub const BATCH: i64 = 100;

/// Stores a notification for `note.user_id` in `tenant_id`, inside the caller's transaction,
/// unless the person is no longer an active member there or turned that kind off; queues a
/// mail too when they chose mail. Several people: notify them in a sorted order.
pub async fn notify(
    state: &AppState,
    c: &mut AsyncPgConnection,
    tenant_id: Uuid,
    note: Note,
) -> Result<(), AppError> {
    let inbox = (tenant_id, note.user_id);
    if !db::is_member(c, inbox).await? {
        return Ok(());
    }
    let channel = db::channel(c, note.user_id, note.kind).await?;
    if channel == Channel::Off {
        return Ok(());
    }
    let title = clip(&note.title, MAX_TITLE);
    let body = clip(&note.body, MAX_BODY);
    db::lock_inbox(c, inbox).await?;
    db::insert(
        c,
        NewNotification {
            tenant_id,
            user_id: note.user_id,
            kind: note.kind,
            title: &title,
            body: &body,
            link: note.link.as_deref(),
        },
    )
    .await?;
    if channel == Channel::Email {
        if let Some(person) = users::find(c, note.user_id).await? {
            let link = note
                .link
                .as_deref()
                .map(|l| format!("\n\n{}{l}", state.settings.mail.public_url))
                .unwrap_or_default();
            let text = format!(
                "{body}{link}\n\nYou get this by mail because you chose mail for \"{}\" in \
                 your notification settings.",
                note.kind.label()
            );
            mail::queue(
                c,
                Mail {
                    kind: mail::Kind::Notification,
                    tenant_id: Some(tenant_id),
                    to: &person.email,
                    subject: &title,
                    body: &text,
                },
            )
            .await?;
        }
    }
    Ok(())
}

/// At most `max` characters, marked with an ellipsis when cut.
fn clip(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

fn owner(actor: &Actor) -> (Uuid, Uuid) {
    (actor.tenant_id, actor.user_id)
}

fn view(row: NotificationRow) -> Notification {
    Notification {
        id: row.id,
        kind: row.kind,
        title: row.title,
        body: row.body,
        link: row.link,
        read: row.read_at.is_some(),
        created_at: row.created_at,
    }
}

/// What a list of the inbox asks for.
#[derive(Debug, Clone, Copy, Default)]
pub struct InboxQuery {
    pub unread_only: bool,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// `GET /api/v1/notifications`: the caller's, in the current tenant, newest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(
    state: &AppState,
    actor: &Actor,
    query: Input<InboxQuery>,
) -> Result<Page<Notification>, AppError> {
    let query = query?;
    let paging = Paging::parse(query.page, query.per_page)?;
    scoped(&state.db, actor.scope(), async |c| {
        let (rows, total) = db::page(
            c,
            owner(actor),
            query.unread_only,
            paging.offset(),
            paging.limit(),
        )
        .await?;
        Ok(paging.page_of(rows.into_iter().map(view).collect(), total))
    })
    .await
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn unread(state: &AppState, actor: &Actor) -> Result<Unread, AppError> {
    scoped(&state.db, actor.scope(), async |c| {
        Ok(Unread {
            unread: db::unread(c, owner(actor)).await?,
        })
    })
    .await
}

/// Marks one of the caller's read; another person's (or tenant's) is not found.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn mark_read(
    state: &AppState,
    actor: &Actor,
    id: Input<i64>,
) -> Result<Notification, AppError> {
    let id = id?;
    scoped(&state.db, actor.scope(), async |c| {
        db::mark_read(c, owner(actor), id)
            .await?
            .map(view)
            .ok_or(AppError::NotFound)
    })
    .await
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn mark_all_read(state: &AppState, actor: &Actor) -> Result<Unread, AppError> {
    scoped(&state.db, actor.scope(), async |c| {
        db::mark_all_read(c, owner(actor)).await?;
        Ok(Unread {
            unread: db::unread(c, owner(actor)).await?,
        })
    })
    .await
}

/// Every kind with the caller's channel for it.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn preferences(state: &AppState, actor: &Actor) -> Result<Vec<Preference>, AppError> {
    scoped(&state.db, actor.scope(), async |c| {
        let chosen = db::preferences(c, actor.user_id).await?;
        Ok(all_preferences(&chosen))
    })
    .await
}

fn all_preferences(chosen: &[(NotificationKind, Channel)]) -> Vec<Preference> {
    NotificationKind::SENT
        .iter()
        .map(|&kind| Preference {
            kind,
            label: kind.label().to_string(),
            channel: chosen
                .iter()
                .find(|(k, _)| *k == kind)
                .map_or(Channel::App, |(_, c)| *c),
        })
        .collect()
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_preferences(
    state: &AppState,
    actor: &Actor,
    command: Input<UpdatePreferences>,
) -> Result<Vec<Preference>, AppError> {
    let command = command?;
    scoped(&state.db, actor.scope(), async |c| {
        for change in &command.preferences {
            db::set_preference(c, actor.user_id, change.kind, change.channel).await?;
        }
        let chosen = db::preferences(c, actor.user_id).await?;
        Ok(all_preferences(&chosen))
    })
    .await
}

/// For a stream: what was stored after `after` (oldest first, a batch at most) and the
/// unread count.
pub async fn since(
    state: &AppState,
    actor: &Actor,
    after: i64,
) -> Result<(Vec<Notification>, i64), AppError> {
    scoped(&state.db, actor.scope(), async |c| {
        let rows = db::after(c, owner(actor), after, BATCH).await?;
        let unread = db::unread(c, owner(actor)).await?;
        Ok((rows.into_iter().map(view).collect(), unread))
    })
    .await
}

/// The newest id of the caller's inbox: a stream opened without `Last-Event-ID` sends what
/// comes after it.
pub async fn newest(state: &AppState, actor: &Actor) -> Result<i64, AppError> {
    scoped(&state.db, actor.scope(), async |c| {
        Ok(db::newest(c, owner(actor)).await?)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::clip;

    #[test]
    fn long_text_is_cut_with_an_ellipsis_on_a_character_boundary() {
        assert_eq!(clip("  short  ", 10), "short");
        assert_eq!(clip("ééééé", 3), "éé…");
        assert_eq!(clip(&"x".repeat(300), 200).chars().count(), 200);
    }
}
