using Microsoft.Extensions.DependencyInjection;
using RoutingFlow.Capture.Tcp;
using RoutingFlow.Web.Components.Pages;
using RoutingFlow.Web.Hosts;

namespace RoutingFlow.Web.Tests.Components.Pages;

public class HostDetailTests : MudBlazorTestContext
{
    private readonly FakeHostReader _hosts = new();

    public HostDetailTests() => Services.AddSingleton<IHostReader>(_hosts);

    private static HostView Host(params HostDeviceView[] devices) => new("192.168.50.11", ["nas.lab"], 876_932_923, 1_000,
        [new HostWanView("wan1", 876_932_923, 1_000, 1.0)], [], [], [],
        [new TcpFlowRow("lan0", "wan1", "192.168.50.11", 40000, "192.0.2.100", 5201, "tcp", 10, 10_000, 0, 0, 0, 0, 0, null, null, null, false)])
    {
        Devices = devices,
    };

    [Fact]
    public void HostDetail_ShowsTheDeviceCountersOfItsFlows()
    {
        _hosts.Report = Host(new HostDeviceView("veth-h2", "tcp", 5201, 40000, "ingress", 9_000, 876_000_000));

        var cut = Render<HostDetail>(p => p.Add(c => c.Ip, "192.168.50.11"));

        var row = cut.WaitForElement("[data-testid=host-device]");
        Assert.Equal(["veth-h2", "tcp", "5201", "40000", "ingress", "9000", "835 MiB"], row.QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        Assert.Single(cut.FindAll("[data-testid=host-flow]"));
    }

    [Fact]
    public void HostDetail_NoDeviceCounters_NoTable()
    {
        _hosts.Report = Host();

        var cut = Render<HostDetail>(p => p.Add(c => c.Ip, "192.168.50.11"));

        cut.WaitForElement("[data-testid=host-flow]");
        Assert.Empty(cut.FindAll("[data-testid=host-devices]"));
    }

    private sealed class FakeHostReader : IHostReader
    {
        public HostView? Report { get; set; }

        public Task<HostView?> HostAsync(string ip, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) => Task.FromResult(Report);

        public Task<IReadOnlyList<HostMatchView>> SearchAsync(string query, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<HostMatchView>>([]);
    }
}
