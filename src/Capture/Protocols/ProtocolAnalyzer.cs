using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Capture.Tcp;

namespace RoutingFlow.Capture.Protocols;

/// <summary>
/// Protocol inspection of one capture (and its UDP "connections", <see cref="UdpFlows"/>): the mix by protocol class (<see cref="ProtocolClasses"/>), DNS messages by
/// record type and response code with query → response latency (matched by id and 5-tuple, the first query of a
/// retransmitted one; unanswered after <see cref="DnsTimeoutMicros"/>), TCP resets and ICMP errors. Reads only the
/// headers and the payload prefix the decoder copied; bounded memory (at most <see cref="MaxPendingQueries"/> queries
/// wait, the oldest dropped and counted); nothing allocated per packet once warm. One writer.
/// </summary>
public sealed class ProtocolAnalyzer : IPacketConsumer
{
    public const int MaxPendingQueries = 65_536;
    public const long DnsTimeoutMicros = 5_000_000;
    private readonly long[] _packets = new long[ProtocolClasses.Names.Length];
    private readonly long[] _bytes = new long[ProtocolClasses.Names.Length];
    private readonly long[] _queries = new long[DnsNames.Types.Length];
    private readonly long[] _responses = new long[DnsNames.Types.Length];
    private readonly long[] _rcodes = new long[DnsNames.Rcodes.Length];
    private readonly Dictionary<DnsKey, long> _pending = new(1024);
    private readonly Queue<(DnsKey Key, long Micros)> _order = new(1024);
    private DnsCounters _dns;
    private ErrorCounters _errors;
    private volatile ProtocolSnapshot? _latest;

    public SampleReservoir DnsLatency { get; } = new();

    public UdpFlows Udp { get; } = new();

    public ProtocolSnapshot? Latest => _latest;

    public void Consume(ReadOnlySpan<CapturedPacket> batch)
    {
        foreach (ref readonly var item in batch)
            Inspect(item.Packet, item.TimestampMicros);
    }

    private void Inspect(in DecodedPacket packet, long micros)
    {
        if (!packet.HasIp)
            return;
        var cls = ProtocolClasses.Of(packet);
        _packets[cls]++;
        _bytes[cls] += packet.WireLength;
        if (!packet.HasTransport)
            return;
        switch (packet.Ip.Protocol)
        {
            case IpProtocol.Tcp when (packet.Transport.Flags & TcpFlags.Rst) != 0:
                _errors.TcpResets++;
                break;
            case IpProtocol.Icmp:
                IcmpError(packet.Transport.SourcePort, unreachable: 3, timeExceeded: 11);
                break;
            case IpProtocol.Icmpv6:
                IcmpError(packet.Transport.SourcePort, unreachable: 1, timeExceeded: 3);
                break;
        }
        if (packet.Ip.Protocol != IpProtocol.Udp)
            return;
        Udp.Count(packet, micros);
        if (cls == ProtocolClasses.Dns)
            Dns(packet, micros);
    }

    private void IcmpError(ushort type, int unreachable, int timeExceeded)
    {
        if (type == unreachable)
            _errors.IcmpUnreachable++;
        else if (type == timeExceeded)
            _errors.IcmpTimeExceeded++;
    }

    private void Dns(in DecodedPacket packet, long micros)
    {
        if (!DnsReader.TryRead(packet.PayloadBytes, out var dns))
        {
            _dns.Malformed++;
            return;
        }
        var type = DnsNames.TypeIndex(dns.QuestionType);
        if (!dns.IsResponse)
        {
            _dns.Queries++;
            _queries[type]++;
            var key = new DnsKey(packet.Ip.Source, packet.Ip.Destination, packet.Transport.SourcePort, packet.Transport.DestinationPort, dns.Id);
            if (_pending.TryAdd(key, micros))
                Remember(key, micros);
            return;
        }
        _dns.Responses++;
        _responses[type]++;
        _rcodes[DnsNames.RcodeIndex(dns.Rcode)]++;
        var asked = new DnsKey(packet.Ip.Destination, packet.Ip.Source, packet.Transport.DestinationPort, packet.Transport.SourcePort, dns.Id);
        if (_pending.Remove(asked, out var sent))
            DnsLatency.Add(Math.Max(0, micros - sent) / 1e6);
        else
            _dns.Unmatched++;
    }

    private void Remember(DnsKey key, long micros)
    {
        if (_order.Count >= MaxPendingQueries && _order.TryDequeue(out var oldest) && _pending.Remove(oldest.Key))
            _dns.PendingOverflows++;
        _order.Enqueue((key, micros));
    }

    public void Publish(in PublishTime time)
    {
        while (_order.TryPeek(out var head) && head.Micros <= time.WallMicros - DnsTimeoutMicros)
        {
            _order.Dequeue();
            if (_pending.TryGetValue(head.Key, out var sent) && sent == head.Micros && _pending.Remove(head.Key))
                _dns.Unanswered++;
        }
        Udp.Expire(time.WallMicros);
        var percentiles = DnsLatency.Percentiles(0.5, 0.95);
        _latest = new ProtocolSnapshot(
            [.. ProtocolClasses.Names.Select((n, i) => new ProtocolShare(n, _packets[i], _bytes[i])).Where(s => s.Packets > 0)],
            _dns, [.. DnsNames.Types.Select((n, i) => new DnsTypeCount(n, _queries[i], _responses[i])).Where(t => t.Queries + t.Responses > 0)],
            [.. DnsNames.Rcodes.Select((n, i) => new DnsRcodeCount(n, _rcodes[i])).Where(r => r.Count > 0)],
            new LatencySummary(DnsLatency.Count, DnsLatency.Mean, percentiles[0], percentiles[1]), _pending.Count, _errors, Udp.Counters);
    }

    private readonly record struct DnsKey(IpAddr Client, IpAddr Server, ushort ClientPort, ushort ServerPort, ushort Id);
}

public struct DnsCounters
{
    public long Queries;
    public long Responses;

    /// <summary>Port-53 UDP payloads that are not a DNS header.</summary>
    public long Malformed;

    /// <summary>Queries with no response within the DNS timeout (5 s).</summary>
    public long Unanswered;

    /// <summary>Responses to no query seen (the query before the capture began, or a duplicate response).</summary>
    public long Unmatched;

    public long PendingOverflows;
}

public struct ErrorCounters
{
    public long TcpResets;
    public long IcmpUnreachable;
    public long IcmpTimeExceeded;
}

public sealed record ProtocolShare(string Protocol, long Packets, long Bytes);

public sealed record DnsTypeCount(string Type, long Queries, long Responses);

public sealed record DnsRcodeCount(string Rcode, long Count);

public sealed record LatencySummary(long Count, double? Mean, double? P50, double? P95);

/// <summary>What one capture's protocol inspection hands readers once a second (cumulative).</summary>
public sealed record ProtocolSnapshot(IReadOnlyList<ProtocolShare> Mix, DnsCounters Dns, IReadOnlyList<DnsTypeCount> DnsTypes,
    IReadOnlyList<DnsRcodeCount> DnsRcodes, LatencySummary DnsLatency, int DnsPending, ErrorCounters Errors, UdpFlowCounters Udp);
