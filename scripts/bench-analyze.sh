#!/usr/bin/env bash
# Times `routingflow analyze` (endpoints and TCP health; and with --no-tcp, endpoints only) against tshark on the
# same synthetic capture in one run: `tshark -q -z endpoints,ip -z endpoints,ipv6`, `tshark -q -z conv,tcp` and
# tshark's TCP expert analysis (`-Y tcp.analysis.flags`), and softflowd's flow accounting of the file (`softflowd -r`,
# its NetFlow export sent to loopback's discard port); prints each rate and the ratios. The capture is made by the repository's deterministic generator:
# PACKETS (default 2000000) frames over FLOWS (default 40000) host pairs, snaplen 128, heavy-tailed flow sizes
# (UNIFORM=1 for the uniform worst case). RUNS (default 3) runs of routingflow; the best is reported.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_packages libpcap0.8 tshark softflowd
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

best_of() { # best wall seconds of RUNS runs of "$@"
  local best="" s
  for _ in $(seq "$runs"); do
    s=$(seconds "$@")
    best=$(awk -v a="$s" -v b="${best:-$s}" 'BEGIN { print (a < b ? a : b) }')
  done
  echo "$best"
}

rf=artifacts/routingflow/routingflow
with_tcp=$(best_of "$rf" analyze "$capture")
without_tcp=$(best_of "$rf" analyze --no-tcp "$capture")
endpoints_s=$(seconds tshark -n -o ip.defragment:FALSE -o ipv6.defragment:FALSE -r "$capture" -q -z endpoints,ip -z endpoints,ipv6)
conv_s=$(seconds tshark -n -r "$capture" -q -z conv,tcp)
expert_s=$(seconds tshark -n -r "$capture" -q -Y tcp.analysis.flags)
softflowd_s=$(best_of softflowd -r "$capture" -n 127.0.0.1:9 -d)

awk -v p="$packets" -v f="$flows" -v r="$with_tcp" -v n="$without_tcp" -v e="$endpoints_s" -v cv="$conv_s" -v x="$expert_s" -v sf="$softflowd_s" -v c="$capture" 'BEGIN {
  printf "capture:                          %s (%d packets, %d flows)\n", c, p, f
  printf "routingflow analyze (tcp on):     %7.3f s  %6.2f Mpps (best of runs, process start to exit)\n", r, p / r / 1e6
  printf "routingflow analyze --no-tcp:     %7.3f s  %6.2f Mpps\n", n, p / n / 1e6
  printf "tshark endpoints:                 %7.3f s  %6.3f Mpps  ratio to --no-tcp %6.1fx\n", e, p / e / 1e6, e / n
  printf "tshark -z conv,tcp:               %7.3f s  %6.3f Mpps  ratio to tcp on   %6.1fx\n", cv, p / cv / 1e6, cv / r
  printf "tshark -Y tcp.analysis.flags:     %7.3f s  %6.3f Mpps  ratio to tcp on   %6.1fx\n", x, p / x / 1e6, x / r
  printf "softflowd -r (best of runs):      %7.3f s  %6.3f Mpps  ratio to tcp on   %6.2fx, to --no-tcp %6.2fx\n", sf, p / sf / 1e6, sf / r, sf / n
}'
