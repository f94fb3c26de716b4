using System.Text.Json;
using RoutingFlow.Capture.Configuration;

namespace RoutingFlow.Server.Devices;

/// <summary>
/// The devices attached for connection statistics: a capture per device, created and disposed at run time (a
/// detach stops its thread off the request's), and the attached set kept in <c>devices.json</c> in the data
/// directory so that it survives a restart. An attached device that is missing (now, or at start-up) is shown failed
/// and re-opened when it comes back (the capture retries).
/// </summary>
public sealed partial class DeviceRegistry(RoutingFlowSettings settings, string dataDirectory, TimeProvider time, ILogger<DeviceRegistry> logger)
    : IHostedService, IDisposable
{
    public const string FileName = "devices.json";
    private readonly Dictionary<string, DeviceCapture> _devices = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public string StatePath { get; } = Path.Combine(dataDirectory, FileName);

    /// <summary>The last error saving the attached set (null when saved).</summary>
    public string? SaveError { get; private set; }

    public IReadOnlyList<DeviceCapture> Devices
    {
        get
        {
            lock (_gate)
                return [.. _devices.Values.OrderBy(d => d.Interface, StringComparer.Ordinal)];
        }
    }

    public DeviceCapture? Find(string name)
    {
        lock (_gate)
            return _devices.GetValueOrDefault(name);
    }

    /// <summary>The attached device whose current ifindex is <paramref name="ifIndex"/>.</summary>
    public DeviceCapture? FindById(int ifIndex) => Devices.FirstOrDefault(d => d.Device?.IfIndex == ifIndex);

    /// <summary>Starts counting on <paramref name="name"/>, unless it is attached already or the system has no such interface.</summary>
    public AttachResult Attach(string name)
    {
        if (Find(name) is null && !DeviceInfo.Exists(name))
            return AttachResult.Missing;
        return Add(name) ? AttachResult.Attached : AttachResult.AlreadyAttached;
    }

    /// <summary>Starts a capture for <paramref name="name"/>, present or not (a missing one shows failed and is retried).</summary>
    private bool Add(string name)
    {
        lock (_gate)
        {
            if (_devices.ContainsKey(name))
                return false;
            var capture = new DeviceCapture(name, settings.Options, time, logger);
            _devices[name] = capture;
            capture.Start();
            Save();
        }
        LogAttached(logger, name);
        return true;
    }

    /// <summary>Stops counting on <paramref name="name"/> and frees its state; false when it was not attached.</summary>
    public bool Detach(string name)
    {
        DeviceCapture? capture;
        lock (_gate)
        {
            if (!_devices.Remove(name, out capture))
                return false;
            Save();
        }
        _ = capture.StopAsync();
        LogDetached(logger, name);
        return true;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var name in Load())
            Add(name);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var device in Devices)
            device.Stop();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var device in Devices)
            device.Dispose();
    }

    private List<string> Load()
    {
        try
        {
            if (!File.Exists(StatePath))
                return [];
            var names = JsonSerializer.Deserialize<List<string>>(File.ReadAllText(StatePath)) ?? [];
            return names.Where(DeviceInfo.IsValidName).Distinct(StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            LogLoadFailed(logger, StatePath, e.Message);
            return [];
        }
    }

    /// <summary>Writes the attached set (under the lock): a temporary file renamed over the old one.</summary>
    private void Save()
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(StatePath)!);
            var temporary = StatePath + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(_devices.Keys.Order(StringComparer.Ordinal).ToList()));
            File.Move(temporary, StatePath, overwrite: true);
            SaveError = null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            SaveError = $"cannot save the attached devices to {StatePath}: {e.Message}";
            LogSaveFailed(logger, SaveError);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {Name} attached for connection statistics")]
    private static partial void LogAttached(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {Name} detached")]
    private static partial void LogDetached(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read the attached devices from {Path}: {Reason}; starting with none")]
    private static partial void LogLoadFailed(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Reason}")]
    private static partial void LogSaveFailed(ILogger logger, string reason);
}

public enum AttachResult
{
    Attached,
    AlreadyAttached,

    /// <summary>The system has no interface of that name (and it was not attached).</summary>
    Missing,
}
