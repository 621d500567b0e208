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
            scope::{scoped, Scope},
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
    /// Set for a notice sent once per occasion (at most one per person and topic).
    pub topic: Option<String>,
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
            topic: note.topic.as_deref(),
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

/// Tells an existing account of its new invitation (`invitation`, pending in the actor's
/// tenant), in its home tenant, inside the inviting transaction. The invitation's mail goes
/// anyway; this is the bell's notice.
pub async fn tell_invited(
    c: &mut AsyncPgConnection,
    invitation: Uuid,
    title: &str,
) -> Result<(), AppError> {
    let body = "Accept or decline it on your dashboard.";
    db::notify_invited(c, invitation, (&clip(title, MAX_TITLE), body, Some("/"))).await?;
    Ok(())
}

/// Tells people whose access to a tenant ends within 7 days, and again within 1 day (each
/// once per window: a renewed access that nears its end again is told again). Every node may
/// run it: the check and the notice are one transaction under the inbox's lock.
pub async fn tell_access_ending(state: &AppState) -> Result<usize, AppError> {
    let mut told = 0;
    for (days, sooner) in [(7, 1), (1, 0)] {
        let endings = scoped(&state.db, Scope::platform(), async |c| {
            Ok(db::endings(c, days, sooner).await?)
        })
        .await?;
        for ending in endings {
            let inbox = (ending.tenant_id, ending.user_id);
            let sent = scoped(&state.db, Scope::platform(), async |c| {
                db::lock_inbox(c, inbox).await?;
                // Another node may have told them since the list was read.
                let still = db::endings(c, days, sooner)
                    .await?
                    .iter()
                    .any(|e| (e.tenant_id, e.user_id) == inbox);
                if still {
                    // Rounded up: "in 3 days" until the last moment of the third day.
                    let hours = ((ending.expires_at - chrono::Utc::now()).num_minutes() + 59) / 60;
                    let when = if hours < 24 {
                        format!("in {} hours", hours.max(1))
                    } else {
                        format!("in {} days", (hours + 23) / 24)
                    };
                    let note = Note {
                        user_id: ending.user_id,
                        kind: NotificationKind::AccessEnding,
                        title: format!("Your access to {} ends {when}", ending.tenant_name),
                        body: format!(
                            "It ends on {} UTC. Ask an administrator of {} to extend it.",
                            ending.expires_at.format("%Y-%m-%d %H:%M"),
                            ending.tenant_name
                        ),
                        link: Some("/account".into()),
                        topic: Some(ending.topic.clone()),
                    };
                    notify(state, c, ending.tenant_id, note).await?;
                }
                Ok(still)
            })
            .await?;
            told += usize::from(sent);
        }
    }
    Ok(told)
}

/// Runs `tell_access_ending` hourly on this node.
pub fn start(state: &AppState) {
    let job = state.clone();
    state.lifecycle.spawn(async move {
        let state = job;
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        while state.lifecycle.tick(&mut tick).await {
            let round = tell_access_ending(&state).await;
            crate::server::metrics::job_round("access_ending", round.is_ok());
            if let Err(e) = round {
                tracing::warn!(error = %e, "access-ending notices failed");
            }
        }
    });
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

pub(crate) fn view(row: NotificationRow) -> Notification {
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
    NotificationKind::ALL
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
    for (i, change) in command.preferences.iter().enumerate() {
        if !change.kind.channels().contains(&change.channel) {
            return Err(AppError::validation(
                format!("preferences[{i}].channel"),
                "Invitations always come by mail: choose APP or OFF",
            ));
        }
    }
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
