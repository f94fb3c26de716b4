namespace RoutingFlow.Capture.Tests;

/// <summary>The layout's rules, checked on the built assemblies.</summary>
public sealed class ArchitectureTests
{
    /// <summary>The Capture library (sources, decoding, analysis, probing, conntrack) is a plain library: no ASP.NET Core.</summary>
    [Fact]
    public void CaptureLibrary_ReferencesNoAspNetCore()
    {
        var references = typeof(RoutingFlow.Capture.Accounting.TrafficTable).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();

        Assert.Contains("SharpPcap", references); // the list is the real one
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }
}
