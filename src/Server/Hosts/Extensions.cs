namespace RoutingFlow.Server.Hosts;

public static class Extensions
{
    /// <summary>The host reports and search (<c>/api/hosts</c>, the dashboard's host pages).</summary>
    public static void AddHosts(this IHostApplicationBuilder builder) => builder.Services.AddSingleton<HostQueries>();
}
