using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Capture.Pipeline;

namespace RoutingFlow.Capture.Conntrack;

/// <summary>
/// Accounting without capture (<c>Capture:Backend</c> <c>conntrack</c>): per (WAN, host) counters grown by what each
/// connection's kernel counters (<c>nf_conntrack_acct</c>) grew since they were last read, from the periodic dumps
/// and the DESTROY events' final counts. A connection's bytes go to its host (<see cref="ConnectionHosts"/>) on its
/// WAN (its rule's, else the mapping's); connections between two local addresses are no WAN's. The kernel counts IP
/// bytes: each packet also gets <c>linkHeaderBytes</c> (14, an Ethernet header) so that figures compare with a
/// capture's frame lengths. Publishes a <see cref="TrafficPublication"/> as a capture's accounting does.
/// One thread: the conntrack reader's.
/// </summary>
public sealed class ConntrackAccountant(IpClassifier classifier, NicMapHolder mapping, RouterInterfacesHolder router, int maxTrackedIps,
    TimeSpan? idleTimeout = null, int linkHeaderBytes = 14)
{
    private readonly long _idleMicros = (long)(idleTimeout ?? CaptureOptions.DefaultIdleTimeout).TotalMicroseconds;
    private readonly Dictionary<ConntrackTuple, Seen> _seen = [];
    private readonly AttributionCounts _sources = new(mapping.Current.Nics.Count);
    private volatile TrafficPublication? _latest;
    private int _round;

    public TrafficTable Table { get; } = new(maxTrackedIps, headroom: maxTrackedIps / 8);

    public IpClassifier Classifier => classifier;

    /// <summary>The last publication, or null before the first.</summary>
    public TrafficPublication? Latest => _latest;

    /// <summary>Connections whose counters are being followed.</summary>
    public int Connections => _seen.Count;

    /// <summary>Packets and bytes the kernel counted and this accounting took in (IP bytes, before the link header is added).</summary>
    public (long Packets, long Bytes) Counted { get; private set; }

    /// <summary>Takes in one message's counters (a dump entry, or a DESTROY's final ones).</summary>
    public void Add(in ConntrackMessage message, in ConntrackEntry entry, long wallMicros)
    {
        ref var seen = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_seen, message.Original, out var known);
        if (!known && _round == 0 && message.Kind != ConntrackEventKind.Destroy)
        {
            // The first read finds connections as they are: what they carried before RoutingFlow started is no rate.
            (seen.OriginalPackets, seen.OriginalBytes, seen.ReplyPackets, seen.ReplyBytes) = (message.OriginalPackets, message.OriginalBytes, message.ReplyPackets, message.ReplyBytes);
            return;
        }
        var original = Delta(message.OriginalPackets, message.OriginalBytes, ref seen.OriginalPackets, ref seen.OriginalBytes);
        var reply = Delta(message.ReplyPackets, message.ReplyBytes, ref seen.ReplyPackets, ref seen.ReplyBytes);
        seen.Round = _round;
        if (message.Kind == ConntrackEventKind.Destroy)
            _seen.Remove(message.Original);
        Counted = (Counted.Packets + original.Packets + reply.Packets, Counted.Bytes + original.Bytes + reply.Bytes);
        if (original.Packets + reply.Packets > 0)
            Account(entry, original, reply, wallMicros);
    }

    /// <summary>After a full dump: forgets connections the last two dumps did not hold, evicts idle hosts, publishes.</summary>
    public void Publish(in PublishTime time)
    {
        var round = _round++;
        foreach (var (tuple, seen) in _seen)
        {
            if (round - seen.Round >= 2)
                _seen.Remove(tuple);
        }
        var overflows = Table.Overflows;
        var entries = Table.EvictAndCopy(time.WallMicros - _idleMicros);
        var decode = new Decoding.DecodeCounters { Packets = Counted.Packets, Bytes = Counted.Bytes };
        _latest = new TrafficPublication(time.MonotonicMicros, entries, decode, Table.Evictions, overflows, _sources.Copy());
    }

    private void Account(in ConntrackEntry entry, (long Packets, long Bytes) original, (long Packets, long Bytes) reply, long wallMicros)
    {
        var map = mapping.Current;
        classifier.Classify(entry.Original.Source, map, out var srcLocal, out _);
        classifier.Classify(entry.Original.Destination, map, out var dstLocal, out _);
        var translated = entry.Original.Destination != entry.Reply.Source;
        if ((srcLocal == dstLocal && !translated) || !ConnectionHosts.TryHost(entry, classifier, map, out var host, out var hostSendsOriginal))
            return;
        var nic = entry.Nic;
        var source = entry.Source;
        if (nic == TrafficKey.NoNic)
        {
            classifier.Classify(host, map, out _, out nic);
            source = AttributionSource.Map;
        }
        if (router.Current.IsRouterAddress(host))
            source = AttributionSource.Unattributed;
        var (sent, received) = hostSendsOriginal ? (original, reply) : (reply, original);
        var key = new TrafficKey(host, nic);
        Table.Add(key, sent.Packets, sent.Bytes + (sent.Packets * linkHeaderBytes), sent: true, wallMicros);
        Table.Add(key, received.Packets, received.Bytes + (received.Packets * linkHeaderBytes), sent: false, wallMicros);
        _sources.Add(nic, source, original.Packets + reply.Packets);
    }

    /// <summary>What a counter grew by since last read (all of it when it went backwards: a new connection on the same tuple).</summary>
    private static (long Packets, long Bytes) Delta(ulong packets, ulong bytes, ref ulong lastPackets, ref ulong lastBytes)
    {
        var delta = packets >= lastPackets && bytes >= lastBytes ? ((long)(packets - lastPackets), (long)(bytes - lastBytes)) : ((long)packets, (long)bytes);
        (lastPackets, lastBytes) = (packets, bytes);
        return delta;
    }

    private struct Seen
    {
        public ulong OriginalPackets;
        public ulong OriginalBytes;
        public ulong ReplyPackets;
        public ulong ReplyBytes;
        public int Round;
    }
}
