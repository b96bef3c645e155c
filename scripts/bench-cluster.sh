#!/usr/bin/env bash
# The load figure of several instances: requests per second and p99 of the lead list
# (`GET /api/v1/companies/{id}/leads`, a page of 25) and the board page (`/board`,
# rendered on the server), with wrk, against one instance alone and then against
# three instances behind nginx (scripts/cluster/nginx.conf), all on one fresh
# PostgreSQL database of demo leads with files in moto's S3, in one run.
#   scripts/bench-cluster.sh [leads]          default 20,000 leads
# Needs the release build (`./run` or `cargo leptos build --release`) and
# LEADSY_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test).
set -euo pipefail
cd "$(dirname "$0")/.."
LEADS="${1:-20000}"
BIN=target/release/leadsy-server
PG="${LEADSY_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
DURATION="${BENCH_SECS:-15}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"
[ -x "$BIN" ] || { echo "build first: cargo leptos build --release"; exit 1; }
scripts/setup.sh
if ! command -v wrk > /dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get install -y wrk > /dev/null
fi

WORK=$(mktemp -d)
DB="leadsy_bench_cluster_$$"
PIDS=()
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql "$PG" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" > /dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

psql "$PG" -qc "CREATE DATABASE $DB" > /dev/null
S3_PORT=$(free_port)
target/test-venv/bin/python scripts/s3-server.py "$S3_PORT" leadsy-bench > /dev/null 2>&1 &
PIDS+=($!)
PROXY_PORT=$(free_port)
export DATABASE_URL="${PG%/*}/$DB" LEPTOS_SITE_ROOT=target/site RUST_LOG=warn \
  JWT_SECRET=bench-secret-bench-secret-bench-secret \
  S3_BUCKET=leadsy-bench S3_ENDPOINT="http://127.0.0.1:$S3_PORT" S3_REGION=us-east-1 \
  S3_ACCESS_KEY_ID=bench S3_SECRET_ACCESS_KEY=bench \
  LEADSY_PUBLIC_URL="http://127.0.0.1:$PROXY_PORT" CLIENT_IP_HEADER=X-Forwarded-For \
  AUTH_ATTEMPTS_PER_MINUTE=100000 DB_MAX_CONNECTIONS=10
until curl -fs "http://127.0.0.1:$S3_PORT/leadsy-bench" > /dev/null 2>&1; do sleep 0.2; done

echo "filling a company with $LEADS leads…"
LOGIN=$(LEADSY_DATA_DIR="$WORK/fill" "$BIN" demo-data 1 "$LEADS" | grep "log in as")
COMPANY=$(echo "$LOGIN" | awk '{print $2}')
EMAIL=$(echo "$LOGIN" | awk '{print $(NF-2)}')
PASSWORD=$(echo "$LOGIN" | awk '{print $NF}')
psql "${PG%/*}/$DB" -qc "ANALYZE" > /dev/null

# Starts instance $1 on port $2; its pid in PIDS, and waits until it is ready.
start() {
  mkdir -p "$WORK/i$1"
  LEADSY_DATA_DIR="$WORK/i$1" LEADSY_ADDR="127.0.0.1:$2" LEPTOS_SITE_ADDR="127.0.0.1:$2" \
    "$BIN" > "$WORK/i$1.log" 2>&1 &
  PIDS+=($!)
  until curl -fs "http://127.0.0.1:$2/readyz" > /dev/null; do sleep 0.1; done
}

# rps and p99 of wrk against $1 with the header $2.
measure() {
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "$2" "$1" > "$WORK/wrk.txt"
  if grep -q "Non-2xx" "$WORK/wrk.txt"; then cat "$WORK/wrk.txt"; exit 1; fi
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")
  echo "$rps $p99"
}

# The lead list and the board through $1; prints "list_rps list_p99 board_rps board_p99".
both() {
  local token cookie action
  token=$(curl -fs -X POST -H 'Content-Type: application/json' \
    -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" "$1/api/v1/users/login" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  action=$(curl -fs "$1/login" | grep -o 'action="/rpc/log_in[^"]*"' | head -1 | cut -d'"' -f2)
  cookie=$(curl -fsi -X POST -H "Origin: http://127.0.0.1:$PROXY_PORT" \
    -H 'Content-Type: application/x-www-form-urlencoded' -H 'Accept: text/html' \
    --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" "$1$action" \
    | grep -io 'set-cookie: leadsy_session=[^;]*' | cut -d' ' -f2)
  echo "$(measure "$1/api/v1/companies/$COMPANY/leads?per_page=25" "Authorization: Bearer $token") \
$(measure "$1/board" "Cookie: $cookie")"
}

ALONE_PORT=$(free_port)
start 0 "$ALONE_PORT"
echo "one instance alone ($DURATION s per case, $CONNECTIONS connections)…"
read -r A_LIST A_LIST_P99 A_BOARD A_BOARD_P99 < <(both "http://127.0.0.1:$ALONE_PORT")

UPSTREAMS=""
for i in 1 2 3; do
  port=$(free_port)
  start "$i" "$port"
  UPSTREAMS+="        server 127.0.0.1:$port max_fails=1 fail_timeout=2s;"$'\n'
done
mkdir -p "$WORK/nginx"
python3 - "$WORK/nginx" "$PROXY_PORT" "$UPSTREAMS" <<'EOF'
import sys
dir, port, upstreams = sys.argv[1:]
conf = open("scripts/cluster/nginx.conf").read()
conf = conf.replace("{{DIR}}", dir).replace("{{LISTEN}}", f"127.0.0.1:{port}").replace("{{UPSTREAMS}}", upstreams.rstrip())
open(f"{dir}/nginx.conf", "w").write(conf)
EOF
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
PIDS+=($!)
until curl -fs "http://127.0.0.1:$PROXY_PORT/healthz" > /dev/null; do sleep 0.1; done
echo "three instances behind nginx…"
read -r C_LIST C_LIST_P99 C_BOARD C_BOARD_P99 < <(both "http://127.0.0.1:$PROXY_PORT")

ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
echo
echo "| case | one instance: req/s, p99 | three behind nginx: req/s, p99 | req/s ratio |"
echo "|---|---:|---:|---:|"
echo "| lead list (page of 25) | $A_LIST, $A_LIST_P99 | $C_LIST, $C_LIST_P99 | $(ratio "$C_LIST" "$A_LIST") |"
echo "| board page | $A_BOARD, $A_BOARD_P99 | $C_BOARD, $C_BOARD_P99 | $(ratio "$C_BOARD" "$A_BOARD") |"
