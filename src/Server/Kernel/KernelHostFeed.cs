using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Kernel;

namespace RoutingFlow.Server.Kernel;

/// <summary>
/// One capture's per-host accounting from the kernel's host map: once a second the map's cumulative counters of the
/// capture's interface are read and what each host's grew since the last read goes into the capture's traffic table,
/// as if the capture had counted those frames, so rates, mapping and the snapshot downstream are the pcap path's.
/// A counter that shrank (its entry evicted and begun again) counts from zero. One thread: the capture's.
/// </summary>
public sealed class KernelHostFeed(KernelPrograms programs)
{
    private readonly List<KernelHostCount> _read = [];
    private Dictionary<(IpAddr Address, bool Sent), (long Packets, long Bytes)> _last = [];
    private Dictionary<(IpAddr Address, bool Sent), (long Packets, long Bytes)> _next = []; // reused: 65,536 hosts are 3 MB a second otherwise

    /// <summary>Adds the growth of <paramref name="ifindex"/>'s hosts to <paramref name="table"/>; <paramref name="nicOf"/> names a host's WAN.</summary>
    public void Feed(TrafficTable table, int ifindex, Func<IpAddr, byte> nicOf, long wallMicros)
    {
        _read.Clear();
        programs.ReadHosts(_read);
        var next = _next;
        next.Clear();
        foreach (var host in _read)
        {
            if (host.Ifindex != ifindex)
                continue;
            var key = (host.Address, host.Sent);
            next[key] = (host.Packets, host.Bytes);
            var (packets, bytes) = _last.TryGetValue(key, out var before) && before.Packets <= host.Packets && before.Bytes <= host.Bytes
                ? (host.Packets - before.Packets, host.Bytes - before.Bytes)
                : (host.Packets, host.Bytes);
            if (packets > 0)
                table.Add(new TrafficKey(host.Address, nicOf(host.Address)), packets, bytes, host.Sent, wallMicros);
        }
        (_last, _next) = (next, _last);
    }

    /// <summary>Forgets the counters read (the interface was re-created: its new ifindex starts from zero).</summary>
    public void Reset() => _last.Clear();
}
