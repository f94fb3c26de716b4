// SPDX-License-Identifier: GPL-2.0
/*
 * RoutingFlow's kernel counters: a TC classifier on clsact ingress and egress of each attached device that counts
 * every frame into BPF maps and lets it pass (TC_ACT_OK); user space only reads the maps.
 *
 *  rf_connections  {ifindex, src port, dst port, direction, protocol} -> {packets, bytes, first, last}
 *                  per-CPU LRU hash; whole tuples as keys (the original design summed the fields into 32 bits).
 *  rf_totals       ifindex -> the device's totals (whatever its roles), laid out as RoutingFlow.Capture.Connections.DeviceTotals.
 *  rf_devices      ifindex -> {flags, network offset}: what to count on the device (its connections, its hosts as a
 *                  WAN or a LAN capture) and the server's veth detection (directions inverted on a veth so that they
 *                  read from the container's side). A frame of a device missing here is not counted.
 *  rf_hosts        {ifindex, direction, family, address} -> {packets, bytes}: per local host, what it sent (tx) and
 *                  received (rx) across a WAN or LAN interface, as the pcap accounting counts it: a frame counts for
 *                  each end inside rf_local4/rf_local6 (longest-prefix tries of Capture:LocalNetworks); on a LAN
 *                  interface a frame between two local ends, or two outside ones, is no WAN's and is not counted.
 *  rf_created      ifindex -> {connection entries, host entries} the program created for the device: with the entries
 *                  user space deleted and those still there, the kernel's LRU evictions (which it does not count).
 *
 * Bytes are skb->len: the frame as the device carries it, link header included (as libpcap's wire length).
 * Direction: ingress for frames the device received, egress for frames it sent (the kernel's own, at the device).
 * Built by build-bpf.sh (clang -target bpf, BTF-typed maps); loaded through libbpf by BpfCounters.cs.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define RF_INGRESS 0
#define RF_EGRESS 1

struct rf_connection_key {
	__u32 ifindex;
	__u16 src_port;
	__u16 dst_port;
	__u8 direction;
	__u8 protocol;
	__u8 pad[2];
};

struct rf_connection_value {
	__u64 packets;
	__u64 bytes;
	__u64 first_ns; /* CLOCK_MONOTONIC */
	__u64 last_ns;
};

struct rf_totals {
	__u64 packets;
	__u64 bytes;
	__u64 other_packets;
	__u64 other_bytes;
	__u64 tcp_ingress_packets;
	__u64 tcp_ingress_bytes;
	__u64 tcp_egress_packets;
	__u64 tcp_egress_bytes;
	__u64 udp_ingress_packets;
	__u64 udp_ingress_bytes;
	__u64 udp_egress_packets;
	__u64 udp_egress_bytes;
};

#define RF_VETH 1        /* a veth: connection directions inverted */
#define RF_CONNECTIONS 2 /* attached for connection statistics */
#define RF_HOSTS_WAN 4   /* a WAN capture's per-host accounting: every local end counts */
#define RF_HOSTS_LAN 8   /* a LAN capture's: only frames with exactly one local end count */

struct rf_device {
	__u32 flags;
	__u32 network_offset; /* where the IP header starts: 14 on Ethernet, 0 on a device without a link header */
};

struct rf_host_key {
	__u32 ifindex;
	__u8 direction; /* 0 rx: the host received the frame, 1 tx: it sent it */
	__u8 family;    /* 4 or 6 */
	__u8 pad[2];
	__u8 address[16]; /* network order; IPv4 in the first 4 bytes */
};

struct rf_host_value {
	__u64 packets;
	__u64 bytes;
};

struct rf_created {
	__u64 connections;
	__u64 hosts;
};

struct rf_lpm4 {
	__u32 prefixlen;
	__u8 address[4];
};

struct rf_lpm6 {
	__u32 prefixlen;
	__u8 address[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, 65536); /* Connections:MaxEntries, set before load */
	__type(key, struct rf_connection_key);
	__type(value, struct rf_connection_value);
} rf_connections SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct rf_totals);
} rf_totals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct rf_device);
} rf_devices SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, 65536); /* Capture:MaxTrackedIps, set before load */
	__type(key, struct rf_host_key);
	__type(value, struct rf_host_value);
} rf_hosts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct rf_created);
} rf_created SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct rf_lpm4);
	__type(value, __u8);
} rf_local4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct rf_lpm6);
	__type(value, __u8);
} rf_local6 SEC(".maps");

#define RF_MAX_EXTENSIONS 8

/* A frame's IP layer as the counters need it. protocol is IPPROTO_TCP or IPPROTO_UDP with the ports read, else 0. */
struct rf_frame {
	__u8 family;
	__u8 protocol;
	__u16 src_port;
	__u16 dst_port;
	__u8 src[16];
	__u8 dst[16];
};

static __always_inline int rf_is_extension(__u8 next)
{
	/* as Ipv6Reader: hop-by-hop, routing, fragment, destination options, AH, mobility, HIP, shim6 */
	return next == 0 || next == 43 || next == 44 || next == 60 || next == 51 || next == 135 || next == 139 || next == 140;
}

/* The transport's ports at offset, when protocol is TCP or UDP; the protocol, or 0. */
static __always_inline __u8 rf_transport(struct __sk_buff *skb, __u8 protocol, __u32 offset, struct rf_frame *f)
{
	__u16 ports[2];

	if (protocol != IPPROTO_TCP && protocol != IPPROTO_UDP)
		return 0;
	if (bpf_skb_load_bytes(skb, offset, ports, sizeof(ports)) < 0)
		return 0;
	f->src_port = bpf_ntohs(ports[0]);
	f->dst_port = bpf_ntohs(ports[1]);
	return protocol;
}

static __always_inline int rf_parse4(struct __sk_buff *skb, __u32 network, struct rf_frame *f)
{
	struct iphdr ip;

	if (bpf_skb_load_bytes(skb, network, &ip, sizeof(ip)) < 0 || ip.version != 4 || ip.ihl < 5)
		return 0;
	f->family = 4;
	__builtin_memcpy(f->src, &ip.saddr, 4);
	__builtin_memcpy(f->dst, &ip.daddr, 4);
	if (!(ip.frag_off & bpf_htons(0x1FFF))) /* a later fragment has no ports */
		f->protocol = rf_transport(skb, ip.protocol, network + ip.ihl * 4, f);
	return 1;
}

static __always_inline int rf_parse6(struct __sk_buff *skb, __u32 network, struct rf_frame *f)
{
	struct ipv6hdr ip;
	__u32 offset = network + sizeof(ip);
	__u8 protocol, ext[4];
	int i;

	if (bpf_skb_load_bytes(skb, network, &ip, sizeof(ip)) < 0 || ip.version != 6)
		return 0;
	f->family = 6;
	__builtin_memcpy(f->src, &ip.saddr, 16);
	__builtin_memcpy(f->dst, &ip.daddr, 16);
	protocol = ip.nexthdr;
#pragma unroll
	for (i = 0; i < RF_MAX_EXTENSIONS; i++) {
		if (!rf_is_extension(protocol))
			break;
		if (bpf_skb_load_bytes(skb, offset, ext, sizeof(ext)) < 0)
			return 1;
		if (protocol == 44) { /* fragment: 8 bytes; a later fragment has no ports */
			if (((ext[2] << 8 | ext[3]) >> 3) != 0)
				return 1;
			offset += 8;
		} else if (protocol == 51) {
			offset += (ext[1] + 2) * 4;
		} else {
			offset += (ext[1] + 1) * 8;
		}
		protocol = ext[0];
	}
	if (!rf_is_extension(protocol))
		f->protocol = rf_transport(skb, protocol, offset, f);
	return 1;
}

/* 1 when the frame is IPv4 or IPv6 (f filled), 0 otherwise. network is where the IP header starts. */
/*
 * The common case read in place: an IPv4 frame whose header and ports lie in the skb's linear data (a helper call
 * per field costs more than the counting). -1 when it is not that case, for the general path.
 */
static __always_inline int rf_parse4_direct(struct __sk_buff *skb, __u32 network, struct rf_frame *f)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *ip;
	__u16 *ports;
	__u32 hl;

	if (network > 14)
		return -1;
	ip = data + network;
	if ((void *)(ip + 1) > data_end || ip->version != 4 || ip->ihl < 5)
		return -1;
	f->family = 4;
	__builtin_memcpy(f->src, &ip->saddr, 4);
	__builtin_memcpy(f->dst, &ip->daddr, 4);
	if ((ip->frag_off & bpf_htons(0x1FFF)) || (ip->protocol != IPPROTO_TCP && ip->protocol != IPPROTO_UDP))
		return 1; /* a later fragment, or no ports to read */
	hl = ip->ihl * 4;
	if (hl > 60)
		return -1;
	ports = (void *)ip + hl;
	if ((void *)(ports + 2) > data_end)
		return -1;
	f->protocol = ip->protocol;
	f->src_port = bpf_ntohs(ports[0]);
	f->dst_port = bpf_ntohs(ports[1]);
	return 1;
}

static __always_inline int rf_parse(struct __sk_buff *skb, __u32 network, struct rf_frame *f)
{
	int direct;

	if (skb->protocol == bpf_htons(ETH_P_IP)) {
		direct = rf_parse4_direct(skb, network, f);
		if (direct >= 0)
			return direct;
		__builtin_memset(f, 0, sizeof(*f));
		return rf_parse4(skb, network, f);
	}
	if (skb->protocol == bpf_htons(ETH_P_IPV6))
		return rf_parse6(skb, network, f);
	return 0;
}

static __always_inline void rf_add(__u64 *packets, __u64 *bytes, __u64 len)
{
	*packets += 1; /* per-CPU values: no other CPU writes this copy */
	*bytes += len;
}

/* The device's totals (every role: a capture's frame count too); the frame's direction as the connections read it. */
static __always_inline void rf_count_totals(__u32 ifindex, struct rf_frame *f, __u8 egress, __u64 len)
{
	struct rf_totals *totals = bpf_map_lookup_elem(&rf_totals, &ifindex);

	if (!totals)
		return; /* user space creates it on attach */
	rf_add(&totals->packets, &totals->bytes, len);
	if (!f->protocol) {
		rf_add(&totals->other_packets, &totals->other_bytes, len);
		return;
	}
	if (f->protocol == IPPROTO_TCP) {
		if (egress)
			rf_add(&totals->tcp_egress_packets, &totals->tcp_egress_bytes, len);
		else
			rf_add(&totals->tcp_ingress_packets, &totals->tcp_ingress_bytes, len);
	} else {
		if (egress)
			rf_add(&totals->udp_egress_packets, &totals->udp_egress_bytes, len);
		else
			rf_add(&totals->udp_ingress_packets, &totals->udp_ingress_bytes, len);
	}
}

/* One more entry the program created for the device (0: a connection, 1: a host); user space made its counter on attach. */
static __always_inline void rf_note_created(__u32 ifindex, int hosts)
{
	struct rf_created *created = bpf_map_lookup_elem(&rf_created, &ifindex);

	if (!created)
		return;
	if (hosts)
		created->hosts++;
	else
		created->connections++;
}

static __always_inline void rf_count_connection(__u32 ifindex, struct rf_frame *f, __u8 egress, __u64 len)
{
	if (!f->protocol)
		return;
	struct rf_connection_key key = {
		.ifindex = ifindex, .src_port = f->src_port, .dst_port = f->dst_port, .direction = egress, .protocol = f->protocol,
	};
	__u64 now = bpf_ktime_get_coarse_ns(); /* CLOCK_MONOTONIC at tick resolution: last activity needs no more, and it costs far less per frame */
	struct rf_connection_value *value = bpf_map_lookup_elem(&rf_connections, &key);
	if (value) {
		/* this CPU's copy: zero when another CPU created the entry */
		rf_add(&value->packets, &value->bytes, len);
		if (!value->first_ns)
			value->first_ns = now;
		value->last_ns = now;
		return;
	}
	/* Absent: insert this CPU's copy (the others start at zero), counted as created when the insert made the entry. */
	struct rf_connection_value first = { .packets = 1, .bytes = len, .first_ns = now, .last_ns = now };
	if (bpf_map_update_elem(&rf_connections, &key, &first, BPF_NOEXIST) == 0) {
		rf_note_created(ifindex, 0);
		return;
	}
	value = bpf_map_lookup_elem(&rf_connections, &key); /* another CPU inserted it meanwhile: add to this CPU's copy */
	if (value) {
		rf_add(&value->packets, &value->bytes, len);
		if (!value->first_ns)
			value->first_ns = now;
		value->last_ns = now;
	}
}

static __always_inline int rf_is_local(struct rf_frame *f, __u8 *address)
{
	if (f->family == 4) {
		struct rf_lpm4 key = { .prefixlen = 32 };
		__builtin_memcpy(key.address, address, 4);
		return bpf_map_lookup_elem(&rf_local4, &key) != 0;
	}
	struct rf_lpm6 key = { .prefixlen = 128 };
	__builtin_memcpy(key.address, address, 16);
	return bpf_map_lookup_elem(&rf_local6, &key) != 0;
}

static __always_inline void rf_count_host(__u32 ifindex, struct rf_frame *f, __u8 *address, __u8 direction, __u64 len)
{
	struct rf_host_key key = { .ifindex = ifindex, .direction = direction, .family = f->family };
	struct rf_host_value *value;

	__builtin_memcpy(key.address, address, 16);
	value = bpf_map_lookup_elem(&rf_hosts, &key);
	if (value) {
		rf_add(&value->packets, &value->bytes, len);
		return;
	}
	struct rf_host_value first = { .packets = 1, .bytes = len };
	if (bpf_map_update_elem(&rf_hosts, &key, &first, BPF_NOEXIST) == 0) {
		rf_note_created(ifindex, 1);
		return;
	}
	value = bpf_map_lookup_elem(&rf_hosts, &key); /* another CPU inserted it meanwhile */
	if (value)
		rf_add(&value->packets, &value->bytes, len);
}

static __always_inline void rf_count_hosts(__u32 ifindex, struct rf_device *device, struct rf_frame *f, __u64 len)
{
	int src = rf_is_local(f, f->src), dst = rf_is_local(f, f->dst);

	if ((device->flags & RF_HOSTS_LAN) && src == dst)
		return; /* between two local hosts, or two outside ones: no WAN's traffic */
	if (src)
		rf_count_host(ifindex, f, f->src, 1, len);
	if (dst)
		rf_count_host(ifindex, f, f->dst, 0, len);
}

static __always_inline int rf_count(struct __sk_buff *skb, __u8 sent)
{
	__u32 ifindex = skb->ifindex;
	struct rf_device *device = bpf_map_lookup_elem(&rf_devices, &ifindex);
	struct rf_frame f = {};
	__u64 len = skb->len;
	__u8 egress;
	int ip;

	if (!device)
		return TC_ACT_OK; /* not (or no longer) attached */
	ip = rf_parse(skb, device->network_offset, &f);
	egress = sent ^ ((device->flags & RF_VETH) ? 1 : 0);
	rf_count_totals(ifindex, &f, egress, len);
	if (device->flags & RF_CONNECTIONS)
		rf_count_connection(ifindex, &f, egress, len);
	if (ip && (device->flags & (RF_HOSTS_WAN | RF_HOSTS_LAN)))
		rf_count_hosts(ifindex, device, &f, len);
	return TC_ACT_OK;
}

SEC("tc")
int rf_ingress(struct __sk_buff *skb)
{
	return rf_count(skb, 0);
}

SEC("tc")
int rf_egress(struct __sk_buff *skb)
{
	return rf_count(skb, 1);
}

char LICENSE[] SEC("license") = "GPL";
