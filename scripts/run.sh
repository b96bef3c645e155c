#!/usr/bin/env bash
# Builds Leadsy (release) and serves it on http://127.0.0.1:3000 with the embedded
# SQLite database under ./data. Configuration: see the README (and .env).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"
cargo leptos build --release
export LEPTOS_SITE_ROOT=target/site
exec target/release/leadsy-server "$@"
