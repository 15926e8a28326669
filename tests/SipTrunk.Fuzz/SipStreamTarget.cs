using System.Buffers;
using SipTrunk.Sip.Framing;
using SipTrunk.Sip.Headers;
using SipTrunk.Sip.Messages;
using SipTrunk.Sip.Sdp;

namespace SipTrunk.Fuzz;

/// <summary>
/// One fuzz input as SipTrunk receives bytes: as a TLS/TCP stream cut into frames the way
/// <c>StreamFlow.ProcessFrames</c> does, and as one UDP datagram. Every frame is parsed, validated and every typed
/// view the proxy reads is built, and an SDP body is parsed. The contract under test: the scanner and parsers report
/// bad input through their results (<see cref="SipFrame.Error"/>, <see cref="SipParseResult.Error"/>, TryParse's
/// error) and never throw; any exception is a crash. Broken invariants throw <see cref="InvalidOperationException"/>.
/// </summary>
internal static class SipStreamTarget
{
    /// <summary>Tight limits too, so that inputs of fuzzer size reach the limit checks.</summary>
    private static readonly SipLimits[] LimitSets =
    [
        SipLimits.Default,
        new SipLimits { MaxMessageBytes = 2048, MaxHeaderCount = 16, MaxHeaderLineLength = 256, MaxStartLineLength = 128, MaxUriLength = 64 },
    ];

    public static void Run(ReadOnlySpan<byte> input)
    {
        foreach (var limits in LimitSets)
        {
            ScanStream(input, limits);
            Inspect(input.ToArray(), limits);
        }
    }

    private static void ScanStream(ReadOnlySpan<byte> input, SipLimits limits)
    {
        var offset = 0;
        while (offset < input.Length)
        {
            var rest = input[offset..];
            var frame = SipFrameScanner.Scan(rest, limits);
            CheckSegmentedAgrees(rest, limits, frame);
            switch (frame.Status)
            {
                case FrameStatus.NeedMoreData:
                    Require(frame.Length == 0, "NeedMoreData must consume nothing");
                    return;
                case FrameStatus.Invalid:
                    Require(frame.Error is not null, "Invalid without a reason");
                    return;
                default:
                    Require(frame.Length > 0 && frame.Length <= rest.Length, $"{frame.Status} of length {frame.Length} in {rest.Length} bytes");
                    Require(frame.Length <= limits.MaxMessageBytes, "frame over MaxMessageBytes");
                    if (frame.Status == FrameStatus.Message)
                    {
                        Inspect(rest[..frame.Length].ToArray(), limits);
                    }

                    offset += frame.Length;
                    break;
            }
        }
    }

    /// <summary>The segmented overload must see what the contiguous one sees (a PipeReader may hand over any split).</summary>
    private static void CheckSegmentedAgrees(ReadOnlySpan<byte> buffer, SipLimits limits, SipFrame expected)
    {
        if (buffer.Length < 2)
        {
            return;
        }

        var split = 1 + (buffer[0] % (buffer.Length - 1));
        var first = new Segment(buffer[..split].ToArray(), 0);
        var last = first.Append(buffer[split..].ToArray());
        var segmented = SipFrameScanner.Scan(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length), limits);
        Require(segmented.Status == expected.Status && segmented.Length == expected.Length, $"segmented scan {segmented} differs from {expected}");
    }

    private static void Inspect(byte[] frame, SipLimits limits)
    {
        var result = SipParser.Parse(frame, limits);
        if (!result.Success)
        {
            Require(result.Error.Length > 0, "empty parse error");
            return;
        }

        var message = result.Message;
        Require(message.Buffer.Length <= frame.Length, "message longer than its input");
        _ = message.CallId;
        _ = message.Via;
        _ = message.From;
        _ = message.To;
        _ = message.CSeq;
        _ = message.MaxForwards;
        foreach (var field in message.Headers)
        {
            _ = message.GetName(field);
            _ = message.GetValue(field);
        }

        InspectHeaderValues(message);
        if (message is SipRequest request)
        {
            _ = request.MethodName;
            _ = request.RequestUri;
            _ = request.RequestUriError;
            _ = SipMessageValidator.ValidateRequest(request);
            CheckResponses(request);
        }
        else if (message is SipResponse response)
        {
            _ = SipMessageValidator.ValidateResponse(response);
        }

        var written = new ArrayBufferWriter<byte>(Math.Max(1, message.Buffer.Length));
        message.WriteTo(written);
        Require(written.WrittenSpan.SequenceEqual(message.Buffer.Span), "WriteTo is not byte-exact");
        _ = message.ToString();
        if (!message.Body.IsEmpty)
        {
            SdpTarget.Run(message.Body.Span);
        }
    }

    /// <summary>
    /// SipTrunk answers whatever request parses (a 100, or a 400 when validation refuses it), so building those
    /// answers must not throw, and what it sends must parse again.
    /// </summary>
    private static void CheckResponses(SipRequest request)
    {
        foreach (var (code, tag) in (ReadOnlySpan<(int, string?)>)[(100, null), (400, "fuzz-tag")])
        {
            var bytes = SipResponses.Create(request, code, reasonPhrase: null, toTag: tag).ToArray();
            var again = SipParser.Parse(bytes);
            Require(again.Success, $"the {code} built for a parsed request does not parse: {again.Error}");
        }
    }

    /// <summary>Every typed parser the proxy applies to a header it reads, on every value of that header.</summary>
    private static void InspectHeaderValues(SipMessage message)
    {
        foreach (var value in message.GetValues(HeaderId.Via))
        {
            _ = ViaHeader.TryParse(value.ToString(), out _, out _);
        }

        foreach (var value in message.GetValues(HeaderId.Contact))
        {
            _ = ContactValue.TryParse(value.ToString(), out _, out _);
        }

        foreach (var id in (ReadOnlySpan<HeaderId>)[HeaderId.Route, HeaderId.RecordRoute, HeaderId.Path, HeaderId.From, HeaderId.To, HeaderId.PAssertedIdentity])
        {
            foreach (var value in message.GetValues(id))
            {
                _ = NameAddress.TryParse(value.ToString(), out _, out _);
            }
        }

        foreach (var id in (ReadOnlySpan<HeaderId>)[HeaderId.Authorization, HeaderId.ProxyAuthorization])
        {
            foreach (var value in message.GetValues(id))
            {
                _ = DigestCredentials.TryParse(value.ToString(), out _, out _);
            }
        }

        foreach (var id in (ReadOnlySpan<HeaderId>)[HeaderId.WwwAuthenticate, HeaderId.ProxyAuthenticate])
        {
            foreach (var value in message.GetValues(id))
            {
                _ = DigestChallenge.TryParse(value.ToString(), out _, out _);
            }
        }

        foreach (var id in (ReadOnlySpan<HeaderId>)[HeaderId.Supported, HeaderId.Require, HeaderId.ProxyRequire, HeaderId.Allow])
        {
            foreach (var value in message.GetValues(id))
            {
                _ = TokenList.TryParse(value.ToString(), out _, out _);
            }
        }

        foreach (var value in message.GetValues(HeaderId.CSeq))
        {
            _ = CSeqHeader.TryParse(value.ToString(), out _, out _);
        }
    }

    internal static void Require(bool condition, string invariant)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Invariant broken: " + invariant);
        }
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
