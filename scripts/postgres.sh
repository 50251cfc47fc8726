#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL: `bash scripts/postgres.sh CMD ARGS...`.
# Installs Debian's postgresql if missing (root), starts a private cluster in a temp dir
# (Unix socket only, no TCP port, as a non-root user), creates a database, exports
# HEGUI_TEST_POSTGRES_URL for CMD, and removes everything afterwards.
# HEGUI_TEST_POSTGRES_URL already set: CMD uses that server. CI=true: no server is an error;
# otherwise CMD runs without one and the PostgreSQL tests skip, saying why.
set -uo pipefail

if [ $# -eq 0 ]; then echo "usage: bash scripts/postgres.sh COMMAND [ARGS...]" >&2; exit 2; fi
if [ -n "${HEGUI_TEST_POSTGRES_URL:-}" ]; then exec "$@"; fi
CMD=("$@")

say() { echo "[postgres] $*" >&2; }
unavailable() {
  if [ "${CI:-}" = "true" ]; then say "ERROR: $* (CI needs PostgreSQL)"; exit 1; fi
  say "$* — PostgreSQL tests will be skipped"
  exec "${CMD[@]}"
}

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

install_postgres() {
  [ "$(id -u)" = 0 ] || return 1
  say "installing Debian's postgresql (apt-get)"
  # Only the binaries are wanted: no system-wide cluster started on port 5432.
  mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/hegui.conf
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
}

BIN=$(find_bin)
if [ -z "$BIN" ]; then
  install_postgres || true
  BIN=$(find_bin)
fi
if [ -z "$BIN" ]; then unavailable "postgresql is not installed and cannot be installed here"; fi

DIR=$(mktemp -d /tmp/hegui-pg.XXXXXX)
chmod 755 "$DIR"
RUNAS=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$DIR"
  RUNAS=(runuser -u postgres --)
fi
pg() { "${RUNAS[@]}" "$BIN/$1" "${@:2}"; }
cleanup() {
  pg pg_ctl -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start() {
  pg initdb -D "$DIR/data" -U hegui -A trust -E UTF8 --no-locale --no-sync >"$DIR/initdb.log" 2>&1 &&
  pg pg_ctl -D "$DIR/data" -l "$DIR/server.log" -w -t 60 -o \
    "-k $DIR -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" \
    start >/dev/null &&
  "$BIN/createdb" -h "$DIR" -U hegui hegui_test
}
if ! start; then
  cat "$DIR/initdb.log" "$DIR/server.log" 2>/dev/null | tail -n 20 >&2
  cleanup; trap - EXIT
  unavailable "could not start PostgreSQL"
fi

export HEGUI_TEST_POSTGRES_URL="postgresql+psycopg://hegui@/hegui_test?host=$DIR"
say "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') at $DIR"
"${CMD[@]}"
rc=$?
exit "$rc"
