#!/usr/bin/env bash
# Runs scripts/bench_kmeans.py in a venv with scikit-learn (created once).
set -euo pipefail
cd "$(dirname "$0")/.."
# The venv may exist already without them (the test command makes it for the deploy tools).
if ! .venv/bin/python -c "import sklearn, threadpoolctl, numpy" 2>/dev/null; then
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check scikit-learn threadpoolctl numpy
fi
cargo build --release --bin reelmeans
exec .venv/bin/python scripts/bench_kmeans.py "$@"
