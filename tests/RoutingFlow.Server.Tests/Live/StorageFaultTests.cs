using System.Text.Json;
using Microsoft.Data.Sqlite;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Processes;
using RoutingFlow.Testing.Waiting;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// The real server's database under faults: killed with SIGKILL mid-write it opens cleanly and has lost at most one
/// flush interval; a full disk and a read-only file system stop the writes, not the server, and it recovers.
/// </summary>
public sealed class StorageFaultTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Sigkill_MidWrite_LosesAtMostOneFlushInterval_AndTheDatabaseOpensCleanly()
    {
        var data = Directory.CreateTempSubdirectory("rf-data-").FullName;
        try
        {
            var server = await RoutingFlowServer.StartAsync("""{"wan0":"nope0","wan1":"nope1"}""", [$"--RoutingFlow:DataDirectory={data}"]);
            await Eventually.WaitAsync(async () => (await StorageAsync(server)).GetProperty("written").GetInt64() > 10, Wait, "a few flushes");

            var killedAt = DateTimeOffset.UtcNow;
            await server.KillAsync();

            var path = Path.Combine(data, "routingflow.db");
            await using (var db = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                await db.OpenAsync();
                Assert.Equal("ok", await ScalarAsync(db, "PRAGMA integrity_check"));
                var last = DateTimeOffset.FromUnixTimeMilliseconds((long)(await ScalarAsync(db, "SELECT MAX(Time) FROM wan_samples"))!);
                // a flush every 2 s of samples taken every 1 s: what was lost is at most one interval, one tick and the kill's own latency
                Assert.True(killedAt - last <= TimeSpan.FromSeconds(2 + 1 + 0.5), $"last sample {last:O}, killed at {killedAt:O}");
            }
            await using var restarted = await RoutingFlowServer.StartAsync("""{"wan0":"nope0","wan1":"nope1"}""", [$"--RoutingFlow:DataDirectory={data}"]);
            await Eventually.WaitAsync(async () => (await StorageAsync(restarted)).GetProperty("state").GetString() == "ok", Wait, "the reopened database to take writes");
            await server.DisposeAsync();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [RootFact]
    public async Task FullDisk_StopsTheWritesNotTheServer_AndItRecovers()
    {
        var mount = Directory.CreateTempSubdirectory("rf-tmpfs-").FullName;
        await RunAsync("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount);
        try
        {
            await using var server = await RoutingFlowServer.StartAsync("""{"wan0":"nope0"}""", [$"--RoutingFlow:DataDirectory={mount}"]);
            await Eventually.WaitAsync(async () => (await StorageAsync(server)).GetProperty("state").GetString() == "ok", Wait, "the first flush");

            await ProcessRunner.RunAsync("dd", ["if=/dev/zero", $"of={mount}/filler", "bs=64k"], TimeSpan.FromSeconds(30)); // until ENOSPC
            await WaitForFailureAsync(server, "full");
            var failedAt = DateTimeOffset.UtcNow;
            await Task.Delay(TimeSpan.FromSeconds(5)); // samples wait in the buffer (far below Storage:BufferSize)
            File.Delete(Path.Combine(mount, "filler"));
            await Eventually.WaitAsync(async () => (await StorageAsync(server)).GetProperty("state").GetString() == "ok", TimeSpan.FromSeconds(90), "recovery once there is room again");
            var recoveredAt = DateTimeOffset.UtcNow;
            await Eventually.WaitAsync(async () => (await StorageAsync(server)).GetProperty("pending").GetInt32() < 5, Wait, "the buffer written");

            // Nothing inside the buffer's bound was lost: a sample for every second of the failure, none dropped.
            Assert.Equal(0, (await StorageAsync(server)).GetProperty("dropped").GetInt64());
            await using var db = new SqliteConnection($"Data Source={Path.Combine(mount, "routingflow.db")};Mode=ReadOnly;Pooling=False");
            await db.OpenAsync();
            var (from, to) = (failedAt.AddSeconds(1).ToUnixTimeMilliseconds(), recoveredAt.AddSeconds(-1).ToUnixTimeMilliseconds());
            var seconds = await ScalarAsync(db, $"SELECT COUNT(DISTINCT Time / 1000) FROM wan_samples WHERE Nic = 'wan0' AND Time BETWEEN {from} AND {to}");
            Assert.True(Convert.ToInt64(seconds, System.Globalization.CultureInfo.InvariantCulture) >= (to - from) / 1000 - 1,
                $"{seconds} seconds stored of the {(to - from) / 1000} the disk was full");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            await ProcessRunner.RunAsync("umount", ["-l", mount], TimeSpan.FromSeconds(30));
            Directory.Delete(mount, recursive: true);
        }
    }

    [RootFact]
    public async Task ReadOnlyDatabaseFile_StopsTheWritesNotTheServer_AndItRecovers()
    {
        var data = Directory.CreateTempSubdirectory("rf-data-").FullName;
        File.SetUnixFileMode(data, (UnixFileMode)0x1FF); // 0777: the server (nobody) may create the WAL beside it
        var database = Path.Combine(data, "routingflow.db");
        await File.WriteAllBytesAsync(database, []); // an empty file is an empty database; root's, 0644: read-only to nobody
        try
        {
            await using var server = await RoutingFlowServer.StartAsync("""{"wan0":"nope0"}""", [$"--RoutingFlow:DataDirectory={data}"],
                wrapper: ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=-all", "env", "HOME=/tmp", "DOTNET_CLI_HOME=/tmp"]);

            await WaitForFailureAsync(server, "readonly");
            File.SetUnixFileMode(database, (UnixFileMode)0x1B6); // 0666
            await Eventually.WaitAsync(async () => (await StorageAsync(server)).GetProperty("state").GetString() == "ok", TimeSpan.FromSeconds(90), "recovery once the file is writable");
            Assert.True((await StorageAsync(server)).GetProperty("written").GetInt64() > 0);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>The storage fails with <paramref name="words"/> in its error, while the rest of the server serves.</summary>
    private static async Task WaitForFailureAsync(RoutingFlowServer server, string words)
    {
        var storage = await Eventually.WaitAsync<object>(async () =>
        {
            var s = await StorageAsync(server);
            return s.GetProperty("state").GetString() == "failing" ? s : null;
        }, Wait, $"the storage to fail ({words})") is JsonElement e ? e : default;
        var error = storage.GetProperty("lastError").GetString()!;
        Assert.True(error.Replace(" ", "", StringComparison.Ordinal).Contains(words, StringComparison.OrdinalIgnoreCase), error);
        Assert.Equal("ok", await server.Http.GetStringAsync("healthz"));
        var metrics = await server.MetricsAsync();
        Assert.Equal(0, RoutingFlowServer.Value(metrics, "routingflow_storage_up", ""));
        Assert.True(RoutingFlowServer.Value(metrics, "routingflow_storage_errors_total", "") >= 1);
        var before = (await server.StatusAsync()).GetProperty("storage").GetProperty("pending").GetInt32();
        await Eventually.WaitAsync(async () => (await server.StatusAsync()).GetProperty("storage").GetProperty("pending").GetInt32() > before,
            Wait, "the monitor to go on (samples waiting in the buffer)");
    }

    private static async Task<JsonElement> StorageAsync(RoutingFlowServer server) => (await server.StatusAsync()).GetProperty("storage");

    private static async Task<object?> ScalarAsync(SqliteConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(program, arguments, TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {result.StandardError}");
    }
}
