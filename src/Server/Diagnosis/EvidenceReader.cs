using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Storage;
using RoutingFlow.Server.Tcp;

namespace RoutingFlow.Server.Diagnosis;

/// <summary>
/// Gathers an incident's evidence from the stored history, so that a restart loses no baseline: the per-second
/// samples of the baseline window before the incident and of the incident so far (medians), the probes' RTTs
/// (median before; the incident's at its peak during), and the per-minute bytes of the WAN's busiest IPs in the
/// baseline (over the part of it the history covers) against their rates at the incident's peak. A capacity sample taken before a correction-factor change
/// is rescaled to the factor in force during the incident, so that an operator's change is not read as the line's.
/// The loss ratio before and during is the TCP analysis' lost segments per data segment on the WAN, summed over
/// each window's stored samples (<see cref="TcpLossCounts.Ratio"/>; null with fewer than 20 segments). A watched
/// router's incident reads that router's stored samples and minutes (the fleet monitor's): no probe RTTs, TCP loss or
/// correction events there, so capacity speaks only through the probed capacity it exported.
/// </summary>
public sealed class EvidenceReader(HistoryQueries history, RouterLayout layout, DiagnosisOptions options)
{
    public async Task<DiagnosisEvidence?> ReadAsync(Incident incident, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!history.Ready)
            return null;
        var start = incident.StartedAt;
        var end = incident.EndedAt ?? now;
        var (from, to) = (start - options.Baseline, start);
        var local = incident.Router.Length == 0;
        var corrections = local ? (await history.EventsAsync(incident.Nic, from, end, cancellationToken)).Where(e => e.Kind == HistoryEvent.Correction).ToList() : [];
        var before = await SamplesAsync(incident, from, to.AddMilliseconds(-1), corrections, end, cancellationToken); // the start's own sample is the incident's
        var during = await SamplesAsync(incident, start, end, corrections, end, cancellationToken);
        var over = incident.Over == OverDirection.Tx ? "tx" : "rx";
        var itf = local ? layout.Nics.FirstOrDefault(n => n.Name == incident.Nic)?.Interface : null;
        var rtts = itf is null ? [] : await history.ProbeRttsAsync(itf, from, to, cancellationToken);
        // A server that started within the baseline window has stored only part of it: hosts' means are over what it covers.
        var covered = before.Count > 0 && before[0].Time > from ? before[0].Time : from;
        var growth = await GrowthAsync(incident, over, from, to, covered, cancellationToken);
        return new DiagnosisEvidence(incident.Nic, over,
            new BaselineRates(from, to, Median(before, p => p.ActualRxBps), Median(before, p => p.ActualTxBps)),
            during.Count >= 3 ? new DirectionRates(Median(during, p => p.ActualRxBps), Median(during, p => p.ActualTxBps)) : new DirectionRates(incident.PeakRxBps, incident.PeakTxBps),
            new DirectionRates(Median(before, p => p.CapacityRxBps), Median(before, p => p.CapacityTxBps)),
            during.Count >= 3 ? new DirectionRates(Median(during, p => p.CapacityRxBps), Median(during, p => p.CapacityTxBps)) : new DirectionRates(incident.CapacityRxBps, incident.CapacityTxBps),
            Loss(before), Loss(during), rtts.Count > 0 ? Median(rtts.ConvertAll(r => r.Seconds)) : incident.RttAtStartSeconds, incident.RttAtPeakSeconds, growth);
    }

    private async Task<List<HistoryPoint>> SamplesAsync(Incident incident, DateTimeOffset from, DateTimeOffset to, List<HistoryEvent> corrections,
        DateTimeOffset end, CancellationToken cancellationToken)
    {
        var points = new List<HistoryPoint>();
        await foreach (var p in history.RawAsync(incident.Nic, from, to, cancellationToken, incident.Router))
        {
            var scale = 1.0;
            foreach (var c in corrections)
            {
                if (c.Time > p.Time && c.Time <= end && c.OldValue is > 0 and var old && c.NewValue is { } now)
                    scale *= now / old;
            }
            points.Add(scale == 1.0 ? p : p with { CapacityRxBps = p.CapacityRxBps * scale, CapacityTxBps = p.CapacityTxBps * scale });
        }
        return points;
    }

    /// <summary>The incident's top talkers in the over direction against their mean over the baseline, largest growth first.</summary>
    /// <param name="covered">Where the stored history of the baseline starts (the window's start, or the server's first sample).</param>
    private async Task<List<HostGrowth>> GrowthAsync(Incident incident, string over, DateTimeOffset from, DateTimeOffset to, DateTimeOffset covered, CancellationToken cancellationToken)
    {
        var peak = (over == "tx" ? incident.TopTx : incident.TopRx).ToList();
        if (peak.Count == 0 || options.GrowthHosts == 0)
            return [];
        // Only the minutes that ended by the incident's start: the one it started in holds the demand that caused it.
        var lastEnd = new DateTimeOffset(to.UtcTicks - to.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
        var seconds = Math.Max(1, (lastEnd - covered).TotalSeconds);
        var baseline = (await history.TalkersAsync(incident.Nic, from, lastEnd.AddMinutes(-1), over, 1000, cancellationToken, incident.Router))
            .ToDictionary(t => t.Ip, t => (over == "tx" ? t.TxBytes : t.RxBytes) * 8 / seconds);
        return peak.Select(p => new HostGrowth(p.Ip, p.Name, p.Bps - baseline.GetValueOrDefault(p.Ip), over))
            .Where(g => g.Bps > 0).OrderByDescending(g => g.Bps).ThenBy(g => g.Ip, StringComparer.Ordinal).Take(options.GrowthHosts).ToList();
    }

    /// <summary>The window's TCP loss ratio: its samples' segments summed (null with too few to say).</summary>
    private static double? Loss(List<HistoryPoint> points)
    {
        var sum = new TcpLossCounts();
        foreach (var p in points)
        {
            if (p.Tcp is { } tcp)
                sum += tcp;
        }
        return sum.Ratio();
    }

    private static double? Median(List<HistoryPoint> points, Func<HistoryPoint, double?> value) =>
        Median(points.Select(value).OfType<double>().ToList());

    private static double? Median(List<double> values)
    {
        if (values.Count == 0)
            return null;
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }
}
