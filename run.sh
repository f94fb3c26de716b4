#!/usr/bin/env bash
# Builds RoutingFlow (Release) and starts the server. Extra arguments go to routingflow, for example:
#   ./run.sh --urls=http://127.0.0.1:9000 --RoutingFlow:Capture:Interfaces:0:Name=eth1
#   ./run.sh analyze capture.pcap
set -euo pipefail
cd "$(dirname "$0")"
. scripts/lib.sh
ensure_packages libpcap0.8
ensure_dotnet
# Published, so that the dashboard's assets sit in the program's own wwwroot (readable by any user it runs as).
dotnet publish src/Server/RoutingFlow.Server.csproj -c Release -o artifacts/routingflow -v quiet -nologo >&2
exec artifacts/routingflow/routingflow "$@"
