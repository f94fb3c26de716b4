using RoutingFlow.Server;
using RoutingFlow.Server.Cli;

if (args.Length > 0 && args[0] == "analyze")
    return AnalyzeCommand.Run(args, Console.OpenStandardOutput(), Console.Error, stderrIsTerminal: !Console.IsErrorRedirected);

var serveArgs = args.Length > 0 && args[0] == "serve" ? args[1..] : args;
return await ServerHost.RunAsync(serveArgs);
