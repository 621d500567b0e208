#!/usr/bin/env bash
# Measures the release build beside a bare axum handler, in one run (see docs/benchmarks.md).
# Needs: scripts/setup.sh done, `cargo leptos build --release` done, wrk (apt-get install wrk).
#   scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-common.sh
PORT=3300 BARE=3399 DB=inti_bench
bench_env "$DB" "$PORT" "bench:"

cargo build --release --quiet --example bare_axum --example argon2_rate --no-default-features --features ssr
psql "postgres://postgres@127.0.0.1:5432/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
redis-cli --scan --pattern 'bench:*' | xargs -r redis-cli del >/dev/null
target/release/inti migrate >/dev/null
target/release/inti serve >/tmp/inti-bench.log 2>&1 &
SERVER=$!
target/release/examples/bare_axum "$BARE" &
BARE_PID=$!
trap 'kill $SERVER $BARE_PID 2>/dev/null || true' EXIT
wait_ready

USER_TOKEN=$(login user@taskmanager.com)
ROOT_TOKEN=$(login superadmin@core.com)

# Warm-up (not measured): the pools open their connections, the caches fill.
wrk -t2 -c32 -d2s "http://127.0.0.1:$BARE/" >/dev/null
wrk -t2 -c32 -d2s -H "Authorization: Bearer $USER_TOKEN" "http://127.0.0.1:$PORT/api/v1/auth/me" >/dev/null
wrk -t2 -c32 -d2s -H "Authorization: Bearer $ROOT_TOKEN" "http://127.0.0.1:$PORT/api/v1/auth/me" >/dev/null

echo "== bare axum handler (reference), 32 connections"
wrk -t2 -c32 -d10s --latency "http://127.0.0.1:$BARE/" | grep -E 'Requests/sec|^ +50%|^ +99%'
echo "== GET /api/v1/auth/me as a tenant user, 32 connections"
wrk -t2 -c32 -d10s --latency -H "Authorization: Bearer $USER_TOKEN" "http://127.0.0.1:$PORT/api/v1/auth/me" | grep -E 'Requests/sec|^ +50%|^ +99%|Non-2xx'
echo "== GET /api/v1/auth/me as the super admin, 32 connections"
wrk -t2 -c32 -d10s --latency -H "Authorization: Bearer $ROOT_TOKEN" "http://127.0.0.1:$PORT/api/v1/auth/me" | grep -E 'Requests/sec|^ +50%|^ +99%|Non-2xx'

echo "== 200 concurrent bad logins; meanwhile /healthz and /api/v1/auth/me at 4 connections"
cat >/tmp/inti-bad-login.lua <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  return wrk.format(nil, nil, nil, string.format('{"email":"nobody%d@example.com","password":"wrong-password"}', math.random(1, 1e9)))
end
LUA
wrk -t2 -c200 -d20s -s /tmp/inti-bad-login.lua "http://127.0.0.1:$PORT/api/v1/auth/login" >/tmp/inti-flood.txt &
FLOOD=$!
sleep 3
wrk -t1 -c4 -d10s --latency "http://127.0.0.1:$PORT/healthz" | grep -E 'Requests/sec|^ +50%|^ +99%'
wrk -t1 -c4 -d10s --latency -H "Authorization: Bearer $USER_TOKEN" "http://127.0.0.1:$PORT/api/v1/auth/me" | grep -E 'Requests/sec|^ +50%|^ +99%|Non-2xx'
wait $FLOOD
echo "-- the flood itself (non-2xx: 401 refused, 503 queue full):"
grep -E 'Requests/sec|Non-2xx' /tmp/inti-flood.txt

echo "== good logins (one account), 4 connections, against the machine's argon2id rate"
cat >/tmp/inti-good-login.lua <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"user@taskmanager.com","password":"inti-demo-2026"}'
LUA
wrk -t2 -c4 -d10s -s /tmp/inti-good-login.lua "http://127.0.0.1:$PORT/api/v1/auth/login" | grep -E 'Requests/sec|Non-2xx'
target/release/examples/argon2_rate
