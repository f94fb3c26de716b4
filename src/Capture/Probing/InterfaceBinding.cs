using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;

namespace RoutingFlow.Capture.Probing;

/// <summary>
/// Binds a socket to one interface with <c>SO_BINDTODEVICE</c>, so that a probe leaves by that WAN whatever the
/// routing table prefers. Where the platform has no such option (not Linux), <see cref="Bind"/> returns false and
/// the OS chooses the interface, as the original tool did on macOS.
/// </summary>
public static class InterfaceBinding
{
    private const int SolSocket = 1;
    private const int SoBindToDevice = 25;
    private const int InterfaceNameMax = 15; // IFNAMSIZ - 1

    public static bool Supported => OperatingSystem.IsLinux();

    /// <summary>Binds <paramref name="socket"/> to <paramref name="itf"/>; false where unsupported. Throws <see cref="ProbeException"/> when the kernel refuses.</summary>
    public static bool Bind(Socket socket, string itf)
    {
        if (!Supported)
            return false;
        Span<byte> name = stackalloc byte[InterfaceNameMax + 1];
        name.Clear();
        if (Encoding.UTF8.GetByteCount(itf) > InterfaceNameMax)
            throw new ProbeException(ProbeFailureReason.Interface, $"interface name '{itf}' is longer than {InterfaceNameMax} bytes");
        Encoding.UTF8.GetBytes(itf, name);
        try
        {
            socket.SetRawSocketOption(SolSocket, SoBindToDevice, name);
            return true;
        }
        catch (SocketException e)
        {
            throw new ProbeException(ProbeFailureReason.Interface, Explain(itf, e), e);
        }
    }

    /// <summary>Null when <paramref name="itf"/> exists; otherwise the message naming the interfaces that do.</summary>
    public static string? CheckExists(string itf)
    {
        var names = NetworkInterface.GetAllNetworkInterfaces().Select(n => n.Name).ToList();
        return names.Contains(itf) ? null : $"interface '{itf}' does not exist (available: {string.Join(", ", names.Order(StringComparer.Ordinal))})";
    }

    private static string Explain(string itf, SocketException e) => e.SocketErrorCode switch
    {
        SocketError.AccessDenied => $"binding a probe to '{itf}' needs CAP_NET_RAW (run as root or setcap cap_net_raw,cap_net_admin+eip on the routingflow executable)",
        _ when e.NativeErrorCode == 19 => CheckExists(itf) ?? $"interface '{itf}' is not available: {e.Message}", // ENODEV
        _ => $"binding a probe to '{itf}' failed: {e.Message}",
    };
}
