//! Structured logs: JSON lines in production, readable lines in dev. `RUST_LOG` filters.

use tracing_subscriber::{fmt, EnvFilter};

use crate::server::config::Mode;

pub fn init(mode: Mode) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info,diesel_async=warn"));
    let builder = fmt().with_env_filter(filter).with_target(false);
    // try_init: tests and repeated calls must not panic.
    let _ = match mode {
        // Each line carries the request's span (request id, route, tenant, user).
        Mode::Production => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            // Every open span too: a line inside a service function's span still names
            // the request's id, tenant and user.
            .with_span_list(true)
            .try_init(),
        Mode::Dev => builder.compact().try_init(),
    };
}
