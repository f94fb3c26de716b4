namespace RoutingFlow.Capture.Configuration;

/// <summary><c>RoutingFlow:Capture</c>: which interfaces to capture and how.</summary>
public sealed class CaptureOptions
{
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromMinutes(5);

    public const string BackendPcap = "pcap";
    public const string BackendConntrack = "conntrack";
    public const string BackendEbpf = "ebpf";
    public const string BackendAuto = "auto";

    /// <summary>
    /// <c>pcap</c>: the configured interfaces are captured (per-IP accounting, TCP health, protocol inspection, device
    /// counters). <c>conntrack</c>: no capture; per host and WAN rates come from the kernel's connection counters
    /// (<c>nf_conntrack_acct</c>), read every second — far cheaper, but without anything that needs packets.
    /// <c>ebpf</c>: as pcap, but the attached devices' connection counters come from a kernel program (TC, clsact)
    /// that counts every frame in BPF maps, with no copy to user space; <c>auto</c>: ebpf where it loads, else pcap.
    /// </summary>
    public string Backend { get; set; } = BackendPcap;

    /// <summary>
    /// With the eBPF backend: whether libpcap still captures the WAN/LAN interfaces for what needs packets (TCP health,
    /// protocol inspection). False: nothing is copied to user space; the kernel counts the hosts and the frames, and
    /// those analyses have nothing to read. Needs <c>ebpf</c> or <c>auto</c> (under <c>auto</c>, libpcap captures
    /// anyway when the programs fail to load).
    /// </summary>
    public bool PacketAnalysis { get; set; } = true;

    /// <summary>True when the kernel counting programs are wanted (<c>ebpf</c>, or tried under <c>auto</c>).</summary>
    public bool WantsKernelCounters => Backend is BackendEbpf or BackendAuto;

    /// <summary>Interfaces to capture. Empty: the interfaces of the declared WANs, role <c>wan</c>.</summary>
    public List<CaptureInterfaceOptions> Interfaces { get; set; } = [];

    /// <summary>CIDRs of the hosts being accounted. Empty: private, CGNAT and ULA ranges. The capture interfaces' own addresses are always added.</summary>
    public List<string> LocalNetworks { get; set; } = [];

    /// <summary>
    /// Bytes captured per frame (96 at least); byte counts still use the frame's wire length. 256 holds the headers
    /// and the start of the payload the protocol inspection reads: DNS answers, a TLS server name and the version a
    /// ServerHello chose, HTTP request and status lines. 128 is headers only (TLS and HTTP then count without their
    /// details); 512 also reaches most ClientHellos' offered versions.
    /// </summary>
    public int SnapLength { get; set; } = 256;

    /// <summary>Kernel capture ring, bytes.</summary>
    public int BufferSize { get; set; } = 32 * 1024 * 1024;

    /// <summary>BPF filter expression applied in the kernel; none by default.</summary>
    public string? Filter { get; set; }

    public bool Promiscuous { get; set; }

    /// <summary>Window over which rates (bits per second) are averaged.</summary>
    public TimeSpan RateWindow { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most (WAN, IP) pairs tracked per capture; past it the least recently seen are evicted.</summary>
    public int MaxTrackedIps { get; set; } = 65_536;

    /// <summary>A tracked IP with no traffic for this long is forgotten.</summary>
    public TimeSpan IdleTimeout { get; set; } = DefaultIdleTimeout;

    /// <summary>How long a failed capture waits before trying to open its interface again.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the one watcher of the system's interfaces reads their links and addresses (the captures' own
    /// addresses are local; an attached device re-created with a new ifindex is picked up).
    /// </summary>
    public TimeSpan InterfaceWatchInterval { get; set; } = TimeSpan.FromSeconds(2);

    public static readonly string[] DefaultLocalNetworks =
        ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7"];
}

/// <summary>One interface to capture.</summary>
public sealed class CaptureInterfaceOptions
{
    public string Name { get; set; } = "";

    /// <summary><c>wan</c>: its traffic belongs to the WAN on this interface. <c>lan</c>: to the WAN the IP→WAN mapping names.</summary>
    public string Role { get; set; } = "wan";
}

/// <summary><c>RoutingFlow:Mapping</c>: which WAN each local IP uses.</summary>
public sealed class MappingOptions
{
    /// <summary>Routing status API polled for the IP→WAN mapping (e.g. <c>http://localhost:32599/status</c>). None: static only.</summary>
    public string? Url { get; set; }

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Request timeout for <see cref="Url"/>.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    public List<StaticMappingOptions> Static { get; set; } = [];

    /// <summary>WAN of every local IP that no mapping names.</summary>
    public string DefaultNic { get; set; } = "wan0";

    /// <summary>Attribution per connection through the kernel's connection tracking, before the mapping.</summary>
    public ConntrackOptions Conntrack { get; set; } = new();
}

public sealed class StaticMappingOptions
{
    public string Cidr { get; set; } = "";

    public string Nic { get; set; } = "";
}
