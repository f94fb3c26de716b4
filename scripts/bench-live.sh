#!/usr/bin/env bash
# Live capture under the heaviest load the namespace lab makes: for DURATION seconds (default 15) h1 downloads from
# inet with iperf3 (4 TCP streams over unshaped 9000-MTU links) while h2 receives an unlimited flood of 64-byte
# UDP datagrams (the packet-rate load), and routingflow (capturing the router's lan0) and
# `tcpdump -w /dev/null` on the same interface run side by side. Prints each one's packets and kernel drop share
# from pcap statistics. Needs root. The lab is removed by its ID on exit, even on failure.
# CONNTRACK=1: instead, the live CPU per frame with conntrack attribution off and on, and Capture:Backend=conntrack,
# side by side on the NAT lab (scripts/bench-conntrack.sh's live part).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${CONNTRACK:-0}" = 1 ] && PART=live exec bash scripts/bench-conntrack.sh
. scripts/lib.sh
require_root bench-live.sh
ensure_packages libpcap0.8 tcpdump iperf3 iproute2 curl
ensure_dotnet
duration=${DURATION:-15}
publish_routingflow # the program as ./run.sh starts it
id="b$$"
lab=tests/lab/lab.sh
work=$(mktemp -d)
servers=()
cleanup() {
  set +e # clean up everything whatever fails
  # Stopped here (not reported as "Killed" when lab down kills them), and killed outright after 10 s.
  if [ ${#servers[@]} -gt 0 ]; then
    kill "${servers[@]}" 2> /dev/null
    (sleep 10; kill -9 "${servers[@]}" 2> /dev/null) &
    local killer=$!
    wait "${servers[@]}" 2> /dev/null
    kill "$killer" 2> /dev/null
  fi
  bash "$lab" down "$id"; rm -rf "$work"
}
trap cleanup EXIT
bash "$lab" up "$id" 10gbit 10gbit
ns() { echo "rf-$id-$1"; }

echo '{"wan0":"wan0","wan1":"wan1"}' > "$work/nic.json"
ip netns exec "$(ns router)" artifacts/routingflow/routingflow --urls=http://198.18.0.2:18080 --RoutingFlow:Security:PublicReads=true \
  --RoutingFlow:NicFile="$work/nic.json" --RoutingFlow:Capture:Interfaces:0:Name=lan0 \
  --RoutingFlow:Capture:Interfaces:0:Role=lan > "$work/server.log" 2>&1 &
servers+=($!)
for _ in $(seq 100); do curl -sf http://198.18.0.2:18080/healthz > /dev/null && break; sleep 0.2; done
ip netns exec "$(ns router)" tcpdump -n -i lan0 -s 128 -w /dev/null > "$work/tcpdump.log" 2>&1 &
tcpdump_pid=$!
servers+=("$tcpdump_pid")
ip netns exec "$(ns inet)" iperf3 -s -p 5201 > /dev/null 2>&1 &
servers+=($!)
ip netns exec "$(ns inet)" iperf3 -s -p 5202 > /dev/null 2>&1 &
servers+=($!)
for _ in $(seq 50); do ip netns exec "$(ns inet)" ss -ltn | grep -q ':5202' && break; sleep 0.2; done
sleep 1
ip netns exec "$(ns h2)" iperf3 -c 192.0.2.100 -p 5202 -R -u -b 0 -l 64 -t "$duration" -J > "$work/udp.json" &
udp_pid=$!
servers+=("$udp_pid")
ip netns exec "$(ns h1)" iperf3 -c 192.0.2.100 -p 5201 -R -P 4 -t "$duration" -J > "$work/iperf.json"
wait "$udp_pid" || true
sleep 2 # one publish interval for the server's counters
status=$(curl -sf http://198.18.0.2:18080/status)
kill -INT "$tcpdump_pid"; wait "$tcpdump_pid" || true

rate=$(grep -o '"bits_per_second":[[:space:]]*[0-9.e+]*' "$work/iperf.json" | tail -1 | grep -o '[0-9.e+]*$')
udp_packets=$(grep -o '"packets":[[:space:]]*[0-9]*' "$work/udp.json" | tail -1 | grep -o '[0-9]*$')
rf_packets=$(echo "$status" | grep -o '"packets":[0-9]*' | head -1 | cut -d: -f2)
rf_drops=$(echo "$status" | grep -o '"drops":[0-9]*' | head -1 | cut -d: -f2)
td_received=$(grep -o '[0-9]* packets received by filter' "$work/tcpdump.log" | cut -d' ' -f1)
td_dropped=$(grep -o '[0-9]* packets dropped by kernel' "$work/tcpdump.log" | cut -d' ' -f1)
awk -v r="$rate" -v u="${udp_packets:-0}" -v rp="$rf_packets" -v rd="$rf_drops" -v tp="$td_received" -v td="$td_dropped" -v d="$duration" 'BEGIN {
  printf "load:         iperf3 4 TCP streams at %.2f Gbit/s + %d 64-byte UDP datagrams, %d s\n", r / 1e9, u, d
  printf "routingflow:  %d packets accounted, %d dropped (%.3f%%)\n", rp, rd, (rp + rd) ? 100 * rd / (rp + rd) : 0
  printf "tcpdump:      %d packets received, %d dropped (%.3f%%)\n", tp, td, (tp + td) ? 100 * td / (tp + td) : 0
}'
