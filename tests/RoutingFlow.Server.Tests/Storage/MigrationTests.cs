using Microsoft.EntityFrameworkCore;

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
}
