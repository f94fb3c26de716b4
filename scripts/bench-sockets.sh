#!/usr/bin/env bash
# The socket collector's cost per scan on a real table of SOCKETS (default 100,000) sockets, against `ss -tan` and
# `ss -uan` reading the same namespace in the same run: a namespace this script creates holds half of them as TCP
# listeners and half as bound UDP sockets (on 127.0.0.1 and 127.0.0.2, a port each), opened by python processes;
# the scan reads that namespace through the process's /proc/PID/net. Prints both times and the ratio, and the time
# `cat` takes to read the same files (what the kernel spends writing them). Needs root.
# The namespace and the process are removed on exit, even on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
require_root bench-sockets.sh
ensure_packages iproute2 python3
ensure_dotnet
sockets=${SOCKETS:-100000} scans=${SCANS:-10}
dotnet build tests/RoutingFlow.Benchmarks -c Release -v quiet -nologo >&2
ns="rf-s$$-sock"
cleanup() {
  set +e
  ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
  ip netns del "$ns" 2>/dev/null
  rm -rf "${workdir:-}"
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link set lo up
ip netns exec "$ns" sysctl -q -w net.ipv4.ip_local_port_range="60000 60999"
# The shell's open-file limit (20,000 here, and not raisable in a container) caps a process: one per 18,000 sockets.
per=18000
workdir=$(mktemp -d)
for first in $(seq 0 "$per" $((sockets - 1))); do
  last=$(( first + per < sockets ? first + per : sockets ))
  ip netns exec "$ns" python3 - "$first" "$last" > "$workdir/ready.$first" 2>&1 <<'PY' &
import socket, sys, time
keep = []
for i in range(int(sys.argv[1]), int(sys.argv[2])):
    address = ("127.0.0.1" if (i // 2) % 2 == 0 else "127.0.0.2", 1024 + (i // 4) % 58000)
    if i % 2 == 0:
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(address); s.listen(1)
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(address)
    keep.append(s)
print("ready", flush=True)
time.sleep(3600)
PY
done
for f in "$workdir"/ready.*; do
  for _ in $(seq 600); do grep -q ready "$f" && break; grep -q Error "$f" && break; sleep 0.2; done
  grep -q ready "$f" || { echo "bench-sockets.sh: the sockets could not be opened:" >&2; cat "$f" >&2; exit 1; }
done
pid=$(ip netns pids "$ns" | head -1)
ours=$(dotnet tests/RoutingFlow.Benchmarks/bin/Release/net10.0/RoutingFlow.Benchmarks.dll procnet "/proc/$pid/net" --scans "$scans")
ss_best=999999
for _ in $(seq "$scans"); do
  start=$(date +%s%N)
  ip netns exec "$ns" ss -tan > /dev/null
  ip netns exec "$ns" ss -uan > /dev/null
  t=$(( ($(date +%s%N) - start) / 1000 ))
  [ "$t" -lt "$ss_best" ] && ss_best=$t
done
cat_best=999999
for _ in $(seq "$scans"); do
  start=$(date +%s%N)
  cat "/proc/$pid/net/tcp" "/proc/$pid/net/udp" > /dev/null
  t=$(( ($(date +%s%N) - start) / 1000 ))
  [ "$t" -lt "$cat_best" ] && cat_best=$t
done
echo "routingflow: $ours"
awk -v c="$cat_best" 'BEGIN { printf "cat of the same two files (the kernel writing them, no parsing): best %.1f ms\n", c / 1000 }' 
best=$(echo "$ours" | grep -o 'best [0-9.]*' | cut -d' ' -f2)
awk -v ss="$ss_best" -v rf="$best" 'BEGIN { printf "ss -tan + ss -uan: best %.1f ms (including two process starts); ratio ss / routingflow %.1fx\n", ss / 1000, ss / 1000 / rf }'
