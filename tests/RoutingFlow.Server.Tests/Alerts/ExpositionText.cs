using System.Globalization;
using System.Text;
using RoutingFlow.Server.Metrics;

namespace RoutingFlow.Server.Tests.Alerts;

/// <summary>Reads the Prometheus text format (what <c>/metrics</c> serves) into samples: the tests' way to write samples, and an oracle for <see cref="MetricValues"/>.</summary>
public static class ExpositionText
{
    /// <summary>The metric families the text declares (<c># TYPE name kind</c>).</summary>
    public static HashSet<string> Families(string text) => text.Split('\n')
        .Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal))
        .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2])
        .ToHashSet(StringComparer.Ordinal);

    public static List<MetricSample> Parse(string text)
    {
        var samples = new List<MetricSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
                continue;
            if (TryParse(line, out var sample))
                samples.Add(sample);
        }
        return samples;
    }

    private static bool TryParse(string line, out MetricSample sample)
    {
        sample = null!;
        var brace = line.IndexOf('{');
        var space = line.IndexOf(' ');
        if (space < 0)
            return false;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        string name;
        int rest;
        if (brace >= 0 && brace < space)
        {
            name = line[..brace];
            rest = ReadLabels(line, brace + 1, labels);
            if (rest < 0)
                return false;
        }
        else
        {
            name = line[..space];
            rest = space;
        }
        var value = line[rest..].Trim().Split(' ')[0];
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            number = value switch { "+Inf" => double.PositiveInfinity, "-Inf" => double.NegativeInfinity, "NaN" => double.NaN, _ => double.NaN };
            if (value is not ("+Inf" or "-Inf" or "NaN"))
                return false;
        }
        sample = new MetricSample(name, labels, number);
        return true;
    }

    /// <summary>Reads <c>a="x",b="y"}</c> from <paramref name="start"/>; returns the index after the closing brace, or -1.</summary>
    private static int ReadLabels(string line, int start, Dictionary<string, string> labels)
    {
        var i = start;
        while (i < line.Length)
        {
            if (line[i] == '}')
                return i + 1;
            if (line[i] == ',')
            {
                i++;
                continue;
            }
            var equals = line.IndexOf('=', i);
            if (equals < 0 || equals + 1 >= line.Length || line[equals + 1] != '"')
                return -1;
            var key = line[i..equals].Trim();
            var value = new StringBuilder();
            i = equals + 2;
            for (; i < line.Length && line[i] != '"'; i++)
            {
                if (line[i] == '\\' && i + 1 < line.Length)
                {
                    i++;
                    value.Append(line[i] == 'n' ? '\n' : line[i]);
                }
                else
                {
                    value.Append(line[i]);
                }
            }
            if (i >= line.Length)
                return -1;
            labels[key] = value.ToString();
            i++; // the closing quote
        }
        return -1;
    }
}
