#!/usr/bin/env bash
# Installs RoutingFlow as a system service: publishes the server (as ./run.sh does) to /opt/routingflow, creates the
# system user routingflow, installs deploy/systemd/routingflow.service (and, with --ebpf, the drop-in that grants
# CAP_BPF and CAP_PERFMON), then enables and starts it. The configuration is /opt/routingflow/appsettings.json and
# nic.json (kept when they exist); the data is /var/lib/routingflow. Run as root from a checkout:
#   deploy/install.sh [--ebpf] [--no-start]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
[ "$(id -u)" -eq 0 ] || { echo "install.sh must run as root (it creates a user and a service)" >&2; exit 1; }
ebpf=0 start=1
for arg in "$@"; do
  case "$arg" in
    --ebpf) ebpf=1 ;;
    --no-start) start=0 ;;
    *) echo "install.sh: unknown option $arg (--ebpf, --no-start)" >&2; exit 2 ;;
  esac
done
ensure_packages libpcap0.8 libbpf1 libbpf-dev clang
ensure_dotnet
publish_routingflow
target=/opt/routingflow
mkdir -p "$target"
for kept in appsettings.json nic.json; do [ -f "$target/$kept" ] && cp "$target/$kept" "/tmp/routingflow.$kept.keep"; done
cp -a artifacts/routingflow/. "$target/"
for kept in appsettings.json nic.json; do [ -f "/tmp/routingflow.$kept.keep" ] && mv "/tmp/routingflow.$kept.keep" "$target/$kept"; done
cp README.md "$target/"
chown -R root:root "$target"
chmod -R go-w "$target"
id routingflow >/dev/null 2>&1 || useradd --system --no-create-home --home-dir /var/lib/routingflow --shell /usr/sbin/nologin routingflow
install -m 0644 deploy/systemd/routingflow.service /etc/systemd/system/routingflow.service
if [ "$ebpf" = 1 ]; then
  install -d /etc/systemd/system/routingflow.service.d
  install -m 0644 deploy/systemd/routingflow.service.d/ebpf.conf /etc/systemd/system/routingflow.service.d/ebpf.conf
fi
systemctl daemon-reload
if [ "$start" = 1 ]; then
  systemctl enable --now routingflow.service
  systemctl --no-pager status routingflow.service | head -5
else
  systemctl enable routingflow.service
fi
echo "Installed. Configure $target/appsettings.json and $target/nic.json, then: systemctl restart routingflow; journalctl -u routingflow -f"
