using System.Runtime.InteropServices;

namespace RoutingFlow.Capture.Kernel;

/// <summary>
/// The parts of Debian's libbpf (libbpf.so.1, 1.1 or later) the kernel counters use, as raw function pointers resolved
/// when the library loads, so that a machine without it is told so (<see cref="Available"/>) instead of failing on a
/// first call. libbpf 1.x returns negative error numbers and sets <c>errno</c>; pointers are null on failure.
/// </summary>
internal static unsafe class LibbpfNative
{
    public const uint TcIngress = 1;
    public const uint TcEgress = 2;
    public const uint TcReplace = 1;

    private static readonly string[] Names = ["libbpf.so.1", "libbpf.so"];
    private static readonly nint Library = Load();

    public static readonly delegate* unmanaged<byte*, nint, nint> ObjectOpenFile = (delegate* unmanaged<byte*, nint, nint>)Export("bpf_object__open_file");
    public static readonly delegate* unmanaged<nint, int> ObjectLoad = (delegate* unmanaged<nint, int>)Export("bpf_object__load");
    public static readonly delegate* unmanaged<nint, void> ObjectClose = (delegate* unmanaged<nint, void>)Export("bpf_object__close");
    public static readonly delegate* unmanaged<nint, byte*, nint> FindProgram = (delegate* unmanaged<nint, byte*, nint>)Export("bpf_object__find_program_by_name");
    public static readonly delegate* unmanaged<nint, int> ProgramFd = (delegate* unmanaged<nint, int>)Export("bpf_program__fd");
    public static readonly delegate* unmanaged<nint, byte*, nint> FindMap = (delegate* unmanaged<nint, byte*, nint>)Export("bpf_object__find_map_by_name");
    public static readonly delegate* unmanaged<nint, int> MapFd = (delegate* unmanaged<nint, int>)Export("bpf_map__fd");
    public static readonly delegate* unmanaged<nint, uint, int> MapSetMaxEntries = (delegate* unmanaged<nint, uint, int>)Export("bpf_map__set_max_entries");
    public static readonly delegate* unmanaged<TcHook*, int> TcHookCreate = (delegate* unmanaged<TcHook*, int>)Export("bpf_tc_hook_create");
    public static readonly delegate* unmanaged<TcHook*, int> TcHookDestroy = (delegate* unmanaged<TcHook*, int>)Export("bpf_tc_hook_destroy");
    public static readonly delegate* unmanaged<TcHook*, TcOpts*, int> TcAttach = (delegate* unmanaged<TcHook*, TcOpts*, int>)Export("bpf_tc_attach");
    public static readonly delegate* unmanaged<TcHook*, TcOpts*, int> TcDetach = (delegate* unmanaged<TcHook*, TcOpts*, int>)Export("bpf_tc_detach");
    public static readonly delegate* unmanaged<TcHook*, TcOpts*, int> TcQuery = (delegate* unmanaged<TcHook*, TcOpts*, int>)Export("bpf_tc_query");
    public static readonly delegate* unmanaged<int, void*, void*, void*, void*, uint*, void*, int> MapLookupBatch =
        (delegate* unmanaged<int, void*, void*, void*, void*, uint*, void*, int>)Export("bpf_map_lookup_batch");
    public static readonly delegate* unmanaged<int, void*, void*, ulong, int> MapUpdate = (delegate* unmanaged<int, void*, void*, ulong, int>)Export("bpf_map_update_elem");
    public static readonly delegate* unmanaged<int, void*, void*, int> MapLookup = (delegate* unmanaged<int, void*, void*, int>)Export("bpf_map_lookup_elem");
    public static readonly delegate* unmanaged<int, void*, int> MapDelete = (delegate* unmanaged<int, void*, int>)Export("bpf_map_delete_elem");
    public static readonly delegate* unmanaged<int, void*, void*, int> MapNextKey = (delegate* unmanaged<int, void*, void*, int>)Export("bpf_map_get_next_key");
    public static readonly delegate* unmanaged<int> PossibleCpus = (delegate* unmanaged<int>)Export("libbpf_num_possible_cpus");
    private static readonly delegate* unmanaged<nint, nint> SetPrint = (delegate* unmanaged<nint, nint>)Export("libbpf_set_print");

    /// <summary>
    /// libbpf's messages off until disposed: asking whether a filter exists, or removing one that may be gone, is
    /// answered by an error code, and libbpf would also print the kernel's "cannot find" to stderr.
    /// </summary>
    public static Muted Mute() => new(SetPrint == null ? 0 : SetPrint(0));

    public readonly struct Muted(nint previous) : IDisposable
    {
        public void Dispose()
        {
            if (SetPrint != null)
                SetPrint(previous);
        }
    }

    /// <summary>True when libbpf loaded with every function used here (tc attachment needs libbpf 0.6 or later).</summary>
    public static bool Available => ObjectOpenFile != null && TcAttach != null && MapLookupBatch != null && PossibleCpus != null;

    /// <summary><c>struct bpf_tc_hook</c>: where on a device a program attaches (clsact ingress, egress).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct TcHook
    {
        public nuint Size;
        public int Ifindex;
        public uint AttachPoint;
        public uint Parent;
        private readonly uint _pad;

        public static TcHook For(int ifindex, uint point) => new() { Size = (nuint)sizeof(TcHook), Ifindex = ifindex, AttachPoint = point };
    }

    /// <summary><c>struct bpf_tc_opts</c>: the filter (program, handle, priority) at a hook.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct TcOpts
    {
        public nuint Size;
        public int ProgramFd;
        public uint Flags;
        public uint ProgramId;
        public uint Handle;
        public uint Priority;
        private readonly uint _pad;

        public static TcOpts For(uint handle, uint priority) => new() { Size = (nuint)sizeof(TcOpts), Handle = handle, Priority = priority };
    }

    private static nint Load()
    {
        foreach (var name in Names)
        {
            if (NativeLibrary.TryLoad(name, out var handle))
                return handle;
        }
        return 0;
    }

    private static nint Export(string name) => Library != 0 && NativeLibrary.TryGetExport(Library, name, out var address) ? address : 0;
}
