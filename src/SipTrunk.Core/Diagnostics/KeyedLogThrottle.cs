namespace SipTrunk.Core.Diagnostics;

/// <summary>
/// Lets one log line per key (a source address, a peer) through per period and counts the ones held back, so a flood
/// cannot flood the log. Bounded memory; thread-safe.
/// </summary>
public sealed class KeyedLogThrottle
{
    public KeyedLogThrottle(TimeSpan period, TimeProvider time, int maxKeys = 10_000)
    {
        _ = period;
        _ = time;
        _ = maxKeys;
    }

    /// <summary>True when a line for <paramref name="key"/> may be logged now; <paramref name="suppressed"/> says how many were held back since the last one.</summary>
    public bool TryEnter(string key, out int suppressed) => throw new NotImplementedException();
}
