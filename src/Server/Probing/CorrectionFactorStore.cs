using System.Text.Json;
using RoutingFlow.Capture.Probing;

namespace RoutingFlow.Server.Probing;

/// <summary>
/// The correction factor and where it lives: <c>correction-factor.json</c> in the data directory, written when the
/// factor is set (to a temporary file, then renamed) and read at start-up, so the factor survives a restart.
/// Until one is set, the configured <c>RoutingFlow:Probe:CorrectionFactor</c> applies. A file that cannot be read
/// or written is reported in <see cref="Error"/>; the factor in memory still applies.
/// </summary>
public sealed class CorrectionFactorStore : IDisposable
{
    public const string FileName = "correction-factor.json";
    private readonly SemaphoreSlim _lock = new(1, 1);
    private bool _database;

    public CorrectionFactorStore(string directory, double configured)
    {
        Path = System.IO.Path.Combine(directory, FileName);
        Current = configured;
        Source = "config";
        Load();
    }

    public string Path { get; }

    public double Current { get; private set; }

    /// <summary><c>config</c>; <c>state file</c> once set over HTTP or read back from the file; <c>database</c> once storage holds it.</summary>
    public string Source { get; private set; }

    public string? Error { get; private set; }

    public DateTimeOffset? Updated { get; private set; }

    /// <summary>Once the database holds the factor: called with each new one; returns the error if it could not be written.</summary>
    public Func<double, DateTimeOffset, Task<string?>>? Saved { get; set; }

    /// <summary>The database's factor applies from now on, and new ones go to <see cref="Saved"/>.</summary>
    public void UseDatabase(double factor, DateTimeOffset updated)
    {
        _lock.Wait();
        try
        {
            (Current, Source, Updated, Error, _database) = (factor, "database", updated, null, true);
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>Renames the state file once its factor is in the database; returns the new name (null if none or not renamed).</summary>
    public string? RetireStateFile()
    {
        try
        {
            if (!File.Exists(Path))
                return null;
            File.Move(Path, Path + ".migrated", overwrite: true);
            return Path + ".migrated";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Sets and persists the factor; returns the error when it could not be written (the factor applies anyway).</summary>
    public async Task<string?> SetAsync(double value, DateTimeOffset now)
    {
        await _lock.WaitAsync();
        try
        {
            Current = value;
            Updated = now;
            if (_database)
            {
                Error = Saved is { } saved ? await saved(value, now) : null;
                return Error;
            }
            Source = "state file";
            try
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
                var temporary = Path + ".tmp";
                File.WriteAllText(temporary, JsonSerializer.Serialize(new StateFile(value, now), JsonSerializerOptions.Web));
                File.Move(temporary, Path, overwrite: true);
                Error = null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Error = $"the correction factor {CorrectionFactor.Format(value)} applies but could not be saved to {Path}: {e.Message}";
            }
            return Error;
        }
        finally
        {
            _lock.Release();
        }
    }

    private void Load()
    {
        if (!File.Exists(Path))
            return;
        try
        {
            var state = JsonSerializer.Deserialize<StateFile>(File.ReadAllText(Path), JsonSerializerOptions.Web);
            if (state is null || !CorrectionFactor.IsValid(state.CorrectionFactor))
                throw new JsonException($"correctionFactor must be a positive number, not {state?.CorrectionFactor}");
            (Current, Source, Updated) = (state.CorrectionFactor, "state file", state.Updated);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            Error = $"{Path} is unreadable ({e.Message}); using the configured factor {CorrectionFactor.Format(Current)}";
        }
    }

    private sealed record StateFile(double CorrectionFactor, DateTimeOffset? Updated);
}
