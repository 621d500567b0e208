//! The binary's start-up: bad input ends the process with one clear line, not a panic.
#![cfg(feature = "ssr")]

use std::process::{Command, Output};

fn inti(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_inti"));
    cmd.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    for key in [
        "INTI_DATABASE_URL",
        "INTI_MODE",
        "INTI_AUTH_JWT_SECRET",
        "INTI_CONFIG",
        "INTI_SECRETS_KEYS",
        "INTI_MAIL_SMTP_URL",
        "INTI_MAIL_PUBLIC_URL",
        "INTI_DEMO_WHATSAPP_KEY",
        "INTI_DEMO_WHATSAPP_WEBHOOK_SECRET",
        "DEMO_PASSWORD",
    ] {
        cmd.env_remove(key);
    }
    cmd.envs(env.iter().copied());
    cmd.output().unwrap()
}

fn one_line_error(out: &Output) -> String {
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn unreachable_database_names_the_host_and_hides_the_password() {
    // `migrate` uses the owner's URL, `serve` the application's.
    for (command, variable) in [
        ("migrate", "INTI_DATABASE_ADMIN_URL"),
        ("serve", "INTI_DATABASE_URL"),
    ] {
        let out = inti(
            &[command],
            &[
                (variable, "postgres://inti:s3cret-pw@127.0.0.1:1/inti"),
                ("INTI_DATABASE_CONNECT_TIMEOUT_SECS", "2"),
                ("INTI_MODE", "dev"),
            ],
        );
        let err = one_line_error(&out);
        assert!(err.contains("127.0.0.1:1"), "{command}: {err}");
        assert!(!err.contains("s3cret-pw"), "{command}: {err}");
    }
}

#[test]
fn production_without_a_jwt_secret_refuses_to_start() {
    let out = inti(&["serve"], &[("INTI_MODE", "production")]);
    let err = one_line_error(&out);
    assert!(err.contains("INTI_AUTH_JWT_SECRET"), "{err}");
}

#[test]
fn without_a_mode_the_server_is_in_production_and_needs_a_jwt_secret() {
    // Leptos.toml sets no mode: the server must not fall back to dev secrets.
    let out = inti(&["serve"], &[]);
    let err = one_line_error(&out);
    assert!(err.contains("INTI_AUTH_JWT_SECRET"), "{err}");
}

#[test]
fn malformed_config_file_is_reported() {
    let dir = std::env::temp_dir().join(format!("inti-bad-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("Leptos.toml");
    std::fs::write(&path, "[database\nurl = 1").unwrap();
    let out = inti(&["--config", path.to_str().unwrap(), "migrate"], &[]);
    let err = one_line_error(&out);
    assert!(err.contains("not valid TOML"), "{err}");

    let out = inti(&["--config", "/nonexistent/inti.toml", "serve"], &[]);
    let err = one_line_error(&out);
    assert!(err.contains("cannot read config file"), "{err}");
}

#[test]
fn a_misspelled_configuration_key_stops_start_up_naming_it() {
    let dir = std::env::temp_dir().join(format!("inti-typo-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("Leptos.toml");
    std::fs::write(
        &path,
        "[inti]\nmode = \"dev\"\n[auth]\nlockout_ip_failure = 3\n\
         [package.metadata.leptos]\noutput-name = \"inti\"\nsite-root = \"target/site\"\n",
    )
    .unwrap();
    let out = inti(&["--config", path.to_str().unwrap(), "serve"], &[]);
    let err = one_line_error(&out);
    assert!(
        err.contains("unknown key auth.lockout_ip_failure") && err.contains("Leptos.toml"),
        "{err}"
    );
}

#[test]
fn an_unknown_inti_variable_is_a_warning_naming_it() {
    // Start-up goes on (and fails later here, at the unreachable database).
    let out = inti(
        &["migrate"],
        &[
            ("INTI_MODE", "dev"),
            ("INTI_AUTH_LOCKOUT_IP_FAILURE", "3"),
            (
                "INTI_DATABASE_ADMIN_URL",
                "postgres://inti@127.0.0.1:1/inti",
            ),
            ("INTI_DATABASE_CONNECT_TIMEOUT_SECS", "2"),
        ],
    );
    let err = one_line_error(&out);
    assert!(err.contains("127.0.0.1:1"), "{err}");
    let log = String::from_utf8_lossy(&out.stdout);
    assert!(
        log.contains("INTI_AUTH_LOCKOUT_IP_FAILURE names no configuration key"),
        "{log}"
    );
}

#[test]
fn create_superadmin_never_takes_the_password_as_an_argument() {
    let out = inti(
        &["create-superadmin", "--email", "a@b.io", "--password", "x"],
        &[],
    );
    assert!(!out.status.success());
}

/// Everything production needs but the given variables.
const PRODUCTION: &[(&str, &str)] = &[
    ("INTI_MODE", "production"),
    (
        "INTI_AUTH_JWT_SECRET",
        "a-production-jwt-secret-of-32-chars-or-more",
    ),
    (
        "INTI_SECRETS_KEYS",
        "k1:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=",
    ),
    ("INTI_MAIL_SMTP_URL", "smtp://127.0.0.1:2525"),
    ("INTI_MAIL_PUBLIC_URL", "https://inti.example"),
    ("DEMO_PASSWORD", "a-demo-password-for-production"),
];

fn production_without(missing: &[&str]) -> Vec<(&'static str, &'static str)> {
    PRODUCTION
        .iter()
        .copied()
        .filter(|(k, _)| !missing.contains(k))
        .collect()
}

#[test]
fn production_seeds_no_published_demo_secret() {
    // Checked before any database is reached: the line names what is missing.
    let out = inti(&["seed-demo"], &production_without(&[]));
    let err = one_line_error(&out);
    assert!(err.contains("INTI_DEMO_WHATSAPP_KEY"), "{err}");
    let mut env = production_without(&[]);
    env.push(("INTI_DEMO_WHATSAPP_KEY", "a-real-key"));
    let err = one_line_error(&inti(&["seed-demo"], &env));
    assert!(err.contains("INTI_DEMO_WHATSAPP_WEBHOOK_SECRET"), "{err}");
}

#[test]
fn production_without_smtp_refuses_to_start() {
    let out = inti(&["serve"], &production_without(&["INTI_MAIL_SMTP_URL"]));
    let err = one_line_error(&out);
    assert!(err.contains("INTI_MAIL_SMTP_URL"), "{err}");
    let out = inti(&["serve"], &production_without(&["INTI_MAIL_PUBLIC_URL"]));
    let err = one_line_error(&out);
    assert!(err.contains("INTI_MAIL_PUBLIC_URL"), "{err}");
}
