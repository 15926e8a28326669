namespace SipTrunk.Configuration;

/// <summary><c>Sip</c>: how SipTrunk presents itself in SIP.</summary>
internal sealed record SipOptions
{
    /// <summary>The longest <see cref="UserAgent"/> accepted: a product token or two, not a banner.</summary>
    public const int MaxUserAgentLength = 128;

    /// <summary>
    /// The <c>Server</c> header of responses SipTrunk generates and the <c>User-Agent</c> of requests it originates
    /// (RFC 3261 §20.35, §20.41); empty: neither is sent. No version by default: a version tells a scanner which
    /// exploits to try (RFC 3261 §26.4.5 leaves the header optional for that reason).
    /// </summary>
    public string UserAgent { get; init; } = "SipTrunk";
}
