namespace SipTrunk.Sip.Syntax;

/// <summary>
/// Character classes and linear-white-space handling shared by the SIP grammar (RFC 3261 §25.1).
/// </summary>
public static class SipLexer
{
    /// <summary>Returns whether <paramref name="c"/> is an ASCII letter or digit (<c>alphanum</c>).</summary>
    public static bool IsAlphaNumeric(char c) => char.IsAsciiLetterOrDigit(c);

    /// <summary>Returns whether <paramref name="c"/> may appear in a <c>token</c> (RFC 3261 §25.1).</summary>
    public static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '!' or '%' or '*' or '_' or '+' or '`' or '\'' or '~';

    /// <summary>Returns whether <paramref name="text"/> is a non-empty <c>token</c>.</summary>
    public static bool IsToken(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!IsTokenChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns whether <paramref name="c"/> is a <c>mark</c> character (RFC 3261 §25.1).</summary>
    public static bool IsMark(char c) => c is '-' or '_' or '.' or '!' or '~' or '*' or '\'' or '(' or ')';

    /// <summary>Returns whether <paramref name="c"/> is <c>unreserved</c> (<c>alphanum / mark</c>).</summary>
    public static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || IsMark(c);

    /// <summary>Returns whether <paramref name="c"/> is SP or HT (<c>WSP</c>).</summary>
    public static bool IsWhitespace(char c) => c is ' ' or '\t';

    /// <summary>
    /// Skips linear white space starting at <paramref name="position"/>, including folded line breaks
    /// (a CRLF, or a bare LF, followed by SP/HT; RFC 3261 §7.3.1). A line break that is not followed by
    /// white space is not LWS and stops the scan.
    /// </summary>
    /// <returns>The position of the first character that is not LWS.</returns>
    public static int SkipLws(ReadOnlySpan<char> text, int position)
    {
        while (position < text.Length)
        {
            var c = text[position];
            if (c is ' ' or '\t')
            {
                position++;
            }
            else if (c == '\r' && position + 2 < text.Length && text[position + 1] == '\n' && IsWhitespace(text[position + 2]))
            {
                position += 3;
            }
            else if (c == '\n' && position + 1 < text.Length && IsWhitespace(text[position + 1]))
            {
                // Bare LF folding is tolerated the way most stacks tolerate bare-LF line ends.
                position += 2;
            }
            else
            {
                break;
            }
        }

        return position;
    }

    /// <summary>Removes SP, HT, CR and LF from both ends of <paramref name="text"/>.</summary>
    public static ReadOnlySpan<char> TrimLws(ReadOnlySpan<char> text) => text.Trim(" \t\r\n");

    /// <summary>
    /// Collapses every run of LWS (including folds) into a single SP and trims both ends, which
    /// RFC 3261 §7.3.1 allows a recipient to do before interpreting a value.
    /// </summary>
    public static string NormalizeLws(ReadOnlySpan<char> text)
    {
        text = TrimLws(text);
        var builder = new System.Text.StringBuilder(text.Length);
        var inWhitespace = false;
        foreach (var c in text)
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                inWhitespace = true;
                continue;
            }

            if (inWhitespace)
            {
                builder.Append(' ');
                inWhitespace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Describes a character for an error message without echoing control characters, so that the
    /// message is safe to put into a reason phrase.
    /// </summary>
    public static string Describe(char c) =>
        c is >= '!' and <= '~' ? "'" + c + "'" : "U+" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
}
