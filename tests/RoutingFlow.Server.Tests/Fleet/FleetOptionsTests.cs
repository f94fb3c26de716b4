using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Server.Fleet;

namespace RoutingFlow.Server.Tests.Fleet;

/// <summary><c>RoutingFlow:Fleet</c>: off by default, each bad value named with its key, and no WAN of its own needed in fleet mode.</summary>
public sealed class FleetOptionsTests
{
    [Fact]
    public void Default_IsOff_AndValid()
    {
        var errors = new List<string>();
        var options = new FleetOptions();

        options.Validate(new RoutingFlowOptions(), errors);

        Assert.False(options.Enabled);
        Assert.Empty(errors);
    }

    [Fact]
    public void BadValues_AreEachNamedWithTheirKey()
    {
        var errors = new List<string>();
        var options = new FleetOptions
        {
            Prometheus = new FleetPrometheusOptions { Url = "prometheus:9090", BearerToken = "t", Username = "u", Timeout = TimeSpan.Zero },
            Interval = TimeSpan.FromMilliseconds(10),
            RouterLabel = "router-name",
            Queries = new FleetQueries { ActualRx = " " },
        };

        options.Validate(new RoutingFlowOptions(), errors);

        Assert.Contains(errors, e => e.StartsWith("RoutingFlow:Fleet:Prometheus:Url 'prometheus:9090' is not an absolute http or https URL", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("RoutingFlow:Fleet:Prometheus:BearerToken and RoutingFlow:Fleet:Prometheus:Username are both set", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("RoutingFlow:Fleet:Prometheus:Timeout is", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("RoutingFlow:Fleet:Interval is", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("RoutingFlow:Fleet:RouterLabel 'router-name' is not a Prometheus label name", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("RoutingFlow:Fleet:Queries:ActualRx is empty", StringComparison.Ordinal));
        Assert.Equal(6, errors.Count);
    }

    [Fact]
    public void NoWanOfItsOwn_IsAnError_ButNotForAFleetServer()
    {
        var local = new List<string>();
        var fleet = new List<string>();

        NicFile.Parse("""{"nics":[]}""", "nic.json", local);
        NicFile.Parse("""{"nics":[]}""", "nic.json", fleet, allowNone: true);

        Assert.Equal("nic.json: declares no WAN (a server that only watches other routers sets RoutingFlow:Fleet:Prometheus:Url)", Assert.Single(local));
        Assert.Empty(fleet);
    }
}
