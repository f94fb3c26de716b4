using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Capture.Probing;

namespace RoutingFlow.Capture.Tests.Configuration;

public class ProbeSettingsBuilderTests
{
    private static readonly NicDeclaration[] Nics = [new("wan0", "eth0"), new("wan1", "eth1")];

    private static RoutingFlowSettings? Build(RoutingFlowOptions options, List<string> errors) =>
        SettingsBuilder.TryBuild(options, Nics, () => null, errors);

    [Fact]
    public void Defaults_ProbeNothing_OnTheWanInterfaces()
    {
        var errors = new List<string>();
        var settings = Build(new RoutingFlowOptions(), errors);

        Assert.Empty(errors);
        Assert.False(settings!.Probe.Enabled);
        Assert.Empty(settings.Probe.Targets);
        Assert.Equal([new ProbeInterface("eth0", "wan0"), new ProbeInterface("eth1", "wan1")], settings.Probe.Interfaces);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.Probe.IntervalOf(ProbeMethod.Window));
        Assert.Equal(TimeSpan.FromMinutes(5), settings.Probe.IntervalOf(ProbeMethod.Download));
        Assert.Equal(TimeSpan.FromMinutes(5), settings.Probe.IntervalOf(ProbeMethod.Upload));
        Assert.Equal(new ProbeTiming(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3), 25_000_000, 0.2), settings.Probe.Timing);
    }

    [Fact]
    public void Targets_EachMethod_IsResolved()
    {
        var options = new RoutingFlowOptions();
        options.Probe.Targets.Add(new ProbeTargetOptions { Server = "1.1.1.1" });
        options.Probe.Targets.Add(new ProbeTargetOptions { Server = "isp", Url = "http://198.51.100.1:8080/bytes", Method = "Download" });
        options.Probe.Targets.Add(new ProbeTargetOptions { Url = "http://sink.example/sink", Method = "upload" });
        options.Probe.Interfaces.Add("eth1");
        options.Probe.Interfaces.Add("ppp0");
        var errors = new List<string>();

        var probe = Build(options, errors)!.Probe;

        Assert.Empty(errors);
        Assert.True(probe.Enabled);
        Assert.Equal(new ProbeTarget("1.1.1.1", ProbeMethod.Window, 443, null), probe.Targets[0]);
        Assert.Equal(("isp", ProbeMethod.Download, "198.51.100.1", 8080), (probe.Targets[1].Server, probe.Targets[1].Method, probe.Targets[1].Host, probe.Targets[1].ConnectPort));
        Assert.Equal(("sink.example", ProbeDirection.Tx, 80), (probe.Targets[2].Server, probe.Targets[2].Direction, probe.Targets[2].ConnectPort));
        Assert.Equal([new ProbeInterface("eth1", "wan1"), new ProbeInterface("ppp0", null)], probe.Interfaces);
    }

    [Fact]
    public void ManyProblems_AreEachReportedWithTheirKey()
    {
        var options = new RoutingFlowOptions();
        options.Probe.Targets.Add(new ProbeTargetOptions { Server = "x", Method = "ping" });
        options.Probe.Targets.Add(new ProbeTargetOptions { Method = "window", Port = 70000 });
        options.Probe.Targets.Add(new ProbeTargetOptions { Server = "s", Url = "ftp://x/f", Method = "download" });
        options.Probe.Targets.Add(new ProbeTargetOptions { Server = "1.1.1.1", Url = "http://x/", Method = "window" });
        options.Probe.Targets.Add(new ProbeTargetOptions { Server = "8.8.8.8" });
        options.Probe.Targets.Add(new ProbeTargetOptions { Server = "8.8.8.8", Port = 443 });
        options.Probe.Interfaces.AddRange(["eth0", "", "eth0"]);
        options.Probe.Interval.Window = TimeSpan.Zero;
        options.Probe.Duration = TimeSpan.FromHours(1);
        options.Probe.MaxBytes = 10;
        options.Probe.DiscardFirst = 1;
        options.Probe.Smoothing = 0;
        options.Probe.CorrectionFactor = double.NaN;
        options.DataDirectory = " ";
        var errors = new List<string>();

        Assert.Null(Build(options, errors));

        string[] expected =
        [
            "RoutingFlow:Probe:Targets:0:Method 'ping' is not window, download or upload",
            "RoutingFlow:Probe:Targets:1:Server is empty",
            "RoutingFlow:Probe:Targets:1:Port is 70000",
            "RoutingFlow:Probe:Targets:2:Url 'ftp://x/f' is not an absolute http(s) URL",
            "RoutingFlow:Probe:Targets:3:Url is set but Method is window",
            "RoutingFlow:Probe:Targets:5 repeats target 4",
            "RoutingFlow:Probe:Interfaces:1 is empty",
            "RoutingFlow:Probe:Interfaces:2 'eth0' is listed twice",
            "RoutingFlow:Probe:Interval:Window is 00:00:00",
            "RoutingFlow:Probe:Duration is 01:00:00",
            "RoutingFlow:Probe:MaxBytes is 10",
            "RoutingFlow:Probe:DiscardFirst is 1",
            "RoutingFlow:Probe:Smoothing is 0",
            "RoutingFlow:Probe:CorrectionFactor is NaN",
            "RoutingFlow:DataDirectory is empty",
        ];
        foreach (var prefix in expected)
            Assert.True(errors.Any(e => e.StartsWith(prefix, StringComparison.Ordinal)), $"no '{prefix}' in:\n{string.Join('\n', errors)}");
        Assert.Equal(expected.Length, errors.Count);
    }
}
