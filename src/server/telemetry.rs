//! Structured logs: JSON lines in production, readable lines in dev. `RUST_LOG` filters.
//! With `observability.otlp_endpoint` set, the same spans (each request's, with its id,
//! route, tenant and user) also go to an OpenTelemetry collector over OTLP/HTTP, batched
//! from a thread of their own.

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{SpanExporter, WithExportConfig};
use opentelemetry_sdk::{trace::SdkTracerProvider, Resource};
use tracing_subscriber::{fmt, layer::SubscriberExt, util::SubscriberInitExt, EnvFilter};

use crate::server::config::{Mode, ObservabilitySettings};

/// What `init` set up that needs an orderly end.
#[must_use = "flush it before the process ends, or the last spans are lost"]
pub struct Telemetry {
    traces: Option<SdkTracerProvider>,
}

impl Telemetry {
    /// Sends the spans still waiting in the batch (at shutdown).
    pub fn flush(&self) {
        if let Some(traces) = &self.traces {
            if let Err(e) = traces.shutdown() {
                tracing::warn!(error = %e, "the last traces could not be sent");
            }
        }
    }
}

pub fn init(mode: Mode, observability: &ObservabilitySettings) -> Telemetry {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info,diesel_async=warn"));
    let traces = observability.otlp_endpoint.as_deref().map(exporter);
    let otlp = traces
        .as_ref()
        .map(|provider| tracing_opentelemetry::layer().with_tracer(provider.tracer("inti")));
    let registry = tracing_subscriber::registry().with(filter).with(otlp);
    // try_init: tests and repeated calls must not panic.
    let _ = match mode {
        // Each line carries the request's span (request id, route, tenant, user), and every
        // open span too: a line inside a service function's span still names the request's
        // id, tenant and user.
        Mode::Production => registry
            .with(
                fmt::layer()
                    .with_target(false)
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_list(true),
            )
            .try_init(),
        Mode::Dev => registry
            .with(fmt::layer().with_target(false).compact())
            .try_init(),
    };
    Telemetry { traces }
}

/// Spans to `{endpoint}/v1/traces`, batched. The client is built here and cannot fail on a
/// URL the configuration already checked; a collector that is down costs dropped batches
/// (logged by the exporter), never a request.
fn exporter(endpoint: &str) -> SdkTracerProvider {
    let builder = SdkTracerProvider::builder().with_resource(
        Resource::builder()
            .with_service_name("inti")
            .with_attribute(opentelemetry::KeyValue::new(
                "service.version",
                env!("CARGO_PKG_VERSION"),
            ))
            .build(),
    );
    match SpanExporter::builder()
        .with_http()
        .with_endpoint(format!("{}/v1/traces", endpoint.trim_end_matches('/')))
        .build()
    {
        Ok(exporter) => builder.with_batch_exporter(exporter).build(),
        Err(e) => {
            eprintln!("traces will not be exported to {endpoint}: {e}");
            builder.build()
        }
    }
}
