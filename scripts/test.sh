#!/usr/bin/env bash
# Installs what the tests need (once) and runs every test:
# formatting and lints, native unit/property/integration/doc tests, wasm tests
# in headless Chromium, and end-to-end tests against the release build
# served from a sub-path.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
source scripts/env.sh

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "format and lints (native and wasm32)"
cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --bins --tests -- -D warnings

step "unused dependencies (the app's crate and the fuzz targets')"
cargo machete . fuzz

step "native tests"
cargo test

step "fuzzing, bounded: the CSV and spreadsheet readers with role and format inference, and the whole pipeline"
# Stable Rust: libFuzzer coverage without a sanitizer (Rust code is memory-safe;
# the targets look for panics and broken invariants). The hostile corpus seeds both.
mkdir -p fuzz/corpus/catalog fuzz/corpus/pipeline
cargo fuzz run --sanitizer none catalog fuzz/corpus/catalog tests/hostile tests/fixtures/formats -- -max_total_time="${FUZZ_SECONDS:-20}" -max_len=65536
cargo fuzz run --sanitizer none pipeline fuzz/corpus/pipeline tests/hostile -- -max_total_time="${FUZZ_SECONDS:-20}" -max_len=4096

step "wasm tests in headless Chromium"
cargo test --target wasm32-unknown-unknown --test web

step "the Spark path: one pipeline encoded alike in Rust and Python, the job in local[2] on ml-latest-small"
.venv/bin/python -m pytest -q tests/spark

step "release build"
trunk build --release

step "deployment: deploy script against a local S3 (moto), template through cfn-lint"
.venv/bin/python -m pytest -q tests/deploy

step "end-to-end tests in headless Chromium (release build under /some/prefix/)"
(cd tests/e2e && npm test)
