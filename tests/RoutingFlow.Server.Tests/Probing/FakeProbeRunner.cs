using RoutingFlow.Capture.Probing;

namespace RoutingFlow.Server.Tests.Probing;

/// <summary>A runner the test scripts: each (interface, server) answers what the test set, and every call is recorded.</summary>
public sealed class FakeProbeRunner : IProbeRunner
{
    private readonly Dictionary<(string, string), ProbeResult> _answers = [];

    public List<(string Interface, ProbeTarget Target)> Calls { get; } = [];

    public void Answer(string itf, string server, ProbeResult result) => _answers[(itf, server)] = result;

    public static ProbeResult Ok(double bps, double rttMs = 10) => new() { EstimateBps = bps, Rtt = TimeSpan.FromMilliseconds(rttMs) };

    public static ProbeResult Refused() => ProbeResult.Failed(ProbeFailureReason.Refused, "connection refused", TimeSpan.FromMilliseconds(1));

    public Task<ProbeResult> RunAsync(string itf, ProbeTarget target, CancellationToken cancellationToken)
    {
        lock (Calls)
            Calls.Add((itf, target));
        return Task.FromResult(_answers.GetValueOrDefault((itf, target.Server), Ok(1e6)));
    }
}
