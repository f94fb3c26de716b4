using System.Globalization;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Probing;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Probing;
using RoutingFlow.Server.Storage.Entities;
using RoutingFlow.Server.Traffic;

namespace RoutingFlow.Server.Storage;

/// <summary>
/// Feeds the write buffer from what the server already publishes: each monitor tick's per-WAN readings with the
/// TCP segments the captures counted on the WAN meanwhile (and, at
/// each minute's end, the minute's rollup and the bytes of the WAN's busiest IPs), incidents as they change,
/// probe results and the correction factor; the fleet monitor's incidents too. Only queues: the writer does the I/O.
/// </summary>
public sealed partial class StorageRecorder(StorageWriter writer, StorageSchema schema, MonitorState monitor, ProbeState probes, TrafficState traffic,
    RouterLayout layout, StorageOptions storage, RoutingFlow.Capture.Protocols.NameCache names, Tcp.WanTcpLoss loss, Fleet.FleetState fleet, ILogger<StorageRecorder> logger) : IHostedService
{
    private readonly Dictionary<string, RollupAccumulator> _rollups = layout.Nics.ToDictionary(n => n.Name, n => new RollupAccumulator(n.Name));
    private readonly Dictionary<string, IpMinuteAccumulator> _ipMinutes = [];
    private readonly int _topIps = storage.TopIpsPerMinute;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await schema.EnsureAsync(cancellationToken); // ids and the correction factor before the first incident
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNotOpen(logger, schema.Path, e.GetBaseException().Message);
        }
        monitor.Changed += OnTick;
        monitor.IncidentChanged += OnIncident;
        fleet.IncidentChanged += OnIncident; // the watched routers' incidents, with their router
        monitor.Diagnosed += OnDiagnosed;
        fleet.Diagnosed += OnDiagnosed;
        probes.Probed += OnProbed;
        probes.CorrectionChanged += OnCorrectionChanged;
        probes.Correction.Saved = OnCorrection;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        monitor.Changed -= OnTick;
        monitor.IncidentChanged -= OnIncident;
        fleet.IncidentChanged -= OnIncident;
        monitor.Diagnosed -= OnDiagnosed;
        fleet.Diagnosed -= OnDiagnosed;
        probes.Probed -= OnProbed;
        probes.CorrectionChanged -= OnCorrectionChanged;
        return Task.CompletedTask;
    }

    private void OnTick(MonitorView view)
    {
        var time = view.At.ToUnixTimeMilliseconds();
        var tcp = loss.Take();
        foreach (var wan in view.Wans)
        {
            var r = wan.Reading;
            var row = new WanSampleRow { Nic = wan.Nic, Time = time, CapacityRx = r.CapacityRxBps, CapacityTx = r.CapacityTxBps, ActualRx = r.ActualRxBps, ActualTx = r.ActualTxBps };
            if (tcp.TryGetValue(wan.Nic, out var segments))
                (row.TcpSegments, row.TcpMissing, row.TcpRetransmitted) = (segments.Segments, segments.Missing, segments.Retransmitted);
            writer.Enqueue(new SampleItem(row));
            if (_rollups.TryGetValue(wan.Nic, out var rollup) && rollup.Add(time, r) is { } finished)
            {
                writer.Enqueue(new RollupItem(finished));
                EnqueueTopIps(wan.Nic, finished.Minute);
            }
            Accumulator(wan.Nic).Add(traffic.Current.HostsOf(wan.Nic)); // this tick's bytes belong to the minute now running
        }
    }

    /// <summary>The finished minute's busiest IPs of the WAN (added up tick by tick), with the name each had.</summary>
    private void EnqueueTopIps(string nic, long minute)
    {
        var micros = minute * 1000 + 60_000_000; // the minute's end
        var rows = Accumulator(nic).TakeTop(_topIps).Select(ip => new IpMinuteRow
        {
            Nic = nic,
            Minute = minute,
            Ip = ip.Ip.ToString(),
            RxBytes = ip.Rx,
            TxBytes = ip.Tx,
            Name = ip.Name ?? names.Lookup(ip.Ip, micros), // the snapshot names only the busiest hosts
        }).ToList();
        writer.Enqueue(new IpMinutesItem("", nic, minute, rows));
    }

    private IpMinuteAccumulator Accumulator(string nic) =>
        _ipMinutes.TryGetValue(nic, out var accumulator) ? accumulator : _ipMinutes[nic] = new IpMinuteAccumulator();

    private void OnIncident(IncidentChange change, Incident incident) => writer.Enqueue(new IncidentItem(incident));

    private void OnDiagnosed(Incident incident) => writer.Enqueue(new IncidentItem(incident));

    private void OnProbed(TargetStatus status) => writer.Enqueue(new ProbeItem(new ProbeResultRow
    {
        Time = status.LastAttempt!.Value.ToUnixTimeMilliseconds(),
        Interface = status.Interface,
        Server = status.Target.Server,
        Method = status.Target.Method.ToString().ToLowerInvariant(),
        EstimateBps = status.Last!.EstimateBps,
        RttSeconds = status.Last.Rtt?.TotalSeconds,
        TransferredBytes = status.Last.TransferredBytes,
        Failure = status.Last.Failure?.ToString().ToLowerInvariant(),
        Error = status.Last.Error,
    }));

    private void OnCorrectionChanged(double old, double factor, DateTimeOffset at) => writer.Enqueue(new EventItem(new EventRow
    {
        Time = at.ToUnixTimeMilliseconds(),
        Kind = HistoryEvent.Correction,
        Text = $"correction factor {CorrectionFactor.Format(old)} → {CorrectionFactor.Format(factor)}",
        OldValue = old,
        NewValue = factor,
    }));

    private Task<string?> OnCorrection(double factor, DateTimeOffset at) =>
        writer.SaveNowAsync(new SettingItem(StorageSchema.CorrectionFactorKey, factor.ToString("R", CultureInfo.InvariantCulture), at.ToUnixTimeMilliseconds()));

    [LoggerMessage(EventId = 1404, Level = LogLevel.Warning, Message = "Storage: cannot open {Path} yet ({Error}); detection goes on and writing is retried")]
    private static partial void LogNotOpen(ILogger logger, string path, string error);
}
