using RoutingFlow.Testing.Processes;

namespace RoutingFlow.Server.Tests.Infrastructure;

/// <summary>Runs the real <c>routingflow</c> program (the built assembly beside the tests) as a separate process.</summary>
public static class RoutingFlowProcess
{
    public static string Assembly => Path.Combine(AppContext.BaseDirectory, "routingflow.dll");

    public static Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", [Assembly, .. arguments], TimeSpan.FromMinutes(2));
}
