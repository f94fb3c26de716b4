using RoutingFlow.Testing.Processes;

namespace RoutingFlow.Testing.Lab;

/// <summary>
/// The multi-WAN namespace lab of <c>tests/lab/lab.sh</c> (see its header for the topology). Each instance has its
/// own ID; disposing it kills everything started inside and deletes its namespaces, even when the test failed.
/// </summary>
public sealed class NamespaceLab : IAsyncDisposable
{
    public const string Server = "192.0.2.100";
    public const string Server6 = "2001:db8:100::100";
    public const string H1 = "192.168.50.11";
    public const string H2 = "192.168.50.12";
    public const string H1v6 = "fd50::11";
    public const string H2v6 = "fd50::12";
    public const string RootAddress = "198.18.0.1";
    public const string RouterAddress = "198.18.0.2";

    private readonly List<BackgroundProcess> _processes = [];

    private NamespaceLab(string id)
    {
        Id = id;
    }

    public string Id { get; }

    public static string Script => Path.Combine(AppContext.BaseDirectory, "lab", "lab.sh");

    public string Namespace(string node) => $"rf-{Id}-{node}";

    public static async Task<NamespaceLab> StartAsync(string rate0 = "20mbit", string rate1 = "10mbit")
    {
        var lab = new NamespaceLab(Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await lab.ScriptAsync("up", rate0, rate1);
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends <paramref name="host"/> (h1, h2) out of <paramref name="wan"/> (wan0, wan1), both directions.</summary>
    public Task RouteAsync(string host, string wan) => ScriptAsync("route", host, wan);

    /// <summary>Runs a command in a node to completion.</summary>
    public Task<ProcessResult> ExecAsync(string node, params string[] command) =>
        ProcessRunner.RunAsync("ip", ["netns", "exec", Namespace(node), .. command], TimeSpan.FromMinutes(2));

    /// <summary>Starts a command in a node; it is killed when the lab is disposed, if not before.</summary>
    public BackgroundProcess Start(string node, params string[] command)
    {
        var process = BackgroundProcess.Start("ip", ["netns", "exec", Namespace(node), .. command]);
        lock (_processes)
            _processes.Add(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var process in _processes)
                await process.DisposeAsync();
        }
        finally
        {
            await RemoveAsync();
        }
    }

    private async Task RemoveAsync()
    {
        await ProcessRunner.RunAsync("bash", [Script, "down", Id], TimeSpan.FromMinutes(1));
    }

    private async Task ScriptAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("bash", [Script, arguments[0], Id, .. arguments[1..]], TimeSpan.FromMinutes(1));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"lab.sh {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StandardError}{result.StandardOutput}");
    }
}
