using System.Runtime.InteropServices;

namespace RoutingFlow.Capture.Sources;

/// <summary>glibc's entry points by name, for <see cref="LibcStdio"/> and <see cref="LibcPoll"/>; 0 where missing.</summary>
internal static class Libc
{
    private static readonly nint Library = NativeLibrary.TryLoad("libc.so.6", out var handle) ? handle : 0;

    public static nint Export(string name) =>
        Library != 0 && NativeLibrary.TryGetExport(Library, name, out var export) ? export : 0;
}
