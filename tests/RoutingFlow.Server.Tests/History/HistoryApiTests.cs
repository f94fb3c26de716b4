using System.Net;
using System.Text.Json;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Storage;
using RoutingFlow.Server.Storage.Entities;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Server.Tests.Storage;
using RoutingFlow.Testing.Processes;
using RoutingFlow.Testing.Waiting;

namespace RoutingFlow.Server.Tests.History;

/// <summary>
/// The history endpoints of the real server over a database the test fills: the incident JSON contract, CSV that
/// Python's csv module (RFC 4180) reads back field for field, filters, resolutions, and a 400 naming each bad parameter.
/// </summary>
public sealed class HistoryApiTests(HistoryApiTests.Fixture fixture) : IClassFixture<HistoryApiTests.Fixture>
{
    // Three hours ago on the hour: inside every retention, whatever day the suite runs.
    private static readonly DateTimeOffset T0 = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date.AddHours(TimeProvider.System.GetUtcNow().Hour), TimeSpan.Zero).AddHours(-3);

    private RoutingFlowServer Server => fixture.Server;

    private static Incident Incident(long id, string nic, DateTimeOffset start, DateTimeOffset? end) => new(
        id, nic, start, end, CompareMode.Combined, 20e6, 19e6, 18e6, 20e6, 19e6, 19e6, 31e6, 1e6, 1.6, start.AddSeconds(4),
        [new IpRate("192.168.50.12", 29e6), new IpRate("192.168.50.13", 1e6)], [new IpRate("192.168.50.12", 1e6)], 0.012, 0.08);

    private async Task<JsonElement> JsonAsync(string path)
    {
        using var doc = JsonDocument.Parse(await Server.Http.GetStringAsync(path));
        return doc.RootElement.Clone();
    }

    [Fact]
    public async Task Incidents_Json_IsTheContract()
    {
        var list = (await JsonAsync("api/incidents")).GetProperty("incidents");

        Assert.Equal([1L, 2L], list.EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        var closed = list[0];
        foreach (var field in new[] { "id", "nic", "state", "startedAt", "endedAt", "compare", "capacityRxBps", "capacityTxBps", "peakRxBps", "peakTxBps", "peakUtilization", "topRx", "topTx" })
            Assert.True(closed.TryGetProperty(field, out _), $"no {field}");
        Assert.Equal(("wan1", "closed", "combined"), (closed.GetProperty("nic").GetString(), closed.GetProperty("state").GetString(), closed.GetProperty("compare").GetString()));
        Assert.Equal(T0.UtcDateTime, closed.GetProperty("startedAt").GetDateTime());
        Assert.Equal(("192.168.50.12", 29e6), (closed.GetProperty("topRx")[0].GetProperty("ip").GetString(), closed.GetProperty("topRx")[0].GetProperty("bps").GetDouble()));
        Assert.Equal(JsonValueKind.Null, list[1].GetProperty("endedAt").ValueKind);
        Assert.Equal("open", list[1].GetProperty("state").GetString());
        Assert.Equal(1L, (await JsonAsync("api/incidents/1")).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Incidents_Filters_ByNicAndRange()
    {
        Assert.Equal([2L], (await JsonAsync("api/incidents?nic=wan0")).GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        Assert.Equal([1L], (await JsonAsync($"api/incidents?from={T0.AddMinutes(1):O}&to={T0.AddHours(1):O}")).GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        Assert.Equal([2L], (await JsonAsync($"api/incidents?from={T0.AddHours(1).ToUnixTimeSeconds()}")).GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task Incidents_Csv_ReadsBackWithPythonsCsvModule()
    {
        using var response = await Server.Http.GetAsync("api/incidents?format=csv");
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("incidents.csv", response.Content.Headers.ContentDisposition!.ToString(), StringComparison.Ordinal);
        var csv = await response.Content.ReadAsStringAsync();

        var rows = await PythonCsvAsync(csv);

        Assert.Equal(2, rows.Count);
        Assert.Equal("1", rows[0]["id"]);
        Assert.Equal(Csv(T0), rows[0]["startedAt"]);
        Assert.Equal(Csv(T0.AddMinutes(5)), rows[0]["endedAt"]);
        Assert.Equal("", rows[1]["endedAt"]);
        Assert.Equal("192.168.50.12 29000000;192.168.50.13 1000000", rows[0]["topRx"]);
        Assert.Equal("1.6", rows[0]["peakUtilization"]);
    }

    [Fact]
    public async Task Delete_RemovesTheIncident()
    {
        using (var storage = new StorageHarness(fixture.Data))
        {
            storage.Writer.Enqueue(new IncidentItem(Incident(99, "wan0", T0.AddYears(-10), T0.AddYears(-10))));
            Assert.True(await storage.Writer.FlushAsync(CancellationToken.None) > 0, storage.Writer.Status.LastError);
        }
        Assert.Equal(HttpStatusCode.OK, (await Server.Http.GetAsync("api/incidents/99")).StatusCode);

        using var delete = await Server.Http.DeleteAsync("api/incidents/99");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await Server.Http.GetAsync("api/incidents/99")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Http.DeleteAsync("api/incidents/99")).StatusCode);
    }

    [Fact]
    public async Task History_RawAndMinutes_AsJsonAndCsv()
    {
        var raw = await JsonAsync($"api/history?nic=wan1&from={T0:O}&to={T0.AddSeconds(59):O}");
        Assert.Equal("raw", raw.GetProperty("resolution").GetString());
        Assert.Equal(60, raw.GetProperty("points").GetArrayLength());
        Assert.Equal(5.9e6, raw.GetProperty("points")[59].GetProperty("actualRxBps").GetDouble());

        var minutes = await JsonAsync($"api/history?nic=wan1&from={T0:O}&to={T0.AddDays(1):O}");
        Assert.Equal("1m", minutes.GetProperty("resolution").GetString());
        Assert.Equal(5.9e6, minutes.GetProperty("points")[0].GetProperty("actualRxMaxBps").GetDouble());

        var csv = await PythonCsvAsync(await Server.Http.GetStringAsync($"api/history?nic=wan1&from={T0:O}&to={T0.AddSeconds(119):O}&format=csv"));
        Assert.Equal(120, csv.Count);
        Assert.Equal(("wan1", Csv(T0.AddSeconds(119)), "11900000"), (csv[119]["nic"], csv[119]["time"], csv[119]["actualRxBps"]));
    }

    [Fact]
    public async Task CorrectionFactorChange_IsAnEventInTheHistory()
    {
        var set = DateTimeOffset.UtcNow;
        Assert.Equal("Correction factor set to: 0.5", await Server.Http.GetStringAsync("tcpflow?value=0.5"));
        await Server.Http.GetStringAsync("tcpflow?value=0.5"); // unchanged: no second event

        var events = await Eventually.WaitAsync<object>(async () =>
        {
            var history = await JsonAsync($"api/history?nic=wan1&from={set.AddMinutes(-1):O}&to={set.AddMinutes(1):O}");
            return history.GetProperty("events").GetArrayLength() > 0 ? history.GetProperty("events") : null;
        }, TimeSpan.FromSeconds(30), "the event to be written") is JsonElement e ? e : default;

        var only = Assert.Single(events.EnumerateArray());
        Assert.Equal(("correction", "correction factor 1 → 0.5", JsonValueKind.Null), (only.GetProperty("kind").GetString(), only.GetProperty("text").GetString(), only.GetProperty("nic").ValueKind));
        Assert.Equal((1.0, 0.5), (only.GetProperty("oldValue").GetDouble(), only.GetProperty("newValue").GetDouble()));
        Assert.InRange(only.GetProperty("time").GetDateTimeOffset(), set.AddSeconds(-1), set.AddSeconds(10));
        Assert.Empty((await JsonAsync($"api/history?nic=wan1&from={T0:O}&to={T0.AddMinutes(1):O}")).GetProperty("events").EnumerateArray());
        Assert.Equal("Correction factor set to: 1", await Server.Http.GetStringAsync("tcpflow?value=1"));
    }

    [Fact]
    public async Task HistoryIps_AreTheBusiestOverTheRange()
    {
        var ips = await JsonAsync($"api/history/ips?nic=wan1&from={T0:O}&to={T0.AddMinutes(1):O}&top=1");

        var top = Assert.Single(ips.GetProperty("ips").EnumerateArray());
        Assert.Equal(("192.168.50.12", 150_000_000L), (top.GetProperty("ip").GetString(), top.GetProperty("rxBytes").GetInt64()));
        Assert.Equal(20e6, top.GetProperty("rxBps").GetDouble(), 1);
    }

    [Fact]
    public async Task Talkers_OverARangeThatEndedMinutesAgo_NameWhoUsedTheLine_PerWanOrOverAll()
    {
        var range = $"from={T0:O}&to={T0.AddMinutes(1):O}";
        var onWan1 = await JsonAsync($"api/talkers?nic=wan1&{range}&direction=rx&top=1");
        var overAll = await JsonAsync($"api/talkers?{range}");

        var top = Assert.Single(onWan1.GetProperty("talkers").EnumerateArray());
        Assert.Equal(("192.168.50.12", 150_000_000L, 20_000_000L), (top.GetProperty("ip").GetString(), top.GetProperty("rxBytes").GetInt64(), top.GetProperty("rxBps").GetInt64()));
        Assert.Equal(("wan1", "rx"), (onWan1.GetProperty("nic").GetString(), onWan1.GetProperty("direction").GetString()));
        Assert.Equal(JsonValueKind.Null, overAll.GetProperty("nic").ValueKind);
        Assert.Equal("192.168.50.12", overAll.GetProperty("talkers")[0].GetProperty("ip").GetString());
        Assert.Equal("nas.lab", top.GetProperty("name").GetString()); // stored with its minute, not looked up now
        var csv = await Server.Http.GetStringAsync($"api/talkers?nic=wan1&{range}&top=1&format=csv");
        Assert.StartsWith("ip,name,rxBytes,txBytes,rxBps,txBps\r\n192.168.50.12,", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_AfterTheFact_HasItsBytesPerWanWithShares_ItsNames_AndTheIncidentThatNamedIt()
    {
        var host = await JsonAsync($"api/hosts/192.168.50.12?from={T0.AddMinutes(-1):O}&to={T0.AddMinutes(10):O}");

        Assert.Equal(("192.168.50.12", "nas.lab", 200_000_000L, 1_000_000L), (host.GetProperty("ip").GetString(), host.GetProperty("name").GetString(),
            host.GetProperty("rxBytes").GetInt64(), host.GetProperty("txBytes").GetInt64()));
        var wans = host.GetProperty("wans").EnumerateArray().Select(w => (w.GetProperty("nic").GetString(), w.GetProperty("rxBytes").GetInt64(), w.GetProperty("share").GetDouble())).ToList();
        Assert.Equal([("wan1", 150_000_000L, 0.7512), ("wan0", 50_000_000L, 0.2488)], wans); // 151 of 201 MB on wan1
        Assert.Equal(2, host.GetProperty("minutes").GetArrayLength());
        Assert.Equal(20_000_000, host.GetProperty("minutes")[0].GetProperty("rxBps").GetInt64());
        var incident = Assert.Single(host.GetProperty("incidents").EnumerateArray());
        Assert.Equal((1L, "wan1", "rx", 29_000_000L), (incident.GetProperty("id").GetInt64(), incident.GetProperty("nic").GetString(),
            incident.GetProperty("direction").GetString(), incident.GetProperty("bps").GetInt64()));
        Assert.Empty(host.GetProperty("live").EnumerateArray());
        var csv = await PythonCsvAsync(await Server.Http.GetStringAsync($"api/hosts/192.168.50.12?from={T0.AddMinutes(-1):O}&to={T0.AddMinutes(10):O}&format=csv"));
        Assert.Equal([("wan1", "150000000", "nas.lab"), ("wan0", "50000000", "")], csv.Select(r => (r["nic"], r["rxBytes"], r["name"])));
    }

    [Fact]
    public async Task HostSearch_FindsByAddressOrByAStoredName()
    {
        var byName = await JsonAsync("api/hosts?q=NAS");
        var byAddress = await JsonAsync("api/hosts?q=192.168.50.12");

        var match = Assert.Single(byName.GetProperty("hosts").EnumerateArray());
        Assert.Equal(("192.168.50.12", "nas.lab"), (match.GetProperty("ip").GetString(), match.GetProperty("name").GetString()));
        Assert.Equal("192.168.50.12", Assert.Single(byAddress.GetProperty("hosts").EnumerateArray()).GetProperty("ip").GetString());
        Assert.Empty((await JsonAsync("api/hosts?q=nothing-like-it")).GetProperty("hosts").EnumerateArray());
        Assert.Empty((await JsonAsync("api/hosts?q=365")).GetProperty("hosts").EnumerateArray()); // a name fragment, not 0.0.1.109
    }

    [Theory]
    [InlineData("api/hosts/not-an-ip", "ip", "ip 'not-an-ip' is not an IPv4 or IPv6 address")]
    [InlineData("api/hosts/365", "ip", "ip '365' is not an IPv4 or IPv6 address")] // .NET would read 0.0.1.109
    [InlineData("api/hosts/192.168.50.12?from=soon", "from", "from 'soon' is not a time")]
    [InlineData("api/hosts?q=", "q", "q is required: an IP address or a part of a host's name")]
    [InlineData("api/hosts?q=x&limit=0", "limit", "limit '0' is not a whole number from 1 to 1000")]
    [InlineData("api/incidents?from=abc", "from", "from 'abc' is not a time")]
    [InlineData("api/incidents?to=2026-13-01", "to", "to '2026-13-01' is not a time")]
    [InlineData("api/incidents?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "from", "from (2026-12-02T00:00:00.0000000+00:00) is after to")]
    [InlineData("api/incidents?nic=wan9", "nic", "nic 'wan9' is not a WAN (declared: wan0, wan1)")]
    [InlineData("api/incidents?format=xml", "format", "format 'xml' is not json or csv")]
    [InlineData("api/history?resolution=5m", "resolution", "resolution '5m' is not raw or 1m")]
    [InlineData("api/history?from=yesterday", "from", "from 'yesterday' is not a time")]
    [InlineData("api/history/ips?nic=wan1&top=0", "top", "top '0' is not a whole number from 1 to 50")]
    [InlineData("api/history/ips?nic=wan1&top=x", "top", "top 'x' is not a whole number")]
    [InlineData("api/history/ips", "nic", "nic is required")]
    [InlineData("api/tcp/flows?top=0", "top", "top '0' is not a whole number from 1 to")]
    [InlineData("api/tcp/flows?sort=fastest", "sort", "sort 'fastest' is not loss, bytes, window")]
    [InlineData("api/network/names?limit=0", "limit", "limit '0' is not a whole number from 1 to 1000000")]
    [InlineData("api/network/names?limit=many", "limit", "limit 'many' is not a whole number")]
    [InlineData("api/network/names?format=xml", "format", "format 'xml' is not json or csv")]
    [InlineData("api/network/protocols?format=xml", "format", "format 'xml' is not json or csv")]
    [InlineData("api/talkers?direction=up", "direction", "direction 'up' is not total, rx, tx")]
    [InlineData("api/talkers?top=0", "top", "top '0' is not a whole number from 1 to 1000")]
    [InlineData("api/talkers?nic=wan9", "nic", "nic 'wan9' is not a WAN")]
    [InlineData("api/incidents/abc", "id", "id 'abc' is not an incident's id (a whole number)")]
    [InlineData("api/history?to=0001-01-01", "to", "to '0001-01-01' is before 1970-01-01")]
    public async Task BadParameter_IsAProblem400NamingTheField(string path, string field, string message)
    {
        using var response = await Server.Http.GetAsync(path);

        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, field, message);
    }

    [Theory]
    [InlineData("api/incidents/99999", "no incident 99999")]
    [InlineData("api/no-such-thing", "")]
    public async Task Missing_IsAProblem404(string path, string message)
    {
        using var response = await Server.Http.GetAsync(path);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":404", body, StringComparison.Ordinal);
        if (message.Length > 0)
            await Problems.AssertAsync(response, HttpStatusCode.NotFound, null, message);
    }

    private static string Csv(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'.000Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Rows as Python's csv.DictReader reads them (an outside RFC 4180 reader).</summary>
    private static async Task<List<Dictionary<string, string>>> PythonCsvAsync(string csv)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, csv);
        try
        {
            var result = await ProcessRunner.RunAsync("/usr/bin/python3", ["-c", "import csv, json, sys; print(json.dumps(list(csv.DictReader(open(sys.argv[1], newline='')))))", file], TimeSpan.FromSeconds(30));
            Assert.True(result.ExitCode == 0, result.StandardError);
            return JsonSerializer.Deserialize<List<Dictionary<string, string>>>(result.StandardOutput)!;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>One server and database for the class: the tests read it, but for the one that deletes what it wrote itself.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public RoutingFlowServer Server { get; private set; } = null!;

        public string Data { get; } = Directory.CreateTempSubdirectory("rf-data-").FullName;

        public async Task InitializeAsync()
        {
            Server = await RoutingFlowServer.StartAsync("""{"wan0":"nope0","wan1":"nope1"}""", [$"--RoutingFlow:DataDirectory={Data}"]);
            await Eventually.WaitAsync(async () => (await Server.StatusAsync()).GetProperty("storage").GetProperty("state").GetString() == "ok",
                TimeSpan.FromSeconds(30), "the database");
            using var storage = new StorageHarness(Data);
            storage.Writer.Enqueue(new IncidentItem(Incident(1, "wan1", T0, T0.AddMinutes(5))));
            storage.Writer.Enqueue(new IncidentItem(Incident(2, "wan0", T0.AddHours(2), null)));
            for (var s = 0; s < 120; s++)
                storage.Writer.Enqueue(new SampleItem(new WanSampleRow { Nic = "wan1", Time = T0.AddSeconds(s).ToUnixTimeMilliseconds(), CapacityRx = 20e6, ActualRx = s * 1e5, ActualTx = 1e5 }));
            storage.Writer.Enqueue(new RollupItem(new WanRollupRow { Nic = "wan1", Minute = T0.ToUnixTimeMilliseconds(), Samples = 60, CapacityRxAvg = 20e6, ActualRxMin = 0, ActualRxAvg = 3e6, ActualRxMax = 5.9e6 }));
            storage.Writer.Enqueue(new IpMinutesItem("", "wan1", T0.ToUnixTimeMilliseconds(),
                [new IpMinuteRow { Nic = "wan1", Minute = T0.ToUnixTimeMilliseconds(), Ip = "192.168.50.12", RxBytes = 150_000_000, TxBytes = 1_000_000, Name = "nas.lab" },
                 new IpMinuteRow { Nic = "wan1", Minute = T0.ToUnixTimeMilliseconds(), Ip = "192.168.50.13", RxBytes = 1_000, TxBytes = 0 }]));
            storage.Writer.Enqueue(new IpMinutesItem("", "wan0", T0.AddMinutes(1).ToUnixTimeMilliseconds(),
                [new IpMinuteRow { Nic = "wan0", Minute = T0.AddMinutes(1).ToUnixTimeMilliseconds(), Ip = "192.168.50.12", RxBytes = 50_000_000, TxBytes = 0 }]));
            storage.Time.SetUtcNow(TimeProvider.System.GetUtcNow()); // retention counts from the harness's clock
            Assert.True(await storage.Writer.FlushAsync(CancellationToken.None) > 0, storage.Writer.Status.LastError);
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Data, recursive: true);
        }
    }
}
