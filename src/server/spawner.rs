//! Leptos renders a page's resources in tasks of their own (through `any_spawner`). Spawned
//! plainly, those tasks log outside the request that rendered them: no request id, route,
//! tenant or user on their lines, and no parent for their spans in a trace. This executor
//! spawns each task on Tokio inside the span that was current where it was spawned.

use std::sync::Once;

use any_spawner::{CustomExecutor, Executor, PinnedFuture, PinnedLocalFuture};
use tracing::Instrument;

struct InCurrentSpan;

impl CustomExecutor for InCurrentSpan {
    fn spawn(&self, fut: PinnedFuture<()>) {
        tokio::spawn(fut.instrument(tracing::Span::current()));
    }

    fn spawn_local(&self, fut: PinnedLocalFuture<()>) {
        tokio::task::spawn_local(fut.instrument(tracing::Span::current()));
    }

    fn poll_local(&self) {}
}

/// Installs the executor for the process. Runs before anything of Leptos' spawns: Leptos'
/// own set-up then finds an executor in place and keeps it.
pub fn init() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if Executor::init_custom_executor(InCurrentSpan).is_err() {
            tracing::warn!(
                "Leptos' executor was set first: page resources log without the request's span"
            );
        }
    });
}
