using RoutingFlow.Capture.Tcp;
using RoutingFlow.Web.Tcp;

namespace RoutingFlow.Web.Tests.Tcp;

/// <summary>A TCP feed the test fills in.</summary>
public sealed class FakeTcpFeed : ITcpFeed
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    public event Action? Changed;

    public List<TcpInterfaceSummary> Interfaces { get; } = [];

    public Dictionary<string, List<TcpPoint>> Points { get; } = [];

    public List<TcpFlowRow> Flows { get; } = [];

    public List<(int Top, string Sort)> FlowQueries { get; } = [];

    public TcpSummary Summary() => new(Interfaces, new TcpTotals(0, 0, 0, 0, 0, 0, 0));

    public IReadOnlyList<TcpPoint> History(string captureInterface) => Points.GetValueOrDefault(captureInterface) ?? [];

    public Task<TcpFlowList> FlowsAsync(int top, string sort, CancellationToken cancellationToken)
    {
        FlowQueries.Add((top, sort));
        return Task.FromResult(new TcpFlowList(sort, Flows.Take(top).ToList()));
    }

    public void RaiseChanged() => Changed?.Invoke();

    public static TcpInterfaceSummary Wan0(long missing = 62) => new("wan0", "wan", "wan0", 5049, 5047, 0, missing, 3, 67, 74, 2, 0, 0, 0, 3_704_472, 2,
        666_880, new TcpRates(852, 12.9, 0, 15.5, 17.3, 0), new TcpRttSummary(2, 3.75e-5, 1e-4, 2264, 8.4e-5, 1e-4),
        [new TcpNicSummary("wan0", 5047, 2551, missing, 3, 67, 0.0243, 0.0274)]);

    public static List<TcpPoint> Seconds(int count) => Enumerable.Range(0, count)
        .Select(s => new TcpPoint(T0.AddSeconds(s), new TcpRates(800, s % 7, 0, s % 5, 1, 0), 2, 666_880, 8e-5)).ToList();

    public static TcpFlowRow Flow(int missing) => new("wan0", "wan0", "192.168.50.10", 40000, "192.0.2.100", 5201, "tcp", 5000, 7_000_000,
        missing, 0, missing, 30, 0, 65_536, 652_288, 0.00004, false);
}
