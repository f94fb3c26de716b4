using System.Collections.Concurrent;

namespace RoutingFlow.Capture.Probing;

/// <summary>
/// The probes' own bytes on the wire per interface (<c>routingflow_probe_bytes_total</c>), updated while a probe
/// runs, so that the monitor can subtract them from the WAN's traffic: a probe must not look like a user.
/// </summary>
public sealed class ProbeTraffic
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    public void Add(string itf, long rxBytes, long txBytes)
    {
        var counter = _counters.GetOrAdd(itf, _ => new Counter());
        Interlocked.Add(ref counter.Rx, rxBytes);
        Interlocked.Add(ref counter.Tx, txBytes);
    }

    /// <summary>Bytes received and sent by probes on <paramref name="itf"/> since start.</summary>
    public (long Rx, long Tx) Of(string itf) =>
        _counters.TryGetValue(itf, out var c) ? (Interlocked.Read(ref c.Rx), Interlocked.Read(ref c.Tx)) : (0, 0);

    public IReadOnlyList<string> Interfaces => [.. _counters.Keys];

    private sealed class Counter
    {
        public long Rx;
        public long Tx;
    }
}
