using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using RoutingFlow.Server.Storage;
using RoutingFlow.Server.Storage.Entities;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Waiting;

namespace RoutingFlow.Server.Tests.Storage;

/// <summary>
/// A database file that is damaged or another program's, found at start (issue 28): by default a clear error naming
/// the file and both fixes while everything else runs; with <c>Storage:OnCorrupt=move-aside</c> the file kept aside,
/// byte for byte, and a new database that works.
/// </summary>
public sealed class CorruptDatabaseTests
{
    public static TheoryData<string> Kinds => ["garbage", "foreign"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ByDefault_TheFileIsNamedWithBothFixes_AndLeftAlone(string kind)
    {
        var dir = Directory.CreateTempSubdirectory("rf-corrupt-").FullName;
        var original = Spoil(Path.Combine(dir, "routingflow.db"), kind);
        using var storage = new StorageHarness(dir, owns: true);

        var error = await Assert.ThrowsAsync<StorageCorruptException>(() => storage.Schema.EnsureAsync(CancellationToken.None));

        Assert.StartsWith(storage.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains(kind == "garbage" ? "file is not a database" : "another program's database (tables crops)", error.Message, StringComparison.Ordinal);
        Assert.Contains("RoutingFlow:Storage:OnCorrupt=move-aside", error.Message, StringComparison.Ordinal);
        Assert.Equal(original, await File.ReadAllBytesAsync(storage.Path));
        Assert.Equal(0, await storage.Writer.FlushAsync(CancellationToken.None));
        Assert.Equal("failing", storage.Writer.Status.State);
        Assert.Contains("OnCorrupt=move-aside", storage.Writer.Status.LastError, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task MoveAside_KeepsTheFileAside_AndStartsANewDatabase(string kind)
    {
        var dir = Directory.CreateTempSubdirectory("rf-corrupt-").FullName;
        var original = Spoil(Path.Combine(dir, "routingflow.db"), kind);
        using var storage = new StorageHarness(dir, new StorageOptions { OnCorrupt = StorageOptions.MoveAside }, owns: true);

        await storage.Schema.EnsureAsync(CancellationToken.None);
        storage.Writer.Enqueue(new SampleItem(new WanSampleRow { Nic = "wan0", Time = storage.Time.GetUtcNow().ToUnixTimeMilliseconds(), ActualRx = 5 }));
        Assert.Equal(1, await storage.Writer.FlushAsync(CancellationToken.None));

        var aside = Assert.Single(Directory.GetFiles(dir, "routingflow.db.corrupt-*"));
        Assert.Equal(original, await File.ReadAllBytesAsync(aside));
        await using var db = storage.Db();
        Assert.Equal(5, Assert.Single(db.WanSamples).ActualRx);
    }

    [Fact]
    public async Task TheServer_WithAGarbageFile_KeepsServing_AndSaysWhatToDo()
    {
        var data = Directory.CreateTempSubdirectory("rf-corrupt-").FullName;
        try
        {
            Spoil(Path.Combine(data, "routingflow.db"), "garbage");
            await using (var server = await RoutingFlowServer.StartAsync("""{"wan0":"wan0"}""", [$"--RoutingFlow:DataDirectory={data}"]))
            {
                var storage = await Eventually.WaitAsync(async () =>
                {
                    var s = (await server.StatusAsync()).GetProperty("storage");
                    return s.GetProperty("state").GetString() == "failing" ? (JsonElement?)s : null;
                }, TimeSpan.FromSeconds(30), "storage to fail on the garbage file");
                Assert.Contains("file is not a database", storage!.Value.GetProperty("lastError").GetString(), StringComparison.Ordinal);
                Assert.Equal("ok", await server.Http.GetStringAsync("healthz"));
            }
            await using (var server = await RoutingFlowServer.StartAsync("""{"wan0":"wan0"}""", [$"--RoutingFlow:DataDirectory={data}", "--RoutingFlow:Storage:OnCorrupt=move-aside"]))
            {
                await Eventually.WaitAsync(async () => (await server.StatusAsync()).GetProperty("storage").GetProperty("state").GetString() == "ok",
                    TimeSpan.FromSeconds(30), "a new database");
                Assert.Single(Directory.GetFiles(data, "routingflow.db.corrupt-*"));
                Assert.Contains("kept aside as", server.Output, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>A file of text where the database should be, or a SQLite database of another program.</summary>
    private static byte[] Spoil(string path, string kind)
    {
        if (kind == "garbage")
        {
            File.WriteAllText(path, string.Concat(Enumerable.Repeat("this is not a database. ", 400)), Encoding.ASCII);
        }
        else
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE crops (name TEXT, yield REAL); INSERT INTO crops VALUES ('wheat', 7.5);";
            command.ExecuteNonQuery();
        }
        return File.ReadAllBytes(path);
    }
}
