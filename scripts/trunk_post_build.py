#!/usr/bin/env python3
"""Trunk post-build hook: makes the built site run cleanly under the strict
Content-Security-Policy of deploy/cloudformation.yaml.

1. Moves the inline start-up <script type="module"> that Trunk writes into
   index.html to a content-hashed file beside it (`script-src 'self'`, no
   inline scripts).
2. Drops the `integrity` attribute from `<link rel="preload" as="fetch">`,
   which Chromium ignores with a console warning (the module that fetches the
   wasm is itself integrity-checked).
3. Calls the workers' wasm-bindgen initialisers with an object, as current
   wasm-bindgen asks (Trunk's loader shim uses a deprecated form).

Trunk sets TRUNK_STAGING_DIR to the folder being built; a dist folder may
also be passed as the first argument.
"""
import base64
import hashlib
import os
import re
import sys

staging = os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else None)
if not staging:
    sys.exit("TRUNK_STAGING_DIR is not set (run as a Trunk hook, or pass the dist folder)")


def externalise_start_script(html):
    pattern = re.compile(r'<script type="module">(.*?)</script>', re.S)
    match = pattern.search(html)
    if match is None:
        return html
    code = match.group(1).strip() + "\n"
    name = f"start-{hashlib.sha256(code.encode()).hexdigest()[:16]}.js"
    with open(os.path.join(staging, name), "w", encoding="utf-8") as f:
        f.write(code)
    integrity = "sha384-" + base64.b64encode(hashlib.sha384(code.encode()).digest()).decode()
    tag = f'<script type="module" src="./{name}" integrity="{integrity}"></script>'
    html = html[: match.start()] + tag + html[match.end():]
    if pattern.search(html):
        sys.exit("index.html still has an inline module script")
    return html


def drop_preload_integrity(html):
    return re.sub(r'(<link rel="preload"[^>]*?) integrity="[^"]*"', r"\1", html)


index = os.path.join(staging, "index.html")
with open(index, encoding="utf-8") as f:
    html = f.read()
html = drop_preload_integrity(externalise_start_script(html))
with open(index, "w", encoding="utf-8") as f:
    f.write(html)

for worker in ("worker", "sheets"):
    loader = os.path.join(staging, f"{worker}_loader.js")
    if os.path.exists(loader):
        with open(loader, encoding="utf-8") as f:
            shim = f.read()
        shim = re.sub(r'wasm_bindgen\("([^"]+)"\)', r'wasm_bindgen({ module_or_path: "\1" })', shim)
        with open(loader, "w", encoding="utf-8") as f:
            f.write(shim)
