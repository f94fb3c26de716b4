#!/usr/bin/env bash
# The query load a fleet server puts on Prometheus, measured: a real Prometheus (Debian's) holding a synthetic fleet
# of ROUTERS routers × 4 WANs (capacity and totals per WAN, PER_IP per-IP series per WAN and direction, as a router
# exports with Metrics:MaxIpSeriesPerNic), written as TSDB blocks by promtool from OpenMetrics. Then the fleet
# monitor's default queries (src/Server/Fleet/FleetQueries.cs, {router}=instance, {top}=5) are asked ROUNDS times
# each; printed per query: Prometheus's own evaluation time (stats), the samples it touched, the answer's size (plain
# and gzip) and the wall time. Then per check, its sum and share of one core at a 5 s interval: a quiet fleet (the
# five per-WAN queries), BUSY routers with a WAN at or above FullAt (the per-IP queries naming them), and every
# router busy (the per-IP queries naming none). The bare per-IP query (no topk) is asked beside them for comparison.
# Usage: scripts/bench-fleet-prometheus.sh [ROUTERS=1000] [PER_IP=200] [BUSY=10] [ROUNDS=5]; needs prometheus, promtool, curl, jq, bc.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_packages prometheus curl jq python3 bc time
ROUTERS=${ROUTERS:-1000} PER_IP=${PER_IP:-200} BUSY=${BUSY:-10} ROUNDS=${ROUNDS:-5}
work=$(mktemp -d)
prom=""
cleanup() { set +e; [ -n "$prom" ] && kill "$prom" 2> /dev/null && wait "$prom" 2> /dev/null; rm -rf "$work"; }
trap cleanup EXIT
now=$(date +%s)
echo "generating $ROUTERS routers × 4 WANs × $PER_IP IPs × 2 directions ($((ROUTERS * 4 * (PER_IP * 2 + 4)))) series)..." >&2
python3 - "$ROUTERS" "$PER_IP" "$now" > "$work/fleet.om" <<'PY'
import sys
routers, per_ip, now = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
times = [now - 30, now - 15]  # the last two scrapes at a 15 s interval
out = sys.stdout
def family(name, rows):
    out.write(f"# TYPE {name} gauge\n")
    for labels, value in rows:
        for t in times:
            out.write(f"{name}{{{labels}}} {value} {t}\n")
def wans():
    for r in range(routers):
        for w in range(4):
            yield r, w, f'instance="router-{r}:8080",job="routingflow",nic="wan{w}"'
family("routingflow_wan_capacity_bps", ((f'{l},direction="{d}"', v) for r, w, l in wans() for d, v in (("rx", 100e6), ("tx", 20e6))))
family("network_ip_rx_bps_total", ((l, 150e6 if r % 100 == 0 and w == 1 else 40e6) for r, w, l in wans()))
family("network_ip_tx_bps_total", ((l, 5e6) for r, w, l in wans()))
family("network_ip_rx_bps", ((f'{l},ip="10.{r // 250}.{r % 250}.{i + 1}"', 40e6 / (i + 1)) for r, w, l in wans() for i in range(per_ip)))
family("network_ip_tx_bps", ((f'{l},ip="10.{r // 250}.{r % 250}.{i + 1}"', 5e6 / (i + 1)) for r, w, l in wans() for i in range(per_ip)))
out.write("# EOF\n")
PY
echo "writing TSDB blocks ($(du -h "$work/fleet.om" | cut -f1) of OpenMetrics)..." >&2
/usr/bin/time -f "promtool: %e s, %M KB peak" promtool tsdb create-blocks-from openmetrics "$work/fleet.om" "$work/data" > /dev/null
rm "$work/fleet.om"
port=19391
cat > "$work/prometheus.yml" <<EOF
global: {scrape_interval: 15s}
EOF
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" --web.listen-address=127.0.0.1:$port \
  --storage.tsdb.retention.time=1d --query.max-samples=100000000 --log.level=warn > "$work/prometheus.log" 2>&1 &
prom=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/-/ready" > /dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$port/-/ready" > /dev/null || { echo "prometheus did not start: $(cat "$work/prometheus.log")" >&2; exit 1; }
at=$((now - 10))
busy=$(seq 0 $((ROUTERS / BUSY)) $((ROUTERS - 1)) | head -n "$BUSY" | sed 's/.*/router-&:8080/' | paste -sd'|')
queries=(
  'routingflow_wan_capacity_bps{direction="rx"}'
  'routingflow_wan_capacity_bps{direction="tx"}'
  'network_ip_rx_bps_total'
  'network_ip_tx_bps_total'
  'timestamp(network_ip_rx_bps_total)'
  "topk by (instance, nic) (5, network_ip_rx_bps{instance=~\"$busy\"} > 0)"
  "topk by (instance, nic) (5, network_ip_tx_bps{instance=~\"$busy\"} > 0)"
  'topk by (instance, nic) (5, network_ip_rx_bps > 0)'
  'topk by (instance, nic) (5, network_ip_tx_bps > 0)'
  'network_ip_rx_bps'
)
ask() { # query -> "evalSeconds samples bytes gzipBytes wallSeconds series"
  local q=$1
  local wall
  wall=$(curl -s -o "$work/answer.json" -w '%{time_total}' -G "http://127.0.0.1:$port/api/v1/query" --data-urlencode "query=$q" --data-urlencode "time=$at" --data-urlencode "stats=all")
  printf '%s %s %s %s %s\n' "$(jq -r '[.data.stats.timings.evalTotalTime, .data.stats.samples.totalQueryableSamples, (.data.result | length)] | @tsv' "$work/answer.json" | tr '\t' ' ')" \
    "$(stat -c %s "$work/answer.json")" "$(gzip -c "$work/answer.json" | wc -c)" "$wall" ""
}
for q in "${queries[@]}"; do ask "$q" > /dev/null; done # warm the head and page cache
printf '%-80s %10s %12s %8s %10s %10s %9s\n' query eval_ms samples series bytes gzip wall_ms
evals=()
for i in "${!queries[@]}"; do
  q=${queries[$i]} eval=0 wall=0
  for _ in $(seq "$ROUNDS"); do
    read -r e samples series bytes gz w _ < <(ask "$q")
    eval=$(echo "$eval + $e" | bc -l) wall=$(echo "$wall + $w" | bc -l)
  done
  eval=$(echo "1000 * $eval / $ROUNDS" | bc -l) wall=$(echo "1000 * $wall / $ROUNDS" | bc -l)
  evals+=("$eval")
  label=$q
  [ "$i" -eq 5 ] || [ "$i" -eq 6 ] && label="${q%%\{*}{instance=~<$BUSY busy routers>} > 0)"
  [ "$i" -eq 9 ] && label="$q (bare, for comparison)"
  printf '%-80s %10.1f %12s %8s %10s %10s %9.1f\n' "$label" "$eval" "$samples" "$series" "$bytes" "$gz" "$wall"
done
check() { local sum=0; for i in "$@"; do sum=$(echo "$sum + ${evals[$i]}" | bc -l); done; printf '%s: Prometheus evaluation %.1f ms per check, %.1f%% of one core at Fleet:Interval 5 s\n' "$label" "$sum" "$(echo "100 * $sum / 5000" | bc -l)"; }
label="quiet fleet (5 per-WAN queries)"; check 0 1 2 3 4
label="$BUSY of $ROUTERS routers busy (5 + 2 per-IP naming them)"; check 0 1 2 3 4 5 6
label="every router busy (5 + 2 per-IP naming none)"; check 0 1 2 3 4 7 8
echo "prometheus resident memory after the queries: $(($(awk '/VmRSS/ {print $2}' /proc/$prom/status) / 1024)) MB"
