#!/usr/bin/env bash
# Load test of Coffeechat (issue 6): builds release binaries, serves the demo data on SQLite (default) or on a
# fresh PostgreSQL database, and runs coffeechat-load's scenarios (host-page, then mix) at 64 connections.
# On PostgreSQL it then runs pgbench's simple-update script (-N) with the same client count and duration on a
# scratch database of the same server, and prints accepted bookings/s against pgbench's tps.
#
#   scripts/load.sh [sqlite|postgres]
#
# Environment: CONNECTIONS (64), DURATION (30 s measured per scenario), WARM_UP (5 s), HOSTS (32, signed up
# by the mix), RATE (requests/s of the paced host-page run; default half the closed-loop figure), PORT (18080),
# PROFILE (release; `dev` only to try the script out), RUST_LOG (warn: per-request log lines would be part of
# what is measured), COFFEECHAT_LOAD_POSTGRES_URL (an admin URL, allowed to create databases; default
# postgres://postgres@127.0.0.1:5432/postgres; the databases this script creates are dropped at the end).
# The load client runs on the same machine as the server.
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

echo "== coffeechat-load: $connections connections, ${warm_up} s warm-up, ${duration} s per scenario"
status=0
load() {
  "$bin/coffeechat-load" --base "http://127.0.0.1:$port" --connections "$connections" --duration "$duration" \
    --warm-up "$warm_up" "$@"
}
load host-page | tee "$work/host-page.txt" || status=$?
# The same page at a steady rate (RATE, default half the closed-loop throughput just measured): the latency a
# server that is busy but not saturated gives, counted from when each request was due. Before the mix, whose
# hosts (long windows every day) would join the directory the scenario reads its hosts from.
max_rate=$(awk '$1 == "GET" && $2 == "/h/{handle}" { print $4; exit }' "$work/host-page.txt")
rate=${RATE:-$(awk -v r="${max_rate:-0}" 'BEGIN { printf "%d", r / 2 }')}
if [ "${rate:-0}" -gt 0 ]; then
  load host-page --rate "$rate" || status=$?
fi
load mix --hosts "$hosts" | tee "$work/load.txt" || status=$?
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
