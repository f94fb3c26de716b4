using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using RoutingFlow.Testing.Processes;

namespace RoutingFlow.Server.Tests.Deploy;

/// <summary>
/// deploy/grafana/routingflow.json without Grafana or Prometheus: its structure (title, uid, schema, the imported
/// datasource, the router and nic variables, the Fleet and Router rows, every panel with an id, a title, a place and a
/// query), every metric its queries read is one the server exports (or a recording rule of deploy/prometheus), and every
/// query parses as PromQL once Grafana's variables are substituted (promtool). Whether the queries return data on a live
/// router is <see cref="GrafanaDashboard.AssertEveryPanelReturnsDataAsync"/>'s.
/// </summary>
public sealed partial class GrafanaDashboardTests
{
    private const string RulesFile = "deploy/prometheus/routingflow.rules.yml";
    private const string DatasourceUid = "${DS_PROMETHEUS}";
    private const string Router = "192.0.2.1:8080";

    /// <summary>PromQL words that can stand where a metric name does and have an underscore.</summary>
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "group_left", "group_right", "label_values",
    };

    private static readonly string[] ExpectedMetrics =
    [
        "routingflow_wan_utilization_ratio", "routingflow_wan_overloaded", "routingflow_overload_incidents_total",
        "routingflow_wan_capacity_bps", "routingflow_wan_actual_bps", "network_ip_rx_bps", "tcp_monitor_packet_loss_missing",
        "tcp_monitor_active_connections", "routingflow_capture_dropped_total",
    ];

    private static readonly string[] GridKeys = ["h", "w", "x", "y"];

    private static readonly string[] NotMetrics =
    [
        "rate", "increase", "sum", "max", "topk", "sort_desc", "by", "instance", "nic", "interface", "__rate_interval", "1h",
    ];

    [Fact]
    public void Dashboard_Parses_WithTitleUidAndSchemaVersion39()
    {
        using var dashboard = Load();
        var root = dashboard.RootElement;

        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("title").GetString()));
        Assert.Equal("routingflow-fleet", root.GetProperty("uid").GetString());
        Assert.Equal(39, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("id").ValueKind); // a fresh id on import
    }

    [Fact]
    public void Import_AsksForAPrometheusDatasource_AndEveryPanelAndTargetUsesIt()
    {
        using var dashboard = Load();
        var input = Assert.Single(dashboard.RootElement.GetProperty("__inputs").EnumerateArray());
        Assert.Equal(("DS_PROMETHEUS", "datasource", "prometheus"),
            (input.GetProperty("name").GetString(), input.GetProperty("type").GetString(), input.GetProperty("pluginId").GetString()));

        var wrong = new List<string>();
        foreach (var panel in GrafanaDashboard.Panels(dashboard))
        {
            var title = Title(panel);
            if (!IsPrometheus(panel))
                wrong.Add($"panel '{title}'");
            if (panel.TryGetProperty("targets", out var targets))
                wrong.AddRange(targets.EnumerateArray().Where(t => !IsPrometheus(t)).Select(t => $"panel '{title}' target {t.GetProperty("refId")}"));
        }
        foreach (var variable in dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            if (!IsPrometheus(variable))
                wrong.Add($"variable {variable.GetProperty("name").GetString()}");
        }

        Assert.Empty(wrong);
    }

    [Fact]
    public void Templating_HasOneRouter_AndItsWans_WithAll()
    {
        using var dashboard = Load();
        var list = dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray()
            .ToDictionary(v => v.GetProperty("name").GetString()!, StringComparer.Ordinal);
        var variables = GrafanaDashboard.Variables(dashboard).ToDictionary(v => v.Name, v => v.Query, StringComparer.Ordinal);

        var router = list["router"];
        Assert.Equal("query", router.GetProperty("type").GetString());
        Assert.False(router.GetProperty("multi").GetBoolean());
        Assert.False(router.GetProperty("includeAll").GetBoolean());
        Assert.Equal("label_values(routingflow_wan_capacity_bps, instance)", variables["router"]);

        var nic = list["nic"];
        Assert.Equal("query", nic.GetProperty("type").GetString());
        Assert.True(nic.GetProperty("multi").GetBoolean());
        Assert.True(nic.GetProperty("includeAll").GetBoolean());
        Assert.Equal(GrafanaDashboard.AllNics, nic.GetProperty("allValue").GetString());
        Assert.Equal("label_values(routingflow_wan_capacity_bps{instance=\"$router\"}, nic)", variables["nic"]);
    }

    [Fact]
    public void Rows_IncludeFleetAndRouter()
    {
        using var dashboard = Load();
        var rows = GrafanaDashboard.Panels(dashboard).Where(IsRow).Select(Title).ToList();

        Assert.True(rows.Count >= 2, string.Join(", ", rows));
        Assert.Contains(rows, title => title.Contains("Fleet", StringComparison.Ordinal));
        Assert.Contains(rows, title => title.Contains("Router", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryPanel_HasAUniqueId_ATitle_AGridPos_AndQueriesWithExprAndRefId()
    {
        using var dashboard = Load();
        var panels = GrafanaDashboard.Panels(dashboard);
        var problems = new List<string>();
        var ids = new HashSet<int>();
        foreach (var panel in panels)
        {
            var title = Title(panel);
            if (!panel.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.Number || !ids.Add(id.GetInt32()))
                problems.Add($"'{title}': no id, or one another panel has");
            if (string.IsNullOrWhiteSpace(title))
                problems.Add("a panel without a title");
            if (!panel.TryGetProperty("type", out var type) || string.IsNullOrWhiteSpace(type.GetString()))
                problems.Add($"'{title}': no type");
            if (!panel.TryGetProperty("gridPos", out var grid) || grid.ValueKind != JsonValueKind.Object
                || GridKeys.Any(p => !grid.TryGetProperty(p, out var v) || v.ValueKind != JsonValueKind.Number))
                problems.Add($"'{title}': no gridPos with h, w, x and y");
            if (IsRow(panel))
                continue;
            List<JsonElement> targets = panel.TryGetProperty("targets", out var t) && t.ValueKind == JsonValueKind.Array ? [.. t.EnumerateArray()] : [];
            if (targets.Count == 0)
                problems.Add($"'{title}': no targets");
            var refIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var target in targets)
            {
                var refId = target.TryGetProperty("refId", out var r) ? r.GetString() : null;
                if (string.IsNullOrWhiteSpace(refId) || !refIds.Add(refId))
                    problems.Add($"'{title}': a target without a refId, or with another target's");
                if (!target.TryGetProperty("expr", out var expr) || string.IsNullOrWhiteSpace(expr.GetString()))
                    problems.Add($"'{title}' {refId}: no expr");
            }
        }

        Assert.Empty(problems);
        Assert.True(panels.Count(p => !IsRow(p)) >= 8, "the rows hold the panels");
    }

    [Fact]
    public void Panels_FitTheGrid_WithoutOverlapping()
    {
        using var dashboard = Load();
        var boxes = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Select(p => (Title: Title(p), Grid: p.GetProperty("gridPos")))
            .Select(p => (p.Title, X: p.Grid.GetProperty("x").GetInt32(), Y: p.Grid.GetProperty("y").GetInt32(),
                W: p.Grid.GetProperty("w").GetInt32(), H: p.Grid.GetProperty("h").GetInt32()))
            .ToList();

        var problems = boxes.Where(box => box.X < 0 || box.Y < 0 || box.W < 1 || box.H < 1 || box.X + box.W > 24)
            .Select(box => $"'{box.Title}' outside the 24 columns")
            .ToList();
        for (var i = 0; i < boxes.Count; i++)
        {
            for (var j = i + 1; j < boxes.Count; j++)
            {
                var (one, other) = (boxes[i], boxes[j]);
                if (one.X < other.X + other.W && other.X < one.X + one.W && one.Y < other.Y + other.H && other.Y < one.Y + one.H)
                    problems.Add($"'{one.Title}' and '{other.Title}' overlap");
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void RouterRowQueries_AreTheSelectedRouters_FleetRowQueries_EveryRouters()
    {
        using var dashboard = Load();
        var byRow = QueriesByRow(dashboard);
        var fleet = byRow.Where(q => q.Row.Contains("Fleet", StringComparison.Ordinal)).ToList();
        var router = byRow.Where(q => q.Row.Contains("Router", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(fleet);
        Assert.NotEmpty(router);
        Assert.Empty(router.Where(q => !q.Expr.Contains("instance=\"$router\"", StringComparison.Ordinal)).Select(q => $"{q.Panel}: {q.Expr}"));
        Assert.Empty(fleet.Where(q => q.Expr.Contains("$router", StringComparison.Ordinal) || q.Expr.Contains("$nic", StringComparison.Ordinal))
            .Select(q => $"{q.Panel}: {q.Expr}"));
        // the WAN selection applies where the series are per WAN
        Assert.Contains(router, q => q.Expr.Contains("nic=~\"$nic\"", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryQuery_ReadsOnlyMetricsTheServerExports_OrRecordingRules()
    {
        var source = ServerSource();
        var recorded = RecordingRules();
        using var dashboard = Load();
        var used = GrafanaDashboard.Queries(dashboard)
            .SelectMany(q => MetricNames(q.Expr).Select(name => (q.Panel, Metric: name)))
            .ToList();

        var unknown = used
            .Where(u => !recorded.Contains(u.Metric) && !source.Contains($"\"{u.Metric}\"", StringComparison.Ordinal))
            .Select(u => $"{u.Panel}: {u.Metric}")
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.Empty(unknown);
        // the check is not vacuous: the names were found, the words around them were not
        var names = used.Select(u => u.Metric).ToHashSet(StringComparer.Ordinal);
        foreach (var name in ExpectedMetrics)
            Assert.Contains(name, names);
        foreach (var word in NotMetrics)
            Assert.DoesNotContain(word, names);
    }

    [Fact]
    public async Task EveryQuery_WithTheVariablesSubstituted_ParsesAsPromQL()
    {
        using var dashboard = Load();
        List<(string Panel, string Expr)> queries =
        [
            .. GrafanaDashboard.Queries(dashboard)
                .Select(q => (Panel: q.Panel, Expr: GrafanaDashboard.Substitute(q.Expr, Router, GrafanaDashboard.AllNics))),
            .. GrafanaDashboard.Variables(dashboard)
                .Select(v => (Panel: $"variable {v.Name}", Expr: GrafanaDashboard.Substitute(GrafanaDashboard.LabelValuesToPromQL(v.Query), Router, GrafanaDashboard.AllNics))),
            // one WAN chosen, its name escaped as a regex, and an IPv6 router
            (Panel: "one WAN", Expr: GrafanaDashboard.Substitute("routingflow_wan_capacity_bps{instance=\"$router\",nic=~\"$nic\"}", "[2001:db8::1]:8080", "eth0.100")),
        ];
        // promtool parses a rule file's expressions: each query becomes a recording rule
        var yaml = new StringBuilder("groups:\n  - name: grafana\n    rules:\n");
        for (var i = 0; i < queries.Count; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"      # {queries[i].Panel.ReplaceLineEndings(" ")}\n");
            yaml.Append(CultureInfo.InvariantCulture, $"      - record: grafana_query_{i}\n        expr: |\n");
            foreach (var line in queries[i].Expr.ReplaceLineEndings("\n").Split('\n'))
                yaml.Append("          ").Append(line).Append('\n');
        }
        var dir = Directory.CreateTempSubdirectory("rf-grafana-").FullName;
        try
        {
            var file = Path.Combine(dir, "queries.yml");
            await File.WriteAllTextAsync(file, yaml.ToString());

            var result = await ProcessRunner.RunAsync("promtool", ["check", "rules", file], TimeSpan.FromSeconds(60));

            Assert.True(result.ExitCode == 0, yaml + result.StandardOutput + result.StandardError);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Queries_WalkCollapsedRows_AndSkipHiddenTargets()
    {
        using var dashboard = JsonDocument.Parse("""
            {"panels": [
              {"id": 1, "type": "timeseries", "title": "top", "targets": [{"refId": "A", "expr": "a_metric"}, {"refId": "B", "expr": "hidden_metric", "hide": true}]},
              {"id": 2, "type": "row", "title": "row", "collapsed": true, "panels": [
                {"id": 3, "type": "stat", "title": "inside", "targets": [{"refId": "A", "expr": "b_metric"}, {"refId": "B", "expr": "c_metric", "hide": false}]}
              ]}
            ]}
            """);

        var queries = GrafanaDashboard.Queries(dashboard);

        (string Panel, string Expr)[] expected = [("top", "a_metric"), ("inside", "b_metric"), ("inside", "c_metric")];
        Assert.Equal(expected, queries.ToArray());
        Assert.Equal(3, GrafanaDashboard.Panels(dashboard).Count);
    }

    [Theory]
    [InlineData("x{instance=\"$router\",nic=~\"$nic\"}", "10.0.0.1:8080", ".*", "x{instance=\"10.0.0.1:8080\",nic=~\".*\"}")]
    [InlineData("x{instance=\"${router}\",nic=~\"${nic}\"}", "r:1", "wan0", "x{instance=\"r:1\",nic=~\"wan0\"}")]
    [InlineData("x{nic=~\"$nic\"}", "r", "eth0.100", "x{nic=~\"eth0\\\\.100\"}")]
    [InlineData("x{nic=~\"${nic:regex}\"}", "r", "a+b", "x{nic=~\"a\\\\+b\"}")]
    [InlineData("rate(x[$__rate_interval]) + rate(x[$__interval]) + increase(x[$__range])", "r", ".*", "rate(x[1m]) + rate(x[15s]) + increase(x[5m])")]
    [InlineData("x{a=\"$other\"}", "r", ".*", "x{a=\"$other\"}")]
    public void Substitute_ReplacesTheVariablesAndGrafanasIntervals(string expr, string router, string nic, string expected)
    {
        Assert.Equal(expected, GrafanaDashboard.Substitute(expr, router, nic));
    }

    [Theory]
    [InlineData("label_values(routingflow_wan_capacity_bps, instance)", "group by (instance) (routingflow_wan_capacity_bps)")]
    [InlineData("label_values(routingflow_wan_capacity_bps{instance=\"$router\"}, nic)", "group by (nic) (routingflow_wan_capacity_bps{instance=\"$router\"})")]
    [InlineData("label_values(m{a=\"1\",b=\"2\"},  c )", "group by (c) (m{a=\"1\",b=\"2\"})")]
    [InlineData("up", "up")]
    public void LabelValuesToPromQL_IsAGroupBy(string query, string expected)
    {
        Assert.Equal(expected, GrafanaDashboard.LabelValuesToPromQL(query));
    }

    private static JsonDocument Load() => JsonDocument.Parse(File.ReadAllText(GrafanaDashboard.Path));

    private static string Title(JsonElement panel) =>
        panel.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String ? title.GetString() ?? "" : "";

    private static bool IsRow(JsonElement panel) =>
        panel.TryGetProperty("type", out var type) && type.GetString() == "row";

    private static bool IsPrometheus(JsonElement element) =>
        element.TryGetProperty("datasource", out var datasource) && datasource.ValueKind == JsonValueKind.Object
        && datasource.TryGetProperty("type", out var type) && type.GetString() == "prometheus"
        && datasource.TryGetProperty("uid", out var uid) && uid.GetString() == DatasourceUid;

    /// <summary>
    /// Each query with its panel and the row it is under: a collapsed row's own panels, or (an expanded row) the
    /// top-level panels placed below the row and above the next one.
    /// </summary>
    private static List<(string Row, string Panel, string Expr)> QueriesByRow(JsonDocument dashboard)
    {
        var top = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .OrderBy(p => p.GetProperty("gridPos").GetProperty("y").GetInt32())
            .ThenBy(p => p.GetProperty("gridPos").GetProperty("x").GetInt32())
            .ToList();
        var queries = new List<(string Row, string Panel, string Expr)>();
        var row = "";
        foreach (var panel in top)
        {
            if (IsRow(panel))
                row = Title(panel);
            using var single = JsonDocument.Parse($"{{\"panels\": [{panel.GetRawText()}]}}");
            queries.AddRange(GrafanaDashboard.Queries(single).Select(q => (row, q.Panel, q.Expr)));
        }
        return queries;
    }

    /// <summary>Every C# file of src/ (bin and obj left out), as one text.</summary>
    private static string ServerSource()
    {
        var separator = Path.DirectorySeparatorChar;
        return string.Join('\n', Directory.EnumerateFiles(Path.Combine(GrafanaDashboard.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{separator}bin{separator}", StringComparison.Ordinal)
                && !path.Contains($"{separator}obj{separator}", StringComparison.Ordinal))
            .Select(File.ReadAllText));
    }

    /// <summary>The <c>- record:</c> names of deploy/prometheus/routingflow.rules.yml.</summary>
    private static HashSet<string> RecordingRules() =>
        RecordRule().Matches(File.ReadAllText(Path.Combine(GrafanaDashboard.Root, RulesFile)))
            .Select(m => m.Groups["name"].Value)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The metric names a PromQL expression reads: once strings, label matchers, ranges and label lists (by, without,
    /// on, ignoring, group_left/right) are taken out, the identifiers with an underscore that are not followed by '('
    /// (functions, aggregations) and are not a keyword or a Grafana variable.
    /// </summary>
    private static HashSet<string> MetricNames(string expr)
    {
        var text = QuotedString().Replace(expr, " ");
        text = LabelMatchers().Replace(text, " ");
        text = RangeSelector().Replace(text, " ");
        text = LabelList().Replace(text, " ");
        return Identifier().Matches(text)
            .Select(m => m.Value)
            .Where(name => name.Contains('_', StringComparison.Ordinal) && !Keywords.Contains(name))
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^\s*-\s*record:\s*(?<name>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex RecordRule();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'|`[^`]*`")]
    private static partial Regex QuotedString();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex RangeSelector();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", RegexOptions.IgnoreCase)]
    private static partial Regex LabelList();

    [GeneratedRegex(@"(?<![\w:.$])[A-Za-z_:][\w:]*(?![\w:]|\s*\()")]
    private static partial Regex Identifier();
}
