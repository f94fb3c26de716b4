using RoutingFlow.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Capture.Probing;
using RoutingFlow.Capture.Tcp;
using RoutingFlow.Server.Alerts;
using RoutingFlow.Server.Capture;
using RoutingFlow.Server.Devices;
using RoutingFlow.Server.Legacy;
using RoutingFlow.Server.Mapping;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Probing;
using RoutingFlow.Server.Storage;
using RoutingFlow.Server.Traffic;

namespace RoutingFlow.Server.Status;

/// <summary><c>GET /status</c> and <c>GET /healthz</c>.</summary>
public static class StatusApi
{
    public static void MapStatusApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/status", GetStatus).WithDescription("Every part's state: mapping, WANs, captures, probes, storage, alerts, devices, kernel counters, memory, fleet.");
        app.MapGet("/healthz", () => TypedResults.Text("ok")).Produces<string>(200, "text/plain").WithDescription("Liveness: ok while the server runs; open to every client.");
    }

    public static Ok<StatusResponse> GetStatus(NicMapHolder holder, MappingPoller poller, CaptureManager captures, TrafficState traffic,
        ProbeState probes, LegacyPorts legacy, MonitorState monitor, StorageWriter storage, AlertSender alerts, DeviceRegistry devices,
        Network.NetworkState network, ConntrackState conntrack, Tcp.TcpHealth tcp, Fleet.FleetState fleet, Fleet.FleetOptions fleetOptions)
    {
        var map = holder.Current;
        var wans = traffic.Current.Wans;
        var nics = wans.Count > 0
            ? wans.Select(n => Nic(n.Nic, n.Interface, n.RxBps, n.TxBps, probes, monitor.Current.Of(n.Nic), monitor)).ToList()
            : map.Nics.Select(n => Nic(n, "", 0, 0, probes, monitor.Current.Of(n), monitor)).ToList();
        return TypedResults.Ok(new StatusResponse(map.DefaultNic, Mapping(map, poller.Status, Conntrack(conntrack, captures, map)), nics,
            captures.Sessions.Select(c => Capture(c, network.Bandwidth, tcp.AnalyzerOf(c.Interface))).ToList(), ProbeSummary(probes),
            legacy.Ports.Select(p => new LegacyPortDto(p.Port, p.Path, p.Error is null, p.Error)).ToList(), Storage(storage.Status), Alerts(alerts.Status), Devices(devices),
            Memory(captures.Sessions.Sum(s => s.RingBytes) + (devices.Shared?.RingBytes ?? 0)), Fleet.Extensions.Status(fleet, fleetOptions)));
    }

    private static MemoryDto Memory(long ringBytes)
    {
        var gc = GC.GetGCMemoryInfo();
        var level = Environment.GetEnvironmentVariable("DOTNET_GCConserveMemory") ?? AppContext.GetData("System.GC.ConserveMemory")?.ToString();
        var conserve = level is null or "0" ? "" : $", conserve memory {level}";
        var mode = (System.Runtime.GCSettings.IsServerGC ? "server" : "workstation") + conserve;
        return new MemoryDto(Environment.WorkingSet, gc.HeapSizeBytes, gc.TotalCommittedBytes, ringBytes, mode);
    }

    private static DevicesStatusDto Devices(DeviceRegistry registry)
    {
        var attached = registry.Devices;
        var shared = registry.Shared is { } c
            ? new SharedCaptureDto(c.State.ToString().ToLowerInvariant(), c.Error, c.Dispatcher.Filter, c.Statistics.Received,
                c.Statistics.Dropped + c.Statistics.InterfaceDropped, c.Dispatcher.Unattributed)
            : null;
        var (k, p) = (registry.Kernel, registry.Programs);
        return new DevicesStatusDto(attached.Count, attached.Count(d => d.State == CaptureState.Running), attached.Count(d => d.State == CaptureState.Failed), shared,
            k.Active ? "ebpf" : "pcap", new KernelCountersDto(p.State, p.Error, p.Fix, attached.Count(d => d.CountedByKernel && d.Error is null), k.Entries, p.MaxConnections,
                p.ConnectionFill.Evictions, p.HostFill.Entries, p.MaxHosts, p.HostFill.Evictions));
    }

    private static NicDto Nic(string name, string itf, double rx, double tx, ProbeState probes, WanStatus? wan, MonitorState monitor)
    {
        var probed = probes.InterfaceOf(name);
        var (rxCapacity, txCapacity) = probed is null ? (null, null) : (probes.Capacity(probed, ProbeDirection.Rx), probes.Capacity(probed, ProbeDirection.Tx));
        var incident = wan?.OpenIncident is { } open
            ? new IncidentSummaryDto(open.Id, open.StartedAt, open.PeakUtilization, Rates(open.TopRx), Rates(open.TopTx), open.Over.Name(), Culprits(open.Culprits),
                monitor.Incident(open.Id)?.Diagnosis is { } d ? new DiagnosisSummaryDto(d.Cause, d.Confidence, d.Text) : null)
            : null;
        var culprits = wan is null ? [] : IncidentTracker.Culprits(wan.Load.Over, wan.TopRx, wan.TopTx, wan.Reading);
        return new NicDto(name, itf, rx, tx, rxCapacity, txCapacity, probed is null ? "disabled" : probes.StateOf(probed),
            wan?.Reading.ActualRxBps ?? rx, wan?.Reading.ActualTxBps ?? tx, wan?.Load.Utilization, wan?.Load.Mode.Name(),
            wan?.Load.State.ToString().ToLowerInvariant() ?? "unknown", Rates(wan?.TopRx ?? []), Rates(wan?.TopTx ?? []), incident,
            wan?.Load.Over.Name(), Culprits(culprits));
    }

    private static List<CulpritDto> Culprits(IEnumerable<Culprit> culprits) =>
        [.. culprits.Select(c => new CulpritDto(c.Ip, c.Name, c.Direction, Math.Round(c.Bps), Math.Round(c.Share, 4)))];

    private static AlertsDto Alerts(AlertStatus a) => new(a.Webhooks, a.Pending, a.Sent, a.Failures, a.GivenUp, a.LastError);

    private static StorageDto Storage(StorageStatus s) => new(s.Path, s.State, s.LastError, s.LastFlush, s.Pending, s.Written, s.Dropped, s.Errors);

    private static List<IpRateDto> Rates(IReadOnlyList<IpRate> rates) => rates.Select(r => new IpRateDto(r.Ip, r.Bps, r.Name)).ToList();

    private static ProbeSummaryDto ProbeSummary(ProbeState probes)
    {
        var targets = probes.Settings.Interfaces.SelectMany(i => probes.TargetsOf(i.Interface)).ToList();
        return new ProbeSummaryDto(probes.Settings.Enabled, probes.Factor, targets.Count, targets.Count(t => t.State == TargetState.Failed));
    }

    private static MappingDto Mapping(NicMap map, MappingStatus status, ConntrackDto conntrack) => new(
        status.Source, status.Url, status.Healthy, status.LastError, status.LastSuccess, status.LastAttempt,
        status.Failures, status.NextPollIn.TotalSeconds, map.Version,
        map.Entries.Select(e => new MappingRuleDto(e.Network.ToString(), e.Nic, e.Source)).ToList(), conntrack);

    private static ConntrackDto Conntrack(ConntrackState state, CaptureManager captures, NicMap map)
    {
        var s = state.Status;
        var table = state.Table;
        return new ConntrackDto(s.Mode, s.State, s.Error, s.Fix, table?.Count ?? 0, table?.MaxEntries ?? 0, s.Resyncs, table?.Evictions ?? 0,
            s.Messages, s.Malformed, s.LastDumpSeconds, s.RouteRequests, s.RouteError,
            AttributionShare.Of(captures.Sessions, map, state.Latest).Select(a => new AttributionDto(a.Nic, a.Packets, a.BySource, a.Shares)).ToList(),
            state.Backend, state.Accounting, state.Warning);
    }

    private static CaptureDto Capture(CaptureSession session, Network.BandwidthScan bandwidth, TcpAnalyzer? analyzer)
    {
        var info = session.Describe();
        var s = session.Latest;
        return new CaptureDto(info.Interface, info.Role, info.Nic, info.State, info.Error, info.Packets,
            s?.Decode.Bytes ?? 0, info.Drops, s?.Decode.Malformed ?? 0, s?.Decode.Truncated ?? 0,
            s?.Entries.Count ?? 0, s?.Evictions ?? 0, s?.Pcap.Received ?? 0, Tcp(analyzer),
            bandwidth.Coverage.FirstOrDefault(c => c.Interface == info.Interface)?.Ratio, session.Backend, session.IfIndex, session.Reopens, session.BackendNote);
    }

    private static CaptureTcpDto? Tcp(TcpAnalyzer? analyzer)
    {
        if (analyzer?.Latest is not { } t)
            return null;
        var c = t.Counters;
        return new CaptureTcpDto(c.TcpPackets, t.ActiveFlows, c.Missing, c.Duplicate, c.OutOfOrder, c.ZeroWindow, c.FlowEvictions);
    }
}
