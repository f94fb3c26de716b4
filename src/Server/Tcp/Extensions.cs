using RoutingFlow.Server.Metrics;
using RoutingFlow.Capture.Pipeline;

namespace RoutingFlow.Server.Tcp;

public static class Extensions
{
    /// <summary>The TCP health analysis on every capture, its history and log line, its metrics and API.</summary>
    public static void AddTcpHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TcpAnalysisFactory>();
        builder.Services.AddSingleton<ICaptureConsumerFactory>(sp => sp.GetRequiredService<TcpAnalysisFactory>());
        builder.Services.AddSingleton<TcpHealth>();
        builder.Services.AddSingleton<WanTcpLoss>();
        builder.Services.AddSingleton<TcpQueries>();
        builder.Services.AddHostedService<TcpStatsWorker>();
        builder.Services.AddMetricsSource(f => new TcpMetrics(f), (sp, m) =>
        {
            var health = sp.GetRequiredService<TcpHealth>();
            return () => m.Update(health);
        });
    }
}
