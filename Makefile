# Inti: `make run` to use it, `make test` to check it. Both install what is missing first.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

SERVER_FEATURES := --no-default-features --features ssr

.PHONY: run test setup build release unit-and-integration redis-cluster e2e api-check lint

## run: install what is missing, build (release), migrate, seed (dev, empty DB), serve in dev
## mode, with the demo WhatsApp service (an external service behind the gateway) beside it
run:
	scripts/setup.sh
	cargo leptos build --release --split -P
	scripts/split-manifest.py
	INTI_MODE=dev target/release/inti migrate
	INTI_MODE=dev target/release/inti demo-whatsapp --port 3200 & DEMO=$$!; \
	  trap 'kill $$DEMO 2>/dev/null' EXIT INT TERM; \
	  INTI_MODE=dev target/release/inti serve

## test: install what is missing, then lint, unit + integration tests, the Redis-facing tests
## on a Redis Cluster, end2end tests, and the live API against its OpenAPI description
test:
	scripts/setup.sh --e2e
	$(MAKE) lint unit-and-integration redis-cluster e2e api-check

setup:
	scripts/setup.sh --e2e

## lint: formatting, Clippy on both targets, the generated Diesel schema against the
## migrations, and the deployment files with nginx -t and systemd-analyze verify
lint:
	cargo fmt --check
	scripts/schema.sh
	scripts/check-deploy.sh
	cargo clippy $(SERVER_FEATURES) --all-targets -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features hydrate -- -D warnings

## unit + integration: real PostgreSQL and Redis, one database per test
unit-and-integration:
	cargo test $(SERVER_FEATURES)

## redis-cluster: the Redis-facing tests again, on a three-master Redis Cluster on local ports
redis-cluster:
	scripts/redis-cluster.sh

## --split: every page but the login is its own WASM chunk, loaded when first shown (app.rs)
build:
	cargo leptos build --split
	scripts/split-manifest.py

release:
	cargo leptos build --release --split -P
	scripts/split-manifest.py

## e2e: Playwright in Debian Chromium against the (split) debug build, on a fresh database
e2e: build
	scripts/e2e.sh

## api-check: schemathesis against the debug build's /api/v1/openapi.json (docs/api.md)
api-check: build
	scripts/api-check.sh
