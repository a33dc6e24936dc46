#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server (Debian's `postgresql`, installed when missing) for the
# example server's PostgreSQL tests: a new cluster in $AFLIX_PG_DIR (default /tmp/aflix-postgres)
# listening on 127.0.0.1:$AFLIX_PG_PORT (default 54329), with a role `aflix` (password `aflix`,
# allowed to create databases: each test makes its own). Prints the URL the tests read from
# AFLIX_POSTGRES_URL:
#   export AFLIX_POSTGRES_URL=$(Examples/AFlixServer/scripts/start-postgres.sh)
# `start-postgres.sh stop` stops it and removes the cluster.
set -euo pipefail
dir=${AFLIX_PG_DIR:-/tmp/aflix-postgres}
port=${AFLIX_PG_PORT:-54329}
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

if [ "${1:-}" = "stop" ]; then
  [ -n "$bin" ] && [ -d "$dir" ] && as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
  $sudo rm -rf "$dir"
  exit 0
fi

if [ -z "$bin" ]; then
  echo "Installing postgresql …" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

if [ -d "$dir/data" ] && as_postgres "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  echo "postgres://aflix:aflix@127.0.0.1:$port/postgres"
  exit 0
fi
$sudo rm -rf "$dir"
$sudo mkdir -p "$dir"
$sudo chown postgres "$dir"
as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
  -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=200" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
as_postgres "$bin/psql" -h "$dir" -p "$port" -U postgres -q -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE aflix LOGIN CREATEDB PASSWORD 'aflix'" >/dev/null
echo "postgres://aflix:aflix@127.0.0.1:$port/postgres"
