using System.Text;

namespace SipTrunk.Sip.Syntax;

/// <summary><c>quoted-string</c> parsing and quoting (RFC 3261 §25.1).</summary>
public static class QuotedString
{
    /// <summary>
    /// Parses a quoted-string whose opening DQUOTE is at <paramref name="position"/>. On success,
    /// <paramref name="position"/> is just past the closing DQUOTE and <paramref name="value"/> holds the
    /// content with quoted-pairs unescaped and folded line breaks replaced by a single SP.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, ref int position, out string value, out string? error)
    {
        value = string.Empty;
        if (position >= text.Length || text[position] != '"')
        {
            error = "expected quoted string";
            return false;
        }

        var builder = new StringBuilder();
        var i = position + 1;
        while (i < text.Length)
        {
            var c = text[i];
            switch (c)
            {
                case '"':
                    position = i + 1;
                    value = builder.ToString();
                    error = null;
                    return true;
                case '\\':
                    // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
                    if (i + 1 >= text.Length || text[i + 1] is '\r' or '\n' || text[i + 1] > '\u007F')
                    {
                        error = "bad escape in quoted string";
                        return false;
                    }

                    builder.Append(text[i + 1]);
                    i += 2;
                    break;
                case '\r' or '\n':
                    var next = SipLexer.SkipLws(text, i);
                    if (next == i)
                    {
                        error = "line break in quoted string";
                        return false;
                    }

                    // A fold is equivalent to a single SP (RFC 3261 §7.3.1).
                    while (builder.Length > 0 && SipLexer.IsWhitespace(builder[^1]))
                    {
                        builder.Length--;
                    }

                    builder.Append(' ');
                    i = next;
                    break;
                case '\t':
                    builder.Append(c);
                    i++;
                    break;
                default:
                    if (c < ' ' || c == '\u007F')
                    {
                        error = "control character in quoted string";
                        return false;
                    }

                    builder.Append(c);
                    i++;
                    break;
            }
        }

        error = "unterminated quoted string";
        return false;
    }

    /// <summary>Returns whether <paramref name="value"/> can be written as a quoted-string (it has no CR or LF).</summary>
    public static bool CanQuote(string value) => value is not null && !value.AsSpan().ContainsAny('\r', '\n');

    /// <summary>
    /// Writes <paramref name="value"/> as a quoted-string, escaping DQUOTE, backslash and control characters.
    /// </summary>
    /// <exception cref="ArgumentException">The value contains CR or LF, which no quoted-pair can carry.</exception>
    public static string Quote(string value)
    {
        if (!CanQuote(value))
        {
            throw new ArgumentException("A quoted string cannot contain CR or LF.", nameof(value));
        }

        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\' || (c < ' ' && c != '\t') || c == '\u007F')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append('"').ToString();
    }
}
