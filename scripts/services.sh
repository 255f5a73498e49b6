#!/usr/bin/env bash
# Starts or stops the services a scaled-out colleague uses — Debian's redis-server and
# PostgreSQL 15 — on 127.0.0.1, with their data in a folder of their own (no systemd, nothing
# system-wide touched). `up` prints the URLs as shell exports, so
#   eval "$(scripts/services.sh up)"
# gives the tests (COLLEAGUE_TEST_REDIS_URL, COLLEAGUE_TEST_POSTGRES_URL) what they need.
#   scripts/services.sh up | down | status
# COLLEAGUE_SERVICES_DIR (default: $TMPDIR/colleague-services), COLLEAGUE_REDIS_PORT (56379)
# and COLLEAGUE_POSTGRES_PORT (55432) choose where.
set -euo pipefail

dir="${COLLEAGUE_SERVICES_DIR:-${TMPDIR:-/tmp}/colleague-services}"
redis_port="${COLLEAGUE_REDIS_PORT:-56379}"
pg_port="${COLLEAGUE_POSTGRES_PORT:-55432}"
pg_bin="${COLLEAGUE_POSTGRES_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
pg_data="$dir/postgres"

# PostgreSQL refuses to run as root: as root its files belong to, and it runs as, the postgres user.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

say() { echo "services: $*" >&2; }

urls() {
  echo "export COLLEAGUE_TEST_REDIS_URL=redis://127.0.0.1:$redis_port"
  echo "export COLLEAGUE_TEST_POSTGRES_URL=postgres://colleague@127.0.0.1:$pg_port/colleague"
}

up() {
  command -v redis-server >/dev/null || { say "redis-server is not installed (apt-get install redis-server)"; exit 1; }
  [ -x "$pg_bin/pg_ctl" ] || { say "PostgreSQL is not installed (apt-get install postgresql)"; exit 1; }
  mkdir -p "$dir/redis"
  if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
    redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$dir/redis" --daemonize yes \
      --pidfile "$dir/redis/redis.pid" --logfile "$dir/redis/redis.log" --save "" --appendonly no >/dev/null
    for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    say "redis on 127.0.0.1:$redis_port"
  fi
  if [ ! -s "$pg_data/PG_VERSION" ]; then
    mkdir -p "$pg_data"
    [ "$(id -u)" -eq 0 ] && chown postgres "$pg_data"
    chmod 700 "$pg_data"
    as_pg "$pg_bin/initdb" -D "$pg_data" -U colleague --auth=trust -E UTF8 >/dev/null
  fi
  if ! as_pg "$pg_bin/pg_ctl" -D "$pg_data" status >/dev/null 2>&1; then
    # The socket goes into the data folder: /var/run/postgresql may not be there or be writable.
    as_pg "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_data/server.log" -w \
      -o "-h 127.0.0.1 -p $pg_port -k $pg_data -c max_connections=200" start >/dev/null
    say "postgresql on 127.0.0.1:$pg_port"
  fi
  as_pg "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U colleague -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'colleague'" | grep -q 1 ||
    as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U colleague colleague
  urls | tee "$dir/env"
}

down() {
  if [ -f "$dir/redis/redis.pid" ] && redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
    redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
    say "redis stopped"
  fi
  if [ -s "$pg_data/PG_VERSION" ] && as_pg "$pg_bin/pg_ctl" -D "$pg_data" status >/dev/null 2>&1; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null
    say "postgresql stopped"
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status)
    redis-cli -p "$redis_port" ping >/dev/null 2>&1 && say "redis up on $redis_port" || say "redis down"
    as_pg "$pg_bin/pg_ctl" -D "$pg_data" status >/dev/null 2>&1 && say "postgresql up on $pg_port" || say "postgresql down"
    ;;
  *) echo "usage: scripts/services.sh up|down|status" >&2; exit 2 ;;
esac
