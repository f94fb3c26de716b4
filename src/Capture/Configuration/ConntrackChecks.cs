using System.Globalization;
using RoutingFlow.Capture.Conntrack;
using RoutingFlow.Capture.Mapping;

namespace RoutingFlow.Capture.Configuration;

/// <summary>Validates <c>RoutingFlow:Mapping:Conntrack</c> and turns its marks into rules; every problem is reported with its key.</summary>
internal static class ConntrackChecks
{
    private const string Key = RoutingFlowOptions.Section + ":Mapping:Conntrack";

    public static List<MarkRule> Check(ConntrackOptions options, List<NicDeclaration> nics, List<string> errors)
    {
        if (!ConntrackOptions.Modes.Contains(options.Mode, StringComparer.OrdinalIgnoreCase))
            errors.Add($"{Key}:Mode '{options.Mode}' is not {string.Join(", ", ConntrackOptions.Modes)}");
        ConfigChecks.Range(errors, "Mapping:Conntrack:MaxEntries", options.MaxEntries, 1_024, 16_777_216, "connections");
        ConfigChecks.Span(errors, "Mapping:Conntrack:RetryInterval", options.RetryInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        ConfigChecks.Span(errors, "Mapping:Conntrack:ReadInterval", options.ReadInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        return MarkRules(options, nics, errors);
    }

    /// <summary><c>Capture:Backend</c> is pcap or conntrack, and conntrack needs the table.</summary>
    public static void CheckBackend(CaptureOptions capture, ConntrackOptions conntrack, List<string> errors)
    {
        if (capture.Backend is not (CaptureOptions.BackendPcap or CaptureOptions.BackendConntrack or CaptureOptions.BackendEbpf or CaptureOptions.BackendAuto))
            errors.Add($"{RoutingFlowOptions.Section}:Capture:Backend '{capture.Backend}' is not {CaptureOptions.BackendPcap}, {CaptureOptions.BackendConntrack}, {CaptureOptions.BackendEbpf} or {CaptureOptions.BackendAuto}");
        else if (!capture.PacketAnalysis && !capture.WantsKernelCounters)
            errors.Add($"{RoutingFlowOptions.Section}:Capture:PacketAnalysis=false leaves the counting to the kernel: it needs Capture:Backend ebpf or auto, not {capture.Backend}");
        else if (capture.Backend == CaptureOptions.BackendConntrack && string.Equals(conntrack.Mode, ConntrackOptions.ModeOff, StringComparison.OrdinalIgnoreCase))
            errors.Add($"{RoutingFlowOptions.Section}:Capture:Backend 'conntrack' reads the conntrack table, which {Key}:Mode 'off' turns off; set Mode to auto or on");
    }

    private static List<MarkRule> MarkRules(ConntrackOptions options, List<NicDeclaration> nics, List<string> errors)
    {
        var rules = new List<MarkRule>();
        for (var i = 0; i < options.Marks.Count; i++)
        {
            var m = options.Marks[i];
            var mark = ParseNumber(m.Mark, $"{Key}:Marks:{i}:Mark", errors);
            var mask = ParseNumber(m.Mask, $"{Key}:Marks:{i}:Mask", errors);
            var nic = nics.FindIndex(n => n.Name == m.Nic);
            if (nic < 0)
                errors.Add($"{Key}:Marks:{i}:Nic '{m.Nic}' is not declared in nic.json (declared: {string.Join(", ", nics.Select(n => n.Name))})");
            else if (mark is { } k && mask is { } s && (k & ~s) != 0)
                errors.Add($"{Key}:Marks:{i}:Mark 0x{k:x} has bits outside Mask 0x{s:x}; it could never match");
            else if (mark is { } k2 && mask is { } s2)
                rules.Add(new MarkRule(k2, s2, (byte)nic));
        }
        return rules;
    }

    private static uint? ParseNumber(string text, string key, List<string> errors)
    {
        var t = text.Trim();
        var ok = t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(t.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            : uint.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (ok)
            return value;
        errors.Add($"{key} '{text}' is not a 32-bit number (decimal, or hex as 0x100)");
        return null;
    }
}
