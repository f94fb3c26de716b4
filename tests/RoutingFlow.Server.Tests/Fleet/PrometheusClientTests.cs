using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RoutingFlow.Server.Fleet;

namespace RoutingFlow.Server.Tests.Fleet;

/// <summary>Prometheus's query API as the fleet reads it: vectors parsed, errors and garbage named, authentication sent, a timeout kept.</summary>
public sealed class PrometheusClientTests
{
    private const string Vector = """
        {"status":"success","data":{"resultType":"vector","result":[
          {"metric":{"__name__":"network_ip_rx_bps_total","instance":"r1:8080","nic":"wan0"},"value":[1764849600.123,"91500000"]},
          {"metric":{"instance":"r2:8080","nic":"wan1"},"value":[1764849600.123,"NaN"]}]}}
        """;

    [Fact]
    public void Parse_AVector_GivesEachSeriesLabelsAndValue()
    {
        var samples = PrometheusClient.Parse(Encoding.UTF8.GetBytes(Vector), 200, "q");

        Assert.Equal(2, samples.Count);
        Assert.Equal("r1:8080", samples[0].Labels["instance"]);
        Assert.Equal(91_500_000, samples[0].Value);
        Assert.True(double.IsNaN(samples[1].Value));
    }

    [Fact]
    public void Parse_AnError_NamesItsTypeAndReason()
    {
        var error = Assert.Throws<PrometheusQueryException>(() => PrometheusClient.Parse(
            """{"status":"error","errorType":"bad_data","error":"parse error at char 5"}"""u8.ToArray(), 400, "rate(x["));

        Assert.Equal("Prometheus refused 'rate(x[': bad_data: parse error at char 5", error.Message);
    }

    [Theory]
    [InlineData("<html>502 Bad Gateway</html>", "not its query API's JSON")]
    [InlineData("", "an empty body")]
    [InlineData("""{"data":{}}""", "without a status")]
    [InlineData("""{"status":"success","data":{"resultType":"matrix","result":[]}}""", "gives a matrix, not an instant vector")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"x"]}]}}""", "not a number: 'x'")]
    public void Parse_Garbage_IsAClearError(string body, string expected)
    {
        var error = Assert.Throws<PrometheusQueryException>(() => PrometheusClient.Parse(Encoding.UTF8.GetBytes(body), 502, "q"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("secret-token", null, null, "Bearer secret-token")]
    [InlineData(null, "fleet", "pw", "Basic ZmxlZXQ6cHc=")]
    [InlineData(null, null, null, null)]
    public async Task Query_SendsTheQueryAndTheConfiguredSignIn(string? token, string? user, string? password, string? expected)
    {
        var handler = new Recorder(Vector);
        var client = Client(handler, new FleetPrometheusOptions { Url = "http://prom.example:9090/", BearerToken = token, Username = user, Password = password });

        var samples = await client.QueryAsync("topk by (instance, nic) (5, network_ip_rx_bps > 0)", CancellationToken.None);

        Assert.Equal(2, samples.Count);
        Assert.Equal((HttpMethod.Post, "http://prom.example:9090/api/v1/query"), (handler.Request!.Method, handler.Request.RequestUri!.AbsoluteUri));
        Assert.Equal("query=topk+by+%28instance%2C+nic%29+%285%2C+network_ip_rx_bps+%3E+0%29", handler.Body);
        Assert.Equal(expected, handler.Request.Headers.Authorization?.ToString());
    }

    [Fact]
    public async Task Query_ASilentServer_TimesOutSayingWhichSetting()
    {
        var client = Client(new Recorder(Vector, TimeSpan.FromSeconds(30)), new FleetPrometheusOptions { Url = "http://prom.example:9090", Timeout = TimeSpan.FromMilliseconds(200) });

        var error = await Assert.ThrowsAsync<PrometheusQueryException>(() => client.QueryAsync("up", CancellationToken.None));

        Assert.Equal("Prometheus did not answer within 0.2 s (Fleet:Prometheus:Timeout)", error.Message);
    }

    private static PrometheusClient Client(HttpMessageHandler handler, FleetPrometheusOptions prometheus)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(PrometheusClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => handler);
        return new PrometheusClient(new FleetOptions { Prometheus = prometheus }, services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>());
    }

    private sealed class Recorder(string body, TimeSpan delay = default) : HttpMessageHandler
    {
        public HttpRequestMessage? Request { get; private set; }

        public string? Body { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            Body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            await Task.Delay(delay, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }
}
