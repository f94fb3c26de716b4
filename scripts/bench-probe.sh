#!/usr/bin/env bash
# The capacity probe side by side with curl --interface and iperf3 --bind-dev, on the same tbf-shaped lab link
# (wan0 -> isp0), at each rate in RATES (default "20mbit 50mbit 200mbit"). For each: routingflow's download and
# upload estimates (`routingflow probe --once`, the default Duration 3 s / MaxBytes 25 MB), their cost (bytes on
# wan0 from the kernel's counters, seconds of wall time), curl's average speed for a transfer of ~3 s, and
# iperf3's receiver rate over 3 s; then the ratio routingflow / iperf3. Needs root. The lab is removed by its ID
# on exit, even on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
require_root bench-probe.sh
ensure_packages libpcap0.8 iperf3 iproute2 curl
ensure_dotnet
rates=${RATES:-"20mbit 50mbit 200mbit"}
publish_routingflow
dotnet build tests/RoutingFlow.ProbeServer -c Release -v quiet -nologo >&2
probe_server=tests/RoutingFlow.ProbeServer/bin/Release/net10.0/RoutingFlow.ProbeServer.dll
id="p$$"
lab=tests/lab/lab.sh
work=$(mktemp -d)
servers=()
cleanup() {
  set +e
  [ ${#servers[@]} -gt 0 ] && kill "${servers[@]}" 2> /dev/null && wait "${servers[@]}" 2> /dev/null
  bash "$lab" down "$id"; rm -rf "$work"
}
trap cleanup EXIT
bash "$lab" up "$id" 20mbit 20mbit
router() { ip netns exec "rf-$id-router" "$@"; }
ip netns exec "rf-$id-isp0" dotnet "$probe_server" 198.51.100.1:80 > "$work/probe-server.log" 2>&1 &
servers+=($!)
ip netns exec "rf-$id-isp0" iperf3 -s -B 198.51.100.1 > /dev/null 2>&1 &
servers+=($!)
for _ in $(seq 100); do grep -q listening "$work/probe-server.log" && ip netns exec "rf-$id-isp0" ss -ltn | grep -q ':5201' && break; sleep 0.2; done

bytes() { router cat /sys/class/net/wan0/statistics/rx_bytes /sys/class/net/wan0/statistics/tx_bytes | paste -sd' '; }
now() { date +%s.%N; }
mbps() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1e6 }'; }
iperf_bps() { grep -A8 '"sum_received"' "$1" | grep -o '"bits_per_second":[[:space:]]*[0-9.e+]*' | head -1 | grep -o '[0-9.e+]*$'; }

# routingflow METHOD PATH: prints "estimate_mbps rx_bytes tx_bytes seconds"
routingflow() {
  local before after start end line
  before=$(bytes); start=$(now)
  line=$(router artifacts/routingflow/routingflow probe -i wan0 -s 198.51.100.1 --method "$1" --url "http://x/$2" --once)
  end=$(now); after=$(bytes)
  echo "$(echo "$line" | grep -o ':[0-9]*Mbps' | grep -o '[0-9]*') $after $before $start $end" |
    awk '{ printf "%s %d %d %.2f", $1, $2 - $4, $3 - $5, $7 - $6 }'
}

printf '%-8s | %-34s | %-12s | %-12s | %-9s || %-34s | %-12s | %-12s | %-9s\n' rate "routingflow download (bytes, s)" "curl" "iperf3 -R" "rf/iperf3" \
  "routingflow upload (bytes, s)" "curl" "iperf3" "rf/iperf3"
for rate in $rates; do
  bash "$lab" shape "$id" wan0 "$rate"
  bits=$(echo "$rate" | sed 's/mbit/000000/; s/gbit/000000000/')
  size=$((bits * 3 / 8))
  read -r rf_down down_rx down_tx down_s <<< "$(routingflow download bytes)"
  read -r rf_up up_rx up_tx up_s <<< "$(routingflow upload sink)"
  curl_down=$(router curl -s --interface wan0 -o /dev/null -w '%{speed_download}' "http://198.51.100.1/bytes?size=$size")
  head -c "$size" /dev/urandom > "$work/upload.bin"
  curl_up=$(router curl -s --interface wan0 -o /dev/null -H 'Expect:' --data-binary @"$work/upload.bin" -w '%{speed_upload}' http://198.51.100.1/sink)
  router iperf3 --bind-dev wan0 -c 198.51.100.1 -t 3 -R -J > "$work/down.json"
  router iperf3 --bind-dev wan0 -c 198.51.100.1 -t 3 -J > "$work/up.json"
  iperf_down=$(iperf_bps "$work/down.json"); iperf_up=$(iperf_bps "$work/up.json")
  printf '%-8s | %-34s | %-12s | %-12s | %-9s || %-34s | %-12s | %-12s | %-9s\n' "$rate" \
    "$rf_down Mbit/s ($((down_rx + down_tx)) B, $down_s s)" "$(mbps "$(awk -v s="$curl_down" 'BEGIN{print s*8}')") Mbit/s" "$(mbps "$iperf_down") Mbit/s" \
    "$(awk -v a="$rf_down" -v b="$iperf_down" 'BEGIN { printf "%.3f", a * 1e6 / b }')" \
    "$rf_up Mbit/s ($((up_rx + up_tx)) B, $up_s s)" "$(mbps "$(awk -v s="$curl_up" 'BEGIN{print s*8}')") Mbit/s" "$(mbps "$iperf_up") Mbit/s" \
    "$(awk -v a="$rf_up" -v b="$iperf_up" 'BEGIN { printf "%.3f", a * 1e6 / b }')"
done
