#!/usr/bin/env bash
# Checks the deployment files in deploy/ with the real tools where this machine has them:
# the nginx site with `nginx -t` (Debian's nginx), the systemd unit with
# `systemd-analyze verify`, compose.yaml as YAML with the services it promises. The
# configuration file and the environment template are checked by a unit test
# (config::tests::the_deployment_files_configure_a_production_node).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check-deploy: $*" >&2; exit 1; }

# --- nginx: the site inside a minimal nginx.conf, with a throwaway certificate ----------
command -v nginx >/dev/null || fail "nginx is missing (scripts/setup.sh --e2e installs it)"
mkdir -p "$work/tls" "$work/cache" "$work/inti"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -keyout "$work/tls/privkey.pem" -out "$work/tls/fullchain.pem" 2>/dev/null
cp deploy/nginx/upstream.conf "$work/inti/upstream.conf"
sed -e "s#/etc/inti/tls/#$work/tls/#g" -e "s#/var/cache/nginx/inti#$work/cache#" \
    -e "s#/etc/nginx/inti/#$work/inti/#" -e "s#/var/log/nginx/#$work/#" deploy/nginx/inti.conf > "$work/site.conf"
cat > "$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log $work/error.log;
events {}
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $work/body;
    proxy_temp_path $work/proxy;
    include $work/site.conf;
}
CONF
nginx -t -q -p "$work" -c "$work/nginx.conf" || fail "nginx -t refused deploy/nginx/inti.conf"
echo "nginx -t: deploy/nginx/inti.conf is valid"

# --- systemd: every directive known, every path resolvable (the binary stubbed) -----------
mkdir -p "$work/bin" && printf '#!/bin/sh\n' > "$work/bin/inti" && chmod +x "$work/bin/inti"
units=()
for unit in deploy/systemd/*.service; do
  sed "s#/usr/local/bin/inti#$work/bin/inti#g" "$unit" > "$work/$(basename "$unit")"
  units+=("$work/$(basename "$unit")")
done
out=$(systemd-analyze verify "${units[@]}" 2>&1) || fail "systemd-analyze verify: $out"
[[ -z "$out" ]] || fail "systemd-analyze verify warns: $out"
echo "systemd-analyze verify: deploy/systemd/*.service are valid"

# --- compose.yaml: valid YAML with the topology it promises (no Docker engine here) -------
python3 - deploy/compose.yaml <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
services = doc["services"]
wanted = {"postgres", "redis", "mail", "migrate", "inti1", "inti2", "nginx"}
missing = wanted - services.keys()
assert not missing, f"compose.yaml lacks {sorted(missing)}"
for node in ("inti1", "inti2"):
    assert services[node]["build"]["dockerfile"] == "deploy/Dockerfile", node
    env = services[node]["environment"]
    assert env["INTI_TRUSTED_PROXIES"] == services["nginx"]["networks"]["inti"]["ipv4_address"], \
        "the nodes must trust nginx's address"
    assert "INTI_DATABASE_ADMIN_URL" not in env, f"{node} must not know the owner's password"
print("compose.yaml: services", ", ".join(sorted(services)))
PY

# --- Dockerfile: builds as a developer does, runs unprivileged with a health check -------
for needed in 'RUN scripts/setup.sh --build' 'RUN make release' 'USER 10001' 'HEALTHCHECK'; do
  grep -q "^$needed" deploy/Dockerfile || fail "deploy/Dockerfile lacks '$needed'"
done
echo "Dockerfile: builds with make release, runs as an unprivileged user"

# --- Grafana dashboard: valid JSON naming only metrics Inti records -------------------------
python3 - deploy/grafana/inti-dashboard.json src/server/metrics.rs <<'PY'
import json, re, sys
dash = json.load(open(sys.argv[1]))
source = open(sys.argv[2]).read()
names = set()
for panel in dash["panels"]:
    for target in panel["targets"]:
        names |= {re.sub(r"_bucket$", "", n) for n in re.findall(r"\binti_[a-z_]+", target["expr"])}
unknown = sorted(n for n in names if not re.search(rf"\b{n}\b", source))
assert not unknown, f"the dashboard names metrics Inti does not record: {unknown}"
print(f"Grafana dashboard: {len(dash['panels'])} panels over {len(names)} metrics")
PY
