using RoutingFlow.Capture.Tcp;

namespace RoutingFlow.Web.Tcp;

/// <summary>One second of one capture's TCP health, for the dashboard's charts.</summary>
public sealed record TcpPoint(DateTimeOffset Time, TcpRates Rates, int ActiveConnections, double CurrentWindowSize, double? AckRttMean);
