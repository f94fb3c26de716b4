using System.Text.RegularExpressions;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Configuration;

namespace RoutingFlow.Server.Fleet;

/// <summary>
/// <c>RoutingFlow:Fleet</c>: watch many routers through the Prometheus that scrapes them. Off until
/// <c>Fleet:Prometheus:Url</c> is set; then every <see cref="Interval"/> one instant query per metric reads the whole
/// fleet, grouped by <see cref="RouterLabel"/>, and each router's WANs go through the overload monitor's rule.
/// </summary>
public sealed partial class FleetOptions : IFeatureOptions
{
    public static string Section => "Fleet";

    public FleetPrometheusOptions Prometheus { get; set; } = new();

    /// <summary>How often the fleet is read and checked.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The label that names a router in the queries' answers: <c>instance</c>, or a <c>router</c> label set by relabelling.</summary>
    public string RouterLabel { get; set; } = "instance";

    /// <summary>A WAN whose newest sample is older than this is <c>unknown</c> (its router stopped being scraped), never overloaded.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The PromQL it asks (defaults in <see cref="FleetQueries"/>, every one overridable).</summary>
    public FleetQueries Queries { get; set; } = new();

    /// <summary>True when a Prometheus URL is set: the fleet monitor runs.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Prometheus.Url);

    public void Validate(RoutingFlowOptions core, List<string> errors)
    {
        if (!Enabled)
            return;
        var key = $"{RoutingFlowOptions.Section}:Fleet";
        if (!Uri.TryCreate(Prometheus.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            errors.Add($"{key}:Prometheus:Url '{Prometheus.Url}' is not an absolute http or https URL (e.g. http://prometheus:9090)");
        if (Prometheus.BearerToken is { Length: > 0 } && Prometheus.Username is { Length: > 0 })
            errors.Add($"{key}:Prometheus:BearerToken and {key}:Prometheus:Username are both set; use one way to sign in");
        ConfigChecks.Span(errors, "Fleet:Prometheus:Timeout", Prometheus.Timeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));
        ConfigChecks.Span(errors, "Fleet:Interval", Interval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        ConfigChecks.Span(errors, "Fleet:StaleAfter", StaleAfter, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        if (!LabelName().IsMatch(RouterLabel ?? ""))
            errors.Add($"{key}:RouterLabel '{RouterLabel}' is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)");
        foreach (var (name, query) in Queries.All())
        {
            if (string.IsNullOrWhiteSpace(query))
                errors.Add($"{key}:Queries:{name} is empty; remove it to use the default");
        }
    }

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();
}

/// <summary><c>RoutingFlow:Fleet:Prometheus</c>: where the fleet's Prometheus (or Thanos, Mimir: the same query API) answers, and how to sign in.</summary>
public sealed class FleetPrometheusOptions
{
    /// <summary>The base URL, e.g. <c>http://prometheus:9090</c> (the query API is under <c>/api/v1/query</c>).</summary>
    public string? Url { get; set; }

    /// <summary>Sent as <c>Authorization: Bearer …</c> when set.</summary>
    public string? BearerToken { get; set; }

    /// <summary>With <see cref="Password"/>: HTTP basic authentication.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>How long one query may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
