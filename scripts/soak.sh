#!/usr/bin/env bash
# The soak (issue 28), not in CI: SoakTests for MINUTES (default 30) instead of ./test.sh's 3. The real server in a
# namespace the test creates captures one end of a veth pair while tcpreplay sends 200,000 frames/s of 50,000 flows
# into the other (20-second bursts, 10-second pauses: a threshold rule fires and resolves on each burst, its webhooks
# to a receiver), /metrics is scraped every second and the dashboard is open in headless Chromium. Prints a row a
# minute (RSS, open files, threads, database size, frames counted, drops) and fails when, after the warm-up (the first
# third), RSS, files, threads or the database grew, a frame was dropped, a scrape failed, or the log has a failure.
# REPORT (default docs/soak-last.md) keeps the table. Needs root. Namespaces and processes are removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
require_root soak.sh
ensure_packages libpcap0.8 tcpreplay iproute2 chromium
minutes="${MINUTES:-30}"
report="$(realpath -m "${REPORT:-docs/soak-last.md}")"
dotnet build tests/RoutingFlow.Server.Tests -c Release -v quiet -nologo >/dev/null
log="$(mktemp /tmp/rf-soak-XXXXXX.log)"
status=0
RF_SOAK_MINUTES="$minutes" RF_SOAK_REPORT="$report" dotnet test tests/RoutingFlow.Server.Tests -c Release --no-build \
  --filter "FullyQualifiedName~Live.SoakTests" --logger "console;verbosity=detailed" > "$log" 2>&1 || status=$?
grep -E '^\s*\||scrapes|Passed |Failed |Assert|grew' "$log" || true
test -s "$report" && echo "report: $report (full log: $log)"
exit "$status"
