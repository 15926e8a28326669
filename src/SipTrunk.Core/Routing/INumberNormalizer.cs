namespace SipTrunk.Core.Routing;

/// <summary>
/// Turns a Request-URI user part into the number that routes are matched against (CONTRACT.md §3
/// <c>Routing.NumberNormalization</c>). Implementations are stateless and safe to share between threads.
/// </summary>
public interface INumberNormalizer
{
    /// <summary>
    /// Normalizes <paramref name="user"/> (the unescaped user part). Returns <see langword="null"/> when it is not a
    /// number this strategy can route; the proxy answers 404 or 484 then.
    /// </summary>
    string? Normalize(string user);
}
