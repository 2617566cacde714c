#!/usr/bin/env bash
# Copies a built site and makes a prepared catalog its default: catalog.csv
# is replaced and, with a model (the Spark job's OUT/model.json, or any
# saved model), model.json is added and index.html names it in
# <meta name="reelmeans-model" content="model.json">. The app then gives
# the default catalog the model's clusters at start, with no k-means run.
#
#   deploy/stage.sh --catalog CATALOG.csv [--model MODEL.json] [--dist dist] --out DIR
#
# deploy/deploy.sh --catalog/--model runs it before uploading.
set -euo pipefail

catalog="" model="" dist="dist" out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --catalog) catalog="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --dist) dist="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "stage.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$catalog" ] && [ -n "$out" ] || { echo "stage.sh: --catalog and --out are required" >&2; exit 2; }
[ -f "$dist/index.html" ] || { echo "stage.sh: $dist/index.html not found; run 'trunk build --release' first" >&2; exit 2; }
[ -f "$catalog" ] || { echo "stage.sh: no catalog at $catalog" >&2; exit 2; }
if [ -n "$model" ]; then
  [ -f "$model" ] || { echo "stage.sh: no model at $model" >&2; exit 2; }
  grep -q '"centroids"' "$model" || { echo "stage.sh: $model is not a saved model (it has no centroids)" >&2; exit 2; }
fi

rm -rf "$out"
mkdir -p "$out"
cp -R "$dist"/. "$out"/
cp "$catalog" "$out/catalog.csv"
if [ -n "$model" ]; then
  cp "$model" "$out/model.json"
  grep -q 'name="reelmeans-model"' "$out/index.html" \
    || sed -i 's|</head>|  <meta name="reelmeans-model" content="model.json">\n</head>|' "$out/index.html"
fi
echo "staged $out: catalog.csv from $catalog${model:+, model.json from $model}"
