using System.Globalization;
using Microsoft.AspNetCore.Http;
using SipTrunk.Core.Cdr;
using SipTrunk.Core.Proxy;

namespace SipTrunk.Admin;

/// <summary>
/// Reads the query string of <c>GET /api/calls</c> (CONTRACT.md §4) into a <see cref="CallRecordQuery"/>. Every
/// problem is collected, keyed by parameter, for one 400 answer; unknown parameters are refused so that a typo
/// (<c>carier=</c>) does not silently return every call. Empty values count as absent, as an HTML form sends them.
/// </summary>
internal static class CallQueryParser
{
    /// <summary>The largest page.</summary>
    public const int MaxLimit = 1000;

    private static readonly string[] Statuses =
        [CallStatus.Answered, CallStatus.Busy, CallStatus.NoAnswer, CallStatus.Cancelled, CallStatus.Failed, CallStatus.Rejected];

    private static readonly string[] Known = ["since", "until", "peer", "carrier", "status", "number", "limit", "cursor"];

    // ISO-8601 as operators type it: a date, or a date and time with optional seconds, fraction and offset.
    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm'Z'",
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    /// <summary>Parses <paramref name="query"/>; on failure <paramref name="errors"/> names every bad parameter.</summary>
    public static bool TryParse(IQueryCollection query, DateTimeOffset now, out CallRecordQuery result, out Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        result = new CallRecordQuery();
        foreach (var key in query.Keys)
        {
            if (!Known.Contains(key, StringComparer.Ordinal))
            {
                errors[key] = [$"unknown parameter; expected one of {string.Join(", ", Known)}"];
            }
            else if (query[key].Count > 1)
            {
                errors[key] = ["given more than once"];
            }
        }

        var since = Instant(query, "since", now, errors);
        var until = Instant(query, "until", now, errors);
        if (since is { } from && until is { } to && from >= to)
        {
            errors["until"] = ["must be later than since"];
        }

        var status = Value(query, "status");
        if (status is not null && !Statuses.Contains(status, StringComparer.Ordinal))
        {
            errors["status"] = [$"expected one of {string.Join(", ", Statuses)}"];
        }

        var limit = 50;
        if (Value(query, "limit") is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"expected a whole number from 1 to {MaxLimit}"];
        }

        if (errors.Count > 0)
        {
            return false;
        }

        result = new CallRecordQuery
        {
            Since = since,
            Until = until,
            Peer = Value(query, "peer"),
            Carrier = Value(query, "carrier"),
            Status = status,
            Number = Value(query, "number"),
            Limit = limit,
            Cursor = Value(query, "cursor"),
        };
        return true;
    }

    /// <summary>
    /// An instant given as ISO-8601 (UTC unless it carries an offset) or relative to <paramref name="now"/>:
    /// a whole number and a unit, <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c> or <c>w</c> (<c>30m</c> is half an hour ago).
    /// </summary>
    public static bool TryParseInstant(string text, DateTimeOffset now, out DateTimeOffset instant)
    {
        ArgumentNullException.ThrowIfNull(text);
        instant = default;
        text = text.Trim();
        if (text.Length >= 2 && char.IsAsciiDigit(text[0]) && char.IsAsciiLetterLower(text[^1]) && !text.Contains('-', StringComparison.Ordinal))
        {
            return TryParseRelative(text, now, out instant);
        }

        // An unencoded '+' in a query string arrives as a space: "…T10:00:00 01:00" meant "+01:00".
        var time = text.IndexOf('T', StringComparison.Ordinal);
        if (time > 0)
        {
            text = string.Concat(text.AsSpan(0, time), text.AsSpan(time).ToString().Replace(' ', '+'));
        }

        return DateTimeOffset.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant);
    }

    private static bool TryParseRelative(string text, DateTimeOffset now, out DateTimeOffset instant)
    {
        instant = default;
        if (!int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        long unitSeconds = text[^1] switch
        {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 604_800,
            _ => 0,
        };

        // Anything before 1970 is a typo, not a query; it also keeps the subtraction in range.
        var seconds = amount * unitSeconds;
        if (unitSeconds == 0 || seconds > (now - DateTimeOffset.UnixEpoch).TotalSeconds)
        {
            return false;
        }

        var ago = TimeSpan.FromSeconds(seconds);
        instant = now - ago;
        return true;
    }

    private static DateTimeOffset? Instant(IQueryCollection query, string name, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        if (Value(query, name) is not { } text)
        {
            return null;
        }

        if (TryParseInstant(text, now, out var instant))
        {
            return instant;
        }

        errors[name] = ["expected ISO-8601 (2026-01-31T08:00:00Z) or a time ago such as 30m, 1h, 7d"];
        return null;
    }

    private static string? Value(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count == 1 && !string.IsNullOrWhiteSpace(values[0]) ? values[0]!.Trim() : null;
}
