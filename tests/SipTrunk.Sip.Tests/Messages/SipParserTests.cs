using System.Text;
using SipTrunk.Sip.Framing;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Sip.Tests.Messages;

public sealed class SipParserTests
{
    [Fact]
    public void Parse_BenchInvite_ReadsStartLineHeadersAndBody()
    {
        var result = SipParser.Parse(TestMessages.Invite);

        Assert.True(result.Success, result.Error);
        var request = Assert.IsType<SipRequest>(result.Message);
        Assert.Equal(SipMethod.Invite, request.Method);
        Assert.Equal("INVITE", request.MethodName);
        Assert.Equal("sip:bob@biloxi.com", request.RequestUriText);
        Assert.Equal("SIP/2.0"u8.ToArray(), request.Version.ToArray());
        Assert.Equal(14, request.Headers.Length);
        Assert.Equal("3848276298220188511@atlanta.com", request.CallId);
        Assert.Equal(354, request.DeclaredContentLength);
        Assert.Equal(354, request.Body.Length);
        Assert.StartsWith("v=0\r\n", Encoding.ASCII.GetString(request.Body.Span), StringComparison.Ordinal);
        Assert.Equal(2, request.GetValues(HeaderId.RecordRoute).Count());
        Assert.Equal("2 INVITE", request.GetFirstValueString(HeaderId.CSeq));
        Assert.Equal(HeaderId.Via, request.Headers[0].Id);
        Assert.Equal("Via"u8.ToArray(), request.GetName(request.Headers[0]).ToArray());
    }

    [Fact]
    public void Parse_BenchOk200_ReadsStatusAndReason()
    {
        var result = SipParser.Parse(TestMessages.Ok200);

        var response = Assert.IsType<SipResponse>(result.Message);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("OK", response.ReasonPhrase);
        Assert.Equal(0, response.Body.Length);
        Assert.Equal("SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK74bf9a1c3e8d;received=198.51.100.7;rport=5060", response.GetFirstValueString(HeaderId.Via));
    }

    [Fact]
    public void Parse_CompactForms_MapToTheirHeaders()
    {
        var message = TestMessages.Crlf("""
            OPTIONS sip:a@b SIP/2.0
            v: SIP/2.0/TCP h;branch=z9hG4bK1
            i: abc
            f: <sip:x@y>;tag=1
            t: <sip:a@b>
            m: <sip:x@h>
            l: 0
            k: path
            """);

        var parsed = SipParser.Parse(message).Message!;

        Assert.Equal(
            [HeaderId.Via, HeaderId.CallId, HeaderId.From, HeaderId.To, HeaderId.Contact, HeaderId.ContentLength, HeaderId.Supported],
            parsed.Headers.ToArray().Select(h => h.Id));
        Assert.Equal("abc", parsed.CallId);
    }

    [Fact]
    public void Parse_FoldedHeader_KeepsFoldingInsideTheValue()
    {
        var message = TestMessages.Crlf("OPTIONS sip:a@b SIP/2.0\nSubject: first\n  second\nCall-ID: 1");

        var parsed = SipParser.Parse(message).Message!;

        Assert.Equal("first\r\n  second", parsed.GetFirstValueString(HeaderId.Subject));
        Assert.Equal("1", parsed.CallId);
    }

    [Fact]
    public void GetValues_ListAcrossLinesAndCommas_YieldsEachValueInOrder()
    {
        var message = TestMessages.Crlf("""
            BYE sip:a@b SIP/2.0
            Route: <sip:p1;lr>, <sip:p2;lr>
            Contact: "Doe, John" <sip:j@h>, <sip:k@h;x="a,b">
            Route: <sip:p3;lr>
            Authorization: Digest username="a", realm="b"
            """);

        var parsed = SipParser.Parse(message).Message!;

        Assert.Equal(["<sip:p1;lr>", "<sip:p2;lr>", "<sip:p3;lr>"], Values(parsed, HeaderId.Route));
        Assert.Equal(["\"Doe, John\" <sip:j@h>", "<sip:k@h;x=\"a,b\">"], Values(parsed, HeaderId.Contact));
        Assert.Equal(["Digest username=\"a\", realm=\"b\""], Values(parsed, HeaderId.Authorization));
        Assert.Equal(2, parsed.CountLines(HeaderId.Route));
    }

    [Fact]
    public void GetValues_UnknownHeaderByName_IsCaseInsensitive()
    {
        var parsed = SipParser.Parse(TestMessages.Crlf("OPTIONS sip:a@b SIP/2.0\nX-Custom: one\nx-custom: two\nX-Other: no")).Message!;

        Assert.Equal(["one", "two"], parsed.GetValues("X-CUSTOM").ToArray().Select(v => v.ToString()));
    }

    [Theory]
    [InlineData("To: <sip:b@h>\r;tag=1")]
    [InlineData("To: <sip:b@h>\n;tag=1")]
    [InlineData("To: <sip:b@h>\rVia: SIP/2.0/TLS evil;branch=z9hG4bK2")]
    [InlineData("To: <sip:b@h>\r\n \r;tag=1")]
    [InlineData("X-Odd: a\n b")]
    public void Parse_BareCrOrLfInHeaderLine_Fails(string line)
    {
        // Found by fuzzing (bench/fuzz.sh): a lone CR in To reached SipResponses.Create, whose builder threw.
        var result = SipParser.Parse(Encoding.Latin1.GetBytes(
            "INVITE sip:b@h SIP/2.0\r\nVia: SIP/2.0/TLS h;branch=z9hG4bK1\r\nFrom: <sip:a@h>;tag=f\r\n" + line + "\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n\r\n"));

        Assert.False(result.Success);
        Assert.Equal("Bare CR or LF in header line", result.Error);
    }

    [Theory]
    [InlineData("INVITE sip:b@h\r SIP/2.0")]
    [InlineData("INVITE sip:b@h SIP/2.0\n")]
    [InlineData("SIP/2.0 200 O\rK")]
    public void Parse_BareCrOrLfInStartLine_Fails(string startLine)
    {
        var result = SipParser.Parse(Encoding.Latin1.GetBytes(startLine + "\r\nCall-ID: c\r\n\r\n"));

        Assert.False(result.Success);
        Assert.Equal("Bare CR or LF in start line", result.Error);
    }

    [Fact]
    public void Parse_FuzzCrashBareCrInTo_FailsInsteadOfReachingTheResponseBuilder()
    {
        var result = SipParser.Parse(TestMessages.Load("Fuzz", "bare-cr-in-to.bin"));

        Assert.False(result.Success);
    }

    [Fact]
    public void Parse_DatagramWithBytesBeyondContentLength_TruncatesTheBody()
    {
        var message = TestMessages.Crlf("MESSAGE sip:a@b SIP/2.0\nContent-Length: 3", "abcdef");

        var parsed = SipParser.Parse(message).Message!;

        Assert.Equal("abc"u8.ToArray(), parsed.Body.ToArray());
        Assert.Equal(message.Length - 3, parsed.Buffer.Length);
    }

    [Fact]
    public void Parse_DatagramWithoutContentLength_TakesTheRestAsBody()
    {
        var parsed = SipParser.Parse(TestMessages.Crlf("MESSAGE sip:a@b SIP/2.0\nCall-ID: 1", "hello")).Message!;

        Assert.Null(parsed.DeclaredContentLength);
        Assert.Equal("hello"u8.ToArray(), parsed.Body.ToArray());
    }

    [Fact]
    public void Parse_ResponseWithEmptyReasonPhrase_IsAccepted()
    {
        var parsed = SipParser.Parse(TestMessages.Crlf("SIP/2.0 100 \nCall-ID: 1")).Message!;
        var bare = SipParser.Parse(TestMessages.Crlf("SIP/2.0 180\nCall-ID: 1")).Message!;

        Assert.Equal(string.Empty, ((SipResponse)parsed).ReasonPhrase);
        Assert.Equal(180, ((SipResponse)bare).StatusCode);
    }

    [Fact]
    public void Parse_ExtensionMethod_IsKeptVerbatim()
    {
        var parsed = SipParser.Parse(TestMessages.Crlf("!interesting-Method0123456789_*+`.%indeed'~ sip:a@b SIP/2.0\nCall-ID: 1")).Message!;

        var request = Assert.IsType<SipRequest>(parsed);
        Assert.Equal(SipMethod.Unknown, request.Method);
        Assert.Equal("!interesting-Method0123456789_*+`.%indeed'~", request.MethodName);
    }

    [Theory]
    [InlineData("INVITE sip:a@b SIP/2.0\nContent-Length: 10", "abc", "Body shorter than Content-Length")]
    [InlineData("INVITE sip:a@b SIP/2.0\nContent-Length: 1\nContent-Length: 2", "ab", "Conflicting Content-Length headers")]
    [InlineData("INVITE sip:a@b SIP/2.0\nContent-Length: x", "", "Malformed Content-Length")]
    [InlineData("INVITE sip:a@b SIP/2.0\nBad Header: x", "", "Malformed header line")]
    [InlineData("INVITE sip:a@b SIP/2.0\nNoColon", "", "Malformed header line")]
    [InlineData("INVITE sip:a@b SIP/2.0\n : x", "", "Header continuation without a header")]
    [InlineData("INVITE sip:a b@c SIP/2.0\nCall-ID: 1", "", "Malformed Request-URI")]
    [InlineData("INVITE  sip:a@b SIP/2.0\nCall-ID: 1", "", "Malformed Request-URI")]
    [InlineData("INVITE sip:a@b SIP/2.0 \nCall-ID: 1", "", "Malformed Request-URI")]
    [InlineData("INVITE sip:a@b HTTP/1.1\nCall-ID: 1", "", "Malformed SIP-Version")]
    [InlineData("INV<ITE sip:a@b SIP/2.0\nCall-ID: 1", "", "Malformed method")]
    [InlineData("INVITE\nCall-ID: 1", "", "Malformed request line")]
    [InlineData("SIP/2.0 099 Low\nCall-ID: 1", "", "Status code out of range")]
    [InlineData("SIP/2.0 2000 OK\nCall-ID: 1", "", "Malformed status code")]
    [InlineData("SIP/2.0 20 OK\nCall-ID: 1", "", "Malformed status code")]
    [InlineData("SIP/2.0 200 O\u0001K\nCall-ID: 1", "", "Control character in reason phrase")]
    public void Parse_Malformed_FailsWithReason(string headers, string body, string reason)
    {
        var result = SipParser.Parse(TestMessages.Crlf(headers, body));

        Assert.False(result.Success);
        Assert.Null(result.Message);
        Assert.Equal(reason, result.Error);
    }

    [Fact]
    public void Parse_NoEmptyLineAfterHeaders_Fails()
    {
        var result = SipParser.Parse("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: 1\r\n"u8.ToArray());

        Assert.Equal("Missing empty line after headers", result.Error);
    }

    [Fact]
    public void Parse_MissingStartLineEnd_Fails()
    {
        Assert.Equal("Missing CRLF after start line", SipParser.Parse("OPTIONS sip:a@b SIP/2.0"u8.ToArray()).Error);
    }

    [Fact]
    public void Parse_LimitsExceeded_FailWithReasons()
    {
        var tooMany = TestMessages.Crlf("OPTIONS sip:a@b SIP/2.0\n" + string.Join('\n', Enumerable.Range(0, 20).Select(i => $"X-{i}: v")));
        var longLine = TestMessages.Crlf("OPTIONS sip:a@b SIP/2.0\nSubject: " + new string('x', 200));
        var longUri = TestMessages.Crlf($"OPTIONS sip:{new string('a', 100)}@b SIP/2.0\nCall-ID: 1");
        var limits = new SipLimits { MaxHeaderCount = 10, MaxHeaderLineLength = 100, MaxUriLength = 50, MaxMessageBytes = 4000 };

        Assert.Equal("Too many headers", SipParser.Parse(tooMany, limits).Error);
        Assert.Equal("Header line too long", SipParser.Parse(longLine, limits).Error);
        Assert.Equal("Request-URI too long", SipParser.Parse(longUri, limits).Error);
        Assert.Equal("Message Too Large", SipParser.Parse(new byte[4001], limits).Error);
    }

    [Fact]
    public void Parse_ManyHeadersBeyondStackCapacity_UsesPooledStorage()
    {
        var message = TestMessages.Crlf("OPTIONS sip:a@b SIP/2.0\n" + string.Join('\n', Enumerable.Range(0, 200).Select(i => $"X-{i}: v")));

        var parsed = SipParser.Parse(message, new SipLimits { MaxHeaderCount = 300 });

        Assert.Equal(200, parsed.Message!.Headers.Length);
    }

    [Fact]
    public void StreamOfOneByteChunks_ParsesIdenticallyToWholeMessages()
    {
        var stream = TestMessages.Invite.Concat("\r\n\r\n"u8.ToArray()).Concat(TestMessages.Ok200).ToArray();
        var received = new List<byte>();
        var messages = new List<SipMessage>();
        var pings = 0;
        foreach (var b in stream)
        {
            received.Add(b);
            while (true)
            {
                var frame = SipFrameScanner.Scan(received.ToArray(), SipLimits.Default);
                if (frame.Status == FrameStatus.NeedMoreData)
                {
                    break;
                }

                Assert.NotEqual(FrameStatus.Invalid, frame.Status);
                if (frame.Status == FrameStatus.Message)
                {
                    messages.Add(SipParser.Parse(received.Take(frame.Length).ToArray()).Message!);
                }
                else
                {
                    pings++;
                }

                received.RemoveRange(0, frame.Length);
            }
        }

        Assert.Empty(received);
        Assert.Equal(1, pings);
        Assert.Equal(2, messages.Count);
        AssertSameParse(SipParser.Parse(TestMessages.Invite).Message!, messages[0]);
        AssertSameParse(SipParser.Parse(TestMessages.Ok200).Message!, messages[1]);
    }

    internal static void AssertSameParse(SipMessage expected, SipMessage actual)
    {
        Assert.Equal(expected.Buffer.ToArray(), actual.Buffer.ToArray());
        Assert.Equal(expected.Headers.ToArray(), actual.Headers.ToArray());
        Assert.Equal(expected.Body.ToArray(), actual.Body.ToArray());
        Assert.Equal(expected.IsRequest, actual.IsRequest);
    }

    private static string[] Values(SipMessage message, HeaderId id) => [.. message.GetValues(id).ToArray().Select(v => v.ToString())];
}
