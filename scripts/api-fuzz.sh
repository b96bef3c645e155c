#!/usr/bin/env bash
# Fuzzes every /api/v1 operation with schemathesis, all checks on, against the built
# server on a fresh database, signed in as a company's admin and with a platform
# token: zero failures or this fails.
#   scripts/api-fuzz.sh [server binary]        SQLite
#   LEADSY_FUZZ_POSTGRES_URL=postgres://… scripts/api-fuzz.sh   a fresh PostgreSQL database
# ST_MAX_EXAMPLES (default 20) bounds the cases per operation; ST_SEED replays a run.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-target/debug/leadsy-server}"
PORT="${LEADSY_FUZZ_PORT:-3300}"
ST="$(scripts/setup-schemathesis.sh)"
DATA=$(mktemp -d)
BASE="http://127.0.0.1:$PORT"

DB_URL="sqlite://$DATA/fuzz.db"
PG_DB=""
if [ -n "${LEADSY_FUZZ_POSTGRES_URL:-}" ]; then
  PG_DB="leadsy_fuzz_$$"
  psql "$LEADSY_FUZZ_POSTGRES_URL" -qc "CREATE DATABASE $PG_DB" >/dev/null
  DB_URL="${LEADSY_FUZZ_POSTGRES_URL%/*}/$PG_DB"
fi

export LEADSY_DATA_DIR="$DATA" DATABASE_URL="$DB_URL" LEADSY_ADDR="127.0.0.1:$PORT" \
  LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEADSY_PUBLIC_URL="$BASE" LEPTOS_SITE_ROOT=target/site \
  AUTH_ATTEMPTS_PER_MINUTE=1000000 RUST_LOG=warn LEADSY_RUNS_ALONE=1
"$BIN" > "$DATA/server.log" 2>&1 &
SERVER=$!
cleanup() {
  kill $SERVER 2>/dev/null || true
  wait $SERVER 2>/dev/null || true
  if [ -n "$PG_DB" ]; then
    psql "$LEADSY_FUZZ_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$DATA"
}
trap cleanup EXIT

for _ in $(seq 1 150); do
  curl -fs "$BASE/api/v1/memberships" > /dev/null && break
  kill -0 $SERVER 2>/dev/null || { cat "$DATA/server.log"; exit 1; }
  sleep 0.2
done

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
post() { curl -fsS -X POST -H 'Content-Type: application/json' ${3:+-H "Authorization: Bearer $3"} -d "$2" "$BASE/api/v1$1"; }

SIGNUP=$(post /users '{"email":"fuzz@leadsy.test","password":"fuzz-password-1","first_name":"Fuzz","last_name":"Admin"}')
export ST_TOKEN=$(echo "$SIGNUP" | json "['token']")
post /companies '{"name":"Fuzz Company"}' "$ST_TOKEN" > /dev/null
export ST_PLATFORM_TOKEN=$("$BIN" token create schemathesis | tail -1)

mkdir -p target/schemathesis
set +e
"$ST" --config-file scripts/schemathesis.toml run "$BASE/api/v1/openapi.json" \
  --checks all --max-examples "${ST_MAX_EXAMPLES:-20}" ${ST_SEED:+--seed "$ST_SEED"} --no-color 2>&1 | tee target/schemathesis/report.txt
status=${PIPESTATUS[0]}
set -e
if [ "$status" != 0 ]; then
  echo "schemathesis found failures (exit $status); the server's log ends:"
  grep -iE "error|panic" "$DATA/server.log" | tail -20 || true
  # CI shows a run's last lines: the failures again, so they are among them.
  sed -n '/=== FAILURES ===/,/=== WARNINGS ===/p' target/schemathesis/report.txt | head -120
fi
exit "$status"
