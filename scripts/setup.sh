#!/usr/bin/env bash
# Installs what building and testing Leadsy needs, skipping what is already there.
#   scripts/setup.sh            build tools (wasm target, cargo-leptos, wasm-bindgen, npm packages,
#                               the tests' Python peers: Standard Webhooks, an SMTP server)
#   scripts/setup.sh --browser  the same, plus Chromium for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 20 minutes, once)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi

# The CLI must match the wasm-bindgen crate locked in Cargo.lock exactly.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3; exit}' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VERSION" ]; then
  say "installing wasm-bindgen-cli $WB_VERSION"
  cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi

if [ ! -x node_modules/.bin/tailwindcss ] || [ ! -x node_modules/.bin/wasm-opt ] || [ package.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (tailwind, wasm-opt, Playwright)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

# The tests' peers, from PyPI: the webhook tests verify every delivery with the
# published Standard Webhooks library; the mail tests send to an aiosmtpd server over
# TLS, with a certificate made by `cryptography`.
TEST_VENV=target/test-venv
if ! "$TEST_VENV/bin/python" -c "import standardwebhooks, aiosmtpd, cryptography" 2>/dev/null; then
  say "installing the tests' Python peers (standardwebhooks, aiosmtpd, cryptography)"
  python3 -m venv "$TEST_VENV"
  "$TEST_VENV/bin/pip" install --quiet "standardwebhooks==1.1.0" "aiosmtpd==1.4.6" "cryptography==46.0.3"
fi

if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then
  say "installing Chromium from Debian"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium
fi
say "tools ready"
