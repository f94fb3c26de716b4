using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Capture.Mapping;

/// <summary>One IP→WAN rule and where it came from (<c>url</c> or <c>static</c>).</summary>
public sealed record MappingEntry(IpNetwork Network, string Nic, string Source);
