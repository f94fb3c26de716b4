namespace RoutingFlow.Server.Monitoring;

public enum IncidentChange
{
    None,
    Opened,
    Reopened,
    Updated,
    Closed,
}

/// <summary>The busiest IPs of a WAN by rx and by tx, asked for only while it is overloaded.</summary>
public interface ITopIps
{
    (IReadOnlyList<IpRate> Rx, IReadOnlyList<IpRate> Tx) Top(string nic, int count);
}

/// <summary>When an overload is an incident (<c>RoutingFlow:Monitor</c>).</summary>
public sealed record IncidentTiming(TimeSpan SustainFor, TimeSpan ClearFor, TimeSpan MinIncidentGap, int TopIps);

/// <summary>
/// One WAN's incidents. An incident opens after <c>SustainFor</c> of continuous overload (starting when the overload
/// did), records its peak (the top IPs at the peak) and the capacity's range, and closes after <c>ClearFor</c>
/// below the threshold (ending when the overload did); an overload within <c>MinIncidentGap</c> of the last
/// incident's end reopens it. An unknown capacity changes nothing: an open incident stays open, and an overload
/// in progress must start over. Nothing is allocated while the WAN is not overloaded and has no open incident.
/// </summary>
/// <param name="router">The router the WAN belongs to: empty for this router's own (the fleet monitor names the others).</param>
public sealed class IncidentTracker(string nic, IncidentTiming timing, Func<long> nextId, string router = "")
{
    private DateTimeOffset? _overSince;
    private DateTimeOffset? _underSince;

    public string Nic => nic;

    /// <summary>The open incident, or the last closed one (null before the first).</summary>
    public Incident? Current { get; private set; }

    public Incident? Open => Current is { IsOpen: true } ? Current : null;

    /// <summary>
    /// The wall clock stepped by <paramref name="step"/>: the times kept here (the overload's or the clearance's start,
    /// the current incident's times) are moved by it, so that durations stay true and the labels follow the new clock.
    /// </summary>
    public void Shift(TimeSpan step)
    {
        _overSince += step;
        _underSince += step;
        if (Current is { } c)
            Current = c with { StartedAt = c.StartedAt + step, EndedAt = c.EndedAt + step, PeakAt = c.PeakAt + step };
    }

    public IncidentChange Step(DateTimeOffset now, in WanReading reading, in WanLoad load, ITopIps top)
    {
        if (load.State == LoadState.Unknown)
        {
            _overSince = null;
            return IncidentChange.None;
        }
        if (load.State == LoadState.Overloaded)
            return Over(now, reading, load, top);
        _overSince = null;
        if (Open is not { } open)
            return IncidentChange.None;
        _underSince ??= now;
        if (now - _underSince.Value < timing.ClearFor)
            return Track(open, reading) ? IncidentChange.Updated : IncidentChange.None;
        Current = open with { EndedAt = _underSince };
        _underSince = null;
        return IncidentChange.Closed;
    }

    private IncidentChange Over(DateTimeOffset now, in WanReading reading, in WanLoad load, ITopIps top)
    {
        _underSince = null;
        _overSince ??= now;
        if (Open is { } open)
        {
            var tracked = Track(open, reading);
            if (load.Utilization <= Current!.PeakUtilization)
                return tracked ? IncidentChange.Updated : IncidentChange.None;
            Current = Peak(Current, now, reading, load, top);
            return IncidentChange.Updated;
        }
        if (now - _overSince.Value < timing.SustainFor)
            return IncidentChange.None;
        var reopen = Current is { EndedAt: { } ended } && _overSince.Value - ended <= timing.MinIncidentGap;
        Current = reopen ? Current! with { EndedAt = null } : Start(_overSince.Value, reading, load);
        Track(Current, reading);
        if (!reopen || load.Utilization > Current.PeakUtilization)
            Current = Peak(Current, now, reading, load, top);
        return reopen ? IncidentChange.Reopened : IncidentChange.Opened;
    }

    private Incident Start(DateTimeOffset startedAt, in WanReading reading, in WanLoad load) => new(
        nextId(), nic, startedAt, null, load.Mode, reading.CapacityRxBps, reading.CapacityTxBps,
        reading.CapacityRxBps, reading.CapacityRxBps, reading.CapacityTxBps, reading.CapacityTxBps,
        0, 0, 0, startedAt, [], [], reading.Rtt?.TotalSeconds, null) { Router = router };

    private Incident Peak(Incident incident, DateTimeOffset now, in WanReading reading, in WanLoad load, ITopIps top)
    {
        var (rx, tx) = top.Top(nic, timing.TopIps);
        return incident with
        {
            PeakUtilization = load.Utilization!.Value,
            PeakAt = now,
            TopRx = rx,
            TopTx = tx,
            Over = load.Over,
            Culprits = Culprits(load.Over, rx, tx, reading),
            RttAtPeakSeconds = reading.Rtt?.TotalSeconds ?? incident.RttAtPeakSeconds,
        };
    }

    /// <summary>Widens the capacity's range and the peak rates; true when anything changed.</summary>
    private bool Track(Incident incident, in WanReading reading)
    {
        var updated = incident with
        {
            CapacityRxMinBps = Min(incident.CapacityRxMinBps, reading.CapacityRxBps),
            CapacityRxMaxBps = Max(incident.CapacityRxMaxBps, reading.CapacityRxBps),
            CapacityTxMinBps = Min(incident.CapacityTxMinBps, reading.CapacityTxBps),
            CapacityTxMaxBps = Max(incident.CapacityTxMaxBps, reading.CapacityTxBps),
            PeakRxBps = Math.Max(incident.PeakRxBps, reading.ActualRxBps),
            PeakTxBps = Math.Max(incident.PeakTxBps, reading.ActualTxBps),
        };
        if (updated == incident)
            return false;
        Current = updated;
        return true;
    }

    /// <summary>The over direction's talkers first (rx first when both are over), then the other's; each with its share of that direction's traffic.</summary>
    public static List<Culprit> Culprits(OverDirection over, IReadOnlyList<IpRate> rx, IReadOnlyList<IpRate> tx, in WanReading reading)
    {
        var (rxTotal, txTotal) = (reading.ActualRxBps, reading.ActualTxBps);
        var rxCulprits = rx.Select(i => new Culprit(i.Ip, i.Name, "rx", i.Bps, Share(i.Bps, rxTotal)));
        var txCulprits = tx.Select(i => new Culprit(i.Ip, i.Name, "tx", i.Bps, Share(i.Bps, txTotal)));
        return over == OverDirection.Tx ? [.. txCulprits, .. rxCulprits] : [.. rxCulprits, .. txCulprits];
    }

    private static double Share(double bps, double total) => total > 0 ? Math.Min(1, bps / total) : 0;

    private static double? Min(double? a, double? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

    private static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}
