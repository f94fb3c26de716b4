using System.Text.RegularExpressions;
using RoutingFlow.Capture.Configuration;

namespace RoutingFlow.Server.Devices;

/// <summary>
/// What the kernel says about a network device: its ifindex, its link-layer type (ARPHRD: 1 is Ethernet) and whether
/// it is a veth — by name prefix (<c>Connections:VethPrefixes</c>) or by link kind (<c>ip -d link</c>; read as the ethtool driver name), read from
/// <c>/sys/class/net</c>.
/// </summary>
public sealed partial record DeviceInfo(string Name, int IfIndex, int LinkType, bool IsVeth, ulong Mac)
{
    private const string SysClassNet = "/sys/class/net";

    /// <summary>Bytes of the device's own link header (Ethernet 14; none for a device without one, such as tun).</summary>
    public int LinkHeaderBytes => LinkType == 1 ? 14 : 0;

    /// <summary>Linux's rule for interface names: 1–15 characters, here letters, digits and <c>. - _ @ :</c>.</summary>
    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    public static bool Exists(string name) => Directory.Exists(Path.Combine(SysClassNet, name));

    /// <summary>The system's interfaces, sorted by name.</summary>
    public static IReadOnlyList<string> All() => Directory.Exists(SysClassNet)
        ? Directory.GetDirectories(SysClassNet).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
        : [];

    /// <summary>The device's ifindex now, or null when it does not exist.</summary>
    public static int? IfIndexOf(string name) =>
        int.TryParse(ReadText(Path.Combine(SysClassNet, name, "ifindex")), out var ifIndex) ? ifIndex : null;

    /// <summary>The device now, or null when it does not exist.</summary>
    public static DeviceInfo? Read(string name, ConnectionOptions options)
    {
        var dir = Path.Combine(SysClassNet, name);
        if (IfIndexOf(name) is not { } ifIndex)
            return null;
        _ = int.TryParse(ReadText(Path.Combine(dir, "type")), out var type);
        var veth = options.VethPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)) || (options.DetectVethKind && KindIsVeth(name));
        return new DeviceInfo(name, ifIndex, type, veth, ParseMac(ReadText(Path.Combine(dir, "address"))));
    }

    /// <summary><c>02:00:00:00:00:01</c> as a 48-bit number; 0 when there is none.</summary>
    public static ulong ParseMac(string? text)
    {
        var parts = text?.Split(':');
        if (parts is not { Length: 6 })
            return 0;
        ulong mac = 0;
        foreach (var part in parts)
        {
            if (!byte.TryParse(part, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var b))
                return 0;
            mac = (mac << 8) | b;
        }
        return mac;
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A veth's driver (<c>ethtool -i</c>) is <c>veth</c>, the kind <c>ip -d link</c> shows.</summary>
    private static bool KindIsVeth(string name) => RoutingFlow.Capture.Devices.EthtoolDriver.Of(name) == "veth";

    [GeneratedRegex("^[A-Za-z0-9._@:-]{1,15}$")]
    private static partial Regex NamePattern();
}
