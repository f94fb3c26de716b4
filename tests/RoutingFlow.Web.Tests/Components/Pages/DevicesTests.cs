using RoutingFlow.Web.Security;
using RoutingFlow.Web.Tests.Devices;

namespace RoutingFlow.Web.Tests.Components.Pages;

public class DevicesTests : MudBlazorTestContext
{
    [Fact]
    public void Devices_ListsTheInterfaces_AndAnAttachedDevicesConnections()
    {
        DeviceFeed.View = FakeDeviceFeed.OneAttached(connections: 3);

        var cut = Render<RoutingFlow.Web.Components.Pages.Devices>();

        Assert.NotNull(cut.Find("[data-testid=interface-eth0]"));
        var device = cut.Find("[data-testid=device-veth0]");
        Assert.Contains("ifindex 7 · veth", device.TextContent, StringComparison.Ordinal);
        Assert.Equal("1234 packets · 3 connections · 3 other · 0 evicted", device.QuerySelector("[data-testid=device-totals]")!.TextContent);
        Assert.NotNull(device.QuerySelector("[data-testid=connections]"));
        Assert.NotNull(cut.Find("[data-testid=devices-signin]")); // an anonymous user is asked to sign in
    }

    [Fact]
    public void Devices_CountedByTheKernel_SayThatAndTheMapsFill()
    {
        var view = FakeDeviceFeed.OneAttached(connections: 2);
        DeviceFeed.View = view with
        {
            Attached = [view.Attached[0] with { CountedBy = "ebpf" }],
            Kernel = new RoutingFlow.Web.Devices.KernelCountersView("ebpf", "running", null, null, 1234, 65536, 17, 300, 65536, 2),
        };

        var cut = Render<RoutingFlow.Web.Components.Pages.Devices>();

        var text = cut.Find("[data-testid=kernel-counters]").TextContent;
        Assert.Contains("connection map 1,234 of 65,536 entries (17 evicted for want of room)", text, StringComparison.Ordinal);
        Assert.Contains("host map 300 of 65,536 (2 evicted)", text, StringComparison.Ordinal);
        Assert.Equal("counted by the kernel (eBPF)", cut.Find("[data-testid=device-veth0] [data-testid=device-counted-by]").TextContent);
    }

    [Fact]
    public void Devices_TheKernelFailedUnderAuto_ShowsTheErrorItsFix_AndThatLibpcapCounts()
    {
        var view = FakeDeviceFeed.OneAttached(connections: 1);
        DeviceFeed.View = view with
        {
            Attached = [view.Attached[0] with { CountedBy = "any" }],
            Kernel = new RoutingFlow.Web.Devices.KernelCountersView("pcap", "failed", "loading the counting programs into the kernel failed: Operation not permitted (errno 1)",
                "loading and attaching BPF programs needs root, or CAP_BPF, CAP_NET_ADMIN and CAP_PERFMON", 0, 65536),
        };

        var cut = Render<RoutingFlow.Web.Components.Pages.Devices>();

        var alert = cut.Find("[data-testid=kernel-counters]").TextContent;
        Assert.Contains("Operation not permitted", alert, StringComparison.Ordinal);
        Assert.Contains("Fix: loading and attaching BPF programs needs root, or CAP_BPF", alert, StringComparison.Ordinal);
        Assert.Contains("Meanwhile libpcap counts the devices.", alert, StringComparison.Ordinal);
        Assert.Equal("counted by the shared capture", cut.Find("[data-testid=device-counted-by]").TextContent);
    }

    [Fact]
    public void Devices_ForAUserWithControl_AttachesAndDetaches()
    {
        DeviceFeed.View = FakeDeviceFeed.OneAttached(connections: 1);
        Authorization.SetAuthorized("loopback").SetClaims(new System.Security.Claims.Claim(DashboardAccess.ControlClaim, "true"));

        var cut = Render<RoutingFlow.Web.Components.Pages.Devices>();
        cut.Find("[data-testid=toggle-eth0]").Click();
        cut.Find("[data-testid=toggle-veth0]").Click();

        Assert.Equal(["attach eth0", "detach veth0"], DeviceFeed.Actions);
    }

    [Fact]
    public void Devices_NoneAttached_SaysSo()
    {
        DeviceFeed.View = new([new RoutingFlow.Web.Devices.DeviceRowView("eth0", false)], []);

        var cut = Render<RoutingFlow.Web.Components.Pages.Devices>();

        Assert.NotNull(cut.Find("[data-testid=devices-none]"));
    }
}
