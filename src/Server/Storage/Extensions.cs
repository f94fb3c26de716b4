using RoutingFlow.Server.Metrics;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Configuration;

namespace RoutingFlow.Server.Storage;

public static class Extensions
{
    /// <summary>
    /// The history (SQLite, WAL on every connection; or PostgreSQL): a context factory, the schema, the single writer
    /// and the recorder feeding it.
    /// </summary>
    public static void AddStorage(this WebApplicationBuilder builder, RoutingFlowOptions core, string contentRoot)
    {
        var storage = builder.FeatureOptions<StorageOptions>();
        var file = storage.Provider == StorageOptions.Postgres ? null : storage.DatabasePath(core, contentRoot);
        var provider = StorageProvider.For(storage, storage.Describe(core, contentRoot), file);
        StorageProvider.AddContext(builder.Services, storage, file);
        builder.Services.AddSingleton(provider);
        builder.Services.AddSingleton<StorageSchema>();
        builder.Services.AddSingleton<HistoryQueries>();
        builder.Services.AddSingleton<StorageWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StorageWriter>());
        builder.Services.AddSingleton<StorageRecorder>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StorageRecorder>());
        builder.Services.AddSingleton<AlertRecorder>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AlertRecorder>());
        builder.Services.AddSingleton<FleetRecorder>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FleetRecorder>());
        builder.Services.AddMetricsSource(f => new StorageMetrics(f), (sp, m) =>
        {
            var writer = sp.GetRequiredService<StorageWriter>();
            return () => m.Update(writer.Status);
        });
    }
}
