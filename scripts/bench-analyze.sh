#!/usr/bin/env bash
# Times `routingflow analyze` and `tshark -q -z endpoints,ip -z endpoints,ipv6` on the same synthetic capture in
# one run and prints both rates and the ratio. The capture is made by the repository's deterministic generator:
# PACKETS (default 2000000) frames over FLOWS (default 40000) host pairs, snaplen 128, heavy-tailed flow sizes
# (UNIFORM=1 for the uniform worst case). RUNS (default 3) runs of routingflow; the best is reported.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_packages libpcap0.8 tshark
ensure_dotnet
packets=${PACKETS:-2000000} flows=${FLOWS:-40000} runs=${RUNS:-3}
dir=${BENCH_DIR:-/tmp/routingflow-bench}
mkdir -p "$dir"
dotnet build RoutingFlow.sln -c Release -v quiet -nologo >&2
publish_routingflow # the program as ./run.sh starts it
capture="$dir/synthetic-$packets-$flows${UNIFORM:+-uniform}.pcap"
[ -f "$capture" ] || dotnet tests/RoutingFlow.Benchmarks/bin/Release/net10.0/RoutingFlow.Benchmarks.dll generate "$capture" \
  --packets "$packets" --flows "$flows" ${UNIFORM:+--uniform} >&2

seconds() { # runs "$@", prints wall seconds
  local start end
  start=$(date +%s%N)
  "$@" > /dev/null 2>&1
  end=$(date +%s%N)
  awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }'
}

best=""
for _ in $(seq "$runs"); do
  s=$(seconds artifacts/routingflow/routingflow analyze "$capture")
  best=$(awk -v a="$s" -v b="${best:-$s}" 'BEGIN { print (a < b ? a : b) }')
done
tshark_s=$(seconds tshark -n -o ip.defragment:FALSE -o ipv6.defragment:FALSE -r "$capture" -q -z endpoints,ip -z endpoints,ipv6)

awk -v p="$packets" -v f="$flows" -v r="$best" -v t="$tshark_s" -v c="$capture" 'BEGIN {
  printf "capture:              %s (%d packets, %d flows)\n", c, p, f
  printf "routingflow analyze:  %7.3f s  %6.2f Mpps (best of runs, process start to exit)\n", r, p / r / 1e6
  printf "tshark endpoints:     %7.3f s  %6.3f Mpps\n", t, p / t / 1e6
  printf "ratio:                %7.1fx\n", t / r
}'
