using System.Diagnostics;
using System.Text;

namespace RoutingFlow.Testing.Processes;

/// <summary>
/// A long-running program a test starts (a server, tcpdump, iperf3): its output is collected, and it is killed
/// with its children when the test disposes it, whether the test passed or not.
/// </summary>
public sealed class BackgroundProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private int _disposed;

    private BackgroundProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public static BackgroundProcess Start(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var process = new Process { StartInfo = ProcessRunner.StartInfo(fileName, arguments, environment), EnableRaisingEvents = true };
        var background = new BackgroundProcess(process);
        process.OutputDataReceived += (_, e) => background.Append(e.Data);
        process.ErrorDataReceived += (_, e) => background.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return background;
    }

    /// <summary>Sends SIGINT (tcpdump flushes and exits) and waits for the exit.</summary>
    public Task InterruptAsync(TimeSpan timeout) => SignalAsync("-INT", timeout);

    /// <summary>Sends SIGTERM (a server stops gracefully) and waits for the exit.</summary>
    public Task TerminateAsync(TimeSpan timeout) => SignalAsync("-TERM", timeout);

    private async Task SignalAsync(string signal, TimeSpan timeout)
    {
        if (_process.HasExited)
            return;
        using (var kill = Process.Start("kill", [signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        await Task.Delay(50); // let the asynchronous readers drain
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }
}
