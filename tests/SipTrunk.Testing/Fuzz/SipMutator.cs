using System.Text;

namespace SipTrunk.Testing.Fuzz;

/// <summary>
/// Damages SIP messages deterministically: the same seed number and inputs give the same outputs on every run, so a
/// failure found by a test reproduces. Each mutation aims at one thing a parser or framer must survive (RFC 4475 §3
/// lists the classes: bad framing, oversize values, bad escapes, missing or repeated headers, line folding).
/// </summary>
public sealed class SipMutator
{
    private static readonly SipMutation[] Mutations = Enum.GetValues<SipMutation>();

    private static readonly byte[][] NotUtf8 =
    [
        [0xC3, 0x28], [0xFF], [0xFE, 0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
    ];

    private static readonly string[] BadLengths =
        ["-1", "4294967296", "2147483648", "99999999999999999999", "abc", "0x10", "1 2", "", "+5", "65536", "1e3"];

    private static readonly string[] StartLineTokens =
    [
        "INVITE", "invite", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "FOO", "IN\tVITE", "SIP/2.0", "SIP/3.0", "sip/2.0",
        "SIP/2.0x", "SIP/", "HTTP/1.1", "999", "000", "20", "2000", "abc", "sip:", "sip:@", "<sip:a@b>", "sips:[::1", "tel:+",
        "mailto:x@y", "sip:a@b;c=d?e=f", "", " ",
    ];

    private static readonly byte[] Delimiters = "<>\";:@%\\,=?&[]/ \t"u8.ToArray();

    private readonly Random _random;

    /// <summary>A mutator whose choices follow <paramref name="seed"/>.</summary>
    public SipMutator(int seed) => _random = new Random(seed);

    /// <summary>
    /// A damaged copy of <paramref name="message"/>: one mutation (reported in <paramref name="mutation"/>), and a
    /// second one on top a quarter of the time.
    /// </summary>
    public byte[] Mutate(ReadOnlySpan<byte> message, out SipMutation mutation)
    {
        mutation = Mutations[_random.Next(Mutations.Length)];
        var result = Apply(message.ToArray(), mutation);
        if (_random.Next(4) == 0)
        {
            result = Apply(result, Mutations[_random.Next(Mutations.Length)]);
        }

        return result;
    }

    /// <summary>Applies one chosen <paramref name="mutation"/> to a copy of <paramref name="message"/>.</summary>
    public byte[] Apply(byte[] message, SipMutation mutation)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Length == 0)
        {
            return message;
        }

        return mutation switch
        {
            SipMutation.BitFlip => BitFlip(message),
            SipMutation.Truncate => message[.._random.Next(1, message.Length)],
            SipMutation.DuplicateHeader => DuplicateHeader(message),
            SipMutation.HugeValue => HugeValue(message),
            SipMutation.BadContentLength => BadContentLength(message),
            SipMutation.InvalidUtf8 => InsertInLine(message, NotUtf8[_random.Next(NotUtf8.Length)]),
            SipMutation.Nul => Nul(message),
            SipMutation.FoldedLine => FoldedLine(message),
            SipMutation.BareLineEnding => BareLineEnding(message),
            SipMutation.RemoveHeader => RemoveHeader(message),
            SipMutation.SwapLines => SwapLines(message),
            SipMutation.Delimiters => InsertInLine(message, [Delimiters[_random.Next(Delimiters.Length)], Delimiters[_random.Next(Delimiters.Length)]]),
            SipMutation.StartLine => StartLine(message),
            _ => throw new ArgumentOutOfRangeException(nameof(mutation), mutation, "unknown mutation"),
        };
    }

    /// <summary>The lines of the header block (start line first) as offsets and lengths without their CRLF.</summary>
    private static List<(int Start, int Length)> Lines(byte[] message)
    {
        var headEnd = message.AsSpan().IndexOf("\r\n\r\n"u8);
        var head = headEnd < 0 ? message.Length : headEnd + 2;
        var lines = new List<(int, int)>();
        var position = 0;
        while (position < head)
        {
            var crlf = message.AsSpan(position, head - position).IndexOf("\r\n"u8);
            var length = crlf < 0 ? head - position : crlf;
            lines.Add((position, length));
            position += length + 2;
        }

        return lines;
    }

    private static byte[] Splice(byte[] message, int at, int remove, ReadOnlySpan<byte> insert)
    {
        var result = new byte[message.Length - remove + insert.Length];
        message.AsSpan(0, at).CopyTo(result);
        insert.CopyTo(result.AsSpan(at));
        message.AsSpan(at + remove).CopyTo(result.AsSpan(at + insert.Length));
        return result;
    }

    private (int Start, int Length) PickHeaderLine(List<(int Start, int Length)> lines) =>
        lines.Count > 1 ? lines[_random.Next(1, lines.Count)] : lines[0];

    private byte[] BitFlip(byte[] message)
    {
        var result = (byte[])message.Clone();
        var flips = _random.Next(1, 9);
        for (var i = 0; i < flips; i++)
        {
            result[_random.Next(result.Length)] ^= (byte)(1 << _random.Next(8));
        }

        return result;
    }

    private byte[] DuplicateHeader(byte[] message)
    {
        var (start, length) = PickHeaderLine(Lines(message));
        var copies = _random.Next(4) == 0 ? _random.Next(100, 400) : 1;
        var line = message.AsSpan(start, length);
        var insert = new byte[(length + 2) * copies];
        for (var i = 0; i < copies; i++)
        {
            line.CopyTo(insert.AsSpan(i * (length + 2)));
            "\r\n"u8.CopyTo(insert.AsSpan((i * (length + 2)) + length));
        }

        return Splice(message, start + length + 2 > message.Length ? message.Length : start + length + 2, 0, insert);
    }

    private byte[] HugeValue(byte[] message)
    {
        var lines = Lines(message);
        var size = _random.Next(4) == 0 ? _random.Next(60_000, 70_000) : _random.Next(1_000, 20_000);
        var filler = (_random.Next(3)) switch
        {
            0 => new string('a', size),
            1 => string.Concat(Enumerable.Repeat("%41", size / 3)),
            _ => string.Concat(Enumerable.Repeat(";x=y", size / 4)),
        };

        // A quarter of the time into the Request-URI (or reason phrase), otherwise at the end of a header value.
        if (_random.Next(4) == 0)
        {
            var space = message.AsSpan(0, lines[0].Length).IndexOf((byte)' ');
            var at = space < 0 ? lines[0].Length : space + 1 + Math.Min(4, lines[0].Length - space - 1);
            return Splice(message, at, 0, Encoding.ASCII.GetBytes(filler));
        }

        var (start, length) = PickHeaderLine(lines);
        return Splice(message, start + length, 0, Encoding.ASCII.GetBytes(filler));
    }

    private byte[] BadContentLength(byte[] message)
    {
        var lines = Lines(message);
        var headEnd = message.AsSpan().IndexOf("\r\n\r\n"u8);
        var body = headEnd < 0 ? 0 : message.Length - headEnd - 4;
        var value = _random.Next(3) switch
        {
            0 => BadLengths[_random.Next(BadLengths.Length)],
            1 => (body + _random.Next(1, 100)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => Math.Max(0, body - _random.Next(1, 50)).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var line = Encoding.ASCII.GetBytes((_random.Next(2) == 0 ? "Content-Length: " : "l: ") + value);
        foreach (var (start, length) in lines)
        {
            var header = message.AsSpan(start, length);
            if (_random.Next(4) != 0
                && (header.StartsWith("Content-Length"u8) || header.StartsWith("content-length"u8) || header.StartsWith("l:"u8) || header.StartsWith("l :"u8)))
            {
                return Splice(message, start, length, line);
            }
        }

        // No Content-Length (or a second, conflicting one): add a line after the start line.
        return Splice(message, lines[0].Length + 2 > message.Length ? message.Length : lines[0].Length + 2, 0, [.. line, .. "\r\n"u8]);
    }

    private byte[] InsertInLine(byte[] message, ReadOnlySpan<byte> insert)
    {
        var (start, length) = _random.Next(5) == 0 ? Lines(message)[0] : PickHeaderLine(Lines(message));
        return Splice(message, start + _random.Next(length + 1), 0, insert);
    }

    private byte[] Nul(byte[] message)
    {
        var count = _random.Next(1, 4);
        var result = message;
        for (var i = 0; i < count; i++)
        {
            result = InsertInLine(result, [0]);
        }

        return result;
    }

    private byte[] FoldedLine(byte[] message)
    {
        var lines = Lines(message);
        if (_random.Next(4) == 0)
        {
            // A continuation line with no header before it (after the start line).
            return Splice(message, Math.Min(message.Length, lines[0].Length + 2), 0, " continued\r\n"u8);
        }

        var (start, length) = PickHeaderLine(lines);
        var colon = message.AsSpan(start, length).IndexOf((byte)':');
        var from = colon < 0 ? 0 : colon + 1;
        var at = start + from + _random.Next(length - from + 1);
        return Splice(message, at, 0, _random.Next(2) == 0 ? "\r\n "u8 : "\r\n\t \t"u8);
    }

    private byte[] BareLineEnding(byte[] message)
    {
        var lines = Lines(message);
        var replacement = _random.Next(2) == 0 ? "\n"u8.ToArray() : "\r"u8.ToArray();
        if (_random.Next(2) == 0)
        {
            var (start, length) = lines[_random.Next(lines.Count)];
            return start + length + 2 <= message.Length ? Splice(message, start + length, 2, replacement) : message;
        }

        // Every line ending of the header block.
        var result = message;
        for (var i = lines.Count - 1; i >= 0; i--)
        {
            var (start, length) = lines[i];
            if (start + length + 2 <= result.Length)
            {
                result = Splice(result, start + length, 2, replacement);
            }
        }

        return result;
    }

    private byte[] RemoveHeader(byte[] message)
    {
        var (start, length) = PickHeaderLine(Lines(message));
        return Splice(message, start, Math.Min(length + 2, message.Length - start), []);
    }

    private byte[] SwapLines(byte[] message)
    {
        var lines = Lines(message);
        if (lines.Count < 2)
        {
            return message;
        }

        var a = _random.Next(lines.Count);
        var b = _random.Next(lines.Count);
        if (a == b)
        {
            return message;
        }

        var (first, second) = a < b ? (lines[a], lines[b]) : (lines[b], lines[a]);
        var result = (byte[])message.Clone();
        var firstBytes = message.AsSpan(first.Start, first.Length).ToArray();
        var secondBytes = message.AsSpan(second.Start, second.Length).ToArray();
        result = Splice(result, second.Start, second.Length, firstBytes);
        return Splice(result, first.Start, first.Length, secondBytes);
    }

    private byte[] StartLine(byte[] message)
    {
        var (start, length) = Lines(message)[0];
        var tokens = Encoding.Latin1.GetString(message, start, length).Split(' ');
        tokens[_random.Next(tokens.Length)] = StartLineTokens[_random.Next(StartLineTokens.Length)];
        return Splice(message, start, length, Encoding.Latin1.GetBytes(string.Join(' ', tokens)));
    }
}
