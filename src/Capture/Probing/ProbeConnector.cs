using System.Net;
using System.Net.Sockets;

namespace RoutingFlow.Capture.Probing;

/// <summary>
/// Opens probe connections that leave by one interface: resolves the host, creates a socket bound to the
/// interface (SO_BINDTODEVICE) and connects within the connect timeout, trying each address in turn.
/// Failures become <see cref="ProbeException"/>s with their reason.
/// </summary>
public sealed class ProbeConnector(string itf, TimeSpan connectTimeout, Action? bindingUnsupported = null)
{
    public string Interface => itf;

    /// <summary>False once a socket could not be bound because the platform lacks SO_BINDTODEVICE.</summary>
    public bool Bound { get; private set; } = true;

    public async Task<Socket> ConnectAsync(string host, int port, Action<Socket>? configure, CancellationToken cancellationToken)
    {
        var addresses = await ResolveWithinAsync(host, cancellationToken);
        ProbeException? last = null;
        foreach (var address in addresses)
        {
            try
            {
                return await ConnectAsync(new IPEndPoint(address, port), host, configure, cancellationToken);
            }
            catch (ProbeException e) when (e.Reason is ProbeFailureReason.Refused or ProbeFailureReason.Unreachable)
            {
                last = e;
            }
        }
        throw last!;
    }

    /// <summary>Resolves within the connect timeout: a resolver that hangs fails the probe, not the interface's loop.</summary>
    private async Task<IPAddress[]> ResolveWithinAsync(string host, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(connectTimeout);
        try
        {
            return await ResolveAsync(host, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProbeException(ProbeFailureReason.Resolve, $"resolving '{host}' took longer than {connectTimeout.TotalSeconds:0.###} s");
        }
    }

    public static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
            return [literal];
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            return addresses.Length > 0 ? addresses : throw new ProbeException(ProbeFailureReason.Resolve, $"'{host}' has no address");
        }
        catch (SocketException e)
        {
            throw new ProbeException(ProbeFailureReason.Resolve, $"cannot resolve '{host}': {e.Message}", e);
        }
    }

    private async Task<Socket> ConnectAsync(IPEndPoint endpoint, string host, Action<Socket>? configure, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (!InterfaceBinding.Bind(socket, itf))
            {
                Bound = false;
                bindingUnsupported?.Invoke();
            }
            configure?.Invoke(socket);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(connectTimeout);
            await ConnectWithinAsync(socket, endpoint, host, timeout.Token, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task ConnectWithinAsync(Socket socket, IPEndPoint endpoint, string host, CancellationToken timeout, CancellationToken caller)
    {
        var target = host == endpoint.Address.ToString() ? endpoint.ToString() : $"{host} ({endpoint})";
        try
        {
            await socket.ConnectAsync(endpoint, timeout);
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            throw new ProbeException(ProbeFailureReason.Unreachable, $"no connection to {target} via {itf} within {connectTimeout.TotalSeconds:0.###} s");
        }
        catch (SocketException e)
        {
            throw new ProbeException(Classify(e), $"connecting to {target} via {itf} failed: {e.Message}", e);
        }
    }

    private static ProbeFailureReason Classify(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => ProbeFailureReason.Refused,
        SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.TimedOut or SocketError.NetworkDown
            or SocketError.HostDown or SocketError.AddressNotAvailable => ProbeFailureReason.Unreachable,
        SocketError.AccessDenied => ProbeFailureReason.Interface,
        _ => ProbeFailureReason.Error,
    };
}
