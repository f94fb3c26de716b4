using System.Runtime.InteropServices;

namespace RoutingFlow.Testing.Lab;

/// <summary>
/// Runs code in a named network namespace (<c>ip netns</c>'s /var/run/netns/NAME) on a thread of its own: setns(2)
/// moves only the calling thread, which ends with the call, so the test's other threads stay where they were.
/// For in-process work that a namespace scopes (netlink, tc attachment).
/// </summary>
public static partial class NetnsThread
{
    private const int CloneNewNet = 0x40000000;

    public static Task<T> RunAsync<T>(string netns, Func<T> action)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle(Path.Combine("/var/run/netns", netns));
                if (SetNs(handle.DangerousGetHandle().ToInt32(), CloneNewNet) != 0)
                    throw new InvalidOperationException($"setns({netns}) failed: errno {Marshal.GetLastPInvokeError()}");
                done.SetResult(action());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }) { IsBackground = true, Name = $"netns {netns}" };
        thread.Start();
        return done.Task;
    }

    public static Task RunAsync(string netns, Action action) => RunAsync(netns, () => { action(); return true; });

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);
}
