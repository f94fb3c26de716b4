using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using RoutingFlow.Testing.Lab;
using Xunit.Abstractions;

namespace RoutingFlow.Server.Tests.Deploy;

/// <summary>
/// deploy/grafana/routingflow.json as Grafana would run it: its panels' queries, its template variables, and
/// Grafana's variable substitution, so that a test with a live router and a real Prometheus can check that every panel
/// shows something (<see cref="AssertEveryPanelReturnsDataAsync"/>).
/// </summary>
public static partial class GrafanaDashboard
{
    /// <summary>The <c>nic</c> variable's "All" value (the dashboard's <c>allValue</c>): passed verbatim.</summary>
    public const string AllNics = ".*";

    /// <summary>The repository root: the directory holding RoutingFlow.sln, above the test's binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The dashboard file.</summary>
    public static string Path { get; } = System.IO.Path.Combine(Root, "deploy", "grafana", "routingflow.json");

    /// <summary>
    /// Every panel, rows included, in the file's order; the panels of a collapsed row (its own <c>panels</c> array)
    /// follow the row.
    /// </summary>
    public static IReadOnlyList<JsonElement> Panels(JsonDocument dashboard)
    {
        ArgumentNullException.ThrowIfNull(dashboard);
        var panels = new List<JsonElement>();
        if (dashboard.RootElement.TryGetProperty("panels", out var top))
            CollectPanels(top, panels);
        return panels;
    }

    /// <summary>
    /// Every query of every panel (those in a collapsed row's <c>panels</c> too), with the panel's title; a target with
    /// <c>"hide": true</c> is not run by Grafana and is skipped. A target without an <c>expr</c> gives an empty one.
    /// </summary>
    public static IReadOnlyList<(string Panel, string Expr)> Queries(JsonDocument dashboard)
    {
        var queries = new List<(string Panel, string Expr)>();
        foreach (var panel in Panels(dashboard))
        {
            if (!panel.TryGetProperty("targets", out var targets) || targets.ValueKind != JsonValueKind.Array)
                continue;
            var title = StringProperty(panel, "title") ?? "(untitled)";
            foreach (var target in targets.EnumerateArray())
            {
                if (target.TryGetProperty("hide", out var hide) && hide.ValueKind == JsonValueKind.True)
                    continue;
                queries.Add((title, StringProperty(target, "expr") ?? ""));
            }
        }
        return queries;
    }

    /// <summary>
    /// The query variables of <c>templating.list</c> with their query: Grafana stores it as a string or, since 10, as
    /// <c>{"query": "…"}</c>.
    /// </summary>
    public static IReadOnlyList<(string Name, string Query)> Variables(JsonDocument dashboard)
    {
        ArgumentNullException.ThrowIfNull(dashboard);
        var variables = new List<(string Name, string Query)>();
        if (!dashboard.RootElement.TryGetProperty("templating", out var templating)
            || !templating.TryGetProperty("list", out var list) || list.ValueKind != JsonValueKind.Array)
            return variables;
        foreach (var variable in list.EnumerateArray())
        {
            if (StringProperty(variable, "type") != "query" || StringProperty(variable, "name") is not { } name)
                continue;
            var query = variable.TryGetProperty("query", out var q) ? q.ValueKind switch
            {
                JsonValueKind.Object => StringProperty(q, "query"),
                JsonValueKind.String => q.GetString(),
                _ => null,
            } : null;
            variables.Add((name, query ?? StringProperty(variable, "definition") ?? ""));
        }
        return variables;
    }

    /// <summary>
    /// Grafana's substitution of the dashboard's variables: <c>$router</c>/<c>${router}</c> by the router (escaped for
    /// a PromQL string), <c>$nic</c>/<c>${nic}</c> by the WAN as a regex matching only that name (Grafana escapes a
    /// multi-value variable's values so; <see cref="AllNics"/> is the "All" value and goes in verbatim), and Grafana's
    /// own <c>$__rate_interval</c> (1m), <c>$__interval</c> (15s) and <c>$__range</c> (5m). Other variables are left
    /// as they are, so that Prometheus rejects the query.
    /// </summary>
    public static string Substitute(string expr, string router, string nic)
    {
        ArgumentNullException.ThrowIfNull(expr);
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(nic);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["router"] = PromQLString(router),
            ["nic"] = nic == AllNics ? nic : PromQLString(RegexLiteral(nic)),
            ["__rate_interval"] = "1m",
            ["__interval"] = "15s",
            ["__range"] = "5m",
        };
        return VariableReference().Replace(expr, m =>
            values.TryGetValue(m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["plain"].Value, out var value) ? value : m.Value);
    }

    /// <summary>
    /// Grafana's <c>label_values(metric{…}, label)</c> (a variable query, not PromQL) as the PromQL instant query that
    /// returns one series per value: <c>group by (label) (metric{…})</c>. Any other query is returned as it is.
    /// </summary>
    public static string LabelValuesToPromQL(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var match = LabelValues().Match(query);
        return match.Success ? $"group by ({match.Groups["label"].Value}) ({match.Groups["selector"].Value.Trim()})" : query;
    }

    /// <summary>
    /// Runs every panel's query (for <paramref name="router"/> and every WAN) and both template variables' against
    /// <paramref name="prometheus"/>, printing each with its series count, and fails naming every query that errs or
    /// returns nothing; the <c>router</c> variable must list <paramref name="router"/> (its <c>instance</c> label).
    /// </summary>
    public static async Task AssertEveryPanelReturnsDataAsync(PrometheusServer prometheus, string router, ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(prometheus);
        ArgumentNullException.ThrowIfNull(output);
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path));
        var failures = new List<string>();
        var queries = Queries(dashboard);
        if (queries.Count == 0)
            failures.Add($"{Path}: no panel queries found");
        foreach (var (panel, expr) in queries)
            await RunAsync(prometheus, $"panel '{panel}'", Substitute(expr, router, AllNics), output, failures);
        var variables = Variables(dashboard);
        if (variables.Count == 0)
            failures.Add($"{Path}: no template variables found");
        foreach (var (name, query) in variables)
        {
            var result = await RunAsync(prometheus, $"variable '{name}'", Substitute(LabelValuesToPromQL(query), router, AllNics), output, failures);
            if (name == "router" && result is { Count: > 0 } && !result.Any(r => r.Labels.TryGetValue("instance", out var instance) && instance == router))
                failures.Add($"variable 'router': {router} is not among its values ({string.Join(", ", result.Select(r => r.Labels.GetValueOrDefault("instance")))})");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static async Task<IReadOnlyList<(Dictionary<string, string> Labels, double Value)>?> RunAsync(
        PrometheusServer prometheus, string what, string promql, ITestOutputHelper output, List<string> failures)
    {
        try
        {
            var result = await prometheus.QueryAsync(promql);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {promql} -> {result.Count} series"));
            if (result.Count == 0)
                failures.Add($"{what}: {promql} returned no series");
            return result;
        }
        catch (Exception e)
        {
            output.WriteLine($"{what}: {promql} -> {e.GetType().Name}: {e.Message}");
            failures.Add($"{what}: {promql} failed: {e.GetType().Name}: {e.Message}");
            return null;
        }
    }

    private static void CollectPanels(JsonElement panels, List<JsonElement> into)
    {
        if (panels.ValueKind != JsonValueKind.Array)
            return;
        foreach (var panel in panels.EnumerateArray())
        {
            into.Add(panel);
            if (panel.TryGetProperty("panels", out var nested))
                CollectPanels(nested, into);
        }
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>A regex (RE2) matching exactly <paramref name="value"/>: its metacharacters escaped.</summary>
    private static string RegexLiteral(string value)
    {
        var escaped = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (@"\.+*?()|[]{}^$".Contains(c, StringComparison.Ordinal))
                escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }

    /// <summary>The inside of a double-quoted PromQL string holding <paramref name="value"/>.</summary>
    private static string PromQLString(string value) =>
        value.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "RoutingFlow.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"no RoutingFlow.sln above {AppContext.BaseDirectory}");
    }

    /// <summary><c>${name}</c>, <c>${name:format}</c> or <c>$name</c>.</summary>
    [GeneratedRegex(@"\$\{(?<braced>\w+)(?::[\w-]+)?\}|\$(?<plain>\w+)")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"^\s*label_values\s*\(\s*(?<selector>.+?)\s*,\s*(?<label>[A-Za-z_]\w*)\s*\)\s*$", RegexOptions.Singleline)]
    private static partial Regex LabelValues();
}
