using Microsoft.Extensions.Logging.Abstractions;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Storage;
using RoutingFlow.Server.Storage.Entities;
using RoutingFlow.Testing.Lab;

namespace RoutingFlow.Server.Tests.Storage;

/// <summary>
/// The storage on a real PostgreSQL (a throw-away cluster): its own migrations create the schema, the writer's batch
/// and an incident's latest state are written, read back through the same queries as SQLite's, kept past retention as
/// SQLite does; a database that dies is buffered and reported, and everything is written once it is back.
/// </summary>
public sealed class PostgresStorageTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private PostgresServer _postgres = null!;

    public async Task InitializeAsync()
    {
        if (!Environment.IsPrivilegedProcess)
            return;
        _postgres = await PostgresServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_postgres is not null)
            await _postgres.DisposeAsync();
    }

    private static Incident Incident(long id, DateTimeOffset start, DateTimeOffset? end, double peak, string router = "") => new(
        id, "wan1", start, end, CompareMode.Combined, 20e6, null, 19e6, 21e6, null, null, 30e6, 1e6, peak, start.AddSeconds(2),
        [new IpRate("192.168.50.12", 29e6, "nas.lab.test")], [new IpRate("192.168.50.12", 1e6)], 0.01, 0.05)
    {
        Over = OverDirection.Rx,
        Culprits = [new Culprit("192.168.50.12", "nas.lab.test", "rx", 29e6, 0.9667)],
        Router = router,
    };

    private static SampleItem Sample(long time, double rx) => new(new WanSampleRow { Nic = "wan0", Time = time, CapacityRx = 50e6, ActualRx = rx });

    [RootFact]
    public async Task Postgres_WritesAndReadsBack_AsSqliteDoes()
    {
        using var storage = new StorageHarness(postgres: _postgres.ConnectionString());
        var start = storage.Time.GetUtcNow();
        for (var i = 0; i < 1000; i++)
            storage.Writer.Enqueue(Sample(start.ToUnixTimeMilliseconds() - i * 1000, i));
        storage.Writer.Enqueue(new IncidentItem(Incident(7, start, null, 1.2)));
        storage.Writer.Enqueue(new IncidentItem(Incident(7, start, start.AddSeconds(30), 1.5)));
        storage.Writer.Enqueue(new IncidentItem(Incident(8, start, null, 2.0, "198.18.0.2:8080")));

        Assert.Equal(1003, await storage.Writer.FlushAsync(CancellationToken.None));

        Assert.Equal("1000", (await _postgres.SqlAsync("routingflow", "SELECT count(*) FROM wan_samples")).Trim()); // psql, not our queries
        var queries = new HistoryQueries(storage.Factory, storage.Schema);
        var local = await queries.IncidentsAsync(start.AddHours(-1), start.AddHours(1), null, CancellationToken.None).ToListAsync();
        var incident = Assert.Single(local);
        Assert.Equal((7L, 1.5, start.AddSeconds(30)), (incident.Id, incident.PeakUtilization, incident.EndedAt));
        Assert.Equal(new Culprit("192.168.50.12", "nas.lab.test", "rx", 29e6, 0.9667), incident.Culprits[0]);
        var watched = await queries.IncidentsAsync(start.AddHours(-1), start.AddHours(1), null, CancellationToken.None, "198.18.0.2:8080").ToListAsync();
        Assert.Equal(8, Assert.Single(watched).Id);

    }

    /// <summary>A database that lost its tables while the server ran (recreated, restored from an older backup) gets them again, as a deleted SQLite file does.</summary>
    [RootFact]
    public async Task ADatabaseThatLostItsTables_IsMigratedAgain_AndWritten()
    {
        using var storage = new StorageHarness(postgres: _postgres.ConnectionString());
        await storage.Schema.EnsureAsync(CancellationToken.None);
        await _postgres.SqlAsync("routingflow", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
        var start = storage.Time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 0; i < 10; i++)
            storage.Writer.Enqueue(Sample(start - i * 1000, i));

        Assert.Equal(0, await storage.Writer.FlushAsync(CancellationToken.None));
        Assert.Contains("42P01", storage.Writer.Status.LastError, StringComparison.Ordinal);
        storage.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(10, await storage.Writer.FlushAsync(CancellationToken.None));

        Assert.Equal("10", (await _postgres.SqlAsync("routingflow", "SELECT count(*) FROM wan_samples")).Trim());
    }

    /// <summary>Two servers on one database (two fleet servers, one per region) never number two incidents alike.</summary>
    [RootFact]
    public async Task TwoServersOnOneDatabase_TakeIncidentIdsFromDisjointBlocks()
    {
        using var east = new StorageHarness(postgres: _postgres.ConnectionString());
        using var west = new StorageHarness(postgres: _postgres.ConnectionString());
        await east.Schema.EnsureAsync(CancellationToken.None);
        await west.Schema.EnsureAsync(CancellationToken.None);

        var ids = new List<long>();
        for (var i = 0; i < 2500; i++) // past two blocks each, topped up by the flushes as a running server's are
        {
            ids.Add(east.Ids.Next());
            ids.Add(west.Ids.Next());
            if (i % 100 == 0)
            {
                await east.Writer.FlushAsync(CancellationToken.None);
                await west.Writer.FlushAsync(CancellationToken.None);
            }
        }

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.True(ids.Min() >= 1000, $"ids start at the first block ({ids.Min()})");
    }

    [RootFact]
    public async Task ADeadDatabase_IsBufferedAndReported_AndWrittenWhenItIsBack()
    {
        using var storage = new StorageHarness(postgres: _postgres.ConnectionString());
        await storage.Schema.EnsureAsync(CancellationToken.None);
        var start = storage.Time.GetUtcNow().ToUnixTimeMilliseconds();
        await _postgres.StopAsync();
        for (var i = 0; i < 100; i++)
            storage.Writer.Enqueue(Sample(start - i * 1000, i));

        await storage.Writer.FlushAsync(CancellationToken.None);

        var status = storage.Writer.Status;
        Assert.Equal(("failing", 100), (status.State, status.Pending));
        Assert.Contains("writing postgres://test failed", status.LastError, StringComparison.Ordinal);
        await _postgres.StartAgainAsync();
        var written = 0;
        await RoutingFlow.Testing.Waiting.Eventually.WaitAsync(async () =>
        {
            storage.Time.Advance(TimeSpan.FromMinutes(2)); // past the back-off
            written += await storage.Writer.FlushAsync(CancellationToken.None);
            output.WriteLine($"{written} written; {storage.Writer.Status.State} {storage.Writer.Status.LastError}");
            return written == 100;
        }, TimeSpan.FromSeconds(30), $"the buffer written once PostgreSQL is back (last error: {storage.Writer.Status.LastError})");
        Assert.Equal("ok", storage.Writer.Status.State);
        Assert.Equal("100", (await _postgres.SqlAsync("routingflow", "SELECT count(*) FROM wan_samples")).Trim());
    }
}
