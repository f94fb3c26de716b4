using System.Globalization;

namespace RoutingFlow.Capture.Units;

/// <summary>A non-negative value in the largest unit that keeps it at least 1, with three significant digits (950, 12.3, 1.25).</summary>
internal static class UnitScale
{
    public static string Format(double value, double step, string[] units)
    {
        value = Math.Max(0, value);
        var unit = 0;
        while (value >= step && unit < units.Length - 1)
        {
            value /= step;
            unit++;
        }
        var format = unit == 0 || value >= 100 ? "0" : value >= 10 ? "0.0" : "0.00";
        return value.ToString(format, CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
