#!/usr/bin/env bash
# Builds the app on the embedded default catalog and serves it on
# http://127.0.0.1:8080/ (installs the build tools first if they are missing).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh app
source scripts/env.sh
exec trunk serve --release "$@"
