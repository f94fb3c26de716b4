using System.Diagnostics.CodeAnalysis;

namespace RoutingFlow.Capture.Addressing;

/// <summary>A CIDR block such as <c>192.168.1.0/24</c> or <c>fc00::/7</c>. A bare address is a host route.</summary>
public readonly record struct IpNetwork(IpAddr Network, int PrefixLength)
{
    public bool Contains(IpAddr address) =>
        address.IsV6 == Network.IsV6 && address.Mask(PrefixLength) == Network;

    /// <summary>Parses CIDR text; host bits must be zero ("10.0.0.1/8" is refused: it is ambiguous).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out IpNetwork network, out string? error)
    {
        network = default;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty";
            return false;
        }
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IpAddr.TryParse(addressText.Trim(), out var address))
        {
            error = $"'{text}' is not an IP address or CIDR block";
            return false;
        }
        var length = address.Bits;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], out length) || length < 0 || length > address.Bits))
        {
            error = $"'{text}' has a prefix length outside 0..{address.Bits}";
            return false;
        }
        if (address.Mask(length) != address)
        {
            error = $"'{text}' has host bits set (did you mean {address.Mask(length)}/{length}?)";
            return false;
        }
        network = new IpNetwork(address, length);
        return true;
    }

    public static IpNetwork Parse(string text) =>
        TryParse(text, out var network, out var error) ? network : throw new FormatException(error);

    public override string ToString() => $"{Network}/{PrefixLength}";
}
