namespace RoutingFlow.Server.Alerts;

public static class Extensions
{
    /// <summary>Webhook alerts on incidents (<c>RoutingFlow:Alerts:Webhooks</c>; none: nothing is sent).</summary>
    public static void AddAlerts(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpClient(nameof(AlertSender));
        builder.Services.AddSingleton<AlertSender>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AlertSender>());
    }
}
