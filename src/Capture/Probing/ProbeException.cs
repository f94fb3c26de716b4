namespace RoutingFlow.Capture.Probing;

/// <summary>A probe failed for <see cref="Reason"/>; <see cref="Exception.Message"/> says what happened, plainly.</summary>
public sealed class ProbeException : Exception
{
    public ProbeException()
        : this(ProbeFailureReason.Error, "probe failed")
    {
    }

    public ProbeException(string message)
        : this(ProbeFailureReason.Error, message)
    {
    }

    public ProbeException(string message, Exception inner)
        : this(ProbeFailureReason.Error, message, inner)
    {
    }

    public ProbeException(ProbeFailureReason reason, string message, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
    }

    public ProbeFailureReason Reason { get; }
}

/// <summary>Why a probe failed: the <c>reason</c> label of <c>tcp_traffic_scan_probe_failures_total</c>.</summary>
public enum ProbeFailureReason
{
    /// <summary>The interface does not exist, or the socket could not be bound to it.</summary>
    Interface,

    /// <summary>The server's name did not resolve.</summary>
    Resolve,

    /// <summary>The connection was refused (nothing listens on the port).</summary>
    Refused,

    /// <summary>The connection was not established within ConnectTimeout (or the network is unreachable).</summary>
    Unreachable,

    /// <summary>Connected, but the server did not answer in time.</summary>
    Timeout,

    /// <summary>The server closed or reset the connection before the transfer was done.</summary>
    Closed,

    /// <summary>The server answered with an HTTP error status.</summary>
    Http,

    /// <summary>The transfer was too short to measure.</summary>
    NoData,

    /// <summary>Anything else.</summary>
    Error,
}

public static class ProbeFailureReasons
{
    /// <summary>The metric label: <c>interface</c>, <c>resolve</c>, <c>refused</c>, <c>unreachable</c>, <c>timeout</c>, <c>closed</c>, <c>http</c>, <c>no_data</c>, <c>error</c>.</summary>
    public static string Label(this ProbeFailureReason reason) => reason switch
    {
        ProbeFailureReason.NoData => "no_data",
        _ => reason.ToString().ToLowerInvariant(),
    };
}
