using System.Text;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Transactions;

/// <summary>
/// Answers a frame the parser refused with <c>400 &lt;reason&gt;</c> when it looks like a request and enough of its
/// headers can be found by a plain line scan to address a response (RFC 3261 §8.2.6.2: Via, From, To, Call-ID and
/// CSeq copied from the request). Nothing here trusts the frame's structure: lines are split on LF, a trailing CR is
/// dropped, folded continuations are joined, control characters become spaces, full and compact names are recognised.
/// </summary>
internal static class UnparsableRequestResponder
{
    /// <summary>The 400 response, or null when the frame is a response, an ACK (never answered, §17.2.1) or has no Via.</summary>
    public static byte[]? TryCreate(ReadOnlySpan<byte> frame, string reason, string toTag, string? server = null)
    {
        if (frame.StartsWith("SIP/"u8) || frame.StartsWith("ACK "u8))
        {
            return null;
        }

        var headers = CollectHeaders(frame);
        if (!headers.Exists(h => h.Id == HeaderId.Via))
        {
            return null;
        }

        var builder = SipMessageBuilder.Response(400, reason);
        foreach (var (id, value) in headers)
        {
            var text = value.ToString().Trim();
            if (text.Length == 0)
            {
                continue;
            }

            if (id == HeaderId.To && !SipResponses.HasTag(Encoding.Latin1.GetBytes(text)))
            {
                // §8.2.6.2: a response that may end the transaction carries a To tag.
                text += ";tag=" + toTag;
            }

            builder.Add(id, text);
        }

        if (!string.IsNullOrEmpty(server))
        {
            builder.Add(HeaderId.Server, server);
        }

        return builder.ToArray();
    }

    private static List<(HeaderId Id, StringBuilder Value)> CollectHeaders(ReadOnlySpan<byte> frame)
    {
        var headers = new List<(HeaderId Id, StringBuilder Value)>();
        var keepingContinuation = false;
        var firstLine = true;
        while (!frame.IsEmpty)
        {
            var end = frame.IndexOf((byte)'\n');
            var line = end < 0 ? frame : frame[..end];
            frame = end < 0 ? default : frame[(end + 1)..];
            if (!line.IsEmpty && line[^1] == '\r')
            {
                line = line[..^1];
            }

            if (firstLine)
            {
                firstLine = false;
                continue;
            }

            if (line.IsEmpty)
            {
                // The end of the header section: the body is not looked at.
                break;
            }

            if (line[0] is (byte)' ' or (byte)'\t')
            {
                // A folded continuation of the previous header line (RFC 3261 §7.3.1).
                if (keepingContinuation)
                {
                    AppendText(headers[^1].Value.Append(' '), line);
                }

                continue;
            }

            keepingContinuation = false;
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            var id = KnownHeaders.Lookup(line[..colon].TrimEnd(" \t"u8));
            if (id is HeaderId.Via or HeaderId.From or HeaderId.To or HeaderId.CallId or HeaderId.CSeq)
            {
                headers.Add((id, AppendText(new StringBuilder(), line[(colon + 1)..])));
                keepingContinuation = true;
            }
        }

        return headers;
    }

    private static StringBuilder AppendText(StringBuilder builder, ReadOnlySpan<byte> bytes)
    {
        // Latin-1 keeps the bytes as they came; a stray CR or other control byte must not reach the output line.
        foreach (var b in bytes.Trim(" \t"u8))
        {
            builder.Append(b < 0x20 || b == 0x7F ? ' ' : (char)b);
        }

        return builder;
    }
}
