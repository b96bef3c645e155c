#!/usr/bin/env bash
# Installs schemathesis (a pinned version, in its own venv under target/) when it is
# missing, and prints the path of its `st` command.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=4.32.5
VENV="$PWD/target/schemathesis-venv"
if [ "$("$VENV/bin/st" --version 2>/dev/null | awk '{print $3}')" != "$VERSION" ]; then
  PY=""
  for candidate in python3.13 python3.12 python3.11 python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 \
      && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      PY="$candidate"; break
    fi
  done
  if [ -z "$PY" ]; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y python3 python3-venv >&2
    PY=/usr/bin/python3
  fi
  echo "[setup] installing schemathesis $VERSION" >&2
  rm -rf "$VENV"
  "$PY" -m venv "$VENV" >&2 || {
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y python3-venv >&2
    "$PY" -m venv "$VENV" >&2
  }
  "$VENV/bin/pip" install -q "schemathesis==$VERSION" >&2
fi
echo "$VENV/bin/st"
