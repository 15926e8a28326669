using System.Text;

namespace SipTrunk.Sip.Messages;

/// <summary>Creates responses to received requests (RFC 3261 §8.2.6).</summary>
public static class SipResponses
{
    /// <summary>
    /// A response to <paramref name="request"/>: Via (all, in order), From, Call-ID and CSeq copied
    /// byte-for-byte, To copied with <paramref name="toTag"/> added if the request's To has no tag
    /// (§8.2.6.2), and Timestamp echoed on 100 Trying (§8.2.6.1).
    /// </summary>
    public static SipMessageBuilder Create(SipRequest request, int statusCode, string? reasonPhrase = null, string? toTag = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var builder = SipMessageBuilder.ResponseFor(request, statusCode, reasonPhrase);
        var headers = request.Headers;
        for (var i = 0; i < headers.Length; i++)
        {
            switch (headers[i].Id)
            {
                case HeaderId.Via:
                case HeaderId.From:
                case HeaderId.CallId:
                case HeaderId.CSeq:
                case HeaderId.Timestamp when statusCode == 100:
                    builder.AddFromSource(i);
                    break;
                case HeaderId.To:
                    var value = request.GetValue(headers[i]);
                    if (toTag is not null && statusCode > 100 && !HasTag(value))
                    {
                        builder.Add(HeaderId.To, $"{Unfold(Encoding.Latin1.GetString(value))};tag={toTag}");
                    }
                    else
                    {
                        builder.AddFromSource(i);
                    }

                    break;
            }
        }

        return builder;
    }

    /// <summary>True if a From/To value carries a <c>tag</c> header parameter (outside the URI and quotes).</summary>
    public static bool HasTag(ReadOnlySpan<byte> value)
    {
        // Header parameters follow the closing '>' of a name-addr, or the addr-spec itself (§20.10).
        var start = value.LastIndexOf((byte)'>') + 1;
        var inQuotes = false;
        for (var i = start; i < value.Length; i++)
        {
            var b = value[i];
            if (b == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes && b == ';' && IsTagParameter(value[(i + 1)..]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Replaces folding (CRLF + whitespace, RFC 3261 §7.3.1), and any stray CR or LF, with a single space.</summary>
    internal static string Unfold(string value)
    {
        // A lone CR counts too: the builder refuses any CR or LF in a value, and this must never throw on a parsed value.
        if (!value.AsSpan().ContainsAny('\r', '\n'))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] is '\r' or '\n')
            {
                while (i + 1 < value.Length && value[i + 1] is '\r' or '\n' or ' ' or '\t')
                {
                    i++;
                }

                builder.Append(' ');
            }
            else
            {
                builder.Append(value[i]);
            }
        }

        return builder.ToString();
    }

    private static bool IsTagParameter(ReadOnlySpan<byte> parameter)
    {
        parameter = parameter.TrimStart(" \t"u8);
        if (parameter.Length < 3 || !Ascii.EqualsIgnoreCase(parameter[..3], "tag"u8))
        {
            return false;
        }

        parameter = parameter[3..].TrimStart(" \t"u8);
        return !parameter.IsEmpty && parameter[0] == '=';
    }
}
