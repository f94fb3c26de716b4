using MudBlazor;

namespace RoutingFlow.Web.Monitoring;

/// <summary>
/// A WAN's load points as MudBlazor time series: capacity rx (and tx when any point has it), actual rx and tx.
/// A point without a capacity estimate is a gap in the capacity line, not a zero.
/// </summary>
public static class LoadSeries
{
    public const string CapacityRx = "capacity rx";
    public const string CapacityTx = "capacity tx";
    public const string Rx = "rx";
    public const string Tx = "tx";

    private static readonly Dictionary<string, string> Colors = new()
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

    public static List<ChartSeries<double>> Build(IReadOnlyList<LoadPoint> points)
    {
        points = Thin(points, MaxPoints);
        List<ChartSeries<double>> series = [Series(CapacityRx, points, p => p.CapacityRxBps)];
        if (points.Any(p => p.CapacityTxBps is not null))
            series.Add(Series(CapacityTx, points, p => p.CapacityTxBps));
        series.Add(Series(Rx, points, p => p.RxBps));
        series.Add(Series(Tx, points, p => p.TxBps));
        return series;
    }

    /// <summary>Each series' colour, in the series' order (MudBlazor assigns the palette by index).</summary>
    public static string[] Palette(List<ChartSeries<double>> series) => series.Select(s => Colors[s.Name]).ToArray();

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

    /// <summary>The largest value any line reaches.</summary>
    public static double Top(IReadOnlyList<LoadPoint> points)
    {
        var top = 0.0;
        foreach (var p in points)
            top = Math.Max(top, Math.Max(Math.Max(p.RxBps, p.TxBps), Math.Max(p.CapacityRxBps ?? 0, p.CapacityTxBps ?? 0)));
        return top;
    }

    public static TimeSpan Span(IReadOnlyList<LoadPoint> points) =>
        points.Count < 2 ? TimeSpan.Zero : points[^1].Time - points[0].Time;

    /// <summary>About five time labels across the span, on a round step.</summary>
    public static TimeSpan LabelSpacing(TimeSpan span)
    {
        TimeSpan[] steps = [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2),
            TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(3),
            TimeSpan.FromHours(6), TimeSpan.FromHours(12), TimeSpan.FromDays(1), TimeSpan.FromDays(7)];
        return steps.FirstOrDefault(s => span / s <= 6, TimeSpan.FromDays(30));
    }

    private static ChartSeries<double> Series(string name, IReadOnlyList<LoadPoint> points, Func<LoadPoint, double?> value)
    {
        var data = new List<(DateTime, double)>(points.Count);
        foreach (var p in points)
            data.Add((p.Time.UtcDateTime, value(p) ?? 0));
        var series = new ChartSeries<double> { Name = name, Data = data };
        for (var i = 0; i < points.Count; i++)
        {
            if (value(points[i]) is null)
                series.Data[i].HasValue = false;
        }
        return series;
    }
}
