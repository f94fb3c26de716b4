using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Connections;
using RoutingFlow.Capture.Kernel;
using RoutingFlow.Server.Kernel;

namespace RoutingFlow.Server.Devices;

/// <summary>
/// The attached devices counted by the kernel (<c>Capture:Backend</c> <c>ebpf</c>, or <c>auto</c> where it loads):
/// each device the registry feeds here gets the connection role on the shared <see cref="KernelPrograms"/>, the others
/// lose it; once a second the connection map is read (one batch read for every device), idle entries removed, and each
/// device's counter published as if it had counted the frames itself, so the endpoints, metrics and pages read it
/// unchanged. Thread-safe: the registry and the timer call it.
/// </summary>
public sealed class KernelDeviceFeed(KernelPrograms programs, ConnectionOptions connections, TimeProvider time) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, DeviceConnectionCounter> _fed = [];
    private readonly Dictionary<int, long> _expired = [];
    private readonly List<ConnectionEntry> _entries = [];
    private ITimer? _timer;

    /// <summary>True when the kernel counts the attached devices; false: libpcap does (<c>pcap</c>, or <c>auto</c> after a failed load).</summary>
    public bool Active => programs.Wanted;

    /// <summary>Connection entries in the kernel's map at the last read.</summary>
    public int Entries { get; private set; }

    /// <summary>Counts <paramref name="counter"/>'s device in the kernel (attached when new); the error when it cannot.</summary>
    public string? Feed(DeviceInfo device, DeviceConnectionCounter counter)
    {
        lock (_gate)
        {
            if (_fed.TryGetValue(device.IfIndex, out var fed) && ReferenceEquals(fed, counter))
                return null;
            if (programs.Attach(device.IfIndex, device.IsVeth, BpfCounters.NetworkOffset(device.LinkType), KernelCounting.Connections) is { } error)
                return error;
            _fed[device.IfIndex] = counter;
            _timer ??= time.CreateTimer(_ => Publish(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
            return null;
        }
    }

    /// <summary>Takes the connection role off every device not in <paramref name="keep"/> (ifindexes).</summary>
    public void Keep(IReadOnlySet<int> keep)
    {
        lock (_gate)
        {
            foreach (var ifindex in _fed.Keys.Where(i => !keep.Contains(i)).ToList())
            {
                programs.Release(ifindex, KernelCounting.Connections);
                _fed.Remove(ifindex);
                _expired.Remove(ifindex);
            }
        }
    }

    /// <summary>Reads the connection map and publishes every fed device's counter (resets asked for applied first).</summary>
    public void Publish()
    {
        lock (_gate)
        {
            if (!programs.Running || _fed.Count == 0)
                return;
            foreach (var (ifindex, counter) in _fed)
            {
                if (counter.TakeResetRequest())
                {
                    programs.Reset(ifindex);
                    _expired[ifindex] = 0;
                }
            }
            _entries.Clear();
            programs.ReadConnections(_entries, time.GetUtcNow());
            Entries = _entries.Count;
            var cutoff = (time.GetUtcNow() - connections.IdleTimeout).ToUnixTimeMilliseconds() * 1000;
            var byDevice = new Dictionary<int, List<ConnectionEntry>>();
            foreach (var entry in _entries)
            {
                if (!_fed.ContainsKey(entry.Key.DeviceId))
                    continue;
                if (entry.LastActiveMicros < cutoff)
                {
                    programs.Delete(entry.Key); // the kernel's LRU map never expires entries itself
                    _expired[entry.Key.DeviceId] = _expired.GetValueOrDefault(entry.Key.DeviceId) + 1;
                    continue;
                }
                if (!byDevice.TryGetValue(entry.Key.DeviceId, out var list))
                    byDevice[entry.Key.DeviceId] = list = [];
                list.Add(entry);
            }
            foreach (var (ifindex, counter) in _fed)
                counter.PublishCounted(programs.Totals(ifindex), byDevice.GetValueOrDefault(ifindex) ?? [], programs.ConnectionEvictions(ifindex), _expired.GetValueOrDefault(ifindex));
        }
    }

    /// <summary>Every device's connection role released (the programs themselves stay for the captures until the process stops).</summary>
    public void Dispose()
    {
        _timer?.Dispose();
        Keep(new HashSet<int>());
    }
}
