//! The configuration as written: the Inti sections of `Leptos.toml` and the `INTI_*`
//! environment variables, read into structs that refuse keys they do not know. `Settings`
//! then checks the values and fills in defaults.
//!
//! `section.key` is overridden by `INTI_SECTION_KEY`; the `[inti]` section's own keys drop the
//! repeated prefix (`inti.mode` is `INTI_MODE`). Keys contain `_`, so the section is the
//! part of the name before the first `_` when it names a section, and `inti` otherwise.

use std::fmt;

use figment::{
    error::Kind,
    providers::{Format, Toml},
    util::nest,
    value::{Dict, Map, Value},
    Figment, Metadata, Profile, Provider,
};
use serde::{de, Deserialize, Deserializer};

use super::ConfigError;

/// The sections besides `[inti]`.
const SECTIONS: &[&str] = &[
    "database",
    "redis",
    "http",
    "auth",
    "secrets",
    "gateway",
    "mail",
    "observability",
];

/// `INTI_*` variables that are not configuration keys: read by single commands, scripts and
/// tests. Anything else that names no key is ignored with a warning.
const OTHER_VARIABLES: &[&str] = &[
    "INTI_CONFIG",
    "INTI_DEMO_WHATSAPP_KEY",
    "INTI_DEMO_WHATSAPP_WEBHOOK_SECRET",
    "INTI_SUPERADMIN_PASSWORD",
    "INTI_LOAD_PASSWORD",
    "INTI_BIN",
];
const TEST_VARIABLES: [&str; 2] = ["INTI_TEST_", "INTI_E2E_"];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawConfig {
    pub inti: RawInti,
    pub database: RawDatabase,
    pub redis: RawRedis,
    pub http: RawHttp,
    pub auth: RawAuth,
    pub secrets: RawSecrets,
    pub gateway: RawGateway,
    pub mail: RawMail,
    pub observability: RawObservability,
    /// `[package.metadata.leptos]`, read by Leptos itself.
    #[serde(rename = "package")]
    _package: Option<de::IgnoredAny>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawObservability {
    pub metrics_addr: Option<Text>,
    pub otlp_endpoint: Option<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawInti {
    pub mode: Option<Text>,
    pub trusted_proxies: Option<Text>,
    pub shutdown_drain_secs: Option<u64>,
    pub shutdown_grace_secs: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawDatabase {
    pub url: Option<Text>,
    pub admin_url: Option<Text>,
    pub pool_size: Option<usize>,
    pub connect_timeout_secs: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawHttp {
    pub cors_origins: Option<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawRedis {
    pub url: Option<Text>,
    pub cluster_urls: Option<Text>,
    pub pool_size: Option<usize>,
    pub key_prefix: Option<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawAuth {
    pub jwt_secret: Option<Text>,
    pub issuer: Option<Text>,
    pub audience: Option<Text>,
    pub access_token_ttl_secs: Option<u64>,
    pub refresh_token_ttl_secs: Option<u64>,
    pub session_ttl_secs: Option<u64>,
    pub refresh_reuse_grace_secs: Option<u64>,
    pub secure_cookies: Option<bool>,
    pub lockout_account_failures: Option<u32>,
    pub lockout_ip_failures: Option<u32>,
    pub lockout_first_wait_secs: Option<u64>,
    pub lockout_max_wait_secs: Option<u64>,
    pub lockout_reset_secs: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawSecrets {
    pub keys: Option<Text>,
    pub active_key: Option<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawGateway {
    pub allowed_private_hosts: Option<Text>,
    pub max_response_bytes: Option<usize>,
    pub call_log_days: Option<u32>,
    pub health_interval_secs: Option<u64>,
    pub health_timeout_secs: Option<u64>,
    pub healthy_after: Option<u32>,
    pub unhealthy_after: Option<u32>,
    pub health_history_days: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawMail {
    pub smtp_url: Option<Text>,
    pub from: Option<Text>,
    pub public_url: Option<Text>,
    pub poll_secs: Option<u64>,
}

/// A text value. A number or boolean is taken as written: `INTI_REDIS_KEY_PREFIX=2026` is the
/// text `2026`. Never printed by `Debug`, since some texts are secrets.
#[derive(Clone, Default)]
pub struct Text(pub String);

impl Text {
    /// The value, or `None` when it is empty or only spaces (an unset variable).
    pub fn given(this: Option<Text>) -> Option<String> {
        this.map(|t| t.0).filter(|s| !s.trim().is_empty())
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Text(..)")
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// One `INTI_*` variable as a configuration key.
#[derive(Debug, Clone)]
struct EnvVar {
    name: String,
    key: String,
    value: String,
}

impl EnvVar {
    fn of(name: &str, value: String) -> Option<Self> {
        let rest = name.strip_prefix("INTI_")?.to_ascii_lowercase();
        if OTHER_VARIABLES.contains(&name)
            || TEST_VARIABLES.iter().any(|p| name.starts_with(p))
            || rest.is_empty()
        {
            return None;
        }
        let key = match rest.split_once('_') {
            Some((section, key)) if SECTIONS.contains(&section) => format!("{section}.{key}"),
            _ => format!("inti.{rest}"),
        };
        Some(Self {
            name: name.to_string(),
            key,
            value,
        })
    }

    /// Digits that read back the same are a number, `true` and `false` a boolean, the rest
    /// text. Nothing else is inferred, so a secret is never turned into something else.
    fn typed(&self) -> Value {
        let v = &self.value;
        match v.as_str() {
            "true" => Value::from(true),
            "false" => Value::from(false),
            _ => match v.parse::<u64>() {
                Ok(n) if n.to_string() == *v => Value::from(n),
                _ => Value::from(v.clone()),
            },
        }
    }
}

impl Provider for EnvVar {
    fn metadata(&self) -> Metadata {
        Metadata::named(format!("environment variable {}", self.name))
    }

    fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
        let dict = nest(&self.key, self.typed())
            .into_dict()
            .expect("a dotted key nests into a dictionary");
        Ok(Profile::Default.collect(dict))
    }
}

/// What was read, and the `INTI_*` variables that name no key (to be warned about).
#[derive(Debug)]
pub struct Loaded {
    pub raw: RawConfig,
    pub ignored_variables: Vec<String>,
}

/// Reads the file's text (already known to be valid TOML, named `label` in errors) and the
/// environment. A key the file misspells stops here with one line naming it.
pub fn load(
    label: &str,
    text: &str,
    env: impl Iterator<Item = (String, String)>,
) -> Result<Loaded, ConfigError> {
    let mut vars: Vec<EnvVar> = env.filter_map(|(k, v)| EnvVar::of(&k, v)).collect();
    vars.sort_by(|a, b| a.name.cmp(&b.name));
    let mut ignored_variables = Vec::new();
    loop {
        let figment = vars
            .iter()
            .fold(Figment::from(Toml::string(text)), |f, var| {
                f.merge(var.clone())
            });
        let error = match figment.extract::<RawConfig>() {
            Ok(raw) => {
                return Ok(Loaded {
                    raw,
                    ignored_variables,
                })
            }
            Err(e) => e,
        };
        let error = error
            .into_iter()
            .next()
            .expect("an error has a first error");
        if let Kind::UnknownField(..) = &error.kind {
            // The path ends with the unknown key itself.
            let key = error.path.join(".");
            // A variable naming no key is a warning; the file's own typo is an error.
            if let Some(at) = vars.iter().position(|v| v.key == key) {
                ignored_variables.push(vars.remove(at).name);
                continue;
            }
        }
        return Err(ConfigError(describe(label, &error)));
    }
}

/// One line: where the value came from, which key, what is wrong.
fn describe(label: &str, error: &figment::Error) -> String {
    let source = match &error.metadata {
        Some(m) if m.name.starts_with("environment variable") => m.name.to_string(),
        _ => label.to_string(),
    };
    let key = error.path.join(".");
    match (&error.kind, error.path.split_last()) {
        (Kind::UnknownField(field, known), None | Some((_, []))) => format!(
            "{source}: unknown section [{field}] (the sections are {})",
            known.join(", ")
        ),
        (Kind::UnknownField(_, known), Some((_, section))) => format!(
            "{source}: unknown key {key} (the [{}] section knows {})",
            section.join("."),
            known.join(", ")
        ),
        (kind, None) => format!("{source}: {kind}"),
        (kind, Some(_)) => format!("{source}: {key}: {kind}"),
    }
    .replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> impl Iterator<Item = (String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn variables_name_their_section_and_key() {
        let env = vars(&[
            ("INTI_MODE", "dev"),
            ("INTI_AUTH_LOCKOUT_IP_FAILURES", "7"),
            ("INTI_GATEWAY_ALLOWED_PRIVATE_HOSTS", "a:1,b:2"),
            ("INTI_REDIS_KEY_PREFIX", "0042"),
            ("INTI_DATABASE_POOL_SIZE", "9"),
            ("INTI_OBSERVABILITY_METRICS_ADDR", "127.0.0.1:9999"),
            ("INTI_SHUTDOWN_DRAIN_SECS", "3"),
            ("INTI_CONFIG", "x.toml"),
            ("PATH", "/bin"),
        ]);
        let loaded = load("t.toml", "[database]\npool_size = 4\n", env).unwrap();
        let raw = loaded.raw;
        assert_eq!(raw.inti.mode.unwrap().0, "dev");
        assert_eq!(raw.auth.lockout_ip_failures, Some(7));
        assert_eq!(raw.gateway.allowed_private_hosts.unwrap().0, "a:1,b:2");
        // Digits are kept as written where the key is text.
        assert_eq!(raw.redis.key_prefix.unwrap().0, "0042");
        // The environment wins over the file.
        assert_eq!(raw.database.pool_size, Some(9));
        assert_eq!(raw.observability.metrics_addr.unwrap().0, "127.0.0.1:9999");
        assert_eq!(raw.inti.shutdown_drain_secs, Some(3));
        assert!(loaded.ignored_variables.is_empty());
    }

    #[test]
    fn a_misspelled_file_key_is_one_line_naming_it() {
        let err = load("Leptos.toml", "[auth]\nlockout_ip_failure = 3\n", vars(&[]))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("Leptos.toml: unknown key auth.lockout_ip_failure"),
            "{err}"
        );
        assert!(
            err.contains("lockout_ip_failures"),
            "lists the known keys: {err}"
        );
        assert!(!err.contains('\n'));
        let err = load("L", "[databse]\nurl = \"x\"\n", vars(&[]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown section [databse]"), "{err}");
    }

    #[test]
    fn an_unknown_variable_is_ignored_and_named() {
        let env = vars(&[
            ("INTI_AUTH_LOCKOUT_IP_FAILURE", "3"),
            ("INTI_NOPE", "1"),
            ("INTI_TEST_SMTP_URL", "smtp://x"),
            ("INTI_AUTH_ISSUER", "me"),
        ]);
        let loaded = load("L", "", env).unwrap();
        assert_eq!(
            loaded.ignored_variables,
            ["INTI_AUTH_LOCKOUT_IP_FAILURE", "INTI_NOPE"]
        );
        assert_eq!(loaded.raw.auth.issuer.unwrap().0, "me");
    }

    #[test]
    fn a_bad_value_names_where_it_came_from() {
        let err = load("L", "[database]\npool_size = \"many\"\n", vars(&[]))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("L: database.pool_size:"), "{err}");
        let err = load("L", "", vars(&[("INTI_DATABASE_POOL_SIZE", "many")]))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("environment variable INTI_DATABASE_POOL_SIZE: database.pool_size:"),
            "{err}"
        );
    }
}
