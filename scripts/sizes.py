#!/usr/bin/env python3
"""Prints the size table of docs/benchmarks.md for dist/: every wasm, JS and the catalog,
raw, gzip -9 and brotli -q 11 (brotli when the `brotli` module or CLI exists).
Run after `trunk build --release`: `python3 scripts/sizes.py [dist]`.
"""
import gzip
import os
import re
import shutil
import subprocess
import sys

dist = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "dist")
try:
    import brotli  # type: ignore

    def br(data):
        return len(brotli.compress(data, quality=11))
except ImportError:
    cli = shutil.which("brotli")

    def br(data):
        if cli is None:
            return None
        return len(subprocess.run([cli, "-c", "-q", "11"], input=data, capture_output=True, check=True).stdout)


def label(name):
    plain = re.sub(r"-[0-9a-f]{15,16}", "", name)
    return {"app_bg.wasm": "app wasm", "worker_bg.wasm": "worker wasm", "app.js": "app JS glue",
            "worker.js": "worker JS glue", "worker_loader.js": "worker loader", "start.js": "start-up script",
            "sheets_bg.wasm": "spreadsheet worker wasm (fetched only when a workbook is opened)",
            "sheets.js": "spreadsheet worker JS glue", "sheets_loader.js": "spreadsheet worker loader",
            "chart.umd.min.js": "Chart.js (vendored)", "catalog.csv": "catalog.csv", "style.css": "style.css",
            "index.html": "index.html", "favicon.svg": "favicon.svg"}.get(plain, plain)


rows = []
for name in sorted(os.listdir(dist)):
    with open(os.path.join(dist, name), "rb") as f:
        data = f.read()
    rows.append((label(name), len(data), len(gzip.compress(data, 9)), br(data)))
rows.sort(key=lambda r: -r[1])
print("| file | raw | gzip -9 | brotli -q 11 |")
print("|---|---:|---:|---:|")
for name, raw, gz, b in rows:
    kb = lambda n: "n/a" if n is None else f"{n / 1000:,.1f} KB"
    print(f"| {name} | {kb(raw)} | {kb(gz)} | {kb(b)} |")
total = [sum(r[i] for r in rows) for i in (1, 2)]
btotal = None if any(r[3] is None for r in rows) else sum(r[3] for r in rows)
print(f"| **total** | {total[0] / 1000:,.1f} KB | {total[1] / 1000:,.1f} KB | {'n/a' if btotal is None else f'{btotal / 1000:,.1f} KB'} |")
