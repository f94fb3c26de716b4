# Shared helpers for run.sh and test.sh (sourced, not run).

# ensure_packages PKG...: installs the Debian packages that are missing (needs root or sudo).
ensure_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing missing packages: ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# require_root SCRIPT: network namespaces need root; stops with a plain message otherwise.
require_root() {
  [ "$(id -u)" -eq 0 ] || { echo "$1 needs root (network namespaces)" >&2; exit 1; }
}

# ensure_dotnet: the .NET 10 SDK must be on PATH (it is not in Debian's archive).
ensure_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1 || ! dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then
    echo "error: the .NET 10 SDK is required (https://learn.microsoft.com/dotnet/core/install/linux-debian); 'dotnet --list-sdks' shows none" >&2
    exit 1
  fi
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}

# publish_routingflow: the program as run.sh runs it, in artifacts/routingflow: published (the dashboard's assets in
# its own wwwroot, readable by any user it runs as) and compiled ahead of time for this machine (ReadyToRun), so
# that a command such as `analyze` starts without waiting for the JIT.
publish_routingflow() {
  dotnet publish src/Server/RoutingFlow.Server.csproj -c Release -o artifacts/routingflow --use-current-runtime \
    --self-contained false -p:PublishReadyToRun=true -v quiet -nologo >&2
}
