namespace RoutingFlow.Testing.Oracles;

/// <summary>Percentiles of an oracle's samples, taken as the analysis takes its own.</summary>
public static class Percentiles
{
    /// <summary>Nearest rank, as the analysis reports its percentiles.</summary>
    public static double Rank(IReadOnlyCollection<double> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
