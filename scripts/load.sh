#!/usr/bin/env bash
# Load test of Coffeechat (issue 6): builds release binaries, serves the demo data on SQLite (default) or on a
# fresh PostgreSQL database, and measures at 64 connections:
#   1. the host page with its slots, `GET /h/{handle}` over the demo hosts, with wrk (closed loop);
#   2. coffeechat-load's `mix` (browse, view slots, request, accept);
#   3. coffeechat-load's `accept` (hosts accepting requests sent just before: bookings per second on their own).
# On PostgreSQL it then runs pgbench's simple-update script (-N) with the same client count and duration on a
# scratch database of the same server, and prints accepted bookings/s (of `accept`) against pgbench's tps.
#
#   scripts/load.sh [sqlite|postgres]
#
# Needs wrk (`apt-get install wrk`; without it the host page is measured with coffeechat-load, whose own CPU
# use on this machine caps what it can show) and, for postgres, psql and pgbench.
# Environment: CONNECTIONS (64), DURATION (30 s measured per scenario), WARM_UP (5 s), HOSTS (32, signed up
# by the mix and by accept), PORT (18080), PROFILE (release; `dev` only to try the script out), RUST_LOG (warn:
# per-request log lines would be part of what is measured), COFFEECHAT_LOAD_POSTGRES_URL (an admin URL,
# allowed to create databases; default postgres://postgres@127.0.0.1:5432/postgres; the databases this script
# creates are dropped at the end). The load clients run on the same machine as the server.
set -euo pipefail

backend=${1:-sqlite}
case "$backend" in sqlite | postgres) ;; *) echo "usage: $0 [sqlite|postgres]" >&2; exit 64 ;; esac
connections=${CONNECTIONS:-64}
duration=${DURATION:-30}
warm_up=${WARM_UP:-5}
hosts=${HOSTS:-32}
port=${PORT:-18080}
profile=${PROFILE:-release}
admin_url=${COFFEECHAT_LOAD_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}

cd "$(dirname "$0")/.."
cargo build --profile "$profile" --locked -p coffeechat -p coffeechat-loadtest
bin=target/$([ "$profile" = dev ] && echo debug || echo "$profile")

work=$(mktemp -d)
server_pid=
databases=()
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  for name in "${databases[@]}"; do
    psql -q "$admin_url" -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

# The admin URL with another database name (the last path segment replaced).
database_url() { echo "${admin_url%/*}/$1"; }

stamp=$(date +%s)
if [ "$backend" = postgres ]; then
  name="coffeechat_load_$stamp"
  psql -q "$admin_url" -c "CREATE DATABASE \"$name\"" >/dev/null
  databases+=("$name")
  db=$(database_url "$name")
else
  db="$work/coffeechat.db"
fi

if curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
  echo "something already answers on port $port: set PORT" >&2
  exit 1
fi
echo "== coffeechat serve --demo on $backend (port $port, worker off, RUST_LOG=${RUST_LOG:-warn})"
RUST_LOG=${RUST_LOG:-warn} "$bin/coffeechat" serve --demo --no-worker --db "$db" --bind "127.0.0.1:$port" \
  --secret-key-file "$work/secret.key" --mail-dir "$work/mail" 2>"$work/server.log" &
server_pid=$!
# Up once /healthz answers (the demo data is loaded before the server listens).
for _ in $(seq 1 600); do
  if curl -fs "http://127.0.0.1:$port/healthz" >/dev/null; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then cat "$work/server.log" >&2; echo "the server did not start" >&2; exit 1; fi
  sleep 0.1
done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$work/server.log" >&2; echo "no answer in 60 s" >&2; exit 1; }

echo "== $connections connections, ${warm_up} s warm-up, ${duration} s measured per scenario"
status=0
load() {
  "$bin/coffeechat-load" --base "http://127.0.0.1:$port" --connections "$connections" --duration "$duration" \
    --warm-up "$warm_up" "$@"
}
curl -fs "http://127.0.0.1:$port/api/v1/hosts?limit=100" |
  python3 -c 'import json, sys; print("\n".join(host["handle"] for host in json.load(sys.stdin)))' >"$work/handles.txt"
if command -v wrk >/dev/null; then
  echo "== wrk: GET /h/{handle} over $(wc -l <"$work/handles.txt") hosts, $connections connections, closed loop"
  HANDLES="$work/handles.txt" wrk -t 2 -c "$connections" -d "${warm_up}s" -s scripts/host-page.lua \
    "http://127.0.0.1:$port" >/dev/null
  HANDLES="$work/handles.txt" wrk -t 2 -c "$connections" -d "${duration}s" --latency -s scripts/host-page.lua \
    "http://127.0.0.1:$port" | tee "$work/wrk.txt"
  # wrk counts answers other than 2xx/3xx and socket errors; either spoils the figure.
  if grep -qE "Non-2xx|Socket errors" "$work/wrk.txt"; then status=1; fi
else
  echo "wrk is not installed (apt-get install wrk): measuring the host page with coffeechat-load instead" >&2
  load host-page || status=$?
fi
load mix --hosts "$hosts" || status=$?
load accept --hosts "$hosts" | tee "$work/load.txt" || status=$?
kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
server_pid=

if [ "$backend" = postgres ]; then
  scratch="coffeechat_pgbench_$stamp"
  psql -q "$admin_url" -c "CREATE DATABASE \"$scratch\"" >/dev/null
  databases+=("$scratch")
  echo "== pgbench simple-update (-N): $connections clients, ${duration} s, on the same server"
  pgbench -i -q "$(database_url "$scratch")" 2>&1 | tail -n 1
  pgbench -N -c "$connections" -j 2 -T "$duration" "$(database_url "$scratch")" 2>&1 | tee "$work/pgbench.txt"
  bookings=$(sed -n 's/^accepted bookings\/s: //p' "$work/load.txt")
  tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$work/pgbench.txt" | tail -n 1)
  if [ -n "$bookings" ] && [ -n "$tps" ]; then
    awk -v b="$bookings" -v t="$tps" 'BEGIN { printf "accepts/s vs pgbench tps: %.1f vs %.1f (%.0f%%; target >= 50%%)\n", b, t, 100 * b / t }'
  fi
fi
exit "$status"
