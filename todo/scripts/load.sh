#!/usr/bin/env bash
# Load test of the ToDo app on this machine only (127.0.0.1), bounded in time.
#
#   todo/scripts/load.sh            # needs wrk and hey (Debian: apt-get install -y wrk hey)
#
# Two processes, so the app's own cost is measured apart from the database's:
#   db   the "local" build (todo-local) with its embedded FerretDB/SQLite in a
#        temporary folder; only its database is used
#   app  the production build, MONGO_URL pointing at db's FerretDB, request
#        logs at info level written to /dev/null as JSON (as in production)
# Reports: GET /api/todos (100 items) and GET / under 32 connections with
# wrk (req/s, latency, app CPU per request), POST latency with hey at 10 and
# at 2,000 items, and peak RSS (VmHWM) of both processes.
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
APP_PORT=${APP_PORT:-18080}
DB_PORT=${DB_PORT:-18081}
HOST=127.0.0.1

for tool in wrk hey; do
  command -v "$tool" >/dev/null || { echo "$tool not found: apt-get install -y wrk hey" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "building..."
CGO_ENABLED=0 go build -trimpath -o "$work/todo" .
go build -tags local -o "$work/todo-local" .

TODO_DATA="$work/data" PORT=$DB_PORT LOG_LEVEL=info "$work/todo-local" >"$work/db.log" 2>&1 &
db_pid=$!; pids+=("$db_pid")
for _ in $(seq 100); do
  grep -q '"embedded database started"' "$work/db.log" 2>/dev/null && break
  sleep 0.1
done
db_addr=$(sed -n 's/.*"embedded database started".*"addr":"\([^"]*\)".*/\1/p' "$work/db.log")
case "$db_addr" in 127.0.0.1:*) ;; *) echo "embedded database did not start:" >&2; cat "$work/db.log" >&2; exit 1;; esac

MONGO_URL="mongodb://$db_addr/" PORT=$APP_PORT LOG_LEVEL=info "$work/todo" >/dev/null 2>"$work/app.err" &
app_pid=$!; pids+=("$app_pid")
base="http://$HOST:$APP_PORT"
for _ in $(seq 100); do curl -fsS "$base/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "$base/readyz" >/dev/null

clk=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hwm() { awk '/VmHWM/ {print $2 / 1024 " MiB"}' "/proc/$1/status"; }
count() { curl -fsS "$base/api/todos" | grep -o '"_id"' | wc -l; }
post() { # n concurrency -> hey summary of n POSTs
  timeout 120 hey -n "$1" -c "$2" -m POST -T application/json -d '{"text":"load test"}' "$base/api/todos"
}
latency() { # hey output -> "p50 p99 avg"
  awk '/Average:/ {avg=$2} / 50% in / {p50=$3} / 99% in / {p99=$3}
       END {printf "p50 %.2f ms, p99 %.2f ms, avg %.2f ms\n", p50*1000, p99*1000, avg*1000}'
}

echo "== POST latency with 10 items"
post 10 1 >/dev/null
echo "items: $(count)"
post 300 4 | tee "$work/post10.txt" | latency

echo "== GET /api/todos, 100 items, $CONNS connections, $DURATION"
curl -fsS "$base/api/todos" | grep -o '"_id":"[0-9a-f]*"' | tail -n +101 | cut -d'"' -f4 |
  while read -r id; do curl -fsS -X DELETE "$base/api/todos/$id"; done
echo "items: $(count)"
timeout 30 wrk -t2 -c"$CONNS" -d3s "$base/api/todos" >/dev/null # warm-up: connection pools, heap
before=$(cpu_ticks "$app_pid"); db_before=$(cpu_ticks "$db_pid")
timeout 60 wrk -t2 -c"$CONNS" -d"$DURATION" --latency "$base/api/todos" | tee "$work/list.txt" |
  grep -E 'Latency|50%|99%|requests in|Requests/sec|Non-2xx'
after=$(cpu_ticks "$app_pid"); db_after=$(cpu_ticks "$db_pid")
reqs=$(awk '/requests in/ {print $1}' "$work/list.txt")
awk -v t=$((after - before)) -v d=$((db_after - db_before)) -v n="$reqs" -v hz="$clk" 'BEGIN {
  printf "app CPU per list request: %.3f ms (database process: %.3f ms)\n", t / hz * 1000 / n, d / hz * 1000 / n }'

echo "== GET / (the page), $CONNS connections, $DURATION"
before=$(cpu_ticks "$app_pid")
timeout 60 wrk -t2 -c"$CONNS" -d"$DURATION" --latency "$base/" | tee "$work/page.txt" |
  grep -E 'Latency|50%|99%|requests in|Requests/sec|Non-2xx'
after=$(cpu_ticks "$app_pid")
reqs=$(awk '/requests in/ {print $1}' "$work/page.txt")
awk -v t=$((after - before)) -v n="$reqs" -v hz="$clk" 'BEGIN { printf "app CPU per page request: %.3f ms\n", t / hz * 1000 / n }'

echo "== POST latency with 2,000 items"
post $((2000 - $(count))) 8 >/dev/null
echo "items: $(count)"
post 300 4 | tee "$work/post2000.txt" | latency

echo "== peak RSS (VmHWM)"
echo "app: $(hwm "$app_pid")"
echo "db:  $(hwm "$db_pid")"
if [ -s "$work/app.err" ]; then echo "app stderr:"; cat "$work/app.err"; fi
