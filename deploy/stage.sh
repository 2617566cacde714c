#!/usr/bin/env bash
# Copies a built site and makes a prepared catalog its default: catalog.csv
# is replaced and, with a model (the Spark job's OUT/model.json, or any
# saved model), model.json is added and index.html names it in
# <meta name="reelmeans-model" content="model.json">. The app then gives
# the default catalog the model's clusters at start, with no k-means run.
# A catalog beyond one tab comes split instead (the Spark job's OUT/split/,
# written above --split-above titles): --split copies it to split/ and
# index.html names split/titles.csv in <meta name="reelmeans-split">; the
# app then searches every title and fetches one cluster's file at a time.
#
#   deploy/stage.sh --catalog CATALOG.csv [--model MODEL.json] [--dist dist] --out DIR
#   deploy/stage.sh --split OUT/split --model MODEL.json [--dist dist] --out DIR
#
# deploy/deploy.sh --catalog/--model runs it before uploading.
set -euo pipefail

catalog="" model="" split="" dist="dist" out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --catalog) catalog="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --split) split="$2"; shift 2 ;;
    --dist) dist="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "stage.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$out" ] || { echo "stage.sh: --out is required" >&2; exit 2; }
[ -n "$catalog" ] || [ -n "$split" ] || { echo "stage.sh: --catalog or --split is required" >&2; exit 2; }
[ -f "$dist/index.html" ] || { echo "stage.sh: $dist/index.html not found; run 'trunk build --release' first" >&2; exit 2; }
[ -z "$catalog" ] || [ -f "$catalog" ] || { echo "stage.sh: no catalog at $catalog" >&2; exit 2; }
if [ -n "$split" ]; then
  [ -f "$split/titles.csv" ] && [ -d "$split/clusters" ] \
    || { echo "stage.sh: $split has no titles.csv and clusters/ (the Spark job's OUT/split)" >&2; exit 2; }
  [ -n "$model" ] || { echo "stage.sh: --split needs --model (its clusters are the model's)" >&2; exit 2; }
fi
if [ -n "$model" ]; then
  [ -f "$model" ] || { echo "stage.sh: no model at $model" >&2; exit 2; }
  grep -q '"centroids"' "$model" || { echo "stage.sh: $model is not a saved model (it has no centroids)" >&2; exit 2; }
fi

rm -rf "$out"
mkdir -p "$out"
cp -R "$dist"/. "$out"/
[ -z "$catalog" ] || cp "$catalog" "$out/catalog.csv"
meta() {
  grep -q "name=\"$1\"" "$out/index.html" \
    || sed -i "s|</head>|  <meta name=\"$1\" content=\"$2\">\n</head>|" "$out/index.html"
}
if [ -n "$model" ]; then
  cp "$model" "$out/model.json"
  meta reelmeans-model model.json
fi
if [ -n "$split" ]; then
  mkdir -p "$out/split"
  cp "$split/titles.csv" "$out/split/titles.csv"
  cp -R "$split/clusters" "$out/split/clusters"
  meta reelmeans-split split/titles.csv
fi
echo "staged $out:${catalog:+ catalog.csv from $catalog}${model:+, model.json from $model}${split:+, split/ from $split}"
