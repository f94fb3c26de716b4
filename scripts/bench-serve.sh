#!/usr/bin/env bash
# Serving at scale (issue 23): the live server (run.sh's build) captures one end of a veth that tcpreplay feeds at
# RATE frames/s (default 200,000) with a synthetic capture of HOSTS local addresses (default 65,536 IPv4 + 4,000
# IPv6, so that the tracked-IP table is full at its default cap), and wrk (-t2 -c32, SECONDS each, default 10)
# loads each endpoint in turn from the same namespace: /metrics as Prometheus asks for it (gzip), /metrics plain,
# /status, /api/tcp/summary and /api/network/protocols. Prints for each the requests/s and p99 latency; RSS idle
# (after start, before any traffic) and under the load; the tracked IPs; and the capture's frames against the
# interface's kernel receive counter (packets + drops against rx_packets). LOAD=1 also keeps both cores busy with
# stress-ng during the replay (the CPU-starvation case). GC_ENV (e.g. "DOTNET_gcServer=0 DOTNET_GCConserveMemory=5")
# runs the server with those runtime settings, to compare garbage collector choices in one script. SKIP_BUILD=1
# uses artifacts/routingflow as it is. AT_LOAD is a command run under the load after wrk, with SERVER_PID set (e.g.
# a heap dump: 'dotnet-gcdump collect -p $SERVER_PID -o load.gcdump'). Needs root. The namespace is removed on exit, even on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
require_root bench-serve.sh
ensure_packages libpcap0.8 tcpreplay wrk iproute2 curl stress-ng bc
ensure_dotnet
rate=${RATE:-200000} hosts=${HOSTS:-65536} seconds=${SECONDS_EACH:-10} load=${LOAD:-0}
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  dotnet build RoutingFlow.sln -c Release -v quiet -nologo >&2
  publish_routingflow
fi
gc_env=${GC_ENV:-}
ns="rf-s$$-serve"
work=$(mktemp -d)
pids=()
cleanup() {
  set +e
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
  ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
  ip netns del "$ns" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link add gen0 type veth peer name cap0
for l in lo gen0 cap0; do ip -n "$ns" link set "$l" up; done
in_ns() { ip netns exec "$ns" "$@"; }

# Uniform flows over HOSTS + HOSTS/4 flow numbers: four in five are IPv4 (10.1.x.y, HOSTS of them), one in five IPv6.
capture="$work/serve.pcap"
dotnet tests/RoutingFlow.Benchmarks/bin/Release/net10.0/RoutingFlow.Benchmarks.dll generate "$capture" \
  --packets 400000 --flows $((hosts + hosts / 4)) --snaplen 128 --uniform >&2

echo '{"wan0":"cap0"}' > "$work/nic.json"
url=http://127.0.0.1:18080
# shellcheck disable=SC2086 # GC_ENV is a list of NAME=value words
ip netns exec "$ns" env $gc_env artifacts/routingflow/routingflow --urls=$url --RoutingFlow:NicFile="$work/nic.json" --RoutingFlow:DataDirectory="$work/data" \
  --RoutingFlow:Capture:SnapLength=128 --RoutingFlow:Capture:Promiscuous=true > "$work/server.log" 2>&1 &
server=$!
pids+=("$server")
for _ in $(seq 150); do in_ns curl -sf $url/status 2>/dev/null | grep -q '"state":"running"' && break; sleep 0.2; done
rss() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status"; }
sleep 20 # the start-up's allocations settle
rss_idle=$(rss)
memory_idle=$(in_ns curl -sf $url/status | grep -o '"memory":{[^}]*}')
field() { grep -o "\"$1\":[0-9]*" | head -1 | cut -d: -f2; }

rx_base=$(in_ns cat /sys/class/net/cap0/statistics/rx_packets)
counts() { in_ns curl -sf $url/status | grep -o '"packets":[0-9]*,"bytes":[0-9]*,"drops":[0-9]*.*"receivedByFilter":[0-9]*' | head -1; }
base=$(counts)
packets_base=$(echo "$base" | field packets) drops_base=$(echo "$base" | field drops) received_base=$(echo "$base" | field receivedByFilter)
replay_started=$(date +%s.%N)
ip netns exec "$ns" tcpreplay -i gen0 --pps="$rate" --preload-pcap --loop=1000 "$capture" > "$work/replay.log" 2>&1 &
replay=$!
pids+=("$replay")
if [ "$load" = 1 ]; then stress-ng --cpu "$(nproc)" --quiet > /dev/null 2>&1 & pids+=($!); fi
for _ in $(seq 60); do [ "$(in_ns curl -sf $url/status | field trackedIps)" -ge $((hosts * 9 / 10)) ] && break; sleep 1; done

bench() { # $1: label, $2: path, $3...: wrk options
  local label=$1 path=$2; shift 2
  in_ns wrk -t2 -c32 -d"${seconds}s" --latency "$@" "$url$path" > "$work/wrk.log" 2>&1 || true
  local rps p99 timeouts
  rps=$(grep -o 'Requests/sec: *[0-9.]*' "$work/wrk.log" | grep -o '[0-9.]*$' || echo 0)
  p99=$(awk '$1 == "99%" { print $2 }' "$work/wrk.log")
  timeouts=$(grep -o 'timeout [0-9]*' "$work/wrk.log" | grep -o '[0-9]*$' || echo 0)
  printf '%-34s %10.0f req/s   p99 %-9s timeouts %s\n' "$label" "$rps" "${p99:-?}" "${timeouts:-0}"
}
echo "== wrk -t2 -c32 -d${seconds}s while tcpreplay sends $rate frames/s ($(in_ns curl -sf $url/status | field trackedIps) tracked IPs)"
bench "/metrics (gzip, as Prometheus)" /metrics -H 'Accept-Encoding: gzip' -H 'Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5'
bench "/metrics (plain text)" /metrics
bench "/status" /status
bench "/api/tcp/summary" /api/tcp/summary
bench "/api/network/protocols" /api/network/protocols
rss_load=$(rss)
[ -n "${AT_LOAD:-}" ] && SERVER_PID=$server bash -c "$AT_LOAD" >&2
memory_load=$(in_ns curl -sf $url/status | grep -o '"memory":{[^}]*}')
metrics_bytes=$(in_ns curl -sf $url/metrics | wc -c)
metrics_gzip=$(in_ns curl -sf -H 'Accept-Encoding: gzip' $url/metrics | wc -c)
tracked=$(in_ns curl -sf $url/status | field trackedIps)
kill "$replay" 2>/dev/null; wait "$replay" 2>/dev/null || true
replay_seconds=$(echo "$(date +%s.%N) - $replay_started" | bc -l)
before=""
for _ in $(seq 30); do # the capture publishes once a second: wait until its counts stop moving
  sleep 1.2
  now=$(counts)
  [ "$now" = "$before" ] && break
  before=$now
done
rx=$(( $(in_ns cat /sys/class/net/cap0/statistics/rx_packets) - rx_base ))
packets=$(( $(echo "$before" | field packets) - packets_base ))
drops=$(( $(echo "$before" | field drops) - drops_base ))
received=$(( $(echo "$before" | field receivedByFilter) - received_base ))
echo "== memory and capture${gc_env:+ ($gc_env)}"
echo "RSS idle ${rss_idle} MB (${memory_idle}), under load ${rss_load} MB; $tracked tracked IPs; /metrics ${metrics_bytes} B (${metrics_gzip} B gzip)"
echo "under load: $memory_load"
awk -v rx="$rx" -v p="$packets" -v d="$drops" -v r="$received" -v s="$replay_seconds" 'BEGIN {
  printf "tcpreplay ran %.0f s: %.0f frames/s on average\n", s, rx / s
  printf "cap0 received %d frames (kernel counter); the capture socket %d (pcap ps_recv); routingflow counted %d and reported %d dropped: packets + drops = %.2f%% of the kernel count\n", rx, r, p, d, rx ? 100 * (p + d) / rx : 0 }'
