using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Sources;

namespace RoutingFlow.Capture.Analysis;

/// <summary>What counting a capture file produced, before configuration gives addresses their WAN.</summary>
public sealed class EndpointCount(string path, int linkType, EndpointAccountant accountant)
{
    public string Path { get; } = path;

    public int LinkType { get; } = linkType;

    public EndpointAccountant Accountant { get; } = accountant;

    public long FirstMicros { get; private set; }

    public long LastMicros { get; private set; }

    public List<string> Warnings { get; } = [];

    internal void Add(ReadOnlySpan<CapturedPacket> packets)
    {
        if (packets.IsEmpty)
            return;
        if (Accountant.Counters.Packets == 0)
            FirstMicros = packets[0].TimestampMicros;
        LastMicros = packets[^1].TimestampMicros;
        Accountant.Account(packets);
    }
}

/// <summary>How far counting a capture file has got: reported about once a second, and once when done.</summary>
public readonly record struct CountProgress(long Packets, long BytesRead, long FileBytes, TimeSpan Elapsed, bool Done)
{
    /// <summary>Share of the file read, 0–1; null when the position is unknown.</summary>
    public double? Fraction => BytesRead >= 0 && FileBytes > 0 ? Math.Min(1, (double)BytesRead / FileBytes) : null;
}
