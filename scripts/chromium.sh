#!/usr/bin/env bash
# Run a command with Debian's Chromium for the browser tests: `bash scripts/chromium.sh CMD...`.
# Installs the `chromium` package (and CJK fonts, so screenshots show Chinese) if missing
# (root, apt-get), exports HEGUI_TEST_CHROMIUM for CMD. HEGUI_TEST_CHROMIUM already set: used
# as is. CI=true: no browser is an error; otherwise the browser tests skip, saying why.
set -uo pipefail
if [ $# -eq 0 ]; then echo "usage: bash scripts/chromium.sh COMMAND [ARGS...]" >&2; exit 2; fi
if [ -n "${HEGUI_TEST_CHROMIUM:-}" ]; then exec "$@"; fi
say() { echo "[chromium] $*" >&2; }
find_browser() { command -v chromium || command -v chromium-browser || true; }
BROWSER=$(find_browser)
if [ -z "$BROWSER" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  say "installing Debian's chromium (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get install -y -qq chromium fonts-noto-cjk >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }; } || true
  BROWSER=$(find_browser)
fi
if [ -z "$BROWSER" ]; then
  if [ "${CI:-}" = "true" ]; then say "ERROR: chromium is not installed and cannot be installed here"; exit 1; fi
  say "chromium is not installed and cannot be installed here — browser tests will be skipped"
  exec "$@"
fi
export HEGUI_TEST_CHROMIUM="$BROWSER"
exec "$@"
