using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace RoutingFlow.Server.Cli;

/// <summary>
/// Arguments of <c>analyze</c>: its own flags, the file, and configuration overrides passed through.
/// <see cref="Progress"/>: null unless <c>--progress</c> or <c>--no-progress</c> says (then: when stderr is a terminal).
/// <see cref="Flows"/>: how many flows the TCP section lists (<c>--flows N</c>); <see cref="Tcp"/> false with <c>--no-tcp</c>.
/// </summary>
public sealed record AnalyzeArguments(string File, string Format, int MaxEndpoints, string[] Overrides, bool? Progress = null,
    int Flows = 0, bool Tcp = true)
{
    public const int MaxFlowsListed = 100_000;

    public static bool TryParse(string[] args, [NotNullWhen(true)] out AnalyzeArguments? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        string? file = null;
        var format = "json";
        var maxEndpoints = 262_144;
        var overrides = new List<string>();
        bool? progress = null;
        var (flows, tcp) = (0, true);
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--flows")
            {
                if (i + 1 >= args.Length)
                    return Fail("--flows needs a value", out error);
                var value = args[++i];
                if (!int.TryParse(value, CultureInfo.InvariantCulture, out flows) || flows < 1 || flows > MaxFlowsListed)
                    return Fail($"--flows '{value}' is not a number from 1 to {MaxFlowsListed}", out error);
            }
            else if (arg == "--no-tcp")
            {
                tcp = false;
            }
            else if (arg is "--format" or "--max-endpoints")
            {
                if (i + 1 >= args.Length)
                    return Fail($"{arg} needs a value", out error);
                var value = args[++i];
                if (arg == "--format" && value is not ("json" or "csv"))
                    return Fail($"--format '{value}' is not json or csv", out error);
                if (arg == "--max-endpoints" && (!int.TryParse(value, CultureInfo.InvariantCulture, out maxEndpoints) || maxEndpoints < 1))
                    return Fail($"--max-endpoints '{value}' is not a positive number", out error);
                if (arg == "--format")
                    format = value;
            }
            else if (arg is "--progress" or "--no-progress")
            {
                progress = arg == "--progress";
            }
            else if (arg.StartsWith('-'))
            {
                overrides.Add(arg);
            }
            else if (file is null)
            {
                file = arg;
            }
            else
            {
                return Fail($"unexpected argument '{arg}' (one FILE at a time)", out error);
            }
        }
        if (file is null)
            return Fail("no FILE given", out error);
        if (!tcp && flows > 0)
            return Fail("--flows lists TCP flows; it cannot go with --no-tcp", out error);
        parsed = new AnalyzeArguments(file, format, maxEndpoints, [.. overrides], progress, flows, tcp);
        error = null;
        return true;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
