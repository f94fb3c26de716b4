using System.Security.Claims;
using RoutingFlow.Web.Devices;
using RoutingFlow.Web.Security;

namespace RoutingFlow.Web.Tests.Devices;

/// <summary>A devices feed and control the test drives; attach and detach are recorded.</summary>
public sealed class FakeDeviceFeed : IDeviceFeed, IDeviceControl
{
    public event Action? Changed;

    public DevicesPageView View { get; set; } = DevicesPageView.Empty;

    public List<string> Actions { get; } = [];

    public DevicesPageView Current() => View;

    public void RaiseChanged() => Changed?.Invoke();

    public Task<string?> AttachAsync(ClaimsPrincipal user, string name) => Act(user, $"attach {name}");

    public Task<string?> DetachAsync(ClaimsPrincipal user, string name) => Act(user, $"detach {name}");

    private Task<string?> Act(ClaimsPrincipal user, string action)
    {
        if (!DashboardAccess.CanControl(user))
            return Task.FromResult<string?>("not allowed");
        Actions.Add(action);
        return Task.FromResult<string?>(null);
    }

    public static DevicesPageView OneAttached(int connections) => new(
        [new DeviceRowView("eth0", false), new DeviceRowView("veth0", true)],
        [new AttachedDeviceView("veth0", 7, true, "running", null, 1234, 99_000, 3, 0,
            Enumerable.Range(0, connections).Select(i => new ConnectionRowView($"connection_{i}", 40000 + i, 443, i % 2 == 0 ? "ingress" : "egress", "TCP",
                DateTimeOffset.UnixEpoch.AddSeconds(1_764_676_800 + i), 10 + i, 1000 + i)).ToList())]);
}
