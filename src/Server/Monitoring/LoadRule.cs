namespace RoutingFlow.Server.Monitoring;

public enum CompareMode
{
    /// <summary>rx + tx against the rx capacity: the original monitor's rule.</summary>
    Combined,

    /// <summary>rx against rx capacity, tx against tx capacity; overloaded when either is over.</summary>
    PerDirection,
}

public enum LoadState
{
    /// <summary>No capacity to compare with: never overloaded.</summary>
    Unknown,
    Ok,

    /// <summary>At or above <c>Monitor:FullAt</c> but not above the threshold: the line carries what it can, no incident.</summary>
    Full,
    Overloaded,
}

/// <summary>A WAN at one instant: its capacity per direction (after correction; null: unknown) and its actual traffic, bits/s.</summary>
public readonly record struct WanReading(double? CapacityRxBps, double? CapacityTxBps, double ActualRxBps, double ActualTxBps, TimeSpan? Rtt);

/// <summary>Which direction of a WAN is over its capacity.</summary>
public enum OverDirection
{
    None,
    Rx,
    Tx,
    Both,
}

/// <summary>
/// How loaded a WAN is: <see cref="Utilization"/> is actual / capacity (the larger direction per-direction), null
/// while unknown; <see cref="Over"/> the direction that is over (per-direction: each one above the threshold; combined:
/// the direction that carries the larger share), <see cref="OverDirection.None"/> unless overloaded.
/// </summary>
public readonly record struct WanLoad(LoadState State, CompareMode Mode, double? Utilization, OverDirection Over = OverDirection.None);

/// <summary>
/// The comparison rule. <c>combined</c>: (rx + tx) / rx capacity. <c>per-direction</c>: max(rx / rx capacity,
/// tx / tx capacity). <c>auto</c>: per-direction where both capacities are known, combined otherwise.
/// Overloaded when utilisation is above the threshold, full from <c>fullAt</c> up to it; no capacity: unknown,
/// never overloaded.
/// </summary>
public static class LoadRule
{
    /// <param name="compare">null: auto.</param>
    /// <param name="fullAt">Full from this utilisation up to <paramref name="threshold"/> (never when above it).</param>
    public static WanLoad Evaluate(in WanReading reading, CompareMode? compare, double threshold, double fullAt = double.PositiveInfinity)
    {
        var mode = compare ?? (reading.CapacityRxBps is > 0 && reading.CapacityTxBps is > 0 ? CompareMode.PerDirection : CompareMode.Combined);
        double? utilization = mode switch
        {
            CompareMode.Combined when reading.CapacityRxBps is > 0 and var rx => (reading.ActualRxBps + reading.ActualTxBps) / rx,
            CompareMode.PerDirection when reading.CapacityRxBps is > 0 and var rx && reading.CapacityTxBps is > 0 and var tx =>
                Math.Max(reading.ActualRxBps / rx, reading.ActualTxBps / tx),
            _ => null,
        };
        var state = utilization switch
        {
            null => LoadState.Unknown,
            var u when u > threshold => LoadState.Overloaded,
            var u when u >= fullAt => LoadState.Full,
            _ => LoadState.Ok,
        };
        return new WanLoad(state, mode, utilization, state == LoadState.Overloaded ? Over(reading, mode, threshold) : OverDirection.None);
    }

    private static OverDirection Over(in WanReading reading, CompareMode mode, double threshold)
    {
        if (mode == CompareMode.Combined)
            return reading.ActualTxBps > reading.ActualRxBps ? OverDirection.Tx : OverDirection.Rx;
        var rx = reading.ActualRxBps / reading.CapacityRxBps!.Value > threshold;
        var tx = reading.ActualTxBps / reading.CapacityTxBps!.Value > threshold;
        return rx && tx ? OverDirection.Both : tx ? OverDirection.Tx : OverDirection.Rx;
    }

    /// <summary><c>rx</c>, <c>tx</c>, <c>both</c> (null for none), as the API and the texts name it.</summary>
    public static string? Name(this OverDirection over) => over switch
    {
        OverDirection.Rx => "rx",
        OverDirection.Tx => "tx",
        OverDirection.Both => "both",
        _ => null,
    };

    public static OverDirection ParseOver(string? text) => text switch
    {
        "rx" => OverDirection.Rx,
        "tx" => OverDirection.Tx,
        "both" => OverDirection.Both,
        _ => OverDirection.None,
    };

    /// <summary><c>auto</c> (null), <c>combined</c> or <c>per-direction</c>.</summary>
    public static CompareMode? Parse(string text) => text.ToLowerInvariant() switch
    {
        "combined" => CompareMode.Combined,
        "per-direction" => CompareMode.PerDirection,
        _ => null,
    };

    public static string Name(this CompareMode mode) => mode == CompareMode.Combined ? "combined" : "per-direction";
}
