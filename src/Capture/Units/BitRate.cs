namespace RoutingFlow.Capture.Units;

/// <summary>Formats bits per second the way network engineers read them: 950 bit/s, 12.3 kbit/s, 1.25 Gbit/s.</summary>
public static class BitRate
{
    private static readonly string[] Units = ["bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"];

    public static string Format(double bitsPerSecond) => UnitScale.Format(bitsPerSecond, 1000, Units);
}
