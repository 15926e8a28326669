using System.Buffers;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Sip.Framing;

/// <summary>
/// Finds message boundaries on a stream transport (RFC 3261 §18.3): the header block ends at the first
/// empty line and the body is Content-Length bytes long. Separate from parsing: it reads only the
/// Content-Length header, consumes nothing on partial input, and refuses to wait for more than
/// <see cref="SipLimits.MaxMessageBytes"/> so a peer cannot make SipTrunk buffer without bound.
/// </summary>
public static class SipFrameScanner
{
    /// <summary>Scans a contiguous buffer.</summary>
    public static SipFrame Scan(ReadOnlySpan<byte> buffer, SipLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (buffer.IsEmpty)
        {
            return SipFrame.NeedMore;
        }

        if (buffer[0] == '\r')
        {
            return ScanKeepAlive(buffer);
        }

        var headerEnd = buffer.IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0)
        {
            if (buffer.Length >= limits.MaxMessageBytes)
            {
                return SipFrame.Invalid("Message Too Large");
            }

            // A start line that never ends is no SIP; do not wait for 64 KiB of it.
            if (buffer.Length > limits.MaxStartLineLength && buffer[..limits.MaxStartLineLength].IndexOf("\r\n"u8) < 0)
            {
                return SipFrame.Invalid("Start line too long");
            }

            return SipFrame.NeedMore;
        }

        var headerBlock = buffer[..(headerEnd + 2)];
        var contentLength = FindContentLength(headerBlock, out var error);
        if (error is not null)
        {
            return SipFrame.Invalid(error);
        }

        // Content-Length is mandatory on streams; a message without it has no body (RFC 3261 §18.3, §20.14).
        var total = (long)headerEnd + 4 + contentLength;
        if (total > limits.MaxMessageBytes)
        {
            return SipFrame.Invalid("Message Too Large");
        }

        return buffer.Length < total ? SipFrame.NeedMore : new SipFrame(FrameStatus.Message, (int)total, null);
    }

    /// <summary>Scans a possibly segmented buffer (as a <c>PipeReader</c> delivers it).</summary>
    public static SipFrame Scan(in ReadOnlySequence<byte> buffer, SipLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (buffer.IsSingleSegment)
        {
            return Scan(buffer.FirstSpan, limits);
        }

        // Segmented input is rare (our transports read into one buffer); copy at most what could be one message.
        var length = (int)Math.Min(buffer.Length, limits.MaxMessageBytes + 4L);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.Slice(0, length).CopyTo(rented);
            return Scan(rented.AsSpan(0, length), limits);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static SipFrame ScanKeepAlive(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length < 2)
        {
            return SipFrame.NeedMore;
        }

        if (buffer[1] != '\n')
        {
            return SipFrame.Invalid("Bare CR in stream");
        }

        if (buffer.Length >= 4 && buffer[2] == '\r' && buffer[3] == '\n')
        {
            return new SipFrame(FrameStatus.KeepAlivePing, 4, null);
        }

        // A lone CRLF at the end may be the first half of a ping: wait. Flow liveness is judged by bytes
        // received, so a pong (RFC 5626 §4.4.1) that waits here still proves the flow alive.
        if (buffer.Length == 2 || (buffer.Length == 3 && buffer[2] == '\r'))
        {
            return SipFrame.NeedMore;
        }

        // A CRLF followed by something else: a pong, or filler before a start line (RFC 3261 §7.5).
        return new SipFrame(FrameStatus.KeepAlivePong, 2, null);
    }

    /// <summary>Reads Content-Length (full or compact name) from a header block ending in CRLF.</summary>
    private static int FindContentLength(ReadOnlySpan<byte> headers, out string? error)
    {
        error = null;
        int? found = null;
        var position = headers.IndexOf("\r\n"u8) + 2;
        while (position < headers.Length)
        {
            var lineEnd = position + headers[position..].IndexOf("\r\n"u8);
            var nameEnd = position;
            while (nameEnd < lineEnd && SipSyntax.IsTokenChar(headers[nameEnd]))
            {
                nameEnd++;
            }

            var name = headers[position..nameEnd];
            if (name.Length is 1 or 14 && KnownHeaders.Lookup(name) == HeaderId.ContentLength)
            {
                // Include folded continuation lines in the value.
                var valueEnd = lineEnd;
                while (valueEnd + 2 < headers.Length && SipSyntax.IsWhitespace(headers[valueEnd + 2]))
                {
                    valueEnd += 2 + headers[(valueEnd + 2)..].IndexOf("\r\n"u8);
                }

                var colon = nameEnd;
                while (colon < valueEnd && SipSyntax.IsWhitespace(headers[colon]))
                {
                    colon++;
                }

                if (colon >= valueEnd || headers[colon] != ':' || !SipSyntax.TryParseDecimal(headers[(colon + 1)..valueEnd], out var value))
                {
                    error = "Malformed Content-Length";
                    return 0;
                }

                if (found is { } previous && previous != value)
                {
                    error = "Conflicting Content-Length headers";
                    return 0;
                }

                found = value;
                lineEnd = valueEnd;
            }

            position = lineEnd + 2;
        }

        return found ?? 0;
    }
}
