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
