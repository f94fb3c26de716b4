using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Sources;

namespace RoutingFlow.Capture.Analysis;

/// <summary>
/// What counting a capture file produced, before configuration gives addresses their WAN: the endpoint accounting
/// and whatever other consumers (the TCP analysis) read the same decoded frames.
/// </summary>
public sealed class EndpointCount
{
    private readonly ConsumerList _consumers;
    private readonly ConsumerList _fed;

    /// <param name="othersFedElsewhere">The other consumers get the frames elsewhere (<see cref="BatchPipeline"/>); <see cref="Add"/> feeds only the accounting.</param>
    public EndpointCount(string path, int linkType, EndpointAccountant accountant, IEnumerable<IPacketConsumer>? others = null, bool othersFedElsewhere = false)
    {
        (Path, LinkType, Accountant) = (path, linkType, accountant);
        _consumers = new ConsumerList([accountant, .. others ?? []]);
        _fed = othersFedElsewhere ? new ConsumerList([accountant]) : _consumers;
    }

    public string Path { get; }

    public int LinkType { get; }

    public EndpointAccountant Accountant { get; }

    /// <summary>Every consumer of the file's frames, the endpoint accounting first.</summary>
    public IReadOnlyList<IPacketConsumer> Consumers => _consumers.Consumers;

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
        _fed.Consume(packets);
    }

    /// <summary>The end of the file: every consumer publishes as of the last frame's time.</summary>
    internal void Finish() => _consumers.Publish(new PublishTime(LastMicros, LastMicros));
}
