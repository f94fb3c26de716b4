using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Mapping;

namespace RoutingFlow.Capture.Accounting;

/// <summary>
/// The WAN a conversation between two addresses belongs to, by the accounting's rule: on a <c>wan</c> interface, that
/// interface's WAN; on a <c>lan</c> interface, the WAN the mapping gives the local end when exactly one end is local
/// (traffic between two local or two remote addresses is no WAN's). <see cref="None"/> attributes nothing (offline).
/// </summary>
public sealed class WanAttribution(CaptureRole role, byte wanNic, IpClassifier? classifier, NicMapHolder? mapping)
{
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
