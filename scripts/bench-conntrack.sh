#!/usr/bin/env bash
# Conntrack attribution, measured on the real kernel. Needs root. Everything it creates is removed by its ID on exit.
#
# 1. Resync: a namespace whose conntrack table holds ENTRIES connections (default 262144, loaded with conntrack -R),
#    then routingflow reading it (Mapping:Conntrack:Mode=on): the time of its full read (/status
#    mapping.conntrack.lastDumpSeconds) beside the conntrack tool's own `conntrack -L` of the same table.
#    nf_conntrack_max is global: it is raised for the run when it is below 2 x ENTRIES and put back on exit.
# 2. Live: the NAT lab (lab.sh nat, unshaped), h1 downloading with iperf3 (4 TCP streams) while h2 receives a flood
#    of 64-byte UDP datagrams, for DURATION seconds (default 15), with three servers side by side on the same traffic:
#    a lan0 capture with Mapping:Conntrack:Mode=off, the same with conntrack attribution (auto), and
#    Capture:Backend=conntrack (no capture). Prints each one's CPU time (utime+stime from /proc), the frames the two
#    captures accounted, their CPU per frame and the ratio, and the conntrack backend's CPU against the capture's.
#    CPU is that of the threads doing the work compared: the capture thread and the conntrack reader (with attribution
#    on, its cost is part of attribution's), read from /proc/PID/task; the rest of each server is the same in all three.
#    PART=resync or PART=live runs one part only (scripts/bench-live.sh with CONNTRACK=1 runs the live one).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
require_root bench-conntrack.sh
ensure_packages libpcap0.8 iperf3 iproute2 iptables conntrack curl
ensure_dotnet
entries=${ENTRIES:-262144}
duration=${DURATION:-15}
part=${PART:-all}
publish_routingflow
id="c$$"
ns="rf-$id-ct"
lab=tests/lab/lab.sh
work=$(mktemp -d)
servers=()
max_before=$(cat /proc/sys/net/netfilter/nf_conntrack_max)
cleanup() {
  set +e
  [ ${#servers[@]} -gt 0 ] && kill "${servers[@]}" 2> /dev/null && wait "${servers[@]}" 2> /dev/null
  ip netns del "$ns" 2> /dev/null
  bash "$lab" down "$id"
  echo "$max_before" > /proc/sys/net/netfilter/nf_conntrack_max
  rm -rf "$work"
}
trap cleanup EXIT
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
# CPU ticks of a server's threads named NAME (the capture thread "capture lan0", the reader "conntrack"): the work
# being compared, apart from the rest of the server (start-up, the web host), which is the same in all three.
thread_ticks() { # pid name...
  local pid=$1 total=0 t comm; shift
  for t in /proc/"$pid"/task/*; do
    comm=$(cat "$t/comm" 2> /dev/null) || continue
    for name in "$@"; do [ "$comm" = "$name" ] && total=$((total + $(awk '{print $14 + $15}' "$t/stat"))); done
  done
  echo "$total"
}
cpu_ticks() { # server index: its capture thread and its conntrack reader
  thread_ticks "${pids[$1]}" "capture lan0" conntrack
}
wait_healthy() { for _ in $(seq 150); do curl -sf "$1/healthz" > /dev/null && return 0; sleep 0.2; done; echo "server at $1 did not start" >&2; exit 1; }

resync() {
[ "$max_before" -lt $((2 * entries)) ] && echo $((2 * entries)) > /proc/sys/net/netfilter/nf_conntrack_max
ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add wan0 type veth peer name wan0p && ip -n "$ns" link set wan0 up && ip -n "$ns" link set wan0p up
ip -n "$ns" addr add 198.51.100.2/30 dev wan0
python3 - "$entries" > "$work/load.txt" << 'PY'
import sys
for i in range(int(sys.argv[1])):
    # LAN host 10.x.y.z to a server; MASQUERADE'd to wan0's address, so each reply tuple (server, port) must differ
    server = f"192.0.{2 + i // 60000}.{1 + i % 200}"
    print(f"-I -p tcp -s 10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255} -d {server} --sport {1024 + i % 60000} --dport 443 "
          f"--reply-src {server} --reply-dst 198.51.100.2 --reply-port-src 443 --reply-port-dst {1024 + i % 60000} "
          f"--state ESTABLISHED -t 7200 -u ASSURED,SEEN_REPLY")
PY
load_start=$(date +%s.%N)
ip netns exec "$ns" conntrack -R "$work/load.txt" > /dev/null 2>&1 || true
loaded=$(ip netns exec "$ns" conntrack -C)
echo "table:        $loaded connections loaded in $(echo "$(date +%s.%N) - $load_start" | bc) s"
echo '{"wan0":"wan0"}' > "$work/nic.json"
ip netns exec "$ns" artifacts/routingflow/routingflow --urls=http://127.0.0.1:18090 --RoutingFlow:NicFile="$work/nic.json" \
  --RoutingFlow:DataDirectory="$work/data1" --RoutingFlow:Mapping:Conntrack:Mode=on --RoutingFlow:Mapping:Conntrack:MaxEntries=$((entries * 2)) \
  > "$work/server1.log" 2>&1 &
servers+=($!)
status=""
for _ in $(seq 300); do
  status=$(ip netns exec "$ns" curl -sf http://127.0.0.1:18090/status || true)
  [ -n "$status" ] && [ "$(echo "$status" | json 'd["mapping"]["conntrack"]["state"]')" = running ] && break
  sleep 0.2
done
rf_entries=$(echo "$status" | json 'd["mapping"]["conntrack"]["entries"]')
rf_seconds=$(echo "$status" | json 'd["mapping"]["conntrack"]["lastDumpSeconds"]')
peer_start=$(date +%s.%N)
peer_count=$(ip netns exec "$ns" conntrack -L 2> /dev/null | wc -l)
peer_seconds=$(echo "$(date +%s.%N) - $peer_start" | bc)
kill "${servers[@]}"; wait "${servers[@]}" 2> /dev/null || true; servers=()
ip netns del "$ns"
awk -v e="$rf_entries" -v s="$rf_seconds" -v pc="$peer_count" -v ps="$peer_seconds" 'BEGIN {
  printf "routingflow:  full read of %d connections in %.3f s (%.0f connections/s)\n", e, s, e / s
  printf "conntrack -L: %d connections listed in %.3f s (%.0f connections/s); routingflow takes %.2fx its time\n", pc, ps, pc / ps, s / ps
}'

}

live() {
bash "$lab" up "$id" 10gbit 10gbit
bash "$lab" nat "$id"
lns() { echo "rf-$id-$1"; }
echo '{"wan0":"wan0","wan1":"wan1"}' > "$work/nic2.json"
start_server() { # port name args...
  local port=$1 name=$2; shift 2
  ip netns exec "$(lns router)" artifacts/routingflow/routingflow --urls=http://198.18.0.2:$port --RoutingFlow:Security:PublicReads=true --RoutingFlow:NicFile="$work/nic2.json" \
    --RoutingFlow:DataDirectory="$work/$name" "$@" > "$work/$name.log" 2>&1 &
  servers+=($!)
  wait_healthy "http://198.18.0.2:$port"
}
start_server 18091 off --RoutingFlow:Capture:Interfaces:0:Name=lan0 --RoutingFlow:Capture:Interfaces:0:Role=lan --RoutingFlow:Mapping:Conntrack:Mode=off
start_server 18092 on --RoutingFlow:Capture:Interfaces:0:Name=lan0 --RoutingFlow:Capture:Interfaces:0:Role=lan
start_server 18093 backend --RoutingFlow:Capture:Backend=conntrack
pids=("${servers[@]}")
ip netns exec "$(lns inet)" iperf3 -s -p 5201 > /dev/null 2>&1 & servers+=($!)
ip netns exec "$(lns inet)" iperf3 -s -p 5202 > /dev/null 2>&1 & servers+=($!)
for _ in $(seq 50); do ip netns exec "$(lns inet)" ss -ltn | grep -q ':5202' && break; sleep 0.2; done
sleep 3 # all three settled
declare -A before frames_before
for i in 0 1 2; do before[$i]=$(cpu_ticks "$i"); done
for port in 18091 18092; do frames_before[$port]=$(curl -sf http://198.18.0.2:$port/status | json 'd["captures"][0]["packets"]'); done
ip netns exec "$(lns h2)" iperf3 -c 192.0.2.100 -p 5202 -R -u -b 0 -l 64 -t "$duration" > /dev/null 2>&1 &
udp=$!
ip netns exec "$(lns h1)" iperf3 -c 192.0.2.100 -p 5201 -R -P 4 -t "$duration" -J > "$work/iperf.json"
wait "$udp" || true
sleep 2
declare -A cpu frames
hz=$(getconf CLK_TCK)
for i in 0 1 2; do cpu[$i]=$(( $(cpu_ticks "$i") - before[$i] )); done
for port in 18091 18092; do frames[$port]=$(( $(curl -sf http://198.18.0.2:$port/status | json 'd["captures"][0]["packets"]') - frames_before[$port] )); done
sources=$(curl -sf http://198.18.0.2:18092/metrics | grep '^routingflow_attribution_packets_total' | grep -v ' 0$' | tr '\n' ' ')
rate=$(grep -o '"bits_per_second":[[:space:]]*[0-9.e+]*' "$work/iperf.json" | tail -1 | grep -o '[0-9.e+]*$')
awk -v hz="$hz" -v c0="${cpu[0]}" -v c1="${cpu[1]}" -v c2="${cpu[2]}" -v f0="${frames[18091]}" -v f1="${frames[18092]}" -v r="$rate" -v d="$duration" 'BEGIN {
  printf "load:         iperf3 4 TCP streams at %.2f Gbit/s + a 64-byte UDP flood, %d s, through NAT on two WANs\n", r / 1e9, d
  printf "CPU of the capture thread and the conntrack reader thread:\n"
  printf "attribution off: %d frames, %.2f s CPU, %.0f ns per frame\n", f0, c0 / hz, c0 / hz * 1e9 / f0
  printf "attribution on:  %d frames, %.2f s CPU, %.0f ns per frame (%.2fx off)\n", f1, c1 / hz, c1 / hz * 1e9 / f1, (c1 / f1) / (c0 / f0)
  printf "backend conntrack: %.2f s CPU, no capture (%.3fx the capture with attribution)\n", c2 / hz, c2 / c1
}'
echo "attribution sources (on): $sources"
}

# 1. Resync of a full table; 2. live: attribution off, on, and the conntrack backend, side by side
[ "$part" = live ] || resync
[ "$part" = resync ] || live
