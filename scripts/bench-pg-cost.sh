#!/usr/bin/env bash
# How much PostgreSQL CPU each kind of request costs: runs wrk against one node for each
# kind and reads the CPU time every PostgreSQL process of this machine used meanwhile
# (/proc/<pid>/stat), so the figure is PostgreSQL's own, whatever Inti's build. Prints
# requests per second of one PostgreSQL core for each kind, and the buffer cache hit rate.
# Needs wrk; run it on an otherwise idle machine (other databases' work would count).
#   scripts/bench-pg-cost.sh         (INTI_BIN: default target/release/inti, else debug)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-common.sh
PORT=3304 DB=inti_bench_pg
bench_env "$DB" "$PORT" "bench-pg:"
BIN=${INTI_BIN:-}
[[ -n "$BIN" ]] || { [[ -x target/release/inti ]] && BIN=target/release/inti || BIN=target/debug/inti; }
SECONDS_EACH=${SECONDS_EACH:-10}

psql "postgres://postgres@127.0.0.1:5432/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
"$BIN" migrate >/dev/null
"$BIN" seed-demo >/dev/null
"$BIN" serve >/tmp/bench-pg-cost.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT
wait_ready
TOKEN=$(login admin@taskmanager.com)
BASE="http://127.0.0.1:$PORT"
# A few hundred tasks so that a list page is a real page.
for i in $(seq 1 300); do
  curl -sf -o /dev/null -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
    -d "{\"title\":\"Seeded $i\"}" "$BASE/api/v1/tasks"
done

pg_ticks() {  # user + system clock ticks of every postgres process
  local total=0
  for pid in $(pgrep -x postgres); do
    read -r -a f <"/proc/$pid/stat" 2>/dev/null || continue
    total=$((total + f[13] + f[14]))
  done
  echo "$total"
}
HZ=$(getconf CLK_TCK)
cat >/tmp/bench-pg-post.lua <<'LUA'
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, nil, nil, '{"title":"bench ' .. counter .. '"}')
end
LUA

printf '%-34s %10s %14s %18s\n' kind "req/s" "PG ms/request" "req/s per PG core"
measure() {
  local kind=$1 path=$2 script=${3:-}
  local before after out requests
  before=$(pg_ticks)
  out=$(wrk -t2 -c8 -d"${SECONDS_EACH}s" -H "authorization: Bearer $TOKEN" ${script:+-s $script} "$BASE$path")
  after=$(pg_ticks)
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  python3 - "$kind" "$requests" "$((after - before))" "$HZ" "$SECONDS_EACH" <<'PY'
import sys
kind, requests, ticks, hz, secs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
cpu = ticks / hz
per = cpu / requests * 1000 if requests else float("nan")
per_core = requests / cpu if cpu else float("inf")
print(f"{kind:<34} {requests / secs:10.0f} {per:14.3f} {per_core:18.0f}")
PY
}
measure "GET /api/v1/auth/me (cached)" /api/v1/auth/me
measure "GET /api/v1/menus/user (cached)" /api/v1/menus/user
measure "GET /api/v1/tasks (first page)" "/api/v1/tasks?pageSize=20"
measure "POST /api/v1/tasks" /api/v1/tasks /tmp/bench-pg-post.lua
psql "$INTI_DATABASE_ADMIN_URL" -tAc "SELECT 'buffer cache hit rate: ' || round(100.0 * blks_hit / nullif(blks_hit + blks_read, 0), 2) || ' %' FROM pg_stat_database WHERE datname = current_database()"
