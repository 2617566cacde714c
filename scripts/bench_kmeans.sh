#!/usr/bin/env bash
# Runs scripts/bench_kmeans.py in a venv with scikit-learn (created once).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet scikit-learn threadpoolctl numpy
fi
cargo build --release --bin reelmeans
exec .venv/bin/python scripts/bench_kmeans.py "$@"
