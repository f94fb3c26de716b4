using Microsoft.Data.Sqlite;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Storage;
using RoutingFlow.Server.Storage.Entities;

namespace RoutingFlow.Server.Tests.Storage;

public sealed class StorageWriterTests : IDisposable
{
    private readonly StorageHarness _storage = new();

    public void Dispose() => _storage.Dispose();

    private static Incident Incident(long id, DateTimeOffset start, DateTimeOffset? end, double peak) => new(
        id, "wan1", start, end, CompareMode.Combined, 20e6, null, 19e6, 21e6, null, null, 30e6, 1e6, peak, start.AddSeconds(2),
        [new IpRate("192.168.50.12", 29e6, "nas.lab.test")], [new IpRate("192.168.50.12", 1e6)], 0.01, 0.05)
    {
        Over = OverDirection.Rx,
        Culprits = [new Culprit("192.168.50.12", "nas.lab.test", "rx", 29e6, 0.9667), new Culprit("192.168.50.12", null, "tx", 1e6, 1)],
    };

    private static SampleItem Sample(long time, double rx) => new(new WanSampleRow { Nic = "wan0", Time = time, CapacityRx = 50e6, ActualRx = rx });

    [Fact]
    public async Task Flush_WritesTheBatchInOneGo_AndAnIncidentAsItsLatestState()
    {
        var start = _storage.Time.GetUtcNow();
        for (var i = 0; i < 1000; i++)
            Assert.True(_storage.Writer.Enqueue(Sample(start.ToUnixTimeMilliseconds() - i * 1000, i)));
        _storage.Writer.Enqueue(new IncidentItem(Incident(7, start, null, 1.2)));
        _storage.Writer.Enqueue(new IncidentItem(Incident(7, start, start.AddSeconds(30), 1.5)));

        Assert.Equal(1002, await _storage.Writer.FlushAsync(CancellationToken.None));

        using var db = _storage.Db();
        Assert.Equal(1000, db.WanSamples.Count());
        var incident = IncidentRows.ToIncident(Assert.Single(db.Incidents));
        Assert.Equal((7L, 1.5, start.AddSeconds(30)), (incident.Id, incident.PeakUtilization, incident.EndedAt));
        Assert.Equal(new IpRate("192.168.50.12", 29e6, "nas.lab.test"), incident.TopRx[0]); // the name stored beside the IP
        Assert.Null(incident.TopTx[0].Name);
        Assert.Equal(OverDirection.Rx, incident.Over); // stored in the columns the second migration added
        Assert.Equal(new Culprit("192.168.50.12", "nas.lab.test", "rx", 29e6, 0.9667), incident.Culprits[0]);
        Assert.Equal(2, incident.Culprits.Count);
        Assert.Equal(("ok", 1002L, 0), (_storage.Writer.Status.State, _storage.Writer.Status.Written, _storage.Writer.Status.Pending));
        Assert.Equal("wal", Pragma("journal_mode"));
    }

    [Fact]
    public async Task Schema_SeedsIncidentIds_AboveWhatIsStored()
    {
        _storage.Writer.Enqueue(new IncidentItem(Incident(41, _storage.Time.GetUtcNow(), null, 1.1)));
        await _storage.Writer.FlushAsync(CancellationToken.None);

        using var reopened = new StorageHarness(CopyOf(_storage.Path), owns: true);
        await reopened.Schema.EnsureAsync(CancellationToken.None);

        Assert.Equal(42, reopened.Ids.Next());
    }

    [Fact]
    public async Task Retention_RemovesOnlyRowsPastTheirRetention()
    {
        var now = _storage.Time.GetUtcNow();
        _storage.Writer.Enqueue(Sample((now - TimeSpan.FromHours(49)).ToUnixTimeMilliseconds(), 1));
        _storage.Writer.Enqueue(Sample((now - TimeSpan.FromHours(47)).ToUnixTimeMilliseconds(), 2));
        _storage.Writer.Enqueue(new RollupItem(new WanRollupRow { Nic = "wan0", Minute = (now - TimeSpan.FromDays(91)).ToUnixTimeMilliseconds() }));
        _storage.Writer.Enqueue(new RollupItem(new WanRollupRow { Nic = "wan0", Minute = (now - TimeSpan.FromDays(89)).ToUnixTimeMilliseconds() }));
        _storage.Writer.Enqueue(new IncidentItem(Incident(1, now - TimeSpan.FromDays(400), now - TimeSpan.FromDays(400), 1.1)));
        await _storage.Writer.FlushAsync(CancellationToken.None); // written, then the first retention pass

        _storage.Time.Advance(TimeSpan.FromHours(1));
        await _storage.Writer.FlushAsync(CancellationToken.None);

        using var db = _storage.Db();
        Assert.Equal([2.0], db.WanSamples.Select(s => s.ActualRx).ToList());
        Assert.Single(db.WanRollups);
        Assert.Single(db.Incidents); // kept until deleted
    }

    [Fact]
    public async Task DeletedFile_IsCreatedAgain_AndWritingGoesOn()
    {
        var now = _storage.Time.GetUtcNow().ToUnixTimeMilliseconds();
        _storage.Writer.Enqueue(Sample(now, 1));
        await _storage.Writer.FlushAsync(CancellationToken.None);
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(_storage.Directory, "routingflow.db*"))
            File.Delete(file);

        _storage.Writer.Enqueue(Sample(now, 2));
        Assert.Equal(1, await _storage.Writer.FlushAsync(CancellationToken.None));

        Assert.True(File.Exists(_storage.Path));
        using var db = _storage.Db();
        Assert.Equal([2.0], db.WanSamples.Select(s => s.ActualRx).ToList());
    }

    [Fact]
    public async Task LockedDatabase_KeepsTheBatch_BacksOff_AndWritesItOnceFree()
    {
        await _storage.Schema.EnsureAsync(CancellationToken.None);
        await using (var holder = new SqliteConnection($"Data Source={_storage.Path};Pooling=False"))
        {
            await holder.OpenAsync();
            await using (var begin = holder.CreateCommand())
            {
                begin.CommandText = "PRAGMA busy_timeout=0; BEGIN EXCLUSIVE;";
                await begin.ExecuteNonQueryAsync();
            }
            _storage.Writer.Enqueue(Sample(1, 1));

            Assert.Equal(0, await _storage.Writer.FlushAsync(CancellationToken.None));

            var status = _storage.Writer.Status;
            Assert.Equal(("failing", 1, 1L), (status.State, status.Pending, status.Errors));
            Assert.Contains("locked", status.LastError, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(0, await _storage.Writer.FlushAsync(CancellationToken.None)); // backing off: not tried again yet
        }
        _storage.Time.Advance(_storage.Options.FlushInterval);

        Assert.Equal(1, await _storage.Writer.FlushAsync(CancellationToken.None));
        Assert.Equal(("ok", 0), (_storage.Writer.Status.State, _storage.Writer.Status.Pending));
    }

    [Fact]
    public void FullBuffer_DropsAndCounts_NeverBlocks()
    {
        using var small = new StorageHarness(options: new StorageOptions { BufferSize = 1000 });
        for (var i = 0; i < 1000; i++)
            Assert.True(small.Writer.Enqueue(Sample(i, i)));

        Assert.False(small.Writer.Enqueue(Sample(1000, 0)));

        Assert.Equal((1L, 1000), (small.Writer.Status.Dropped, small.Writer.Status.Pending));
    }

    [Fact]
    public async Task CorrectionFactor_MovesFromTheStateFileIntoTheDatabase_Once()
    {
        var directory = Directory.CreateTempSubdirectory("rf-storage-").FullName;
        File.WriteAllText(Path.Combine(directory, "correction-factor.json"), """{"correctionFactor":10,"updated":"2026-11-30T10:00:00+00:00"}""");
        using var migrated = new StorageHarness(directory, owns: true);
        Assert.Equal("state file", migrated.Correction.Source);

        await migrated.Schema.EnsureAsync(CancellationToken.None);

        Assert.Equal((10.0, "database"), (migrated.Correction.Current, migrated.Correction.Source));
        Assert.False(File.Exists(Path.Combine(directory, "correction-factor.json")));
        Assert.True(File.Exists(Path.Combine(directory, "correction-factor.json.migrated")));
        using (var db = migrated.Db())
            Assert.Equal("10", db.Settings.Single(s => s.Key == StorageSchema.CorrectionFactorKey).Value);

        migrated.Correction.Saved = (factor, at) => migrated.Writer.SaveNowAsync(new SettingItem(StorageSchema.CorrectionFactorKey, factor.ToString(System.Globalization.CultureInfo.InvariantCulture), at.ToUnixTimeMilliseconds()));
        Assert.Null(await migrated.Correction.SetAsync(2.5, migrated.Time.GetUtcNow()));
        using var reopened = new StorageHarness(CopyOf(migrated.Path), owns: true);
        await reopened.Schema.EnsureAsync(CancellationToken.None);
        Assert.Equal((2.5, "database"), (reopened.Correction.Current, reopened.Correction.Source));
    }

    private string Pragma(string name)
    {
        using var connection = new SqliteConnection($"Data Source={_storage.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return (string)command.ExecuteScalar()!;
    }

    private static string CopyOf(string path)
    {
        SqliteConnection.ClearAllPools();
        var copy = Directory.CreateTempSubdirectory("rf-storage-").FullName;
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(path)!, "routingflow.db*"))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }
}
