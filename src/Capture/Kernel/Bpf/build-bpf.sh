#!/usr/bin/env bash
# Compiles the kernel counting programs (rf_*.bpf.c) to BPF objects with BTF: build-bpf.sh <output directory>.
# Called by the Capture project's build; needs clang and libbpf-dev (./run.sh and ./test.sh install them). Without
# clang it says so and exits 0: the server then reports the eBPF backend unavailable and counts with libpcap.
set -euo pipefail
out=${1:?usage: build-bpf.sh <output directory>}
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v clang >/dev/null 2>&1; then
  echo "build-bpf.sh: clang is not installed: the eBPF backend is not built (apt-get install clang libbpf-dev)" >&2
  exit 0
fi
if [ ! -f /usr/include/bpf/bpf_helpers.h ]; then
  echo "build-bpf.sh: libbpf-dev is not installed: the eBPF backend is not built (apt-get install libbpf-dev)" >&2
  exit 0
fi
triplet=$(gcc -dumpmachine 2>/dev/null || echo "$(uname -m)-linux-gnu")
mkdir -p "$out"
for source in "$here"/*.bpf.c; do
  name=$(basename "$source" .c)
  clang -O2 -g -Wall -target bpf -I"/usr/include/$triplet" -c "$source" -o "$out/$name.o.tmp"
  mv "$out/$name.o.tmp" "$out/$name.o"
done
