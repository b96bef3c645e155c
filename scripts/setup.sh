#!/usr/bin/env bash
# Installs what building and testing Leadsy needs, skipping what is already there.
#   scripts/setup.sh            build tools (wasm target, cargo-leptos, wasm-bindgen, npm packages,
#                               the tests' peers: Standard Webhooks, an SMTP server, moto's S3,
#                               nginx)
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
# TLS, with a certificate made by `cryptography`; the storage tests keep files in
# moto's S3-compatible server.
TEST_VENV=target/test-venv
if ! "$TEST_VENV/bin/python" -c "import standardwebhooks, aiosmtpd, cryptography, moto.server, flask_cors" 2>/dev/null; then
  say "installing the tests' Python peers (standardwebhooks, aiosmtpd, cryptography, moto)"
  python3 -m venv "$TEST_VENV"
  "$TEST_VENV/bin/pip" install --quiet "standardwebhooks==1.1.0" "aiosmtpd==1.4.6" "cryptography==46.0.3" \
    "moto[server]==5.2.6"
fi

SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
apt_install() {
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "$@"
}

# The several-instances test runs the instances behind nginx, started by the test
# itself on a port of its own: the package's own service is kept from starting.
if ! command -v nginx > /dev/null && [ ! -x /usr/sbin/nginx ]; then
  say "installing nginx from Debian"
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d > /dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt_install nginx-light
fi

if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then
  say "installing Chromium from Debian"
  apt_install chromium
fi
say "tools ready"
