namespace RoutingFlow.Capture.Sources;

/// <summary>Turns "libpcap could not be loaded" into one plain message with the fix.</summary>
public static class LibpcapGuard
{
    public const string MissingMessage =
        "libpcap is not installed or could not be loaded (install it: apt-get install libpcap0.8)";

    public static bool IsMissing(Exception e) => e is DllNotFoundException
        || (e is TypeInitializationException { InnerException: { } inner } && IsMissing(inner));

    public static CaptureSourceException Missing(Exception e) => new(MissingMessage, e) { LibpcapMissing = true };
}
