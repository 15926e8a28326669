namespace SipTrunk.Core.Media;

/// <summary>How <see cref="MediaRelay"/> reads its sockets.</summary>
public enum RelayReceiveMode
{
    /// <summary><see cref="Epoll"/> where it is available (Linux on x64 or arm64), else <see cref="Async"/>.</summary>
    Auto,

    /// <summary>
    /// One <c>Socket.ReceiveFromAsync</c> loop per socket on the thread pool. Portable; each packet costs a thread-pool
    /// dispatch from the socket engine, which on a small machine doubles the relay's CPU per packet.
    /// </summary>
    Async,

    /// <summary>
    /// A few dedicated threads, each waiting on a level-triggered epoll set of sockets and relaying every ready packet
    /// itself (Linux only): no thread-pool hop and no extra receive per packet.
    /// </summary>
    Epoll,
}
