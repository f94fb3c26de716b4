using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Waiting;

namespace RoutingFlow.Server.Tests.Devices;

/// <summary>The device endpoints' answers to good and bad requests, and the attached set across a restart (the real server on loopback).</summary>
public sealed class DevicesApiTests : IDisposable
{
    private const string NicJson = """{"wan0":"lo"}""";
    private readonly string _data = Directory.CreateTempSubdirectory("rf-devices-").FullName;

    private Task<RoutingFlowServer> StartAsync() => RoutingFlowServer.StartAsync(NicJson, [$"--RoutingFlow:DataDirectory={_data}"]);

    private static Task<HttpResponseMessage> PostAsync(RoutingFlowServer server, string body) =>
        server.Http.PostAsync("traffic_count_attach_device", new StringContent(body, Encoding.UTF8, "application/json"));

    [Theory]
    [InlineData("{\"iface\":", 400, "not valid JSON")]
    [InlineData("[1]", 400, "JSON object")]
    [InlineData("{\"action\":\"add\"}", 400, "iface is missing")]
    [InlineData("{\"iface\":\"lo\"}", 400, "action is missing")]
    [InlineData("{\"iface\":\"lo\",\"action\":\"attach\"}", 400, "action 'attach'")]
    [InlineData("{\"iface\":\"lo\",\"action\":5}", 400, "not the number 5")]
    [InlineData("{\"iface\":7,\"action\":\"add\"}", 400, "iface must be a string (the interface name), not the number 7")]
    [InlineData("{\"iface\":\"eth0; rm -rf /\",\"action\":\"add\"}", 400, "not a valid interface name")]
    [InlineData("{\"iface\":\"averyveryverylongname\",\"action\":\"add\"}", 400, "not a valid interface name")]
    [InlineData("{\"iface\":\"nosuch0\",\"action\":\"add\"}", 404, "does not exist (available: ")]
    [InlineData("{\"iface\":\"lo\",\"action\":\"remove\"}", 404, "is not attached")]
    public async Task Attach_BadRequests_GetTheDocumentedCodes(string body, int status, string message)
    {
        await using var server = await StartAsync();

        var response = await PostAsync(server, body);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attach_Twice_SaysSo_Detach_Frees_AndTheSetSurvivesARestart()
    {
        var ifindex = int.Parse(File.ReadAllText("/sys/class/net/lo/ifindex").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await using (var server = await StartAsync())
        {
            var first = await (await PostAsync(server, """{"iface":"lo","action":"add"}""")).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(("lo", ifindex, true, "attached"), (first.GetProperty("iface").GetString(), first.GetProperty("deviceId").GetInt32(),
                first.GetProperty("attached").GetBoolean(), first.GetProperty("message").GetString()));
            var again = await PostAsync(server, """{"iface":"lo","action":"add"}""");
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Contains("already attached", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.BadRequest, (await server.Http.GetAsync("traffic_device_connection_stats/abc")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("traffic_device_connection_stats/999999")).StatusCode);
            await Eventually.WaitAsync(async () => (await Devices(server)).Any(d => d.GetProperty("ifindex").ValueKind == JsonValueKind.Number
                || d.GetProperty("state").GetString() == "failed"), TimeSpan.FromSeconds(20), "lo's capture to open (or fail without root)");
        }
        await using (var server = await StartAsync())
        {
            var devices = await Devices(server);
            Assert.Equal("lo", Assert.Single(devices).GetProperty("name").GetString());
            var removed = await PostAsync(server, """{"iface":"lo","action":"remove"}""");
            Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
            Assert.Empty(await Devices(server));
        }
        await using (var server = await StartAsync())
            Assert.Empty(await Devices(server));
    }

    private static async Task<List<JsonElement>> Devices(RoutingFlowServer server) =>
        [.. (await server.Http.GetFromJsonAsync<JsonElement>("api/devices")).GetProperty("devices").EnumerateArray()];

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
