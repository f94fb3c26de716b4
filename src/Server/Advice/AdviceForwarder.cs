using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace RoutingFlow.Server.Advice;

/// <summary>What the routing side made of applied moves: null where nothing is configured.</summary>
public sealed record ForwardResult(string? Url, int? UrlStatus, string? UrlError, string? Command, int? CommandExitCode, string? CommandError);

/// <summary>The body posted to <c>Advice:ApplyUrl</c> and written to <c>Advice:ApplyCommand</c>'s stdin.</summary>
public sealed record AppliedMoves(DateTimeOffset AppliedAt, string By, IReadOnlyList<PlanMove> Moves);

/// <summary>
/// Hands applied moves to the routing side: POSTs them as JSON to <c>Advice:ApplyUrl</c> (any 2xx is success), and
/// runs <c>Advice:ApplyCommand</c> (through <c>/bin/sh -c</c>) with the same JSON on stdin (exit code 0 is success),
/// each within <c>Advice:ApplyTimeout</c>. A failure is reported, never thrown: the overrides apply either way.
/// </summary>
public sealed class AdviceForwarder(AdviceOptions options, IHttpClientFactory http)
{
    public async Task<ForwardResult> ForwardAsync(AppliedMoves moves, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(moves, JsonSerializerOptions.Web);
        var (status, urlError) = options.ApplyUrl is { } url ? await PostAsync(url, json, cancellationToken) : (null, null);
        var (exit, commandError) = options.ApplyCommand is { } command ? await RunAsync(command, json, cancellationToken) : (null, null);
        return new ForwardResult(Security.Secrets.Url(options.ApplyUrl), status, urlError, options.ApplyCommand, exit, commandError);
    }

    private async Task<(int?, string?)> PostAsync(string url, string json, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ApplyTimeout);
        var shown = Security.Secrets.Url(url); // a token in the query stays out of answers and logs
        try
        {
            using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
            using var response = await http.CreateClient(nameof(AdviceForwarder)).PostAsync(url, content, timeout.Token);
            return ((int)response.StatusCode, response.IsSuccessStatusCode ? null : $"{shown} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"{shown} did not answer within {options.ApplyTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return (null, $"{shown}: {e.Message}");
        }
    }

    private async Task<(int?, string?)> RunAsync(string command, string json, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", command]) { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ApplyTimeout);
        try
        {
            using var process = Process.Start(start)!;
            try
            {
                await process.StandardInput.WriteAsync(json);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The command exited without reading its input (a broken pipe): its exit code says how it went.
            }
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            _ = process.StandardOutput.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return (null, $"'{command}' did not finish within {options.ApplyTimeout.TotalSeconds:0.#} s and was stopped");
            }
            var error = (await stderr).Trim();
            return (process.ExitCode, process.ExitCode == 0 ? null : $"'{command}' exited with {process.ExitCode}{(error.Length > 0 ? ": " + error : "")}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (null, $"'{command}' could not be run: {e.Message}");
        }
    }
}
