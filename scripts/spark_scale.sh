#!/usr/bin/env bash
# The Spark job at scale on this machine, measured: a seeded catalog of
# 1,000,000 titles (scripts/make_big_catalog.py) and a seeded log of
# 20,000,000 interactions by 200,000 users over them
# (scripts/make_interactions.py), prepared in local[2]. Prints the job's
# summary (seconds per stage), its wall time, and the peak memory of the
# whole process tree (the Python driver, Spark's JVM, the Python workers),
# sampled every second. A benchmark, not a test: about half an hour here.
#
#   scripts/spark_scale.sh [WORK_DIR] [more flags for spark/prepare.py]
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-/tmp/reelmeans-scale}"
shift || true
mkdir -p "$work"
bin=target/release/reelmeans
[ -x "$bin" ] || cargo build --release --bin reelmeans
[ -f "$work/catalog.csv" ] || python3 scripts/make_big_catalog.py 1000000 "$work/catalog.csv"
[ -f "$work/interactions.csv" ] || .venv/bin/python scripts/make_interactions.py \
  "$work/catalog.csv" "$work/interactions.csv" --interactions 20000000 --users 200000
"$bin" spec "$work/catalog.csv" --taste-factors 32 --out "$work/spec.json"

start=$(date +%s.%N)
setsid .venv/bin/python spark/prepare.py --catalog "$work/catalog.csv" \
  --interactions "$work/interactions.csv" --spec "$work/spec.json" --k 40 --seed 42 \
  --out "$work/out" --master 'local[2]' --driver-memory 12g "$@" > "$work/summary.json" &
job=$!
peak=0
while kill -0 "$job" 2>/dev/null; do
  kb=$(ps -o rss= -g "$job" 2>/dev/null | awk '{s += $1} END {print s + 0}')
  [ "$kb" -gt "$peak" ] && peak=$kb
  sleep 1
done
wait "$job"
end=$(date +%s.%N)
cat "$work/summary.json"
awk -v s="$start" -v e="$end" -v p="$peak" 'BEGIN {
  printf "wall time: %.0f s; peak memory of the process tree: %.1f GB\n", e - s, p / 1048576 }'
