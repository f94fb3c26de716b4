using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace RoutingFlow.Server.Tests.Storage;

/// <summary>The hand-written migrations and their snapshot match the model: nothing is left for <c>dotnet ef migrations add</c>.</summary>
public sealed class MigrationTests
{
    [Fact]
    public void Model_HasNoPendingChanges()
    {
        using var storage = new StorageHarness();
        using var db = storage.Db();

        Assert.False(db.Database.HasPendingModelChanges(), "the model differs from the migrations' snapshot");
    }

    [Fact]
    public void Upgrade_OfADatabaseWithProbes_RecordsTheChangeOfUnitsAsAnEvent()
    {
        using var storage = new StorageHarness();
        using (var db = storage.Db())
        {
            db.GetService<IMigrator>().Migrate("20261203161500_IncidentCulprits"); // the schema before wire bits
            db.Database.ExecuteSqlRaw("INSERT INTO probe_results (Time, Interface, Server, Method, EstimateBps, TransferredBytes) VALUES (1, 'wan0', 's', 'download', 19e6, 1)");
            db.Database.Migrate();
        }
        using var after = storage.Db();

        var row = Assert.Single(after.Events);
        Assert.Equal("units", row.Kind);
        Assert.StartsWith("capacity estimates are in wire bits from here on", row.Text, StringComparison.Ordinal);
        using var fresh = new StorageHarness();
        using var freshDb = fresh.Db();
        freshDb.Database.Migrate();
        Assert.Empty(freshDb.Events); // a new database has no history to explain
    }
}
