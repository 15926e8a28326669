using System.Buffers;
using System.Text;

namespace SipTrunk.Sip.Syntax;

/// <summary>
/// <c>escaped</c> (<c>"%" HEXDIG HEXDIG</c>) handling for URI components (RFC 3261 §19.1.2, §25.1).
/// </summary>
/// <remarks>
/// An escaped octet is decoded to the character with the same code (Latin-1), matching how the message
/// core decodes wire bytes; comparison after unescaping therefore compares octets as §19.1.4 asks.
/// When encoding, characters above U+00FF are written as their UTF-8 octets.
/// </remarks>
public static class PercentEncoding
{
    /// <summary>
    /// Decodes <paramref name="text"/>, accepting unescaped only the characters in <paramref name="allowed"/>.
    /// </summary>
    /// <param name="text">The escaped text.</param>
    /// <param name="allowed">Characters that may appear without escaping.</param>
    /// <param name="component">The component name used in the error message.</param>
    /// <param name="value">The decoded value.</param>
    /// <param name="error">Why decoding failed.</param>
    public static bool TryDecode(ReadOnlySpan<char> text, SearchValues<char> allowed, string component, out string value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        if (!text.Contains('%'))
        {
            var bad = text.IndexOfAnyExcept(allowed);
            if (bad >= 0)
            {
                value = string.Empty;
                error = $"invalid character {SipLexer.Describe(text[bad])} in {component}";
                return false;
            }

            value = text.ToString();
            error = null;
            return true;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%')
            {
                if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                {
                    value = string.Empty;
                    error = $"bad escape sequence in {component}";
                    return false;
                }

                builder.Append((char)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2])));
                i += 2;
            }
            else if (allowed.Contains(c))
            {
                builder.Append(c);
            }
            else
            {
                value = string.Empty;
                error = $"invalid character {SipLexer.Describe(c)} in {component}";
                return false;
            }
        }

        value = builder.ToString();
        error = null;
        return true;
    }

    /// <summary>Escapes every character of <paramref name="value"/> that is not in <paramref name="allowed"/>.</summary>
    public static string Encode(string value, SearchValues<char> allowed)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(allowed);
        if (!value.AsSpan().ContainsAnyExcept(allowed))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (allowed.Contains(c))
            {
                builder.Append(c);
            }
            else if (c <= '\u00FF')
            {
                AppendEscaped(builder, (byte)c);
            }
            else
            {
                var length = char.IsSurrogatePair(value, i) ? 2 : 1;
                var written = Encoding.UTF8.GetBytes(value.AsSpan(i, length), utf8);
                for (var b = 0; b < written; b++)
                {
                    AppendEscaped(builder, utf8[b]);
                }

                i += length - 1;
            }
        }

        return builder.ToString();
    }

    /// <summary>Validates that every <c>%</c> in <paramref name="text"/> starts a well-formed escape.</summary>
    public static bool HasValidEscapes(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%')
            {
                if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                {
                    return false;
                }

                i += 2;
            }
        }

        return true;
    }

    private static void AppendEscaped(StringBuilder builder, byte b)
    {
        const string Hex = "0123456789ABCDEF";
        builder.Append('%').Append(Hex[b >> 4]).Append(Hex[b & 0xF]);
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
