using RoutingFlow.Server.Metrics;
using Microsoft.EntityFrameworkCore;
using RoutingFlow.Capture.Configuration;

namespace RoutingFlow.Server.Storage;

public static class Extensions
{
    /// <summary>The SQLite history: a context factory (WAL on every connection), the schema, the single writer and the recorder feeding it.</summary>
    public static void AddStorage(this WebApplicationBuilder builder, RoutingFlowSettings settings, string contentRoot)
    {
        var path = Path.GetFullPath(settings.Options.Storage.Path ?? Path.Combine(settings.Options.DataDirectory, "routingflow.db"), contentRoot);
        builder.Services.AddSingleton(settings.Options.Storage);
        builder.Services.AddDbContextFactory<RoutingFlowDb>(options => options
            .UseSqlite($"Data Source={path};Cache=Private;Pooling=False;Default Timeout={Math.Max(1, (int)settings.Options.Storage.BusyTimeout.TotalSeconds)}")
            .AddInterceptors(new SqlitePragmas(settings.Options.Storage.BusyTimeout)));
        builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<StorageSchema>(sp, path));
        builder.Services.AddSingleton<HistoryQueries>();
        builder.Services.AddSingleton<StorageWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StorageWriter>());
        builder.Services.AddSingleton<StorageRecorder>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StorageRecorder>());
        builder.Services.AddMetricsSource(f => new StorageMetrics(f), (sp, m) =>
        {
            var writer = sp.GetRequiredService<StorageWriter>();
            return () => m.Update(writer.Status);
        });
    }
}
