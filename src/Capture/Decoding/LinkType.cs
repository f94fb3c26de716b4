namespace RoutingFlow.Capture.Decoding;

/// <summary>The data link types the decoder understands, as libpcap's <c>pcap_datalink()</c> reports them (DLT_*).</summary>
public static class LinkType
{
    public const int Null = 0;
    public const int Ethernet = 1;
    public const int Raw = 12;
    public const int RawOpenBsd = 14;
    public const int LinkTypeRaw = 101;
    public const int Loop = 108;
    public const int LinuxSll = 113;
    public const int Ipv4 = 228;
    public const int Ipv6 = 229;
    public const int LinuxSll2 = 276;

    public static bool IsSupported(int linkType) => linkType is Null or Ethernet or Raw or RawOpenBsd or LinkTypeRaw
        or Loop or LinuxSll or Ipv4 or Ipv6 or LinuxSll2;

    /// <summary>libpcap's name for the link type, as <c>tcpdump -L</c> prints it.</summary>
    public static string Name(int linkType) => linkType switch
    {
        Null => "NULL",
        Ethernet => "EN10MB",
        Raw or RawOpenBsd or LinkTypeRaw => "RAW",
        Loop => "LOOP",
        LinuxSll => "LINUX_SLL",
        Ipv4 => "IPV4",
        Ipv6 => "IPV6",
        LinuxSll2 => "LINUX_SLL2",
        _ => $"DLT_{linkType}",
    };
}
