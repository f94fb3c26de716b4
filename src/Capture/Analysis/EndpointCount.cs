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
