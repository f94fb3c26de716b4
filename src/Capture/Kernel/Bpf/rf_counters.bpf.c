// SPDX-License-Identifier: GPL-2.0
/*
 * RoutingFlow's kernel counters: a TC classifier on clsact ingress and egress of each attached device that counts
 * every frame into BPF maps and lets it pass (TC_ACT_OK); user space only reads the maps.
 *
 *  rf_connections  {ifindex, src port, dst port, direction, protocol} -> {packets, bytes, first, last}
 *                  per-CPU LRU hash; whole tuples as keys (the original design summed the fields into 32 bits).
 *  rf_totals       ifindex -> the device's totals, laid out as RoutingFlow.Capture.Connections.DeviceTotals.
 *  rf_devices      ifindex -> {veth}: the server's veth detection; directions are inverted on a veth so that they
 *                  read from the container's side. A frame of a device missing here is not counted.
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

struct rf_device {
	__u32 veth;           /* 1: a veth, directions inverted */
	__u32 network_offset; /* where the IP header starts: 14 on Ethernet, 0 on a device without a link header */
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

#define RF_MAX_EXTENSIONS 8

static __always_inline int rf_is_extension(__u8 next)
{
	/* as Ipv6Reader: hop-by-hop, routing, fragment, destination options, AH, mobility, HIP, shim6 */
	return next == 0 || next == 43 || next == 44 || next == 60 || next == 51 || next == 135 || next == 139 || next == 140;
}

/*
 * The frame's transport protocol (IPPROTO_TCP or IPPROTO_UDP) with its ports in host order, or 0 when it has none
 * to count by: not IPv4/IPv6, another protocol, a later fragment, or cut short. network is where the IP header starts.
 */
static __always_inline __u8 rf_ports(struct __sk_buff *skb, __u32 network, __u16 *src, __u16 *dst)
{
	__u8 protocol;
	__u32 offset;
	__u16 ports[2];

	if (skb->protocol == bpf_htons(ETH_P_IP)) {
		struct iphdr ip;

		if (bpf_skb_load_bytes(skb, network, &ip, sizeof(ip)) < 0 || ip.version != 4 || ip.ihl < 5)
			return 0;
		if (ip.frag_off & bpf_htons(0x1FFF))
			return 0; /* a later fragment: no ports */
		protocol = ip.protocol;
		offset = network + ip.ihl * 4;
	} else if (skb->protocol == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr ip;
		__u8 ext[4];
		int i;

		if (bpf_skb_load_bytes(skb, network, &ip, sizeof(ip)) < 0 || ip.version != 6)
			return 0;
		protocol = ip.nexthdr;
		offset = network + sizeof(ip);
#pragma unroll
		for (i = 0; i < RF_MAX_EXTENSIONS; i++) {
			if (!rf_is_extension(protocol))
				break;
			if (bpf_skb_load_bytes(skb, offset, ext, sizeof(ext)) < 0)
				return 0;
			if (protocol == 44) { /* fragment: 8 bytes; a later fragment has no ports */
				if (((ext[2] << 8 | ext[3]) >> 3) != 0)
					return 0;
				offset += 8;
			} else if (protocol == 51) {
				offset += (ext[1] + 2) * 4;
			} else {
				offset += (ext[1] + 1) * 8;
			}
			protocol = ext[0];
		}
		if (rf_is_extension(protocol))
			return 0;
	} else {
		return 0;
	}
	if (protocol != IPPROTO_TCP && protocol != IPPROTO_UDP)
		return 0;
	if (bpf_skb_load_bytes(skb, offset, ports, sizeof(ports)) < 0)
		return 0;
	*src = bpf_ntohs(ports[0]);
	*dst = bpf_ntohs(ports[1]);
	return protocol;
}

static __always_inline void rf_add(__u64 *packets, __u64 *bytes, __u64 len)
{
	*packets += 1; /* per-CPU values: no other CPU writes this copy */
	*bytes += len;
}

static __always_inline int rf_count(struct __sk_buff *skb, __u8 sent)
{
	__u32 ifindex = skb->ifindex;
	struct rf_device *device = bpf_map_lookup_elem(&rf_devices, &ifindex);
	struct rf_totals *totals;
	__u16 src = 0, dst = 0;
	__u64 len = skb->len;
	__u8 protocol, egress;

	if (!device)
		return TC_ACT_OK; /* not (or no longer) attached */
	totals = bpf_map_lookup_elem(&rf_totals, &ifindex);
	if (!totals)
		return TC_ACT_OK; /* user space creates it on attach */
	rf_add(&totals->packets, &totals->bytes, len);
	protocol = rf_ports(skb, device->network_offset, &src, &dst);
	if (!protocol) {
		rf_add(&totals->other_packets, &totals->other_bytes, len);
		return TC_ACT_OK;
	}
	egress = sent ^ (device->veth ? 1 : 0);
	if (protocol == IPPROTO_TCP) {
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

	struct rf_connection_key key = {
		.ifindex = ifindex, .src_port = src, .dst_port = dst, .direction = egress, .protocol = protocol,
	};
	__u64 now = bpf_ktime_get_ns();
	struct rf_connection_value *value = bpf_map_lookup_elem(&rf_connections, &key);
	if (value) {
		/* this CPU's copy: zero when another CPU created the entry */
		rf_add(&value->packets, &value->bytes, len);
		if (!value->first_ns)
			value->first_ns = now;
		value->last_ns = now;
	} else {
		/*
		 * Absent: insert this CPU's copy (the others start at zero). Should another CPU have inserted the key
		 * meanwhile, the update finds it under the bucket lock and sets only this CPU's copy, which was zero.
		 */
		struct rf_connection_value first = { .packets = 1, .bytes = len, .first_ns = now, .last_ns = now };
		bpf_map_update_elem(&rf_connections, &key, &first, BPF_ANY);
	}
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
