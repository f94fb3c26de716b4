using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Mapping;

namespace RoutingFlow.Capture.Tests.Configuration;

/// <summary><c>Capture:Backend</c> and <c>Capture:PacketAnalysis</c>: which combinations start, and what the others are told.</summary>
public sealed class BackendOptionsTests
{
    private static readonly NicDeclaration[] Nics = [new("wan0", "eth0")];

    [Theory]
    [InlineData("pcap", true)]
    [InlineData("conntrack", true)]
    [InlineData("ebpf", true)]
    [InlineData("auto", true)]
    [InlineData("ebpf", false)]
    [InlineData("auto", false)]
    public void TryBuild_ValidBackends_Start(string backend, bool packetAnalysis)
    {
        var options = new RoutingFlowOptions();
        (options.Capture.Backend, options.Capture.PacketAnalysis) = (backend, packetAnalysis);
        var errors = new List<string>();

        Assert.NotNull(SettingsBuilder.TryBuild(options, Nics, () => null, errors));
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("bpf", true, "RoutingFlow:Capture:Backend 'bpf' is not pcap, conntrack, ebpf or auto")]
    [InlineData("pcap", false, "RoutingFlow:Capture:PacketAnalysis=false leaves the counting to the kernel: it needs Capture:Backend ebpf or auto, not pcap")]
    [InlineData("conntrack", false, "RoutingFlow:Capture:PacketAnalysis=false leaves the counting to the kernel: it needs Capture:Backend ebpf or auto, not conntrack")]
    public void TryBuild_ABadCombination_IsNamed(string backend, bool packetAnalysis, string error)
    {
        var options = new RoutingFlowOptions();
        (options.Capture.Backend, options.Capture.PacketAnalysis) = (backend, packetAnalysis);
        var errors = new List<string>();

        Assert.Null(SettingsBuilder.TryBuild(options, Nics, () => null, errors));
        Assert.Equal([error], errors);
    }
}
