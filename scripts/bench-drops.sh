#!/usr/bin/env bash
# Drop share at the highest packet rate this machine can make: routingflow against `tcpdump -w /dev/null`, under
# the same load, one after the other. SENDERS (default 2) tcpreplay processes (--topspeed, the capture preloaded in
# memory) each send LOOPS (default 10) passes of a 200,000-frame synthetic capture into one end of a veth pair in a
# namespace this script creates; the capture under test reads the other end (promiscuous, as tcpdump is by default:
# a veth drops frames for other MAC addresses otherwise). Both get the same snap length (128) and kernel buffer (BUFFER_MIB, default 32 MiB).
# Prints, for each, frames sent, frames seen, kernel drops (pcap statistics) and the drop share, and the CPU time
# each spent on the measured load. Each capture first gets WARMUP_LOOPS (default 2) unmeasured passes from one
# sender: a router's capture has long been running when a burst comes, so its code is compiled and its tables are
# filled; routingflow then idles SETTLE_SECONDS (default 35) so that the runtime has also compiled what runs once a
# second (it promotes a method after 30 calls). ATTACH=1 measures a device attached for connection statistics
# instead (issue 15): the WAN capture sits on the idle lo, cap0 is attached over REST, and the device's counts are
# read from /api/devices. ATTACH=1 BACKEND=ebpf counts that device in the kernel (issue 26) instead: the program's
# own CPU time per frame is read from the kernel's BPF statistics (kernel.bpf_stats_enabled, on for the run and
# restored after), since it runs in the sender's softirq, not in the server's process, whose CPU seconds are then
# the maps' reading only. BACKEND=ebpf PACKET_ANALYSIS=false (without ATTACH) has the kernel count cap0's hosts as
# a WAN capture with no packet socket at all. BPF_STATS=0 leaves the kernel's BPF statistics off (they read the clock
# twice per run of the program, which the system-wide figure below would include).
# SENDER=trafgen sends FRAMES (default 4,000,000) minimum-size UDP frames (5,000 port pairs) from netsniff-ng's
# trafgen on SENDERS CPUs (a packet-mmap ring: the fastest sender this machine has; pktgen is not in this kernel)
# instead of tcpreplay's synthetic capture.
# System-wide CPU: the busy time of every CPU (/proc/stat: user, nice, system, irq, softirq) over each load, per
# frame, against the same load with nothing capturing (measured first): what counting costs wherever it runs, the
# AF_PACKET copy in the softirq and the kernel program included. The senders run flat out, so a dearer capture
# shows as a longer run. Needs root. The namespace is removed on exit, even on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
require_root bench-drops.sh
ensure_packages libpcap0.8 tcpdump tcpreplay iproute2 curl bc
[ "${SENDER:-tcpreplay}" = trafgen ] && ensure_packages netsniff-ng
ensure_dotnet
attach=${ATTACH:-0} backend=${BACKEND:-pcap} loops=${LOOPS:-10} senders=${SENDERS:-2} buffer_mib=${BUFFER_MIB:-32} warmup_loops=${WARMUP_LOOPS:-2} settle=${SETTLE_SECONDS:-35}
dotnet build RoutingFlow.sln -c Release -v quiet -nologo >&2
publish_routingflow # the program as ./run.sh starts it
ns="rf-d$$-rate"
work=$(mktemp -d)
bpf_stats=$(cat /proc/sys/kernel/bpf_stats_enabled 2>/dev/null || echo 0)
sender=${SENDER:-tcpreplay} frames=${FRAMES:-4000000} want_stats=${BPF_STATS:-1}
cleanup() {
  set +e
  [ "$backend" = ebpf ] && sysctl -qw kernel.bpf_stats_enabled="$bpf_stats"
  ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
  ip netns del "$ns" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link add gen0 type veth peer name cap0
ip -n "$ns" link set lo up
ip -n "$ns" link set gen0 up
ip -n "$ns" link set cap0 up
in_ns() { ip netns exec "$ns" "$@"; }

capture="$work/rate.pcap"
dotnet tests/RoutingFlow.Benchmarks/bin/Release/net10.0/RoutingFlow.Benchmarks.dll generate "$capture" \
  --packets 200000 --flows 5000 --snaplen 65535 >&2
cat > "$work/trafgen.cfg" <<'EOF'
{
  eth(da=02:00:00:00:00:02, sa=02:00:00:00:00:01),
  ipv4(saddr=10.0.0.1, daddr=10.1.0.1, ttl=64),
  udp(sport=dinc(1024, 6023), dport=53),
  fill(0x00, 18)
}
EOF
sent() {
  if [ "$sender" = trafgen ]; then grep -o '[0-9]* packets outgoing' "$1".[0-9] | grep -o '[0-9]* packets' | cut -d' ' -f1 | awk '{ s += $1 } END { print s + 0 }'; return; fi
  cat "$1".[0-9] | grep -o 'Successful packets: *[0-9]*' | grep -o '[0-9]*$' | awk '{ s += $1 } END { print s + 0 }'
}
busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; } # every CPU's busy clock ticks
replay() { # $1: log prefix; every sender's log is $1.N; $1.busy gets the system-wide busy ticks and $1.secs the wall time
  local pids=() i b0 t0
  b0=$(busy) t0=$(date +%s.%N)
  if [ "$sender" = trafgen ]; then
    in_ns trafgen -i "$work/trafgen.cfg" -o gen0 -n "$frames" -q --cpus "$senders" > "$1.1" 2>&1
    echo $(( $(busy) - b0 )) > "$1.busy"; echo "$(date +%s.%N) - $t0" | bc > "$1.secs"
    return
  fi
  for i in $(seq "$senders"); do
    in_ns tcpreplay -i gen0 --topspeed --preload-pcap --loop="$loops" "$capture" > "$1.$i" 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}"
  echo $(( $(busy) - b0 )) > "$1.busy"; echo "$(date +%s.%N) - $t0" | bc > "$1.secs"
}
warm_up() {
  [ "$warmup_loops" -gt 0 ] || return 0
  if [ "$sender" = trafgen ]; then in_ns trafgen -i "$work/trafgen.cfg" -o gen0 -n 400000 -q --cpus 1 > "$work/warmup.log" 2>&1; sleep 1; return; fi
  in_ns tcpreplay -i gen0 --topspeed --preload-pcap --loop="$warmup_loops" "$capture" > "$work/warmup.log" 2>&1 \
    || { echo "bench-drops.sh: the warm-up replay failed:" >&2; cat "$work/warmup.log" >&2; exit 1; }
  sleep 1
}

# The same load with nothing capturing: the baseline of the system-wide figures.
sleep 1
replay "$work/replay-none.log"

# routingflow: cap0 is the WAN interface (role wan), every synthetic 10.x address is a local host; or, with
# ATTACH=1, an attached device.
if [ "$attach" = 1 ]; then echo '{"wan0":"lo"}' > "$work/nic.json"; else echo '{"wan0":"cap0"}' > "$work/nic.json"; fi
ip netns exec "$ns" artifacts/routingflow/routingflow --urls=http://127.0.0.1:18080 --RoutingFlow:NicFile="$work/nic.json" --RoutingFlow:DataDirectory="$work/data" \
  --RoutingFlow:Capture:SnapLength=128 --RoutingFlow:Capture:BufferSize=$((buffer_mib * 1048576)) --RoutingFlow:Capture:Promiscuous=true \
  --RoutingFlow:Capture:Backend="$backend" --RoutingFlow:Capture:PacketAnalysis="${PACKET_ANALYSIS:-true}" \
  --RoutingFlow:Mapping:Conntrack:Mode="${CONNTRACK_MODE:-off}" > "$work/server.log" 2>&1 & # off: with ebpf the kernel counts the hosts (conntrack attribution needs the frames)
server_pid=$!
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # user + system clock ticks
status() { # the capture's counts as /status words them ("packets","bytes","drops" in that order; receivedByFilter)
  if [ "$attach" = 1 ]; then
    in_ns curl -sf http://127.0.0.1:18080/api/devices | sed -E 's/"otherPackets":[0-9]*,//; s/"packets":([0-9]*)/"receivedByFilter":\1,"packets":\1/'
  else
    in_ns curl -sf http://127.0.0.1:18080/status
  fi
}
for _ in $(seq 100); do in_ns curl -sf http://127.0.0.1:18080/status 2>/dev/null | grep -q '"state":"running"' && break; sleep 0.2; done
if [ "$attach" = 1 ]; then
  in_ns curl -sf -X POST -H 'content-type: application/json' -d '{"iface":"cap0","action":"add"}' http://127.0.0.1:18080/traffic_count_attach_device >&2
  for _ in $(seq 100); do status 2>/dev/null | grep -q '"state":"running"' && break; sleep 0.2; done
fi
warm_up
sleep "$settle"
rf_base=$(status | grep -o '"packets":[0-9]*,"bytes":[0-9]*,"drops":[0-9]*' | head -1)
rf_base_received=$(status | grep -o '"receivedByFilter":[0-9]*' | head -1 | cut -d: -f2)
rx_base=$(in_ns cat /sys/class/net/cap0/statistics/rx_packets)
# the kernel program's run count and time (ns), ingress and egress summed
prog_stats() { { bpftool prog show 2>/dev/null || true; } | { grep -A2 -E 'name rf_(in|e)gress' || true; } | { grep -o 'run_time_ns [0-9]* run_cnt [0-9]*' || true; } | awk '{ t += $2; n += $4 } END { print t + 0, n + 0 }'; }
[ "$backend" = ebpf ] && [ "$want_stats" = 1 ] && sysctl -qw kernel.bpf_stats_enabled=1
prog_base=$(prog_stats)
rf_cpu=$(cpu "$server_pid")
replay "$work/replay-rf.log"
rf_cpu=$(( $(cpu "$server_pid") - rf_cpu ))
prog_end=$(prog_stats)
before=""
for _ in $(seq 50); do # wait until the published counts stop moving (one publish per second)
  sleep 1.2
  now=$(status | grep -o '"packets":[0-9]*,"bytes":[0-9]*,"drops":[0-9]*' | head -1)
  [ "$now" = "$before" ] && break
  before=$now
done
field() { echo "$1" | grep -o "\"$2\":[0-9]*" | cut -d: -f2; }
rf_packets=$(( $(field "$before" packets) - $(field "$rf_base" packets) ))
rf_drops=$(( $(field "$before" drops) - $(field "$rf_base" drops) ))
rf_received=$(( $(status | grep -o '"receivedByFilter":[0-9]*' | head -1 | cut -d: -f2) - rf_base_received ))
rx_cap0=$(( $(in_ns cat /sys/class/net/cap0/statistics/rx_packets) - rx_base ))
kill "$server_pid"; wait "$server_pid" || true

# tcpdump: the same load, the same snap length and buffer (-B is in KiB).
ip netns exec "$ns" tcpdump -n -i cap0 -s 128 -B $((buffer_mib * 1024)) -w /dev/null > "$work/tcpdump.log" 2>&1 &
tcpdump_pid=$!
for _ in $(seq 50); do grep -q 'listening on' "$work/tcpdump.log" && break; sleep 0.1; done
warm_up
kill -USR1 "$tcpdump_pid" # tcpdump prints its counts so far: the warm-up's, subtracted below
for _ in $(seq 50); do grep -q 'packets dropped by kernel' "$work/tcpdump.log" && break; sleep 0.1; done
td_base_received=$(grep -o '[0-9]* packets received by filter' "$work/tcpdump.log" | tail -1 | cut -d' ' -f1)
td_base_dropped=$(grep -o '[0-9]* packets dropped by kernel' "$work/tcpdump.log" | tail -1 | cut -d' ' -f1)
td_cpu=$(cpu "$tcpdump_pid")
replay "$work/replay-td.log"
td_cpu=$(( $(cpu "$tcpdump_pid") - td_cpu ))
sleep 1
kill -INT "$tcpdump_pid"; wait "$tcpdump_pid" || true
td_received=$(( $(grep -o '[0-9]* packets received by filter' "$work/tcpdump.log" | tail -1 | cut -d' ' -f1) - td_base_received ))
td_dropped=$(( $(grep -o '[0-9]* packets dropped by kernel' "$work/tcpdump.log" | tail -1 | cut -d' ' -f1) - td_base_dropped ))

rate() { awk -v n="$(sent "$1")" '{ printf "%.0f", n / $1 }' "$1.secs"; } # frames sent per second of the whole load
# system-wide busy CPU per frame (ns) over a load
per_frame() { awk -v n="$(sent "$1")" -v hz="$(getconf CLK_TCK)" '{ printf "%.0f", n ? $1 / hz * 1e9 / n : 0 }' "$1.busy"; }
none=$(per_frame "$work/replay-none.log") with_rf=$(per_frame "$work/replay-rf.log") with_td=$(per_frame "$work/replay-td.log")
stats_note=""
[ "$backend" = ebpf ] && [ "$want_stats" = 1 ] && stats_note=" (bpf_stats on: BPF_STATS=0 measures without their clock reads)"
echo "system-wide busy CPU per frame sent: nothing capturing $none ns at $(rate "$work/replay-none.log") pps; routingflow $with_rf ns, $((with_rf - none)) above that; tcpdump $with_td ns, $((with_td - none)) above that$stats_note"
hz=$(getconf CLK_TCK)
awk -v rx="$rx_cap0" -v rr="$rf_received" -v hz="$hz" -v c1="$rf_cpu" -v c2="$td_cpu" -v s1="$(sent "$work/replay-rf.log")" -v r1="$(rate "$work/replay-rf.log")" -v rp="$rf_packets" -v rd="$rf_drops" \
    -v pt="$(( ${prog_end% *} - ${prog_base% *} ))" -v pn="$(( ${prog_end#* } - ${prog_base#* } ))" \
    -v s2="$(sent "$work/replay-td.log")" -v r2="$(rate "$work/replay-td.log")" -v tp="$td_received" -v td="$td_dropped" 'BEGIN {
  printf "cap0 received %d frames in the routingflow run (interface counter)\n", rx
  printf "routingflow:  %d frames sent at %.0f pps; %d received by the filter, %d of them dropped by the kernel (%.2f%% drop share), %d accounted; %.2f CPU seconds\n", s1, r1, rr, rd, rr ? 100 * rd / rr : 0, rp, c1 / hz
  if (pn > 0) printf "kernel program (ebpf): %d runs, %.1f ns CPU per frame (bpf_stats), spent in the sending softirq\n", pn, pt / pn
  printf "tcpdump:      %d frames sent at %.0f pps; %d received by the filter, %d of them dropped by the kernel (%.2f%% drop share); %.2f CPU seconds\n", s2, r2, tp, td, tp ? 100 * td / tp : 0, c2 / hz
}'
