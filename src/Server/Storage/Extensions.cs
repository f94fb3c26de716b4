using RoutingFlow.Server.Metrics;
using Microsoft.EntityFrameworkCore;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Configuration;

namespace RoutingFlow.Server.Storage;

public static class Extensions
{
    /// <summary>The SQLite history: a context factory (WAL on every connection), the schema, the single writer and the recorder feeding it.</summary>
    public static void AddStorage(this WebApplicationBuilder builder, RoutingFlowOptions core, string contentRoot)
    {
        var storage = builder.FeatureOptions<StorageOptions>();
        var path = storage.DatabasePath(core, contentRoot);
        builder.Services.AddDbContextFactory<RoutingFlowDb>(options => options
            .UseSqlite($"Data Source={path};Cache=Private;Pooling=False;Default Timeout={Math.Max(1, (int)storage.BusyTimeout.TotalSeconds)}")
            .AddInterceptors(new SqlitePragmas(storage.BusyTimeout)));
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
