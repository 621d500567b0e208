# Sourced by the benchmark scripts: the environment of a release server on a database of
# its own, and signing in. Usage: bench_env <database> <port> <redis key prefix>
bench_env() {
  command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
  export PATH="$HOME/.cargo/bin:$PATH"
  export INTI_DATABASE_ADMIN_URL="postgres://postgres@127.0.0.1:5432/$1"
  export INTI_DATABASE_URL="postgres://inti_app@127.0.0.1:5432/$1"
  export INTI_DATABASE_POOL_SIZE=32
  export LEPTOS_SITE_ADDR="127.0.0.1:$2"
  export INTI_MODE=dev INTI_REDIS_KEY_PREFIX="$3" RUST_LOG=warn
  # As production runs by default: no metrics listener, no metrics layer on each request.
  export INTI_OBSERVABILITY_METRICS_ADDR=
  # Floods come from one address and many accounts: measure the server, not the
  # brute-force lock (which would answer 429 first).
  export INTI_AUTH_LOCKOUT_IP_FAILURES=1000000000
  unset DEMO_PASSWORD
  BENCH_PORT=$2
}

# An access token of a demo or generated user (the dev demo password).
login() {
  curl -sf -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"inti-demo-2026\"}" "http://127.0.0.1:$BENCH_PORT/api/v1/auth/login" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["tokens"]["accessToken"])'
}

# Waits until the server answers.
wait_ready() {
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$BENCH_PORT/healthz" >/dev/null && return; sleep 0.5; done
  echo "bench: the server did not start" >&2; exit 1
}
