using System.Net;
using RoutingFlow.Testing.Http;

// The lab's speed-test server (see ProbeTestServer), run inside a namespace:
//   dotnet RoutingFlow.ProbeServer.dll 198.51.100.1:80 [2001:db8:51::1:80 ...]
// Prints "listening" once every endpoint is bound, one line per request, and runs until killed.
if (args.Length == 0 || args.Any(a => !IPEndPoint.TryParse(a, out _)))
{
    Console.Error.WriteLine("usage: RoutingFlow.ProbeServer ADDRESS:PORT [ADDRESS:PORT ...]");
    return 2;
}
await using var server = ProbeTestServer.Start(Console.WriteLine, [.. args.Select(IPEndPoint.Parse)]);
Console.WriteLine($"listening on {string.Join(", ", server.Endpoints)}");
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}
return 0;
