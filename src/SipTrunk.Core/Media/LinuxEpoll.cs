using System.Buffers.Binary;
using System.ComponentModel;
using System.Runtime.InteropServices;

namespace SipTrunk.Core.Media;

/// <summary>
/// The few epoll(7) calls <see cref="RelayEpollEngine"/> needs. <c>struct epoll_event</c> is a 32-bit event mask and
/// a 64-bit user word: packed into 12 bytes on x86-64 (glibc's <c>__EPOLL_PACKED</c>), naturally aligned into 16 on
/// arm64, so events travel as bytes with the stride of the running architecture.
/// </summary>
internal static class LinuxEpoll
{
    /// <summary>EPOLLIN: readable; level-triggered, so a socket with more queued datagrams is reported again.</summary>
    public const uint In = 0x001;

    private const int CtlAdd = 1;
    private const int CtlDel = 2;
    private const int CloseOnExec = 0x80000;
    private const int Interrupted = 4;

    /// <summary>Linux on an architecture whose <c>epoll_event</c> layout is known here.</summary>
    public static bool IsSupported =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>Bytes per <c>epoll_event</c>.</summary>
    public static int EventSize { get; } = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    private static int DataOffset => EventSize == 12 ? 4 : 8;

    public static int Create()
    {
        var fd = epoll_create1(CloseOnExec);
        return fd >= 0 ? fd : throw new Win32Exception(Marshal.GetLastPInvokeError(), "epoll_create1 failed");
    }

    public static void Add(int epoll, int fd, uint events, ulong data)
    {
        Span<byte> entry = stackalloc byte[16];
        entry.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(entry, events);
        BinaryPrimitives.WriteUInt64LittleEndian(entry[DataOffset..], data);
        if (epoll_ctl(epoll, CtlAdd, fd, ref MemoryMarshal.GetReference(entry)) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "epoll_ctl(EPOLL_CTL_ADD) failed");
        }
    }

    /// <summary>Removes <paramref name="fd"/>; false when it was not registered (closed already).</summary>
    public static bool Remove(int epoll, int fd)
    {
        // Since Linux 2.6.9 the event argument of EPOLL_CTL_DEL is ignored, but must not be null on older kernels.
        Span<byte> entry = stackalloc byte[16];
        entry.Clear();
        return epoll_ctl(epoll, CtlDel, fd, ref MemoryMarshal.GetReference(entry)) == 0;
    }

    /// <summary>Waits for ready sockets; the number of events written to <paramref name="events"/>, 0 when interrupted.</summary>
    public static int Wait(int epoll, byte[] events, int timeoutMs)
    {
        var count = epoll_wait(epoll, events, events.Length / EventSize, timeoutMs);
        if (count >= 0)
        {
            return count;
        }

        var error = Marshal.GetLastPInvokeError();
        return error == Interrupted ? 0 : throw new Win32Exception(error, "epoll_wait failed");
    }

    public static ulong Data(byte[] events, int index) =>
        BinaryPrimitives.ReadUInt64LittleEndian(events.AsSpan((index * EventSize) + DataOffset));

    public static void Close(int fd) => _ = close(fd);

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int epoll_create1(int flags);

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int epoll_ctl(int epfd, int op, int fd, ref byte @event);

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int epoll_wait(int epfd, [Out] byte[] events, int maxevents, int timeout);

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int close(int fd);
}
