//! Resolved sessions kept in memory, so that an authenticated request costs no database round
//! trip, while a suspension, a removed or expired grant or a revoked session still takes
//! effect on the next request.
//!
//! Invalidation keeps it right, not a time to live: triggers (migration 7) NOTIFY
//! `inti_access` in the very transaction that changes anything a session is resolved from,
//! every node LISTENs on a connection of its own, and drops what the message names. The
//! session's end and the user's grants' ends are checked locally, and no entry lives longer
//! than `MAX_AGE` (a backstop). The listener proves it still hears: every `HEARTBEAT` it
//! sends itself a message and must get it back within `HEARTBEAT_WAIT`; otherwise (a
//! half-open connection, a pooler in transaction mode that drops LISTEN) it reconnects and
//! nothing is cached meanwhile. `database.url` must reach PostgreSQL directly or through a
//! session-mode pooler.
//!
//! Two races are closed here:
//! - a resolution that started before a change and finishes after its message would store a
//!   stale answer: every message bumps an epoch, and an answer is kept only if the epoch it
//!   started under is still the current one;
//! - this node's own changes: their messages arrive asynchronously, so a request that changed
//!   something (it wrote an audit entry: `note_change`) ends by waiting (`settle`) until the
//!   listener has seen a marker sent after the change committed; PostgreSQL delivers
//!   notifications in commit order. A marker that does not come back in time means the
//!   listener is not hearing: caching stops until it reconnects.
//!
//! Other nodes drop their copies as the message reaches them, normally well under a
//! millisecond after the commit.

use std::{
    any::Any,
    collections::HashMap,
    pin::pin,
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc, Mutex, RwLock,
    },
    time::Duration,
};

use chrono::{DateTime, Utc};
use diesel::sql_types::Text;
use diesel_async::AsyncPgConnection;
use futures_util::StreamExt;
use tokio::sync::oneshot;
use uuid::Uuid;

use crate::{
    domain::{account::SessionView, menu::view::UserMenu},
    server::{auth::actor::Actor, db::DbPool},
};

const CHANNEL: &str = "inti_access";
/// The listener connection's `application_name`.
pub const LISTENER_NAME: &str = "inti_access_listener";
/// Beyond this many sessions the cache starts over rather than grow without bound.
const MAX_ENTRIES: usize = 100_000;
/// No entry is served for longer than this, whatever happens to the notifications.
const MAX_AGE: chrono::Duration = chrono::Duration::seconds(30);
/// How often the listener proves that it hears, and how long its own message may take.
const HEARTBEAT: Duration = Duration::from_secs(2);
/// Generous: a loaded machine must not make a healthy listener look deaf.
const HEARTBEAT_WAIT: Duration = Duration::from_secs(3);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a state-changing request waits for its own changes to reach the listener before
/// it gives up and empties the cache instead.
const SETTLE_WAIT: Duration = Duration::from_secs(5);
const RECONNECT_DELAY: Duration = Duration::from_secs(1);

tokio::task_local! {
    /// Whether the request running on this task changed something (see `note_change`).
    static CHANGED: std::cell::Cell<bool>;
}

/// Runs a request, answering whether it changed something.
pub async fn tracking_changes<F: std::future::Future>(request: F) -> (F::Output, bool) {
    CHANGED
        .scope(std::cell::Cell::new(false), async {
            let out = request.await;
            (out, CHANGED.with(|c| c.get()))
        })
        .await
}

/// Marks the current request as one that changed something. Every change is audited, so
/// the audit log calls this; outside a request it does nothing.
pub fn note_change() {
    let _ = CHANGED.try_with(|c| c.set(true));
}

struct Entry {
    actor: Actor,
    valid_until: DateTime<Utc>,
    view: Option<Arc<SessionView>>,
    menu: Option<Arc<UserMenu>>,
    /// Whatever else other parts derive from the session's access (the gateway's table of
    /// what it may call), one value per type, dropped with the actor.
    derived: Vec<Arc<dyn Any + Send + Sync>>,
}

/// The epoch a resolution started under; its answer is kept only if nothing changed since.
#[derive(Debug, Clone, Copy)]
pub struct Ticket(u64);

pub struct AccessCache {
    /// Tells this node's markers from other nodes'.
    node: u64,
    live: AtomicBool,
    epoch: AtomicU64,
    entries: RwLock<HashMap<Uuid, Entry>>,
    markers: Mutex<Markers>,
    /// Wakes the listener to reconnect (a marker that never came back).
    reconnect: tokio::sync::Notify,
    /// Bumped by every new listener connection: a settle only condemns the one it started on.
    generation: AtomicU64,
    /// One copy of each computed menu (by its shared key), however many sessions hold it.
    menus: Mutex<HashMap<String, std::sync::Weak<UserMenu>>>,
    /// When the listener last heard its own heartbeat back (for metrics).
    last_heartbeat: Mutex<Option<std::time::Instant>>,
}

#[derive(Default)]
struct Markers {
    next: u64,
    waiting: HashMap<u64, oneshot::Sender<()>>,
}

impl Default for AccessCache {
    fn default() -> Self {
        Self {
            node: rand::random(),
            live: AtomicBool::new(false),
            epoch: AtomicU64::new(0),
            entries: RwLock::new(HashMap::new()),
            markers: Mutex::new(Markers::default()),
            reconnect: tokio::sync::Notify::new(),
            generation: AtomicU64::new(0),
            menus: Mutex::new(HashMap::new()),
            last_heartbeat: Mutex::new(None),
        }
    }
}

impl AccessCache {
    /// The cached actor of a live session, if its session and grants have not ended.
    pub fn actor(&self, session: Uuid) -> Option<Actor> {
        counted("actor", self.with_entry(session, |e| e.actor.clone()))
    }

    /// The cached signed-in view of a session whose actor is cached.
    pub fn view(&self, session: Uuid) -> Option<Arc<SessionView>> {
        counted(
            "view",
            self.with_entry(session, |e| e.view.clone()).flatten(),
        )
    }

    /// The cached menu of a session whose actor is cached. Every change a menu is computed
    /// from (the registry, layouts, roles, grants) drops it with the actor.
    pub fn menu(&self, session: Uuid) -> Option<Arc<UserMenu>> {
        counted(
            "menu",
            self.with_entry(session, |e| e.menu.clone()).flatten(),
        )
    }

    /// Whether the listener hears changes (nothing is cached otherwise).
    pub fn is_live(&self) -> bool {
        self.live.load(Ordering::Acquire)
    }

    /// Sessions held in memory.
    pub fn len(&self) -> usize {
        self.entries.read().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How long ago the listener last heard its own heartbeat back.
    pub fn heartbeat_age(&self) -> Option<std::time::Duration> {
        let last = *self
            .last_heartbeat
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        last.map(|t| t.elapsed())
    }

    fn with_entry<R>(&self, session: Uuid, f: impl FnOnce(&Entry) -> R) -> Option<R> {
        if !self.live.load(Ordering::Acquire) {
            return None;
        }
        let entries = self.entries.read().unwrap_or_else(|p| p.into_inner());
        entries
            .get(&session)
            .filter(|e| e.valid_until > Utc::now())
            .map(f)
    }

    /// Taken before resolving from the database; `None` while nothing may be cached.
    pub fn ticket(&self) -> Option<Ticket> {
        self.live
            .load(Ordering::Acquire)
            .then(|| Ticket(self.epoch.load(Ordering::Acquire)))
    }

    pub fn store_actor(&self, ticket: Ticket, actor: &Actor, valid_until: DateTime<Utc>) {
        self.store(ticket, |entries| {
            if entries.len() >= MAX_ENTRIES {
                let now = Utc::now();
                entries.retain(|_, e| e.valid_until > now);
                if entries.len() >= MAX_ENTRIES {
                    entries.clear();
                }
            }
            entries.insert(
                actor.session_id,
                Entry {
                    actor: actor.clone(),
                    valid_until: valid_until.min(Utc::now() + MAX_AGE),
                    view: None,
                    menu: None,
                    derived: Vec::new(),
                },
            );
        });
    }

    /// Kept only beside the very actor it was built for: an actor resolved again since (a
    /// role changed) must not get a view built from the old one.
    pub fn store_view(&self, ticket: Ticket, actor: &Actor, view: Arc<SessionView>) {
        self.attach(ticket, actor, |e| e.view = Some(view));
    }

    /// Like `store_view`.
    pub fn store_menu(&self, ticket: Ticket, actor: &Actor, menu: Arc<UserMenu>) {
        self.attach(ticket, actor, |e| e.menu = Some(menu));
    }

    /// The cached `T` of a session whose actor is cached (dropped by the same notifications
    /// as the actor: registry, assignment and grant changes).
    pub fn derived<T: Any + Send + Sync>(&self, session: Uuid) -> Option<Arc<T>> {
        self.with_entry(session, |e| {
            e.derived
                .iter()
                .find_map(|d| Arc::clone(d).downcast::<T>().ok())
        })
        .flatten()
    }

    /// Like `store_view`; replaces the session's earlier `T`.
    pub fn store_derived<T: Any + Send + Sync>(
        &self,
        ticket: Ticket,
        actor: &Actor,
        value: Arc<T>,
    ) {
        self.attach(ticket, actor, |e| {
            e.derived.retain(|d| !d.is::<T>());
            e.derived.push(value);
        });
    }

    /// The menu under `key`, if a session on this node holds it.
    pub fn menu_by_key(&self, key: &str) -> Option<Arc<UserMenu>> {
        let menus = self.menus.lock().unwrap_or_else(|p| p.into_inner());
        menus.get(key).and_then(std::sync::Weak::upgrade)
    }

    /// The copy of the menu under `key` that sessions already share, or this one, from now
    /// on shared: users alike hold one menu in memory, not one each.
    pub fn shared_menu(&self, key: &str, menu: UserMenu) -> Arc<UserMenu> {
        let mut menus = self.menus.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(live) = menus.get(key).and_then(std::sync::Weak::upgrade) {
            return live;
        }
        if menus.len() >= MAX_ENTRIES {
            menus.retain(|_, m| m.strong_count() > 0);
        }
        let menu = Arc::new(menu);
        menus.insert(key.to_string(), Arc::downgrade(&menu));
        menu
    }

    fn attach(&self, ticket: Ticket, actor: &Actor, put: impl FnOnce(&mut Entry)) {
        self.store(ticket, |entries| {
            if let Some(e) = entries.get_mut(&actor.session_id) {
                if e.actor == *actor {
                    put(e);
                }
            }
        });
    }

    /// Under the write lock, so that no message can slip between the check and the store.
    fn store(&self, ticket: Ticket, put: impl FnOnce(&mut HashMap<Uuid, Entry>)) {
        let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
        if self.live.load(Ordering::Acquire) && self.epoch.load(Ordering::Acquire) == ticket.0 {
            put(&mut entries);
        }
    }

    /// Drops what a message names: `user:<id>` that user's sessions, `role:<id>` the
    /// sessions acting through that role, `tenant:<id>` the sessions acting in that tenant
    /// (its menu layout changed), anything else all.
    fn apply(&self, message: &str) {
        if let Some(marker) = message.strip_prefix("sync:") {
            self.marker_seen(marker);
            return;
        }
        let id_after = |prefix: &str| {
            message
                .strip_prefix(prefix)
                .and_then(|id| id.parse::<Uuid>().ok())
        };
        let (user, role, tenant) = (id_after("user:"), id_after("role:"), id_after("tenant:"));
        let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
        self.epoch.fetch_add(1, Ordering::AcqRel);
        let scope = match (user, role, tenant) {
            (Some(user), ..) => {
                entries.retain(|_, e| e.actor.user_id != user);
                "user"
            }
            (_, Some(role), _) => {
                entries.retain(|_, e| e.actor.role_id != role);
                "role"
            }
            (.., Some(tenant)) => {
                entries.retain(|_, e| e.actor.tenant_id != tenant);
                "tenant"
            }
            _ => {
                entries.clear();
                self.menus.lock().unwrap_or_else(|p| p.into_inner()).clear();
                "all"
            }
        };
        crate::server::metrics::cache_invalidation(scope);
    }

    fn forget_all(&self) {
        self.apply("all");
    }

    fn set_live(&self, live: bool) {
        // Emptied on both edges: what was cached before a gap may have changed during it.
        self.forget_all();
        self.live.store(live, Ordering::Release);
        if !live {
            self.forget_all();
            // Waiters of a dead connection give up at once.
            self.markers
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .waiting
                .clear();
        }
    }

    /// This node's marker, by id (`None`: another node's, or not a marker).
    fn own_marker(&self, marker: &str) -> Option<u64> {
        let (node, id) = marker.split_once(':')?;
        if u64::from_str_radix(node, 16).ok() != Some(self.node) {
            return None;
        }
        id.parse::<u64>().ok()
    }

    fn marker_seen(&self, marker: &str) {
        let Some(id) = self.own_marker(marker) else {
            return;
        };
        let waiter = self
            .markers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .waiting
            .remove(&id);
        if let Some(tx) = waiter {
            let _ = tx.send(());
        }
    }

    /// Returns once every change committed before the call has reached this node's listener,
    /// so that the request that made a change and the next one agree. If that cannot be
    /// proved in time, the listener is not hearing: caching stops until it reconnects.
    pub async fn settle(&self, db: &DbPool) {
        if !self.live.load(Ordering::Acquire) {
            return;
        }
        let generation = self.generation.load(Ordering::Acquire);
        let (id, seen) = self.expect_marker();
        // Removes the waiter however this ends (a dropped request included).
        let _waiter = Waiter { cache: self, id };
        let marker = format!("sync:{:x}:{id}", self.node);
        if send(db, &marker).await.is_err() {
            // The pool, not the listener, failed: what we changed may be unheard, so forget.
            self.forget_all();
            return;
        }
        match tokio::time::timeout(SETTLE_WAIT, seen).await {
            Ok(Ok(())) => {}
            // The waiter was dropped: the connection went away, and the listener knows.
            Ok(Err(_)) => {}
            Err(_) => {
                let same = self.generation.load(Ordering::Acquire) == generation;
                if same && self.live.load(Ordering::Acquire) {
                    tracing::warn!("access cache: own change not heard back in time; reconnecting");
                    self.set_live(false);
                    self.reconnect.notify_one();
                }
            }
        }
    }

    fn expect_marker(&self) -> (u64, oneshot::Receiver<()>) {
        let mut markers = self.markers.lock().unwrap_or_else(|p| p.into_inner());
        markers.next += 1;
        let (tx, rx) = oneshot::channel();
        let id = markers.next;
        markers.waiting.insert(id, tx);
        (id, rx)
    }

    /// Starts the listener: connects, LISTENs, applies messages, and reconnects after any
    /// failure (caching nothing in between).
    pub fn listen(self: &Arc<Self>, database_url: String) {
        let cache = Arc::clone(self);
        tokio::spawn(async move {
            loop {
                match crate::server::db::listening_connection(
                    &database_url,
                    LISTENER_NAME,
                    CHANNEL,
                    CONNECT_TIMEOUT,
                )
                .await
                {
                    Ok(mut conn) => {
                        // A reconnect asked for the previous connection is void now.
                        let _ = futures_util::FutureExt::now_or_never(cache.reconnect.notified());
                        cache.generation.fetch_add(1, Ordering::AcqRel);
                        cache.set_live(true);
                        let reason = cache.follow(&mut conn).await;
                        tracing::warn!(%reason, "access cache: listener lost; caching paused");
                    }
                    Err(reason) => {
                        tracing::warn!(%reason, "access cache: cannot listen; caching paused")
                    }
                }
                cache.set_live(false);
                tokio::time::sleep(RECONNECT_DELAY).await;
            }
        });
    }

    /// Applies messages until the connection fails, a heartbeat is not heard back, or a
    /// `settle` gives up; answers why.
    async fn follow(&self, conn: &mut AsyncPgConnection) -> String {
        use diesel_async::RunQueryDsl;
        loop {
            // Prove that this connection hears: send ourselves a marker and wait for it,
            // applying whatever else arrives meanwhile.
            let (id, mut heard) = self.expect_marker();
            let _waiter = Waiter { cache: self, id };
            let beat = format!("sync:{:x}:{id}", self.node);
            let sent = notify(&beat).execute(conn);
            match tokio::time::timeout(HEARTBEAT_WAIT, sent).await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => return e.to_string(),
                Err(_) => return "no answer to a heartbeat".into(),
            }
            let deadline = tokio::time::Instant::now() + HEARTBEAT_WAIT;
            let mut beat_heard = false;
            let next_beat = tokio::time::Instant::now() + HEARTBEAT;
            loop {
                let until = if beat_heard { next_beat } else { deadline };
                let mut messages = pin!(conn.notifications_stream());
                tokio::select! {
                    message = messages.next() => match message {
                        Some(Ok(n)) => self.apply(&n.payload),
                        Some(Err(e)) => return e.to_string(),
                        None => return "connection closed".into(),
                    },
                    heard_back = &mut heard, if !beat_heard => {
                        if heard_back.is_err() {
                            return "heartbeat waiter dropped".into();
                        }
                        beat_heard = true;
                        *self.last_heartbeat.lock().unwrap_or_else(|p| p.into_inner()) =
                            Some(std::time::Instant::now());
                    }
                    _ = self.reconnect.notified() => return "a change was not heard back".into(),
                    _ = tokio::time::sleep_until(until) => {
                        if !beat_heard {
                            return "heartbeat not heard back".into();
                        }
                        break;
                    }
                }
            }
        }
    }
}

/// Counts a lookup as a hit or a miss.
fn counted<T>(kind: &'static str, found: Option<T>) -> Option<T> {
    crate::server::metrics::cache_lookup(kind, found.is_some());
    found
}

/// Forgets a marker's waiter when its wait ends, however it ends.
struct Waiter<'a> {
    cache: &'a AccessCache,
    id: u64,
}

impl Drop for Waiter<'_> {
    fn drop(&mut self) {
        self.cache
            .markers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .waiting
            .remove(&self.id);
    }
}

diesel::define_sql_function! {
    /// PostgreSQL's `pg_notify(channel, payload)`. It returns `void`: only ever executed,
    /// never read.
    fn pg_notify(channel: Text, payload: Text) -> Text;
}

/// `SELECT pg_notify(CHANNEL, message)`, built with the query builder so that it is prepared
/// once per connection (every state-changing request sends one).
fn notify(message: &str) -> impl diesel_async::methods::ExecuteDsl<AsyncPgConnection> + '_ {
    diesel::select(pg_notify(CHANNEL, message))
}

/// NOTIFY on a pooled connection, committed at once. (`RunQueryDsl` is imported in the
/// functions that query: its blanket `load` would shadow the atomics' `load` elsewhere.)
async fn send(db: &DbPool, message: &str) -> Result<(), String> {
    use diesel_async::RunQueryDsl;
    let mut conn = db.get().await.map_err(|e| e.to_string())?;
    notify(message)
        .execute(&mut conn)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::permission::PermissionSet;

    fn actor(user: Uuid) -> Actor {
        Actor {
            user_id: user,
            session_id: Uuid::new_v4(),
            tenant_id: Uuid::new_v4(),
            role: "USER".into(),
            role_id: Uuid::new_v4(),
            permissions: PermissionSet::from_strings(["task:read"]),
            is_super_admin: false,
        }
    }

    fn live() -> AccessCache {
        let cache = AccessCache::default();
        cache.set_live(true);
        cache
    }

    const LATER: chrono::Duration = chrono::Duration::hours(1);

    #[test]
    fn nothing_is_cached_while_the_listener_is_down() {
        let cache = AccessCache::default();
        assert!(cache.ticket().is_none());
        let cache = live();
        let a = actor(Uuid::new_v4());
        cache.store_actor(cache.ticket().unwrap(), &a, Utc::now() + LATER);
        assert!(cache.actor(a.session_id).is_some());
        cache.set_live(false);
        assert!(cache.actor(a.session_id).is_none());
        cache.set_live(true);
        assert!(
            cache.actor(a.session_id).is_none(),
            "emptied across the gap"
        );
    }

    #[test]
    fn user_and_role_messages_drop_only_their_sessions() {
        let cache = live();
        let (a, b) = (actor(Uuid::new_v4()), actor(Uuid::new_v4()));
        for x in [&a, &b] {
            cache.store_actor(cache.ticket().unwrap(), x, Utc::now() + LATER);
        }
        cache.apply(&format!("user:{}", a.user_id));
        assert!(cache.actor(a.session_id).is_none());
        assert!(cache.actor(b.session_id).is_some());
        cache.apply(&format!("role:{}", Uuid::new_v4()));
        assert!(cache.actor(b.session_id).is_some(), "another role's change");
        cache.apply(&format!("role:{}", b.role_id));
        assert!(cache.actor(b.session_id).is_none());
        cache.store_actor(cache.ticket().unwrap(), &b, Utc::now() + LATER);
        cache.apply("all");
        assert!(cache.actor(b.session_id).is_none());
    }

    #[test]
    fn a_tenant_message_drops_that_tenants_sessions_and_their_menus_only() {
        let cache = live();
        let (a, b) = (actor(Uuid::new_v4()), actor(Uuid::new_v4()));
        let menu = |n: &str| UserMenu::for_tests(n);
        for (x, key) in [(&a, "a"), (&b, "b")] {
            cache.store_actor(cache.ticket().unwrap(), x, Utc::now() + LATER);
            let shared = cache.shared_menu(key, menu(key));
            cache.store_menu(cache.ticket().unwrap(), x, shared);
        }
        cache.apply(&format!("tenant:{}", a.tenant_id));
        assert!(cache.actor(a.session_id).is_none() && cache.menu(a.session_id).is_none());
        assert!(
            cache.menu(b.session_id).is_some(),
            "another tenant keeps its menu"
        );
        // Nobody holds a's menu any more; b's is shared with whoever asks by its key.
        assert!(cache.menu_by_key("a").is_none());
        let again = cache.shared_menu("b", menu("b again"));
        assert!(Arc::ptr_eq(&again, &cache.menu(b.session_id).unwrap()));
    }

    #[test]
    fn a_resolution_overtaken_by_a_change_is_not_kept() {
        let cache = live();
        let a = actor(Uuid::new_v4());
        let ticket = cache.ticket().unwrap();
        cache.apply(&format!("user:{}", Uuid::new_v4()));
        cache.store_actor(ticket, &a, Utc::now() + LATER);
        assert!(cache.actor(a.session_id).is_none());
    }

    #[test]
    fn an_ended_session_or_grant_is_not_served() {
        let cache = live();
        let a = actor(Uuid::new_v4());
        cache.store_actor(
            cache.ticket().unwrap(),
            &a,
            Utc::now() - chrono::Duration::seconds(1),
        );
        assert!(cache.actor(a.session_id).is_none());
    }

    #[test]
    fn only_this_nodes_markers_wake_its_waiters() {
        let cache = live();
        let (tx, mut rx) = oneshot::channel();
        cache.markers.lock().unwrap().waiting.insert(7, tx);
        cache.apply(&format!("sync:{:x}:7", cache.node.wrapping_add(1)));
        assert!(rx.try_recv().is_err());
        cache.apply(&format!("sync:{:x}:7", cache.node));
        assert!(rx.try_recv().is_ok());
    }
}
