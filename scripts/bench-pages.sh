#!/usr/bin/env bash
# Page weight and time to interactive of a 100,000-lead company's board, this build
# against a baseline build of an earlier commit, in one run (scripts/bench-pages.mjs).
#   scripts/bench-pages.sh [baseline-ref] [runs]
# The baseline defaults to the last commit before the pages became islands. Both are
# release builds; the baseline's is kept under target/bench-baseline and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
REF="${1:-c711bc7}"
RUNS="${2:-3}"
ROOT=$(pwd)
BASE="$ROOT/target/bench-baseline"

scripts/setup.sh --browser
cargo leptos build --release
if [ ! -x "$BASE/tree/target/release/leadsy-server" ] || [ "$(cat "$BASE/ref" 2>/dev/null)" != "$REF" ]; then
  rm -rf "$BASE" && mkdir -p "$BASE"
  git worktree prune
  git worktree add --detach "$BASE/tree" "$REF"
  ln -s "$ROOT/node_modules" "$BASE/tree/node_modules"
  (cd "$BASE/tree" && cargo leptos build --release)
  echo "$REF" > "$BASE/ref"
fi

DATA=$(mktemp -d)
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DATA"' EXIT
# The baseline makes the data (its migrations are the older ones); each server gets a copy.
mkdir -p "$DATA/baseline" "$DATA/candidate"
OUT=$(LEADSY_DATA_DIR="$DATA/baseline" DATABASE_URL="sqlite://$DATA/baseline/leadsy.db" RUST_LOG=warn \
  "$BASE/tree/target/release/leadsy-server" demo-data 1 100000)
EMAIL=$(echo "$OUT" | grep -o 'log in as [^ ]*' | awk '{print $4}')
cp "$DATA/baseline/leadsy.db" "$DATA/candidate/leadsy.db"

start() { # name binary site port
  LEADSY_DATA_DIR="$DATA/$1" DATABASE_URL="sqlite://$DATA/$1/leadsy.db" LEADSY_ADDR="127.0.0.1:$4" \
    LEPTOS_SITE_ADDR="127.0.0.1:$4" LEADSY_PUBLIC_URL="http://127.0.0.1:$4" LEPTOS_SITE_ROOT="$3" \
    AUTH_ATTEMPTS_PER_MINUTE=1000 RUST_LOG=warn "$2" > "$DATA/$1.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$4/api/v1/memberships" > /dev/null && return 0
    sleep 0.2
  done
  cat "$DATA/$1.log"; exit 1
}
start baseline "$BASE/tree/target/release/leadsy-server" "$BASE/tree/target/site" 3201
start candidate "$ROOT/target/release/leadsy-server" "$ROOT/target/site" 3202

echo "baseline: $REF; this build: $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (with changes)')"
node scripts/bench-pages.mjs http://127.0.0.1:3201 http://127.0.0.1:3202 "$EMAIL" "$RUNS"
