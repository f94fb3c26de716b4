namespace RoutingFlow.Capture.Probing;

/// <summary>How a target is probed: <c>window</c> (receive buffer / RTT), <c>download</c> (HTTP GET goodput) or <c>upload</c> (HTTP POST goodput).</summary>
public enum ProbeMethod
{
    Window,
    Download,
    Upload,
}

/// <summary>Which capacity of an interface an estimate is: rx (download, window) or tx (upload).</summary>
public enum ProbeDirection
{
    Rx,
    Tx,
}

public static class ProbeMethods
{
    public static ProbeDirection Direction(this ProbeMethod method) => method == ProbeMethod.Upload ? ProbeDirection.Tx : ProbeDirection.Rx;

    /// <summary>The lower-case name used in configuration, the API and the CLI.</summary>
    public static string Name(this ProbeMethod method) => method.ToString().ToLowerInvariant();

    public static string Name(this ProbeDirection direction) => direction.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out ProbeMethod method)
    {
        method = default;
        return text is not null && !int.TryParse(text, out _) && Enum.TryParse(text, ignoreCase: true, out method) && Enum.IsDefined(method);
    }
}
