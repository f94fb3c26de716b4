using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Probing;
using RoutingFlow.Server.Storage;

namespace RoutingFlow.Server.Tests.Storage;

/// <summary>
/// The real storage (schema, writer) on a real SQLite file, in a directory of its own (deleted after) or the one given,
/// or on a real PostgreSQL database (<c>postgres</c>: its connection string), with a fake clock.
/// </summary>
public sealed class StorageHarness : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly bool _ownsDirectory;

    /// <param name="owns">Delete <paramref name="directory"/> on dispose (always for a directory of its own).</param>
    public StorageHarness(string? directory = null, StorageOptions? options = null, bool owns = false, string? postgres = null)
    {
        _ownsDirectory = directory is null || owns;
        Directory = directory ?? System.IO.Directory.CreateTempSubdirectory("rf-storage-").FullName;
        Path = System.IO.Path.Combine(Directory, "routingflow.db");
        Options = options ?? new StorageOptions();
        var services = new ServiceCollection();
        if (postgres is null)
            services.AddDbContextFactory<RoutingFlowDb>(o => o.UseSqlite($"Data Source={Path};Pooling=True;Default Timeout=1"));
        else
            StorageProvider.AddContext(services, new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = postgres }, file: null);
        _services = services.BuildServiceProvider();
        Factory = _services.GetRequiredService<IDbContextFactory<RoutingFlowDb>>();
        Correction = new CorrectionFactorStore(Directory, 1);
        var provider = postgres is null ? new StorageProvider(StorageOptions.Sqlite, Path, Path, Options.OnCorrupt) : new StorageProvider(StorageOptions.Postgres, "postgres://test", null);
        Schema = new StorageSchema(Factory, provider, Ids, Correction, Time, NullLogger<StorageSchema>.Instance);
        Writer = new StorageWriter(Factory, Options, Schema, Time, NullLogger<StorageWriter>.Instance);
    }

    public string Directory { get; }

    public string Path { get; }

    public StorageOptions Options { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    public IncidentIds Ids { get; } = new();

    public CorrectionFactorStore Correction { get; }

    public IDbContextFactory<RoutingFlowDb> Factory { get; }

    public StorageSchema Schema { get; }

    public StorageWriter Writer { get; }

    public RoutingFlowDb Db() => Factory.CreateDbContext();

    public void Dispose()
    {
        Writer.Dispose();
        Schema.Dispose();
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsDirectory)
            System.IO.Directory.Delete(Directory, recursive: true);
    }
}
