#!/usr/bin/env bash
# Builds RoutingFlow (Release) and starts the server. Extra arguments go to routingflow, for example:
#   ./run.sh --urls=http://127.0.0.1:9000 --RoutingFlow:Capture:Interfaces:0:Name=eth1
#   ./run.sh analyze capture.pcap
set -euo pipefail
cd "$(dirname "$0")"
. scripts/lib.sh
ensure_packages libpcap0.8 libbpf1 libbpf-dev clang
ensure_dotnet
publish_routingflow
exec artifacts/routingflow/routingflow "$@"
