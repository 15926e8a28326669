namespace SipTrunk.Core.Routing;

/// <summary>
/// The <c>none</c> strategy: the user part is matched as sent, for trunks whose peers already dial in the carrier's
/// format. Only an empty user part is refused.
/// </summary>
public sealed class VerbatimNumberNormalizer : INumberNormalizer
{
    /// <inheritdoc/>
    public string? Normalize(string user) => string.IsNullOrEmpty(user) ? null : user;
}
