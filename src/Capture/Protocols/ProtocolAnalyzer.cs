using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Capture.Tcp;

namespace RoutingFlow.Capture.Protocols;

/// <summary>
/// Protocol inspection of one capture (and its UDP "connections", <see cref="UdpFlows"/>): the mix by protocol class (<see cref="ProtocolClasses"/>), DNS messages by
/// record type and response code with query → response latency (matched by id and 5-tuple, the first query of a
/// retransmitted one; unanswered after <see cref="DnsTimeoutMicros"/>), TLS and HTTP messages (<see cref="AppInspector"/>),
/// TCP resets and ICMP errors; the addresses DNS answers name go to the shared <see cref="NameCache"/>. Reads only the
/// headers and what the decoder read or copied of the payload; bounded memory (at most 65,536 requests wait, the
/// oldest dropped and counted; <c>maxMessageTypes</c> message types); nothing allocated per packet once warm. One writer.
/// </summary>
public sealed class ProtocolAnalyzer(int maxMessageTypes = 100, NameCache? names = null) : IPacketConsumer
{
    public const long DnsTimeoutMicros = 5_000_000;
    private readonly long[] _packets = new long[ProtocolClasses.Names.Length];
    private readonly long[] _bytes = new long[ProtocolClasses.Names.Length];
    private readonly long[] _queries = new long[DnsNames.Types.Length];
    private readonly long[] _responses = new long[DnsNames.Types.Length];
    private readonly long[] _rcodes = new long[DnsNames.Rcodes.Length];
    private readonly PendingRequests<DnsKey> _pending = new(DnsTimeoutMicros);
    private DnsCounters _dns;
    private ErrorCounters _errors;
    private volatile ProtocolSnapshot? _latest;

    public SampleReservoir DnsLatency => _pending.Latency;

    public AppInspector App { get; } = new(maxMessageTypes, names);

    public NameCache? Names => names;

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
        if (packet.App.Kind != AppKind.None)
            App.Inspect(packet, micros);
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
            _pending.Start(new DnsKey(packet.Ip.Source, packet.Ip.Destination, packet.Transport.SourcePort, packet.Transport.DestinationPort, dns.Id), micros);
            return;
        }
        _dns.Responses++;
        _responses[type]++;
        _rcodes[DnsNames.RcodeIndex(dns.Rcode)]++;
        if (!_pending.Finish(new DnsKey(packet.Ip.Destination, packet.Ip.Source, packet.Transport.DestinationPort, packet.Transport.SourcePort, dns.Id), micros))
            _dns.Unmatched++;
        if (names is not null && dns.Rcode == 0 && dns.Answers > 0)
            LearnNames(packet.PayloadBytes, dns, micros);
    }

    /// <summary>Each A and AAAA answer names its address by the question (the name the user asked for), for the answer's TTL.</summary>
    private void LearnNames(ReadOnlySpan<byte> message, in DnsHeader dns, long micros)
    {
        Span<char> name = stackalloc char[256];
        var length = DnsAnswers.QuestionName(message, name);
        if (length == 0)
            return;
        var answers = new DnsAnswers(message, dns, out _);
        while (answers.Next(out var address, out var ttl))
            names!.Learn(address, name[..length], TimeSpan.FromSeconds(ttl), NameSource.Dns, micros);
    }

    public void Publish(in PublishTime time)
    {
        _pending.Expire(time.WallMicros);
        App.Expire(time.WallMicros);
        Udp.Expire(time.WallMicros);
        names?.Sweep(time.WallMicros);
        var dns = _dns with { Unanswered = _pending.Unanswered, PendingOverflows = _pending.Overflows };
        _latest = new ProtocolSnapshot(
            [.. ProtocolClasses.Names.Select((n, i) => new ProtocolShare(n, _packets[i], _bytes[i])).Where(s => s.Packets > 0)],
            dns, [.. DnsNames.Types.Select((n, i) => new DnsTypeCount(n, _queries[i], _responses[i])).Where(t => t.Queries + t.Responses > 0)],
            [.. DnsNames.Rcodes.Select((n, i) => new DnsRcodeCount(n, _rcodes[i])).Where(r => r.Count > 0)],
            _pending.Summary(), _pending.Count, _errors, Udp.Counters)
        {
            App = App.Counters,
            Messages = App.Messages.Snapshot(),
            Versions = App.Versions(),
            TlsLatency = App.Tls.Summary(),
            HttpLatency = App.Http.Summary(),
        };
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
    IReadOnlyList<DnsRcodeCount> DnsRcodes, LatencySummary DnsLatency, int DnsPending, ErrorCounters Errors, UdpFlowCounters Udp)
{
    public AppCounters App { get; init; }

    /// <summary>TLS and HTTP messages by type (at most <c>MaxMessageTypes</c>, the rest under <c>other</c>).</summary>
    public IReadOnlyList<MessageTypeCount> Messages { get; init; } = [];

    public IReadOnlyList<VersionCount> Versions { get; init; } = [];

    public LatencySummary TlsLatency { get; init; } = new(0, null, null, null);

    public LatencySummary HttpLatency { get; init; } = new(0, null, null, null);
}
