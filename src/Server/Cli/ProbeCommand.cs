using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Probing;
using RoutingFlow.Server.Configuration;

namespace RoutingFlow.Server.Cli;

/// <summary>
/// <c>routingflow probe -i eth0 [-i eth1] -s 1.1.1.1 [-s 8.8.8.8] [--method window|download|upload] [--url URL] [--once]</c>:
/// the original standalone tool, without the web host. Each round prints a line per interface
/// (<c>eth0: |1.1.1.1:150Mbps|8.8.8.8:200Mbps|</c>) on stdout and each failure on stderr; rounds repeat at the
/// method's interval until interrupted, or once with <c>--once</c>. Exit codes: 0 measured; 1 usage or
/// configuration error, or with <c>--once</c> every probe failed; 2 an unknown interface or an unresolvable server.
/// </summary>
public static class ProbeCommand
{
    public const string Usage = "usage: routingflow probe -i INTERFACE [-i ...] -s SERVER[:PORT] [-s ...] [--method window|download|upload] [--url URL] [--once] [--RoutingFlow:Probe:Key=Value ...]";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!ProbeArguments.TryParse(args, out var parsed, out var usageError, out var missing))
            return Fail(stderr, usageError!, Usage, missing ? 2 : 1);
        ProbeSettings settings;
        try
        {
            settings = RoutingFlowConfiguration.Load(OfflineConfiguration.Build(parsed.Overrides), AppContext.BaseDirectory).Probe;
        }
        catch (ConfigurationException e)
        {
            return Fail(stderr, e.Message, null, 1);
        }
        if (await CheckAsync(parsed, cancellationToken) is { } problem)
            return Fail(stderr, problem, null, 2);
        var runner = new ProbeRunner(settings.Timing, new ProbeTraffic(), TimeProvider.System,
            itf => stderr.WriteLine($"routingflow probe: warning: this platform cannot bind to {itf} (SO_BINDTODEVICE); the OS chooses the interface"));
        return await LoopAsync(parsed, settings, runner, stdout, stderr, cancellationToken);
    }

    private static async Task<int> LoopAsync(ProbeArguments parsed, ProbeSettings settings, ProbeRunner runner, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var rounds = await Task.WhenAll(parsed.Interfaces.Select(itf => RoundAsync(itf, parsed.Targets, runner, cancellationToken)));
                foreach (var (itf, results) in parsed.Interfaces.Zip(rounds))
                    Report(itf, results, settings.CorrectionFactor, stdout, stderr);
                if (parsed.Once)
                    return rounds.Any(r => r.Any(x => x.Result.Succeeded)) ? 0 : 1;
                await Task.Delay(settings.IntervalOf(parsed.Targets[0].Method), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
    }

    /// <summary>The targets of one interface, one after another.</summary>
    private static async Task<List<(string Server, ProbeResult Result)>> RoundAsync(string itf, IReadOnlyList<ProbeTarget> targets, ProbeRunner runner, CancellationToken cancellationToken)
    {
        var results = new List<(string, ProbeResult)>();
        foreach (var target in targets)
            results.Add((target.Server, await runner.RunAsync(itf, target, cancellationToken)));
        return results;
    }

    private static void Report(string itf, List<(string Server, ProbeResult Result)> results, double correction, TextWriter stdout, TextWriter stderr)
    {
        foreach (var (server, result) in results.Where(r => !r.Result.Succeeded))
            stderr.WriteLine($"Error measuring {server} on {itf}: {result.Error}");
        stdout.WriteLine(ProbeRoundLine.Format(itf, results, correction));
        stdout.Flush();
    }

    /// <summary>An unknown interface or an unresolvable server, before anything is probed.</summary>
    private static async Task<string?> CheckAsync(ProbeArguments parsed, CancellationToken cancellationToken)
    {
        foreach (var itf in parsed.Interfaces)
        {
            if (InterfaceBinding.Supported && InterfaceBinding.CheckExists(itf) is { } missing)
                return $"routingflow probe: {missing}";
        }
        foreach (var host in parsed.Targets.Select(t => t.Host).Distinct())
        {
            try
            {
                await ProbeConnector.ResolveAsync(host, cancellationToken);
            }
            catch (ProbeException e)
            {
                return $"routingflow probe: {e.Message}";
            }
        }
        return null;
    }

    private static int Fail(TextWriter stderr, string message, string? usage, int code)
    {
        stderr.WriteLine(message.StartsWith("routingflow", StringComparison.Ordinal) || usage is null ? message : $"routingflow probe: {message}");
        if (usage is not null)
            stderr.WriteLine(usage);
        return code;
    }
}
