using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Conntrack;
using RoutingFlow.Capture.Mapping;

namespace RoutingFlow.Capture.Tests.Configuration;

public sealed class ConntrackOptionsTests
{
    private static readonly NicDeclaration[] Nics = [new("wan0", "eth0"), new("wan1", "eth1")];

    [Fact]
    public void TryBuild_MwanMarks_BecomeRulesInOrder()
    {
        var options = new RoutingFlowOptions();
        options.Mapping.Conntrack.Marks = [new() { Mark = "0x100", Mask = "0x3f00", Nic = "wan0" }, new() { Mark = "512", Mask = "0x3F00", Nic = "wan1" }];
        var errors = new List<string>();

        var settings = SettingsBuilder.TryBuild(options, Nics, () => null, errors);

        Assert.Empty(errors);
        Assert.Equal([new MarkRule(0x100, 0x3f00, 0), new MarkRule(0x200, 0x3f00, 1)], settings!.ConntrackMarks);
        Assert.Equal("auto", settings.ConntrackMode);
    }

    [Fact]
    public void TryBuild_BadConntrackOptions_NameEachKey()
    {
        var options = new RoutingFlowOptions();
        options.Mapping.Conntrack.Mode = "maybe";
        options.Mapping.Conntrack.MaxEntries = 10;
        options.Mapping.Conntrack.Marks = [new() { Mark = "0x1g", Nic = "wan0" }, new() { Mark = "0x100", Mask = "0xff", Nic = "wan0" }, new() { Mark = "1", Nic = "wan9" }];
        var errors = new List<string>();

        Assert.Null(SettingsBuilder.TryBuild(options, Nics, () => null, errors));

        Assert.Contains(errors, e => e.StartsWith("RoutingFlow:Mapping:Conntrack:Mode 'maybe' is not auto, on, off", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("RoutingFlow:Mapping:Conntrack:MaxEntries is 10", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("RoutingFlow:Mapping:Conntrack:Marks:0:Mark '0x1g' is not a 32-bit number", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("RoutingFlow:Mapping:Conntrack:Marks:1:Mark 0x100 has bits outside Mask 0xff", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("RoutingFlow:Mapping:Conntrack:Marks:2:Nic 'wan9' is not declared", StringComparison.Ordinal));
    }
}
