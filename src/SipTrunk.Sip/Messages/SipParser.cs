using System.Buffers;

namespace SipTrunk.Sip.Messages;

/// <summary>
/// Parses one complete SIP message (a stream frame found by <see cref="Framing.SipFrameScanner"/>, or a
/// UDP datagram) into a <see cref="SipMessage"/> whose headers are offsets into the input (RFC 3261 §7).
/// Never throws on bad input: a malformed message yields an error with a reason.
/// </summary>
public static class SipParser
{
    private const int StackHeaderCapacity = 128;

    /// <summary>Parses <paramref name="message"/> with the default limits.</summary>
    public static SipParseResult Parse(ReadOnlyMemory<byte> message) => Parse(message, SipLimits.Default);

    /// <summary>
    /// Parses <paramref name="message"/>. The result refers to the input buffer, which must stay unchanged
    /// while the message is used. Bytes beyond Content-Length are ignored (RFC 3261 §18.3); a body shorter
    /// than Content-Length is an error.
    /// </summary>
    public static SipParseResult Parse(ReadOnlyMemory<byte> message, SipLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var span = message.Span;
        if (span.Length > limits.MaxMessageBytes)
        {
            return SipParseResult.Fail("Message Too Large");
        }

        var startLineEnd = span.IndexOf("\r\n"u8);
        if (startLineEnd < 0)
        {
            return SipParseResult.Fail("Missing CRLF after start line");
        }

        if (startLineEnd > limits.MaxStartLineLength)
        {
            return SipParseResult.Fail("Start line too long");
        }

        // The first CRLF ends the start line, so any CR or LF before it stands alone (RFC 3261 §7.1 allows none).
        if (span[..startLineEnd].IndexOfAny((byte)'\r', (byte)'\n') >= 0)
        {
            return SipParseResult.Fail("Bare CR or LF in start line");
        }

        HeaderField[]? rented = null;
        Span<HeaderField> fields = limits.MaxHeaderCount <= StackHeaderCapacity
            ? stackalloc HeaderField[StackHeaderCapacity]
            : (rented = ArrayPool<HeaderField>.Shared.Rent(limits.MaxHeaderCount));
        try
        {
            var error = ParseHeaders(span, startLineEnd + 2, limits, fields, out var count, out var bodyStart, out var contentLength);
            if (error is not null)
            {
                return SipParseResult.Fail(error);
            }

            var available = span.Length - bodyStart;
            int bodyLength;
            if (contentLength is { } declared)
            {
                if (declared > available)
                {
                    return SipParseResult.Fail("Body shorter than Content-Length");
                }

                bodyLength = declared;
            }
            else
            {
                bodyLength = available;
            }

            var headers = fields[..count].ToArray();
            var buffer = message[..(bodyStart + bodyLength)];
            var startLine = span[..startLineEnd];
            return startLine.StartsWith("SIP/"u8)
                ? ParseResponse(buffer, startLine, headers, bodyStart, bodyLength, contentLength)
                : ParseRequest(buffer, startLine, limits, headers, bodyStart, bodyLength, contentLength);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<HeaderField>.Shared.Return(rented);
            }
        }
    }

    private static SipParseResult ParseRequest(
        ReadOnlyMemory<byte> buffer, ReadOnlySpan<byte> line, SipLimits limits, HeaderField[] headers, int bodyStart, int bodyLength, int? contentLength)
    {
        // RFC 3261 §7.1: Method SP Request-URI SP SIP-Version, single spaces, no LWS.
        var firstSpace = line.IndexOf((byte)' ');
        if (firstSpace <= 0)
        {
            return SipParseResult.Fail("Malformed request line");
        }

        var methodToken = line[..firstSpace];
        if (!SipSyntax.IsToken(methodToken))
        {
            return SipParseResult.Fail("Malformed method");
        }

        var lastSpace = line.LastIndexOf((byte)' ');
        var uriStart = firstSpace + 1;
        var uriLength = lastSpace - uriStart;
        if (uriLength <= 0)
        {
            return SipParseResult.Fail("Malformed request line");
        }

        var uri = line.Slice(uriStart, uriLength);
        if (uri.IndexOfAny((byte)' ', (byte)'\t') >= 0)
        {
            return SipParseResult.Fail("Malformed Request-URI");
        }

        if (uriLength > limits.MaxUriLength)
        {
            return SipParseResult.Fail("Request-URI too long");
        }

        if (!IsSipVersion(line[(lastSpace + 1)..]))
        {
            return SipParseResult.Fail("Malformed SIP-Version");
        }

        var method = SipMethods.Parse(methodToken, out var knownName);
        return SipParseResult.Ok(new SipRequest(
            buffer, line.Length, method, knownName, firstSpace, uriStart, uriLength, headers, bodyStart, bodyLength, contentLength));
    }

    private static SipParseResult ParseResponse(
        ReadOnlyMemory<byte> buffer, ReadOnlySpan<byte> line, HeaderField[] headers, int bodyStart, int bodyLength, int? contentLength)
    {
        // RFC 3261 §7.2: SIP-Version SP Status-Code SP Reason-Phrase; the reason phrase may be empty.
        var firstSpace = line.IndexOf((byte)' ');
        if (firstSpace < 0 || !IsSipVersion(line[..firstSpace]))
        {
            return SipParseResult.Fail("Malformed SIP-Version");
        }

        var rest = line[(firstSpace + 1)..];
        if (rest.Length < 3 || !char.IsAsciiDigit((char)rest[0]) || !char.IsAsciiDigit((char)rest[1]) || !char.IsAsciiDigit((char)rest[2])
            || (rest.Length > 3 && rest[3] != ' '))
        {
            return SipParseResult.Fail("Malformed status code");
        }

        var status = ((rest[0] - '0') * 100) + ((rest[1] - '0') * 10) + (rest[2] - '0');
        if (status is < 100 or > 699)
        {
            return SipParseResult.Fail("Status code out of range");
        }

        var reasonStart = Math.Min(line.Length, firstSpace + 5);
        foreach (var b in line[reasonStart..])
        {
            if (b < 0x20 && b != '\t')
            {
                return SipParseResult.Fail("Control character in reason phrase");
            }
        }

        return SipParseResult.Ok(new SipResponse(buffer, line.Length, status, reasonStart, headers, bodyStart, bodyLength, contentLength));
    }

    /// <summary>SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT (case-insensitive); which version is supported is the caller's call (505).</summary>
    private static bool IsSipVersion(ReadOnlySpan<byte> token)
    {
        if (token.Length < 7 || (token[0] | 0x20) != 's' || (token[1] | 0x20) != 'i' || (token[2] | 0x20) != 'p' || token[3] != '/')
        {
            return false;
        }

        var dot = token.IndexOf((byte)'.');
        return dot > 4 && dot < token.Length - 1 && IsDigits(token[4..dot]) && IsDigits(token[(dot + 1)..]);
    }

    private static bool IsDigits(ReadOnlySpan<byte> span) => !span.IsEmpty && !span.ContainsAnyExceptInRange((byte)'0', (byte)'9');

    private static string? ParseHeaders(
        ReadOnlySpan<byte> span, int position, SipLimits limits, Span<HeaderField> fields, out int count, out int bodyStart, out int? contentLength)
    {
        count = 0;
        bodyStart = 0;
        contentLength = null;
        while (true)
        {
            var rest = span[position..];
            if (rest.StartsWith("\r\n"u8))
            {
                bodyStart = position + 2;
                return null;
            }

            if (rest.IsEmpty)
            {
                return "Missing empty line after headers";
            }

            if (SipSyntax.IsWhitespace(rest[0]))
            {
                return "Header continuation without a header";
            }

            // The logical line runs to the first CRLF not followed by SP/HT (RFC 3261 §7.3.1 folding).
            var lineLength = FindLogicalLineEnd(rest, limits.MaxHeaderLineLength);
            if (lineLength < 0)
            {
                return lineLength == -2 ? "Header line too long" : "Missing empty line after headers";
            }

            if (count == limits.MaxHeaderCount || count == fields.Length)
            {
                return "Too many headers";
            }

            var line = rest[..lineLength];
            if (HasBareLineBreak(line))
            {
                return "Bare CR or LF in header line";
            }

            var nameLength = 0;
            while (nameLength < line.Length && SipSyntax.IsTokenChar(line[nameLength]))
            {
                nameLength++;
            }

            var colon = nameLength;
            while (colon < line.Length && SipSyntax.IsWhitespace(line[colon]))
            {
                colon++;
            }

            if (nameLength == 0 || colon >= line.Length || line[colon] != ':')
            {
                return "Malformed header line";
            }

            var valueStart = colon + 1;
            var valueEnd = line.Length;
            while (valueStart < valueEnd && line[valueStart] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                valueStart++;
            }

            while (valueEnd > valueStart && line[valueEnd - 1] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                valueEnd--;
            }

            var id = KnownHeaders.Lookup(line[..nameLength]);
            if (id == HeaderId.ContentLength)
            {
                if (!SipSyntax.TryParseDecimal(line[valueStart..valueEnd], out var declared))
                {
                    return "Malformed Content-Length";
                }

                // Conflicting Content-Length values make the framing ambiguous (request smuggling).
                if (contentLength is { } previous && previous != declared)
                {
                    return "Conflicting Content-Length headers";
                }

                contentLength = declared;
            }

            fields[count++] = new HeaderField(id, position, nameLength, position + valueStart, valueEnd - valueStart);
            position += lineLength + 2;
        }
    }

    /// <summary>
    /// True when a CR or LF in a logical header line is not part of a CRLF fold (RFC 3261 §7.3.1, §25.1: LWS is the
    /// only place a line break may appear). A lone CR or LF would otherwise travel inside a value: copied into a
    /// response or forwarded, it is a line end to a next hop that splits lines on either, so a header smuggled past
    /// SipTrunk's checks.
    /// </summary>
    private static bool HasBareLineBreak(ReadOnlySpan<byte> line)
    {
        var at = line.IndexOfAny((byte)'\r', (byte)'\n');
        while (at >= 0)
        {
            // FindLogicalLineEnd let a CRLF stay inside the line only when whitespace follows it: a fold.
            if (line[at] != '\r' || at + 1 >= line.Length || line[at + 1] != '\n')
            {
                return true;
            }

            var next = line[(at + 2)..].IndexOfAny((byte)'\r', (byte)'\n');
            at = next < 0 ? -1 : at + 2 + next;
        }

        return false;
    }

    /// <summary>Length of the logical header line at the start of <paramref name="rest"/>; -1 if unterminated, -2 if too long.</summary>
    private static int FindLogicalLineEnd(ReadOnlySpan<byte> rest, int maxLength)
    {
        var offset = 0;
        while (true)
        {
            var crlf = rest[offset..].IndexOf("\r\n"u8);
            if (crlf < 0)
            {
                return -1;
            }

            var end = offset + crlf;
            if (end > maxLength)
            {
                return -2;
            }

            if (end + 2 < rest.Length && SipSyntax.IsWhitespace(rest[end + 2]))
            {
                offset = end + 2;
                continue;
            }

            return end;
        }
    }
}
