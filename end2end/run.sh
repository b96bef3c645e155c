#!/usr/bin/env bash
# Starts the built server on a scratch SQLite database and runs the Playwright tests
# against it in headless Chromium; stops the server whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${LEADSY_E2E_PORT:-3100}"
DATA=$(mktemp -d)
BIN="${LEADSY_E2E_BIN:-target/debug/leadsy-server}"

LEADSY_DATA_DIR="$DATA" DATABASE_URL="sqlite://$DATA/e2e.db" LEADSY_ADDR="127.0.0.1:$PORT" \
  LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEADSY_PUBLIC_URL="http://127.0.0.1:$PORT" LEPTOS_SITE_ROOT=target/site \
  AUTH_ATTEMPTS_PER_MINUTE=1000 RUST_LOG=warn "$BIN" > "$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT

for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/api/v1/memberships" > /dev/null && break
  kill -0 $SERVER 2>/dev/null || { cat "$DATA/server.log"; exit 1; }
  sleep 0.2
done

LEADSY_E2E_URL="http://127.0.0.1:$PORT" LEADSY_E2E_DATA="$DATA" LEADSY_E2E_BIN="$BIN" \
  node_modules/.bin/playwright test -c end2end/playwright.config.ts "$@" || { tail -50 "$DATA/server.log"; exit 1; }
