using System.Security.Claims;

namespace RoutingFlow.Web.Devices;

/// <summary>The devices page's source: the system's interfaces, the attached ones and their connection counters.</summary>
public interface IDeviceFeed
{
    /// <summary>Raised (on a worker thread) about once a second while devices are attached.</summary>
    event Action? Changed;

    DevicesPageView Current();
}

/// <summary>Attaching and detaching from the dashboard, for a user allowed to (see <see cref="Security.DashboardAccess"/>).</summary>
public interface IDeviceControl
{
    /// <summary>Null when done; otherwise why not (not allowed, no such interface, not attached).</summary>
    Task<string?> AttachAsync(ClaimsPrincipal user, string name);

    Task<string?> DetachAsync(ClaimsPrincipal user, string name);
}

/// <param name="Kernel">The kernel counting programs (the eBPF backend); null while the backend is pcap.</param>
public sealed record DevicesPageView(IReadOnlyList<DeviceRowView> Interfaces, IReadOnlyList<AttachedDeviceView> Attached, KernelCountersView? Kernel = null)
{
    public static DevicesPageView Empty { get; } = new([], []);
}

/// <summary>One interface of the system and whether it is attached.</summary>
public sealed record DeviceRowView(string Name, bool Attached);

/// <summary>The kernel's programs: <c>running</c> or <c>failed</c> (the error and its fix), and the connection and host maps' fill and LRU evictions.</summary>
/// <param name="Backend">What counts the devices: <c>ebpf</c>, or <c>pcap</c> (under <c>auto</c> after a failed load).</param>
public sealed record KernelCountersView(string Backend, string State, string? Error, string? Fix, int Entries, int MaxEntries, long Evictions = 0,
    int HostEntries = 0, int HostMaxEntries = 0, long HostEvictions = 0);

/// <summary>An attached device, its capture's state and its connection counters.</summary>
/// <param name="CountedBy">What counts it: <c>ebpf</c> (the kernel), <c>wan</c>/<c>lan</c> (its own capture), <c>any</c> (the shared capture).</param>
public sealed record AttachedDeviceView(string Name, int? Ifindex, bool? Veth, string State, string? Error, long Packets, long Bytes,
    long OtherPackets, long Evictions, IReadOnlyList<ConnectionRowView> Connections, string CountedBy = "");

public sealed record ConnectionRowView(string Id, int SrcPort, int DstPort, string Direction, string Protocol, DateTimeOffset LastActive, long Packets, long Bytes);
