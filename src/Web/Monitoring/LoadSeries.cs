using RoutingFlow.Web.Charts;

namespace RoutingFlow.Web.Monitoring;

/// <summary>
/// A WAN's load points as chart lines: capacity rx (and tx when any point has it) dashed, actual rx and tx.
/// A point without a capacity estimate is a gap in the capacity line, not a zero.
/// </summary>
public static class LoadSeries
{
    public const string CapacityRx = "capacity rx";
    public const string CapacityTx = "capacity tx";
    public const string Rx = "rx";
    public const string Tx = "tx";

    public static readonly IReadOnlyDictionary<string, string> Colors = new Dictionary<string, string>
    {
        [CapacityRx] = "#E0E0E0",
        [CapacityTx] = "#9E9E9E",
        [Rx] = "#4FC3F7",
        [Tx] = "#FFB74D",
    };

    /// <summary>
    /// At most this many points per line: a chart is a few hundred pixels wide, and a live 15-minute chart redrawn
    /// every second should not send 900 points per line to the browser each time.
    /// </summary>
    public const int MaxPoints = 300;

    /// <param name="prefix">Put before each line's name (a WAN's, when several share a chart).</param>
    public static List<ChartLine> Build(IReadOnlyList<LoadPoint> points, string prefix = "")
    {
        points = Thin(points, MaxPoints);
        List<ChartLine> lines = [Line(prefix, CapacityRx, points, p => p.CapacityRxBps)];
        if (points.Any(p => p.CapacityTxBps is not null))
            lines.Add(Line(prefix, CapacityTx, points, p => p.CapacityTxBps));
        lines.Add(Line(prefix, Rx, points, p => p.RxBps));
        lines.Add(Line(prefix, Tx, points, p => p.TxBps));
        return lines;
    }

    private static readonly (string Light, string Dark)[] WanColors =
        [("#4FC3F7", "#0277BD"), ("#FFB74D", "#E65100"), ("#81C784", "#2E7D32"), ("#F06292", "#AD1457"), ("#BA68C8", "#6A1B9A"), ("#FFF176", "#F9A825")];

    /// <summary>
    /// One of several WANs on a shared chart, in the WAN's own colour: "wan0 capacity rx" (dashed), "wan0 rx" and
    /// "wan0 tx" (darker); tx capacity is left out to keep the chart readable.
    /// </summary>
    public static List<ChartLine> BuildForWan(IReadOnlyList<LoadPoint> points, string nic, int index)
    {
        points = Thin(points, MaxPoints);
        var (light, dark) = WanColors[index % WanColors.Length];
        return
        [
            new ChartLine($"{nic} {CapacityRx}", light, Line(points, p => p.CapacityRxBps), Dashed: true),
            new ChartLine($"{nic} {Rx}", light, Line(points, p => p.RxBps)),
            new ChartLine($"{nic} {Tx}", dark, Line(points, p => p.TxBps)),
        ];
    }

    /// <summary>
    /// Merges runs of consecutive points so that at most <paramref name="max"/> remain, keeping what an operator
    /// looks for: the highest traffic and the lowest capacity of each run (unknown only when unknown throughout).
    /// </summary>
    public static IReadOnlyList<LoadPoint> Thin(IReadOnlyList<LoadPoint> points, int max)
    {
        if (points.Count <= max)
            return points;
        var run = (points.Count + max - 1) / max;
        var thinned = new List<LoadPoint>(max);
        for (var start = 0; start < points.Count; start += run)
        {
            var end = Math.Min(points.Count, start + run);
            var merged = points[start];
            for (var i = start + 1; i < end; i++)
            {
                var p = points[i];
                merged = merged with
                {
                    CapacityRxBps = Min(merged.CapacityRxBps, p.CapacityRxBps),
                    CapacityTxBps = Min(merged.CapacityTxBps, p.CapacityTxBps),
                    RxBps = Math.Max(merged.RxBps, p.RxBps),
                    TxBps = Math.Max(merged.TxBps, p.TxBps),
                };
            }
            thinned.Add(merged);
        }
        return thinned;
    }

    private static double? Min(double? a, double? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

    private static ChartLine Line(string prefix, string name, IReadOnlyList<LoadPoint> points, Func<LoadPoint, double?> value) =>
        new(prefix + name, Colors[name], Line(points, value), Dashed: name is CapacityRx or CapacityTx);

    private static (DateTimeOffset, double?)[] Line(IReadOnlyList<LoadPoint> points, Func<LoadPoint, double?> value)
    {
        var data = new (DateTimeOffset, double?)[points.Count];
        for (var i = 0; i < points.Count; i++)
            data[i] = (points[i].Time, value(points[i]));
        return data;
    }
}
