using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Mapping;

namespace RoutingFlow.Capture.Accounting;

/// <summary>
/// The WAN a conversation between two addresses belongs to, by the accounting's rule: on a <c>wan</c> interface, that
/// interface's WAN; on a <c>lan</c> interface, the WAN the mapping gives the local end when exactly one end is local
/// (traffic between two local or two remote addresses is no WAN's). With conntrack (<paramref name="connections"/>), a
/// tracked connection seen on a <c>lan</c> interface belongs to its connection's WAN, as the accounting counts it.
/// <see cref="None"/> attributes nothing (offline).
/// </summary>
public sealed class WanAttribution(CaptureRole role, byte wanNic, IpClassifier? classifier, NicMapHolder? mapping,
    Conntrack.ConnectionAttribution? connections = null)
{
    /// <summary>
    /// The WAN of <paramref name="packet"/>'s conversation at a flow's first packet: its connection's when conntrack
    /// already tracks it (its NEW event usually arrives before the capture hands over the SYN), else by the addresses.
    /// </summary>
    /// <param name="pending">True when conntrack is in use but does not know the connection yet: worth asking again (<see cref="TryConnection"/>).</param>
    public byte Of(in Decoding.DecodedPacket packet, out bool pending)
    {
        pending = false;
        if (TryConnection(packet, out var nic))
            return nic;
        pending = role == CaptureRole.Lan && connections is { Table.Active: true };
        return Of(packet.Ip.Source, packet.Ip.Destination);
    }

    /// <summary>The WAN of <paramref name="packet"/>'s tracked connection, when conntrack knows it and its rules chose one.</summary>
    public bool TryConnection(in Decoding.DecodedPacket packet, out byte nic)
    {
        nic = TrafficKey.NoNic;
        if (role != CaptureRole.Lan || connections is null || classifier is null || mapping is null
            || !connections.TryResolve(packet, classifier, mapping.Current, out var owner) || owner.Nic == TrafficKey.NoNic)
            return false;
        nic = owner.Nic;
        return true;
    }

    public static WanAttribution None { get; } = new(CaptureRole.Lan, TrafficKey.NoNic, null, null);

    public byte Of(in IpAddr a, in IpAddr b)
    {
        if (role == CaptureRole.Wan)
            return wanNic;
        if (classifier is null || mapping is null)
            return TrafficKey.NoNic;
        var map = mapping.Current;
        classifier.Classify(a, map, out var aLocal, out var aNic);
        classifier.Classify(b, map, out var bLocal, out var bNic);
        return aLocal == bLocal ? TrafficKey.NoNic : aLocal ? aNic : bNic;
    }
}
