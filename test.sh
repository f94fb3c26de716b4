#!/usr/bin/env bash
# Builds everything and runs every test. Installs what the tests need when missing.
# Ends with one line "N passed, N failed[, N skipped]" and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")"
. scripts/lib.sh
ensure_packages libpcap0.8 libbpf1 libbpf-dev clang bpftool tcpdump tshark iperf3 iproute2 iptables ethtool prometheus curl chromium python3 dnsmasq-base bind9-dnsutils openssl conntrack libcap2-bin tcpreplay stress-ng postgresql
ensure_dotnet

results="$PWD/.test-output"
rm -rf "$results" && mkdir -p "$results"
if ! dotnet build RoutingFlow.sln -c Release -v quiet -nologo; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0 failed=0 skipped=0
for project in tests/RoutingFlow.Capture.Tests tests/RoutingFlow.Web.Tests tests/RoutingFlow.Server.Tests; do
  [ -d "$project" ] || continue
  name=$(basename "$project")
  echo "=== $name"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "console;verbosity=normal" --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
    2>&1 | tee "$results/$name.log" | grep -E '^\s+(Passed|Failed|Skipped) |Error Message|^(Passed|Failed)!' || true
  trx="$results/$name.trx"
  if [ ! -f "$trx" ]; then
    echo "$name: no results (the test host crashed?), see $results/$name.log"
    failed=$((failed + 1))
    continue
  fi
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  count() { echo "$counters" | grep -o "$1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  total=$(count total) p=$(count passed) f=$(count failed) e=$(count error) nx=$(count notExecuted)
  passed=$((passed + p))
  failed=$((failed + f + e))
  skipped=$((skipped + nx))
  [ "$total" -gt 0 ] || { echo "$name: no test ran"; failed=$((failed + 1)); }
done

if [ "$failed" -gt 0 ]; then
  echo "=== failures (whole output in $results)"
  python3 scripts/trx-failures.py "$results"/*.trx || true
fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
