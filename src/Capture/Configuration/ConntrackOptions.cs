namespace RoutingFlow.Capture.Configuration;

/// <summary>
/// <c>RoutingFlow:Mapping:Conntrack</c>: attribution through the kernel's connection tracking (ctnetlink). Each
/// packet of a tracked connection is counted on that connection's WAN, and on a WAN capture behind NAT on the LAN
/// host that opened it; the IP→WAN mapping remains for everything conntrack does not explain.
/// </summary>
public sealed class ConntrackOptions
{
    public const string ModeAuto = "auto";
    public const string ModeOn = "on";
    public const string ModeOff = "off";
    public static readonly string[] Modes = [ModeAuto, ModeOn, ModeOff];

    /// <summary>
    /// <c>auto</c>: used when the table can be read (otherwise state <c>unavailable</c>, and the mapping decides);
    /// <c>on</c>: the same, but an unreadable table is a failure (logged as an error, state <c>failed</c>);
    /// <c>off</c>: not read at all (the mapping alone decides).
    /// </summary>
    public string Mode { get; set; } = ModeAuto;

    /// <summary>Most connections kept; past it the least recently updated go (counted as evictions). About 120 bytes each.</summary>
    public int MaxEntries { get; set; } = 262_144;

    /// <summary>
    /// Connection marks that name a WAN, tried in order after NAT and before the kernel's routes. mwan3, for example,
    /// marks each connection with its interface's number in the mask <c>0x3F00</c>: <c>0x100</c> is its first
    /// interface, <c>0x200</c> its second.
    /// </summary>
    public List<ConntrackMarkOptions> Marks { get; set; } = [];

    /// <summary>
    /// How often the whole table is read when events alone cannot keep it current: with <c>Capture:Backend</c>
    /// <c>conntrack</c> (each read takes the connections' counters; a read of 262,144 connections takes about a
    /// second, so a large table wants a longer interval), and when the kernel sends no events
    /// (<c>net.netfilter.nf_conntrack_events=0</c> and RoutingFlow may not turn them on).
    /// </summary>
    public TimeSpan ReadInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an unreadable table waits before the next try (doubling up to ten times this).</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>A connection with <c>mark &amp; Mask == Mark</c> uses <c>Nic</c>. Numbers in decimal or <c>0x</c> hex.</summary>
public sealed class ConntrackMarkOptions
{
    public string Mark { get; set; } = "";

    public string Mask { get; set; } = "0xffffffff";

    public string Nic { get; set; } = "";
}
