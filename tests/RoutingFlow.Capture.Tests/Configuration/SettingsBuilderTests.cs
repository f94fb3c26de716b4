using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Mapping;

namespace RoutingFlow.Capture.Tests.Configuration;

public class SettingsBuilderTests
{
    private static readonly NicDeclaration[] Nics = [new("wan0", "eth0"), new("wan1", "auto")];

    [Fact]
    public void TryBuild_Defaults_CaptureEveryWanAndResolveAuto()
    {
        var errors = new List<string>();
        var settings = SettingsBuilder.TryBuild(new RoutingFlowOptions(), Nics, () => "eth9", errors);

        Assert.Empty(errors);
        Assert.NotNull(settings);
        Assert.Equal([new CaptureSpec("eth0", CaptureRole.Wan, "wan0"), new CaptureSpec("eth9", CaptureRole.Wan, "wan1")], settings.Captures);
        Assert.Equal(5, settings.LocalNetworks.Count);
    }

    [Fact]
    public void TryBuild_ManyProblems_ReportsEveryOneWithItsKey()
    {
        var options = new RoutingFlowOptions();
        options.Capture.Interfaces.Add(new CaptureInterfaceOptions { Name = "lan0", Role = "lann" });
        options.Capture.Interfaces.Add(new CaptureInterfaceOptions { Name = "eth5", Role = "wan" });
        options.Capture.LocalNetworks.Add("10.0.0.0/33");
        options.Capture.SnapLength = 10;
        options.Mapping.Static.Add(new StaticMappingOptions { Cidr = "192.168.1.10/32", Nic = "wan7" });
        options.Mapping.DefaultNic = "wan9";
        options.Mapping.Url = "ftp://x";
        options.Network.MaxMessageTypes = 0;
        options.Network.MaxNames = -1;
        var errors = new List<string>();

        Assert.Null(SettingsBuilder.TryBuild(options, Nics, () => null, errors));
        Assert.Contains("RoutingFlow:Network:MaxMessageTypes is 0; it must be between 1 and 10000 message types", errors);
        Assert.Contains("RoutingFlow:Network:MaxNames is -1; it must be between 1 and 10000000 names", errors);
        Assert.Contains(errors, e => e.StartsWith("RoutingFlow:Capture:Interfaces:0:Role 'lann'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("RoutingFlow:Capture:Interfaces:1:Role is 'wan' but no WAN", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("RoutingFlow:Capture:LocalNetworks:0:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("RoutingFlow:Capture:SnapLength is 10", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("RoutingFlow:Mapping:Static:0:Nic 'wan7'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("RoutingFlow:Mapping:DefaultNic 'wan9'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("RoutingFlow:Mapping:Url 'ftp://x'", StringComparison.Ordinal));
        Assert.Equal(9, errors.Count);
    }

    [Fact]
    public void TryBuild_StaticMapping_IsInTheMap()
    {
        var options = new RoutingFlowOptions();
        options.Mapping.Static.Add(new StaticMappingOptions { Cidr = "192.168.1.0/24", Nic = "wan1" });
        var errors = new List<string>();

        var settings = SettingsBuilder.TryBuild(options, Nics, () => "eth1", errors);

        Assert.NotNull(settings);
        Assert.Equal("static", Assert.Single(settings.StaticMap.Entries).Source);
        Assert.Equal("wan0", settings.StaticMap.DefaultNic);
    }

    [Fact]
    public void TryBuild_TwoWansOnOneInterfaceAfterAuto_IsAnError()
    {
        var errors = new List<string>();

        Assert.Null(SettingsBuilder.TryBuild(new RoutingFlowOptions(), [new("wan0", "auto"), new("wan1", "eth1")], () => "eth1", errors));
        Assert.Contains(errors, e => e.Contains("wan0 and wan1 are on the same interface 'eth1'", StringComparison.Ordinal));
    }
}
