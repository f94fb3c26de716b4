using RoutingFlow.Capture.Tcp;

namespace RoutingFlow.Server.Tcp;

/// <summary>
/// The TCP analysis as the API and the dashboard read it: the summary built on demand from <see cref="TcpHealth"/>,
/// and the top flows, which the analyzers rank only while someone asks (they cost a scan of each flow table).
/// </summary>
public sealed class TcpQueries(TcpHealth health, TimeProvider time)
{
    private static readonly TimeSpan TopWait = TimeSpan.FromSeconds(3);

    public TcpSummary Summary() => TcpViews.Summary(health, health.Current());

    /// <summary>The <paramref name="top"/> flows across every capture by <paramref name="sort"/> (loss, bytes or window); may wait up to a publication for them.</summary>
    public async Task<TcpFlowList> FlowsAsync(int top, string sort, CancellationToken cancellationToken)
    {
        var order = Enum.Parse<FlowSort>(sort, ignoreCase: true);
        var captures = health.Current();
        foreach (var capture in captures)
            capture.Analyzer.RequestTopFlows();
        var deadline = time.GetTimestamp() + (long)(TopWait.TotalSeconds * time.TimestampFrequency);
        while (captures.Any(c => c.Analyzer.Latest is { Top: null }) && time.GetTimestamp() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken); // the capture threads publish within a second
        }
        var rows = captures.Where(c => c.Analyzer.Latest?.Top is not null).SelectMany(c => Ranked(c.Analyzer.Latest!.Top!, order)
            .Select(f => (Flow: f, Row: TcpViews.Flow(health, c.Interface, f))));
        var ranked = order switch
        {
            FlowSort.Loss => rows.OrderByDescending(r => r.Flow.LossEvents).ThenByDescending(r => r.Flow.Bytes),
            FlowSort.Bytes => rows.OrderByDescending(r => r.Flow.Bytes),
            _ => rows.OrderBy(r => Math.Min(r.Flow.ClientWindow ?? uint.MaxValue, r.Flow.ServerWindow ?? uint.MaxValue)).ThenByDescending(r => r.Flow.Bytes),
        };
        return new TcpFlowList(sort.ToLowerInvariant(), ranked.Take(top).Select(r => r.Row).ToList());
    }

    private static IReadOnlyList<TcpFlowView> Ranked(TopFlowLists top, FlowSort sort) => sort switch
    {
        FlowSort.Loss => top.ByLoss,
        FlowSort.Bytes => top.ByBytes,
        _ => top.ByWindow,
    };
}
