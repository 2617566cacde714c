#!/usr/bin/env bash
# Runs scripts/bench_kmeans.py in a venv with scikit-learn (created once).
# Options pass through: --seeds N (default 10), --rows N (matrix (b); 0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
# The venv may exist already without them (the test command makes it for the deploy tools).
if ! .venv/bin/python -c "import sklearn, threadpoolctl, numpy" 2>/dev/null; then
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check scikit-learn threadpoolctl numpy
fi
cargo build --release --bin reelmeans
# Some machines pin OpenBLAS to an older kernel (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE)
# because old builds misbehave on their processors; a current numpy runs faster
# without the pin, so this command alone clears both: scikit-learn at its best.
exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python scripts/bench_kmeans.py "$@"
