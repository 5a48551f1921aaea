#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the register's tests (tests/register_db.rs).
#
# Sourced by .ci/run: installs Debian's PostgreSQL if it is missing, makes a cluster owned by
# the `postgres` user in a temporary directory, starts it on a free port of 127.0.0.1, creates
# a database and exports ANYQTAMA_TEST_POSTGRES=postgres://postgres@127.0.0.1:PORT/anyqtama_test.
# The cluster is stopped and its directory removed when the shell that sourced it exits.
#
# Run directly, it does the same around a command:  bash .ci/postgres.sh cargo test --test register_db
# Needs root (apt-get, and to act as the `postgres` user).

pg_bin_dir() {
  # Debian's own binaries: the newest /usr/lib/postgresql/N/bin with initdb and pg_ctl.
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/createdb" ]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

anyqtama_pg_start() {
  local bin dir port p
  if ! bin=$(pg_bin_dir) || ! id postgres >/dev/null 2>&1; then
    echo "== installing postgresql"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    bin=$(pg_bin_dir) || { echo "no initdb under /usr/lib/postgresql/*/bin after installing postgresql" >&2; return 1; }
  fi
  port=""
  for p in $(seq 55432 55532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      port=$p
      break
    fi
  done
  [ -n "$port" ] || { echo "no free port for PostgreSQL in 55432-55532" >&2; return 1; }
  dir=$(mktemp -d /tmp/anyqtama-pg.XXXXXX)
  chown postgres "$dir"
  chmod 700 "$dir"
  echo "== PostgreSQL ($bin) in $dir on port $port"
  runuser -u postgres -- "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; return 1; }
  runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null \
    || { cat "$dir/server.log" >&2; return 1; }
  ANYQTAMA_PG_BIN=$bin
  ANYQTAMA_PG_DIR=$dir
  trap anyqtama_pg_stop EXIT
  runuser -u postgres -- "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres anyqtama_test || return 1
  export ANYQTAMA_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/anyqtama_test"
  echo "== ANYQTAMA_TEST_POSTGRES=$ANYQTAMA_TEST_POSTGRES"
}

anyqtama_pg_stop() {
  if [ -n "${ANYQTAMA_PG_DIR:-}" ]; then
    runuser -u postgres -- "$ANYQTAMA_PG_BIN/pg_ctl" -D "$ANYQTAMA_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$ANYQTAMA_PG_DIR"
    ANYQTAMA_PG_DIR=""
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  anyqtama_pg_start
  "$@"
else
  anyqtama_pg_start
fi
