using System.Net;
using System.Text;
using System.Text.Json;
using RoutingFlow.Server.Tests.Infrastructure;

namespace RoutingFlow.Server.Tests.Hosting;

/// <summary>
/// The request limits appsettings.json sets (Kestrel:Limits), on the real server: a body over 1 MiB is 413 (with
/// the setting named under /api, never a 500), headers over 32 KiB 431, a request line over 8 KiB 414; the server
/// keeps serving.
/// </summary>
public sealed class ServerLimitsTests
{
    [Fact]
    public async Task RequestsPastTheLimits_AreRefusedWithTheirStatus_AndTheServerKeepsServing()
    {
        await using var server = await RoutingFlowServer.StartAsync("""{"wan0":"wan0"}""", []);
        var big = "{\"iface\":\"" + new string('a', 2 * 1024 * 1024) + "\",\"action\":\"add\"}";

        using var api = await server.Http.PostAsync("api/advice/apply", new StringContent(big, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, api.StatusCode);
        using (var problem = JsonDocument.Parse(await api.Content.ReadAsStringAsync()))
            Assert.Contains("Kestrel:Limits:MaxRequestBodySize", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var legacy = await server.Http.PostAsync("traffic_count_attach_device", new StringContent(big, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, legacy.StatusCode);
        using var header = new HttpRequestMessage(HttpMethod.Get, "healthz");
        header.Headers.Add("X-Big", new string('b', 40 * 1024));
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, (await server.Http.SendAsync(header)).StatusCode);
        Assert.Equal(HttpStatusCode.RequestUriTooLong, (await server.Http.GetAsync("api/incidents?nic=" + new string('c', 10 * 1024))).StatusCode);

        Assert.Equal("ok", await server.Http.GetStringAsync("healthz"));
        Assert.DoesNotContain("Unhandled exception", server.Output, StringComparison.OrdinalIgnoreCase);
    }
}
