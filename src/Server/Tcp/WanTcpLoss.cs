using RoutingFlow.Capture.Tcp;

namespace RoutingFlow.Server.Tcp;

/// <summary>One WAN's TCP segments over an interval: those carrying data, those missing (a hole before the capture point) and those retransmitted (duplicates and out-of-order, as Wireshark counts them).</summary>
public readonly record struct TcpLossCounts(long Segments, long Missing, long Retransmitted)
{
    public static TcpLossCounts operator +(TcpLossCounts a, TcpLossCounts b) =>
        new(a.Segments + b.Segments, a.Missing + b.Missing, a.Retransmitted + b.Retransmitted);

    public static TcpLossCounts operator -(TcpLossCounts a, TcpLossCounts b) =>
        new(a.Segments - b.Segments, a.Missing - b.Missing, a.Retransmitted - b.Retransmitted);

    /// <summary>
    /// Lost segments per data segment: the larger of missing (lost before the capture point) and retransmitted (lost
    /// after it, or the retransmissions that fill the holes), so that one loss counts once; null under
    /// <paramref name="minSegments"/> segments (too few to say). Segments as captured: where the kernel merged them
    /// (GRO on a forwarding router) one captured segment is up to 64 KB, so a 5 Mbit/s stream is ~10 a second.
    /// </summary>
    public double? Ratio(long minSegments = 20) =>
        Segments >= minSegments && Segments > 0 ? Math.Max(Missing, Retransmitted) / (double)Segments : null;
}

/// <summary>
/// Per WAN, the TCP segments every capture's analysis counted since the last <see cref="Take"/> (summed over the
/// captures; a capture whose counters went back, restarted, counts from zero), for the stored per-second samples
/// from which a diagnosis reads the line's loss before and during an incident. One caller (the storage recorder).
/// </summary>
public sealed class WanTcpLoss(TcpHealth health)
{
    private readonly Dictionary<(string Interface, byte Nic), NicTcpCounters> _last = [];

    public Dictionary<string, TcpLossCounts> Take()
    {
        var result = new Dictionary<string, TcpLossCounts>(StringComparer.Ordinal);
        foreach (var capture in health.Current())
        {
            if (capture.Latest is not { } snapshot)
                continue;
            foreach (var share in snapshot.PerNic)
            {
                if (health.NicName(share.Nic) is not { } nic)
                    continue;
                var key = (capture.Interface, share.Nic);
                var now = share.Counters;
                var before = _last.GetValueOrDefault(key);
                if (now.DataSegments < before.DataSegments || now.Missing < before.Missing || now.Retransmitted < before.Retransmitted)
                    before = default;
                _last[key] = now;
                var delta = new TcpLossCounts(now.DataSegments - before.DataSegments, now.Missing - before.Missing, now.Retransmitted - before.Retransmitted);
                result[nic] = result.TryGetValue(nic, out var sum) ? sum + delta : delta;
            }
        }
        return result;
    }
}
