#!/usr/bin/env python3
"""Repairs a split build's manifest and makes its chunk loader smaller.

1. The chunk names in `__wasm_split_manifest.*.json`.

cargo-leptos 0.3.7 adds each chunk's content hash to the manifest by plain text replacement,
so `chunk_22` -> `chunk_22.<hash>` also rewrites `chunk_223` into `chunk_22.<hash>3`
(an upstream bug, fixed after cargo-leptos 0.3.7). The server reads the manifest to preload each
page's chunks, and such a name preloads a file that does not exist. The chunk loader itself
(`__wasm_split.*.js`) is not affected. This puts back the name of the chunk file that exists.

2. The loader that every page fetches (`__wasm_split.*.js`): cargo-leptos names each of the
~350 chunk and page modules with its own 22-character hash, and precedes each with a comment
that lists the pages using it. Those random names and comments were 7 of its 10 KB Brotli.
Every module is renamed with one hash of the whole set (a digest of the loader and of every
module as served: any change gives every name a new hash, so long-lived immutable caching
stays correct) and the comments go. The loader keeps its name, which the main JS imports
(the server has browsers revalidate it).

3. The modules' custom sections (`producers`, `target_features`), which browsers ignore: a
page's first load is ~100 modules, each compressed on its own, and those sections were 9 to
19 KB of it (Brotli). wasm-opt's `--strip-*` flags cannot do it: cargo-leptos 0.3.7 then
panics on the modules that become empty (8 bytes, smaller than the name it looks for). A
quarter of the modules held nothing else: they are dropped, neither fetched nor preloaded.

Usage: scripts/split-manifest.py [target/site/pkg]. Does nothing without a split build.
"""
import base64
import gzip
import hashlib
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
MODULE = re.compile(r"((?:chunk|split)_[A-Za-z0-9_]+)" + HASH + r"\.wasm")


def repaired(name):
    if name + ".wasm" in files or not name.startswith("chunk_"):
        return name
    # `chunk_<prefix>.<hash of prefix><rest of the number>[.<hash>]`, possibly more than one
    # prefix deep (`chunk_2.<h>2.<h>3`): without the hashes, the digits are the number.
    number = re.sub(HASH, "", name[len("chunk_"):])
    if not number.isdigit() or number not in chunks:
        sys.exit(f"split-manifest: {name} names no chunk file in {pkg}")
    return chunks[number]


def write(path, content):
    """Writes a file (text or bytes) and the precompressed copies the file service prefers."""
    data = content.encode() if isinstance(content, str) else content
    with open(path, "wb") as f:
        f.write(data)
    if os.path.exists(path + ".gz"):
        with gzip.open(path + ".gz", "wb", compresslevel=9) as f:
            f.write(data)
    if os.path.exists(path + ".br"):
        try:
            import brotli  # scripts/setup.sh installs it; only release builds (-P) need it
        except ImportError:
            os.remove(path + ".br")  # served gzipped instead of stale
        else:
            with open(path + ".br", "wb") as f:
                f.write(brotli.compress(data, quality=11))


STRIPPED = {b"producers", b"target_features"}


def leb128(data, at):
    """An unsigned LEB128 number at `at`: its value and where it ends."""
    value = shift = 0
    while True:
        if at >= len(data):
            raise ValueError("a number runs past the end")
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def stripped(module, name):
    """A WASM module without the custom sections browsers ignore (`producers`,
    `target_features`); names and debug sections stay."""
    if module[:8] != b"\0asm\1\0\0\0":
        sys.exit(f"split-manifest: {name} is not a WASM module")
    out, at = bytearray(module[:8]), 8
    try:
        while at < len(module):
            start, section = at, module[at]
            size, body = leb128(module, at + 1)
            at = body + size
            if at > len(module):
                raise ValueError("a section runs past the end")
            if section == 0:
                length, text = leb128(module, body)
                if module[text : text + length] in STRIPPED:
                    continue
            out += module[start:at]
    except ValueError as e:
        sys.exit(f"split-manifest: {name}: {e}")
    return bytes(out)


for manifest in manifests:
    path = os.path.join(pkg, manifest)
    with open(path, encoding="utf-8") as f:
        points = json.load(f)
    fixed = {point: [repaired(c) for c in names] for point, names in points.items()}
    for point, names in fixed.items():
        for c in names:
            if c + ".wasm" not in files:
                sys.exit(f"split-manifest: {point} needs {c}, which does not exist")
    if fixed != points:
        # The precompressed copies would serve the old text.
        write(path, json.dumps(fixed, indent=2))
        moved = sum(a != b for p in points for a, b in zip(points[p], fixed[p]))
        print(f"split-manifest: {moved} chunk names repaired in {manifest}")


def shorten_loader():
    loaders = [n for n in os.listdir(pkg) if re.fullmatch(r"__wasm_split\.[^.]+\.js", n)]
    for loader in loaders:
        path = os.path.join(pkg, loader)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if not MODULE.search(text):
            continue  # already shortened
        # Everything is read and checked before anything is written, so a failure leaves the
        # build as cargo-leptos wrote it.
        modules = {}
        for found in MODULE.finditer(text):
            old = found.group(0)
            if old not in modules:
                if not os.path.exists(os.path.join(pkg, old)):
                    sys.exit(f"split-manifest: the loader names {old}, which does not exist")
                with open(os.path.join(pkg, old), "rb") as f:
                    modules[old] = (found.group(1), stripped(f.read(), old))
        # The build hash covers every module as served and the loader: whatever this script
        # or the build changes gives new names, which is what immutable caching needs.
        digest = hashlib.sha256(text.encode())
        for old in sorted(modules):
            digest.update(modules[old][1])
        build = base64.urlsafe_b64encode(digest.digest()).decode()[:12]
        renames = {old: f"{stem}.{build}.wasm" for old, (stem, _) in modules.items()}
        # Modules left empty (8 bytes: they only held those sections) are not fetched at all:
        # the loader's own `makeLoad(undefined, ...)` stands for a module with nothing in it.
        empty = {old for old, (_, module) in modules.items() if len(module) == 8}
        points = {}
        for manifest in manifests:
            with open(os.path.join(pkg, manifest), encoding="utf-8") as f:
                listed = json.load(f)
            for point, names in listed.items():
                if any(c + ".wasm" not in renames for c in names):
                    sys.exit(f"split-manifest: {point} needs a module that the loader does not load")
            points[manifest] = {
                point: [renames[c + ".wasm"][: -len(".wasm")] for c in names if c + ".wasm" not in empty]
                for point, names in listed.items()
            }
        for old, (_, module) in modules.items():
            for ext in ("", ".gz", ".br"):
                if os.path.exists(os.path.join(pkg, old + ext)):
                    if old in empty:
                        os.remove(os.path.join(pkg, old + ext))
                    else:
                        os.replace(os.path.join(pkg, old + ext), os.path.join(pkg, renames[old] + ext))
            if old not in empty:
                write(os.path.join(pkg, renames[old]), module)
        text = re.sub(
            r'new URL\("\./(' + MODULE.pattern + r')", import\.meta\.url\)',
            lambda m: "undefined" if m.group(1) in empty else m.group(0),
            text,
        )
        text = MODULE.sub(lambda m: renames[m.group(0)], text)
        write(path, re.sub(r"^/\*.*?\*/\n", "", text, flags=re.M))
        for manifest, fixed in points.items():
            write(os.path.join(pkg, manifest), json.dumps(fixed, indent=2))
        print(
            f"split-manifest: {len(renames) - len(empty)} modules renamed with build hash {build}, "
            f"{len(empty)} empty ones dropped, in {loader}"
        )


shorten_loader()
