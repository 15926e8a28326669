using System.Net;

namespace SipTrunk.Core.Media;

/// <summary>Where the relay binds its UDP sockets (<c>Media:Address</c>, <c>Media:PortRange</c>).</summary>
public sealed record MediaRelaySettings
{
    /// <summary>The local address relay sockets bind to.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>Lowest port of the range (inclusive).</summary>
    public int PortMin { get; init; } = 20000;

    /// <summary>Highest port of the range (inclusive).</summary>
    public int PortMax { get; init; } = 29999;

    /// <summary>How sockets are read; <see cref="RelayReceiveMode.Auto"/> picks epoll threads on Linux.</summary>
    public RelayReceiveMode ReceiveMode { get; init; } = RelayReceiveMode.Auto;

    /// <summary>Receive threads in <see cref="RelayReceiveMode.Epoll"/> mode; 0: one per CPU, at most 4.</summary>
    public int ReceiveThreads { get; init; }
}
