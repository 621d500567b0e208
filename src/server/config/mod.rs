//! Runtime configuration. `Leptos.toml` is the one configuration file: Leptos reads its
//! `[package.metadata.leptos]` section, Inti reads its own sections (`source`). Every Inti
//! key `section.key` is overridden by the environment variable `INTI_SECTION_KEY`
//! (`database.url` by `INTI_DATABASE_URL`; `inti.mode` by `INTI_MODE`); Leptos keys by
//! `LEPTOS_*`. A key the file misspells stops start-up; an unknown `INTI_*` variable is a
//! warning. This module checks the values and fills in the defaults.

use std::{fmt, path::Path, str::FromStr, time::Duration};

use leptos::config::LeptosOptions;

use crate::server::{outbound::AllowedHosts, secret::Secret};

mod source;

use self::source::{Loaded, RawAuth, RawGateway, RawMail, RawSecrets, Text};

pub const DEFAULT_CONFIG_PATH: &str = "Leptos.toml";
/// Used only in dev mode when `auth.jwt_secret` is unset; production refuses to start without one.
const DEV_JWT_SECRET: &str = "inti-dev-only-jwt-secret-never-use-in-production";
/// The demo users' password in dev mode when `DEMO_PASSWORD` is unset (written in the README).
pub const DEV_DEMO_PASSWORD: &str = "inti-demo-2026";
const MIN_SECRET_LEN: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Dev,
    Production,
}

impl FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "dev" => Ok(Self::Dev),
            "production" => Ok(Self::Production),
            other => Err(format!(
                "expected \"dev\" or \"production\", got \"{other}\""
            )),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub mode: Mode,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`inti.trusted_proxies`,
    /// comma-separated addresses). Empty: the peer is the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub shutdown: ShutdownSettings,
    pub database: DatabaseSettings,
    pub redis: RedisSettings,
    pub http: HttpSettings,
    pub auth: AuthSettings,
    pub secrets: SecretsSettings,
    pub gateway: GatewaySettings,
    pub mail: MailSettings,
    pub observability: ObservabilitySettings,
    pub leptos: LeptosOptions,
    /// `INTI_*` variables that name no key: ignored, and warned about at start-up.
    pub ignored_variables: Vec<String>,
}

/// What the HTTP server allows beyond its own pages.
#[derive(Debug, Clone, Default)]
pub struct HttpSettings {
    /// Origins of separate front ends allowed to call `/api/v1` from a browser
    /// (`http.cors_origins`, comma-separated `https://app.example.com`), as browsers send
    /// them in `Origin`. Empty: none.
    pub cors_origins: Vec<String>,
}

/// Outgoing mail (invitations, password resets, address changes).
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `mail.smtp_url`: `smtp://host:port` (plain, for a relay on the host or network),
    /// `smtp://...?tls=required` (STARTTLS) or `smtps://user:pass@host` (TLS), as lettre
    /// reads them. `None` only in dev mode: mail then goes to `/dev/mailbox`.
    pub smtp_url: Option<Secret>,
    /// `mail.from`: the sender, `Name <address>` or an address.
    pub from: String,
    /// `mail.public_url`: the base URL put in links, without a trailing slash.
    pub public_url: String,
    /// How often the outbox is looked at for due mail (`mail.poll_secs`).
    pub poll_interval: Duration,
}

/// Keys that seal secrets at rest (`secrets.keys` = `id:base64,...`, 32-byte keys;
/// `secrets.active_key` = the id that seals; the first listed by default).
#[derive(Clone)]
pub struct SecretsSettings {
    pub keys: Vec<(String, [u8; 32])>,
    pub active_key: String,
}

impl fmt::Debug for SecretsSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|(id, _)| id.as_str()).collect();
        write!(
            f,
            "SecretsSettings {{ keys: {ids:?} [redacted], active_key: {:?} }}",
            self.active_key
        )
    }
}

#[derive(Debug, Clone)]
pub struct GatewaySettings {
    /// Hosts that outbound URLs may name although they are internal addresses
    /// (`gateway.allowed_private_hosts`, comma-separated); dev mode lists what the demo needs.
    pub allowed_private_hosts: AllowedHosts,
    /// The largest answer an external service may send through the gateway
    /// (`gateway.max_response_bytes`); a larger one answers 502.
    pub max_response_bytes: usize,
    /// How long the call log keeps a call (`gateway.call_log_days`).
    pub call_log_days: u32,
    /// How often each service's health URL is probed (`gateway.health_interval_secs`), and
    /// how long a probe may take (`gateway.health_timeout_secs`).
    pub health_interval: Duration,
    pub health_timeout: Duration,
    /// Consecutive results that change a service's health (Kong's `healthy.successes` and
    /// `unhealthy.http_failures`/`timeouts`): `gateway.healthy_after`, `gateway.unhealthy_after`.
    pub healthy_after: u32,
    pub unhealthy_after: u32,
    /// How long each probe is kept for the history and availability
    /// (`gateway.health_history_days`).
    pub health_history_days: u32,
}

#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    /// The server's connection, as the `inti_app` role that row-level security applies to.
    /// May carry a password, hence a secret; log `host_label()` instead.
    pub url: Secret,
    /// The owner's connection, used only by `migrate` (creates the database, runs migrations).
    pub admin_url: Secret,
    pub pool_size: usize,
    pub connect_timeout: Duration,
}

#[derive(Debug, Clone)]
pub struct RedisSettings {
    pub url: Secret,
    /// Seed nodes of a Redis Cluster (`redis.cluster_urls`, comma-separated); when any is
    /// given, Inti uses the cluster and not `url`.
    pub cluster_urls: Vec<Secret>,
    pub pool_size: usize,
    /// Prepended to every key Inti writes (sessions, throttling), so that several
    /// deployments (or parallel tests) can share one Redis.
    pub key_prefix: String,
}

#[derive(Debug, Clone)]
pub struct AuthSettings {
    pub jwt_secret: Secret,
    pub issuer: String,
    pub audience: String,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    /// Absolute lifetime of a session (browser) or refresh-token family (API).
    pub session_ttl: Duration,
    /// A spent refresh token presented again within this time answers the same new pair
    /// (two tabs, a retry) instead of revoking its family.
    pub refresh_reuse_grace: Duration,
    /// Sets the `Secure` flag and the `__Host-` prefix on the session cookie.
    pub secure_cookies: bool,
    /// Demo password (`DEMO_PASSWORD`), read by `seed-demo`.
    pub demo_password: Option<Secret>,
    pub lockout: LockoutSettings,
}

/// Metrics and traces for operators.
#[derive(Debug, Clone)]
pub struct ObservabilitySettings {
    /// Where Prometheus scrapes `/metrics` (`observability.metrics_addr`): off unless set in
    /// production, `127.0.0.1:9464` in dev; an empty value turns it off.
    pub metrics_addr: Option<std::net::SocketAddr>,
    /// An OpenTelemetry collector's OTLP/HTTP base URL (`observability.otlp_endpoint`,
    /// `http://collector:4318`): spans go to its `/v1/traces`. Off when unset or empty.
    pub otlp_endpoint: Option<String>,
}

/// What a node does on SIGTERM (see `server::lifecycle`).
#[derive(Debug, Clone)]
pub struct ShutdownSettings {
    /// How long it keeps serving with readiness at 503, so that balancers move away first
    /// (`inti.shutdown_drain_secs`; 5 in production, 0 in dev).
    pub drain: Duration,
    /// How long requests in flight may still run once it stops accepting
    /// (`inti.shutdown_grace_secs`, 30).
    pub grace: Duration,
}

/// Brute-force protection (see `auth::throttle`): after the free failures, each failure locks
/// the account or IP for a wait that doubles from `first_wait` up to `max_wait`.
#[derive(Debug, Clone)]
pub struct LockoutSettings {
    pub account_failures: u32,
    pub ip_failures: u32,
    pub first_wait: Duration,
    pub max_wait: Duration,
    /// A failure count is forgotten after this long without failures.
    pub reset_after: Duration,
}

impl DatabaseSettings {
    pub fn host_label(&self) -> String {
        host_label(self.url.expose())
    }
}

impl RedisSettings {
    pub fn host_label(&self) -> String {
        if self.cluster_urls.is_empty() {
            return host_label(self.url.expose());
        }
        let nodes: Vec<String> = self
            .cluster_urls
            .iter()
            .map(|u| host_label(u.expose()))
            .collect();
        format!("cluster {}", nodes.join(","))
    }
}

/// `host:port/db` of a connection URL, without user or password, for error messages and logs.
pub fn host_label(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    rest.split('?').next().unwrap_or(rest).to_string()
}

#[derive(Debug)]
pub struct ConfigError(String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// A whole number of seconds, greater than 0.
fn secs(key: &str, value: Option<u64>, default: u64) -> Result<Duration, ConfigError> {
    match value.unwrap_or(default) {
        0 => Err(ConfigError(format!("{key} must be greater than 0"))),
        secs => Ok(Duration::from_secs(secs)),
    }
}

/// A count or size, greater than 0.
fn positive<T: Default + PartialEq>(
    key: &str,
    value: Option<T>,
    default: T,
) -> Result<T, ConfigError> {
    match value.unwrap_or(default) {
        v if v == T::default() => Err(ConfigError(format!("{key} must be greater than 0"))),
        v => Ok(v),
    }
}

/// A comma-separated list, trimmed, without empty entries.
/// Origins as browsers write them (`scheme://host[:port]`, no path, the default port left
/// out): anything else could never match an `Origin` header, so it is refused at start-up.
fn cors_origins(text: Option<Text>) -> Result<Vec<String>, ConfigError> {
    list(Text::given(text))
        .into_iter()
        .map(|s| {
            let origin = url::Url::parse(&s).ok().filter(|u| {
                matches!(u.scheme(), "http" | "https")
                    && u.host().is_some()
                    && u.username().is_empty()
                    && u.path() == "/"
                    && u.query().is_none()
                    && u.fragment().is_none()
                    && !s.ends_with('/')
            });
            origin
                .map(|u| u.origin().ascii_serialization())
                .filter(|o| *o == s.to_ascii_lowercase())
                .ok_or_else(|| {
                    ConfigError(format!(
                        "http.cors_origins: \"{s}\" is not an origin (https://app.example.com, no path or trailing slash)"
                    ))
                })
        })
        .collect()
}

/// A cluster's seed nodes: `redis://` URLs on database 0 (a cluster has no other; this build
/// has no TLS client for Redis). An entry is named by its position, never by its text: it
/// may hold a password.
fn cluster_urls(text: Option<Text>) -> Result<Vec<Secret>, ConfigError> {
    list(Text::given(text))
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let url = url::Url::parse(&s).ok().filter(|u| {
                u.scheme() == "redis" && u.host().is_some() && matches!(u.path(), "" | "/" | "/0")
            });
            match url {
                Some(_) => Ok(Secret::new(s)),
                None => Err(ConfigError(format!(
                    "redis.cluster_urls: entry {} is not a redis:// URL of a cluster node on database 0 (redis://:PASSWORD@10.0.0.1:7001)",
                    i + 1
                ))),
            }
        })
        .collect()
}

fn list(text: Option<String>) -> Vec<String> {
    text.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Every `INTI_*` variable the process has (names and values that are valid Unicode).
fn environment() -> impl Iterator<Item = (String, String)> {
    std::env::vars_os().filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
}

impl Settings {
    /// Loads the file at `path` (it must exist) and applies environment overrides.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let label = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError(format!("cannot read config file {label}: {e}")))?;
        Self::from_toml(&label, &text)
    }

    /// Reads `text` (named `label` in errors) with the process's `INTI_*` variables.
    pub fn from_toml(label: &str, text: &str) -> Result<Self, ConfigError> {
        Self::read(label, text, environment())
    }

    fn read(
        label: &str,
        text: &str,
        env: impl Iterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        if let Err(e) = text.parse::<toml::Table>() {
            let line = e
                .span()
                .map_or(0, |span| text[..span.start].lines().count().max(1));
            let message = e.message().replace('\n', " ");
            return Err(ConfigError(format!(
                "{label} is not valid TOML (line {line}): {message}"
            )));
        }
        let leptos = leptos::config::get_config_from_str(text)
            .map_err(|e| ConfigError(format!("{label} [package.metadata.leptos]: {e}")))?;
        let Loaded {
            raw,
            ignored_variables,
        } = source::load(label, text, env)?;
        // Production unless dev mode is chosen explicitly: a forgotten setting must never mean
        // built-in secrets, insecure cookies and a seeded demo admin.
        let mode = match Text::given(raw.inti.mode) {
            Some(m) => m
                .parse()
                .map_err(|e| ConfigError(format!("inti.mode (INTI_MODE): {e}")))?,
            None => Mode::Production,
        };
        let db = raw.database;
        let database = DatabaseSettings {
            url: Secret::new(
                db.url
                    .map_or("postgres://inti_app@127.0.0.1:5432/inti".into(), |t| t.0),
            ),
            admin_url: Secret::new(
                db.admin_url
                    .map_or("postgres://postgres@127.0.0.1:5432/inti".into(), |t| t.0),
            ),
            pool_size: positive("database.pool_size", db.pool_size, 16)?,
            connect_timeout: secs("database.connect_timeout_secs", db.connect_timeout_secs, 5)?,
        };
        let redis = RedisSettings {
            url: Secret::new(
                raw.redis
                    .url
                    .map_or("redis://127.0.0.1:6379/0".into(), |t| t.0),
            ),
            cluster_urls: cluster_urls(raw.redis.cluster_urls)?,
            pool_size: positive("redis.pool_size", raw.redis.pool_size, 16)?,
            key_prefix: raw.redis.key_prefix.map_or("inti:".into(), |t| t.0),
        };
        let http = HttpSettings {
            cors_origins: cors_origins(raw.http.cors_origins)?,
        };
        let auth = auth_settings(raw.auth, mode)?;
        let secrets = secrets_settings(raw.secrets, mode)?;
        let gateway = gateway_settings(raw.gateway, mode)?;
        let trusted_proxies = list(Text::given(raw.inti.trusted_proxies))
            .into_iter()
            .map(|s| {
                s.parse().map_err(|_| {
                    ConfigError(format!(
                        "inti.trusted_proxies: \"{s}\" is not an IP address"
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mail = mail_settings(raw.mail, mode, &leptos)?;
        let shutdown = ShutdownSettings {
            drain: Duration::from_secs(raw.inti.shutdown_drain_secs.unwrap_or(match mode {
                Mode::Production => 5,
                Mode::Dev => 0,
            })),
            grace: secs("inti.shutdown_grace_secs", raw.inti.shutdown_grace_secs, 30)?,
        };
        let metrics_addr = match raw.observability.metrics_addr.map(|t| t.0) {
            None if mode == Mode::Dev => Some("127.0.0.1:9464".parse().expect("an address")),
            None => None,
            Some(s) if s.trim().is_empty() => None,
            Some(s) => Some(s.trim().parse().map_err(|_| {
                ConfigError(format!(
                    "observability.metrics_addr: \"{s}\" is not an address with a port (127.0.0.1:9464)"
                ))
            })?),
        };
        let otlp_endpoint = match raw.observability.otlp_endpoint.map(|t| t.0) {
            Some(s) if !s.trim().is_empty() => {
                let s = s.trim();
                let http = url::Url::parse(s)
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
                if http.is_none() {
                    return Err(ConfigError(format!(
                        "observability.otlp_endpoint: \"{s}\" is not an http(s) URL (http://collector:4318)"
                    )));
                }
                Some(s.to_string())
            }
            _ => None,
        };
        let observability = ObservabilitySettings {
            metrics_addr,
            otlp_endpoint,
        };
        Ok(Self {
            mode,
            trusted_proxies,
            shutdown,
            observability,
            database,
            redis,
            http,
            auth,
            secrets,
            gateway,
            mail,
            leptos,
            ignored_variables,
        })
    }

    /// The demo WhatsApp service's API key and webhook secret (`INTI_DEMO_WHATSAPP_KEY`,
    /// `INTI_DEMO_WHATSAPP_WEBHOOK_SECRET`), shared by `seed-demo` and `demo-whatsapp`. Dev
    /// mode falls back to the published demo values; elsewhere they must be set, so that no
    /// production registry ever holds a secret printed in the source.
    pub fn demo_whatsapp_secrets(
        &self,
        published_key: &str,
        published_secret: &str,
    ) -> Result<(Secret, Secret), ConfigError> {
        let read = |var: &str, published: &str| {
            match std::env::var(var) {
            Ok(v) if !v.is_empty() => Ok(Secret::new(v)),
            _ if self.mode == Mode::Dev => Ok(Secret::new(published)),
            _ => Err(ConfigError(format!(
                "{var} must be set outside dev mode (the demo service's published secrets are for dev only)"
            ))),
        }
        };
        Ok((
            read("INTI_DEMO_WHATSAPP_KEY", published_key)?,
            read("INTI_DEMO_WHATSAPP_WEBHOOK_SECRET", published_secret)?,
        ))
    }

    /// The demo users' password: `DEMO_PASSWORD`, or the README's default in dev mode only.
    pub fn demo_password(&self) -> Result<Secret, ConfigError> {
        match (&self.auth.demo_password, self.mode) {
            (Some(p), _) => Ok(p.clone()),
            (None, Mode::Dev) => Ok(Secret::new(DEV_DEMO_PASSWORD)),
            (None, Mode::Production) => Err(ConfigError(
                "DEMO_PASSWORD must be set to seed demo data in production mode".into(),
            )),
        }
    }
}

fn auth_settings(raw: RawAuth, mode: Mode) -> Result<AuthSettings, ConfigError> {
    let jwt_secret = match (mode, Text::given(raw.jwt_secret)) {
        (_, Some(s)) if s.len() >= MIN_SECRET_LEN => Secret::new(s),
        (_, Some(_)) => {
            return Err(ConfigError(format!(
            "auth.jwt_secret (INTI_AUTH_JWT_SECRET) must be at least {MIN_SECRET_LEN} characters"
        )))
        }
        (Mode::Dev, None) => Secret::new(DEV_JWT_SECRET),
        (Mode::Production, None) => {
            return Err(ConfigError(
                "auth.jwt_secret is required in production mode: set INTI_AUTH_JWT_SECRET".into(),
            ))
        }
    };
    let access_token_ttl = secs("auth.access_token_ttl_secs", raw.access_token_ttl_secs, 900)?;
    if access_token_ttl > Duration::from_secs(900) {
        return Err(ConfigError(
            "auth.access_token_ttl_secs must be at most 900 (15 minutes)".into(),
        ));
    }
    Ok(AuthSettings {
        jwt_secret,
        issuer: raw.issuer.map_or("inti".into(), |t| t.0),
        audience: raw.audience.map_or("inti-api".into(), |t| t.0),
        access_token_ttl,
        refresh_token_ttl: secs(
            "auth.refresh_token_ttl_secs",
            raw.refresh_token_ttl_secs,
            14 * 86_400,
        )?,
        session_ttl: secs("auth.session_ttl_secs", raw.session_ttl_secs, 30 * 86_400)?,
        refresh_reuse_grace: secs(
            "auth.refresh_reuse_grace_secs",
            raw.refresh_reuse_grace_secs,
            10,
        )?,
        secure_cookies: raw.secure_cookies.unwrap_or(mode == Mode::Production),
        demo_password: std::env::var("DEMO_PASSWORD")
            .ok()
            .filter(|p| !p.is_empty())
            .map(Secret::new),
        lockout: LockoutSettings {
            account_failures: raw.lockout_account_failures.unwrap_or(5),
            ip_failures: raw.lockout_ip_failures.unwrap_or(20),
            first_wait: secs(
                "auth.lockout_first_wait_secs",
                raw.lockout_first_wait_secs,
                30,
            )?,
            max_wait: secs("auth.lockout_max_wait_secs", raw.lockout_max_wait_secs, 900)?,
            reset_after: secs("auth.lockout_reset_secs", raw.lockout_reset_secs, 12 * 3600)?,
        },
    })
}

fn gateway_settings(raw: RawGateway, mode: Mode) -> Result<GatewaySettings, ConfigError> {
    // Given, even empty, the list is what the operator wrote.
    let allowed_private_hosts = match (raw.allowed_private_hosts.map(|t| t.0), mode) {
        (Some(hosts), _) => list(Some(hosts)),
        // The demo's external service (`inti demo-whatsapp`), nothing else on this host.
        (None, Mode::Dev) => list(Some("127.0.0.1:3200,localhost:3200".into())),
        (None, Mode::Production) => Vec::new(),
    };
    Ok(GatewaySettings {
        allowed_private_hosts: AllowedHosts::parse(&allowed_private_hosts),
        max_response_bytes: positive(
            "gateway.max_response_bytes",
            raw.max_response_bytes,
            1024 * 1024,
        )?,
        call_log_days: positive("gateway.call_log_days", raw.call_log_days, 30)?,
        health_interval: secs("gateway.health_interval_secs", raw.health_interval_secs, 15)?,
        health_timeout: secs("gateway.health_timeout_secs", raw.health_timeout_secs, 5)?,
        healthy_after: positive("gateway.healthy_after", raw.healthy_after, 2)?,
        unhealthy_after: positive("gateway.unhealthy_after", raw.unhealthy_after, 3)?,
        health_history_days: positive("gateway.health_history_days", raw.health_history_days, 7)?,
    })
}

fn mail_settings(
    raw: RawMail,
    mode: Mode,
    leptos: &LeptosOptions,
) -> Result<MailSettings, ConfigError> {
    let smtp_url = Text::given(raw.smtp_url);
    if let Some(url) = &smtp_url {
        if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
            return Err(ConfigError(format!(
                "mail.smtp_url must start with smtp:// or smtps:// (got {})",
                host_label(url)
            )));
        }
    }
    if smtp_url.is_none() && mode == Mode::Production {
        return Err(ConfigError(
            "mail.smtp_url is required in production mode: invitations and password resets are sent by e-mail; set INTI_MAIL_SMTP_URL (smtp://host:port or smtps://user:password@host)".into(),
        ));
    }
    let public_url = match (Text::given(raw.public_url), mode) {
        (Some(u), _) => u.trim().trim_end_matches('/').to_string(),
        (None, Mode::Dev) => format!("http://{}", leptos.site_addr),
        (None, Mode::Production) => {
            return Err(ConfigError(
                "mail.public_url is required in production mode: the https:// address people open Inti at, put in the links of invitations and password resets (INTI_MAIL_PUBLIC_URL)".into(),
            ))
        }
    };
    match url::Url::parse(&public_url) {
        // Links carry one-time tokens: never over plain HTTP in production.
        Ok(u) if mode == Mode::Production && u.scheme() != "https" => {
            return Err(ConfigError(format!(
                "mail.public_url must be an https:// URL in production mode, got \"{public_url}\""
            )))
        }
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {}
        _ => {
            return Err(ConfigError(format!(
                "mail.public_url must be an http(s) URL, got \"{public_url}\""
            )))
        }
    }
    let from = raw.from.map_or("Inti <no-reply@localhost>".into(), |t| t.0);
    if from.parse::<lettre::message::Mailbox>().is_err() {
        return Err(ConfigError(format!(
            "mail.from must be an address or Name <address>, got \"{from}\""
        )));
    }
    Ok(MailSettings {
        smtp_url: smtp_url.map(Secret::new),
        from,
        public_url,
        poll_interval: secs("mail.poll_secs", raw.poll_secs, 2)?,
    })
}

/// A fixed key for dev mode only (like the dev JWT secret): production refuses to start
/// without `secrets.keys`.
const DEV_SECRETS_KEYS: &str = "dev:ZGV2LW9ubHktc2VjcmV0cy1rZXktMzItYnl0ZXMhISE=";

fn secrets_settings(raw: RawSecrets, mode: Mode) -> Result<SecretsSettings, ConfigError> {
    use base64::Engine;
    let listed = match (Text::given(raw.keys), mode) {
        (Some(r), _) => r,
        (None, Mode::Dev) => DEV_SECRETS_KEYS.to_string(),
        (None, Mode::Production) => {
            return Err(ConfigError(
                "secrets.keys is required in production mode: set INTI_SECRETS_KEYS to id:base64 of 32 random bytes (openssl rand -base64 32)".into(),
            ))
        }
    };
    let mut keys = Vec::new();
    for entry in list(Some(listed)) {
        let bad = |why: &str| {
            ConfigError(format!(
                "secrets.keys: {why} (each entry is id:base64 of 32 bytes)"
            ))
        };
        let (id, b64) = entry
            .split_once(':')
            .ok_or_else(|| bad("an entry has no id"))?;
        let id = id.trim();
        if id.is_empty()
            || id.len() > 32
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(bad(&format!(
                "key id \"{id}\" must be 1 to 32 letters, digits, - or _"
            )));
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .map_err(|_| bad(&format!("key {id} is not base64")))?;
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|_| bad(&format!("key {id} is not 32 bytes long")))?;
        if keys.iter().any(|(k, _)| k == id) {
            return Err(bad(&format!("key id {id} is listed twice")));
        }
        keys.push((id.to_string(), key));
    }
    let first = keys
        .first()
        .map(|(id, _)| id.clone())
        .ok_or_else(|| ConfigError("secrets.keys lists no key".into()))?;
    let active_key = raw.active_key.map_or(first, |t| t.0);
    if !keys.iter().any(|(id, _)| *id == active_key) {
        return Err(ConfigError(format!(
            "secrets.active_key \"{active_key}\" is not listed in secrets.keys"
        )));
    }
    Ok(SecretsSettings { keys, active_key })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEPTOS: &str = "[package.metadata.leptos]\noutput-name = \"inti\"\n";

    #[test]
    fn reads_sections_and_defaults() {
        let text = format!(
            "[inti]\nmode = \"dev\"\n[database]\npool_size = 4\n[auth]\nissuer = \"x\"\n{LEPTOS}"
        );
        let s = Settings::from_toml("test.toml", &text).unwrap();
        assert_eq!(s.mode, Mode::Dev);
        assert_eq!(s.database.pool_size, 4);
        assert_eq!(s.auth.issuer, "x");
        assert_eq!(s.auth.access_token_ttl, Duration::from_secs(900));
        assert!(!s.auth.secure_cookies);
        assert_eq!(&*s.leptos.output_name, "inti");
    }

    #[test]
    fn production_is_the_default_mode() {
        let secret = "x".repeat(MIN_SECRET_LEN);
        let key = "k1:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
        let mail = "[mail]\nsmtp_url = \"smtp://mail.example:25\"\npublic_url = \"https://inti.example/\"\n";
        let text = format!(
            "[auth]\njwt_secret = \"{secret}\"\n[secrets]\nkeys = \"{key}\"\n{mail}{LEPTOS}"
        );
        let s = Settings::from_toml("t", &text).unwrap();
        assert_eq!(s.mode, Mode::Production);
        assert_eq!(s.mail.public_url, "https://inti.example");
        // Without an SMTP server, production refuses to start with one line naming it.
        let text =
            format!("[auth]\njwt_secret = \"{secret}\"\n[secrets]\nkeys = \"{key}\"\n{LEPTOS}");
        let err = Settings::from_toml("t", &text).unwrap_err().to_string();
        assert!(
            err.contains("INTI_MAIL_SMTP_URL") && !err.contains('\n'),
            "{err}"
        );
        assert_eq!(s.secrets.active_key, "k1");
        assert!(
            s.gateway.allowed_private_hosts.is_empty(),
            "no exceptions in production"
        );
        // Without secret keys, production refuses to start.
        let text = format!("[auth]\njwt_secret = \"{secret}\"\n{LEPTOS}");
        let err = Settings::from_toml("t", &text).unwrap_err().to_string();
        assert!(err.contains("INTI_SECRETS_KEYS"), "{err}");
        assert!(s.auth.secure_cookies);
        assert!(s.demo_password().is_err());
        // Without a secret, the default mode refuses to start instead of using the dev one.
        let err = Settings::from_toml("t", LEPTOS).unwrap_err().to_string();
        assert!(err.contains("INTI_AUTH_JWT_SECRET"), "{err}");
    }

    #[test]
    fn secret_keys_are_checked_and_never_printed() {
        let base = "[inti]\nmode = \"dev\"\n[secrets]\n";
        for (keys, expect) in [
            ("keys = \"nokey\"", "no id"),
            ("keys = \"a:!!!\"", "not base64"),
            ("keys = \"a:AQID\"", "not 32 bytes"),
            (
                "keys = \"a:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\"\nactive_key = \"b\"",
                "not listed",
            ),
        ] {
            let text = format!("{base}{keys}\n{LEPTOS}");
            let err = Settings::from_toml("t", &text).unwrap_err().to_string();
            assert!(err.contains(expect), "{keys}: {err}");
        }
        let text = format!("{base}keys = \"old:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=, new:AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=\"\nactive_key = \"new\"\n{LEPTOS}");
        let s = Settings::from_toml("t", &text).unwrap();
        assert_eq!(s.secrets.keys.len(), 2);
        assert_eq!(s.secrets.active_key, "new");
        assert!(!format!("{s:?}").contains("AgIC"), "keys never printed");
    }

    #[test]
    fn production_requires_a_jwt_secret() {
        let text = format!("[inti]\nmode = \"production\"\n{LEPTOS}");
        let err = Settings::from_toml("t", &text).unwrap_err().to_string();
        assert!(err.contains("INTI_AUTH_JWT_SECRET"), "{err}");
    }

    #[test]
    fn rejects_long_access_tokens_and_bad_types() {
        let text = format!("[auth]\naccess_token_ttl_secs = 3600\n{LEPTOS}");
        assert!(Settings::from_toml("t", &text).is_err());
        let text = format!("[database]\npool_size = \"many\"\n{LEPTOS}");
        let err = Settings::from_toml("t", &text).unwrap_err().to_string();
        assert!(err.contains("database.pool_size"), "{err}");
        let err = Settings::from_toml("t", "[inti\n").unwrap_err().to_string();
        assert!(err.contains("not valid TOML"), "{err}");
    }

    #[test]
    fn host_label_hides_credentials() {
        assert_eq!(
            host_label("postgres://u:secret@db.example:5432/inti?sslmode=require"),
            "db.example:5432/inti"
        );
        assert_eq!(host_label("redis://127.0.0.1:6379/0"), "127.0.0.1:6379/0");
    }

    /// cargo-leptos reads the build keys from Cargo.toml, the server reads Leptos.toml:
    /// the keys both define must agree.
    #[test]
    fn leptos_toml_and_cargo_toml_agree() {
        let root = env!("CARGO_MANIFEST_DIR");
        let runtime: toml::Table = std::fs::read_to_string(format!("{root}/Leptos.toml"))
            .unwrap()
            .parse()
            .unwrap();
        let cargo: toml::Table = std::fs::read_to_string(format!("{root}/Cargo.toml"))
            .unwrap()
            .parse()
            .unwrap();
        let section = |t: &toml::Table| {
            t["package"]["metadata"]["leptos"]
                .as_table()
                .cloned()
                .unwrap()
        };
        let (runtime, build) = (section(&runtime), section(&cargo));
        let mut shared = 0;
        for (key, value) in &runtime {
            if let Some(build_value) = build.get(key) {
                assert_eq!(
                    value, build_value,
                    "Leptos.toml and Cargo.toml disagree on {key}"
                );
                shared += 1;
            }
        }
        assert!(
            shared >= 4,
            "expected the build and runtime sections to share keys"
        );
    }

    #[test]
    fn a_metrics_address_without_a_port_is_one_line_naming_the_key() {
        let text = format!(
            "[inti]\nmode = \"dev\"\n[observability]\nmetrics_addr = \"localhost\"\n{LEPTOS}"
        );
        let err = Settings::from_toml("t", &text).unwrap_err().to_string();
        assert!(
            err.contains("observability.metrics_addr") && !err.contains('\n'),
            "{err}"
        );
        // Empty turns metrics off, even in dev where they are on by default.
        let text =
            format!("[inti]\nmode = \"dev\"\n[observability]\nmetrics_addr = \"\"\n{LEPTOS}");
        assert!(Settings::from_toml("t", &text)
            .unwrap()
            .observability
            .metrics_addr
            .is_none());
        let text = format!("[inti]\nmode = \"dev\"\n{LEPTOS}");
        assert!(Settings::from_toml("t", &text)
            .unwrap()
            .observability
            .metrics_addr
            .is_some());
    }

    #[test]
    fn an_otlp_endpoint_must_be_an_http_url_and_empty_is_off() {
        let with = |value: &str| {
            let text = format!(
                "[inti]\nmode = \"dev\"\n[observability]\notlp_endpoint = \"{value}\"\n{LEPTOS}"
            );
            Settings::from_toml("t", &text).map(|s| s.observability.otlp_endpoint)
        };
        for bad in ["collector:4318", "ftp://collector", "not a url"] {
            let err = with(bad).unwrap_err().to_string();
            assert!(
                err.contains("observability.otlp_endpoint") && !err.contains('\n'),
                "{bad}: {err}"
            );
        }
        assert_eq!(with("").unwrap(), None);
        assert_eq!(
            with(" http://collector:4318 ").unwrap().as_deref(),
            Some("http://collector:4318")
        );
        let text = format!("[inti]\nmode = \"dev\"\n{LEPTOS}");
        assert!(Settings::from_toml("t", &text)
            .unwrap()
            .observability
            .otlp_endpoint
            .is_none());
    }

    #[test]
    fn cluster_urls_must_be_redis_urls_on_database_0_and_never_echo_a_password() {
        let with = |value: &str| {
            let text =
                format!("[inti]\nmode = \"dev\"\n[redis]\ncluster_urls = \"{value}\"\n{LEPTOS}");
            Settings::from_toml("t", &text).map(|s| s.redis)
        };
        for bad in [
            "127.0.0.1:7001",
            "http://127.0.0.1:7001",
            "redis://:hunter2@127.0.0.1:7001/3",
            "rediss://127.0.0.1:7001",
            "redis://:hun,ter2@127.0.0.1:7001",
        ] {
            let err = with(bad).unwrap_err().to_string();
            assert!(
                err.contains("redis.cluster_urls")
                    && !err.contains("hunter2")
                    && !err.contains("hun"),
                "{bad}: {err}"
            );
        }
        let redis = with("redis://127.0.0.1:7001, redis://:pw@127.0.0.1:7002/0").unwrap();
        assert_eq!(redis.cluster_urls.len(), 2);
        assert_eq!(
            redis.host_label(),
            "cluster 127.0.0.1:7001,127.0.0.1:7002/0"
        );
        assert!(with("").unwrap().cluster_urls.is_empty());
    }

    #[test]
    fn cors_origins_must_be_origins_as_browsers_send_them() {
        let with = |value: &str| {
            let text =
                format!("[inti]\nmode = \"dev\"\n[http]\ncors_origins = \"{value}\"\n{LEPTOS}");
            Settings::from_toml("t", &text).map(|s| s.http.cors_origins)
        };
        for bad in [
            "*",
            "app.example.com",
            "https://app.example.com/",
            "https://app.example.com/path",
            "https://user@app.example.com",
            "ftp://app.example.com",
            "https://app.example.com:443",
        ] {
            let err = with(bad).unwrap_err().to_string();
            assert!(err.contains("http.cors_origins"), "{bad}: {err}");
        }
        assert_eq!(
            with("https://app.example.com, http://localhost:5173").unwrap(),
            ["https://app.example.com", "http://localhost:5173"]
        );
        assert!(with("").unwrap().is_empty());
    }

    /// The deployment files (deploy/inti.toml with deploy/inti.env.example, its REQUIRED
    /// blanks filled as the template says) configure a production node, and the template
    /// names only variables Inti reads.
    #[test]
    fn the_deployment_files_configure_a_production_node() {
        let root = env!("CARGO_MANIFEST_DIR");
        let toml = std::fs::read_to_string(format!("{root}/deploy/inti.toml")).unwrap();
        let template = std::fs::read_to_string(format!("{root}/deploy/inti.env.example")).unwrap();
        // The secrets the template leaves blank, filled as its comments say; other blanks
        // (optional lists) stay empty.
        let filled = |name: &str| match name {
            "INTI_AUTH_JWT_SECRET" => "s".repeat(MIN_SECRET_LEN + 16),
            "INTI_SECRETS_KEYS" => "k1:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=".into(),
            "INTI_MAIL_SMTP_URL" => "smtp://mail.example:587?tls=required".into(),
            _ => String::new(),
        };
        let vars: Vec<(String, String)> = template
            .lines()
            .filter(|l| !l.starts_with('#') && l.contains('='))
            .map(|l| {
                let (name, value) = l.split_once('=').unwrap();
                let value = if value.is_empty() {
                    filled(name)
                } else {
                    value.into()
                };
                (name.to_string(), value)
            })
            .collect();
        assert!(vars.iter().any(|(n, _)| n == "INTI_DATABASE_URL"));
        let s = Settings::read("deploy/inti.toml", &toml, vars.into_iter()).unwrap();
        assert_eq!(s.mode, Mode::Production);
        assert!(s.auth.secure_cookies);
        assert!(s.mail.smtp_url.is_some());
        assert!(s.observability.metrics_addr.is_some());
        assert!(
            s.ignored_variables.is_empty(),
            "the template names variables Inti ignores: {:?}",
            s.ignored_variables
        );
    }
}
