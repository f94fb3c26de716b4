using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Mapping;

namespace RoutingFlow.Capture.Conntrack;

/// <summary>Which end of a connection is the host its bytes are counted on.</summary>
public static class ConnectionHosts
{
    /// <summary>
    /// The host a connection is accounted to: where a DNAT sent it (the reply's source differs from the original's
    /// destination: a port forward), else the local end that opened it, else the local end it was opened to.
    /// </summary>
    public static bool TryHost(in ConntrackEntry entry, IpClassifier classifier, NicMap map, out IpAddr host, out bool hostSendsOriginal)
    {
        var replySource = entry.Reply.Source;
        if (entry.Original.Destination != replySource)
        {
            host = replySource;
            hostSendsOriginal = false;
            return true;
        }
        host = entry.Original.Source;
        classifier.Classify(host, map, out var local, out _);
        hostSendsOriginal = true;
        if (local)
            return true;
        host = entry.Original.Destination;
        classifier.Classify(host, map, out local, out _);
        hostSendsOriginal = false;
        return local;
    }
}
