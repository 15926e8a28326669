namespace SipTrunk.Sip.Messages;

/// <summary>
/// Bounds on what the framer and parser accept, so that no input can make SipTrunk buffer or work without limit.
/// Exceeding one is a parse error with a reason, never an exception.
/// </summary>
public sealed record SipLimits
{
    /// <summary>The defaults: a 64 KiB message (the largest UDP datagram, and far beyond any sane SIP message).</summary>
    public static SipLimits Default { get; } = new();

    /// <summary>Largest whole message (start line, headers and body).</summary>
    public int MaxMessageBytes { get; init; } = 65535;

    /// <summary>Most header lines in one message.</summary>
    public int MaxHeaderCount { get; init; } = 256;

    /// <summary>Longest header line, folded continuation lines included.</summary>
    public int MaxHeaderLineLength { get; init; } = 16384;

    /// <summary>Longest start line.</summary>
    public int MaxStartLineLength { get; init; } = 8192;

    /// <summary>Longest Request-URI.</summary>
    public int MaxUriLength { get; init; } = 4096;
}
