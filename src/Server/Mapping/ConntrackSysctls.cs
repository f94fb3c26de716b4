namespace RoutingFlow.Server.Mapping;

/// <summary>
/// The kernel switches conntrack attribution depends on, in this network namespace: byte counting per connection
/// (<c>nf_conntrack_acct</c>, for the conntrack backend) and events (<c>nf_conntrack_events</c>, which keep the table
/// current between full reads). Each is turned on when it is off and RoutingFlow may; otherwise the text says how.
/// </summary>
public static class ConntrackSysctls
{
    public const string Accounting = "nf_conntrack_acct";
    public const string Events = "nf_conntrack_events";
    private const string Directory = "/proc/sys/net/netfilter/";

    /// <summary>True when <paramref name="name"/> is (now) on; <paramref name="text"/> says how it is for /status and the log.</summary>
    public static bool EnsureOn(string name, out string text)
    {
        var path = Directory + name;
        try
        {
            if (File.ReadAllText(path).Trim() != "0") // events: 1 on, 2 on while someone listens
            {
                text = "on";
                return true;
            }
            File.WriteAllText(path, "1");
            text = $"on (turned on by RoutingFlow: net.netfilter.{name}=1)";
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            text = $"off and cannot be turned on ({e.Message}): run 'sysctl -w net.netfilter.{name}=1' as root";
            return false;
        }
    }
}
