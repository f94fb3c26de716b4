using System.Text.Json;

namespace RoutingFlow.Server.Devices;

/// <summary>
/// The attached set in <c>devices.json</c> in the data directory, so that it survives a restart: read once at start
/// (an unreadable file is reported and the server starts with none), written after each change (a temporary file
/// renamed over the old one; a failure is kept in <see cref="SaveError"/> and logged, the devices still counted).
/// </summary>
public sealed partial class DeviceStateFile(string dataDirectory, ILogger logger)
{
    public const string FileName = "devices.json";

    public string Path { get; } = System.IO.Path.Combine(dataDirectory, FileName);

    /// <summary>The last error saving the attached set (null when saved).</summary>
    public string? SaveError { get; private set; }

    public List<string> Load()
    {
        try
        {
            if (!File.Exists(Path))
                return [];
            var names = JsonSerializer.Deserialize<List<string>>(File.ReadAllText(Path)) ?? [];
            return names.Where(DeviceInfo.IsValidName).Distinct(StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            LogLoadFailed(logger, Path, e.Message);
            return [];
        }
    }

    public void Save(IEnumerable<string> names)
    {
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var temporary = Path + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(names.Order(StringComparer.Ordinal).ToList()));
            File.Move(temporary, Path, overwrite: true);
            SaveError = null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            SaveError = $"cannot save the attached devices to {Path}: {e.Message}";
            LogSaveFailed(logger, SaveError);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read the attached devices from {Path}: {Reason}; starting with none")]
    private static partial void LogLoadFailed(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Reason}")]
    private static partial void LogSaveFailed(ILogger logger, string reason);
}
