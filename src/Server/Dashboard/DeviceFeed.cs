using RoutingFlow.Server.Devices;
using System.Security.Claims;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Connections;
using RoutingFlow.Server.Capture;
using RoutingFlow.Web.Devices;
using RoutingFlow.Web.Security;

namespace RoutingFlow.Server.Dashboard;

/// <summary>The devices page's view of <see cref="DeviceRegistry"/>, a tick a second, and its attach/detach control.</summary>
public sealed class DeviceFeed(DeviceRegistry registry, InterfaceWatcher interfaces, Security.SecurityOptions security, TimeProvider time, Security.AuditLog audit)
    : IDeviceFeed, IDeviceControl, IHostedService, IDisposable
{
    private ITimer? _timer;

    public event Action? Changed;

    public DevicesPageView Current()
    {
        var attached = registry.Devices.Select(View).ToList();
        var names = attached.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var (k, p) = (registry.Kernel, registry.Programs);
        var kernel = p.State == "off" ? null : new KernelCountersView(k.Active ? "ebpf" : "pcap", p.State, p.Error, p.Fix, k.Entries, p.MaxConnections,
            p.ConnectionFill.Evictions, p.HostFill.Entries, p.MaxHosts, p.HostFill.Evictions);
        return new DevicesPageView(interfaces.Current.Names.Select(n => new DeviceRowView(n, names.Contains(n))).ToList(), attached, kernel);
    }

    public Task<string?> AttachAsync(ClaimsPrincipal user, string name)
    {
        var error = Refused(user) ?? (DeviceInfo.IsValidName(name) && registry.Attach(name) != AttachResult.Missing ? null : $"interface '{name}' does not exist");
        audit.Record(user, $"attach device {name}", error);
        return Task.FromResult(error);
    }

    public Task<string?> DetachAsync(ClaimsPrincipal user, string name)
    {
        var error = Refused(user) ?? (registry.Detach(name) ? null : $"interface '{name}' is not attached");
        audit.Record(user, $"detach device {name}", error);
        return Task.FromResult(error);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = time.CreateTimer(_ => { if (registry.Devices.Count > 0) Changed?.Invoke(); }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _timer?.DisposeAsync().AsTask() ?? Task.CompletedTask;

    public void Dispose() => _timer?.Dispose();

    private string? Refused(ClaimsPrincipal user) =>
        DashboardAccess.CanControl(user) && DashboardAccess.StillValid(user, time.GetUtcNow()) ? null
            : DashboardAccess.Refusal(security.KeyConfigured);

    private static AttachedDeviceView View(AttachedDevice d)
    {
        var view = DeviceViews.View(d);
        var rows = (d.Latest?.Counts.Entries ?? []).Select(Row).ToList();
        return new AttachedDeviceView(view.Name, view.Ifindex, view.Veth, view.State, view.Error, view.Packets, view.Bytes, view.OtherPackets,
            view.Evictions, rows, view.Capture);
    }

    private static ConnectionRowView Row(ConnectionEntry e) => new($"connection_{e.Key.Id}", e.Key.SourcePort, e.Key.DestinationPort,
        e.Key.Direction == ConnectionDirection.Egress ? "egress" : "ingress", e.Key.Protocol == ConnectionProtocol.Tcp ? "TCP" : "UDP",
        DateTimeOffset.FromUnixTimeMilliseconds(e.LastActiveMicros / 1000), e.Packets, e.Bytes);
}
