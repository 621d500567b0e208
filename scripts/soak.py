#!/usr/bin/env python3
"""A bounded soak of an Inti cluster (scripts/cluster.sh soak): mixed traffic through nginx
while one node gets SIGTERM and comes back, PostgreSQL restarts and Redis restarts. Writes a
report: requests sent and failed by kind and window, and the writes acknowledged against the
rows found afterwards (they must be equal). Loopback only; no dependency beyond Python."""

import argparse
import http.client
import json
import os
import ssl
import subprocess
import threading
import time
from collections import Counter, defaultdict
from urllib.parse import urlparse

PASSWORD = "inti-demo-2026"  # the dev demo password the cluster's nodes seed
CONTEXT = ssl._create_unverified_context()  # the cluster's throwaway certificate


class Client:
    """One keep-alive connection through nginx, reopened after an error."""

    def __init__(self, base):
        url = urlparse(base)
        self.host, self.port = url.hostname, url.port
        self.conn = None

    def request(self, method, path, body=None, token=None):
        headers = {"accept": "application/json"}
        if body is not None:
            headers["content-type"] = "application/json"
            body = json.dumps(body)
        if token:
            headers["authorization"] = f"Bearer {token}"
        if self.conn is None:
            self.conn = http.client.HTTPSConnection(self.host, self.port, timeout=15, context=CONTEXT)
        try:
            self.conn.request(method, path, body=body, headers=headers)
            res = self.conn.getresponse()
            data = res.read()
            return res.status, data
        except Exception:
            self.conn.close()
            self.conn = None
            raise


class Soak:
    def __init__(self, args):
        self.base = args.base
        self.seconds = args.seconds
        self.started = time.monotonic()
        self.log = []  # (t, kind, outcome)
        self.lock = threading.Lock()
        self.acknowledged = set()
        self.events = []  # (name, start, end)
        self.stop = threading.Event()
        self.run_id = f"soak-{int(time.time())}"
        self.tokens = {}

    def now(self):
        return time.monotonic() - self.started

    def record(self, kind, outcome):
        with self.lock:
            self.log.append((self.now(), kind, outcome))

    def token(self, client, email, fresh=False):
        if fresh or email not in self.tokens:
            status, data = client.request("POST", "/api/v1/auth/login", {"email": email, "password": PASSWORD})
            if status != 200:
                raise RuntimeError(f"login {status}")
            self.tokens[email] = json.loads(data)["data"]["tokens"]["accessToken"]
        return self.tokens[email]

    def worker(self, kind, pause):
        client = Client(self.base)
        n = 0
        while not self.stop.is_set():
            n += 1
            try:
                status = self.one(client, kind, n)
                self.record(kind, "ok" if status < 400 else f"HTTP {status}")
            except Exception as e:  # noqa: BLE001 - every failure is counted by its kind
                self.record(kind, type(e).__name__)
            time.sleep(pause)

    def one(self, client, kind, n):
        if kind == "page":
            return client.request("GET", "/login")[0]
        if kind == "login":
            status, _ = client.request("POST", "/api/v1/auth/login",
                                       {"email": "user@taskmanager.com", "password": PASSWORD})
            return status
        if kind == "api read":
            token = self.token(client, "admin@taskmanager.com")
            status, _ = client.request("GET", "/api/v1/tasks?pageSize=20", token=token)
            if status == 401:
                self.token(client, "admin@taskmanager.com", fresh=True)
            return status
        if kind == "task write":
            token = self.token(client, "admin@taskmanager.com")
            title = f"{self.run_id}-{threading.get_ident()}-{n}"
            status, _ = client.request("POST", "/api/v1/tasks", {"title": title, "labels": ["soak"]}, token=token)
            if status == 201:
                with self.lock:
                    self.acknowledged.add(title)
            return status
        if kind == "gateway":
            token = self.token(client, "admin@whatsapp.com")
            status, _ = client.request("GET", "/api/v1/gateway/whatsapp-gateway/messages?page=1&pageSize=20",
                                       token=token)
            return status
        raise ValueError(kind)

    def disrupt(self, name, at, action, back=None, back_after=None):
        """Runs `action` at `at` seconds, `back` `back_after` seconds later; records the window."""
        time.sleep(max(0, at - self.now()))
        start = self.now()
        print(f"[{start:6.1f}s] {name}", flush=True)
        action()
        if back:
            time.sleep(back_after)
            back()
        end = self.now()
        self.events.append((name, start, end))
        print(f"[{end:6.1f}s] {name}: done", flush=True)

    def window(self, t):
        # A disruption's window runs until 10 s after it ended: its aftermath counts too.
        for name, start, end in self.events:
            if start <= t <= end + 10:
                return name
        return "steady"


def sh(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def restart_postgres():
    versions = os.listdir("/etc/postgresql")
    for v in versions:
        sh("pg_ctlcluster", "--skip-systemctl-redirect", v, "main", "restart")


def restart_redis():
    subprocess.run(["redis-cli", "shutdown", "nosave"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    os.makedirs("/tmp/inti-redis", exist_ok=True)
    sh("redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379", "--save", "",
       "--appendonly", "no", "--dir", "/tmp/inti-redis", "--logfile", "/tmp/inti-redis/redis.log")


def stored_titles(database, prefix):
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tA", "-c",
         f"SELECT title FROM tasks WHERE title LIKE '{prefix}-%'"],
        check=True, capture_output=True, text=True).stdout
    return {line for line in out.splitlines() if line}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--database", required=True)
    p.add_argument("--seconds", type=int, default=180)
    p.add_argument("--report", required=True)
    args = p.parse_args()
    soak = Soak(args)
    mix = [("page", 0.05), ("api read", 0.02), ("api read", 0.02), ("login", 0.5),
           ("task write", 0.05), ("task write", 0.05),
           # Under the demo endpoint's rate limit (60 calls a minute per person).
           ("gateway", 1.1)]
    threads = [threading.Thread(target=soak.worker, args=m, daemon=True) for m in mix]
    for t in threads:
        t.start()
    s = args.seconds
    here = os.path.dirname(os.path.abspath(__file__))
    cluster = os.path.join(here, "cluster.sh")
    soak.disrupt("node 3000: SIGTERM, back after 15 s", 0.15 * s,
                 lambda: sh(cluster, "stop-node", "3000"),
                 lambda: sh(cluster, "start-node", "3000"), 15)
    soak.disrupt("PostgreSQL restart", 0.45 * s, restart_postgres)
    soak.disrupt("Redis restart", 0.70 * s, restart_redis)
    time.sleep(max(0, s - soak.now()))
    soak.stop.set()
    for t in threads:
        t.join(timeout=20)
    time.sleep(1)

    stored = stored_titles(args.database, soak.run_id)
    acked = soak.acknowledged
    by = defaultdict(Counter)
    for t, kind, outcome in soak.log:
        by[(soak.window(t), kind)][outcome] += 1
    windows = ["steady"] + [name for name, _, _ in soak.events]
    lines = [f"# Soak of {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}", "",
             f"{len(soak.log)} requests in {s} s through nginx to two nodes.", "",
             "| window | kind | sent | failed | failures |", "|---|---|---|---|---|"]
    for w in windows:
        for kind in sorted({k for (win, k) in by if win == w}):
            c = by[(w, kind)]
            sent = sum(c.values())
            failed = sent - c["ok"]
            detail = ", ".join(f"{o} x{n}" for o, n in c.most_common() if o != "ok") or "-"
            lines.append(f"| {w} | {kind} | {sent} | {failed} | {detail} |")
    lost = acked - stored
    unanswered = stored - acked
    lines += ["", f"Task writes acknowledged (201): {len(acked)}; rows found afterwards: {len(stored)}; "
              f"acknowledged but missing: {len(lost)}; stored but never acknowledged (answer lost "
              f"on the way): {len(unanswered)}."]
    report = "\n".join(lines) + "\n"
    with open(args.report, "w") as f:
        f.write(report)
    print(report)
    if lost:
        raise SystemExit("acknowledged writes are missing")


if __name__ == "__main__":
    main()
