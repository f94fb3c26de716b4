using System.Globalization;

namespace RoutingFlow.Capture.Units;

/// <summary>Formats bits per second the way network engineers read them: 950 bit/s, 12.3 kbit/s, 1.25 Gbit/s.</summary>
public static class BitRate
{
    private static readonly string[] Units = ["bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"];

    public static string Format(double bitsPerSecond)
    {
        var value = Math.Max(0, bitsPerSecond);
        var unit = 0;
        while (value >= 1000 && unit < Units.Length - 1)
        {
            value /= 1000;
            unit++;
        }
        var format = unit == 0 || value >= 100 ? "0" : value >= 10 ? "0.0" : "0.00";
        return value.ToString(format, CultureInfo.InvariantCulture) + " " + Units[unit];
    }
}
