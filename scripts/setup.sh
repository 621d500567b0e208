#!/usr/bin/env bash
# Installs and starts everything Inti's build, server and tests need, skipping what is
# already in place. Usage: scripts/setup.sh [--e2e | --build]
#   --e2e    also Chromium, Playwright, nginx and the test SMTP server (what `make test` needs)
#   --build  only what `make release` needs, no services (deploy/Dockerfile's build stage)
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.7
PG_HOST=127.0.0.1 PG_PORT=5432 REDIS_PORT=6379
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
WITH_E2E=0 BUILD_ONLY=0
[[ "${1:-}" == "--e2e" ]] && WITH_E2E=1
[[ "${1:-}" == "--build" ]] && BUILD_ONLY=1

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
as_root() { if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null || { echo "setup: $* is missing and apt-get is unavailable; install it by hand" >&2; exit 1; }
  if [[ $APT_UPDATED -eq 0 ]]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# --- Rust toolchain pieces ---------------------------------------------------------------
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 12 minutes on 2 cores)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi
# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # No --locked: one of its locked dependencies is missing from the registry.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# The Diesel schema is generated from the migrations, and CI checks it (scripts/schema.sh).
if [[ $BUILD_ONLY -eq 0 ]]; then
DIESEL_CLI_VERSION=$(awk '/^name = "diesel"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock | cut -d. -f1,2)
if ! diesel --version 2>/dev/null | grep -q "Version: $DIESEL_CLI_VERSION\."; then
  say "installing diesel_cli $DIESEL_CLI_VERSION (PostgreSQL only; about 3 minutes)"
  command -v pg_config >/dev/null || apt_install libpq-dev
  cargo install diesel_cli --version "~$DIESEL_CLI_VERSION" --no-default-features --features postgres --locked
fi
fi

# The split build's manifest and chunk loader are rewritten by a Python script
# (scripts/split-manifest.py), which recompresses the loader with Brotli as `-P` does.
command -v python3 >/dev/null || { say "installing Python 3"; apt_install python3; }
if ! python3 -c 'import brotli' 2>/dev/null; then
  say "installing Brotli for Python"
  python3 -m pip install --quiet brotli 2>/dev/null || apt_install python3-brotli
fi

# --- Node packages: Tailwind and wasm-opt at the root, Playwright in end2end ---------------
command -v npm >/dev/null || { say "installing Node.js"; apt_install nodejs npm; }
if [[ ! -x node_modules/.bin/tailwindcss || ! -x node_modules/.bin/wasm-opt ]]; then
  say "installing npm build tools (tailwindcss, binaryen)"
  npm ci --no-audit --no-fund
fi
if [[ $BUILD_ONLY -eq 1 ]]; then
  say "build tools are ready"
  exit 0
fi
if [[ $WITH_E2E -eq 1 ]]; then
  # The deployment files are checked with the real tools (scripts/check-deploy.sh).
  command -v nginx >/dev/null || { say "installing nginx (to check deploy/nginx)"; apt_install nginx; }
  python3 -c 'import yaml' 2>/dev/null || { say "installing PyYAML"; python3 -m pip install --quiet pyyaml 2>/dev/null || apt_install python3-yaml; }
  command -v openssl >/dev/null || apt_install openssl
  # The Redis-facing tests also run on a local Redis Cluster (scripts/redis-cluster.sh).
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null || {
    say "installing Redis (to run a local cluster)"; apt_install redis-server; }
  if [[ ! -d end2end/node_modules/@playwright/test || ! -d end2end/node_modules/@axe-core/playwright ]]; then
    say "installing Playwright (test runner only; the browser is Debian's Chromium)"
    (cd end2end && npm ci --no-audit --no-fund)
  fi
  if [[ ! -x /usr/bin/chromium ]]; then
    say "installing Chromium from Debian"
    apt_install chromium
  fi
fi

# --- PostgreSQL --------------------------------------------------------------------------
pg_up() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; }
if ! pg_up; then
  if ! command -v pg_ctlcluster >/dev/null; then
    say "installing PostgreSQL"
    apt_install postgresql postgresql-client
    # Local development trusts loopback connections, as the configured URL expects.
    for hba in /etc/postgresql/*/main/pg_hba.conf; do
      grep -q "inti-dev-trust" "$hba" || as_root sed -i '1i host all all 127.0.0.1/32 trust # inti-dev-trust\nhost all all ::1/128 trust # inti-dev-trust' "$hba"
    done
  fi
  say "starting PostgreSQL"
  for version in $(ls /etc/postgresql); do
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  done
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  pg_up || { echo "setup: PostgreSQL did not start on $PG_HOST:$PG_PORT" >&2; exit 1; }
fi

# --- Redis -------------------------------------------------------------------------------
redis_up() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }
if ! redis_up; then
  command -v redis-server >/dev/null || { say "installing Redis"; apt_install redis-server; }
  say "starting Redis"
  mkdir -p /tmp/inti-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /tmp/inti-redis --logfile /tmp/inti-redis/redis.log
  for _ in $(seq 1 20); do redis_up && break; sleep 0.5; done
  redis_up || { echo "setup: Redis did not start on 127.0.0.1:$REDIS_PORT" >&2; exit 1; }
fi
# --- A real SMTP server for the tests (mail catcher, writes a maildir) -------------------
# aiosmtpd from PyPI (Debian's python3-aiosmtpd when pip cannot install it). Tests send to
# 127.0.0.1:2525 and read /tmp/inti-mail; `make run` needs none (dev mode shows /dev/mailbox).
SMTP_PORT=2525 MAILDIR=/tmp/inti-mail
if [[ $WITH_E2E -eq 1 ]]; then
  smtp_up() { (exec 3<>/dev/tcp/127.0.0.1/$SMTP_PORT) 2>/dev/null; }
  if ! smtp_up; then
    PY=python3
    if ! $PY -c 'import aiosmtpd' 2>/dev/null; then
      say "installing aiosmtpd (SMTP server for the mail tests)"
      $PY -m pip install --quiet aiosmtpd 2>/dev/null || { apt_install python3-aiosmtpd; PY=/usr/bin/python3; }
    fi
    say "starting the test SMTP server on 127.0.0.1:$SMTP_PORT"
    mkdir -p "$MAILDIR"/new "$MAILDIR"/cur "$MAILDIR"/tmp
    setsid nohup $PY -m aiosmtpd -n -l 127.0.0.1:$SMTP_PORT -c aiosmtpd.handlers.Mailbox "$MAILDIR" \
      >/tmp/inti-smtp.log 2>&1 < /dev/null &
    for _ in $(seq 1 50); do smtp_up && break; sleep 0.2; done
    smtp_up || { echo "setup: the test SMTP server did not start (see /tmp/inti-smtp.log)" >&2; exit 1; }
  fi
fi
say "toolchain and services are ready"
