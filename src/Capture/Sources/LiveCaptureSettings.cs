namespace RoutingFlow.Capture.Sources;

/// <summary>How to open a live interface.</summary>
public sealed record LiveCaptureSettings(int SnapLength, int BufferSize, string? Filter, bool Promiscuous, TimeSpan ReadTimeout);

/// <summary>Counters libpcap keeps for a live handle (pcap_stats): received, dropped by the kernel, dropped by the interface.</summary>
public readonly record struct CaptureStatistics(long Received, long Dropped, long InterfaceDropped);
