//! Wakes this node's notification streams when a person's inbox changes on any node:
//! PostgreSQL sends `tenant:user` on `inti_notifications` at commit (a trigger), every node
//! LISTENs. The message carries no content: a woken stream reads what it has not sent from
//! the table, so a missed message costs a delay, never a notification (streams also look by
//! themselves every `RECHECK`, and all of them look again after the listener reconnects).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use futures_util::StreamExt;
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::domain::error::AppError;

const CHANNEL: &str = "inti_notifications";
/// Streams one person may hold open on one node (tabs, devices, API clients).
pub const MAX_STREAMS_PER_PERSON: usize = 8;
/// How often a stream looks for news without being woken.
pub const RECHECK: Duration = Duration::from_secs(30);
const RECONNECT_DELAY: Duration = Duration::from_secs(1);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// A wake of every stream (after the listener reconnects: messages may have been missed).
pub const EVERYONE: &str = "*";

pub struct NotificationHub {
    wake: broadcast::Sender<Arc<str>>,
    open: Mutex<HashMap<Uuid, usize>>,
}

impl Default for NotificationHub {
    fn default() -> Self {
        Self {
            wake: broadcast::Sender::new(1024),
            open: Mutex::default(),
        }
    }
}

/// The wake message of one person's inbox in one tenant.
pub fn inbox_key(tenant: Uuid, user: Uuid) -> String {
    format!("{tenant}:{user}")
}

impl NotificationHub {
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<str>> {
        self.wake.subscribe()
    }

    /// Counts a stream of `user` as open until the slot drops; refused past
    /// `MAX_STREAMS_PER_PERSON`.
    pub fn open(self: &Arc<Self>, user: Uuid) -> Result<StreamSlot, AppError> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let count = open.entry(user).or_default();
        if *count >= MAX_STREAMS_PER_PERSON {
            return Err(AppError::RateLimited {
                retry_after_secs: 10,
            });
        }
        *count += 1;
        Ok(StreamSlot {
            hub: Arc::clone(self),
            user,
        })
    }

    /// Starts the listener: connects, LISTENs, forwards wakes, and reconnects after any
    /// failure (then wakes every stream, for what it may have missed).
    pub fn listen(self: &Arc<Self>, database_url: String) {
        let hub = Arc::clone(self);
        tokio::spawn(async move {
            loop {
                match crate::server::db::listening_connection(
                    &database_url,
                    "inti_notifications_listener",
                    CHANNEL,
                    CONNECT_TIMEOUT,
                )
                .await
                {
                    Ok(mut conn) => {
                        let _ = hub.wake.send(EVERYONE.into());
                        let mut messages = std::pin::pin!(conn.notifications_stream());
                        let reason = loop {
                            match messages.next().await {
                                Some(Ok(n)) => {
                                    let _ = hub.wake.send(n.payload.as_str().into());
                                }
                                Some(Err(e)) => break e.to_string(),
                                None => break "connection closed".to_string(),
                            }
                        };
                        tracing::warn!(%reason, "notifications: listener lost; reconnecting");
                    }
                    Err(reason) => tracing::warn!(%reason, "notifications: cannot listen"),
                }
                tokio::time::sleep(RECONNECT_DELAY).await;
            }
        });
    }
}

/// One open stream of a person; frees its place when dropped.
pub struct StreamSlot {
    hub: Arc<NotificationHub>,
    user: Uuid,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.hub.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = open.get_mut(&self.user) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.user);
            }
        }
    }
}

/// Waits for a wake of `key` (or of everyone, or after falling behind).
pub async fn woken(wake: &mut broadcast::Receiver<Arc<str>>, key: &str) {
    loop {
        match wake.recv().await {
            Ok(k) if &*k == key || &*k == EVERYONE => return,
            Ok(_) => {}
            Err(broadcast::error::RecvError::Lagged(_)) => return,
            Err(broadcast::error::RecvError::Closed) => std::future::pending::<()>().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_holds_a_bounded_number_of_streams_and_a_closed_one_frees_its_place() {
        let hub = Arc::new(NotificationHub::default());
        let user = Uuid::new_v4();
        let slots: Vec<StreamSlot> = (0..MAX_STREAMS_PER_PERSON)
            .map(|_| hub.open(user).unwrap())
            .collect();
        assert!(matches!(hub.open(user), Err(AppError::RateLimited { .. })));
        assert!(hub.open(Uuid::new_v4()).is_ok(), "others are not affected");
        drop(slots);
        let _kept = hub.open(user).unwrap();
        assert_eq!(hub.open.lock().unwrap().get(&user), Some(&1));
    }
}
