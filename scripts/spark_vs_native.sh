#!/usr/bin/env bash
# Spark-made clusters against the native path, on the evaluation protocol
# (docs/taste-and-evaluation.md): the protocol's kept part of MovieLens
# ml-latest-small (`reelmeans kept`: each user's newest 10% held out) is what
# the Spark job learns its ALS taste from, so nothing held out leaks; then
# `reelmeans evaluate --prepared` scores, in one run on one split, the native
# item clusters with taste (the core's taste and k-means on the same kept
# part) beside the Spark-made ones (the catalog's ALS taste, MLlib k-means).
# k = 20 on both sides; one Spark run and one evaluation per seed (42..46).
# Prints NDCG@10 and coverage per seed, then the means.
#
#   scripts/spark_vs_native.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-/tmp/reelmeans-spark-vs-native}"
mkdir -p "$work"
bin=target/release/reelmeans
[ -x "$bin" ] || cargo build --release --bin reelmeans
"$bin" prepare data/tmdb5000/tmdb_5000_movies.csv --out "$work/input.csv" 2>/dev/null
"$bin" spec "$work/input.csv" --taste-factors 32 --out "$work/spec.json" 2>/dev/null
"$bin" kept data/movielens/ratings.csv --catalog "$work/input.csv" --links data/movielens/links.csv \
  --out "$work/kept.csv" 2>/dev/null
for seed in 42 43 44 45 46; do
  .venv/bin/python spark/prepare.py --catalog "$work/input.csv" --interactions "$work/kept.csv" \
    --spec "$work/spec.json" --k 20 --seed "$seed" --out "$work/s$seed" --master 'local[2]' 2>/dev/null >/dev/null
  "$bin" evaluate data/movielens/ratings.csv --catalog "$work/s$seed/catalog.csv" \
    --links data/movielens/links.csv --prepared "$work/s$seed/model.json" --item-k 20 \
    --seed "$seed" --seeds 1 --json 2>/dev/null > "$work/s$seed.json"
done
.venv/bin/python - "$work" <<'PY'
import json, sys
work = sys.argv[1]
rows = []
for seed in range(42, 47):
    r = {x["name"]: x for x in json.load(open(f"{work}/s{seed}.json"))["recommenders"]}
    native, spark = r["item clusters with taste (profile of liked items)"], r["item clusters (prepared model)"]
    rows.append((native["ndcg@10"], native["coverage"], spark["ndcg@10"], spark["coverage"]))
    print(f"seed {seed}: NDCG@10 native {native['ndcg@10']:.4f}, Spark {spark['ndcg@10']:.4f}; "
          f"coverage native {native['coverage']:.4f}, Spark {spark['coverage']:.4f}")
mean = [sum(c) / len(c) for c in zip(*rows)]
print(f"mean over 5 seeds: NDCG@10 native {mean[0]:.4f}, Spark {mean[2]:.4f} ({mean[2] / mean[0] - 1:+.1%}); "
      f"coverage native {mean[1]:.4f}, Spark {mean[3]:.4f}")
PY
