#!/usr/bin/env bash
# Benchmark: GET /api/v1/menus/user on the release build, on seed-load data (1,000
# tenants, 200 services, 100,000 users), beside a bare axum handler in the same run.
# Needs: `cargo leptos build --release` done, wrk (apt-get install wrk).
#   scripts/bench-menus.sh            (SEED=0 reuses the data of an earlier run)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-common.sh
PORT=3301 BARE=3398 DB=inti_bench_menus
bench_env "$DB" "$PORT" "bench-menus:"

cargo build --release --quiet --example bare_axum --no-default-features --features ssr
if [ "${SEED:-1}" != 0 ]; then
  psql "postgres://postgres@127.0.0.1:5432/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
  target/release/inti migrate >/dev/null
  target/release/inti seed-demo >/dev/null
  time target/release/inti seed-load --tenants 1000 --services 200 --users 100000
fi
redis-cli --scan --pattern 'bench-menus:*' | xargs -r redis-cli del >/dev/null
target/release/inti serve >/tmp/inti-bench-menus.log 2>&1 &
SERVER=$!
target/release/examples/bare_axum "$BARE" &
BARE_PID=$!
trap 'kill $SERVER $BARE_PID 2>/dev/null || true' EXIT
wait_ready

# A user of tenant load-1 (users 1..1000 administer their tenants; the rest are users).
TOKEN=$(login load-user-2001@load.example)
# 64 users of 64 tenants, taken in turn: 64 sessions, 64 shared menus.
{
  echo 'local tokens = {'
  for n in $(seq 5001 5064); do echo "\"$(login "load-user-$n@load.example")\","; done
  echo '}'
  echo 'local i = 0'
  echo 'request = function() i = i % #tokens + 1; return wrk.format("GET", nil, {["Authorization"] = "Bearer " .. tokens[i]}) end'
} >/tmp/inti-menus-users.lua
curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/menus/user" |
  python3 -c 'import json,sys; d=json.load(sys.stdin)["data"]; print("menu of load-user-2001:", len(d["menus"]), "top-level items,", len(d["permissions"]), "permissions")'

wrk -t2 -c32 -d2s "http://127.0.0.1:$BARE/" >/dev/null
wrk -t2 -c32 -d2s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/menus/user" >/dev/null
wrk -t2 -c32 -d2s -s /tmp/inti-menus-users.lua "http://127.0.0.1:$PORT/api/v1/menus/user" >/dev/null

echo "== bare axum handler (reference), 32 connections"
wrk -t2 -c32 -d10s --latency "http://127.0.0.1:$BARE/" | grep -E 'Requests/sec|^ +50%|^ +99%'
echo "== GET /api/v1/menus/user, one user, 32 connections"
wrk -t2 -c32 -d10s --latency -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/menus/user" | grep -E 'Requests/sec|^ +50%|^ +99%|Non-2xx'
echo "== GET /api/v1/menus/user, 64 users of 64 tenants in turn, 32 connections"
wrk -t2 -c32 -d10s --latency -s /tmp/inti-menus-users.lua "http://127.0.0.1:$PORT/api/v1/menus/user" | grep -E 'Requests/sec|^ +50%|^ +99%|Non-2xx'
