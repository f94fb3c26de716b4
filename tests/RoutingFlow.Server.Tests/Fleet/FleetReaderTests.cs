using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RoutingFlow.Server.Fleet;
using RoutingFlow.Server.Monitoring;

namespace RoutingFlow.Server.Tests.Fleet;

/// <summary>
/// The reader's two steps against a scripted query API: the per-WAN queries always, the per-IP ones only for routers
/// with a WAN at or above FullAt (named in the selector), none at all for a quiet fleet.
/// </summary>
public sealed class FleetReaderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AQuietFleet_IsReadWithTheFivePerWanQueries_Only()
    {
        var api = new QueryApi(rxOf: _ => 40e6);

        var sample = await Reader(api).ReadAsync(T0, CancellationToken.None);

        Assert.Equal(5, api.Queries.Count);
        Assert.DoesNotContain(api.Queries, q => q.Contains("network_ip_rx_bps{", StringComparison.Ordinal) || q.Contains("topk", StringComparison.Ordinal));
        Assert.Equal(3, sample.Routers.Count);
        Assert.All(sample.Routers.Values.SelectMany(w => w), w => Assert.Empty(w.TopRx));
    }

    [Fact]
    public async Task BusyRouters_AreNamedInThePerIpQueries_AndTheirTopIpsRead()
    {
        var api = new QueryApi(rxOf: router => router == "r2:8080" ? 96e6 : router == "r3:8080" ? 150e6 : 40e6); // 96%: full; 150%: overloaded

        var sample = await Reader(api).ReadAsync(T0, CancellationToken.None);

        Assert.Equal(7, api.Queries.Count);
        Assert.Contains("""topk by (instance, nic) (5, network_ip_rx_bps{instance=~"r2:8080|r3:8080"} > 0)""", api.Queries);
        Assert.Equal("10.0.0.1", sample.Routers["r3:8080"][0].TopRx[0].Ip);
        Assert.Empty(sample.Routers["r1:8080"][0].TopRx);
    }

    private static PrometheusFleetReader Reader(QueryApi api)
    {
        var options = new FleetOptions { Prometheus = new FleetPrometheusOptions { Url = "http://prom.example:9090" } };
        var services = new ServiceCollection();
        services.AddHttpClient(PrometheusClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => api);
        return new PrometheusFleetReader(options, new MonitorOptions(), new PrometheusClient(options, services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>()));
    }

    /// <summary>Three routers with one WAN each (capacity 100 Mbit/s rx); per-IP answers for the routers a query names.</summary>
    private sealed class QueryApi(Func<string, double> rxOf) : HttpMessageHandler
    {
        private static readonly string[] Routers = ["r1:8080", "r2:8080", "r3:8080"];

        public List<string> Queries { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var form = await request.Content!.ReadAsStringAsync(cancellationToken);
            var query = Uri.UnescapeDataString(form["query=".Length..].Replace('+', ' '));
            lock (Queries)
                Queries.Add(query);
            var series = query switch
            {
                _ when query.StartsWith("topk", StringComparison.Ordinal) => Routers.Where(r => query.Contains(r, StringComparison.Ordinal) || !query.Contains("=~", StringComparison.Ordinal))
                    .Select(r => Series(r, 30e6, "10.0.0.1")),
                _ when query.Contains("capacity", StringComparison.Ordinal) && query.Contains("\"rx\"", StringComparison.Ordinal) => Routers.Select(r => Series(r, 100e6)),
                _ when query.Contains("capacity", StringComparison.Ordinal) => [],
                _ when query.StartsWith("timestamp", StringComparison.Ordinal) => Routers.Select(r => Series(r, T0.ToUnixTimeSeconds() - 1)),
                _ when query.Contains("rx", StringComparison.Ordinal) => Routers.Select(r => Series(r, rxOf(r))),
                _ => Routers.Select(r => Series(r, 1e6)),
            };
            var body = """{"status":"success","data":{"resultType":"vector","result":[""" + string.Join(",", series) + "]}}";
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }

        private static string Series(string router, double value, string? ip = null) =>
            "{\"metric\":{\"instance\":\"" + router + "\"" + (ip is null ? "" : ",\"ip\":\"" + ip + "\"") + ",\"nic\":\"wan0\"},\"value\":[1,\""
            + value.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "\"]}";
    }
}
