#!/usr/bin/env bash
# Installs every tool reelmeans needs on a fresh machine of this kind, and
# nothing that is already there (safe to run again). Nothing is downloaded
# except from the package registries (Rust crates, npm, Debian, Python).
#
#   scripts/setup.sh app    Rust wasm target, Trunk, wasm-bindgen CLI, wasm-opt
#   scripts/setup.sh test   the above + Chromium/ChromeDriver + e2e npm packages,
#                           the deploy tools, PySpark and a Java runtime
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-test}"
TOOLS="$PWD/.tools"
TRUNK_VERSION=0.21.14   # 0.22 needs a newer rustc than this machine has
BINARYEN_VERSION=132    # Debian's binaryen 108 cannot read today's rustc output

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

rustup target list --installed | grep -qx wasm32-unknown-unknown || {
  say "adding the wasm32 target"; rustup target add wasm32-unknown-unknown; }

if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (about 9 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# wasm-bindgen CLI must equal the wasm-bindgen crate in Cargo.lock.
WBG=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WBG"; then
  say "installing wasm-bindgen-cli $WBG (about 3 minutes)"
  cargo install wasm-bindgen-cli --version "$WBG"   # not --locked: its lock file names a crate the registry lacks
fi

if [ ! -x "$TOOLS/node_modules/.bin/wasm-opt" ]; then
  say "installing wasm-opt (binaryen@$BINARYEN_VERSION from npm)"
  mkdir -p "$TOOLS"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS" "binaryen@$BINARYEN_VERSION"
fi

if [ "$what" = test ]; then
  if ! cargo fuzz --version >/dev/null 2>&1; then
    say "installing cargo-fuzz (runs on stable Rust with --sanitizer none)"
    cargo install cargo-fuzz --version 0.13.2 --locked
  fi
  if ! cargo machete --version 2>/dev/null | grep -q "0.9.2"; then
    say "installing cargo-machete (finds dependencies nothing uses)"
    cargo install cargo-machete --version 0.9.2 --locked
  fi
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "installing Chromium and ChromeDriver from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  if ! .venv/bin/python -c "import pytest, moto, boto3, cfnlint, brotli" 2>/dev/null || [ ! -x .venv/bin/aws ]; then
    say "installing the deploy-test tools in .venv (pytest, moto, boto3, awscli, cfn-lint from PyPI)"
    [ -x .venv/bin/python ] || python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check -r tests/deploy/requirements.txt
  fi
  if ! command -v java >/dev/null 2>&1; then
    say "installing a Java runtime from Debian (the Spark job's tests run PySpark)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
  fi
  if ! .venv/bin/python -c "import pyspark, numpy" 2>/dev/null; then
    say "installing PySpark and numpy in .venv for the Spark job's tests (about 450 MB)"
    [ -x .venv/bin/python ] || python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check -r tests/spark/requirements.txt
  fi
  if [ ! -d tests/e2e/node_modules/playwright-core ] || [ ! -d tests/e2e/node_modules/axe-core ]; then
    say "installing playwright-core (it drives Debian's Chromium) and axe-core for the end-to-end tests"
    (cd tests/e2e && npm ci --silent --no-audit --no-fund)
  fi
fi
say "tools ready"
