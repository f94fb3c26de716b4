namespace RoutingFlow.Capture.Probing;

/// <summary>
/// A validated probe target. <see cref="Server"/> names it (the <c>server_ip</c> label and the log line); a window
/// target connects to <see cref="Server"/>:<see cref="Port"/>, an HTTP target to <see cref="Url"/>.
/// </summary>
public sealed record ProbeTarget(string Server, ProbeMethod Method, int Port, Uri? Url)
{
    public const int DefaultPort = 443;

    /// <summary>The host to resolve and connect to.</summary>
    public string Host => Url?.IdnHost ?? Server;

    /// <summary>The port to connect to.</summary>
    public int ConnectPort => Url?.Port ?? Port;

    public ProbeDirection Direction => Method.Direction();

    public override string ToString() => Url is null ? $"{Method.Name()} {Server}:{Port}" : $"{Method.Name()} {Server} ({Url})";
}
