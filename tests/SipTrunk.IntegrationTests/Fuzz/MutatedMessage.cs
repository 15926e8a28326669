using System.Text;
using SipTrunk.Sip.Framing;
using SipTrunk.Sip.Messages;
using SipTrunk.Testing.Fuzz;

namespace SipTrunk.IntegrationTests.Fuzz;

/// <summary>
/// One damaged message for the malformed-traffic test, marked so an answer can be traced back to it: before mutation
/// its Call-ID becomes a mark <c>fz-{channel}-{index}{check}</c> (a mutation may destroy the mark; such answers stay anonymous).
/// What SipTrunk's own scanner and parser make of it is worked out here, so the test can check each answer.
/// </summary>
internal sealed record MutatedMessage(int Index, byte[] Bytes, SipMutation Mutation)
{
    /// <summary>A response (start line begins <c>SIP/</c>): SipTrunk must never answer it (RFC 3261 §18.1.2).</summary>
    public bool IsResponse => Bytes.AsSpan().StartsWith("SIP/"u8);

    /// <summary>
    /// SipTrunk's parser refuses it, so an answer can only be the 400 built from its raw bytes. A datagram is parsed
    /// whole; on a stream only a message framed cleanly is parsed as sent (otherwise the framer cuts it differently).
    /// </summary>
    public bool Unparsable(bool stream) => (!stream || FramesCleanly) && !SipParser.Parse(Bytes).Success;

    /// <summary>On a stream it is exactly one whole frame, so the next message on the connection starts cleanly.</summary>
    public bool FramesCleanly
    {
        get
        {
            var frame = SipFrameScanner.Scan(Bytes, SipLimits.Default);
            return frame.Status == FrameStatus.Message && frame.Length == Bytes.Length;
        }
    }

    /// <summary><paramref name="count"/> messages from the corpus seeds, the same ones on every run for a given <paramref name="seed"/>.</summary>
    public static List<MutatedMessage> Generate(IReadOnlyList<(string Name, byte[] Bytes)> seeds, string channel, int count, int seed)
    {
        var mutator = new SipMutator(seed);
        var random = new Random(seed);
        var messages = new List<MutatedMessage>(count);
        for (var i = 0; i < count; i++)
        {
            var marked = MarkCallId(seeds[random.Next(seeds.Count)].Bytes, Mark(channel, i));
            messages.Add(new MutatedMessage(i, mutator.Mutate(marked, out var mutation), mutation));
        }

        return messages;
    }

    /// <summary>
    /// The index in an intact mark found in <paramref name="response"/>, or -1. A mark is five digits and two check
    /// letters, so a mark cut short or with a flipped bit (a mutation of the Call-ID) is not read as another index.
    /// </summary>
    public static int FindMark(string response, string channel)
    {
        var prefix = $"fz-{channel}-";
        var at = response.IndexOf(prefix, StringComparison.Ordinal);
        if (at < 0 || at + prefix.Length + 7 > response.Length)
        {
            return -1;
        }

        var digits = response.AsSpan(at + prefix.Length, 5);
        return !digits.ContainsAnyExceptInRange('0', '9')
            && int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) is var index
            && response.AsSpan(at + prefix.Length + 5, 2).SequenceEqual(Check(index)) ? index : -1;
    }

    private static string Mark(string channel, int index) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"fz-{channel}-{index:D5}{Check(index)}");

    private static string Check(int index) => string.Concat((char)('a' + (index * 7919 % 26)), (char)('a' + (index * 104729 / 26 % 26)));

    private static byte[] MarkCallId(byte[] message, string mark)
    {
        var text = Encoding.Latin1.GetString(message);
        foreach (var name in (string[])["\r\nCall-ID:", "\r\ni:", "\r\ncall-id:", "\r\nCALL-ID:"])
        {
            var at = text.IndexOf(name, StringComparison.Ordinal);
            if (at >= 0)
            {
                var end = text.IndexOf("\r\n", at + name.Length, StringComparison.Ordinal);
                return end < 0 ? message : Encoding.Latin1.GetBytes(string.Concat(text.AsSpan(0, at + name.Length), " ", mark, text.AsSpan(end)));
            }
        }

        return message;
    }
}
