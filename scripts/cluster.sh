#!/usr/bin/env bash
# Several Inti nodes behind nginx on one machine, on one PostgreSQL and one Redis, as in
# production: deploy/nginx/inti.conf (TLS, HTTP/2) in front of the nodes of
# deploy/nginx/upstream.conf (127.0.0.1:3000 and :3010), with the demo WhatsApp service
# behind the gateway.
#
#   scripts/cluster.sh start     fresh database `inti_cluster`, two nodes, nginx on :8443
#   scripts/cluster.sh stop      stops what start started
#   scripts/cluster.sh soak      start, then scripts/soak.py (mixed traffic for a few
#                                minutes while a node, PostgreSQL and Redis restart), stop
#
# INTI_BIN: the binary (default target/release/inti, else target/debug/inti).
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=${CLUSTER_DIR:-/tmp/inti-cluster}
DB=inti_cluster
NODES=(3000 3010)
HTTPS_PORT=8443
DEMO_PORT=3200
BIN=${INTI_BIN:-}
if [[ -z "$BIN" ]]; then
  if [[ -x target/release/inti ]]; then BIN=target/release/inti; else BIN=target/debug/inti; fi
fi
fail() { echo "cluster: $*" >&2; exit 1; }

node_env() {
  export INTI_MODE=dev RUST_LOG=warn
  export INTI_DATABASE_URL="postgres://inti_app@127.0.0.1:5432/$DB"
  export INTI_DATABASE_ADMIN_URL="postgres://postgres@127.0.0.1:5432/$DB"
  export INTI_REDIS_KEY_PREFIX=cluster:
  # nginx connects from loopback: its X-Forwarded-For names the client.
  export INTI_TRUSTED_PROXIES=127.0.0.1
  export INTI_GATEWAY_HEALTH_INTERVAL_SECS=5
  export INTI_SHUTDOWN_DRAIN_SECS=2
  unset DEMO_PASSWORD
}

# Starts node N (its port) in the background; its pid in $RUN/node-PORT.pid.
start_node() {
  local port=$1
  node_env
  LEPTOS_SITE_ADDR="127.0.0.1:$port" INTI_OBSERVABILITY_METRICS_ADDR="127.0.0.1:$((port + 6464))" \
    setsid "$BIN" serve >>"$RUN/node-$port.log" 2>&1 </dev/null &
  echo $! >"$RUN/node-$port.pid"
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && return 0
    sleep 0.5
  done
  fail "node $port did not become ready (see $RUN/node-$port.log)"
}

stop_pid() {
  local file=$1
  [[ -f "$file" ]] || return 0
  local pid
  pid=$(cat "$file")
  kill -TERM "$pid" 2>/dev/null || true
  # A node's own bound: drain + grace + 20 s for its jobs.
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$file"
}

start_nginx() {
  command -v nginx >/dev/null || fail "nginx is missing (apt-get install nginx)"
  mkdir -p "$RUN/tls" "$RUN/cache" "$RUN/inti" "$RUN/nginx-tmp"
  [[ -f "$RUN/tls/fullchain.pem" ]] || openssl req -x509 -newkey rsa:2048 -nodes -days 7 \
    -subj /CN=localhost -keyout "$RUN/tls/privkey.pem" -out "$RUN/tls/fullchain.pem" 2>/dev/null
  cp deploy/nginx/upstream.conf "$RUN/inti/upstream.conf"
  # The site as shipped, with this run's certificate, cache and ports.
  sed -e "s#/etc/inti/tls/#$RUN/tls/#g" -e "s#/var/cache/nginx/inti#$RUN/cache#" \
      -e "s#/etc/nginx/inti/#$RUN/inti/#" -e "s#/var/log/nginx/#$RUN/#" \
      -e "s#listen 443 #listen $HTTPS_PORT #; s#listen \[::\]:443 #listen [::]:$HTTPS_PORT #" \
      -e "s#listen 80;#listen 8080;#; s#listen \[::\]:80;#listen [::]:8080;#" \
      deploy/nginx/inti.conf >"$RUN/site.conf"
  cat >"$RUN/nginx.conf" <<CONF
pid $RUN/nginx.pid;
error_log $RUN/nginx-error.log warn;
worker_processes 1;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    access_log $RUN/nginx-access.log;
    client_body_temp_path $RUN/nginx-tmp/body;
    proxy_temp_path $RUN/nginx-tmp/proxy;
    include $RUN/site.conf;
}
CONF
  nginx -p "$RUN" -c "$RUN/nginx.conf"
}

start() {
  [[ -x "$BIN" ]] || fail "no binary at $BIN (make release, or set INTI_BIN)"
  mkdir -p "$RUN"
  stop || true
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
  redis-cli --scan --pattern 'cluster:*' | xargs -r redis-cli del >/dev/null
  node_env
  "$BIN" migrate >/dev/null
  "$BIN" seed-demo >/dev/null
  "$BIN" demo-whatsapp --port "$DEMO_PORT" \
    --webhook-url "https://127.0.0.1:$HTTPS_PORT/api/v1/webhooks/whatsapp-gateway" \
    >>"$RUN/demo.log" 2>&1 </dev/null &
  echo $! >"$RUN/demo.pid"
  for port in "${NODES[@]}"; do start_node "$port"; done
  start_nginx
  curl -skf "https://127.0.0.1:$HTTPS_PORT/healthz" >/dev/null || fail "nginx does not reach the nodes"
  echo "cluster: nodes ${NODES[*]} behind https://127.0.0.1:$HTTPS_PORT ($BIN)"
}

stop() {
  [[ -f "$RUN/nginx.pid" ]] && nginx -p "$RUN" -c "$RUN/nginx.conf" -s quit 2>/dev/null || true
  rm -f "$RUN/nginx.pid"
  for port in "${NODES[@]}"; do stop_pid "$RUN/node-$port.pid"; done
  stop_pid "$RUN/demo.pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  # Used by soak.py to take a node down and bring it back.
  stop-node) stop_pid "$RUN/node-$2.pid" ;;
  start-node) start_node "$2" ;;
  soak)
    start
    trap stop EXIT
    python3 scripts/soak.py --base "https://127.0.0.1:$HTTPS_PORT" --database "$DB" \
      --seconds "${SOAK_SECONDS:-180}" --report "${SOAK_REPORT:-$RUN/report.md}"
    ;;
  *) fail "usage: scripts/cluster.sh start|stop|soak" ;;
esac
