#!/usr/bin/env bash
# Benchmark: listing 50 tasks of a tenant that holds 100,000 (GET /api/v1/tasks,
# first page, the default order, and a filtered page) on the release build, beside a bare
# axum handler in the same run.
# Needs: the release server built (`cargo leptos build --release`, or `cargo build --release
# --no-default-features --features ssr`), wrk (apt-get install wrk).
#   scripts/bench-tasks.sh            (SEED=0 reuses the data of an earlier run)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-common.sh
PORT=3302 BARE=3399 DB=inti_bench_tasks
bench_env "$DB" "$PORT" "bench-tasks:"

cargo build --release --quiet --example bare_axum --no-default-features --features ssr
if [ "${SEED:-1}" != 0 ]; then
  psql "postgres://postgres@127.0.0.1:5432/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
  target/release/inti migrate >/dev/null
  target/release/inti seed-demo >/dev/null
  # 100,000 tasks in the Task Manager tenant, as its owner would have created them over a
  # year: statuses, priorities, labels and assignees spread out.
  time psql "$INTI_DATABASE_ADMIN_URL" -q <<'SQL'
INSERT INTO tasks (tenant_id, title, description, status, priority, assignee_id, due_date,
                   labels, created_by, created_at, updated_at)
SELECT t.id, 'Task ' || n, 'Generated task number ' || n,
       (ARRAY['TODO','IN_PROGRESS','DONE','CANCELLED'])[1 + n % 4],
       (ARRAY['LOW','MEDIUM','HIGH','URGENT'])[1 + n % 4],
       CASE WHEN n % 3 = 0 THEN u.id END,
       DATE '2026-01-01' + (n % 365),
       CASE WHEN n % 10 = 0 THEN ARRAY['garden'] ELSE '{}' END,
       a.id, now() - make_interval(mins => n), now() - make_interval(mins => n)
  FROM generate_series(1, 100000) AS n,
       (SELECT id FROM tenants WHERE domain = 'taskmanager') AS t,
       (SELECT id FROM users WHERE email = 'user@taskmanager.com') AS u,
       (SELECT id FROM users WHERE email = 'admin@taskmanager.com') AS a;
SQL
  # As autovacuum would leave a table of this age: visibility map set, statistics fresh.
  psql "$INTI_DATABASE_ADMIN_URL" -qc 'VACUUM ANALYZE tasks'
fi
redis-cli --scan --pattern 'bench-tasks:*' | xargs -r redis-cli del >/dev/null
target/release/inti serve >/tmp/inti-bench-tasks.log 2>&1 &
SERVER=$!
target/release/examples/bare_axum "$BARE" &
BARE_PID=$!
trap 'kill $SERVER $BARE_PID 2>/dev/null || true' EXIT
wait_ready

TOKEN=$(login admin@taskmanager.com)
LIST="http://127.0.0.1:$PORT/api/v1/tasks?perPage=50"
FILTERED="http://127.0.0.1:$PORT/api/v1/tasks?perPage=50&status=TODO&sort=-priority"
curl -sf -H "Authorization: Bearer $TOKEN" "$LIST" |
  python3 -c 'import json,sys; d=json.load(sys.stdin)["data"]; print("tasks:", d["total"], "page:", len(d["items"]))'

wrk -t2 -c8 -d2s "http://127.0.0.1:$BARE/" >/dev/null
wrk -t2 -c8 -d2s -H "Authorization: Bearer $TOKEN" "$LIST" >/dev/null

echo "== bare axum handler (reference), 8 connections"
wrk -t2 -c8 -d10s --latency "http://127.0.0.1:$BARE/" | grep -E 'Requests/sec|^ +50%|^ +99%'
echo "== GET /api/v1/tasks?perPage=50 (100,000 tasks), 8 connections"
wrk -t2 -c8 -d10s --latency -H "Authorization: Bearer $TOKEN" "$LIST" | grep -E 'Requests/sec|^ +50%|^ +99%|Non-2xx'
echo "== GET /api/v1/tasks?perPage=50&status=TODO&sort=-priority, 8 connections"
wrk -t2 -c8 -d10s --latency -H "Authorization: Bearer $TOKEN" "$FILTERED" | grep -E 'Requests/sec|^ +50%|^ +99%|Non-2xx'
