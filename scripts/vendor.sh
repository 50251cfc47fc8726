#!/usr/bin/env bash
# Vendor the console's browser libraries from the npm registry (at setup, never at run time):
# ECharts' minified build and its licence into src/hegui/web/static/vendor/. Idempotent.
# Without npm the console still works and shows its figures as tables.
set -euo pipefail
cd "$(dirname "$0")/.."
ECHARTS=5.6.0
DEST=src/hegui/web/static/vendor
[ -f "$DEST/echarts.min.js" ] && [ "$(cat "$DEST/.echarts-version" 2>/dev/null)" = "$ECHARTS" ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
  echo "[vendor] npm not found: the console will show tables instead of charts" >&2
  if [ "${CI:-}" = "true" ]; then exit 1; fi
  exit 0
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# npm checks the tarball against the registry's integrity hash.
(cd "$TMP" && npm pack "echarts@$ECHARTS" --silent >/dev/null)
tar -xzf "$TMP/echarts-$ECHARTS.tgz" -C "$TMP" package/dist/echarts.min.js package/LICENSE
mkdir -p "$DEST"
cp "$TMP/package/dist/echarts.min.js" "$DEST/echarts.min.js"
cp "$TMP/package/LICENSE" "$DEST/ECHARTS-LICENSE"
echo "$ECHARTS" > "$DEST/.echarts-version"
echo "[vendor] ECharts $ECHARTS → $DEST" >&2
