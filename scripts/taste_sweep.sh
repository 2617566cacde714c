#!/usr/bin/env bash
# The evaluation behind the taste defaults: the item-cluster recommender with
# taste on ml-latest-small, mean over 5 seeds, for several taste weights and
# rankings inside the cluster. Prints one Markdown row per setting.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --bin reelmeans
run() {
  ./target/release/reelmeans evaluate data/movielens/ratings.csv --catalog data/movielens/movies.csv \
    --seeds 5 --json "$@" 2>/dev/null |
    python3 -c '
import json, sys
d = json.load(sys.stdin)
r = next(r for r in d["recommenders"] if "with taste" in r["name"])
s = d["settings"]
print("| %s | %s | %s | %.4f ± %.4f | %.4f ± %.4f |" % (s["taste_weight"], json.dumps(s["ranking"]), s["factors"],
      r["ndcg@10"], r["std"]["ndcg@10"], r["coverage"], r["std"]["coverage"]))'
}
echo "| taste weight | ranking | factors | NDCG@10 | coverage |"
echo "|---:|---|---:|---:|---:|"
for w in 0 1 2 3 4 6; do run --taste-weight "$w"; done
for r in nearest blend=1 blend=3; do run --taste-weight 4 --ranking "$r"; done
run --taste-weight 4 --factors 16
