namespace RoutingFlow.Capture.Configuration;

/// <summary><c>RoutingFlow:Network</c>: the network monitor (the router's own sockets and the kernel's protocol counters).</summary>
public sealed class NetworkOptions
{
    /// <summary>
    /// Directory of the socket tables and counters to read: the server's own namespace by default; another
    /// namespace's through a process in it (<c>/proc/PID/net</c>).
    /// </summary>
    public string ProcNet { get; set; } = "/proc/net";

    /// <summary>How long a captured connection attempt (SYN) waits for a SYN/ACK before it counts as a failure.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the socket tables and counters are read; a file that fails is tried again with a growing back-off.</summary>
    public TimeSpan SocketScanInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the interfaces' counters (<c>/proc/net/dev</c>) are read for their rates and the captures' coverage.</summary>
    public TimeSpan InterfaceScanInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Interfaces reported (by name order); the rest are left out (counted), so that thousands of veths cannot flood /metrics.</summary>
    public int MaxInterfaces { get; set; } = 256;

    /// <summary>The window over which a capture's coverage (its bytes against its interface's counters) is taken.</summary>
    public TimeSpan CoverageWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest back-off of a file that keeps failing.</summary>
    public TimeSpan MaxRetryInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Message types (protocol, message, detail: an HTTP method or status, a TLS version …) each capture counts apart;
    /// those first seen past it are counted under <c>other</c>, so that the metrics' labels stay bounded.
    /// </summary>
    public int MaxMessageTypes { get; set; } = 100;

    /// <summary>Remote addresses the name cache holds (names from DNS answers and TLS server names); past it the oldest are dropped (counted).</summary>
    public int MaxNames { get; set; } = 16_384;
}

/// <summary>Validates <c>RoutingFlow:Network</c>; every problem is reported with its key.</summary>
internal static class NetworkChecks
{
    public static void Check(NetworkOptions network, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(network.ProcNet))
            errors.Add($"{RoutingFlowOptions.Section}:Network:ProcNet is empty (the default is /proc/net)");
        ConfigChecks.Span(errors, "Network:ConnectTimeout", network.ConnectTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        ConfigChecks.Span(errors, "Network:SocketScanInterval", network.SocketScanInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        ConfigChecks.Span(errors, "Network:InterfaceScanInterval", network.InterfaceScanInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        ConfigChecks.Range(errors, "Network:MaxInterfaces", network.MaxInterfaces, 1, 100_000, "interfaces");
        ConfigChecks.Span(errors, "Network:CoverageWindow", network.CoverageWindow, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1));
        ConfigChecks.Span(errors, "Network:MaxRetryInterval", network.MaxRetryInterval, network.SocketScanInterval, TimeSpan.FromDays(1));
        ConfigChecks.Range(errors, "Network:MaxMessageTypes", network.MaxMessageTypes, 1, 10_000, "message types");
        ConfigChecks.Range(errors, "Network:MaxNames", network.MaxNames, 1, 10_000_000, "names");
    }
}
