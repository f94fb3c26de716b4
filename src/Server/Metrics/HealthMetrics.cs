using Prometheus;
using RoutingFlow.Server.Capture;
using RoutingFlow.Server.Mapping;

namespace RoutingFlow.Server.Metrics;

/// <summary>
/// Capture and mapping health, refreshed just before each scrape: packets, drops (kernel and interface, from
/// pcap statistics), malformed frames, up/down per interface; the mapping URL's health.
/// </summary>
public sealed class HealthMetrics
{
    private readonly Counter _packets;
    private readonly Counter _dropped;
    private readonly Counter _malformed;
    private readonly Counter _truncated;
    private readonly Gauge _up;
    private readonly Gauge _trackedIps;
    private readonly Counter _evictions;
    private readonly Gauge _mappingUp;
    private readonly Counter _mappingFailures;
    private readonly Gauge _mappingLastSuccess;

    public HealthMetrics(IMetricFactory factory)
    {
        _packets = factory.CreateCounter("routingflow_capture_packets_total", "Frames captured on the interface.", ["interface"]);
        _dropped = factory.CreateCounter("routingflow_capture_dropped_total", "Frames dropped by the kernel or the interface (pcap statistics).", ["interface"]);
        _malformed = factory.CreateCounter("routingflow_capture_malformed_total", "Frames whose headers contradict themselves.", ["interface"]);
        _truncated = factory.CreateCounter("routingflow_capture_truncated_total", "Frames with a header cut by the snap length.", ["interface"]);
        _up = factory.CreateGauge("routingflow_capture_up", "1 while the interface is being captured, 0 when its capture failed or stopped.", ["interface"]);
        _trackedIps = factory.CreateGauge("routingflow_capture_tracked_ips", "(WAN, IP) pairs tracked by the capture.", ["interface"]);
        _evictions = factory.CreateCounter("routingflow_capture_evictions_total", "Tracked IPs forgotten for idleness or to make room.", ["interface"]);
        _mappingUp = factory.CreateGauge("routingflow_mapping_up", "1 when the last poll of RoutingFlow:Mapping:Url succeeded (or no URL is set), 0 while it fails.");
        _mappingFailures = factory.CreateCounter("routingflow_mapping_failures_total", "Failed polls of RoutingFlow:Mapping:Url.");
        _mappingLastSuccess = factory.CreateGauge("routingflow_mapping_last_success_timestamp_seconds", "Unix time of the last good mapping poll (0: never).");
    }

    public void Update(IReadOnlyList<CaptureSession> sessions, MappingStatus mapping)
    {
        foreach (var session in sessions)
        {
            var name = session.Spec.Interface;
            _up.WithLabels(name).Set(session.State == CaptureState.Running ? 1 : 0);
            if (session.Latest is not { } snapshot)
                continue;
            _packets.WithLabels(name).IncTo(snapshot.Decode.Packets);
            _dropped.WithLabels(name).IncTo(snapshot.Drops);
            _malformed.WithLabels(name).IncTo(snapshot.Decode.Malformed);
            _truncated.WithLabels(name).IncTo(snapshot.Decode.Truncated);
            _trackedIps.WithLabels(name).Set(snapshot.Entries.Count);
            _evictions.WithLabels(name).IncTo(snapshot.Evictions);
        }
        _mappingUp.Set(mapping.Healthy ? 1 : 0);
        _mappingFailures.IncTo(mapping.TotalFailures);
        _mappingLastSuccess.Set(mapping.LastSuccess?.ToUnixTimeMilliseconds() / 1000.0 ?? 0);
    }
}
