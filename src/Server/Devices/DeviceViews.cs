namespace RoutingFlow.Server.Devices;

/// <summary><c>GET /api/devices</c>: the attached devices, and every interface of the system with whether it is attached.</summary>
public sealed record DevicesView(IReadOnlyList<DeviceView> Devices, IReadOnlyList<InterfaceView> Interfaces, string StateFile, string? StateFileError);

/// <param name="Capture">What counts it: <c>wan</c>/<c>lan</c> (its own capture), <c>any</c> (the shared capture), or <c>ebpf</c> (the kernel's programs).</param>
public sealed record DeviceView(string Name, int? Ifindex, bool? Veth, string State, string? Error, long Packets, long Bytes, long OtherPackets,
    long Drops, int Entries, long Evictions, long Expired, string Capture);

public sealed record InterfaceView(string Name, bool Attached);

public static class DeviceViews
{
    public static DevicesView List(DeviceRegistry registry)
    {
        var devices = registry.Devices.Select(View).ToList();
        var attached = devices.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        var interfaces = DeviceInfo.All().Select(n => new InterfaceView(n, attached.Contains(n))).ToList();
        return new DevicesView(devices, interfaces, registry.StatePath, registry.SaveError);
    }

    public static DeviceView View(AttachedDevice d)
    {
        var counts = d.Latest?.Counts;
        var pcap = d.Latest?.Pcap;
        return new DeviceView(d.Interface, d.Device?.IfIndex, d.Device?.IsVeth, d.State.ToString().ToLowerInvariant(), d.Error,
            counts?.Totals.Packets ?? 0, counts?.Totals.Bytes ?? 0, counts?.Totals.OtherPackets ?? 0,
            (pcap?.Dropped ?? 0) + (pcap?.InterfaceDropped ?? 0), counts?.Entries.Count ?? 0, counts?.Evictions ?? 0, counts?.Expired ?? 0,
            d.CountedByKernel ? "ebpf" : d.Feed is Capture.CaptureSession session ? session.Spec.Role.ToString().ToLowerInvariant() : SharedDeviceCapture.AnyDevice);
    }
}
