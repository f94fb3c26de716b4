using RoutingFlow.Server.Hosting;
using RoutingFlow.Server.Metrics;
namespace RoutingFlow.Server.Alerts;

public static class Extensions
{
    /// <summary>Webhook alerts on incidents (<c>RoutingFlow:Alerts:Webhooks</c>; none: nothing is sent).</summary>
    public static void AddAlerts(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpClient(nameof(AlertSender));
        builder.Services.AddSingleton<AlertSender>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AlertSender>());
        builder.Services.AddSingleton<Thresholds.ThresholdWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Thresholds.ThresholdWorker>());
        builder.Services.AddMetricsSource(f => new AlertMetrics(f), (sp, m) =>
        {
            var sender = sp.GetRequiredService<AlertSender>();
            return () => m.Update(sender.Status);
        });
    }

    /// <summary><c>GET /api/alerts</c>: the threshold rules and their alerts now (pending or firing).</summary>
    public static void MapAlertsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/alerts", (Thresholds.ThresholdWorker worker) => TypedResults.Ok(new
        {
            rules = worker.Evaluator.Rules.Select(r => new { name = r.Name, metric = r.Metric, labels = r.Labels, op = r.Op, value = r.Value, @for = r.For }),
            alerts = worker.Evaluator.Instances.Select(i => new
            {
                id = i.Id, rule = i.Rule, metric = i.Metric, labels = i.Labels, state = i.Firing ? "firing" : "pending", since = i.Since, firedAt = i.FiredAt, value = i.Value,
            }),
        })).WithDescription("The threshold rules and their alerts now (pending or firing).");
}
