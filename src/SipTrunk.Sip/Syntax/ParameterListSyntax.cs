namespace SipTrunk.Sip.Syntax;

/// <summary>
/// Parses <c>generic-param</c> items (<c>token [ EQUAL ( token / host / quoted-string ) ]</c>, RFC 3261 §25.1)
/// as they appear after SEMI in header values and after COMMA in authentication headers.
/// </summary>
public static class ParameterListSyntax
{
    /// <summary>
    /// Returns whether <paramref name="c"/> may appear in an unquoted parameter value. This is the union of
    /// <c>token</c> and <c>host</c> characters, widened to visible ASCII other than the delimiters so that
    /// real-world values (base64 nonces, unbracketed IPv6 <c>received</c>, RFC 5118 §4.5) are kept.
    /// </summary>
    public static bool IsValueChar(char c) => c is >= '!' and <= '~' and not ('"' or ';' or ',' or '<' or '>' or '\\');

    /// <summary>
    /// Parses one parameter starting at <paramref name="position"/> (after its separator). Leading LWS is skipped,
    /// and LWS is allowed around the <c>=</c>. On success <paramref name="position"/> is just past the value.
    /// </summary>
    /// <param name="text">The whole header value.</param>
    /// <param name="position">Where to start; updated on success.</param>
    /// <param name="name">The parameter name (a token).</param>
    /// <param name="value">The value, unquoted; <see langword="null"/> for a flag parameter.</param>
    /// <param name="isQuoted">Whether the value was a quoted-string.</param>
    /// <param name="error">Why parsing failed.</param>
    public static bool TryParseParameter(ReadOnlySpan<char> text, ref int position, out string name, out string? value, out bool isQuoted, out string? error)
    {
        name = string.Empty;
        value = null;
        isQuoted = false;
        var i = SipLexer.SkipLws(text, position);
        var start = i;
        while (i < text.Length && SipLexer.IsTokenChar(text[i]))
        {
            i++;
        }

        if (i == start)
        {
            error = i < text.Length ? $"invalid character {SipLexer.Describe(text[i])} where a parameter name was expected" : "empty parameter";
            return false;
        }

        name = text[start..i].ToString();
        var afterName = SipLexer.SkipLws(text, i);
        if (afterName >= text.Length || text[afterName] != '=')
        {
            position = i;
            error = null;
            return true;
        }

        i = SipLexer.SkipLws(text, afterName + 1);
        if (i < text.Length && text[i] == '"')
        {
            if (!QuotedString.TryParse(text, ref i, out var quoted, out error))
            {
                error = $"parameter '{name}': {error}";
                return false;
            }

            value = quoted;
            isQuoted = true;
            position = i;
            return true;
        }

        start = i;
        while (i < text.Length && IsValueChar(text[i]))
        {
            i++;
        }

        if (i == start)
        {
            error = $"missing value for parameter '{name}'";
            return false;
        }

        value = text[start..i].ToString();
        position = i;
        error = null;
        return true;
    }
}
