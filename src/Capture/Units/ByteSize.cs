namespace RoutingFlow.Capture.Units;

/// <summary>Formats byte counts in binary units as people read them: 876 B, 12.3 KiB, 836 MiB, 1.25 GiB.</summary>
public static class ByteSize
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    public static string Format(double bytes) => UnitScale.Format(bytes, 1024, Units);
}
