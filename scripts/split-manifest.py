#!/usr/bin/env python3
"""Repairs the chunk names in a split build's `__wasm_split_manifest.*.json`.

cargo-leptos 0.3.7 adds each chunk's content hash to the manifest by plain text replacement,
so `chunk_22` -> `chunk_22.<hash>` also rewrites `chunk_223` into `chunk_22.<hash>3`
(cargo-leptos issue 680, fixed after 0.3.7). The server reads the manifest to preload each
page's chunks, and such a name preloads a file that does not exist. The chunk loader itself
(`__wasm_split.*.js`) is not affected. This puts back the name of the chunk file that exists.

Usage: scripts/split-manifest.py [target/site/pkg]. Does nothing without a split build.
"""
import gzip
import json
import os
import re
import sys

pkg = sys.argv[1] if len(sys.argv) > 1 else "target/site/pkg"
manifests = [n for n in os.listdir(pkg) if re.fullmatch(r"__wasm_split_manifest(\..+)?\.json", n)]
if not manifests:
    sys.exit(0)
files = set(os.listdir(pkg))
# Chunk number -> its file's name without `.wasm`, e.g. "223" -> "chunk_223.<hash>".
chunks = {}
for name in files:
    found = re.fullmatch(r"(chunk_(\d+)(\.[^.]+)?)\.wasm", name)
    if found:
        chunks[found.group(2)] = found.group(1)
HASH = r"\.[A-Za-z0-9_-]{22}"


def repaired(name):
    if name + ".wasm" in files or not name.startswith("chunk_"):
        return name
    # `chunk_<prefix>.<hash of prefix><rest of the number>[.<hash>]`, possibly more than one
    # prefix deep (`chunk_2.<h>2.<h>3`): without the hashes, the digits are the number.
    number = re.sub(HASH, "", name[len("chunk_"):])
    if not number.isdigit() or number not in chunks:
        sys.exit(f"split-manifest: {name} names no chunk file in {pkg}")
    return chunks[number]


for manifest in manifests:
    path = os.path.join(pkg, manifest)
    with open(path) as f:
        points = json.load(f)
    fixed = {point: [repaired(c) for c in names] for point, names in points.items()}
    for point, names in fixed.items():
        for c in names:
            if c + ".wasm" not in files:
                sys.exit(f"split-manifest: {point} needs {c}, which does not exist")
    if fixed != points:
        text = json.dumps(fixed, indent=2)
        with open(path, "w") as f:
            f.write(text)
        # The precompressed copies would serve the old text.
        if os.path.exists(path + ".gz"):
            with gzip.open(path + ".gz", "wt") as f:
                f.write(text)
        if os.path.exists(path + ".br"):
            os.remove(path + ".br")
        moved = sum(a != b for p in points for a, b in zip(points[p], fixed[p]))
        print(f"split-manifest: {moved} chunk names repaired in {manifest}")
