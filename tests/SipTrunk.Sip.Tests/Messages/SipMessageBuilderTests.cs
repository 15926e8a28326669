using System.Text;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Sip.Tests.Messages;

public sealed class SipMessageBuilderTests
{
    [Fact]
    public void From_UnchangedInvite_WritesTheSameBytes()
    {
        var invite = SipParser.Parse(TestMessages.Invite).Message!;

        Assert.Equal(TestMessages.Invite, SipMessageBuilder.From(invite).ToArray());
    }

    [Fact]
    public void From_UnknownAndCompactHeaders_AreForwardedByteForByte()
    {
        var source = TestMessages.Crlf("OPTIONS sip:a@b SIP/2.0\nX-Weird :  some\t value \nv: SIP/2.0/TCP h;branch=z9hG4bK1\nl: 0");

        var written = Encoding.Latin1.GetString(SipMessageBuilder.From(SipParser.Parse(source).Message!).ToArray());

        Assert.Contains("\r\nX-Weird :  some\t value\r\n", written, StringComparison.Ordinal);
        Assert.Contains("\r\nv: SIP/2.0/TCP h;branch=z9hG4bK1\r\n", written, StringComparison.Ordinal);
        Assert.EndsWith("\r\nContent-Length: 0\r\n\r\n", written, StringComparison.Ordinal);
        Assert.DoesNotContain("l: 0", written, StringComparison.Ordinal);
    }

    [Fact]
    public void ProxyEdits_ProduceTheExpectedMessage()
    {
        var source = SipParser.Parse(TestMessages.Crlf("""
            INVITE sip:+441632960000@trunk SIP/2.0
            Via: SIP/2.0/TLS 10.0.0.1;branch=z9hG4bKa
            Route: <sip:trunk;lr>, <sip:next;lr>
            Max-Forwards: 70
            Call-ID: c1
            """, "body")).Message!;

        var builder = SipMessageBuilder.From(source)
            .SetRequestUri("sips:+441632960000@carrier")
            .AddFirst(HeaderId.Via, "SIP/2.0/TLS proxy;branch=z9hG4bKb")
            .Set(HeaderId.MaxForwards, "69");
        Assert.True(builder.RemoveFirstValue(HeaderId.Route));
        var forwarded = SipParser.Parse(builder.ToArray()).Message!;

        var request = Assert.IsType<SipRequest>(forwarded);
        Assert.Equal("sips:+441632960000@carrier", request.RequestUriText);
        Assert.Equal(
            ["SIP/2.0/TLS proxy;branch=z9hG4bKb", "SIP/2.0/TLS 10.0.0.1;branch=z9hG4bKa"],
            forwarded.GetValues(HeaderId.Via).ToArray().Select(v => v.ToString()));
        Assert.Equal(["<sip:next;lr>"], forwarded.GetValues(HeaderId.Route).ToArray().Select(v => v.ToString()));
        Assert.Equal("69", forwarded.GetFirstValueString(HeaderId.MaxForwards));
        Assert.Equal(1, forwarded.CountLines(HeaderId.MaxForwards));
        Assert.Equal("body"u8.ToArray(), forwarded.Body.ToArray());
        Assert.Equal(4, forwarded.DeclaredContentLength);
    }

    [Fact]
    public void RemoveFirstValue_LastValueOfLine_RemovesTheLine()
    {
        var source = SipParser.Parse(TestMessages.Crlf("BYE sip:a@b SIP/2.0\nRoute: <sip:one;lr>\nCall-ID: 1")).Message!;
        var builder = SipMessageBuilder.From(source);

        Assert.True(builder.RemoveFirstValue(HeaderId.Route));
        Assert.False(builder.RemoveFirstValue(HeaderId.Route));
        Assert.Null(builder.GetFirst(HeaderId.Route));
    }

    [Fact]
    public void Body_Replaced_RecomputesContentLength()
    {
        var invite = SipParser.Parse(TestMessages.Invite).Message!;
        var builder = SipMessageBuilder.From(invite);
        builder.Body = "v=0\r\n"u8.ToArray();

        var written = SipParser.Parse(builder.ToArray()).Message!;

        Assert.Equal(5, written.DeclaredContentLength);
        Assert.Equal(1, written.CountLines(HeaderId.ContentLength));
    }

    [Theory]
    [InlineData("value\r\nInjected: yes")]
    [InlineData("value\nX: y")]
    public void Add_ValueWithLineBreak_IsRefused(string value)
    {
        var builder = SipMessageBuilder.Request("OPTIONS", "sip:a@b");

        Assert.Throws<ArgumentException>(() => builder.Add(HeaderId.Subject, value));
    }

    [Fact]
    public void Add_ContentLength_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => SipMessageBuilder.Request("OPTIONS", "sip:a@b").Add(HeaderId.ContentLength, "5"));
    }

    [Fact]
    public void Request_New_WritesCanonicalNames()
    {
        var bytes = SipMessageBuilder.Request("OPTIONS", "sips:carrier-1")
            .Add(HeaderId.CallId, "abc")
            .Add("x-custom", "1")
            .ToArray();

        Assert.Equal("OPTIONS sips:carrier-1 SIP/2.0\r\nCall-ID: abc\r\nx-custom: 1\r\nContent-Length: 0\r\n\r\n", Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public void Response_ReasonPhraseWithControlCharacters_IsSanitized()
    {
        var bytes = SipMessageBuilder.Response(400, "Bad\r\nVia: evil").ToArray();

        Assert.StartsWith("SIP/2.0 400 Bad  Via: evil\r\nContent-Length: 0", Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
    }
}
