using System.Net;
using System.Text;
using RoutingFlow.Server.Security;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Waiting;

namespace RoutingFlow.Server.Tests.Security;

/// <summary>
/// Secrets never shown (issue 28): a real server configured with recognisable secrets in every place one goes (API key,
/// webhook path and query, the mapping URL's user info and query, the fleet's Prometheus password and bearer token, a
/// PostgreSQL password, the advice URL's query), each of them made to fail so that its errors are written; then every
/// GET endpoint, every page, an advice apply's answer, the exports and the whole log contain none of them.
/// </summary>
public sealed class SecretsExposureTests
{
    private static readonly string[] Paths =
    [
        "status", "metrics", "healthz", "tcpflow", "traffic_device_connection_stats", "api/alerts", "api/audit", "api/devices", "api/fleet", "api/fleet?format=csv",
        "api/network/bandwidth", "api/network/connections", "api/network/names", "api/network/protocols", "api/talkers", "api/incidents", "api/incidents?format=csv",
        "api/history", "api/history?format=csv", "api/hosts", "api/advice", "api/advice/overrides", "api/advice/applied", "api/probe", "api/tcp", "api/tcp/summary",
        "api/tcp/flows", "", "devices", "fleet", "history", "hosts", "incidents", "network", "probe", "signin", "talkers", "tcp",
    ];

    [Theory]
    [InlineData("http://user:pw@host:9/status?key=abc&b=2", "http://host:9/status?key=…&b=…")]
    [InlineData("https://prom.example/", "https://prom.example/")]
    [InlineData("not a url", "…")]
    [InlineData(null, null)]
    public void Url_KeepsWhereNotWho(string? url, string? shown) => Assert.Equal(shown, Secrets.Url(url));

    [Fact]
    public async Task NoConfiguredSecret_AppearsInAnyAnswerOrTheLog()
    {
        await using var server = await RoutingFlowServer.StartAsync("""{"wan0":"wan0"}""",
        [
            "--RoutingFlow:Security:ApiKey=SECRET-apikey",
            "--RoutingFlow:Alerts:Webhooks:0=http://127.0.0.1:9/hook/SECRET-hookpath?token=SECRET-hookquery",
            "--RoutingFlow:Mapping:Url=http://mapper:SECRET-mappass@127.0.0.1:9/status?key=SECRET-mapquery",
            "--RoutingFlow:Fleet:Prometheus:Url=http://prom:SECRET-prompass@127.0.0.1:9/",
            "--RoutingFlow:Fleet:Prometheus:BearerToken=SECRET-bearer",
            "--RoutingFlow:Storage:Provider=postgres",
            "--RoutingFlow:Storage:ConnectionString=Host=127.0.0.1;Port=9;Database=rf;Username=rf;Password=SECRET-pgpass;Timeout=1",
            "--RoutingFlow:Advice:ApplyUrl=http://127.0.0.1:9/apply?token=SECRET-advicequery",
            // a rule that fires at once, so that the webhook is tried (and fails)
            "--RoutingFlow:Alerts:Rules:0:Name=always", "--RoutingFlow:Alerts:Rules:0:Metric=routingflow_capture_up", "--RoutingFlow:Alerts:Rules:0:Op=>",
            "--RoutingFlow:Alerts:Rules:0:Value=-1", "--RoutingFlow:Alerts:EvaluationInterval=00:00:01",
        ]);
        await Eventually.WaitAsync(async () =>
        {
            var status = await server.StatusAsync();
            return status.GetProperty("fleet").GetProperty("state").GetString() == "failing" && status.GetProperty("storage").GetProperty("state").GetString() == "failing"
                && status.GetProperty("alerts").GetProperty("failures").GetInt64() > 0;
        }, TimeSpan.FromSeconds(60), "the fleet's Prometheus, the database and the webhook to fail");
        using var applied = await server.Http.PostAsync("api/advice/apply", new StringContent("""{"moves":[{"target":"192.168.1.10","to":"wan0"}]}""", Encoding.UTF8, "application/json"));
        var answers = new StringBuilder(await applied.Content.ReadAsStringAsync());
        Assert.Contains("http://127.0.0.1:9/apply?token=…", answers.ToString(), StringComparison.Ordinal); // shown, without the token

        foreach (var path in Paths)
        {
            using var answer = await server.Http.GetAsync(path);
            Assert.True((int)answer.StatusCode < 500 || answer.StatusCode == HttpStatusCode.ServiceUnavailable, $"/{path}: {answer.StatusCode}"); // 503: the history while the database is down
            answers.Append(await answer.Content.ReadAsStringAsync());
        }

        var everything = answers + server.Output;
        Assert.Contains("postgres://127.0.0.1:9/rf", everything, StringComparison.Ordinal);
        Assert.Contains("Prometheus at http://127.0.0.1:9/ failing", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", everything, StringComparison.Ordinal);
    }
}
