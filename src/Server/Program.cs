using RoutingFlow.Server;
using RoutingFlow.Server.Cli;
using RoutingFlow.Server.Configuration;

if (args.Length > 0 && args[0] == "analyze")
    return AnalyzeCommand.Run(args, Console.OpenStandardOutput(), Console.Error, stderrIsTerminal: !Console.IsErrorRedirected);

if (args.Length > 0 && args[0] == "probe")
{
    using var interrupted = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        interrupted.Cancel();
    };
    return await ProbeCommand.RunAsync(args, Console.Out, Console.Error, interrupted.Token);
}

if (args.Length > 0 && args[0] == "check")
    return await CheckCommand.RunAsync(args, OfflineConfiguration.Build([])["Urls"], Console.Out, Console.Error);

var serveArgs = args.Length > 0 && args[0] == "serve" ? args[1..] : args;
return await ServerHost.RunAsync(serveArgs);
