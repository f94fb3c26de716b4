namespace RoutingFlow.Capture.Conntrack;

/// <summary>The connection tracking table cannot be read: <see cref="Reason"/> says why and <see cref="Fix"/> what to do.</summary>
public sealed class ConntrackUnavailableException(string reason, string fix) : Exception($"{reason}; {fix}")
{
    public const string FixModule = "load it with 'modprobe nf_conntrack nf_conntrack_netlink' (add both to /etc/modules-load.d to keep them)";
    public const string FixPermission = "run RoutingFlow as root or give it CAP_NET_ADMIN (systemd: AmbientCapabilities=CAP_NET_ADMIN)";

    public string Reason { get; } = reason;

    public string Fix { get; } = fix;

    /// <summary>The words and fix for a failed netlink step.</summary>
    public static ConntrackUnavailableException From(string step, int errno) => errno switch
    {
        NetlinkErrors.Eperm or NetlinkErrors.Eacces =>
            new($"{step}: permission missing ({NetlinkErrors.Describe(errno)})", FixPermission),
        NetlinkErrors.Eafnosupport or NetlinkErrors.Eprotonosupport or NetlinkErrors.Eopnotsupp or NetlinkErrors.Enoent =>
            new($"{step}: the kernel's connection tracking is not available ({NetlinkErrors.Describe(errno)})", FixModule),
        _ => new($"{step}: {NetlinkErrors.Describe(errno)}", "check the kernel log; RoutingFlow tries again"),
    };
}
