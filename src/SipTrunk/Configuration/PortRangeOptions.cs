namespace SipTrunk.Configuration;

/// <summary><c>Media.PortRange</c>: inclusive UDP port range for relay sockets.</summary>
internal sealed record PortRangeOptions
{
    public int Min { get; init; } = 20000;

    public int Max { get; init; } = 29999;
}
