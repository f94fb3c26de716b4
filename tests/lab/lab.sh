#!/usr/bin/env bash
# RoutingFlow network-namespace lab: a multi-WAN router with LAN hosts, two shaped ISPs and an "internet" host,
# all inside network namespaces named rf-ID-*. Traffic never leaves them (the only link to the root namespace is
# the management veth rfm-ID, 198.18.0.1 <-> router 198.18.0.2).
#
#   h1 192.168.50.10 fd50::10 ─┐                     wan0 198.51.100.2 ── isp0 (tbf RATE0) ──┐
#   h2 192.168.50.11 fd50::11 ─┼─ sw ── lan0 [router]                                         ├── inet 192.0.2.100
#                              ┘   192.168.50.1 fd50::1 wan1 203.0.113.2 ── isp1 (tbf RATE1) ──┘    2001:db8:100::100
#
# The router sends each LAN host out of the WAN its policy rule names (h1 -> wan0, h2 -> wan1 at start); inet
# routes the host's return traffic through the same ISP. No NAT: the hosts' addresses are seen end to end.
# MTU is 9000 on every link so that header overhead stays under 1% of a full frame.
#
# `nat` turns that into a multi-WAN NAT router balancing per connection, as mwan3 does. IPv4 is masqueraded on both
# WANs and the ISPs and inet no longer have routes to 192.168.50.0/24 (only the WAN addresses are reachable); the
# `from HOST` policy rules go (v4 and v6). Instead every new connection coming in on lan0 gets a mark (mask 0xff00,
# saved in its conntrack entry), alternately 0x100 (-> table 100, wan0) and 0x200 (-> table 101, wan1), by one nth
# counter per family (iptables, ip6tables: mangle chain rf_balance); connections to the router's own addresses are
# not marked; inet answers IPv4 from 192.0.2.100 whatever its socket is bound to. IPv6 is not NATed (fd50::
# addresses seen end to end) but balanced the same way; its return is symmetric: inet marks each connection from
# fd50::/64 by the ISP it came in by (mangle chain rf_return) and answers through that ISP (its rules 900/901),
# falling back to the per-host /128 routes of `route` for anything unmarked. `route` after `nat` changes no LAN
# connection (the mark rules at pref 900/901 come before its 100N).
#
# Usage:
#   lab.sh up ID [RATE0 RATE1]    build it (rates as tc understands them, default 20mbit 10mbit)
#   lab.sh route ID HOST WAN      send HOST (h1|h2) through WAN (wan0|wan1), both directions
#   lab.sh shape ID WAN RATE      reshape WAN (wan0|wan1) to RATE, both directions
#   lab.sh nat ID                 masquerade v4 on both WANs and balance new LAN connections across them (v4, v6)
#   lab.sh exec ID NODE CMD...    run CMD in NODE (router h1 h2 sw isp0 isp1 inet)
#   lab.sh down ID                kill every process in the lab's namespaces and delete them (by ID)
set -euo pipefail

cmd=${1:?usage: lab.sh up|route|shape|nat|exec|down ID ...}
id=${2:?lab ID required}
[[ "$id" =~ ^[a-z0-9]{1,8}$ ]] || { echo "lab ID must be 1-8 lowercase letters/digits" >&2; exit 2; }
p="rf-$id"
nodes=(router h1 h2 sw isp0 isp1 inet)

ns() { echo "$p-$1"; }
nsx() { local node=$1; shift; ip netns exec "$(ns "$node")" "$@"; }

# veth A-end-name A-node B-end-name B-node
veth() {
  ip link add "$1" netns "$(ns "$2")" mtu 9000 type veth peer name "$3" netns "$(ns "$4")" mtu 9000
  nsx "$2" ip link set "$1" up
  nsx "$4" ip link set "$3" up
}

addr() { nsx "$1" ip addr add "$3" dev "$2"; }
addr6() { nsx "$1" ip -6 addr add "$3" dev "$2" nodad; }

shape() { # node dev rate
  nsx "$1" tc qdisc add dev "$2" root tbf rate "$3" burst 200kb latency 100ms
}

up() {
  local rate0=${1:-20mbit} rate1=${2:-10mbit}
  down >/dev/null 2>&1 || true
  for n in "${nodes[@]}"; do
    ip netns add "$(ns "$n")"
    # Name resolution stays inside the lab: no DNS server (lookups fail at once on 127.0.0.1) and the lab's own
    # names in hosts (ip netns exec mounts /etc/netns/NS/* over /etc/*).
    mkdir -p "/etc/netns/$(ns "$n")"
    echo "nameserver 127.0.0.1" > "/etc/netns/$(ns "$n")/resolv.conf"
    printf '127.0.0.1 localhost\n198.51.100.1 isp0.lab\n203.0.113.1 isp1.lab\n192.0.2.100 inet.lab\n' > "/etc/netns/$(ns "$n")/hosts"
    nsx "$n" ip link set lo up
    nsx "$n" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
    nsx "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
  done
  for n in router isp0 isp1 inet; do # inet forwards between the ISPs (probes across them)
    nsx "$n" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
  done

  # LAN: a bridge nsx sw joins the hosts and the router's lan0
  nsx sw ip link add br0 type bridge
  nsx sw ip link set br0 up
  veth eth0 h1 p1 sw; veth eth0 h2 p2 sw; veth lan0 router p0 sw
  for port in p0 p1 p2; do nsx sw ip link set "$port" master br0; done
  addr h1 eth0 192.168.50.10/24; addr6 h1 eth0 fd50::10/64
  addr h2 eth0 192.168.50.11/24; addr6 h2 eth0 fd50::11/64
  addr router lan0 192.168.50.1/24; addr6 router lan0 fd50::1/64
  for h in h1 h2; do
    nsx "$h" ip route add default via 192.168.50.1
    nsx "$h" ip -6 route add default via fd50::1
  done

  # WANs and ISPs
  veth wan0 router rtr isp0; veth wan1 router rtr isp1
  addr router wan0 198.51.100.2/30; addr isp0 rtr 198.51.100.1/30
  addr router wan1 203.0.113.2/30; addr isp1 rtr 203.0.113.1/30
  addr6 router wan0 2001:db8:51::2/64; addr6 isp0 rtr 2001:db8:51::1/64
  addr6 router wan1 2001:db8:52::2/64; addr6 isp1 rtr 2001:db8:52::1/64
  veth net isp0 isp0 inet; veth net isp1 isp1 inet
  addr isp0 net 192.0.2.129/30; addr inet isp0 192.0.2.130/30
  addr isp1 net 192.0.2.133/30; addr inet isp1 192.0.2.134/30
  addr6 isp0 net 2001:db8:53::1/64; addr6 inet isp0 2001:db8:53::2/64
  addr6 isp1 net 2001:db8:54::1/64; addr6 inet isp1 2001:db8:54::2/64
  addr inet lo 192.0.2.100/32; addr6 inet lo 2001:db8:100::100/128
  # The ISPs' own networks are reachable from each other through inet: a probe server inside isp0 can be
  # reached through wan1 too (router -> isp1 -> inet -> isp0), as a speed-test server of one ISP is from another's.
  nsx inet ip route add 198.51.100.0/30 via 192.0.2.129; nsx inet ip route add 203.0.113.0/30 via 192.0.2.133
  nsx inet ip -6 route add 2001:db8:51::/64 via 2001:db8:53::1; nsx inet ip -6 route add 2001:db8:52::/64 via 2001:db8:54::1
  for i in 0 1; do
    local down4 down6 up4 up6
    down4=$([ $i = 0 ] && echo 198.51.100.2 || echo 203.0.113.2)
    down6=$([ $i = 0 ] && echo 2001:db8:51::2 || echo 2001:db8:52::2)
    up4=$([ $i = 0 ] && echo 192.0.2.130 || echo 192.0.2.134)
    up6=$([ $i = 0 ] && echo 2001:db8:53::2 || echo 2001:db8:54::2)
    nsx "isp$i" ip route add 192.168.50.0/24 via "$down4"
    nsx "isp$i" ip -6 route add fd50::/64 via "$down6"
    nsx "isp$i" ip route add default via "$up4"
    nsx "isp$i" ip -6 route add default via "$up6"
  done

  # Shaping: download (ISP -> router) and upload (router -> ISP)
  shape isp0 rtr "$rate0"; shape router wan0 "$rate0"
  shape isp1 rtr "$rate1"; shape router wan1 "$rate1"

  # Router: one table per WAN; the router's own default is wan0
  nsx router ip route add default via 198.51.100.1 dev wan0
  nsx router ip -6 route add default via 2001:db8:51::1 dev wan0
  nsx router ip route add default via 198.51.100.1 dev wan0 table 100
  nsx router ip route add default via 203.0.113.1 dev wan1 table 101
  nsx router ip -6 route add default via 2001:db8:51::1 dev wan0 table 100
  nsx router ip -6 route add default via 2001:db8:52::1 dev wan1 table 101
  # A second default route per WAN, at a higher metric, as multi-WAN routers keep them: a socket bound to wan1
  # (SO_BINDTODEVICE, the capacity probe) finds its way out through wan1 without touching the policy rules.
  nsx router ip route add default via 203.0.113.1 dev wan1 metric 200
  nsx router ip -6 route add default via 2001:db8:52::1 dev wan1 metric 200

  # Management link to the root namespace (the test talks to the server and the server to the test's mapping API)
  ip link add "rfm-$id" mtu 9000 type veth peer name mgmt0 netns "$(ns router)"
  ip addr add 198.18.0.1/30 dev "rfm-$id"
  ip link set "rfm-$id" up
  nsx router ip addr add 198.18.0.2/30 dev mgmt0
  nsx router ip link set mgmt0 up

  route h1 wan0
  route h2 wan1
}

route() { # host wan
  local host=${1:?host} wan=${2:?wan} v4 v6 table isp4 isp6
  case $host in h1) v4=192.168.50.10 v6=fd50::10 ;; h2) v4=192.168.50.11 v6=fd50::11 ;; *) echo "unknown host $host" >&2; exit 2 ;; esac
  case $wan in
    wan0) table=100 isp4=192.0.2.129 isp6=2001:db8:53::1 ;;
    wan1) table=101 isp4=192.0.2.133 isp6=2001:db8:54::1 ;;
    *) echo "unknown WAN $wan" >&2; exit 2 ;;
  esac
  local pref=$((1000 + ${host#h}))
  nsx router ip rule del pref "$pref" 2>/dev/null || true
  nsx router ip -6 rule del pref "$pref" 2>/dev/null || true
  nsx router ip rule add from "$v4" lookup "$table" pref "$pref"
  nsx router ip -6 rule add from "$v6" lookup "$table" pref "$pref"
  nsx router ip route flush cache
  nsx inet ip route replace "$v4/32" via "$isp4" src 192.0.2.100
  nsx inet ip -6 route replace "$v6/128" via "$isp6" src 2001:db8:100::100
}

reshape() { # wan rate
  local wan=${1:?wan} rate=${2:?rate} isp
  case $wan in wan0) isp=isp0 ;; wan1) isp=isp1 ;; *) echo "unknown WAN $wan" >&2; exit 2 ;; esac
  nsx "$isp" tc qdisc change dev rtr root tbf rate "$rate" burst 200kb latency 100ms
  nsx router tc qdisc change dev "$wan" root tbf rate "$rate" burst 200kb latency 100ms
}

# A mangle chain of NAME for iptables/ip6tables in NODE, empty (created or flushed: `nat` can run twice)
chain() { # node iptables name
  nsx "$1" "$2" -t mangle -N "$3" 2>/dev/null || nsx "$1" "$2" -t mangle -F "$3"
}

# Appends a rule unless it is there already
rule() { # node iptables rule...
  local node=$1 ipt=$2; shift 2
  nsx "$node" "$ipt" -C "$@" 2>/dev/null || nsx "$node" "$ipt" -A "$@"
}

nat() {
  local ipt pref
  # IPv4: only the WAN addresses are reachable from outside
  nsx isp0 ip route del 192.168.50.0/24 2>/dev/null || true
  nsx isp1 ip route del 192.168.50.0/24 2>/dev/null || true
  nsx inet ip route del 192.168.50.10/32 2>/dev/null || true
  nsx inet ip route del 192.168.50.11/32 2>/dev/null || true
  # inet answers from 192.0.2.100 even on a socket bound to no address (iperf3's UDP server connects its wildcard
  # socket back to the client): from the address of its link to the ISP the router's conntrack would not know it
  nsx inet ip route replace 198.51.100.0/30 via 192.0.2.129 src 192.0.2.100
  nsx inet ip route replace 203.0.113.0/30 via 192.0.2.133 src 192.0.2.100
  rule router iptables POSTROUTING -t nat -o wan0 -j MASQUERADE
  rule router iptables POSTROUTING -t nat -o wan1 -j MASQUERADE

  # Per-connection balancing (mwan3's marks: mask 0xff00): a connection keeps the mark of its first packet
  for ipt in iptables ip6tables; do
    chain router "$ipt" rf_balance
    nsx router "$ipt" -t mangle -A rf_balance -j CONNMARK --restore-mark --nfmask 0xff00 --ctmask 0xff00
    nsx router "$ipt" -t mangle -A rf_balance -m mark --mark 0/0xff00 -m conntrack --ctstate NEW -m addrtype ! --dst-type LOCAL \
      -m statistic --mode nth --every 2 --packet 0 -j MARK --set-xmark 0x100/0xff00
    nsx router "$ipt" -t mangle -A rf_balance -m mark --mark 0/0xff00 -m conntrack --ctstate NEW -m addrtype ! --dst-type LOCAL \
      -j MARK --set-xmark 0x200/0xff00
    nsx router "$ipt" -t mangle -A rf_balance -j CONNMARK --save-mark --nfmask 0xff00 --ctmask 0xff00
    rule router "$ipt" PREROUTING -t mangle -i lan0 -j rf_balance
  done
  for ipt in "ip -4" "ip -6"; do
    for pref in 1001 1002 900 901; do nsx router $ipt rule del pref "$pref" 2>/dev/null || true; done
    nsx router $ipt rule add fwmark 0x100/0xff00 lookup 100 pref 900
    nsx router $ipt rule add fwmark 0x200/0xff00 lookup 101 pref 901
  done
  nsx router ip route flush cache

  # IPv6 return through the ISP the connection came in by: inet marks it at its first packet and routes its own
  # answers by the mark (a changed mark in mangle OUTPUT re-routes the packet)
  chain inet ip6tables rf_return
  nsx inet ip6tables -t mangle -A rf_return -i isp0 -s fd50::/64 -m conntrack --ctstate NEW -j CONNMARK --set-xmark 0x100/0xff00
  nsx inet ip6tables -t mangle -A rf_return -i isp1 -s fd50::/64 -m conntrack --ctstate NEW -j CONNMARK --set-xmark 0x200/0xff00
  rule inet ip6tables PREROUTING -t mangle -j rf_return
  rule inet ip6tables OUTPUT -t mangle -d fd50::/64 -j CONNMARK --restore-mark --nfmask 0xff00 --ctmask 0xff00
  nsx inet ip -6 route replace fd50::/64 via 2001:db8:53::1 dev isp0 src 2001:db8:100::100 table 100
  nsx inet ip -6 route replace fd50::/64 via 2001:db8:54::1 dev isp1 src 2001:db8:100::100 table 101
  for pref in 900 901; do nsx inet ip -6 rule del pref "$pref" 2>/dev/null || true; done
  nsx inet ip -6 rule add fwmark 0x100/0xff00 lookup 100 pref 900
  nsx inet ip -6 rule add fwmark 0x200/0xff00 lookup 101 pref 901
}

down() {
  local n pids
  for n in "${nodes[@]}"; do
    if ip netns list | awk '{print $1}' | grep -qx "$(ns "$n")"; then
      pids=$(ip netns pids "$(ns "$n")" 2>/dev/null || true)
      [ -n "$pids" ] && kill -9 $pids 2>/dev/null || true
    fi
  done
  for n in "${nodes[@]}"; do
    ip netns del "$(ns "$n")" 2>/dev/null || true
    rm -rf "/etc/netns/$(ns "$n")"
  done
  ip link del "rfm-$id" 2>/dev/null || true
}

case $cmd in
  up) shift 2; up "$@" ;;
  route) shift 2; route "$@" ;;
  shape) shift 2; reshape "$@" ;;
  nat) nat ;;
  exec) node=${3:?node}; shift 3; nsx "$node" "$@" ;;
  down) down ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
