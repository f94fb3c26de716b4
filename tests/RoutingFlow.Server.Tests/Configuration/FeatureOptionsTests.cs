using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Alerts;
using RoutingFlow.Server.Configuration;
using RoutingFlow.Server.Legacy;
using RoutingFlow.Server.Metrics;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Security;
using RoutingFlow.Server.Storage;

namespace RoutingFlow.Server.Tests.Configuration;

/// <summary>Each server feature's own section: bound from <c>RoutingFlow:Section</c>, validated where it is defined, every error named by its key.</summary>
public sealed class FeatureOptionsTests
{
    private static FeatureOptions Bind(List<string> errors, RoutingFlowOptions? core = null, params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
        return FeatureOptions.Bind(configuration, core ?? new RoutingFlowOptions(), errors);
    }

    [Fact]
    public void Bind_EveryFeatureSection_FromItsKey()
    {
        var errors = new List<string>();
        var options = Bind(errors, null,
            ("RoutingFlow:Monitor:TopIps", "7"), ("RoutingFlow:Storage:FlushInterval", "00:00:03"), ("RoutingFlow:Alerts:Webhooks:0", "http://127.0.0.1:9/hook"),
            ("RoutingFlow:Security:ApiKey", "k"), ("RoutingFlow:Metrics:MaxIpSeriesPerNic", "20"), ("RoutingFlow:LegacyPorts:Enabled", "true"));

        Assert.Empty(errors);
        Assert.Equal(7, options.Get<MonitorOptions>().TopIps);
        Assert.Equal(TimeSpan.FromSeconds(3), options.Get<StorageOptions>().FlushInterval);
        Assert.Equal(["http://127.0.0.1:9/hook"], options.Get<AlertOptions>().Webhooks);
        Assert.True(options.Get<SecurityOptions>().KeyConfigured);
        Assert.Equal(20, options.Get<MetricsOptions>().MaxIpSeriesPerNic);
        Assert.True(options.Get<LegacyPortsOptions>().Enabled);
    }

    [Fact]
    public void Bind_BadValues_EachNamedByItsKey_AndTheRestStillBinds()
    {
        var errors = new List<string>();
        var options = Bind(errors, null,
            ("RoutingFlow:Monitor:Compare", "sideways"), ("RoutingFlow:Monitor:Interval", "banana"), ("RoutingFlow:Monitor:TopIps", "9"),
            ("RoutingFlow:Storage:TopIpsPerMinute", "0"), ("RoutingFlow:Alerts:Webhooks:0", "ftp://x"), ("RoutingFlow:Metrics:MaxIpSeriesPerNic", "0"));

        Assert.Contains("RoutingFlow:Monitor:Compare 'sideways' is not auto, combined, per-direction", errors);
        Assert.Contains(errors, e => e.StartsWith("RoutingFlow:Monitor:Interval: 'banana' is not a duration", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("RoutingFlow:Storage:TopIpsPerMinute is 0", StringComparison.Ordinal));
        Assert.Contains("RoutingFlow:Alerts:Webhooks:0 is not an absolute http(s) URL", errors);
        Assert.Contains(errors, e => e.StartsWith("RoutingFlow:Metrics:MaxIpSeriesPerNic is 0", StringComparison.Ordinal));
        Assert.Equal(5, errors.Count);
        Assert.Equal(9, options.Get<MonitorOptions>().TopIps);
    }

    [Fact]
    public void Advice_PinnedAndMaxMoves_AreCheckedAndParsed()
    {
        var errors = new List<string>();
        var options = Bind(errors, null, ("RoutingFlow:Advice:Pinned:0", "10.0.0.11"), ("RoutingFlow:Advice:Pinned:1", "192.168.7.0/24"),
            ("RoutingFlow:Advice:Pinned:2", "printer"), ("RoutingFlow:Advice:MaxMoves", "0"));

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("RoutingFlow:Advice:Pinned:2 'printer' is not a CIDR or an address", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("RoutingFlow:Advice:MaxMoves is 0", StringComparison.Ordinal));
        Assert.Equal(["10.0.0.11/32", "192.168.7.0/24"], options.Get<RoutingFlow.Server.Advice.AdviceOptions>().PinnedNetworks().Select(n => $"{n.Network}/{n.PrefixLength}"));
    }

    [Fact]
    public void LegacyPorts_OnTheMappingUrlsPort_IsRefusedNamingBoth()
    {
        var core = new RoutingFlowOptions { Mapping = { Url = "http://127.0.0.1:32599/status" } };
        var errors = new List<string>();
        Bind(errors, core, ("RoutingFlow:LegacyPorts:Enabled", "true"));

        var error = Assert.Single(errors);
        Assert.StartsWith("RoutingFlow:LegacyPorts:Enabled would serve RoutingFlow's own /status on 127.0.0.1:32599", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Register_EachFeaturesOptions_IsASingleton()
    {
        var options = Bind([]);
        var services = new ServiceCollection();
        options.Register(services);
        using var provider = services.BuildServiceProvider();

        Assert.Same(options.Get<MonitorOptions>(), provider.GetRequiredService<MonitorOptions>());
        Assert.Same(options.Get<StorageOptions>(), provider.GetRequiredService<StorageOptions>());
        Assert.Same(options.Get<AlertOptions>(), provider.GetRequiredService<AlertOptions>());
    }
}
