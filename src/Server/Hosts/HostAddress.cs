using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Server.Hosts;

/// <summary>
/// An address as an operator writes one: a dotted quad or an IPv6 address. .NET's parser also takes <c>10</c>,
/// <c>365</c> or <c>0x1</c> as IPv4 addresses; here those are not addresses (a search for "365" is a name).
/// </summary>
public static partial class HostAddress
{
    public static bool TryParse([NotNullWhen(true)] string? text, out IpAddr address)
    {
        address = default;
        return text is not null && (text.Contains(':') || DottedQuad().IsMatch(text)) && IpAddr.TryParse(text, out address);
    }

    [GeneratedRegex(@"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\z")]
    private static partial Regex DottedQuad();
}
