using System.Globalization;

namespace RoutingFlow.Web.Charts;

/// <summary>
/// The axes of a chart: values on 1-2-5 steps from zero (0, 5, 10, 15, 20 Mbit/s — never 5.24 / 10.5 / 15.7), and
/// times on round steps aligned to the clock (every 10 s, 1 min, 15 min, 1 h, 1 day…), labelled in 24-hour time.
/// </summary>
public static class ChartScale
{
    private static readonly TimeSpan[] TimeSteps =
    [
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15),
        TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10),
        TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(3),
        TimeSpan.FromHours(6), TimeSpan.FromHours(12), TimeSpan.FromDays(1), TimeSpan.FromDays(2), TimeSpan.FromDays(7), TimeSpan.FromDays(14),
    ];

    /// <summary>
    /// The smallest 1-2-5 step (…, 0.5, 1, 2, 5, 10, 20, …) with which at most <paramref name="maxTicks"/> intervals
    /// reach <paramref name="max"/>, and the scale's top (a whole number of steps at or above <paramref name="max"/>).
    /// </summary>
    public static (double Top, double Step) Values(double max, int maxTicks = 5)
    {
        if (!(max > 0) || double.IsInfinity(max))
            max = 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(max / maxTicks)));
        foreach (var factor in new[] { 1.0, 2.0, 5.0, 10.0, 20.0 })
        {
            var step = factor * magnitude;
            var steps = Math.Ceiling(max / step - 1e-9);
            if (steps <= maxTicks)
                return (steps * step, step);
        }
        return (max, max); // not reached: 20 × magnitude always fits
    }

    /// <summary>The ticks from zero to <paramref name="top"/> by <paramref name="step"/>.</summary>
    public static IReadOnlyList<double> Ticks(double top, double step)
    {
        var ticks = new List<double>();
        for (var i = 0; i * step <= top * (1 + 1e-9); i++)
            ticks.Add(Math.Round(i * step, 12));
        return ticks;
    }

    /// <summary>The round time step that puts at most <paramref name="maxTicks"/> labels across the span.</summary>
    public static TimeSpan TimeStep(TimeSpan span, int maxTicks = 6) =>
        TimeSteps.FirstOrDefault(s => span / s <= maxTicks, TimeSpan.FromDays(30));

    /// <summary>
    /// The times on whole multiples of the step within [from, to], on the clock of <paramref name="zone"/> (UTC by
    /// default; the zone's offset at <paramref name="from"/> for the whole range).
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> TimeTicks(DateTimeOffset from, DateTimeOffset to, int maxTicks = 6, TimeZoneInfo? zone = null)
    {
        var step = (long)TimeStep(to - from, maxTicks).TotalMilliseconds;
        var offset = (long)(zone ?? TimeZoneInfo.Utc).GetUtcOffset(from).TotalMilliseconds;
        var local = from.ToUnixTimeMilliseconds() + offset;
        var first = (long)Math.Ceiling(local / (double)step) * step - offset;
        var ticks = new List<DateTimeOffset>();
        for (var t = first; t <= to.ToUnixTimeMilliseconds(); t += step)
            ticks.Add(DateTimeOffset.FromUnixTimeMilliseconds(t));
        return ticks;
    }

    /// <summary>A tooltip's time: to the second, with the date for spans over a day.</summary>
    public static string PointLabel(DateTimeOffset time, TimeSpan span, TimeZoneInfo? zone = null) =>
        TimeZoneInfo.ConvertTime(time, zone ?? TimeZoneInfo.Utc).ToString(span > TimeSpan.FromDays(1) ? "yyyy-MM-dd HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A time label in 24-hour time, in <paramref name="zone"/> (UTC by default): seconds for short spans, the date for long ones.</summary>
    public static string TimeLabel(DateTimeOffset time, TimeSpan span, TimeZoneInfo? zone = null)
    {
        var local = TimeZoneInfo.ConvertTime(time, zone ?? TimeZoneInfo.Utc);
        var format = span > TimeSpan.FromDays(2) ? "MM-dd" : span > TimeSpan.FromDays(1) ? "MM-dd HH:mm" : span > TimeSpan.FromMinutes(10) ? "HH:mm" : "HH:mm:ss";
        return local.ToString(format, CultureInfo.InvariantCulture);
    }
}
