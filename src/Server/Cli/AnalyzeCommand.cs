using System.Runtime;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Analysis;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Capture.Tcp;
using RoutingFlow.Server.Configuration;

namespace RoutingFlow.Server.Cli;

/// <summary>
/// <c>routingflow analyze FILE [--format json|csv] [--max-endpoints N] [--flows N] [--no-tcp] [--Key=Value…]</c>:
/// offline analysis of a pcap/pcapng without the web host — endpoints, and the TCP health of every flow (all flows:
/// the file is analysed whatever <c>Tcp:Scope</c> says). Exit codes: 0 done, 1 usage or configuration error, 2 the file cannot be
/// analysed (missing, unreadable, not a capture), 3 libpcap missing.
/// </summary>
public static class AnalyzeCommand
{
    /// <summary>
    /// <c>--RoutingFlow:Network:ConnectTimeout</c> read ahead of the rest of the configuration (the count starts before
    /// it loads); the default otherwise. A bad value is reported when the configuration loads.
    /// </summary>
    private static TimeSpan ConnectTimeout(string[] overrides)
    {
        var text = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddCommandLine(overrides).Build()["RoutingFlow:Network:ConnectTimeout"];
        return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var timeout) && timeout > TimeSpan.Zero
            ? timeout : TcpAnalyzer.DefaultConnectTimeout;
    }

    public const string Usage = "usage: routingflow analyze FILE [--format json|csv] [--max-endpoints N] [--flows N] [--no-tcp] [--progress|--no-progress] [--RoutingFlow:Key=Value ...]";

    /// <param name="stderrIsTerminal">Whether <paramref name="stderr"/> is a terminal: progress then shows by default, on one line rewritten in place.</param>
    public static int Run(string[] args, Stream stdout, TextWriter stderr, bool stderrIsTerminal = false)
    {
        if (!AnalyzeArguments.TryParse(args, out var parsed, out var usageError))
        {
            stderr.WriteLine($"routingflow analyze: {usageError}");
            stderr.WriteLine(Usage);
            return 1;
        }
        GCSettings.LatencyMode = GCLatencyMode.Batch; // a batch job: no background GC competing with the count
        // Counting needs no configuration: it runs on its own thread (the other core) while configuration loads.
        // Progress on stderr when it is a terminal (or --progress says so), never mixed into the report on stdout.
        var progress = (parsed.Progress ?? stderrIsTerminal) ? new AnalyzeProgress(stderr, stderrIsTerminal) : null;
        var tcp = parsed.Tcp ? new TcpAnalyzer(new TcpAnalysisOptions(), connectTimeout: ConnectTimeout(parsed.Overrides)) : null;
        var protocols = parsed.Tcp ? new RoutingFlow.Capture.Protocols.ProtocolAnalyzer(names: new RoutingFlow.Capture.Protocols.NameCache()) : null;
        IPacketConsumer[] others = tcp is not null && protocols is not null ? [tcp, protocols] : [];
        var counting = Task.Factory.StartNew(() => OfflineAnalyzer.Count(parsed.File, parsed.MaxEndpoints, progress, others),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            var settings = RoutingFlowConfiguration.Load(OfflineConfiguration.Build(parsed.Overrides), AppContext.BaseDirectory);
            var local = new NetworkSet(settings.LocalNetworks);
            var count = counting.GetAwaiter().GetResult();
            var report = new OfflineAnalyzer(local, settings.StaticMap, parsed.MaxEndpoints) { TopFlows = parsed.Flows }.Report(count, tcp, protocols);
            foreach (var warning in report.Warnings)
                stderr.WriteLine($"routingflow analyze: warning: {warning}");
            Write(report, parsed.Format, stdout);
            return 0;
        }
        catch (ConfigurationException e)
        {
            stderr.WriteLine(e.Message);
            return 1;
        }
        catch (CaptureSourceException e)
        {
            stderr.WriteLine($"routingflow analyze: {e.Message}");
            return e.LibpcapMissing ? 3 : 2;
        }
    }

    private static void Write(AnalysisReport report, string format, Stream stdout)
    {
        using var buffered = new BufferedStream(stdout, 1 << 16);
        if (format == "csv")
            AnalysisReportWriter.WriteCsv(buffered, report);
        else
            AnalysisReportWriter.WriteJson(buffered, report);
    }
}
