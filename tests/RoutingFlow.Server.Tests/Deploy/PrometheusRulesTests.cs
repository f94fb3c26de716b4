using System.Text.RegularExpressions;
using RoutingFlow.Testing.Processes;

namespace RoutingFlow.Server.Tests.Deploy;

/// <summary>
/// deploy/prometheus as promtool sees it (the scrape config, the rules, the rules' unit tests), and every metric the
/// rules read is one the server registers (or a recording rule of the same file): renaming a metric in src/Server
/// without the rules fails here.
/// </summary>
public sealed class PrometheusRulesTests
{
    private const string Config = "deploy/prometheus/prometheus.yml";
    private const string RulesFile = "deploy/prometheus/routingflow.rules.yml";
    private const string RulesTestFile = "deploy/prometheus/routingflow.rules.test.yml";

    private static readonly string Root = FindRoot();

    private static readonly string[] SeriesSuffixes = ["_bucket", "_sum", "_count"];

    /// <summary>Series Prometheus makes itself for every target, not the server.</summary>
    private static readonly HashSet<string> PrometheusOwn = new(StringComparer.Ordinal)
    {
        "up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added",
    };

    /// <summary>PromQL words that look like a metric name where they stand (functions and aggregations are followed by '(').</summary>
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan", "atan2",
    };

    [Fact]
    public async Task Config_PassesPromtoolCheckConfig()
    {
        var result = await PromtoolAsync($"check config {Config}");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task Rules_PassPromtoolCheckRules()
    {
        var result = await PromtoolAsync($"check rules {RulesFile}");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task Rules_PassTheirPromtoolUnitTests()
    {
        var result = await PromtoolAsync($"test rules {RulesTestFile}");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
    }

    [Fact]
    public void Rules_ReadOnlyMetricsTheServerRegisters_OrTheirOwnRecordings()
    {
        var registered = RegisteredMetrics();
        var rules = Rules(File.ReadAllText(Path.Combine(Root, RulesFile)));
        var recorded = rules.Where(r => r.Kind == "record").Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var used = rules.SelectMany(r => MetricNames(r.Expr).Select(name => (Rule: r.Name, Metric: name))).ToList();

        var unknown = used
            .Where(u => !(u.Metric.Contains(':') ? recorded.Contains(u.Metric) : PrometheusOwn.Contains(u.Metric) || IsRegistered(registered, u.Metric)))
            .Select(u => $"{u.Rule}: {u.Metric}")
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.Empty(unknown);
        // the checks above are not vacuous: both sides were found
        Assert.Contains("routingflow_wan_capacity_bps", registered);
        Assert.Contains("routingflow_table_fill_ratio", registered); // registered through a constant
        var names = used.Select(u => u.Metric).ToHashSet(StringComparer.Ordinal);
        foreach (var name in new[] { "up", "routingflow_wan_actual_bps", "network_ip_rx_bps", "tcp_traffic_scan_probe_failures_total", "instance_nic_direction:routingflow_wan_utilization:ratio" })
            Assert.Contains(name, names);
        foreach (var word in new[] { "rate", "increase", "topk", "max", "ip", "direction", "job", "instance" })
            Assert.DoesNotContain(word, names);
    }

    [Fact]
    public void RulesTest_CoversEveryRecordingAndAlert()
    {
        var rules = Rules(File.ReadAllText(Path.Combine(Root, RulesFile)));
        var tests = File.ReadAllText(Path.Combine(Root, RulesTestFile));
        var tested = Regex.Matches(tests, @"^\s*-?\s*(?:alertname|expr):\s*(\S+)\s*$", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value)
            .ToHashSet(StringComparer.Ordinal);

        var untested = rules.Select(r => r.Name).Where(name => !tested.Contains(name)).ToList();

        Assert.Empty(untested);
        Assert.Equal(4, rules.Count(r => r.Kind == "record"));
        Assert.Equal(8, rules.Count(r => r.Kind == "alert"));
    }

    private static Task<ProcessResult> PromtoolAsync(string arguments) =>
        ProcessRunner.RunAsync("sh", ["-c", $"cd \"$0\" && exec promtool {arguments}", Root], TimeSpan.FromSeconds(60));

    /// <summary>A registered name, or a histogram's or summary's series of one.</summary>
    private static bool IsRegistered(HashSet<string> registered, string metric) =>
        registered.Contains(metric)
        || SeriesSuffixes.Any(suffix => metric.EndsWith(suffix, StringComparison.Ordinal) && registered.Contains(metric[..^suffix.Length]));

    /// <summary>
    /// Names given to the factory's Create* calls in src/Server, as a string literal or as a <c>const string</c>
    /// (<c>CreateGauge(Name, …)</c> with <c>const string Name = "…"</c>).
    /// </summary>
    private static HashSet<string> RegisteredMetrics()
    {
        var source = string.Join('\n', Directory.EnumerateFiles(Path.Combine(Root, "src", "Server"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        var constants = Regex.Matches(source, @"const\s+string\s+(\w+)\s*=\s*""([^""]*)""")
            .ToLookup(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match call in Regex.Matches(source, @"\.Create(?:Counter|Gauge|Histogram|Summary)\(\s*(?:""(?<literal>[^""]+)""|(?<constant>[A-Za-z_][\w.]*))"))
        {
            if (call.Groups["literal"].Success)
                names.Add(call.Groups["literal"].Value);
            else
                names.UnionWith(constants[call.Groups["constant"].Value.Split('.')[^1]]);
        }
        return names;
    }

    private sealed record Rule(string Kind, string Name, string Expr);

    /// <summary>
    /// The rules of a Prometheus rule file: each <c>- record:</c> or <c>- alert:</c> with its <c>expr:</c>, written on
    /// one line (plain or quoted) or as a block scalar (<c>|</c>, <c>&gt;</c>). Enough YAML for the file this tests;
    /// a rule whose expression is not found fails the test rather than being skipped.
    /// </summary>
    private static List<Rule> Rules(string yaml)
    {
        var lines = yaml.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var rules = new List<Rule>();
        (string Kind, string Name)? current = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var head = Regex.Match(lines[i], @"^\s*-\s*(record|alert):\s*(\S+)\s*$");
            if (head.Success)
            {
                if (current is { } open)
                    throw new InvalidOperationException($"{RulesFile}: rule {open.Name} has no expr");
                current = (head.Groups[1].Value, head.Groups[2].Value);
                continue;
            }
            var expr = Regex.Match(lines[i], @"^(\s*)expr:\s*(.*?)\s*$");
            if (!expr.Success)
                continue;
            var (kind, name) = current ?? throw new InvalidOperationException($"{RulesFile} line {i + 1}: an expr outside a rule");
            var indent = expr.Groups[1].Length;
            var value = expr.Groups[2].Value;
            if (value.StartsWith('|') || value.StartsWith('>'))
            {
                var block = new List<string>();
                while (i + 1 < lines.Length && (string.IsNullOrWhiteSpace(lines[i + 1]) || lines[i + 1].Length - lines[i + 1].TrimStart().Length > indent))
                    block.Add(lines[++i]);
                value = string.Join('\n', block);
            }
            else if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
            }
            else if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
            {
                value = value[1..^1].Replace("''", "'", StringComparison.Ordinal);
            }
            rules.Add(new Rule(kind, name, value));
            current = null;
        }
        if (current is { } last)
            throw new InvalidOperationException($"{RulesFile}: rule {last.Name} has no expr");
        return rules;
    }

    /// <summary>
    /// The metric names a PromQL expression reads: what is left once strings, comments, label matchers, ranges and
    /// label lists (by, without, on, ignoring, group_left/right) are taken out, minus function and aggregation names
    /// (followed by '('), operator keywords and numbers.
    /// </summary>
    private static HashSet<string> MetricNames(string expr)
    {
        var text = Regex.Replace(expr, @"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'|`[^`]*`", " ");
        text = Regex.Replace(text, "#[^\n]*", " ");
        text = Regex.Replace(text, @"\{[^}]*\}", " ");
        text = Regex.Replace(text, @"\[[^\]]*\]", " ");
        text = Regex.Replace(text, @"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", RegexOptions.IgnoreCase);
        return Regex.Matches(text, @"(?<![\w:.])[A-Za-z_:][\w:]*(?![\w:]|\s*\()")
            .Select(m => m.Value)
            .Where(name => !Keywords.Contains(name))
            .ToHashSet(StringComparer.Ordinal);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RoutingFlow.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"no RoutingFlow.sln above {AppContext.BaseDirectory}");
    }
}
