namespace SipTrunk.Core.Transport;

/// <summary>
/// Lets one log line through per interval and counts the ones held back, so that a flood (one address opening
/// thousands of connections) cannot flood the log as well.
/// </summary>
internal sealed class LogThrottle(TimeProvider time, TimeSpan interval)
{
    private readonly Lock _lock = new();
    private long _lastLogged;
    private bool _loggedOnce;
    private int _suppressed;

    /// <summary>True when a line may be written now; <paramref name="suppressed"/> is how many were held back since the last.</summary>
    public bool TryEnter(out int suppressed)
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            if (_loggedOnce && time.GetElapsedTime(_lastLogged, now) < interval)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }

            _loggedOnce = true;
            _lastLogged = now;
            suppressed = _suppressed;
            _suppressed = 0;
            return true;
        }
    }
}
