using RoutingFlow.Capture.Tcp;
using RoutingFlow.Server.Tcp;

namespace RoutingFlow.Server.Network;

/// <summary>One capture's connection attempts from its captured handshakes, overall and per WAN.</summary>
public sealed record CaptureHandshakes(string Interface, string Role, string? Nic, long Attempts, long Successes, long Failures, long Refused,
    long TimedOut, int Pending, double? ErrorRate, int Active, SetupSeconds SetupSeconds, IReadOnlyList<WanHandshakes> Nics);

public sealed record WanHandshakes(string Nic, long Attempts, long Successes, long Refused, long TimedOut, double? ErrorRate);

public sealed record SetupSeconds(double? Mean, double? P50, double? P95);

public static class HandshakeViews
{
    /// <summary>Every capture's handshakes as of its analyzer's last publication (captures not published yet are left out).</summary>
    public static List<CaptureHandshakes> Of(TcpHealth health)
    {
        var list = new List<CaptureHandshakes>();
        foreach (var capture in health.Current())
        {
            if (capture.Latest is not { } s)
                continue;
            var c = s.Connections;
            var nics = s.PerNic.Where(n => n.Counters.ConnectAttempts > 0)
                .Select(n => new WanHandshakes(health.NicName(n.Nic) ?? "none", n.Counters.ConnectAttempts, n.Counters.ConnectSuccesses,
                    n.Counters.ConnectRefused, n.Counters.ConnectTimedOut, Rate(n.Counters.ConnectFailures, n.Counters.ConnectAttempts)))
                .ToList();
            list.Add(new CaptureHandshakes(capture.Interface, capture.Role, capture.Nic, c.Attempts, c.Successes, c.Failures, c.Refused, c.TimedOut,
                c.Pending, c.ErrorRate, s.ActiveFlows, new SetupSeconds(c.SetupMean, c.SetupP50, c.SetupP95), nics));
        }
        return list;
    }

    private static double? Rate(long failures, long attempts) => attempts > 0 ? 100.0 * failures / attempts : null;
}
