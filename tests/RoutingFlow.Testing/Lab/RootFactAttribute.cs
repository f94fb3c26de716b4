namespace RoutingFlow.Testing.Lab;

/// <summary>A test that needs root (network namespaces, capture, other users). Skipped, with the reason, only when not root.</summary>
public sealed class RootFactAttribute : Xunit.FactAttribute
{
    public RootFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
            Skip = "needs root: it creates network namespaces and captures on them (CI runs ./test.sh as root)";
    }
}

/// <summary>A <see cref="Xunit.TheoryAttribute"/> that needs root, as <see cref="RootFactAttribute"/>.</summary>
public sealed class RootTheoryAttribute : Xunit.TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
            Skip = "needs root: it creates network namespaces and captures on them (CI runs ./test.sh as root)";
    }
}
