using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Probing;
using RoutingFlow.Server.Storage;

namespace RoutingFlow.Server.Tests.Storage;

/// <summary>The real storage (schema, writer) on a real SQLite file, in a directory of its own (deleted after) or the one given, with a fake clock.</summary>
public sealed class StorageHarness : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly bool _ownsDirectory;

    /// <param name="owns">Delete <paramref name="directory"/> on dispose (always for a directory of its own).</param>
    public StorageHarness(string? directory = null, StorageOptions? options = null, bool owns = false)
    {
        _ownsDirectory = directory is null || owns;
        Directory = directory ?? System.IO.Directory.CreateTempSubdirectory("rf-storage-").FullName;
        Path = System.IO.Path.Combine(Directory, "routingflow.db");
        Options = options ?? new StorageOptions();
        var services = new ServiceCollection();
        services.AddDbContextFactory<RoutingFlowDb>(o => o.UseSqlite($"Data Source={Path};Pooling=True;Default Timeout=1"));
        _services = services.BuildServiceProvider();
        Factory = _services.GetRequiredService<IDbContextFactory<RoutingFlowDb>>();
        Correction = new CorrectionFactorStore(Directory, 1);
        Schema = new StorageSchema(Factory, Path, Ids, Correction, Time, NullLogger<StorageSchema>.Instance);
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
