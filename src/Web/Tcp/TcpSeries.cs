using RoutingFlow.Capture.Tcp;
using RoutingFlow.Web.Charts;

namespace RoutingFlow.Web.Tcp;

/// <summary>A capture's per-second TCP points as chart lines: the rate of each event type, in events per second.</summary>
public static class TcpSeries
{
    public const int MaxPoints = 300;

    public static readonly string[] Palette = ["#EF5350", "#FFB74D", "#4FC3F7", "#BA68C8", "#90A4AE"];

    public static List<ChartLine> Build(IReadOnlyList<TcpPoint> points)
    {
        points = Thin(points, MaxPoints);
        return
        [
            Series("missing/s", Palette[0], points, p => p.Rates.Missing),
            Series("duplicate/s", Palette[1], points, p => p.Rates.Duplicate),
            Series("out-of-order/s", Palette[2], points, p => p.Rates.OutOfOrder),
            Series("zero window/s", Palette[3], points, p => p.Rates.ZeroWindow),
            Series("window shrink/s", Palette[4], points, p => p.Rates.WindowShrink),
        ];
    }

    /// <summary>A rate of events with its unit: <c>0.5 /s</c>, <c>12 /s</c>, <c>1.2k /s</c>.</summary>
    public static string Rate(double perSecond) => perSecond switch
    {
        >= 1000 => (perSecond / 1000).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "k /s",
        _ => perSecond.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + " /s",
    };

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

    private static ChartLine Series(string name, string color, IReadOnlyList<TcpPoint> points, Func<TcpPoint, double> value) =>
        new(name, color, points.Select(p => (p.Time, (double?)value(p))).ToList());
}
