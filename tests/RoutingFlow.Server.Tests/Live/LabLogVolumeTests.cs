using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Waiting;
using Xunit.Abstractions;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// The log at steady load, with the default logging of appsettings.json: a download through wan0 for a while, and the
/// server's log grows by at most 10 lines a minute (no per-second summary, no per-command database lines, no
/// per-request lines). The window starts once the download runs and the history has been written at least once.
/// </summary>
public sealed class LabLogVolumeTests(ITestOutputHelper output)
{
    private const string NicJson = """{"nics":[{"name":"wan0","interface":"wan0"},{"name":"wan1","interface":"wan1"}]}""";
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(18);

    [RootFact]
    public async Task SteadyDownload_LogsAtMostTenLinesAMinute()
    {
        await using var lab = await NamespaceLab.StartAsync("50mbit", "50mbit");
        var data = Directory.CreateTempSubdirectory("rf-logvolume-").FullName;
        try
        {
            await using var server = await Infrastructure.RoutingFlowServer.StartAsync(NicJson, [$"--RoutingFlow:DataDirectory={data}"],
                listen: NamespaceLab.RouterAddress, lab: lab);
            lab.Start("inet", "iperf3", "-s", "-p", "5201");
            await Eventually.WaitAsync(async () => (await lab.ExecAsync("inet", "ss", "-ltn")).StandardOutput.Contains(":5201", StringComparison.Ordinal),
                TimeSpan.FromSeconds(10), "iperf3 to listen");
            var download = lab.Iperf3Async("h1", "-c", NamespaceLab.Server, "-p", "5201", "-t", "30", "-R");
            await Eventually.WaitAsync(async () => Rx(await server.StatusAsync()) > 10e6, TimeSpan.FromSeconds(20), "the download to show on wan0");
            await Eventually.WaitAsync(async () => (await server.StatusAsync()).GetProperty("storage").GetProperty("written").GetInt64() > 0,
                TimeSpan.FromSeconds(20), "the history to be written");

            var before = Lines(server.Output);
            await Task.Delay(Window); // a fixed window is the measurement here, not a wait for a condition
            var during = Lines(server.Output).Skip(before.Count).ToList();
            await download;

            foreach (var line in during)
                output.WriteLine(line);
            var perMinute = during.Count * 60 / Window.TotalSeconds;
            Assert.True(perMinute <= 10, $"{during.Count} lines in {Window.TotalSeconds:0} s ({perMinute:0} a minute) at steady load:\n{string.Join('\n', during.Take(20))}");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    private static double Rx(System.Text.Json.JsonElement status) =>
        status.GetProperty("nics").EnumerateArray().Where(n => n.GetProperty("name").GetString() == "wan0").Sum(n => n.GetProperty("rxBps").GetDouble());
}
