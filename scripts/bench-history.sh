#!/usr/bin/env bash
# GET /api/history streamed from the real server, side by side with sqlite3's own CSV export of the same rows:
# 30 days of 1-minute rollups for two WANs (86,400 rows) and 48 h of per-second samples for two WANs (345,600 rows),
# generated into a fresh database. Prints, for each: time to first byte, total time, bytes, and peak memory (the
# server's resident set while it streams, above its idle size; sqlite3's peak RSS from /usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_packages sqlite3 time curl
ensure_dotnet
publish_routingflow
work=$(mktemp -d)
server=""
cleanup() { set +e; [ -n "$server" ] && kill "$server" 2> /dev/null && wait "$server" 2> /dev/null; rm -rf "$work"; }
trap cleanup EXIT
echo '{"wan0":"nope0","wan1":"nope1"}' > "$work/nic.json"
port=18931
start_server() {
  artifacts/routingflow/routingflow --urls=http://127.0.0.1:$port --RoutingFlow:NicFile="$work/nic.json" \
    --RoutingFlow:DataDirectory="$work/data" --Logging:LogLevel:Default=Warning > "$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port/status" | grep -q '"state":"ok"' && return; sleep 0.2; done
  echo "server did not start: $(cat "$work/server.log")" >&2; exit 1
}
start_server # creates the schema
kill "$server"; wait "$server" 2> /dev/null || true; server=""
db="$work/data/routingflow.db"
now=$(($(date +%s) * 1000))
echo "generating rows..." >&2
sqlite3 "$db" <<SQL
PRAGMA journal_mode=WAL;
WITH RECURSIVE m(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM m WHERE i < 43199)
INSERT INTO wan_rollups SELECT nic, $now - 86400000 * 30 + i * 60000, 60, 1e8, 1e8, 1e8, 2e7, 2e7, 2e7, 1e6, 5e7 + (i % 97) * 1e5, 9e7, 1e5, 4e6, 8e6
FROM m, (SELECT 'wan0' AS nic UNION ALL SELECT 'wan1');
WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < 172799)
INSERT INTO wan_samples (Nic, Time, CapacityRx, CapacityTx, ActualRx, ActualTx)
SELECT nic, $now - 172800000 + i * 1000, 1e8, 2e7, 5e7 + (i % 89) * 1e5, 4e6 FROM s, (SELECT 'wan0' AS nic UNION ALL SELECT 'wan1');
SQL
start_server
rss() { awk '/VmRSS/ { print $2 }' "/proc/$server/status"; }
measure() { # name url sql
  local idle peak sampler out
  idle=$(rss); echo "$idle" > "$work/peak"
  ( while true; do r=$(rss); [ "$r" -gt "$(cat "$work/peak")" ] && echo "$r" > "$work/peak"; sleep 0.02; done ) &
  sampler=$!
  out=$(curl -s -o /dev/null -w '%{time_starttransfer} %{time_total} %{size_download}' "$2")
  kill "$sampler"; wait "$sampler" 2> /dev/null || true
  peak=$(cat "$work/peak")
  read -r ttfb total bytes <<< "$out"
  printf '%-34s | routingflow | ttfb %6.3f s | total %6.3f s | %11d bytes | +%6d KiB over idle %d KiB\n' "$1" "$ttfb" "$total" "$bytes" $((peak - idle)) "$idle"
  /usr/bin/time -f '%e %M' -o "$work/time" sqlite3 -csv -header "$db" "$3" > "$work/sqlite.csv"
  read -r stotal speak < "$work/time"
  printf '%-34s | sqlite3     |              | total %6.3f s | %11d bytes | peak RSS %d KiB\n' "$1" "$stotal" "$(stat -c %s "$work/sqlite.csv")" "$speak"
  echo "$1: routingflow / sqlite3 time ratio $(awk -v a="$total" -v b="$stotal" 'BEGIN { printf "%.2f", a / (b > 0 ? b : 0.001) }')"
}
from30=$(( now / 1000 - 86400 * 30 )); from48=$(( now / 1000 - 172800 )); to=$(( now / 1000 ))
measure "30 days of 1m rollups, 2 WANs, CSV" "http://127.0.0.1:$port/api/history?from=$from30&to=$to&resolution=1m&format=csv" \
  "SELECT Nic, strftime('%Y-%m-%dT%H:%M:%fZ', Minute / 1000.0, 'unixepoch'), CapacityRxAvg, CapacityTxAvg, ActualRxAvg, ActualTxAvg, ActualRxMin, ActualRxMax, ActualTxMin, ActualTxMax FROM wan_rollups WHERE Minute >= $((from30 * 1000)) AND Minute <= $((to * 1000)) ORDER BY Minute, Nic"
measure "30 days of 1m rollups, 2 WANs, JSON" "http://127.0.0.1:$port/api/history?from=$from30&to=$to&resolution=1m&format=json" \
  "SELECT json_object('nic', Nic, 'time', Minute, 'capacityRxBps', CapacityRxAvg, 'actualRxBps', ActualRxAvg) FROM wan_rollups WHERE Minute >= $((from30 * 1000)) AND Minute <= $((to * 1000)) ORDER BY Minute, Nic"
measure "48 h of raw samples, 2 WANs, CSV" "http://127.0.0.1:$port/api/history?from=$from48&to=$to&resolution=raw&format=csv" \
  "SELECT Nic, strftime('%Y-%m-%dT%H:%M:%fZ', Time / 1000.0, 'unixepoch'), CapacityRx, CapacityTx, ActualRx, ActualTx FROM wan_samples WHERE Time >= $((from48 * 1000)) AND Time <= $((to * 1000)) ORDER BY Time, Nic"
