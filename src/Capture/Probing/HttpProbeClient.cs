using System.Net;
using System.Net.Sockets;

namespace RoutingFlow.Capture.Probing;

/// <summary>
/// An HttpClient whose one connection is opened by a <see cref="ProbeConnector"/> (bound to the interface) and
/// kept at hand, so the probe can read its TCP_INFO. One per probe: every probe starts a fresh connection.
/// </summary>
internal sealed class HttpProbeClient : IDisposable
{
    private readonly HttpClient _client;
    private Socket? _socket;

    public HttpProbeClient(ProbeConnector connector, Action<Socket>? configure = null)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 3,
            UseCookies = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = await connector.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, configure, cancellationToken);
                _socket = socket;
                RemoteAddress = socket.RemoteEndPoint?.ToString();
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("routingflow-probe/1");
    }

    /// <summary>The address connected to (kept: the socket is gone once the response ends).</summary>
    public string? RemoteAddress { get; private set; }

    /// <summary>The connection's socket once it is open.</summary>
    public Socket? Socket => _socket;

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    public void Dispose() => _client.Dispose();
}
