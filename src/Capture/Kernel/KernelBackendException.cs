namespace RoutingFlow.Capture.Kernel;

/// <summary>The kernel counters could not load or attach: <see cref="Exception.Message"/> says what, <see cref="Fix"/> what to do.</summary>
public sealed class KernelBackendException(string message, string fix, int errno = 0) : Exception(message)
{
    public string Fix { get; } = fix;

    /// <summary>The error number the kernel or libbpf gave (0 when none).</summary>
    public int Errno { get; } = errno;

    public override string ToString() => $"{Message} ({Fix})";

    /// <summary>What an error number means for a step (open, load, attach), with the fix for the usual causes.</summary>
    public static KernelBackendException From(string step, int errno, string? subject = null)
    {
        var what = $"{step}{(subject is null ? "" : $" {subject}")} failed: {Describe(errno)}";
        return new KernelBackendException(what, errno switch
        {
            1 or 13 => "loading and attaching BPF programs needs root, or CAP_BPF, CAP_NET_ADMIN and CAP_PERFMON (systemd: AmbientCapabilities=CAP_BPF CAP_NET_ADMIN CAP_PERFMON)",
            2 when step == "opening" => "the BPF object was not built: install clang and libbpf-dev, then build again (./run.sh does both)",
            19 => "the interface does not exist (or no longer): check its name",
            22 or 95 or 524 => "the kernel is too old or lacks a feature the program needs (Linux 5.8 or later with CONFIG_BPF_SYSCALL, CONFIG_NET_CLS_BPF, CONFIG_NET_SCH_INGRESS and BTF, CONFIG_DEBUG_INFO_BTF); set Capture:Backend to pcap",
            38 => "the kernel has no bpf() system call (CONFIG_BPF_SYSCALL); set Capture:Backend to pcap",
            12 or 7 => "the kernel refused the memory for the maps: lower Connections:MaxEntries, or raise the memlock limit (LimitMEMLOCK=infinity) on kernels before 5.11",
            _ => "set Capture:Backend to pcap to count with libpcap instead",
        }, errno);
    }

    private static string Describe(int errno) => errno switch
    {
        0 => "unknown error",
        _ => $"{System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})",
    };
}
