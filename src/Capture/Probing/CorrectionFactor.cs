using System.Globalization;
using RoutingFlow.Capture.Configuration;

namespace RoutingFlow.Capture.Probing;

/// <summary>
/// The correction factor every reported estimate is multiplied by, as the original <c>/tcpflow</c> API reads and
/// prints it: finite, &gt; 0 and ≤ 1,000,000; printed invariant in the shortest round-trip form (0.5, 2, 10).
/// </summary>
public static class CorrectionFactor
{
    public static bool TryParse(string? text, out double value, out string error)
    {
        error = "";
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value) && value > 0 && value <= ProbeOptions.MaxCorrectionFactor)
            return true;
        // The original tool's text for what is not a positive number; a number past the limit is told the limit.
        error = double.IsFinite(value) && value > ProbeOptions.MaxCorrectionFactor
            ? $"invalid correction factor '{text}': must be a positive number at most {ProbeOptions.MaxCorrectionFactor.ToString(CultureInfo.InvariantCulture)}"
            : $"invalid correction factor '{text}': must be a positive number";
        return false;
    }

    public static bool IsValid(double value) => double.IsFinite(value) && value > 0 && value <= ProbeOptions.MaxCorrectionFactor;

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
