using System.Net;

namespace SipTrunk.Core.Media;

/// <summary>How calls' media is anchored (<c>Media</c> section of the configuration).</summary>
public sealed record MediaSettings
{
    /// <summary>The address written into rewritten SDP (<c>c=</c>, <c>o=</c>, <c>a=rtcp</c>).</summary>
    public required IPAddress AdvertisedAddress { get; init; }

    /// <summary>Rekey (default) or passthrough.</summary>
    public SrtpRelayMode Mode { get; init; } = SrtpRelayMode.Rekey;

    /// <summary>An answered call with no media packet either way for this long is hung up (<c>media-timeout</c>).</summary>
    public TimeSpan InactivityTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often sessions are checked for inactivity.</summary>
    public TimeSpan InactivityCheckInterval { get; init; } = TimeSpan.FromSeconds(1);
}
