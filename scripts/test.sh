#!/usr/bin/env bash
# Runs every test: unit and domain tests, the HTTP tests of every /api/v1 route on
# SQLite and (when LEADSY_TEST_POSTGRES_URL is set) PostgreSQL, a check that no
# server-only crate reaches the WASM build, schemathesis over every API operation on
# both databases, and the browser tests in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
export PATH="$PWD/node_modules/.bin:$PATH"
say() { printf '\n\033[1;34m[test]\033[0m %s\n' "$*"; }

say "the WASM bundle carries no server-only crate"
leaked=$(cargo tree -p leadsy-app --target wasm32-unknown-unknown --no-default-features --features hydrate -e normal --prefix none \
  | awk '{print $1}' | grep -xE 'sqlx|sqlx-core|argon2|tokio|lettre|libsqlite3-sys|tower-sessions|axum|leptos_axum' | sort -u || true)
if [ -n "$leaked" ]; then
  echo "server-only crates in the WASM build: $leaked"; exit 1
fi
echo "ok"

say "formatting and lints (server and WASM builds)"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p leadsy-app --target wasm32-unknown-unknown --no-default-features --features hydrate -- -D warnings

say "Rust tests on SQLite"
LEADSY_TEST_POSTGRES_URL= cargo test --workspace

if [ -n "${LEADSY_TEST_POSTGRES_URL:-}" ]; then
  say "Rust tests on PostgreSQL ($LEADSY_TEST_POSTGRES_URL)"
  psql "$LEADSY_TEST_POSTGRES_URL" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'leadsy_test_%'" 2>/dev/null \
    | while read -r db; do psql "$LEADSY_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; done
  cargo test --workspace
fi

cargo leptos build

say "the API fuzzed against its OpenAPI document (schemathesis, every check) on SQLite"
scripts/api-fuzz.sh target/debug/leadsy-server > /dev/null || { tail -60 target/schemathesis/report.txt; exit 1; }
tail -3 target/schemathesis/report.txt
if [ -n "${LEADSY_TEST_POSTGRES_URL:-}" ]; then
  say "the same on PostgreSQL"
  LEADSY_FUZZ_POSTGRES_URL="$LEADSY_TEST_POSTGRES_URL" scripts/api-fuzz.sh target/debug/leadsy-server > /dev/null \
    || { tail -60 target/schemathesis/report.txt; exit 1; }
  tail -3 target/schemathesis/report.txt
fi

say "browser tests (Playwright, headless Chromium)"
end2end/run.sh
