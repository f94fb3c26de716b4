using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Configuration;

namespace RoutingFlow.Server.Advice;

/// <summary><c>RoutingFlow:Advice</c>: what the rebalancing advice may suggest.</summary>
public sealed class AdviceOptions : IFeatureOptions
{
    public static string Section => "Advice";

    private IReadOnlyList<IpNetwork> _pinned = [];

    /// <summary>CIDRs (or single addresses) whose hosts never move: servers, VoIP phones, anything tied to one line.</summary>
    public List<string> Pinned { get; set; } = [];

    /// <summary>The most moves one plan suggests.</summary>
    public int MaxMoves { get; set; } = 3;

    /// <summary><see cref="Pinned"/>, parsed (after validation).</summary>
    public IReadOnlyList<IpNetwork> PinnedNetworks() => _pinned;

    public void Validate(RoutingFlowOptions core, List<string> errors)
    {
        ConfigChecks.Range(errors, "Advice:MaxMoves", MaxMoves, 1, 10, "");
        var pinned = new List<IpNetwork>();
        for (var i = 0; i < Pinned.Count; i++)
        {
            var text = Pinned[i].Contains('/') ? Pinned[i] : Pinned[i] + (Pinned[i].Contains(':') ? "/128" : "/32");
            if (IpNetwork.TryParse(text, out var network, out var error))
                pinned.Add(network);
            else
                errors.Add($"{RoutingFlowOptions.Section}:Advice:Pinned:{i} '{Pinned[i]}' is not a CIDR or an address: {error}");
        }
        _pinned = pinned;
    }
}
