namespace RoutingFlow.Capture.Sources;

/// <summary>
/// How to open a live interface. <see cref="Cooked"/>: deliver Linux cooked frames (SLL2, else SLL) instead of the
/// device's own link type, so that each frame says whether the device sent or received it (its packet type) and
/// which device it was (SLL2's ifindex).
/// </summary>
public sealed record LiveCaptureSettings(int SnapLength, int BufferSize, string? Filter, bool Promiscuous, TimeSpan ReadTimeout, bool Cooked = false);

/// <summary>Counters libpcap keeps for a live handle (pcap_stats): received, dropped by the kernel, dropped by the interface.</summary>
public readonly record struct CaptureStatistics(long Received, long Dropped, long InterfaceDropped);
