#!/usr/bin/env bash
# Runs the coverage-guided fuzz targets (cargo fuzz, libFuzzer) for a given time each.
#   scripts/fuzz.sh                   every target for 60 seconds
#   scripts/fuzz.sh csv_reader 600    one target for ten minutes
# Targets: csv_reader (an import file read and resumed), row_parser (one row made a
# lead), api_requests (any request to the whole application). Findings are kept in
# fuzz/artifacts/<target>/; the corpus grows in fuzz/corpus/<target>/ from the seeds
# in fuzz/seeds/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGETS=(csv_reader row_parser api_requests)
case "${1:-all}" in
  all) chosen=("${TARGETS[@]}") ;;
  csv_reader|row_parser|api_requests) chosen=("$1") ;;
  *) echo "unknown target $1 (one of: ${TARGETS[*]}, all)"; exit 2 ;;
esac
SECS="${2:-60}"

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "[fuzz] installing the nightly toolchain (cargo fuzz needs it)"
  rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "[fuzz] installing cargo-fuzz"
  cargo +nightly install cargo-fuzz --locked
fi

cd fuzz
cargo +nightly fuzz build --dev --sanitizer none
for target in "${chosen[@]}"; do
  mkdir -p "corpus/$target" "seeds/$target"
  echo "[fuzz] $target for ${SECS}s"
  cargo +nightly fuzz run --dev --sanitizer none "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$SECS" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1
done
