#!/usr/bin/env bash
# The Spark path end to end on the data in data/: the TMDB 5000 catalog in
# reelmeans' columns, the pipeline the core fits to it, and the Spark job
# (ALS taste from MovieLens ml-latest-small's ratings, k-means|| with k = 24)
# in local mode. Writes OUT/input.csv, OUT/spec.json, OUT/catalog.csv and
# OUT/model.json; prints the job's summary (JSON) last.
#
#   scripts/spark_example.sh OUT [more flags for spark/prepare.py]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:?usage: scripts/spark_example.sh OUT [spark/prepare.py flags]}"
shift
bin="${REELMEANS:-target/debug/reelmeans}"
[ -x "$bin" ] || cargo build --quiet --bin reelmeans
mkdir -p "$out"
"$bin" prepare data/tmdb5000/tmdb_5000_movies.csv --out "$out/input.csv"
"$bin" spec "$out/input.csv" --taste-factors 32 --out "$out/spec.json"
.venv/bin/python spark/prepare.py --catalog "$out/input.csv" \
  --interactions data/movielens/ratings.csv --links data/movielens/links.csv \
  --spec "$out/spec.json" --k 24 --seed 42 --out "$out" --master 'local[2]' "$@"
