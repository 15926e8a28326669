using System.Globalization;

namespace SipTrunk.Cli;

/// <summary>
/// The <c>--since</c>/<c>--until</c> values of <c>siptrunk calls</c>: a duration back from now (<c>30s</c>, <c>15m</c>,
/// <c>1h</c>, <c>7d</c>, <c>2w</c>) or an ISO-8601 date or time (UTC unless it says otherwise).
/// </summary>
internal static class CallsTime
{
    private const long MaxSeconds = 100L * 366 * 86_400;

    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-ddTHH:mm",
        "yyyy-MM-ddTHH:mm:ss",
        "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mmK",
        "yyyy-MM-ddTHH:mm:ssK",
        "yyyy-MM-ddTHH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm",
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd HH:mm:ssK",
    ];

    /// <summary>The instant <paramref name="text"/> names, counting durations back from <paramref name="now"/>.</summary>
    public static bool TryParse(string text, DateTimeOffset now, out DateTimeOffset value, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        value = default;
        if (TryParseDuration(text, out var duration))
        {
            value = now - duration;
            error = "";
            return true;
        }

        if (DateTimeOffset.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value))
        {
            error = "";
            return true;
        }

        error = $"'{CallsText.Clean(text)}' is neither a duration (30s, 15m, 1h, 7d) nor an ISO-8601 time (2026-11-23T12:00:00Z)";
        return false;
    }

    private static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Length < 2)
        {
            return false;
        }

        // Lower case only: an upper-case M could as well mean months.
        var seconds = text[^1] switch
        {
            's' => 1L,
            'm' => 60L,
            'h' => 3600L,
            'd' => 86_400L,
            'w' => 604_800L,
            _ => 0L,
        };
        // Digits only (NumberStyles.None: no sign, space, exponent or fraction), and at most a century back.
        if (seconds == 0
            || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count > MaxSeconds / seconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(count * seconds);
        return true;
    }
}
