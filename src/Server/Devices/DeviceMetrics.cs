using Prometheus;
using RoutingFlow.Capture.Connections;

namespace RoutingFlow.Server.Devices;

/// <summary>
/// The attached devices on <c>/metrics</c>, refreshed before each scrape: bytes and packets by direction and protocol
/// (<c>other</c> for what is neither TCP nor UDP, with no direction), connection entries and evictions. No port
/// labels. A detached device's series are removed; when a device's counters restart (attached again, reset, or a
/// re-created veth counted under its new ifindex) its series are removed and start again, as a counter reset.
/// </summary>
public sealed class DeviceMetrics
{
    private static readonly string[] TrafficLabels = ["device", "direction", "protocol"];
    private readonly Counter _bytes;
    private readonly Counter _packets;
    private readonly Gauge _entries;
    private readonly Counter _evictions;
    private readonly Dictionary<string, (DeviceConnectionCounter Counter, int Resets)> _shown = new(StringComparer.Ordinal);

    public DeviceMetrics(IMetricFactory factory)
    {
        _bytes = factory.CreateCounter("routingflow_device_bytes_total", "Bytes an attached device carried, by direction and protocol.", TrafficLabels);
        _packets = factory.CreateCounter("routingflow_device_packets_total", "Frames an attached device carried, by direction and protocol.", TrafficLabels);
        _entries = factory.CreateGauge("routingflow_device_connection_entries", "Connection counters an attached device holds now.", ["device"]);
        _evictions = factory.CreateCounter("routingflow_device_connection_evictions_total", "Connection counters evicted at Connections:MaxEntries.", ["device"]);
    }

    public void Update(DeviceRegistry registry)
    {
        lock (_shown)
        {
            var attached = registry.Devices;
            foreach (var gone in _shown.Keys.Except(attached.Select(d => d.Interface)).ToList())
                Remove(gone);
            foreach (var device in attached)
            {
                if (device.Latest is not { } latest || device.Counter is not { } counter)
                    continue;
                Show(device.Interface, counter, latest.Counts);
            }
        }
    }

    private void Show(string name, DeviceConnectionCounter counter, DevicePublication counts)
    {
        var t = counts.Totals;
        var generation = (counter, counts.Resets);
        if (!_shown.TryGetValue(name, out var shown) || !ReferenceEquals(shown.Counter, counter) || shown.Resets != counts.Resets)
        {
            RemoveSeries(name); // new counters: start the series again rather than hold the old totals
            _shown[name] = generation;
        }
        Traffic(name, "ingress", "TCP", t.TcpIngressPackets, t.TcpIngressBytes);
        Traffic(name, "egress", "TCP", t.TcpEgressPackets, t.TcpEgressBytes);
        Traffic(name, "ingress", "UDP", t.UdpIngressPackets, t.UdpIngressBytes);
        Traffic(name, "egress", "UDP", t.UdpEgressPackets, t.UdpEgressBytes);
        Traffic(name, "", "other", t.OtherPackets, t.OtherBytes);
        _entries.WithLabels(name).Set(counts.Entries.Count);
        _evictions.WithLabels(name).IncTo(counts.Evictions);
    }

    private void Traffic(string name, string direction, string protocol, long packets, long bytes)
    {
        _packets.WithLabels(name, direction, protocol).IncTo(packets);
        _bytes.WithLabels(name, direction, protocol).IncTo(bytes);
    }

    private void Remove(string name)
    {
        _shown.Remove(name);
        RemoveSeries(name);
    }

    private void RemoveSeries(string name)
    {
        foreach (var (direction, protocol) in new[] { ("ingress", "TCP"), ("egress", "TCP"), ("ingress", "UDP"), ("egress", "UDP"), ("", "other") })
        {
            _packets.RemoveLabelled(name, direction, protocol);
            _bytes.RemoveLabelled(name, direction, protocol);
        }
        _entries.RemoveLabelled(name);
        _evictions.RemoveLabelled(name);
    }
}
