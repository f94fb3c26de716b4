namespace RoutingFlow.Capture.Analysis;

/// <summary>How far counting a capture file has got: reported about once a second, and once when done.</summary>
public readonly record struct CountProgress(long Packets, long BytesRead, long FileBytes, TimeSpan Elapsed, bool Done)
{
    /// <summary>Share of the file read, 0–1; null when the position is unknown.</summary>
    public double? Fraction => BytesRead >= 0 && FileBytes > 0 ? Math.Min(1, (double)BytesRead / FileBytes) : null;
}
