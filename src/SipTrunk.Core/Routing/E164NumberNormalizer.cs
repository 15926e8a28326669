namespace SipTrunk.Core.Routing;

/// <summary>
/// The <c>e164</c> strategy: produces <c>+</c> followed by 1–15 digits (ITU-T E.164 §6.1 caps a number at 15 digits).
/// Visual separators are dropped (RFC 3966 §5.1.1 <c>visual-separator</c>: <c>-</c> <c>.</c> <c>(</c> <c>)</c>, plus
/// spaces that dialled strings often carry), URI parameters after <c>;</c> are cut (RFC 3966 §5.1.4
/// <c>phone-context</c>, <c>isub</c>, … in a user part with <c>user=phone</c>), the international prefix <c>00</c>
/// becomes <c>+</c>, and a bare digit string is taken to be international already.
/// </summary>
public sealed class E164NumberNormalizer : INumberNormalizer
{
    private const int MaxDigits = 15;

    // "+" and 15 digits, or "00" and 15 digits; anything longer cannot become a valid number.
    private const int MaxCollected = MaxDigits + 2;

    /// <inheritdoc/>
    /// <remarks>
    /// Returns <see langword="null"/> also for <c>+0…</c>: no E.164 country code starts with 0, so such a string is a
    /// national number without its country code and routing it would send calls to the wrong country.
    /// </remarks>
    public string? Normalize(string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var text = user.AsSpan();
        var semicolon = text.IndexOf(';');
        if (semicolon >= 0)
        {
            text = text[..semicolon];
        }

        Span<char> collected = stackalloc char[MaxCollected];
        var length = 0;
        foreach (var c in text)
        {
            if (c is '-' or '.' or '(' or ')' or ' ')
            {
                continue;
            }

            if (length == MaxCollected)
            {
                return null;
            }

            collected[length++] = c;
        }

        var number = collected[..length];
        var digits = number;
        if (number.StartsWith('+'))
        {
            digits = number[1..];
        }
        else if (number.StartsWith("00"))
        {
            digits = number[2..];
        }

        if (digits.Length is 0 or > MaxDigits || digits[0] == '0' || digits.ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }

        // Already normal: hand back the caller's string rather than a copy.
        if (user.Length == digits.Length + 1 && user[0] == '+')
        {
            return user;
        }

        return string.Concat("+", digits);
    }
}
