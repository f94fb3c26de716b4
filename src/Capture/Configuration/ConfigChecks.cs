namespace RoutingFlow.Capture.Configuration;

/// <summary>Range checks shared by the per-feature validators: each error names its key, its value and the bounds.</summary>
public static class ConfigChecks
{
    private const string Root = RoutingFlowOptions.Section;

    public static void Range(List<string> errors, string key, long value, long min, long max, string unit)
    {
        if (value < min || value > max)
            errors.Add($"{Root}:{key} is {value}; it must be between {min} and {max}{(unit.Length > 0 ? " " + unit : "")}");
    }

    public static void Range(List<string> errors, string key, double value, double min, double max, bool minExclusive)
    {
        if (!double.IsFinite(value) || value > max || value < min || (minExclusive && value == min))
            errors.Add($"{Root}:{key} is {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}; it must be {(minExclusive ? "above" : "at least")} {min.ToString(System.Globalization.CultureInfo.InvariantCulture)} and at most {max.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
    }

    public static void Span(List<string> errors, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
            errors.Add($"{Root}:{key} is {value}; it must be between {min} and {max}");
    }
}
