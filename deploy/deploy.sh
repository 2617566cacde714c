#!/usr/bin/env bash
# Uploads dist/ to the site bucket with the right Content-Type and
# Cache-Control for every file, lists the objects under its prefix that are
# no longer in dist/ (and deletes them with --delete-stale), and
# invalidates the unhashed files on CloudFront.
#
#   deploy/deploy.sh --bucket BUCKET [--distribution-id ID] [--dist DIR]
#                    [--prefix PATH/] [--endpoint-url URL] [--dry-run] [--delete-stale]
#                    [--catalog CATALOG.csv [--model MODEL.json]]
#                    [--split OUT/split --model MODEL.json]
#
# --catalog publishes a prepared catalog (the Spark job's OUT/catalog.csv) as
# the site's default, and --model its model, so the app starts on the
# model's clusters without running k-means (deploy/stage.sh makes the copy).
# --split publishes one beyond a tab as per-cluster files instead (the
# job's OUT/split/); CloudFront invalidates them as one split/* path.
#
# Hashed assets (Trunk's name-<hash>.ext) are immutable for a year;
# index.html and every unhashed file (catalog.csv, the worker files) are
# `no-cache`, so a new deploy is seen at once. index.html goes up last, so
# nobody loads a page whose assets are not there yet; stale files go last of
# all, and only when asked. --dry-run prints every command that would change
# something instead of running it (it still lists the bucket, read only, to
# say what --delete-stale would delete).
set -euo pipefail

bucket="" distribution="" dist="dist" prefix="" endpoint=() dry=0 delete=0 catalog="" model="" split=""
while [ $# -gt 0 ]; do
  case "$1" in
    --bucket) bucket="$2"; shift 2 ;;
    --distribution-id) distribution="$2"; shift 2 ;;
    --dist) dist="$2"; shift 2 ;;
    --prefix) prefix="${2#/}"; shift 2 ;;
    --endpoint-url) endpoint=(--endpoint-url "$2"); shift 2 ;;
    --dry-run) dry=1; shift ;;
    --delete-stale) delete=1; shift ;;
    --catalog) catalog="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --split) split="$2"; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "deploy.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$bucket" ] || { echo "deploy.sh: --bucket is required" >&2; exit 2; }
[ -f "$dist/index.html" ] || { echo "deploy.sh: $dist/index.html not found; run 'trunk build --release' first" >&2; exit 2; }
[ -z "$prefix" ] || [[ "$prefix" == */ ]] || prefix="$prefix/"
if [ -n "$model" ] && [ -z "$catalog" ] && [ -z "$split" ]; then
  echo "deploy.sh: --model goes with --catalog or --split (the catalog it clusters)" >&2; exit 2
fi
if [ -n "$catalog" ] || [ -n "$split" ]; then
  staged="$(mktemp -d)"
  trap 'rm -rf "$staged"' EXIT
  "$(dirname "$0")/stage.sh" --dist "$dist" ${catalog:+--catalog "$catalog"} ${model:+--model "$model"} \
    ${split:+--split "$split"} --out "$staged/site"
  dist="$staged/site"
fi

run() {
  if [ "$dry" = 1 ]; then printf '%q ' "$@"; printf '\n'; else "$@"; fi
}

content_type() {
  case "$1" in
    *.html) echo "text/html; charset=utf-8" ;;
    *.js|*.mjs) echo "text/javascript; charset=utf-8" ;;
    *.wasm) echo "application/wasm" ;;   # without it, streaming compilation fails
    *.css) echo "text/css; charset=utf-8" ;;
    *.csv) echo "text/csv; charset=utf-8" ;;
    *.json) echo "application/json" ;;
    *.svg) echo "image/svg+xml" ;;
    *.png) echo "image/png" ;;
    *.ico) echo "image/x-icon" ;;
    *.txt|*.md) echo "text/plain; charset=utf-8" ;;
    *) echo "application/octet-stream" ;;
  esac
}

is_hashed() {
  [[ "$(basename "$1")" =~ -[0-9a-f]{15,16}(_bg)?\.[a-z0-9]+$ ]]
}

upload() {
  local file="$1" key="$prefix${1#"$dist"/}" cache
  if is_hashed "$file"; then cache="public, max-age=31536000, immutable"; else cache="no-cache"; fi
  run aws s3 cp "$file" "s3://$bucket/$key" "${endpoint[@]}" --only-show-errors \
    --no-guess-mime-type --content-type "$(content_type "$file")" --cache-control "$cache"
}

mapfile -t files < <(cd "$dist" && find . -type f | sed 's|^\./||' | sort)
unhashed=()
for rel in "${files[@]}"; do
  [ "$rel" = index.html ] && continue
  upload "$dist/$rel"
  case "$rel" in
    split/*) split_files=1 ;;  # invalidated as one path below
    *) is_hashed "$rel" || unhashed+=("/$prefix$rel") ;;
  esac
done
[ -z "${split_files:-}" ] || unhashed+=("/${prefix}split/*")
upload "$dist/index.html"
unhashed+=("/${prefix}index.html" "/$prefix")

# What a previous deploy left and this one no longer has: listed, and
# deleted only with --delete-stale.
declare -A keep=()
for rel in "${files[@]}"; do keep["$prefix$rel"]=1; done
stale=()
if listing=$(aws s3api list-objects-v2 --bucket "$bucket" --prefix "$prefix" "${endpoint[@]}" \
               --query 'Contents[].Key' --output text 2>/dev/null); then
  while IFS= read -r key; do
    [ -z "$key" ] || [ "$key" = None ] && continue
    [ -n "${keep[$key]:-}" ] || stale+=("$key")
  done < <(printf '%s\n' "$listing" | tr '\t' '\n')
  if [ "${#stale[@]}" -gt 0 ] && [ "$delete" = 1 ]; then
    for key in "${stale[@]}"; do run aws s3 rm "s3://$bucket/$key" "${endpoint[@]}" --only-show-errors; done
  elif [ "${#stale[@]}" -gt 0 ]; then
    echo "left ${#stale[@]} objects under s3://$bucket/$prefix that are not in $dist/ (--delete-stale deletes them):"
    printf '  %s\n' "${stale[@]}"
  fi
else
  echo "could not list s3://$bucket/$prefix, so nothing stale was looked for or deleted"
fi

if [ -n "$distribution" ]; then
  run aws cloudfront create-invalidation --distribution-id "$distribution" --paths "${unhashed[@]}" "${endpoint[@]}"
fi
echo "deployed ${#files[@]} files to s3://$bucket/$prefix$([ "$dry" = 1 ] && echo ' (dry run)')"
