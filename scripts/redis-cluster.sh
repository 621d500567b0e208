#!/usr/bin/env bash
# Starts a three-master Redis Cluster on local ports (7001-7003 unless REDIS_CLUSTER_PORT
# names the first) and runs the tests that use Redis against it, then stops it.
# Usage: scripts/redis-cluster.sh [cargo test arguments...]
#   With no arguments: the Redis-facing test files (see TESTS below).
set -euo pipefail
cd "$(dirname "$0")/.."

FIRST_PORT=${REDIS_CLUSTER_PORT:-7001}
PORTS=("$FIRST_PORT" "$((FIRST_PORT + 1))" "$((FIRST_PORT + 2))")
# Sessions, brute-force throttles, refresh grace answers, menu caches, gateway rate limits
# and webhook replay ids, password-reset throttles, readiness, and two nodes on one cluster.
TESTS=(redis_shared hardening auth_api web_login menus_api gateway account_links health)

command -v redis-server >/dev/null && command -v redis-cli >/dev/null || {
  echo "redis-cluster: redis-server and redis-cli are needed (scripts/setup.sh installs them)" >&2
  exit 1
}
# Each node also takes its port + 10000 for the cluster bus.
for port in "${PORTS[@]}"; do
  for used in "$port" "$((port + 10000))"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$used") 2>/dev/null; then
      echo "redis-cluster: port $used is already in use; set REDIS_CLUSTER_PORT to another first port" >&2
      exit 1
    fi
  done
done

DIR=$(mktemp -d /tmp/inti-redis-cluster.XXXXXX)
stop() {
  local status=$?
  for port in "${PORTS[@]}"; do redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; done
  if [[ $status -ne 0 ]]; then
    # What the cluster said, before its directory goes.
    tail -n 20 "$DIR"/create.log "$DIR"/*/redis.log 2>/dev/null >&2 || true
  fi
  rm -rf "$DIR"
}
trap stop EXIT

for port in "${PORTS[@]}"; do
  mkdir -p "$DIR/$port"
  redis-server --port "$port" --bind 127.0.0.1 --cluster-enabled yes \
    --cluster-config-file "$DIR/$port/nodes.conf" --dir "$DIR/$port" \
    --save '' --appendonly no --daemonize yes --logfile "$DIR/$port/redis.log"
done
for port in "${PORTS[@]}"; do
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$port" ping >/dev/null 2>&1 || { echo "redis-cluster: the node on $port did not start" >&2; exit 1; }
done
redis-cli --cluster create "${PORTS[@]/#/127.0.0.1:}" --cluster-replicas 0 --cluster-yes >"$DIR/create.log"
cluster_ok() { [[ "$(redis-cli -p "$1" cluster info)" == *cluster_state:ok* ]]; }
for port in "${PORTS[@]}"; do
  for _ in $(seq 100); do cluster_ok "$port" && break; sleep 0.1; done
  cluster_ok "$port" || { echo "redis-cluster: the cluster did not form" >&2; exit 1; }
done
echo "==> a Redis Cluster of 3 masters on ports ${PORTS[*]}"

URLS=$(printf 'redis://127.0.0.1:%s,' "${PORTS[@]}")
export INTI_TEST_REDIS_CLUSTER_URLS=${URLS%,}
# Nothing may fall back to the single Redis: it is pointed nowhere.
export INTI_TEST_REDIS_URL=redis://127.0.0.1:1/0
if [[ $# -eq 0 ]]; then
  set -- $(printf -- '--test %s ' "${TESTS[@]}")
fi
cargo test --no-fail-fast --no-default-features --features ssr "$@"
# Every node holds keys: the tests used the cluster, and the hash tags spread subjects over
# its slots.
for port in "${PORTS[@]}"; do
  keys=$(redis-cli -p "$port" dbsize)
  echo "==> node $port holds $keys keys"
  [[ "$keys" -gt 0 ]] || { echo "redis-cluster: node $port holds no key" >&2; exit 1; }
done
