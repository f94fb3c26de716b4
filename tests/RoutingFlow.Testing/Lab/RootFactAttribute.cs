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
