using RoutingFlow.Capture.Tcp;
namespace RoutingFlow.Web.Tcp;

/// <summary>The TCP health of every capture, for the dashboard (the REST API serves the same views).</summary>
public interface ITcpFeed
{
    /// <summary>Raised (on a worker thread) after each new second of history.</summary>
    event Action? Changed;

    TcpSummary Summary();

    /// <summary>The last minutes of one capture, a point per second, oldest first.</summary>
    IReadOnlyList<TcpPoint> History(string captureInterface);

    /// <summary>The <paramref name="top"/> flows across every capture by <paramref name="sort"/> (loss, bytes or window); may wait up to a publication for them.</summary>
    Task<TcpFlowList> FlowsAsync(int top, string sort, CancellationToken cancellationToken);
}
