using RoutingFlow.Capture.Tcp;
using MudBlazor;

namespace RoutingFlow.Web.Tcp;

/// <summary>A capture's per-second TCP points as MudBlazor time series: the rate of each event type.</summary>
public static class TcpSeries
{
    public const int MaxPoints = 300;

    public static readonly string[] Palette = ["#EF5350", "#FFB74D", "#4FC3F7", "#BA68C8", "#90A4AE"];

    public static List<ChartSeries<double>> Build(IReadOnlyList<TcpPoint> points)
    {
        points = Thin(points, MaxPoints);
        return
        [
            Series("missing/s", points, p => p.Rates.Missing),
            Series("duplicate/s", points, p => p.Rates.Duplicate),
            Series("out-of-order/s", points, p => p.Rates.OutOfOrder),
            Series("zero window/s", points, p => p.Rates.ZeroWindow),
            Series("window shrink/s", points, p => p.Rates.WindowShrink),
        ];
    }

    /// <summary>At most <paramref name="max"/> points: each run merged to its highest rates (a burst stays visible).</summary>
    public static IReadOnlyList<TcpPoint> Thin(IReadOnlyList<TcpPoint> points, int max)
    {
        if (points.Count <= max)
            return points;
        var run = (points.Count + max - 1) / max;
        var thinned = new List<TcpPoint>(max);
        for (var start = 0; start < points.Count; start += run)
        {
            var slice = points.Skip(start).Take(run).ToList();
            var r = slice.Select(p => p.Rates).ToList();
            thinned.Add(slice[0] with
            {
                Rates = new TcpRates(r.Max(x => x.Packets), r.Max(x => x.Missing), r.Max(x => x.Duplicate), r.Max(x => x.OutOfOrder),
                    r.Max(x => x.WindowShrink), r.Max(x => x.ZeroWindow)),
            });
        }
        return thinned;
    }

    private static ChartSeries<double> Series(string name, IReadOnlyList<TcpPoint> points, Func<TcpPoint, double> value) =>
        new() { Name = name, Data = points.Select(p => (p.Time.UtcDateTime, value(p))).ToList() };
}
