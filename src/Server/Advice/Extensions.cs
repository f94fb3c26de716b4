namespace RoutingFlow.Server.Advice;

public static class Extensions
{
    /// <summary>The rebalancing advice: which hosts to move to which WAN (<c>/api/advice</c>).</summary>
    public static void AddAdvice(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AdviceQueries>();
        builder.Services.AddHttpClient(nameof(AdviceForwarder));
        builder.Services.AddSingleton<AdviceForwarder>();
        builder.Services.AddSingleton<AdviceApplier>();
    }
}
