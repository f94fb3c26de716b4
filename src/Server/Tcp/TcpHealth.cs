using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Capture.Tcp;
using RoutingFlow.Server.Capture;

namespace RoutingFlow.Server.Tcp;

/// <summary>
/// The TCP analysis of every capture as readers see it: the latest publication of each capture's analyzer, with
/// event rates over the last interval between two publications. Read from any thread; never touches a capture thread's
/// state (the analyzers publish copies).
/// </summary>
public sealed class TcpHealth(CaptureManager captures, NicMapHolder mapping, TcpAnalysisFactory analysis)
{
    /// <summary>The TCP analyzer of the capture on <paramref name="captureInterface"/>, or null.</summary>
    public TcpAnalyzer? AnalyzerOf(string captureInterface) => analysis.Analyzers.Of(captureInterface);

    private readonly Dictionary<string, (TcpSnapshot Previous, TcpSnapshot Latest)> _history = [];

    public IReadOnlyList<InterfaceTcp> Current()
    {
        var list = new List<InterfaceTcp>();
        foreach (var session in captures.Sessions)
        {
            if (AnalyzerOf(session.Spec.Interface) is not { } analyzer)
                continue;
            var latest = analyzer.Latest;
            var previous = latest is null ? null : Advance(session.Spec.Interface, latest);
            list.Add(new InterfaceTcp(session.Spec.Interface, session.Spec.Role.ToString().ToLowerInvariant(), session.Spec.Nic, analyzer,
                latest, previous));
        }
        return list;
    }

    /// <summary>The WAN name of a mapping index; null for none.</summary>
    public string? NicName(byte nic) => nic == TrafficKey.NoNic ? null : mapping.Current.NameOf(nic);

    /// <summary>Keeps the last two distinct publications per interface; returns the one before <paramref name="latest"/>.</summary>
    private TcpSnapshot? Advance(string itf, TcpSnapshot latest)
    {
        lock (_history)
        {
            if (!_history.TryGetValue(itf, out var pair))
            {
                _history[itf] = (latest, latest);
                return null;
            }
            if (!ReferenceEquals(pair.Latest, latest))
                _history[itf] = pair = (pair.Latest, latest);
            return ReferenceEquals(pair.Previous, latest) ? null : pair.Previous;
        }
    }
}

/// <summary>One capture's TCP analysis: its interface, role and WAN, the analyzer, and its last two publications.</summary>
public sealed record InterfaceTcp(string Interface, string Role, string? Nic, TcpAnalyzer Analyzer, TcpSnapshot? Latest, TcpSnapshot? Previous)
{
    /// <summary>Events per second between the two publications (0 before there are two).</summary>
    public TcpRates Rates => Latest is null || Previous is null ? TcpRates.Zero : TcpRates.Between(Previous, Latest);
}
