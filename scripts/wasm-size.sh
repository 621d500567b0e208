#!/usr/bin/env bash
# The browser bundle's size as served: builds the release with precompressed files and split
# pages (`cargo leptos build --release --split -P`: `.br` and `.gz` beside each file, served by
# leptos_axum's file service; every page but the login in WASM chunks of its own) and prints
# raw, gzip and Brotli bytes of
#   - the shell every page loads (main WASM, its JS, the chunk loader, the CSS),
#   - each page's first load: the shell plus the chunks the split manifest lists for it,
#   - everything, as a browser that opened every page would have fetched it.
# SKIP_BUILD=1 measures the last build.
set -euo pipefail
cd "$(dirname "$0")/.."
# wasm-opt (binaryen) comes from npm, like in the Makefile.
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
[[ "${SKIP_BUILD:-0}" == 1 ]] || cargo leptos build --release --split -P --frontend-only
# Chunk names as the server preloads them (and a failure if a page needs a missing file).
scripts/split-manifest.py target/site/pkg
python3 - target/site/pkg <<'EOF'
import glob, json, os, sys

pkg = sys.argv[1]
names = os.listdir(pkg)

def sizes(name):
    """raw, gzip and Brotli bytes of one file (its precompressed siblings, from `-P`)."""
    path = os.path.join(pkg, name)
    if not os.path.exists(path + ".br"):
        sys.exit(f"wasm-size: {name}.br is missing: build with -P (cargo leptos build --release --split -P)")
    return [os.path.getsize(p) for p in (path, path + ".gz", path + ".br")]

def total(files):
    return [sum(col) for col in zip(*(sizes(f) for f in files))] if files else [0, 0, 0]

def row(label, figures):
    print(f"{label:34s} {figures[0]:10d} {figures[1]:10d} {figures[2]:10d}")

shell = [n for n in names if n.startswith("inti.") and n.endswith((".wasm", ".js", ".css"))]
shell += [n for n in names if n.startswith("__wasm_split.") and n.endswith(".js")]
print(f"{'what':34s} {'raw':>10s} {'gzip':>10s} {'brotli':>10s}")
row("shell (every page, the login)", total(shell))
manifests = glob.glob(os.path.join(pkg, "__wasm_split_manifest*.json"))
if manifests:
    manifest = json.load(open(manifests[0]))
    pages = {n.split(".")[0][len("split_"):]: n for n in names if n.startswith("split_") and n.endswith(".wasm")}
    loads = []
    for point, chunks in manifest.items():
        # The manifest lists the page's own module too; counted once.
        files = sorted({c + ".wasm" for c in chunks} | ({pages[point]} if point in pages else set()))
        page = point.strip("_").rsplit("_", 1)[0].removesuffix("_view")
        loads.append((page, total(shell + files)))
    for page, figures in sorted(loads, key=lambda l: -l[1][2]):
        row(f"  first load of {page}", figures)
everything = shell + [n for n in names if n.endswith(".wasm") and n not in shell]
row("everything", total(everything))
EOF
