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

    /// <summary>Whether a plan may move an IPv4 /24 as one move (every host in it along); off: hosts only.</summary>
    public bool MoveNetworks { get; set; } = true;

    /// <summary>Where applied moves are POSTed as JSON (the routing side's API); none by default.</summary>
    public string? ApplyUrl { get; set; }

    /// <summary>A command (run by <c>/bin/sh -c</c>) that gets applied moves as JSON on stdin, such as an <c>ip rule</c> script; none by default.</summary>
    public string? ApplyCommand { get; set; }

    /// <summary>How long the URL or the command may take.</summary>
    public TimeSpan ApplyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><see cref="Pinned"/>, parsed (after validation).</summary>
    public IReadOnlyList<IpNetwork> PinnedNetworks() => _pinned;

    public void Validate(RoutingFlowOptions core, List<string> errors)
    {
        ConfigChecks.Range(errors, "Advice:MaxMoves", MaxMoves, 1, 10, "");
        ConfigChecks.Span(errors, "Advice:ApplyTimeout", ApplyTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        if (ApplyUrl is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            errors.Add($"{RoutingFlowOptions.Section}:Advice:ApplyUrl '{url}' is not an absolute http(s) URL");
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
