namespace SipTrunk.Core.Transport;

/// <summary>What <see cref="SourceRateLimiter.Check"/> decided for one request.</summary>
internal enum RateDecision
{
    /// <summary>Within the source's rate: process it.</summary>
    Admit,

    /// <summary>Over the rate, and the source has had no 503 within the last second: a stream flow answers this one.</summary>
    Answer,

    /// <summary>Over the rate: dropped without a word.</summary>
    Drop,

    /// <summary>Over the rate for long enough that the source is to be banned (dropped too).</summary>
    Ban,
}
