//! The gateway's call log: one row per call (tenant, user, endpoint, status, latency and
//! bytes; never bodies, headers or keys). Calls are queued and written in batches by one
//! task, so that a call does not wait for an insert; `gateway.call_log_days` bounds how long
//! rows are kept.

use std::{
    sync::{
        atomic::{AtomicU64, Ordering},
        Mutex,
    },
    time::Duration,
};

use tokio::sync::mpsc;

use super::retention::{self, Kept};
use crate::server::{
    db::{
        gateway::{self as db, NewCall},
        scope::{scoped, Scope},
    },
    state::AppState,
};

/// Calls waiting to be written; beyond this a call is not logged (and that is counted).
const QUEUE: usize = 10_000;
const BATCH: usize = 500;
const RETRY: Duration = Duration::from_secs(1);
/// Attempts to write one batch before it is given up (and that is logged).
const ATTEMPTS: u32 = 30;
const PURGE_EVERY: Duration = Duration::from_secs(3600);

pub struct CallLog {
    tx: mpsc::Sender<NewCall>,
    dropped: AtomicU64,
    rx: Mutex<Option<mpsc::Receiver<NewCall>>>,
}

impl Default for CallLog {
    fn default() -> Self {
        let (tx, rx) = mpsc::channel(QUEUE);
        Self {
            tx,
            dropped: AtomicU64::new(0),
            rx: Mutex::new(Some(rx)),
        }
    }
}

impl CallLog {
    /// Queues a call. A full queue (the database has been away for a while) drops the entry
    /// rather than let waiting entries pile up in memory; drops are counted and logged.
    pub fn record(&self, call: NewCall) {
        let why = match self.tx.try_send(call) {
            Ok(()) => return,
            Err(mpsc::error::TrySendError::Full(_)) => "the queue is full",
            // A request that outlived the shutdown's grace period.
            Err(mpsc::error::TrySendError::Closed(_)) => "the node is stopping",
        };
        let n = self.dropped.fetch_add(1, Ordering::Relaxed) + 1;
        if n == 1 || n.is_multiple_of(1000) {
            tracing::warn!(dropped = n, "gateway call log: {why}; calls are not logged");
        }
    }

    /// Starts the writer and the retention job (once per process).
    pub fn start(state: &AppState) {
        let rx = state
            .gateway
            .calls
            .rx
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(rx) = rx {
            state.lifecycle.spawn(write(state.clone(), rx));
            state.lifecycle.spawn(purge(state.clone()));
        }
    }
}

/// Writes queued calls in batches; when the node stops (after its requests ended), writes
/// what is still queued and ends.
async fn write(state: AppState, mut rx: mpsc::Receiver<NewCall>) {
    let mut batch = Vec::with_capacity(BATCH);
    let closing = state.lifecycle.closing();
    tokio::pin!(closing);
    let mut closed = false;
    loop {
        tokio::select! {
            biased;
            n = rx.recv_many(&mut batch, BATCH) => if n == 0 { break },
            _ = &mut closing, if !closed => {
                // What is queued is still received; nothing new is.
                rx.close();
                closed = true;
                continue;
            }
        }
        for attempt in 1..=ATTEMPTS {
            let rows = &batch;
            match scoped(&state.db, Scope::platform(), async |c| {
                Ok(db::insert_calls(c, rows).await?)
            })
            .await
            {
                Ok(_) => break,
                Err(e) if attempt == ATTEMPTS => {
                    tracing::error!(error = %e, calls = batch.len(), "gateway call log: a batch could not be written; dropped");
                }
                Err(_) => tokio::time::sleep(RETRY).await,
            }
        }
        batch.clear();
    }
}

async fn purge(state: AppState) {
    let mut tick = tokio::time::interval(PURGE_EVERY);
    while state.lifecycle.tick(&mut tick).await {
        retention::purge(&state, Kept::Calls, state.settings.gateway.call_log_days).await;
    }
}
