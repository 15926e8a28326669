namespace SipTrunk.Configuration;

/// <summary><c>Routing</c>: when to fail over to the next carrier.</summary>
internal sealed record RoutingOptions
{
    public IReadOnlyList<int> FailoverOnCodes { get; init; } = [408, 500, 502, 503, 504];

    public int InviteTimeoutSeconds { get; init; } = 32;

    public NumberNormalization NumberNormalization { get; init; } = NumberNormalization.E164;
}
