#!/usr/bin/env bash
# The browser bundle's size as served: builds the release with precompressed files
# (`cargo leptos build --release -P`: `.br` and `.gz` beside each file, served by
# leptos_axum's file service) and prints raw, gzip and Brotli bytes of the JS, WASM and CSS.
# SKIP_BUILD=1 measures the last build.
set -euo pipefail
cd "$(dirname "$0")/.."
# wasm-opt (binaryen) comes from npm, like in the Makefile.
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
[[ "${SKIP_BUILD:-0}" == 1 ]] || cargo leptos build --release -P
pkg=target/site/pkg
printf '%-48s %10s %10s %10s\n' file raw gzip brotli
total_raw=0 total_gz=0 total_br=0
for f in "$pkg"/*.wasm "$pkg"/*.js "$pkg"/*.css; do
  [[ -f "$f" ]] || continue
  raw=$(stat -c %s "$f")
  gz=$(stat -c %s "$f.gz" 2>/dev/null || gzip -9c "$f" | wc -c)
  br=$(stat -c %s "$f.br" 2>/dev/null || echo 0)
  printf '%-48s %10d %10d %10d\n' "$(basename "$f")" "$raw" "$gz" "$br"
  total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz)) total_br=$((total_br + br))
done
printf '%-48s %10d %10d %10d\n' total "$total_raw" "$total_gz" "$total_br"
