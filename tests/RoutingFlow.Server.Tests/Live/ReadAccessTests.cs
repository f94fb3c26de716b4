using System.Net;
using System.Net.Http.Headers;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Browser;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Waiting;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// Who may read (issue 28): a server listening on the lab's router address with an API key and reads not public,
/// read from the host (a non-loopback client). Everything naming hosts needs the key — as X-Api-Key, as a bearer
/// token (a real Prometheus scrapes /metrics with <c>authorization: {credentials}</c>), or through the dashboard's
/// sign-in in Chromium — while /healthz, the sign-in page and static files stay open (loopback reads freely: every
/// other test reads that way). A server
/// told to listen beyond loopback with neither a key nor public reads refuses to start, naming both settings.
/// </summary>
public sealed class ReadAccessTests
{
    private const string Key = "lab-read-key";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [RootFact]
    public async Task FromAnotherHost_ReadsNeedTheKey_AsHeaderBearerOrSignIn()
    {
        await using var lab = await NamespaceLab.StartAsync();
        await using var server = await RoutingFlowServer.StartAsync("""{"wan0":"wan0"}""",
            [$"--RoutingFlow:Security:ApiKey={Key}", "--RoutingFlow:Security:PublicReads=false"], listen: NamespaceLab.RouterAddress, lab: lab);
        var http = server.Http;

        foreach (var path in new[] { "status", "metrics", "api/incidents", "api/history", "api/talkers", "api/fleet", "traffic_device_connection_stats", "tcpflow" })
        {
            using var refused = await http.GetAsync(path);
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"{path}: {refused.StatusCode}");
            Assert.Contains("RoutingFlow:Security:PublicReads", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal("Bearer", Assert.Single(refused.Headers.WwwAuthenticate).Scheme);
        }
        Assert.Equal(HttpStatusCode.OK, (await Get(http, "status", h => h.Add("X-Api-Key", Key))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(http, "metrics", h => h.Authorization = new AuthenticationHeaderValue("Bearer", Key))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(http, "status", h => h.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-key"))).StatusCode);
        Assert.Equal("ok", await http.GetStringAsync("healthz"));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("app.css")).StatusCode);
        using (var page = await Get(http, "incidents", h => h.Accept.ParseAdd("text/html"), redirects: false))
        {
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.Equal("/signin?returnUrl=%2Fincidents", page.Headers.Location!.OriginalString);
        }
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("signin")).StatusCode);
        await using var browser = await HeadlessChromium.StartAsync(NamespaceLab.RouterAddress);
        var baseUrl = http.BaseAddress!.ToString().TrimEnd('/');
        await browser.NavigateAsync($"{baseUrl}/incidents");
        await browser.WaitForAsync("location.pathname === '/signin' && document.querySelector('[data-testid=signin-key]')", Wait, "the page to ask for the sign-in");
        await browser.EvaluateAsync($$"""
            (() => { document.querySelector('[data-testid=signin-key]').value = '{{Key}}';
                     document.querySelector('[data-testid=signin-form]').submit(); })()
            """);
        await browser.WaitForAsync("location.pathname === '/incidents' && document.querySelector('[data-testid=no-incidents], [data-testid=incidents]') !== null", Wait, "the incidents page, signed in");
    }

    [RootFact]
    public async Task APrometheusWithTheKeyAsBearer_ScrapesMetrics_AndOneWithoutIsRefused()
    {
        await using var lab = await NamespaceLab.StartAsync();
        await using var server = await RoutingFlowServer.StartAsync("""{"wan0":"wan0"}""",
            [$"--RoutingFlow:Security:ApiKey={Key}", "--RoutingFlow:Security:PublicReads=false"], listen: NamespaceLab.RouterAddress, lab: lab);
        var target = $"{NamespaceLab.RouterAddress}:{server.Http.BaseAddress!.Port}";
        await using var withKey = await PrometheusServer.StartAsync([target], bearer: Key);
        await using var without = await PrometheusServer.StartAsync([target]);

        await Eventually.WaitAsync(async () => (await withKey.QueryAsync("up")).SingleOrDefault().Value == 1, Wait, "Prometheus with the key to scrape the server");
        await Eventually.WaitAsync(async () => (await without.QueryAsync("up")).SingleOrDefault().Labels is not null, Wait, "the other Prometheus to try");
        Assert.Equal(0, (await without.QueryAsync("up")).Single().Value);
    }

    [RootFact]
    public async Task StateChanges_AreAudited_AndRateLimitedPerClient()
    {
        await using var lab = await NamespaceLab.StartAsync();
        await using var server = await RoutingFlowServer.StartAsync("""{"wan0":"wan0"}""",
            [$"--RoutingFlow:Security:ApiKey={Key}", "--RoutingFlow:Security:StateChangesPerMinute=5"], listen: NamespaceLab.RouterAddress, lab: lab);
        var http = server.Http;
        async Task<HttpResponseMessage> SetFactor(string value, string? key) =>
            await Get(http, $"tcpflow?value={value}", h => { if (key is not null) h.Add("X-Api-Key", key); });

        Assert.Equal(HttpStatusCode.OK, (await SetFactor("2", Key)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SetFactor("3", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SetFactor("3", "guess")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SetFactor("1.5", Key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SetFactor("1", Key)).StatusCode);
        using var limited = await SetFactor("4", Key); // the sixth within the minute
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("60", limited.Headers.GetValues("Retry-After").Single());
        Assert.Contains("RoutingFlow:Security:StateChangesPerMinute", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Current correction factor: 1", await http.GetStringAsync("tcpflow")); // reads are not limited, and the refused ones changed nothing

        using var audit = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("api/audit"));
        var entries = audit.RootElement.GetProperty("entries").EnumerateArray()
            .Select(e => (Who: e.GetProperty("who").GetString(), From: e.GetProperty("from").GetString(), What: e.GetProperty("what").GetString(), Status: e.GetProperty("status").GetInt32()))
            .Reverse().ToList();
        Assert.Equal(
            [("api-key", "GET /tcpflow?value=2", 200), ("anonymous", "GET /tcpflow?value=3", 403), ("wrong key", "GET /tcpflow?value=3", 403),
             ("api-key", "GET /tcpflow?value=1.5", 200), ("api-key", "GET /tcpflow?value=1", 200), ("api-key", "GET /tcpflow?value=4", 429)],
            entries.Select(e => (e.Who!, e.What!, e.Status)));
        Assert.Single(entries.Select(e => e.From).Distinct());
        Assert.DoesNotContain(entries, e => e.From is "unknown" or "127.0.0.1");
        Assert.Contains($"Audit: api-key from {entries[0].From}: GET /tcpflow?value=2 → 200 done", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListeningBeyondLoopback_WithNeitherAKeyNorPublicReads_RefusesToStart_NamingBoth()
    {
        var (exitCode, output) = await RoutingFlowServer.RunToExitAsync("""{"wan0":"wan0"}""", ["--urls=http://0.0.0.0:0"]);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), l => l.StartsWith("Refusing to start", StringComparison.Ordinal));
        Assert.Contains("RoutingFlow:Security:ApiKey", line, StringComparison.Ordinal);
        Assert.Contains("RoutingFlow:Security:PublicReads=true", line, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> Get(HttpClient http, string path, Action<HttpRequestHeaders> headers, bool redirects = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        headers(request.Headers);
        if (redirects)
            return await http.SendAsync(request);
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = http.BaseAddress };
        return await noRedirects.SendAsync(request);
    }
}
