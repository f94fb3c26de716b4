using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace RoutingFlow.Server.Storage;

/// <summary>
/// What differs between the two databases once the model is shared: where the history is (a file, or a server's
/// database named without its password), whether a file must exist, and how to drop pooled connections after a fault.
/// </summary>
public sealed class StorageProvider(string name, string where, string? file, string onCorrupt = StorageOptions.FailOnCorrupt)
{
    /// <summary>What to do with a damaged or foreign SQLite file (<see cref="StorageOptions.OnCorrupt"/>).</summary>
    public string OnCorrupt => onCorrupt;

    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    public string Name => name;

    /// <summary>The file, or <c>postgres://host:port/database</c>: for /status, logs and errors.</summary>
    public string Where => where;

    /// <summary>The SQLite file; null for PostgreSQL.</summary>
    public string? File => file;

    public static StorageProvider For(StorageOptions options, string where, string? file) => new(options.Provider, where, file, options.OnCorrupt);

    /// <summary>A connection opened read-only, onto a full disk or to a server that went away is not reused after the fault is fixed.</summary>
    public void ClearPools()
    {
        if (file is not null)
            SqliteConnection.ClearAllPools();
        else
            NpgsqlConnection.ClearAllPools();
    }

    /// <summary>The context factory of the provider's own migrations, as the model's base type.</summary>
    public static void AddContext(IServiceCollection services, StorageOptions storage, string? file)
    {
        if (file is not null)
        {
            services.AddDbContextFactory<RoutingFlowDb>(options => options
                .UseSqlite($"Data Source={file};Cache=Private;Pooling=False;Default Timeout={Math.Max(1, (int)storage.BusyTimeout.TotalSeconds)}")
                .AddInterceptors(new SqlitePragmas(storage.BusyTimeout)));
            return;
        }
        var timeout = Math.Max(1, (int)storage.BusyTimeout.TotalSeconds);
        // Unpooled unless the operator says otherwise: the writer opens one connection per flush, and a pooled one that
        // outlived a database restart failed every later flush ("read past the end of the stream") in the tests.
        var connection = new NpgsqlConnectionStringBuilder(storage.ConnectionString);
        if (!(storage.ConnectionString ?? "").Contains("Pooling", StringComparison.OrdinalIgnoreCase))
            connection.Pooling = false;
        services.AddDbContextFactory<PostgresRoutingFlowDb>(options => options.UseNpgsql(connection.ConnectionString,
            npgsql => npgsql.CommandTimeout(Math.Max(30, timeout))));
        services.AddSingleton<IDbContextFactory<RoutingFlowDb>>(sp => new Upcast(sp.GetRequiredService<IDbContextFactory<PostgresRoutingFlowDb>>()));
    }

    /// <summary>PostgreSQL's contexts handed out as the model's type, so that queries and the writer stay provider-blind.</summary>
    private sealed class Upcast(IDbContextFactory<PostgresRoutingFlowDb> inner) : IDbContextFactory<RoutingFlowDb>
    {
        public RoutingFlowDb CreateDbContext() => inner.CreateDbContext();

        public async Task<RoutingFlowDb> CreateDbContextAsync(CancellationToken cancellationToken = default) => await inner.CreateDbContextAsync(cancellationToken);
    }
}
