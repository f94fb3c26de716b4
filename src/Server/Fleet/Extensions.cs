
namespace RoutingFlow.Server.Fleet;

public static class Extensions
{
    /// <summary>The fleet monitor (off until <c>Fleet:Prometheus:Url</c> is set): many routers read through Prometheus.</summary>
    public static void AddFleet(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpClient(PrometheusClient.HttpClientName) // gzip: Prometheus compresses when asked, a 10th of the bytes for its large answers
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.GZip | System.Net.DecompressionMethods.Deflate });
        builder.Services.AddSingleton<PrometheusClient>();
        builder.Services.AddSingleton<IFleetReader, PrometheusFleetReader>();
        builder.Services.AddSingleton<FleetState>();
        builder.Services.AddSingleton<FleetMonitor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FleetMonitor>());
    }

    /// <summary>/status's fleet section.</summary>
    public static FleetStatusDto Status(this FleetState fleet, FleetOptions options)
    {
        var view = fleet.Current;
        var wans = view.Routers.SelectMany(r => r.Wans).ToList();
        return new FleetStatusDto(view.State, Security.Secrets.Url(options.Prometheus.Url), view.Error, view.At == DateTimeOffset.MinValue ? null : view.At, view.QueryTime.TotalSeconds,
            view.Routers.Count, wans.Count, wans.Count(w => w.State == "overloaded"), wans.Count(w => w.State == "unknown"));
    }
}
