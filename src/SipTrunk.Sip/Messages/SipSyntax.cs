namespace SipTrunk.Sip.Messages;

/// <summary>Byte classes of RFC 3261 §25.1 used by the message parser.</summary>
internal static class SipSyntax
{
    /// <summary>A byte of RFC 3261 §25.1 <c>token</c>; the character set is defined once, in <see cref="Syntax.SipLexer"/>.</summary>
    public static bool IsTokenChar(byte b) => Syntax.SipLexer.IsTokenChar((char)b);

    public static bool IsToken(ReadOnlySpan<byte> span)
    {
        if (span.IsEmpty)
        {
            return false;
        }

        foreach (var b in span)
        {
            if (!IsTokenChar(b))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t';

    /// <summary>Parses a non-negative decimal of at most 9 digits (so it fits an int), surrounded by optional LWS.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> span, out int value)
    {
        value = 0;
        var i = 0;
        while (i < span.Length && span[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        var digits = 0;
        while (i < span.Length && span[i] is >= (byte)'0' and <= (byte)'9')
        {
            if (++digits > 9)
            {
                return false;
            }

            value = (value * 10) + (span[i] - '0');
            i++;
        }

        while (i < span.Length && span[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return digits > 0 && i == span.Length;
    }
}
