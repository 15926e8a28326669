namespace SipTrunk.Configuration;

/// <summary><c>Media</c>: the RTP/SRTP relay.</summary>
internal sealed record MediaOptions
{
    public string Address { get; init; } = "0.0.0.0";

    /// <summary>The address written into SDP; <see langword="null"/>: <c>run</c> picks a local address when <see cref="Address"/> is a wildcard.</summary>
    public string? AdvertisedAddress { get; init; }

    public PortRangeOptions PortRange { get; init; } = new();

    public SrtpMode SrtpMode { get; init; } = SrtpMode.Rekey;

    public int InactivityTimeoutSeconds { get; init; } = 60;
}
