//! The `inti` command: `serve` (default), `migrate`, `seed-demo`, `seed-load`,
//! `create-superadmin`, `rotate-secrets`.

use std::{future::IntoFuture, io::BufRead, net::SocketAddr, path::PathBuf, sync::Arc};

use clap::{Parser, Subcommand};

use crate::server::{
    config::{host_label, Mode, Settings, DEFAULT_CONFIG_PATH},
    db, http,
    secret::Secret,
    services::{builtin_services, demo, load, registry, users},
    startup::{self, StartupError},
    telemetry,
};

#[derive(Parser)]
#[command(name = "inti", version, about = "Inti multi-tenant core platform")]
pub struct Cli {
    /// Configuration file (its [package.metadata.leptos] section configures Leptos).
    #[arg(long, env = "INTI_CONFIG", default_value = DEFAULT_CONFIG_PATH, global = true)]
    config: PathBuf,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app and the API (the default). Dev mode seeds an empty database.
    Serve,
    /// Create the database if needed and apply pending migrations.
    Migrate,
    /// Insert the demo tenants and users (idempotent). Password: DEMO_PASSWORD.
    SeedDemo,
    /// Create or reset a super admin. The password is read from INTI_SUPERADMIN_PASSWORD or,
    /// when that is unset, from the first line of standard input; never from an argument.
    CreateSuperadmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Super Admin")]
        name: String,
    },
    /// Fill the database with generated tenants, services, users, grants and layouts for
    /// benchmarks (idempotent). Users' password: INTI_LOAD_PASSWORD, or DEMO_PASSWORD.
    SeedLoad {
        #[arg(long, default_value_t = 1000)]
        tenants: i64,
        #[arg(long, default_value_t = 200)]
        services: i64,
        #[arg(long, default_value_t = 100_000)]
        users: i64,
    },
    /// Re-seal every stored secret (services' API keys) under `secrets.active_key`; then the
    /// old key can be removed from `secrets.keys`.
    RotateSecrets,
    /// Run the demo WhatsApp blast API (an external service reached through the gateway).
    /// Its key and webhook secret: INTI_DEMO_WHATSAPP_KEY and INTI_DEMO_WHATSAPP_WEBHOOK_SECRET,
    /// in dev mode by default the ones `seed-demo` registers.
    DemoWhatsapp {
        #[arg(long, default_value_t = 3200)]
        port: u16,
        /// Where delivery reports are sent.
        #[arg(
            long,
            default_value = "http://127.0.0.1:3000/api/v1/webhooks/whatsapp-gateway"
        )]
        webhook_url: String,
    },
}

pub async fn run() -> Result<(), StartupError> {
    let cli = Cli::parse();
    let settings = Settings::load(&cli.config)?;
    let telemetry = telemetry::init(settings.mode, &settings.observability);
    for variable in &settings.ignored_variables {
        tracing::warn!(%variable, "{variable} names no configuration key and is ignored");
    }
    if settings.mode == Mode::Dev {
        tracing::warn!(
            "DEV MODE: built-in JWT secret allowed, cookies without Secure, demo data with a \
             published password. Never expose this server; unset INTI_MODE for production."
        );
    }
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let served = serve(settings).await;
            telemetry.flush();
            served
        }
        Command::DemoWhatsapp { port, webhook_url } => {
            let (api_key, webhook_secret) = demo_secrets(&settings)?;
            let config = crate::server::demo_whatsapp::DemoConfig {
                api_key,
                webhook_secret,
                webhook_url: Some(webhook_url),
                delivery_delay: std::time::Duration::from_secs(1),
            };
            let addr = SocketAddr::from(([127, 0, 0, 1], port));
            crate::server::demo_whatsapp::serve(addr, config)
                .await
                .map_err(|e| StartupError::Other(format!("cannot serve the demo on {addr}: {e}")))
        }
        Command::Migrate => migrate(&settings).await,
        Command::SeedDemo => {
            let password = settings.demo_password()?;
            let secrets = demo_secrets(&settings)?;
            let state = startup::connect(settings).await?;
            demo::seed(&state, &password, &secrets)
                .await
                .map_err(app_error)?;
            demo::seed_tasks(&state).await.map_err(app_error)?;
            println!("Demo data is in place.");
            Ok(())
        }
        Command::SeedLoad {
            tenants,
            services,
            users,
        } => {
            if settings.mode != Mode::Dev {
                return Err(StartupError::Other(
                    "seed-load fills a database with generated accounts for benchmarks; it runs in dev mode only (INTI_MODE=dev)".into(),
                ));
            }
            if tenants < 1 || services < 0 || users < 0 {
                return Err(StartupError::Other(
                    "--tenants must be at least 1; --services and --users not negative".into(),
                ));
            }
            let password = match std::env::var("INTI_LOAD_PASSWORD") {
                Ok(p) if !p.is_empty() => Secret::new(p),
                _ => settings.demo_password()?,
            };
            let state = startup::connect(settings).await?;
            let size = load::LoadSize {
                tenants,
                services,
                users,
            };
            load::seed(&state, size, &password).await.map_err(app_error)
        }
        Command::CreateSuperadmin { email, name } => {
            let password = superadmin_password()?;
            let state = startup::connect(settings).await?;
            let user = users::create_superadmin(&state, &email, &name, &password)
                .await
                .map_err(app_error)?;
            println!("Super admin {} is ready.", user.email);
            Ok(())
        }
        Command::RotateSecrets => {
            let state = startup::connect(settings).await?;
            let n = registry::rotate_secrets(&state).await.map_err(app_error)?;
            println!(
                "{n} secret(s) re-sealed under key {}.",
                state.keyring.active_id()
            );
            Ok(())
        }
    }
}

async fn migrate(settings: &Settings) -> Result<(), StartupError> {
    let url = settings.database.admin_url.expose();
    db::ensure_database(url, settings.database.connect_timeout).await?;
    db::migrate(url, settings.database.connect_timeout).await?;
    println!("Database {} is migrated.", host_label(url));
    Ok(())
}

async fn serve(settings: Settings) -> Result<(), StartupError> {
    let addr: SocketAddr = settings.leptos.site_addr;
    let mode = settings.mode;
    let demo_password = settings.demo_password().ok();
    let state = startup::connect(settings).await?;
    if mode == Mode::Dev {
        if let Some(password) = &demo_password {
            if demo::is_empty(&state).await.map_err(app_error)? {
                let secrets = demo_secrets(&state.settings)?;
                demo::seed(&state, password, &secrets)
                    .await
                    .map_err(app_error)?;
                demo::seed_tasks(&state).await.map_err(app_error)?;
                tracing::info!("seeded demo data into the empty database");
            }
        }
    }
    // Before the jobs start, so that their first rounds are counted.
    let metrics_listener = match state.settings.observability.metrics_addr {
        Some(addr) => metrics_listener(addr, mode).await?,
        None => None,
    };
    crate::server::gateway::health::start(&state);
    crate::server::mail::start(&state);
    crate::server::services::notifications::start(&state);
    tokio::task::spawn_blocking(crate::server::auth::password::warm_up)
        .await
        .map_err(|e| StartupError::Other(e.to_string()))?;

    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| StartupError::Other(format!("cannot listen on {addr}: {e}")))?;
    if let Some(metrics_listener) = metrics_listener {
        if let Ok(bound) = metrics_listener.local_addr() {
            println!("Metrics at http://{bound}/metrics");
        }
        tokio::spawn(crate::server::metrics::serve(
            state.clone(),
            metrics_listener,
        ));
    }
    println!("Inti is running at http://{addr}");
    if mode == Mode::Dev {
        println!("Demo logins (password: DEMO_PASSWORD, default in dev: see README):");
        for (email, _, tenant, role) in demo::USERS {
            println!("  {email:<24} {role:<13} in {tenant}");
        }
    }
    let app = http::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    // SIGTERM: readiness turns 503 while the node keeps serving for `drain`; then it stops
    // accepting, lets requests in flight finish for up to `grace`, and ends its background
    // jobs between rounds.
    let shutdown = state.settings.shutdown.clone();
    let stopped_accepting = Arc::new(tokio::sync::Notify::new());
    let draining = {
        let (state, stopped_accepting, drain) =
            (state.clone(), stopped_accepting.clone(), shutdown.drain);
        async move {
            shutdown_signal().await;
            state.lifecycle.drain();
            tracing::info!(drain_secs = drain.as_secs(), "stopping: draining");
            tokio::time::sleep(drain).await;
            tracing::info!("stopping: no new connections; finishing requests in flight");
            stopped_accepting.notify_one();
        }
    };
    let server = axum::serve(listener, app).with_graceful_shutdown(draining);
    tokio::select! {
        served = server.into_future() => {
            served.map_err(|e| StartupError::Other(format!("server error: {e}")))?;
        }
        _ = async {
            stopped_accepting.notified().await;
            tokio::time::sleep(shutdown.grace).await;
        } => {
            tracing::warn!(grace_secs = shutdown.grace.as_secs(), "stopping: requests still in flight after the grace period end with the process");
        }
    }
    let abandoned = state.lifecycle.finish_jobs(JOBS_BOUND).await;
    if abandoned > 0 {
        tracing::warn!(
            abandoned,
            "stopping: background jobs still running were abandoned"
        );
    }
    tracing::info!("stopped");
    Ok(())
}

/// The metrics listener. Production stops on an address it cannot bind (the operator asked
/// for it); dev mode, where it is on by default, goes on without it (a second dev server).
async fn metrics_listener(
    addr: SocketAddr,
    mode: Mode,
) -> Result<Option<tokio::net::TcpListener>, StartupError> {
    crate::server::metrics::install();
    match crate::server::metrics::bind(addr).await {
        Ok(listener) => Ok(Some(listener)),
        Err(e) if mode == Mode::Dev => {
            tracing::warn!("{e}; this dev server serves no metrics");
            Ok(None)
        }
        Err(e) => Err(StartupError::Other(e)),
    }
}

/// How long background jobs may take to end their round once the requests have ended (they
/// were told to stop when draining began; an SMTP exchange takes at most 15 s). The whole
/// stop takes at most `shutdown_drain_secs + shutdown_grace_secs + 20` seconds: the systemd
/// unit's and compose's stop timeouts (60 s) leave room for the defaults (5 + 30 + 20).
const JOBS_BOUND: std::time::Duration = std::time::Duration::from_secs(20);

fn superadmin_password() -> Result<Secret, StartupError> {
    if let Ok(p) = std::env::var("INTI_SUPERADMIN_PASSWORD") {
        return Ok(Secret::new(p));
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| StartupError::Other(format!("cannot read the password from stdin: {e}")))?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        return Err(StartupError::Other(
            "no password: set INTI_SUPERADMIN_PASSWORD or pipe it on standard input".into(),
        ));
    }
    Ok(Secret::new(password))
}

/// The demo service's secrets: from the environment, or the published ones in dev mode only.
fn demo_secrets(settings: &Settings) -> Result<(Secret, Secret), StartupError> {
    Ok(settings.demo_whatsapp_secrets(
        builtin_services::DEMO_WHATSAPP_KEY,
        builtin_services::DEMO_WHATSAPP_WEBHOOK_SECRET,
    )?)
}

fn app_error(e: crate::domain::error::AppError) -> StartupError {
    StartupError::Other(e.to_string())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
