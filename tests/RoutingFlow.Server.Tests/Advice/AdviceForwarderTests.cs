using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RoutingFlow.Server.Advice;

namespace RoutingFlow.Server.Tests.Advice;

/// <summary>Applied moves handed to the routing side: a real shell command gets them on stdin; failures are reported, not thrown.</summary>
public sealed class AdviceForwarderTests : IDisposable
{
    private static readonly AppliedMoves Moves = new(new DateTimeOffset(2026, 12, 3, 19, 0, 0, TimeSpan.Zero), "198.18.0.1",
        [new PlanMove("10.0.0.11", "wan1", "wan0", 19e6, 1e5)]);

    private readonly string _directory = Directory.CreateTempSubdirectory("rf-forward-").FullName;
    private readonly ServiceProvider _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();

    public void Dispose()
    {
        _services.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private AdviceForwarder Forwarder(AdviceOptions options) => new(options, _services.GetRequiredService<IHttpClientFactory>());

    [Fact]
    public async Task Command_GetsTheMovesAsJsonOnStdin()
    {
        var file = Path.Combine(_directory, "moves.json");

        var result = await Forwarder(new AdviceOptions { ApplyCommand = $"cat > '{file}'" }).ForwardAsync(Moves, CancellationToken.None);

        Assert.Equal((0, (string?)null), (result.CommandExitCode, result.CommandError));
        var json = JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement;
        Assert.Equal("198.18.0.1", json.GetProperty("by").GetString());
        var move = json.GetProperty("moves")[0];
        Assert.Equal(("10.0.0.11", "wan1", "wan0"), (move.GetProperty("target").GetString(), move.GetProperty("from").GetString(), move.GetProperty("to").GetString()));
    }

    [Fact]
    public async Task Command_ThatFails_IsReportedWithItsStderr()
    {
        var result = await Forwarder(new AdviceOptions { ApplyCommand = "echo 'no such table' >&2; exit 3" }).ForwardAsync(Moves, CancellationToken.None);

        Assert.Equal(3, result.CommandExitCode);
        Assert.Equal("'echo 'no such table' >&2; exit 3' exited with 3: no such table", result.CommandError);
    }

    [Fact]
    public async Task Command_ThatIgnoresItsInput_IsNoError()
    {
        for (var i = 0; i < 20; i++) // the command often exits before the moves are written: a broken pipe, not a failure
        {
            var result = await Forwarder(new AdviceOptions { ApplyCommand = "exit 0" }).ForwardAsync(Moves, CancellationToken.None);
            Assert.Equal((0, (string?)null), (result.CommandExitCode, result.CommandError));
        }
    }

    [Fact]
    public async Task Command_ThatHangs_IsStoppedAtTheTimeout()
    {
        var result = await Forwarder(new AdviceOptions { ApplyCommand = "sleep 30", ApplyTimeout = TimeSpan.FromSeconds(1) }).ForwardAsync(Moves, CancellationToken.None);

        Assert.Null(result.CommandExitCode);
        Assert.Equal("'sleep 30' did not finish within 1 s and was stopped", result.CommandError);
    }

    [Fact]
    public async Task Url_Refused_IsReported()
    {
        var result = await Forwarder(new AdviceOptions { ApplyUrl = "http://127.0.0.1:9/apply" }).ForwardAsync(Moves, CancellationToken.None);

        Assert.Null(result.UrlStatus);
        Assert.StartsWith("http://127.0.0.1:9/apply: ", result.UrlError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingConfigured_DoesNothing()
    {
        var result = await Forwarder(new AdviceOptions()).ForwardAsync(Moves, CancellationToken.None);

        Assert.Equal(new ForwardResult(null, null, null, null, null, null), result);
    }
}
