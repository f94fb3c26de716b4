namespace RoutingFlow.Web.Security;

/// <summary>What the sign-in page needs to know of the server's configuration.</summary>
public sealed class DashboardSignInOptions
{
    public bool KeyConfigured { get; set; }
}
