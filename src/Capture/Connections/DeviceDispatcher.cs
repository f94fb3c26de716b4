using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Sources;

namespace RoutingFlow.Capture.Connections;

/// <summary>
/// Feeds one capture of several devices — the <c>any</c> device as Linux cooked (SLL2) frames, each of which names
/// its device (ifindex) and whether the device sent it (packet type) — to each device's
/// <see cref="DeviceConnectionCounter"/>. Immutable: a new set of devices is a new dispatcher (the counters carry
/// over), swapped in between two batches. Frames of a device not in the set (the kernel filter was just changed)
/// are counted in <see cref="Unattributed"/>.
/// </summary>
public sealed class DeviceDispatcher : IPacketConsumer
{
    private readonly DeviceConnectionCounter[] _counters;
    private readonly Dictionary<int, DeviceConnectionCounter> _byIfIndex;

    /// <param name="unattributed">The count so far (the dispatcher this one replaces), so that it stays cumulative.</param>
    public DeviceDispatcher(IEnumerable<DeviceConnectionCounter> counters, long unattributed = 0)
    {
        Unattributed = unattributed;
        _counters = [.. counters.DistinctBy(c => c.DeviceId)];
        _byIfIndex = _counters.ToDictionary(c => c.DeviceId);
        Filter = KernelFilter(_counters.Select(c => c.DeviceId));
    }

    public IReadOnlyList<DeviceConnectionCounter> Counters => _counters;

    /// <summary>The BPF filter that passes exactly these devices' frames on the <c>any</c> device (in the kernel).</summary>
    public string Filter { get; }

    public long Unattributed { get; private set; }

    /// <summary><c>ifindex 3 or ifindex 7</c>; with no device, a filter no frame passes (no interface has ifindex 0).</summary>
    public static string KernelFilter(IEnumerable<int> ifIndexes)
    {
        var terms = ifIndexes.Order().Select(i => $"ifindex {i}").ToList();
        return terms.Count == 0 ? "ifindex 0" : string.Join(" or ", terms);
    }

    public void Consume(ReadOnlySpan<CapturedPacket> batch)
    {
        foreach (var counter in _counters)
            counter.ApplyPendingReset();
        DeviceConnectionCounter? last = null;
        foreach (ref readonly var item in batch)
        {
            var ifIndex = item.Packet.Link.IfIndex;
            if (last?.DeviceId != ifIndex && !_byIfIndex.TryGetValue(ifIndex, out last))
            {
                Unattributed++;
                continue;
            }
            last!.Count(item.Packet, item.TimestampMicros);
        }
    }

    public void Publish(in PublishTime time)
    {
        foreach (var counter in _counters)
            counter.Publish(time);
    }
}
